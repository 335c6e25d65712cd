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
	"crypto/subtle"
	"encoding/json"
	"fmt"
	"mime"
	"net/http"
	"net/url"
	"slices"
	"strconv"
	"strings"
	"time"

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
	name := backend.PersonName(x.first, x.last)
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

// ymcartKept is what writes change beyond the order: whether an action
// set act_time, and the delivery records.
type ymcartKept struct {
	Acted      bool                 `json:"acted,omitempty"`
	Deliveries []ymcartKeptDelivery `json:"deliveries,omitempty"`
}

type ymcartKeptDelivery struct {
	ID      int  `json:"id"`
	Stamped bool `json:"stamped,omitempty"`
}

func (y *ymcartSim) keep(_ int, number string) any {
	x := y.extra[number]
	k := ymcartKept{Acted: x.acted}
	for _, d := range x.dels {
		k.Deliveries = append(k.Deliveries, ymcartKeptDelivery{ID: d.id, Stamped: d.stamped})
	}
	return k
}

func (y *ymcartSim) restore(_ int, number string, raw json.RawMessage) error {
	var k ymcartKept
	if err := keptDecode(raw, &k); err != nil {
		return err
	}
	x := y.extra[number]
	x.acted, x.dels = k.Acted, nil
	for _, d := range k.Deliveries {
		if d.ID <= 0 || d.ID >= y.nextDelivery {
			return fmt.Errorf("delivery record %d is not below the next id %d", d.ID, y.nextDelivery)
		}
		x.dels = append(x.dels, ymcartDel{id: d.ID, stamped: d.Stamped})
	}
	return nil
}

// ymcartNextDelivery names the counter of delivery record ids.
const ymcartNextDelivery = "next_delivery"

func (y *ymcartSim) counters() map[string]int {
	return map[string]int{ymcartNextDelivery: y.nextDelivery}
}

func (y *ymcartSim) setCounters(c map[string]int) error {
	n, ok := c[ymcartNextDelivery]
	if !ok || len(c) != 1 || n < y.nextDelivery {
		return fmt.Errorf("shop counters %v: want %s of at least %d", c, ymcartNextDelivery, y.nextDelivery)
	}
	y.nextDelivery = n
	return nil
}
