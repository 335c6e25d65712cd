package simshop

// The YMCart ERP API (PLATFORMS.md §4, seed 004): every call is a POST to
// /api-erp-<name>.html with form fields, `token` among them; answers are
// {"code":0,...} on success. Rows repeat every column under a numeric key
// (PHP FETCH_BOTH); fields added after the query (item, delivery, address,
// shipping_corp_codeno, country_code_2/3, country_name, payment, offer,
// order_remark) have no numeric twin. All scalars are strings; money has 4
// decimals; times are unix-second strings with "0" for unset; non-ASCII is
// \u-escaped and slashes are not (as in the seed).
//
// Where the docs are silent the sim picks the harsher plausible behaviour:
//   - a bad or missing token: HTTP 200 {"code":403,"msg":"token_error"};
//     the token is read from the POST form only (not the query string);
//   - bad parameters: HTTP 200 {"code":1,"msg":"<param>_error"};
//   - a write batch of more than 20 orders: HTTP 200
//     {"code":1,"msg":"<field>_limit_20"}, nothing applied;
//   - rate limit: HTTP 429 {"code":429,"msg":"too_many_requests"} with
//     Retry-After; an injected status: that status with
//     {"code":<status>,"msg":"<status text>"};
//   - orderStatus applies any settable status from any status (no
//     transition rules are documented, so the desk's Check is the guard)
//     and, like orderRemark and orderShip, answers every order in msg[];
//   - act_time stays "0" until an admin or API action (a payment does not
//     set it); the date filters are whole days in the shop's zone, end day
//     included, and an unset time never matches a date filter;
//   - deliveryList's max_id keeps records with id <= max_id; orderShip on a
//     shipped order adds a record; an order's `delivery` is null, one
//     object, or an array when it has several records;
//   - answers are served as text/html, as PHP pages are by default.
// orderEdit and paymentList are not simulated (the desk does not use them).

import (
	"bytes"
	"cmp"
	"crypto/subtle"
	"encoding/json"
	"fmt"
	"hash/fnv"
	"mime"
	"net/http"
	"net/url"
	"slices"
	"strconv"
	"strings"
	"time"
	"unicode"
	"unicode/utf16"

	"orderdesk/backend"
)

type ymcartSim struct {
	extra        map[string]*ymcartExtra // by order number
	nextDelivery int
}

// ymcartExtra holds what the wire shows but the normalised order does not.
type ymcartExtra struct {
	id, userID  int
	registered  bool // has a user_name; guests have null
	first, last string
	ip          uint32
	acted       bool // act_time set
	billingOnly bool // only an address_type 1 row, as in the seed
	telOnly     bool // phone in telephone, mobilephone empty
	whatsapp    bool // telephone repeats the phone
	payFee      backend.Amount
	tradeNo     string
	dels        []ymcartDel // parallel to Order.Shipments
}

type ymcartDel struct {
	id      int
	stamped bool // delivery_time set; API shipments leave it "0"
}

func newYMCart() *ymcartSim {
	return &ymcartSim{extra: map[string]*ymcartExtra{}, nextDelivery: 5001}
}

// ymcartPlan is the raw status of generated order i (mod 20): every code,
// paid-and-unshipped the most common.
var ymcartPlan = []struct{ order, pay, ship string }{
	{"200", "200", "0"}, {"100", "100", "0"}, {"301", "200", "301"}, {"200", "200", "0"},
	{"102", "102", "0"}, {"101", "101", "0"}, {"200", "200", "0"}, {"700", "200", "301"},
	{"600", "100", "0"}, {"301", "200", "301"}, {"200", "200", "0"}, {"100", "100", "0"},
	{"600", "200", "0"}, {"301", "200", "301"}, {"200", "200", "0"}, {"102", "102", "0"},
	{"700", "200", "301"}, {"100", "100", "0"}, {"200", "200", "0"}, {"301", "200", "301"},
}

// ymcartStates is the sim's own reading of the statuses (FIELD-NOTES §2.3):
// order_status for the lifecycle, payment_status and shipping_status for
// the other axes.
var ymcartStates = map[string]struct {
	label string
	state backend.State
}{
	"100": {"new", backend.State{Order: backend.OrderOpen, Payment: backend.PayUnpaid, Fulfillment: backend.FulUnfulfilled}},
	"101": {"payment failed", backend.State{Order: backend.OrderOpen, Payment: backend.PayFailed, Fulfillment: backend.FulUnfulfilled}},
	"102": {"confirming", backend.State{Order: backend.OrderOpen, Payment: backend.PayPending, Fulfillment: backend.FulUnfulfilled}},
	"200": {"paid", backend.State{Order: backend.OrderOpen, Payment: backend.PayPaid, Fulfillment: backend.FulUnfulfilled}},
	"301": {"shipped", backend.State{Order: backend.OrderOpen, Payment: backend.PayPaid, Fulfillment: backend.FulFulfilled}},
	"600": {"void", backend.State{Order: backend.OrderCancelled, Payment: backend.PayUnknown, Fulfillment: backend.FulUnknown}},
	"700": {"complete", backend.State{Order: backend.OrderCompleted, Payment: backend.PayPaid, Fulfillment: backend.FulFulfilled}},
}

var ymcartPayStates = map[string]backend.PaymentState{"100": backend.PayUnpaid, "101": backend.PayFailed, "102": backend.PayPending, "200": backend.PayPaid}

var ymcartShipStates = map[string]backend.FulfillmentState{"0": backend.FulUnfulfilled, "301": backend.FulFulfilled}

// ymcartRestate derives state, label and payment status from RawStatus.
func ymcartRestate(o *backend.Order) {
	row := ymcartStates[o.RawStatus["order_status"]]
	st := row.state
	if p, ok := ymcartPayStates[o.RawStatus["payment_status"]]; ok {
		st.Payment = p
	}
	if f, ok := ymcartShipStates[o.RawStatus["shipping_status"]]; ok {
		st.Fulfillment = f
	}
	o.State = st
	o.StatusLabel = o.RawStatus["order_status"] + " " + row.label
	for i := range o.Payments {
		o.Payments[i].Status = string(st.Payment)
		o.Payments[i].PaidAt = o.PaidAt
	}
}

// ymcartPayMethods names the generator's payment methods as the shop does;
// ymcartPayIDs are their payment_id.
var ymcartPayMethods = map[string]string{"paypal_standard": "PayPal", "stripe": "Credit Card", "cod": "Cash on Delivery"}

var ymcartPayIDs = map[string]int{"PayPal": 142, "Credit Card": 150, "Cash on Delivery": 160}

var ymcartCountries = map[string]struct {
	id   int
	iso3 string
}{
	"US": {223, "USA"}, "CN": {45, "CHN"}, "JP": {107, "JPN"}, "DE": {81, "DEU"}, "GB": {222, "GBR"}, "FR": {73, "FRA"},
	"KR": {113, "KOR"}, "RU": {176, "RUS"}, "AE": {221, "ARE"}, "AU": {13, "AUS"}, "BR": {30, "BRA"},
}

type ymcartCarrier struct {
	name, code string
	id         int
}

// ymcartCarriers are the shop's configured carriers (codeno selects one).
var ymcartCarriers = []ymcartCarrier{
	{"DHL", "dhl", 27}, {"UPS", "ups", 28}, {"FEDEX", "fedex", 29}, {"EMS", "ems", 30},
	{"China Post", "chinapost", 31}, {"SF Express", "sf", 35}, {"YunExpress", "yunexpress", 41},
}

func ymcartCarrierID(name string) int {
	for _, c := range ymcartCarriers {
		if strings.EqualFold(c.name, name) {
			return c.id
		}
	}
	return 0
}

// build gives generated order i its YMCart identity and reshapes it to what
// the wire can express (no province codes, one payment, remarks without
// author, variants joined by ", ").
func (y *ymcartSim) build(s *Server, o *backend.Order, i int) {
	plan := ymcartPlan[i%len(ymcartPlan)]
	first, last := ymcartPerson(o.Customer.Name)
	x := &ymcartExtra{
		id: 1000 + i, userID: 100 + i*7%53, registered: i%2 == 0, first: first, last: last,
		ip: 0x5B000000 + uint32(i)*2654435761%0xFFFFFF, acted: i%3 != 0,
		billingOnly: i%10 == 7, telOnly: i%11 == 4 && i%10 != 7, whatsapp: i%3 == 1,
	}
	o.ID = strconv.Itoa(x.id)
	o.Number = "SY" + o.CreatedAt.In(s.Opt.Timezone).Format("20060102") + "-" + o.ID
	o.RawStatus = map[string]string{"order_status": plan.order, "payment_status": plan.pay, "shipping_status": plan.ship}
	y.buildTimes(o, x, i)
	y.buildMoney(o, x, i)
	ymcartBuildParties(o, x)
	for k := range o.Items {
		o.Items[k].Variant = strings.ReplaceAll(o.Items[k].Variant, " / ", ", ")
	}
	switch {
	case i%5 == 2:
		o.Tags = []string{"marked"}
	case i%15 == 4:
		o.Tags = []string{"marked:2"}
	}
	ymcartRestate(o)
	y.extra[o.Number] = x
}

// buildTimes sets payment, shipments, remarks and the last change.
func (y *ymcartSim) buildTimes(o *backend.Order, x *ymcartExtra, i int) {
	latest := *o.CreatedAt
	if o.RawStatus["payment_status"] == "200" {
		o.PaidAt = backend.UTC(latest.Add(time.Duration(10+i%50) * time.Minute))
		latest = *o.PaidAt
	}
	if o.RawStatus["shipping_status"] == "301" {
		n := 1
		if i%6 == 2 {
			n = 2
		}
		for k := range n {
			carrier, number := trackingFor(i + 7*k)
			at := o.PaidAt.Add(12*time.Hour + time.Duration(k)*time.Hour)
			o.Shipments = append(o.Shipments, backend.Shipment{Carrier: carrier, TrackingNumber: number, ShippedAt: backend.UTC(at)})
			x.dels = append(x.dels, ymcartDel{id: y.nextDelivery, stamped: i%2 == 0})
			y.nextDelivery++
			latest = at
		}
	}
	if i%7 == 3 {
		o.Remarks = append(o.Remarks, backend.Remark{Text: "VIP customer: check the address twice", Author: "admin", Visibility: backend.Internal})
	}
	if i%4 == 1 {
		at := o.CreatedAt.Add(2 * time.Hour)
		o.Remarks = append(o.Remarks, backend.Remark{Text: "Customer asked for gift wrapping", At: backend.UTC(at), Visibility: backend.Internal})
		x.acted = true
		latest = ymcartLater(latest, at)
	}
	if plan := o.RawStatus["order_status"]; plan == "301" || plan == "600" || plan == "700" {
		x.acted = true
	}
	if x.acted {
		latest = ymcartLater(latest, *o.UpdatedAt)
	}
	o.UpdatedAt = backend.UTC(latest)
}

// buildMoney adds the payment fee (PayPal) and shipping insurance (every
// third order) into fee and grand total, as total_amount includes them.
func (y *ymcartSim) buildMoney(o *backend.Order, x *ymcartExtra, i int) {
	cur := o.Currency
	grand, _ := o.Totals.GrandTotal.Minor()
	sub, _ := o.Totals.Subtotal.Minor()
	var fee, ins int64
	if o.Payments[0].Method == "paypal_standard" {
		fee = grand * 3 / 100
	}
	if i%3 == 0 {
		ins = sub / 100
	}
	x.payFee = backend.AmountFromMinor(fee, cur)
	o.Totals.Fee = backend.AmountFromMinor(fee+ins, cur)
	o.Totals.GrandTotal = backend.AmountFromMinor(grand+fee+ins, cur)
	p := &o.Payments[0]
	p.Method = ymcartPayMethods[p.Method]
	p.Amount = o.Totals.GrandTotal
	x.tradeNo = fmt.Sprintf("T%s%04d", o.CreatedAt.Format("060102"), i)
	if o.PaidAt != nil {
		p.TransactionID = fmt.Sprintf("PAYID-M%08X", uint32(i)*2246822519)
		if i%6 == 0 {
			p.TransactionID = x.tradeNo
		}
	}
}

// ymcartBuildParties: names from first/last, no province codes, billing-
// only orders (the seed's shape) whose shipping address is the billing row.
func ymcartBuildParties(o *backend.Order, x *ymcartExtra) {
	name := ymcartName(x.first, x.last)
	for _, a := range []*backend.Address{o.ShippingAddress, o.BillingAddress} {
		if a != nil {
			a.Name, a.ProvinceCode = name, ""
		}
	}
	if x.billingOnly {
		if o.BillingAddress == nil {
			b := *o.ShippingAddress
			o.BillingAddress = &b
		}
		sh := *o.BillingAddress
		o.ShippingAddress = &sh
	}
	if !x.registered {
		o.Customer.Name = name
	}
}

// ymcartPerson finds the generated person's first and last name.
func ymcartPerson(full string) (string, string) {
	for _, p := range people {
		if p.full == full {
			return p.first, p.last
		}
	}
	first, last, _ := strings.Cut(full, " ")
	return first, last
}

// ymcartName: "first last"; CJK names family first, no space.
func ymcartName(first, last string) string {
	isCJK := func(s string) bool {
		return s != "" && strings.IndexFunc(s, func(r rune) bool {
			return !unicode.In(r, unicode.Han, unicode.Hiragana, unicode.Katakana, unicode.Hangul)
		}) < 0
	}
	if isCJK(first) && isCJK(last) {
		return last + first
	}
	return strings.TrimSpace(first + " " + last)
}

func ymcartLater(a, b time.Time) time.Time {
	if b.After(a) {
		return b
	}
	return a
}

func (y *ymcartSim) routes(s *Server, mux *http.ServeMux) {
	handle := func(name string, fn func(*Server, url.Values) ymcartRow) {
		mux.HandleFunc("/api-erp-"+name+".html", func(w http.ResponseWriter, r *http.Request) {
			f := ymcartForm(r)
			if subtle.ConstantTimeCompare([]byte(f.Get("token")), []byte(s.Opt.Token)) != 1 {
				ymcartWrite(w, http.StatusOK, ymcartErr(403, "token_error"))
				return
			}
			ymcartWrite(w, http.StatusOK, fn(s, f))
		})
	}
	handle("orderList", y.orderList)
	handle("deliveryList", y.deliveryList)
	handle("orderStatus", y.orderStatus)
	handle("orderRemark", y.orderRemark)
	handle("orderShip", y.orderShip)
}

// ymcartForm is PHP's $_POST: the body of a POST, form-encoded or
// multipart; nothing from the query string.
func ymcartForm(r *http.Request) url.Values {
	if r.Method != http.MethodPost {
		return url.Values{}
	}
	mt, _, _ := mime.ParseMediaType(r.Header.Get("Content-Type"))
	switch mt {
	case "application/x-www-form-urlencoded":
		if err := r.ParseForm(); err == nil {
			return r.PostForm
		}
	case "multipart/form-data":
		if err := r.ParseMultipartForm(8 << 20); err == nil {
			return url.Values(r.MultipartForm.Value)
		}
	}
	return url.Values{}
}

var ymcartWrites = []string{"/api-erp-orderStatus.html", "/api-erp-orderRemark.html", "/api-erp-orderShip.html", "/api-erp-orderEdit.html"}

func (*ymcartSim) isWrite(r *http.Request) bool { return slices.Contains(ymcartWrites, r.URL.Path) }

func (*ymcartSim) tooMany(w http.ResponseWriter, d time.Duration) {
	if d > 0 {
		w.Header().Set("Retry-After", strconv.Itoa(int((d+time.Second-1)/time.Second)))
	}
	ymcartWrite(w, http.StatusTooManyRequests, ymcartErr(429, "too_many_requests"))
}

func (*ymcartSim) fail(w http.ResponseWriter, status int) {
	ymcartWrite(w, status, ymcartErr(status, strings.ToLower(strings.ReplaceAll(http.StatusText(status), " ", "_"))))
}

func (*ymcartSim) expireTokens() {} // the ERP token is static

func ymcartErr(code int, msg string) ymcartRow {
	return ymcartRow{{key: "code", val: code}, {key: "msg", val: msg}}
}

// ymcartKV is one key of a wire row; twin adds the numeric FETCH_BOTH key.
type ymcartKV struct {
	key  string
	val  any
	twin bool
}

type ymcartRow []ymcartKV

// ymcartBoth builds a FETCH_BOTH row from key, value pairs.
func ymcartBoth(pairs ...any) ymcartRow {
	r := make(ymcartRow, 0, len(pairs)/2)
	for i := 0; i+1 < len(pairs); i += 2 {
		r = append(r, ymcartKV{key: pairs[i].(string), val: pairs[i+1], twin: true})
	}
	return r
}

// with adds fields without a numeric twin.
func (r ymcartRow) with(pairs ...any) ymcartRow {
	for i := 0; i+1 < len(pairs); i += 2 {
		r = append(r, ymcartKV{key: pairs[i].(string), val: pairs[i+1]})
	}
	return r
}

func ymcartWrite(w http.ResponseWriter, status int, v ymcartRow) {
	var b bytes.Buffer
	ymcartEncode(&b, v)
	w.Header().Set("Content-Type", "text/html; charset=utf-8")
	w.WriteHeader(status)
	_, _ = w.Write(b.Bytes())
}

// ymcartEncode writes JSON in key order, the way the shop's PHP does.
func ymcartEncode(b *bytes.Buffer, v any) {
	switch v := v.(type) {
	case nil:
		b.WriteString("null")
	case string:
		ymcartString(b, v)
	case int:
		b.WriteString(strconv.Itoa(v))
	case ymcartRow:
		b.WriteByte('{')
		n := 0
		for i, f := range v {
			if i > 0 {
				b.WriteByte(',')
			}
			if f.twin {
				ymcartString(b, strconv.Itoa(n))
				b.WriteByte(':')
				ymcartEncode(b, f.val)
				b.WriteByte(',')
				n++
			}
			ymcartString(b, f.key)
			b.WriteByte(':')
			ymcartEncode(b, f.val)
		}
		b.WriteByte('}')
	case []ymcartRow:
		b.WriteByte('[')
		for i, r := range v {
			if i > 0 {
				b.WriteByte(',')
			}
			ymcartEncode(b, r)
		}
		b.WriteByte(']')
	default:
		panic(fmt.Sprintf("ymcartEncode: %T", v))
	}
}

// ymcartString escapes like PHP's json_encode with unescaped slashes:
// non-ASCII as \uXXXX.
func ymcartString(b *bytes.Buffer, s string) {
	b.WriteByte('"')
	for _, r := range s {
		switch {
		case r == '"' || r == '\\':
			b.WriteByte('\\')
			b.WriteRune(r)
		case r < 0x20:
			fmt.Fprintf(b, `\u%04x`, r)
		case r < 0x80:
			b.WriteRune(r)
		case r > 0xFFFF:
			r1, r2 := utf16.EncodeRune(r)
			fmt.Fprintf(b, `\u%04x\u%04x`, r1, r2)
		default:
			fmt.Fprintf(b, `\u%04x`, r)
		}
	}
	b.WriteByte('"')
}

// ymcartStr reads a JSON value the way PHP's loose typing does.
func ymcartStr(v any) string {
	switch v := v.(type) {
	case string:
		return v
	case float64:
		return strconv.FormatFloat(v, 'f', -1, 64)
	}
	return ""
}

// ymcartMoney is an amount with the wire's 4 decimals.
func ymcartMoney(a backend.Amount) string { return a.Fixed(4) }

// ymcartKg writes grams as kilograms with 4 decimals.
func ymcartKg(g int64) string { return fmt.Sprintf("%d.%04d", g/1000, g%1000*10) }

// orderRow renders one order from the truth; the caller holds s.mu.
func (y *ymcartSim) orderRow(o *backend.Order) ymcartRow {
	x := y.extra[o.Number]
	pay := ymcartPayment(o)
	payID := ymcartPayIDs[pay.Method]
	var userName, admin any
	if x.registered {
		userName = o.Customer.Name
	}
	if len(o.Remarks) > 0 && o.Remarks[0].Author == "admin" {
		admin = o.Remarks[0].Text
	}
	var grams int64
	for _, it := range o.Items {
		grams += it.WeightG * int64(it.Qty)
	}
	act := "0"
	if x.acted {
		act = unixStr(o.UpdatedAt)
	}
	corp := "0"
	if n := len(o.Shipments); n > 0 {
		corp = strconv.Itoa(ymcartCarrierID(o.Shipments[n-1].Carrier))
	}
	marked := "0"
	if len(o.Tags) > 0 {
		marked = cmp.Or(strings.TrimPrefix(strings.TrimPrefix(o.Tags[0], "marked"), ":"), "1")
	}
	ins := o.Totals.Fee.Sub(x.payFee)
	row := ymcartBoth(
		"id", o.ID, "itemno", o.Number, "outer_itemno", nil, "store_id", "24073",
		"user_id", strconv.Itoa(x.userID), "user_name", userName,
		"order_status", o.RawStatus["order_status"], "payment_status", o.RawStatus["payment_status"],
		"shipping_status", o.RawStatus["shipping_status"], "account_descript", nil, "system_descript", nil,
		"admin_descript", admin, "total_weight", ymcartKg(grams), "currency_rate", ymcartRates[o.Currency],
		"shipping_id", "136", "shipping_method", "Standard Shipping", "shipping_corp_id", corp,
		"payment_id", strconv.Itoa(payID), "payment_method", pay.Method, "currency_code", o.Currency,
		"cost_product", ymcartMoney(o.Totals.Subtotal), "cost_shipping", ymcartMoney(o.Totals.Shipping),
		"cost_payment", ymcartMoney(x.payFee), "cost_insurance", ymcartMoney(ins),
		"cost_offer", ymcartMoney(o.Totals.Discount), "total_amount", ymcartMoney(o.Totals.GrandTotal),
		"country_id", strconv.Itoa(ymcartCountries[ymcartCountry(o)].id), "ip", strconv.FormatUint(uint64(x.ip), 10),
		"remark", o.BuyerNote, "marked", marked, "create_time", unixStr(o.CreatedAt), "pay_time", unixStr(o.PaidAt),
		"act_time", act, "source_device", []string{"pc", "phone", "pad"}[x.id%3], "source", "", "utm_source", "", "utm_medium", "",
	).with("shipping_corp_codeno", nil, "item", y.itemRows(o), "delivery", y.deliveryBlock(o), "address", y.addressRows(o, x))
	if o.PaidAt != nil {
		row = row.with("payment", []ymcartRow{y.paymentRow(o, x, payID)})
	}
	if !o.Totals.Discount.IsZero() {
		row = row.with("offer", []ymcartRow{ymcartBoth("id", o.ID, "order_id", o.ID, "store_id", "24073", "offer_id", "7",
			"base_name", "10% off", "offer_type", "1", "coupon", "", "remark", "", "amount", ymcartMoney(o.Totals.Discount), "is_return", "0")})
	}
	return row.with("order_remark", y.remarkRows(o))
}

var ymcartRates = map[string]string{"USD": "1.0000", "EUR": "0.9200", "GBP": "0.7900", "JPY": "150.0000", "CNY": "7.2000"}

func (y *ymcartSim) itemRows(o *backend.Order) []ymcartRow {
	rows := []ymcartRow{}
	for k, it := range o.Items {
		h := fnv.New32a()
		_, _ = h.Write([]byte(it.SKU))
		gid := 4900 + int(h.Sum32()%500)
		rows = append(rows, ymcartBoth("id", strconv.Itoa(ymcartRowID(o.ID)+k), "order_id", o.ID, "goods_id", strconv.Itoa(gid),
			"store_id", "24073", "goods_name", it.Title, "goods_codeno", it.SKU, "sku_code", fmt.Sprintf("%d_%d", gid*3, gid*3+k),
			"sku_codeno", it.SKU, "sku_value", strings.ReplaceAll(it.Variant, ", ", "<br />"), "buy_num", strconv.Itoa(it.Qty),
			"price", ymcartMoney(it.UnitPrice), "weight", ymcartKg(it.WeightG), "image", it.Image, "remark", ""))
	}
	return rows
}

// ymcartRowID numbers an order's item and address rows.
func ymcartRowID(id string) int {
	n, _ := strconv.Atoi(id)
	return n * 10
}

// ymcartPayment is the order's payment (an empty one if Mutate removed it).
func ymcartPayment(o *backend.Order) *backend.Payment {
	if len(o.Payments) == 0 {
		return &backend.Payment{}
	}
	return &o.Payments[0]
}

func ymcartCountry(o *backend.Order) string {
	if o.ShippingAddress == nil {
		return ""
	}
	return o.ShippingAddress.CountryCode
}

// deliveryBlock is null, one record, or an array of records.
func (y *ymcartSim) deliveryBlock(o *backend.Order) any {
	rows := y.deliveryRows(o)
	switch len(rows) {
	case 0:
		return nil
	case 1:
		return rows[0]
	}
	return rows
}

// deliveryRows renders an order's shipment records, giving records added
// to the truth by Mutate an id of their own.
func (y *ymcartSim) deliveryRows(o *backend.Order) []ymcartRow {
	x := y.extra[o.Number]
	var rows []ymcartRow
	for k, sh := range o.Shipments {
		if k >= len(x.dels) {
			x.dels = append(x.dels, ymcartDel{id: y.nextDelivery})
			y.nextDelivery++
		}
		d := x.dels[k]
		created, delivered := unixStr(sh.ShippedAt), "0"
		if d.stamped && sh.ShippedAt != nil {
			c := sh.ShippedAt.Add(-2 * time.Hour)
			created, delivered = unixStr(&c), unixStr(sh.ShippedAt)
		}
		rows = append(rows, ymcartBoth("id", strconv.Itoa(d.id), "store_id", "24073", "order_id", o.ID,
			"user_id", strconv.Itoa(x.userID), "delivery_no", sh.TrackingNumber, "shipping_corp_id", strconv.Itoa(ymcartCarrierID(sh.Carrier)),
			"shipping_corp_name", sh.Carrier, "shipping_cost", "0.0000", "create_time", created, "delivery_time", delivered, "remark", ""))
	}
	return rows
}

// addressRows: type 0 shipping and type 1 billing, or only a type 1 row.
func (y *ymcartSim) addressRows(o *backend.Order, x *ymcartExtra) []ymcartRow {
	var rows []ymcartRow
	add := func(typ string, a *backend.Address, shipping bool) {
		mobile, tel := a.Phone, a.Company
		if shipping && x.telOnly {
			mobile, tel = "", a.Phone
		} else if tel == "" && x.whatsapp {
			tel = a.Phone
		}
		c := ymcartCountries[a.CountryCode]
		rows = append(rows, ymcartBoth("id", strconv.Itoa(ymcartRowID(o.ID)+len(rows)), "order_id", o.ID, "store_id", "24073",
			"address_type", typ, "first_name", x.first, "last_name", x.last, "country_id", strconv.Itoa(c.id),
			"state", a.Province, "city", a.City, "address", a.Line1, "address_spare", a.Line2, "postcode", a.Zip,
			"mobilephone", mobile, "telephone", tel, "email", a.Email,
		).with("country_code_2", a.CountryCode, "country_code_3", c.iso3, "country_name", a.Country))
	}
	if x.billingOnly && o.BillingAddress != nil {
		add("1", o.BillingAddress, true)
		return rows
	}
	if o.ShippingAddress != nil {
		add("0", o.ShippingAddress, true)
	}
	if o.BillingAddress != nil {
		add("1", o.BillingAddress, false)
	}
	return rows
}

func (y *ymcartSim) paymentRow(o *backend.Order, x *ymcartExtra, payID int) ymcartRow {
	gateway := ymcartPayment(o).TransactionID
	if gateway == x.tradeNo {
		gateway = ""
	}
	return ymcartBoth("id", o.ID, "order_id", o.ID, "trade_no", x.tradeNo, "pay_method_no", gateway,
		"create_time", unixStr(o.PaidAt), "payment_id", strconv.Itoa(payID), "payment_method", ymcartPayment(o).Method, "remark", "")
}

func (y *ymcartSim) remarkRows(o *backend.Order) []ymcartRow {
	rows := []ymcartRow{}
	for k, r := range o.Remarks {
		if k == 0 && r.Author == "admin" {
			continue
		}
		rows = append(rows, ymcartBoth("id", strconv.Itoa(ymcartRowID(o.ID)*10+k), "order_id", o.ID, "store_id", "24073",
			"remark", r.Text, "create_time", unixStr(r.At)))
	}
	return rows
}

// orderList: filters, then id ascending (order_by 1: pay_time ascending),
// then the page.
func (y *ymcartSim) orderList(s *Server, f url.Values) ymcartRow {
	page, size, ok := ymcartPaging(f, false)
	if !ok {
		return ymcartErr(1, "page_error")
	}
	match, msg := ymcartFilter(f, s.Opt.Timezone)
	if msg != "" {
		return ymcartErr(1, msg)
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	var hits []*backend.Order
	for _, o := range s.orders {
		if match(o, y.extra[o.Number]) {
			hits = append(hits, o)
		}
	}
	if f.Get("order_by") == "1" {
		unix := func(t *time.Time) int64 {
			if t == nil {
				return 0
			}
			return t.Unix()
		}
		slices.SortStableFunc(hits, func(a, b *backend.Order) int { return cmp.Compare(unix(a.PaidAt), unix(b.PaidAt)) })
	}
	rows := []ymcartRow{}
	for _, o := range ymcartPage(hits, page, size) {
		rows = append(rows, y.orderRow(o))
	}
	return ymcartRow{{key: "code", val: 0}, {key: "count", val: strconv.Itoa(len(hits))}, {key: "data", val: rows}}
}

func ymcartPage[T any](all []T, page, size int) []T {
	from := min((page-1)*size, len(all))
	return all[from:min(from+size, len(all))]
}

// ymcartPaging reads page_no and page_size (default 1 and 50, at most 200;
// deliveryList requires both).
func ymcartPaging(f url.Values, required bool) (page, size int, ok bool) {
	read := func(key string, def int) (int, bool) {
		v := strings.TrimSpace(f.Get(key))
		if v == "" {
			return def, !required
		}
		n, err := strconv.Atoi(v)
		return n, err == nil && n >= 1
	}
	page, ok1 := read("page_no", 1)
	size, ok2 := read("page_size", 50)
	return page, min(size, 200), ok1 && ok2
}

// ymcartFilter builds the orderList filter, or names the bad parameter.
func ymcartFilter(f url.Values, loc *time.Location) (func(*backend.Order, *ymcartExtra) bool, string) {
	list := func(key string) []string {
		var out []string
		for _, v := range strings.Split(f.Get(key), ",") {
			if v = strings.TrimSpace(v); v != "" {
				out = append(out, v)
			}
		}
		return out
	}
	numbers, statuses, payIDs := list("itemno"), list("order_status"), list("payment_id")
	tt := f.Get("time_type")
	if tt != "" && tt != "1" && tt != "2" {
		return nil, "time_type_error"
	}
	day := func(key string) (*time.Time, bool) {
		v := strings.TrimSpace(f.Get(key))
		if v == "" {
			return nil, true
		}
		t, err := time.ParseInLocation("2006-1-2", v, loc)
		return &t, err == nil
	}
	start, ok1 := day("start_time")
	end, ok2 := day("end_time")
	if !ok1 || !ok2 {
		return nil, "time_error"
	}
	return func(o *backend.Order, x *ymcartExtra) bool {
		if len(numbers) > 0 && !slices.Contains(numbers, o.Number) ||
			len(statuses) > 0 && !slices.Contains(statuses, o.RawStatus["order_status"]) ||
			len(payIDs) > 0 && !slices.Contains(payIDs, strconv.Itoa(ymcartPayIDs[ymcartPayment(o).Method])) {
			return false
		}
		t := map[string]*time.Time{"": o.CreatedAt, "1": o.PaidAt, "2": o.UpdatedAt}[tt]
		if tt == "2" && !x.acted {
			t = nil
		}
		if start != nil && (t == nil || t.Before(*start)) {
			return false
		}
		return end == nil || t != nil && t.Before(end.AddDate(0, 0, 1))
	}, ""
}

// deliveryList: every shipment record, id descending, ids <= max_id.
func (y *ymcartSim) deliveryList(s *Server, f url.Values) ymcartRow {
	page, size, ok := ymcartPaging(f, true)
	maxID, err := strconv.Atoi(cmp.Or(strings.TrimSpace(f.Get("max_id")), "0"))
	if !ok || err != nil {
		return ymcartErr(1, "page_error")
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	var rows []ymcartRow
	for _, o := range s.orders {
		for _, r := range y.deliveryRows(o) {
			if id, _ := strconv.Atoi(r[0].val.(string)); maxID <= 0 || id <= maxID {
				rows = append(rows, r)
			}
		}
	}
	slices.SortFunc(rows, func(a, b ymcartRow) int {
		ia, _ := strconv.Atoi(a[0].val.(string))
		ib, _ := strconv.Atoi(b[0].val.(string))
		return ib - ia
	})
	return ymcartRow{{key: "code", val: 0}, {key: "count", val: strconv.Itoa(len(rows))}, {key: "data", val: append([]ymcartRow{}, ymcartPage(rows, page, size)...)}}
}

// ymcartApply applies one batch entry to an order and returns its msg.
type ymcartApply func(s *Server, o *backend.Order, x *ymcartExtra, e map[string]any, now time.Time) string

// batch runs a write: the JSON array in one form field, at most 20 orders,
// one msg per order.
func (y *ymcartSim) batch(s *Server, f url.Values, field string, apply ymcartApply) ymcartRow {
	var entries []map[string]any
	if err := json.Unmarshal([]byte(f.Get(field)), &entries); err != nil || len(entries) == 0 {
		return ymcartErr(1, field+"_error")
	}
	if len(entries) > 20 {
		return ymcartErr(1, field+"_limit_20")
	}
	now := time.Now().UTC().Truncate(time.Second)
	s.mu.Lock()
	defer s.mu.Unlock()
	msgs := []ymcartRow{}
	for _, e := range entries {
		n := ymcartStr(e["itemno"])
		msg := "order_404"
		if o := s.lockedOrder(n); o != nil {
			if msg = apply(s, o, y.extra[n], e, now); msg == "success" {
				o.UpdatedAt = backend.UTC(now)
				y.extra[n].acted = true
				ymcartRestate(o)
			}
		}
		msgs = append(msgs, ymcartRow{{key: "itemno", val: n}, {key: "msg", val: msg}})
	}
	return ymcartRow{{key: "code", val: 0}, {key: "msg", val: msgs}}
}

func (y *ymcartSim) orderStatus(s *Server, f url.Values) ymcartRow {
	return y.batch(s, f, "status_res", func(s *Server, o *backend.Order, x *ymcartExtra, e map[string]any, now time.Time) string {
		st := ymcartStr(e["status"])
		if !slices.Contains([]string{"100", "102", "200", "600", "700"}, st) {
			return "status_error"
		}
		o.RawStatus["order_status"] = st
		if st == "100" || st == "102" || st == "200" {
			o.RawStatus["payment_status"] = st
		}
		if st == "200" {
			if o.PaidAt == nil {
				o.PaidAt = backend.UTC(now)
			}
			p := ymcartPayment(o)
			p.TransactionID = cmp.Or(ymcartStr(e["transaction_id"]), p.TransactionID, x.tradeNo)
		}
		s.lockedApplied(o, true)
		return "success"
	})
}

func (y *ymcartSim) orderRemark(s *Server, f url.Values) ymcartRow {
	return y.batch(s, f, "remark_res", func(s *Server, o *backend.Order, x *ymcartExtra, e map[string]any, now time.Time) string {
		text := strings.TrimSpace(ymcartStr(e["remark"]))
		if text == "" {
			return "remark_error"
		}
		o.Remarks = append(o.Remarks, backend.Remark{Text: text, At: backend.UTC(now), Visibility: backend.Internal})
		s.lockedApplied(o, false)
		return "success"
	})
}

// orderShip: only paid (200) or shipped (301) orders; adds a record and
// marks the order shipped. remark_user is accepted and not shown anywhere.
func (y *ymcartSim) orderShip(s *Server, f url.Values) ymcartRow {
	return y.batch(s, f, "shipno_res", func(s *Server, o *backend.Order, x *ymcartExtra, e map[string]any, now time.Time) string {
		no := strings.TrimSpace(ymcartStr(e["delivery_no"]))
		name, code := strings.TrimSpace(ymcartStr(e["shipping_corp_name"])), strings.TrimSpace(ymcartStr(e["shipping_corp_codeno"]))
		if st := o.RawStatus["order_status"]; st != "200" && st != "301" {
			return "order_status_limit"
		}
		if no == "" {
			return "delivery_no_error"
		}
		if code != "" {
			i := slices.IndexFunc(ymcartCarriers, func(c ymcartCarrier) bool { return c.code == code })
			if i < 0 {
				return "shipping_corp_404"
			}
			name = ymcartCarriers[i].name
		}
		if name == "" {
			return "shipping_corp_error"
		}
		o.Shipments = append(o.Shipments, backend.Shipment{Carrier: name, TrackingNumber: no, ShippedAt: backend.UTC(now)})
		x.dels = append(x.dels, ymcartDel{id: y.nextDelivery})
		y.nextDelivery++
		o.RawStatus["order_status"], o.RawStatus["shipping_status"] = "301", "301"
		s.lockedApplied(o, true)
		return "success"
	})
}
