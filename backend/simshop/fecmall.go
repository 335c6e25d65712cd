package simshop

// Fecmall / VanMall / Fecify open API (PLATFORMS.md §2, seed 001): a
// read-only API under /manager/api/apps/openapi/order/ with the header
// open-access-token. Where the docs are silent this simulation chooses, and
// the adapter's package doc repeats:
//
//   - errors are HTTP 200 bodies {"code":N,"message":...,"data":null}: a bad
//     or missing token is code 401 "invalid open-access-token", an unknown
//     order code 404 "order not found", a bad parameter code 400;
//   - an injected status or the rate limit answers with that HTTP status and
//     a {"code":status,"message":...} body (429 with Retry-After);
//   - order/list holds the paid orders (payment_status 3, 4, 5) and
//     order/get-pending-order-list the others (1, 2); both newest first,
//     pageSize default 20, capped at 100, created_at_begin/end inclusive and
//     strictly "YYYY-MM-DD HH:MM:SS" shop-local; other filters are ignored;
//   - list rows are order_info objects with items, addresses and the order's
//     pay_txn_id (FecmallSetBareListRows removes them, to exercise the
//     adapter's fallback to order/info);
//   - payment_fee is in the order currency and part of curr_grand_total;
//   - there are no write endpoints: anything but GET is a write and gets
//     HTTP 404.

import (
	"fmt"
	"net/http"
	"slices"
	"strconv"
	"strings"
	"time"
	"unicode"

	"orderdesk/backend"
)

const fecmallPrefix = "/manager/api/apps/openapi/order/"

type fecmallSim struct {
	names    map[string][2]string // order number → first, last name on the wire
	bareRows bool                 // list rows without items, addresses, pay_txn_id
}

func newFecmall() *fecmallSim { return &fecmallSim{names: map[string][2]string{}} }

// FecmallSetBareListRows makes the Fecmall lists send rows without items,
// addresses and pay_txn_id (whether real rows carry them is unconfirmed).
// It reports false when s is not a Fecmall shop.
func FecmallSetBareListRows(s *Server, bare bool) bool {
	s.mu.Lock()
	defer s.mu.Unlock()
	f, ok := s.plat.(*fecmallSim)
	if ok {
		f.bareRows = bare
	}
	return ok
}

// fecmallCycle is the raw status of generated order i (i modulo its length):
// every value of the three axes appears, and paid-but-unshipped is the most
// common.
var fecmallCycle = [][3]int{
	{2, 3, 2}, {2, 2, 1}, {2, 3, 2}, {1, 1, 1}, {2, 3, 5}, {2, 3, 2}, {2, 3, 3},
	{2, 3, 4}, {4, 2, 1}, {2, 3, 2}, {2, 3, 6}, {2, 3, 7}, {3, 3, 7}, {2, 2, 1},
	{2, 4, 5}, {2, 3, 2}, {4, 5, 8}, {2, 5, 2}, {2, 3, 5}, {3, 5, 8}, {2, 3, 2},
}

// What the adapter must read off each raw code (its package doc explains).
var (
	fecmallOrderAxis = map[int]struct {
		state    backend.OrderState
		archived bool
		label    string
	}{
		1: {backend.OrderDraft, false, "checkout"}, 2: {backend.OrderOpen, false, "open"},
		3: {backend.OrderOpen, true, "archived"}, 4: {backend.OrderCancelled, false, "cancelled"},
	}
	fecmallPaymentAxis = map[int]struct {
		state backend.PaymentState
		label string
	}{
		1: {backend.PayUnpaid, "no payment yet"}, 2: {backend.PayUnpaid, "awaiting payment"},
		3: {backend.PayPaid, "paid"}, 4: {backend.PayPartiallyRefunded, "partly refunded"},
		5: {backend.PayRefunded, "refunded"},
	}
	fecmallFulfillmentAxis = map[int]struct {
		state backend.FulfillmentState
		label string
	}{
		1: {backend.FulUnfulfilled, "not shipped"}, 2: {backend.FulUnfulfilled, "awaiting shipment"},
		3: {backend.FulOnHold, "on hold"}, 4: {backend.FulPartial, "partly shipped"},
		5: {backend.FulFulfilled, "shipped"}, 6: {backend.FulFulfilled, "partly received"},
		7: {backend.FulDelivered, "received"}, 8: {backend.FulReturned, "returned"},
	}
)

func (f *fecmallSim) build(s *Server, o *backend.Order, i int) {
	st := fecmallCycle[i%len(fecmallCycle)]
	o.ID = strconv.Itoa(1422 + i)
	o.Number = fmt.Sprintf("B%d", 203153596224752+int64(i)*7919)
	o.RawStatus = map[string]string{"order_status": strconv.Itoa(st[0]), "payment_status": strconv.Itoa(st[1]), "fulfillment_status": strconv.Itoa(st[2])}
	oa, pa, fa := fecmallOrderAxis[st[0]], fecmallPaymentAxis[st[1]], fecmallFulfillmentAxis[st[2]]
	o.State = backend.State{Order: oa.state, Archived: oa.archived, Payment: pa.state, Fulfillment: fa.state}
	o.StatusLabel = oa.label + ", " + pa.label + ", " + fa.label

	first, last := o.Customer.Name, ""
	for _, p := range people {
		if p.full == o.Customer.Name {
			first, last = p.first, p.last
		}
	}
	f.names[o.Number] = [2]string{first, last}
	name := fecmallName(first, last)
	o.Customer.Name = name
	f.reshapeAddresses(o, name, st[0] == 1)

	cur := o.Currency
	pay := &o.Payments[0]
	if pay.Method == "cod" {
		o.Totals.Fee = backend.AmountFromMinor(fecmallToOrder(200, cur), cur)
	}
	o.Totals.GrandTotal = o.Totals.Subtotal.Add(o.Totals.Shipping).Sub(o.Totals.Discount).Add(o.Totals.Fee)
	o.Base = &backend.Base{Currency: "USD", GrandTotal: fecmallToBase(o.Totals.GrandTotal, cur)}
	pay.Amount, pay.Status = o.Totals.GrandTotal, string(pa.state)
	if st[1] >= 3 {
		o.PaidAt = backend.UTC(o.CreatedAt.Add(7 * time.Minute))
		pay.PaidAt = o.PaidAt
		if pay.Method != "cod" {
			pay.TransactionID = fmt.Sprintf("PAYID-M%07dX", 4242000+i*31)
		}
	}
	if st[0] == 4 {
		o.CancelledAt = o.UpdatedAt
	}
	if st[2] >= 4 {
		o.Shipments = []backend.Shipment{{ShippedAt: backend.UTC(o.CreatedAt.Add(26 * time.Hour)), Status: "shipped"}}
	}
	switch {
	case i%7 == 3:
		o.Tags = []string{"wholesale", "repeat"}
	case i%5 == 2:
		o.Tags = []string{"vip"}
	}
}

// reshapeAddresses keeps what Fecmall's addresses carry: no e-mail, no
// province or country name, no phone on the billing address. A missing
// billing address is sent as [] with billing_is_use_shipping_address 1
// (billing = shipping), except on checkout-edit orders (flag 2: none).
func (f *fecmallSim) reshapeAddresses(o *backend.Order, name string, draft bool) {
	ship := o.ShippingAddress
	ship.Name, ship.Email, ship.Province, ship.Country = name, "", "", ""
	switch b := o.BillingAddress; {
	case b != nil:
		b.Name, b.Email, b.Province, b.Country, b.Phone = name, "", "", "", ""
	case !draft:
		same := *ship
		o.BillingAddress = &same
	}
}

// fecmallName is the name an ideal adapter derives from first and last name:
// East Asian names family name first without a space, others "first last".
func fecmallName(first, last string) string {
	for _, r := range first + last {
		if unicode.In(r, unicode.Han, unicode.Hangul, unicode.Hiragana, unicode.Katakana) {
			return last + first
		}
	}
	return strings.TrimSpace(first + " " + last)
}

// fecmallRate is the generator's rate of a currency: USD cents → minor units ×10⁴.
func fecmallRate(cur string) int64 {
	for _, c := range currencies {
		if c.code == cur {
			return c.rate
		}
	}
	return 10000
}

func fecmallToOrder(usdCents int64, cur string) int64 { return convert(usdCents, fecmallRate(cur)) }

// fecmallToBase converts an order-currency amount to the USD base currency.
func fecmallToBase(a backend.Amount, cur string) backend.Amount {
	minor, _ := a.Minor()
	return backend.AmountFromMinor(minor*10000/fecmallRate(cur), "USD")
}

func (f *fecmallSim) routes(s *Server, mux *http.ServeMux) {
	mux.HandleFunc("GET "+fecmallPrefix+"info", func(w http.ResponseWriter, r *http.Request) { f.info(s, w, r) })
	mux.HandleFunc("GET "+fecmallPrefix+"list", func(w http.ResponseWriter, r *http.Request) { f.list(s, w, r, true) })
	mux.HandleFunc("GET "+fecmallPrefix+"get-pending-order-list", func(w http.ResponseWriter, r *http.Request) { f.list(s, w, r, false) })
	mux.HandleFunc("/", func(w http.ResponseWriter, r *http.Request) {
		writeJSON(w, http.StatusNotFound, fecmallErr{Code: http.StatusNotFound, Message: "page not found"})
	})
}

func (*fecmallSim) isWrite(r *http.Request) bool {
	return r.Method != http.MethodGet && r.Method != http.MethodHead
}

func (*fecmallSim) tooMany(w http.ResponseWriter, d time.Duration) {
	if d > 0 {
		w.Header().Set("Retry-After", strconv.Itoa(int((d+time.Second-1)/time.Second)))
	}
	writeJSON(w, http.StatusTooManyRequests, fecmallErr{Code: http.StatusTooManyRequests, Message: "too many requests"})
}

func (*fecmallSim) fail(w http.ResponseWriter, status int) {
	writeJSON(w, status, fecmallErr{Code: status, Message: http.StatusText(status)})
}

// expireTokens: open-access-tokens are static (created in the admin).
func (*fecmallSim) expireTokens() {}

type fecmallErr struct {
	Code    int    `json:"code"`
	Message string `json:"message"`
	Data    any    `json:"data"`
}

type fecmallOK struct {
	Code    int    `json:"code"`
	Data    any    `json:"data"`
	Message string `json:"message"`
}

// fecmallAuthed answers the HTTP-200 auth error unless the token is right.
func fecmallAuthed(s *Server, w http.ResponseWriter, r *http.Request) bool {
	if r.Header.Get("open-access-token") == s.Opt.Token {
		return true
	}
	writeJSON(w, http.StatusOK, fecmallErr{Code: 401, Message: "invalid open-access-token"})
	return false
}

func (f *fecmallSim) info(s *Server, w http.ResponseWriter, r *http.Request) {
	if !fecmallAuthed(s, w, r) {
		return
	}
	number := r.URL.Query().Get("order_number")
	if number == "" {
		writeJSON(w, http.StatusOK, fecmallErr{Code: 400, Message: "order_number is required"})
		return
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	o := s.lockedOrder(number)
	if o == nil {
		writeJSON(w, http.StatusOK, fecmallErr{Code: 404, Message: "order not found"})
		return
	}
	row := f.wire(s, o, true)
	txn := *row.PayTxnID
	row.PayTxnID = nil
	writeJSON(w, http.StatusOK, fecmallOK{Code: 200, Message: "success", Data: map[string]any{"order_info": row, "pay_txn_id": txn}})
}

func (f *fecmallSim) list(s *Server, w http.ResponseWriter, r *http.Request, paid bool) {
	if !fecmallAuthed(s, w, r) {
		return
	}
	q := r.URL.Query()
	page, size, err := fecmallPaging(q)
	var from, to *time.Time
	if err == nil {
		from, err = fecmallWindow(q, "created_at_begin", s.Opt.Timezone)
	}
	if err == nil {
		to, err = fecmallWindow(q, "created_at_end", s.Opt.Timezone)
	}
	if err != nil {
		writeJSON(w, http.StatusOK, fecmallErr{Code: 400, Message: err.Error()})
		return
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	var match []*backend.Order
	for _, o := range s.orders {
		p, _ := strconv.Atoi(o.RawStatus["payment_status"])
		if (p >= 3) == paid && (from == nil || !o.CreatedAt.Before(*from)) && (to == nil || !o.CreatedAt.After(*to)) {
			match = append(match, o)
		}
	}
	slices.SortStableFunc(match, func(a, b *backend.Order) int { return b.CreatedAt.Compare(*a.CreatedAt) })
	rows := []fecmallWireOrder{}
	for k := (page - 1) * size; k < len(match) && k < page*size; k++ {
		rows = append(rows, f.wire(s, match[k], !f.bareRows))
	}
	pages := (len(match) + size - 1) / size
	writeJSON(w, http.StatusOK, fecmallOK{Code: 200, Message: "success", Data: map[string]any{
		"total": strconv.Itoa(len(match)), "pageSize": strconv.Itoa(size), "totalPage": strconv.Itoa(pages), "list": rows,
	}})
}

// fecmallPaging reads pageNum (default 1) and pageSize (default 20, at most 100).
func fecmallPaging(q map[string][]string) (page, size int, err error) {
	page, size = 1, 20
	for _, p := range []struct {
		name string
		v    *int
	}{{"pageNum", &page}, {"pageSize", &size}} {
		if vs := q[p.name]; len(vs) > 0 && vs[0] != "" {
			n, err := strconv.Atoi(vs[0])
			if err != nil || n < 1 {
				return 0, 0, fmt.Errorf("%s must be a positive integer", p.name)
			}
			*p.v = n
		}
	}
	return page, min(size, 100), nil
}

func fecmallWindow(q map[string][]string, name string, loc *time.Location) (*time.Time, error) {
	vs := q[name]
	if len(vs) == 0 || vs[0] == "" {
		return nil, nil
	}
	t, err := time.ParseInLocation(backend.NaiveLayout, vs[0], loc)
	if err != nil {
		return nil, fmt.Errorf("%s must be YYYY-MM-DD HH:MM:SS", name)
	}
	return &t, nil
}

// The wire shapes, in the field order of seed 001.
type fecmallWireOrder struct {
	ID                          int                `json:"id"`
	ShopID                      int                `json:"shop_id"`
	OrderNumber                 string             `json:"order_number"`
	ClientType                  int                `json:"client_type"`
	OrderStatus                 int                `json:"order_status"`
	PaymentStatus               int                `json:"payment_status"`
	FulfillmentStatus           int                `json:"fulfillment_status"`
	CheckoutType                int                `json:"checkout_type"`
	LangCode                    string             `json:"lang_code"`
	ItemsCount                  int                `json:"items_count"`
	Gram                        string             `json:"gram"`
	CurrencyCode                string             `json:"currency_code"`
	BaseCurrencyCode            string             `json:"base_currency_code"`
	OrderToBaseRate             string             `json:"order_to_base_rate"`
	CurrSubtotal                string             `json:"curr_subtotal"`
	BaseSubtotal                string             `json:"base_subtotal"`
	CurrShippingTotal           string             `json:"curr_shipping_total"`
	BaseShippingTotal           string             `json:"base_shipping_total"`
	CurrSubtotalWithDiscount    string             `json:"curr_subtotal_with_discount"`
	BaseSubtotalWithDiscount    string             `json:"base_subtotal_with_discount"`
	CurrGrandTotal              string             `json:"curr_grand_total"`
	BaseGrandTotal              string             `json:"base_grand_total"`
	CustomerType                int                `json:"customer_type"`
	CustomerID                  int                `json:"customer_id"`
	CustomerEmail               string             `json:"customer_email"`
	CustomerPhone               string             `json:"customer_phone"`
	CouponCode                  string             `json:"coupon_code"`
	DiscountSet                 []any              `json:"discount_set"`
	PaymentMethod               string             `json:"payment_method"`
	PaymentPositionType         int                `json:"payment_position_type"`
	PaymentFee                  string             `json:"payment_fee"`
	ShippingMethodID            int                `json:"shipping_method_id"`
	ShippingMethodName          string             `json:"shipping_method_name"`
	Note                        string             `json:"note"`
	CancelledAt                 int64              `json:"cancelled_at"`
	CancelReason                int                `json:"cancel_reason"`
	PayedAt                     int64              `json:"payed_at"`
	CreatedAt                   string             `json:"created_at"`
	UpdatedAt                   string             `json:"updated_at"`
	BillingIsUseShippingAddress int                `json:"billing_is_use_shipping_address"`
	RecallStatus                int                `json:"recall_status"`
	RecalledAt                  int64              `json:"recalled_at"`
	FulfilledAt                 int64              `json:"fulfilled_at"`
	PostSaledAt                 int64              `json:"post_saled_at"`
	PostSaleStatus              int                `json:"post_sale_status"`
	Tags                        []string           `json:"tags"` // null when none, as in the seed
	FistLoadingURL              string             `json:"fist_loading_url"`
	AffiliateTrackingID         string             `json:"affiliate_tracking_id"`
	PayTxnID                    *string            `json:"pay_txn_id,omitempty"`
	Items                       *[]fecmallWireItem `json:"items,omitempty"`
	ShippingAddress             any                `json:"shippingAddress,omitempty"`
	BillingAddress              any                `json:"billingAddress,omitempty"`
}

type fecmallWireItem struct {
	ID           int    `json:"id"`
	OrderID      int    `json:"order_id"`
	ProductID    int    `json:"product_id"`
	VariantID    int    `json:"variant_id"`
	SKU          string `json:"sku"`
	VariantTitle string `json:"variant_title"`
	ProductTitle string `json:"product_title"`
	Image        string `json:"image"`
	Gram         string `json:"gram"`
	BasePrice    string `json:"base_price"`
	CurrPrice    string `json:"curr_price"`
	Qty          int    `json:"qty"`
	CurrRowPrice string `json:"curr_row_price"`
	RowGram      string `json:"row_gram"`
	BaseRowPrice string `json:"base_row_price"`
	IsReviewed   int    `json:"is_reviewed"`
}

type fecmallWireAddress struct {
	ID           int     `json:"id"`
	OrderID      int     `json:"order_id"`
	FirstName    string  `json:"first_name"`
	LastName     string  `json:"last_name"`
	Phone        *string `json:"phone,omitempty"` // shipping address only
	Company      string  `json:"company"`
	Address1     string  `json:"address_1"`
	Address2     string  `json:"address_2"`
	City         string  `json:"city"`
	CountryCode  string  `json:"country_code"`
	ProvinceCode string  `json:"province_code"`
	Zip          string  `json:"zip"`
}

// wire renders the truth as an order_info object; full adds items,
// addresses and pay_txn_id. The caller holds s.mu.
func (f *fecmallSim) wire(s *Server, o *backend.Order, full bool) fecmallWireOrder {
	id, _ := strconv.Atoi(o.ID)
	code := func(k string) int { n, _ := strconv.Atoi(o.RawStatus[k]); return n }
	cur, base := o.Currency, "USD"
	if o.Base != nil {
		base = o.Base.Currency
	}
	inBase := func(a backend.Amount) string { return fecmallToBase(a, cur).Fixed(2) }
	w := fecmallWireOrder{
		ID: id, ShopID: 15, OrderNumber: o.Number, ClientType: 1 + id%5, CheckoutType: 1 + id%3, LangCode: "en",
		OrderStatus: code("order_status"), PaymentStatus: code("payment_status"), FulfillmentStatus: code("fulfillment_status"),
		CurrencyCode: cur, BaseCurrencyCode: base,
		OrderToBaseRate: fecmallRateText(cur),
		CurrSubtotal:    o.Totals.Subtotal.Fixed(2), BaseSubtotal: inBase(o.Totals.Subtotal),
		CurrShippingTotal: o.Totals.Shipping.Fixed(2), BaseShippingTotal: inBase(o.Totals.Shipping),
		CurrSubtotalWithDiscount: o.Totals.Discount.Fixed(2), BaseSubtotalWithDiscount: inBase(o.Totals.Discount),
		CurrGrandTotal: o.Totals.GrandTotal.Fixed(2), BaseGrandTotal: inBase(o.Totals.GrandTotal),
		CustomerType: 2, CustomerID: 70 + id%40, CustomerEmail: o.Customer.Email, CustomerPhone: o.Customer.Phone,
		DiscountSet: []any{}, PaymentPositionType: 1, PaymentFee: o.Totals.Fee.Fixed(2),
		ShippingMethodID: 24, ShippingMethodName: "Standard", Note: o.BuyerNote,
		CancelledAt: fecmallUnix(o.CancelledAt), PayedAt: fecmallUnix(o.PaidAt),
		CreatedAt: naive(o.CreatedAt, s.Opt.Timezone), UpdatedAt: naive(o.UpdatedAt, s.Opt.Timezone),
		RecallStatus: 2, PostSaleStatus: 1, Tags: o.Tags, FistLoadingURL: "https://diydomain.fecmall.cn/",
	}
	if w.OrderStatus == 4 {
		w.CancelReason = 2
	}
	if o.Base != nil {
		w.BaseGrandTotal = o.Base.GrandTotal.Fixed(2)
	}
	txn := ""
	if len(o.Payments) > 0 {
		w.PaymentMethod, txn = o.Payments[0].Method, o.Payments[0].TransactionID
	}
	if n := len(o.Shipments); n > 0 {
		w.FulfilledAt = fecmallUnix(o.Shipments[n-1].ShippedAt)
	}
	items := make([]fecmallWireItem, len(o.Items))
	var grams int64
	for k, it := range o.Items {
		grams += it.WeightG * int64(it.Qty)
		w.ItemsCount += it.Qty
		items[k] = fecmallWireItem{
			ID: id*10 + k, OrderID: id, ProductID: 100 + k, VariantID: 1000 + k, SKU: it.SKU,
			VariantTitle: it.Variant, ProductTitle: it.Title, Image: it.Image,
			Gram: fmt.Sprintf("%d.00", it.WeightG), RowGram: fmt.Sprintf("%d.00", it.WeightG*int64(it.Qty)),
			CurrPrice: it.UnitPrice.Fixed(2), BasePrice: inBase(it.UnitPrice), Qty: it.Qty,
			CurrRowPrice: it.RowTotal.Fixed(2), BaseRowPrice: inBase(it.RowTotal), IsReviewed: 2,
		}
	}
	w.Gram = fmt.Sprintf("%d.00", grams)
	w.BillingIsUseShippingAddress = 2
	if full {
		w.PayTxnID, w.Items = &txn, &items
		w.ShippingAddress, w.BillingAddress = f.wireAddress(o, o.ShippingAddress, true), f.wireAddress(o, o.BillingAddress, false)
		if o.BillingAddress != nil && o.ShippingAddress != nil && *o.BillingAddress == *o.ShippingAddress {
			w.BillingIsUseShippingAddress, w.BillingAddress = 1, []any{}
		}
	}
	return w
}

// wireAddress renders an address, or [] (PHP's empty array) when there is none.
func (f *fecmallSim) wireAddress(o *backend.Order, a *backend.Address, shipping bool) any {
	if a == nil {
		return []any{}
	}
	id, _ := strconv.Atoi(o.ID)
	first, last := a.Name, ""
	if n, ok := f.names[o.Number]; ok && fecmallName(n[0], n[1]) == a.Name {
		first, last = n[0], n[1]
	}
	w := fecmallWireAddress{
		ID: id - 342, OrderID: id, FirstName: first, LastName: last, Company: a.Company,
		Address1: a.Line1, Address2: a.Line2, City: a.City, CountryCode: a.CountryCode, ProvinceCode: a.ProvinceCode, Zip: a.Zip,
	}
	if shipping {
		phone := a.Phone
		w.Phone = &phone
	} else {
		w.ID += 100000
	}
	return w
}

func fecmallUnix(t *time.Time) int64 {
	if t == nil {
		return 0
	}
	return t.Unix()
}

// fecmallRateText is order_to_base_rate: one unit of cur in USD, 4 decimals.
func fecmallRateText(cur string) string {
	v := int64(1000000) // 10⁻⁴ USD per minor unit, ×rate
	for range backend.MinorUnits(cur) {
		v *= 10
	}
	v /= fecmallRate(cur)
	return fmt.Sprintf("%d.%04d", v/10000, v%10000)
}
