package simshop

// Fecshop appapi v1 (PLATFORMS.md §1, seeds 000 and 003): login for an
// access-token, HTTP-200 error bodies, a 5-per-page list sorted by
// created_at with X-Pagination-* headers, fetchone by increment_id in the
// query string, updateorderstatus with a JSON or form body. The list and
// fetchone send every column as a string (seed 003); updateData sends native
// numbers (seed 000).

import (
	"bytes"
	"encoding/json"
	"fmt"
	"math"
	"net/http"
	"net/url"
	"slices"
	"strconv"
	"strings"
	"sync/atomic"
	"time"

	"orderdesk/backend"
)

type fecshopSim struct {
	srv   *Server
	extra []fecshopExtra // by creation index; guarded by Server.mu
	// token is the admin user's access_token: Fecshop keeps one per user,
	// so a new login invalidates the previous token. "" = none.
	token  string
	logins int
	errNo  atomic.Int64
}

// fecshopExtra holds the wire columns the normalised order has no place for.
type fecshopExtra struct {
	first, last string
	guest       bool
	nameCol     string // tracking_company_name (admin ship); the API never writes it
	companyNull bool   // tracking_company is null: the carrier is only in nameCol
	company     string // tracking_company written while there is no tracking number
}

func newFecshop() *fecshopSim { return &fecshopSim{} }

// fecshopStatuses: raw order_status → label and state, as the adapter must
// read them (all axes inferred from the one field).
var fecshopStatuses = map[string]struct {
	label string
	o     backend.OrderState
	p     backend.PaymentState
	f     backend.FulfillmentState
}{
	"payment_pending":         {"awaiting payment", backend.OrderOpen, backend.PayUnpaid, backend.FulUnfulfilled},
	"payment_processing":      {"payment processing", backend.OrderOpen, backend.PayPending, backend.FulUnfulfilled},
	"payment_confirmed":       {"paid", backend.OrderOpen, backend.PayPaid, backend.FulUnfulfilled},
	"payment_canceled":        {"payment cancelled", backend.OrderCancelled, backend.PayUnpaid, backend.FulUnfulfilled},
	"holded":                  {"on hold", backend.OrderOnHold, backend.PayPaid, backend.FulOnHold},
	"payment_suspected_fraud": {"suspected fraud", backend.OrderOnHold, backend.PayPending, backend.FulUnfulfilled},
	"processing":              {"processing", backend.OrderOpen, backend.PayPaid, backend.FulInProgress},
	"dispatched":              {"dispatched", backend.OrderOpen, backend.PayPaid, backend.FulFulfilled},
	"received":                {"received", backend.OrderOpen, backend.PayPaid, backend.FulDelivered},
	"refunded":                {"refunded", backend.OrderCompleted, backend.PayRefunded, backend.FulUnknown},
	"completed":               {"completed", backend.OrderCompleted, backend.PayPaid, backend.FulDelivered},
	"canceled":                {"cancelled after payment", backend.OrderCancelled, backend.PayUnknown, backend.FulUnknown},
}

// fecshopAccepted is updateorderstatus's allowed list (not received, canceled).
var fecshopAccepted = []string{"payment_pending", "payment_processing", "payment_confirmed", "payment_canceled", "holded",
	"payment_suspected_fraud", "processing", "dispatched", "refunded", "completed"}

// fecshopCycle spreads every status over the orders, paid-and-unshipped most.
var fecshopCycle = []string{
	"payment_confirmed", "processing", "payment_pending", "dispatched", "payment_confirmed", "completed",
	"payment_canceled", "processing", "payment_confirmed", "holded", "dispatched", "payment_pending",
	"payment_processing", "payment_confirmed", "received", "processing", "payment_suspected_fraud", "dispatched",
	"payment_confirmed", "refunded", "completed", "payment_pending", "canceled", "payment_canceled",
}

// Base currency USD: order_to_base_rate per order currency, ×10000.
var fecshopRates = map[string]int64{"USD": 10000, "EUR": 9200, "GBP": 7900, "JPY": 1500000, "CNY": 72000}

var fecshopSymbols = map[string]string{"USD": "$", "EUR": "€", "GBP": "£", "JPY": "¥", "CNY": "￥"}

const (
	fecshopImageBase = "https://img.fecshop-sim.example/media/catalog/product"
	fecshopStore     = "shop.fecshop-sim.example"
)

func (f *fecshopSim) build(s *Server, o *backend.Order, i int) {
	f.srv = s
	orderID := 6600 + i // i = 17 is seed 000's 1100006617
	o.ID = strconv.Itoa(orderID)
	o.Number = strconv.Itoa(1100000000 + orderID)
	x := fecshopExtra{guest: i%3 == 0}
	x.first, x.last = o.Customer.Name, ""
	for _, p := range people {
		if p.full == o.Customer.Name {
			x.first, x.last = p.first, p.last
		}
	}
	o.Customer.Name = fecshopName(x.first, x.last)
	if a := o.ShippingAddress; a != nil {
		a.Name, a.Company = o.Customer.Name, ""
	}
	o.BillingAddress = nil // one flattened address only
	for k := range o.Items {
		it := &o.Items[k]
		it.Image = fecshopImageBase + "/catalog/" + url.PathEscape(it.SKU) + ".jpg"
		if it.Variant != "" && !strings.Contains(it.Variant, ":") {
			it.Variant = "style:" + it.Variant
		}
	}
	raw := fecshopCycle[(i*7)%len(fecshopCycle)]
	fecshopSetStatus(o, raw)
	if raw != "payment_pending" && raw != "payment_canceled" && len(o.Payments) > 0 && o.Payments[0].Method != "cod" {
		o.Payments[0].TransactionID = fmt.Sprintf("%017d", 62710464455523737+int64(i)*7919)
		if o.Payments[0].Method == "paypal_standard" {
			g, _ := o.Totals.GrandTotal.Minor()
			o.Totals.Fee = backend.AmountFromMinor(g*3/100, o.Currency) // PayPal's fee, outside grand_total
		}
	}
	o.Base = fecshopBase(o.Currency, o.Totals.GrandTotal)
	shipped := raw == "dispatched" || raw == "received" || raw == "completed" || raw == "refunded" && i%2 == 0
	if shipped {
		carrier, number := trackingFor(i)
		sh := backend.Shipment{Carrier: carrier, TrackingNumber: number}
		if i%3 != 0 { // shipped in the admin, which sets dispatched_at
			sh.ShippedAt = backend.UTC(o.CreatedAt.Add(time.Duration(1+i%3) * 24 * time.Hour))
		}
		if i%5 == 0 {
			x.nameCol, x.companyNull = carrier, true
		}
		o.Shipments = []backend.Shipment{sh}
	}
	o.PaidAt, o.CancelledAt = nil, nil // Fecshop records neither
	f.extra = append(f.extra, x)
}

// fecshopName is the adapter's rule: East Asian names family name first.
func fecshopName(first, last string) string {
	cjk := func(s string) bool {
		return strings.ContainsFunc(s, func(r rune) bool {
			return r >= 0x1100 && r <= 0x11FF || r >= 0x3040 && r <= 0x30FF || r >= 0x3400 && r <= 0x9FFF || r >= 0xAC00 && r <= 0xD7AF
		})
	}
	if first != "" && last != "" && cjk(first) && cjk(last) {
		return last + first
	}
	return strings.TrimSpace(first + " " + last)
}

func fecshopSetStatus(o *backend.Order, raw string) {
	st, ok := fecshopStatuses[raw]
	if !ok {
		st.label, st.o, st.p, st.f = raw, backend.OrderOpen, backend.PayUnknown, backend.FulUnknown
	}
	o.RawStatus = map[string]string{"order_status": raw}
	o.StatusLabel = st.label
	o.State = backend.State{Order: st.o, Payment: st.p, Fulfillment: st.f, Inferred: true}
	for k := range o.Payments {
		o.Payments[k].Status = string(st.p)
	}
}

// fecshopBase: with rate 1 the base is the order currency; otherwise the
// base (USD here) has no code on the wire.
func fecshopBase(cur string, grand backend.Amount) *backend.Base {
	if fecshopRate(cur) == 10000 {
		return &backend.Base{Currency: cur, GrandTotal: grand}
	}
	return &backend.Base{GrandTotal: fecshopToBase(grand, cur)}
}

func fecshopRate(cur string) int64 {
	if r, ok := fecshopRates[cur]; ok {
		return r
	}
	return 10000
}

// fecshopToBase converts an order-currency amount to base cents.
func fecshopToBase(a backend.Amount, cur string) backend.Amount {
	minor, scale := a.Minor()
	rate := fecshopRate(cur)
	if rate == 10000 {
		return a
	}
	cents := float64(minor) * math.Pow10(2-scale) * 10000 / float64(rate)
	return backend.AmountFromMinor(int64(math.Round(cents)), "USD")
}

func (f *fecshopSim) routes(s *Server, mux *http.ServeMux) {
	f.srv = s
	mux.HandleFunc("/v1/account/login", f.verb(http.MethodPost, f.login))
	mux.HandleFunc("/v1/order/list", f.verb(http.MethodGet, f.authed(f.list)))
	mux.HandleFunc("/v1/order/fetchone", f.verb(http.MethodGet, f.authed(f.fetchone)))
	mux.HandleFunc("/v1/order/updateorderstatus", f.verb(http.MethodPost, f.authed(f.update)))
	mux.HandleFunc("/", func(w http.ResponseWriter, r *http.Request) { f.fail(w, http.StatusNotFound) })
}

func (*fecshopSim) isWrite(r *http.Request) bool { return r.URL.Path == "/v1/order/updateorderstatus" }

// tooMany is the production error handler's rendering of Yii's
// TooManyRequestsHttpException: HTTP 200 (the handler does not set the
// status) with {"code":429,"error_no":...} and the rate-limit headers.
func (f *fecshopSim) tooMany(w http.ResponseWriter, d time.Duration) {
	limit := 120 // Fecshop's default [120, 60]
	if f.srv != nil {
		f.srv.mu.Lock()
		if f.srv.limiter != nil {
			limit = f.srv.limiter.Burst()
		}
		f.srv.mu.Unlock()
	}
	w.Header().Set("X-Rate-Limit-Limit", strconv.Itoa(limit))
	w.Header().Set("X-Rate-Limit-Remaining", "0")
	if d > 0 {
		w.Header().Set("X-Rate-Limit-Reset", strconv.Itoa(int(math.Ceil(d.Seconds()))))
	}
	f.errorBody(w, http.StatusOK, http.StatusTooManyRequests)
}

// fail is the production error handler's answer for an exception with
// that HTTP status.
func (f *fecshopSim) fail(w http.ResponseWriter, status int) { f.errorBody(w, status, status) }

func (f *fecshopSim) errorBody(w http.ResponseWriter, httpStatus, code int) {
	writeJSON(w, httpStatus, struct {
		Code    int    `json:"code"`
		ErrorNo string `json:"error_no"`
	}{code, fmt.Sprintf("sim%08x", f.errNo.Add(1))})
}

// expireTokens clears the token, as Fecshop does when it finds one expired;
// the caller holds Server.mu.
func (f *fecshopSim) expireTokens() { f.token = "" }

type fecshopHandler func(w http.ResponseWriter, r *http.Request)

// verb answers 405 to other methods (Yii's VerbFilter runs before auth).
func (f *fecshopSim) verb(method string, h fecshopHandler) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		if r.Method != method {
			w.Header().Set("Allow", method)
			f.fail(w, http.StatusMethodNotAllowed)
			return
		}
		h(w, r)
	}
}

// authed checks the access-token header and runs h under Server.mu. A bad
// token ends the request before the rate limiter, so no limit headers.
func (f *fecshopSim) authed(h fecshopHandler) fecshopHandler {
	return func(w http.ResponseWriter, r *http.Request) {
		s := f.srv
		s.mu.Lock()
		defer s.mu.Unlock()
		if tok := r.Header.Get("access-token"); f.token == "" || tok != f.token {
			writeJSON(w, http.StatusOK, map[string]any{"code": 1100003, "message": "token is time out"})
			return
		}
		if s.limiter != nil {
			b, left := s.limiter.Burst(), s.limiter.Tokens()
			w.Header().Set("X-Rate-Limit-Limit", strconv.Itoa(b))
			w.Header().Set("X-Rate-Limit-Remaining", strconv.Itoa(int(max(0, left))))
			w.Header().Set("X-Rate-Limit-Reset", strconv.Itoa(int(math.Ceil((float64(b)-left)/float64(s.limiter.Limit())))))
		}
		h(w, r)
	}
}

// fecshopParams reads a POST body, JSON or form-encoded, as text values.
func fecshopParams(r *http.Request) func(string) string {
	if strings.HasPrefix(r.Header.Get("Content-Type"), "application/json") {
		var m map[string]any
		_ = json.NewDecoder(r.Body).Decode(&m)
		return func(k string) string {
			switch v := m[k].(type) {
			case string:
				return v
			case float64:
				return strconv.FormatFloat(v, 'f', -1, 64)
			}
			return ""
		}
	}
	_ = r.ParseForm()
	return r.PostForm.Get
}

// login: a request carrying the current valid token gets that same token
// back without any credential check (UserLogin::loginAndGetAccessToken);
// otherwise the credentials are checked and a new token replaces the old.
func (f *fecshopSim) login(w http.ResponseWriter, r *http.Request) {
	s := f.srv
	param := fecshopParams(r)
	s.mu.Lock()
	defer s.mu.Unlock()
	tok := r.Header.Get("access-token")
	if tok == "" || tok != f.token {
		if param("username") != s.Opt.Username || param("password") != s.Opt.Password {
			writeJSON(w, http.StatusOK, fecshopLogin{Status: "error", Code: 401})
			return
		}
		f.logins++
		tok = fecshopNewToken(fecshopRng(s.Opt.Seed, f.logins))
		f.token = tok
		s.lockedIssue(tok)
	}
	w.Header().Set("access-token", tok)
	writeJSON(w, http.StatusOK, fecshopLogin{Token: tok, Status: "success", Code: 200})
}

type fecshopLogin struct {
	Token  string `json:"access-token"`
	Status string `json:"status"`
	Code   int    `json:"code"`
}

func fecshopRng(seed int64, n int) func(int) int {
	r := rng(seed, backend.Fecshop, 1<<20+n, 99)
	return r.IntN
}

// fecshopNewToken is Yii's generateRandomString(): 32 of [A-Za-z0-9_-].
func fecshopNewToken(intn func(int) int) string {
	const alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789_-"
	b := make([]byte, 32)
	for i := range b {
		b[i] = alphabet[intn(len(alphabet))]
	}
	return string(b)
}

type fecshopAnswer struct {
	Code    int    `json:"code"`
	Message string `json:"message"`
	Data    any    `json:"data"`
}

func fecshopFail(w http.ResponseWriter, msg string, data any) {
	if data == nil {
		data = []any{}
	}
	writeJSON(w, http.StatusOK, fecshopAnswer{Code: 400, Message: msg, Data: data})
}

// list: page (default 1), begin_date/end_date through strtotime in the
// shop's zone (an unparseable date drops the filter silently, as PHP's
// strtotime returning false does), is_payed=1, created_at ascending.
func (f *fecshopSim) list(w http.ResponseWriter, r *http.Request) {
	s, q := f.srv, r.URL.Query()
	page, cur := 1, "1"
	if p := q.Get("page"); p != "" && p != "0" {
		n, err := strconv.Atoi(p)
		page, cur = n, p
		if err != nil {
			page = -1 // PHP compares the text and finds it past the last page
		}
	}
	begin, _ := backend.ParseNaive(q.Get("begin_date"), s.Opt.Timezone)
	end, _ := backend.ParseNaive(q.Get("end_date"), s.Opt.Timezone)
	paid := []string{"payment_confirmed", "holded", "processing", "dispatched", "received", "completed"}
	var hits []int
	for i, o := range s.orders {
		c := o.CreatedAt
		if begin != nil && (c == nil || c.Before(*begin)) || end != nil && (c == nil || !c.Before(*end)) ||
			q.Get("is_payed") == "1" && !slices.Contains(paid, o.RawStatus["order_status"]) {
			continue
		}
		hits = append(hits, i)
	}
	pages := (len(hits) + 4) / 5
	h := w.Header()
	h.Set("X-Pagination-Total-Count", strconv.Itoa(len(hits)))
	h.Set("X-Pagination-Page-Count", strconv.Itoa(pages))
	h.Set("X-Pagination-Current-Page", cur)
	h.Set("X-Pagination-Per-Page", "5")
	if page < 1 || page > pages {
		fecshopFail(w, "fetch order fail , exceeded the maximum number of pages", nil)
		return
	}
	data := []json.RawMessage{}
	for _, i := range hits[(page-1)*5 : min(len(hits), page*5)] {
		data = append(data, f.render(s.orders[i], i, fecshopWireList))
	}
	writeJSON(w, http.StatusOK, fecshopAnswer{Code: 200, Message: "fetch order success", Data: data})
}

// fetchone reads increment_id from the query string only; a body is ignored.
func (f *fecshopSim) fetchone(w http.ResponseWriter, r *http.Request) {
	s := f.srv
	id := r.URL.Query().Get("increment_id")
	if id == "" {
		fecshopFail(w, "request param [increment_id] can not empty", nil)
		return
	}
	i, ok := s.index[id]
	if !ok {
		fecshopFail(w, "can not find order by id or url_key", nil)
		return
	}
	writeJSON(w, http.StatusOK, fecshopAnswer{Code: 200, Message: "fetch order success", Data: f.render(s.orders[i], i, fecshopWireOne)})
}

// update is updateorderstatus: no transition check; tracking fields are
// written only when non-empty; dispatched_at is not touched.
func (f *fecshopSim) update(w http.ResponseWriter, r *http.Request) {
	s, param := f.srv, fecshopParams(r)
	id, st := param("increment_id"), param("order_status")
	num, company := param("tracking_number"), param("tracking_company")
	var errs []string
	if id == "" {
		errs = append(errs, "[increment_id] can not empty")
	}
	if st == "" {
		errs = append(errs, "[order_status] can not empty")
	} else if !slices.Contains(fecshopAccepted, st) {
		errs = append(errs, "[order_status] value must be in array ["+strings.Join(fecshopAccepted, ",")+"]")
	}
	if len(errs) > 0 {
		fecshopFail(w, "data param format error", map[string]any{"error": errs})
		return
	}
	i, ok := s.index[id]
	if !ok {
		fecshopFail(w, "can not find order by increment_id:"+id, nil)
		return
	}
	o, x := s.orders[i], &f.extra[i]
	fecshopSetStatus(o, st)
	if num != "" && len(o.Shipments) == 0 {
		o.Shipments = []backend.Shipment{{Carrier: x.company}}
		x.company = ""
	}
	if len(o.Shipments) > 0 {
		if num != "" {
			o.Shipments[0].TrackingNumber = num
		}
		if company != "" {
			o.Shipments[0].Carrier, x.companyNull = company, false
		}
	} else if company != "" {
		x.company = company
	}
	o.UpdatedAt = backend.UTC(time.Now())
	s.lockedApplied(o, false)
	data := map[string]json.RawMessage{"updateData": f.render(o, i, fecshopWireUpdate)}
	writeJSON(w, http.StatusOK, fecshopAnswer{Code: 200, Message: "update order status success", Data: data})
}

// Which answer an order is rendered for.
type fecshopWire int

const (
	fecshopWireList   fecshopWire = iota // strings; names, symbols, products with full_image
	fecshopWireOne                       // strings; names, symbol, products without full_image
	fecshopWireUpdate                    // native numbers; the bare row, no products or names
)

// fecshopRow writes a JSON object's members in order. In string mode (list,
// fetchone) every number is sent as a string, like the PDO driver of seed 003.
type fecshopRow struct {
	buf  bytes.Buffer
	strs bool
}

func (b *fecshopRow) key(k string) {
	if b.buf.Len() == 0 {
		b.buf.WriteByte('{')
	} else {
		b.buf.WriteByte(',')
	}
	fecshopQuote(&b.buf, k)
	b.buf.WriteByte(':')
}

func fecshopQuote(buf *bytes.Buffer, s string) {
	enc := json.NewEncoder(buf)
	enc.SetEscapeHTML(false)
	_ = enc.Encode(s)
	buf.Truncate(buf.Len() - 1) // Encode's newline
}

// str writes a string; null when null is set and s is "".
func (b *fecshopRow) str(k, s string, null bool) {
	b.key(k)
	if null && s == "" {
		b.buf.WriteString("null")
		return
	}
	fecshopQuote(&b.buf, s)
}

// num writes an integer (a string in string mode); null when !ok.
func (b *fecshopRow) num(k string, v int64, ok bool) {
	switch {
	case !ok:
		b.str(k, "", true)
	case b.strs:
		b.str(k, strconv.FormatInt(v, 10), false)
	default:
		b.key(k)
		b.buf.WriteString(strconv.FormatInt(v, 10))
	}
}

func (b *fecshopRow) time(k string, t *time.Time) {
	if t == nil {
		b.num(k, 0, false)
		return
	}
	b.num(k, t.Unix(), true)
}

func (b *fecshopRow) raw(k string, v []byte) { b.key(k); b.buf.Write(v) }

func (b *fecshopRow) bytes() json.RawMessage { b.buf.WriteByte('}'); return b.buf.Bytes() }

// fecshopMoney is a decimal(12,2) column: "32.00", "1200.00" for JPY.
func fecshopMoney(a backend.Amount) string { return a.Fixed(2) }

// fecshopKg writes grams as a kg decimal ("0.30").
func fecshopKg(g int64) string {
	a, err := backend.ParseAmount(fmt.Sprintf("%d.%03d", g/1000, g%1000), "")
	if err != nil {
		return "0.00"
	}
	return a.String()
}

// fecshopHTML is PHP's htmlspecialchars(ENT_QUOTES), as Html::encode
// stores order_remark.
var fecshopHTML = strings.NewReplacer("&", "&amp;", "<", "&lt;", ">", "&gt;", `"`, "&quot;", "'", "&#039;")

// render writes one order as Fecshop sends it, from the truth, columns in
// sales_flat_order's order (seed 000).
func (f *fecshopSim) render(o *backend.Order, i int, kind fecshopWire) json.RawMessage {
	x := f.extra[i]
	b := &fecshopRow{strs: kind != fecshopWireUpdate}
	id, _ := strconv.ParseInt(o.ID, 10, 64)
	qty, grams := int64(0), int64(0)
	for _, it := range o.Items {
		qty, grams = qty+int64(it.Qty), grams+it.WeightG*int64(it.Qty)
	}
	b.num("order_id", id, true)
	b.str("increment_id", o.Number, false)
	b.str("order_status", o.RawStatus["order_status"], false)
	b.str("store", fecshopStore, false)
	b.time("created_at", o.CreatedAt)
	b.time("updated_at", o.UpdatedAt)
	b.num("items_count", qty, true)
	b.str("total_weight", fecshopKg(grams), false)
	fecshopRenderTotals(b, o, i)
	fecshopRenderCustomer(b, o, x, i)
	pay, ship, company := backend.Payment{}, backend.Shipment{}, x.company
	if len(o.Payments) > 0 {
		pay = o.Payments[0]
	}
	if len(o.Shipments) > 0 {
		ship = o.Shipments[0]
		if !x.companyNull {
			company = ship.Carrier
		}
	}
	t := o.Totals
	b.str("payment_method", pay.Method, true)
	b.str("shipping_method", map[bool]string{true: "free_shipping", false: "fast_shipping"}[t.Shipping.IsZero()], false)
	b.str("shipping_total", fecshopMoney(t.Shipping), false)
	b.str("tracking_number", ship.TrackingNumber, true)
	b.str("tracking_company", company, true)
	b.str("base_shipping_total", fecshopMoney(fecshopToBase(t.Shipping, o.Currency)), false)
	addr := fecshopRenderAddress(b, o)
	f.renderPayPal(b, pay, t, o.Currency)
	b.num("if_is_return_stock", map[bool]int64{true: 1, false: 2}[o.RawStatus["order_status"] == "payment_canceled"], true)
	b.str("payment_token", "", true)
	b.num("version", 0, true)
	b.num("is_reviewed", 2, true)
	b.time("audited_at", nil)
	b.time("dispatched_at", ship.ShippedAt)
	b.time("received_at", nil)
	b.time("reviewed_at", nil)
	b.str("tracking_company_name", x.nameCol, true)
	if kind == fecshopWireUpdate {
		return b.bytes()
	}
	b.str("customer_address_state_name", addr.Province, false)
	b.str("customer_address_country_name", addr.Country, false)
	b.str("currency_symbol", fecshopSymbols[o.Currency], false)
	if kind == fecshopWireList {
		b.str("order_currency_symbol", fecshopSymbols[o.Currency], false)
	}
	b.raw("products", f.renderItems(o, id, kind))
	return b.bytes()
}

// fecshopRenderTotals writes the currency and amount columns; a zero discount is
// sometimes null, as in seed 003.
func fecshopRenderTotals(b *fecshopRow, o *backend.Order, i int) {
	cur, t := o.Currency, o.Totals
	base := func(a backend.Amount) string { return fecshopMoney(fecshopToBase(a, cur)) }
	r := fecshopRate(cur)
	b.str("order_currency_code", cur, false)
	b.str("order_to_base_rate", fmt.Sprintf("%d.%04d", r/10000, r%10000), false)
	b.str("grand_total", fecshopMoney(t.GrandTotal), false)
	if o.Base != nil {
		b.str("base_grand_total", fecshopMoney(o.Base.GrandTotal), false)
	} else {
		b.str("base_grand_total", "", true)
	}
	b.str("subtotal", fecshopMoney(t.Subtotal), false)
	b.str("base_subtotal", base(t.Subtotal), false)
	if t.Discount.IsZero() && i%2 == 0 {
		b.str("subtotal_with_discount", "", true)
		b.str("base_subtotal_with_discount", "", true)
	} else {
		b.str("subtotal_with_discount", fecshopMoney(t.Discount), false)
		b.str("base_subtotal_with_discount", base(t.Discount), false)
	}
}

func fecshopRenderCustomer(b *fecshopRow, o *backend.Order, x fecshopExtra, i int) {
	b.num("is_changed", 1, true)
	b.str("checkout_method", "standard", false)
	b.num("customer_id", 11000+int64(i), !x.guest)
	b.str("customer_group", "", true)
	b.str("customer_email", o.Customer.Email, false)
	b.str("customer_firstname", x.first, false)
	b.str("customer_lastname", x.last, false)
	b.num("customer_is_guest", map[bool]int64{true: 1, false: 2}[x.guest], true)
	b.str("remote_ip", map[bool]string{true: "203.0.113.7"}[i%2 == 1], true)
	if !o.Totals.Discount.IsZero() {
		b.str("coupon_code", "SAVE10", false)
	} else {
		b.str("coupon_code", "", i%3 == 0) // "" or null, both seen
	}
}

// fecshopRenderAddress writes the flattened address and the buyer's note, and
// returns the address for the derived name columns.
func fecshopRenderAddress(b *fecshopRow, o *backend.Order) backend.Address {
	addr := backend.Address{}
	if o.ShippingAddress != nil {
		addr = *o.ShippingAddress
	}
	b.str("customer_telephone", o.Customer.Phone, false)
	b.str("customer_address_country", addr.CountryCode, false)
	b.str("customer_address_state", addr.ProvinceCode, false)
	b.str("customer_address_city", addr.City, false)
	b.str("customer_address_zip", addr.Zip, false)
	b.str("customer_address_street1", addr.Line1, false)
	b.str("customer_address_street2", addr.Line2, false)
	b.str("order_remark", fecshopHTML.Replace(o.BuyerNote), false)
	return addr
}

// renderPayPal writes the payment columns; paypal_order_datetime carries
// the junk value real stores hold (epoch 0 in a UTC+8 server zone).
func (f *fecshopSim) renderPayPal(b *fecshopRow, pay backend.Payment, t backend.Totals, cur string) {
	txn := pay.TransactionID != ""
	b.str("txn_type", map[bool]string{true: "cart"}[txn], true)
	b.str("txn_id", pay.TransactionID, true)
	for _, k := range []string{"payer_id", "ipn_track_id", "receiver_id", "verify_sign", "charset"} {
		b.str(k, "", true)
	}
	fee, baseFee := "", ""
	if !t.Fee.IsZero() {
		fee, baseFee = fecshopMoney(t.Fee), fecshopMoney(fecshopToBase(t.Fee, cur))
	}
	b.str("payment_fee", fee, true)
	b.str("payment_type", map[bool]string{true: "instant"}[txn], true)
	b.str("correlation_id", "", true)
	b.str("base_payment_fee", baseFee, true)
	for _, k := range []string{"protection_eligibility", "protection_eligibility_type", "secure_merchant_account_id", "build"} {
		b.str(k, "", true)
	}
	b.str("paypal_order_datetime", map[bool]string{true: "1970-01-01 08:33:41"}[txn && pay.Method == "paypal_standard"], true)
	b.str("theme_type", "", true)
}

func (f *fecshopSim) renderItems(o *backend.Order, orderID int64, kind fecshopWire) json.RawMessage {
	var buf bytes.Buffer
	buf.WriteByte('[')
	for k, it := range o.Items {
		if k > 0 {
			buf.WriteByte(',')
		}
		b := &fecshopRow{strs: true}
		rel := strings.TrimPrefix(it.Image, fecshopImageBase)
		slug := "/" + strings.ToLower(url.PathEscape(it.SKU))
		b.num("item_id", orderID*10+int64(k), true)
		b.str("store", fecshopStore, false)
		b.num("order_id", orderID, true)
		b.time("created_at", o.CreatedAt)
		b.time("updated_at", o.CreatedAt)
		b.str("product_id", fmt.Sprintf("57d60c6cf656f2b57d%06x", orderID*10+int64(k)), false)
		b.str("sku", it.SKU, false)
		b.str("name", it.Title, false)
		b.str("custom_option_sku", "", true)
		b.str("image", rel, false)
		if kind == fecshopWireList {
			b.str("full_image", it.Image, false)
		}
		b.str("weight", fecshopKg(it.WeightG), false)
		b.num("qty", int64(it.Qty), true)
		b.str("row_weight", fecshopKg(it.WeightG*int64(it.Qty)), false)
		b.str("price", fecshopMoney(it.UnitPrice), false)
		b.str("base_price", fecshopMoney(fecshopToBase(it.UnitPrice, o.Currency)), false)
		b.str("row_total", fecshopMoney(it.RowTotal), false)
		b.str("base_row_total", fecshopMoney(fecshopToBase(it.RowTotal, o.Currency)), false)
		b.str("redirect_url", slug, false)
		if kind == fecshopWireList {
			b.str("full_redirect_url", "https://"+fecshopStore+slug, false)
		}
		opts := fecshopOptions(it.Variant)
		b.raw("spu_options", opts)
		b.raw("custom_option", []byte("[]"))
		if k%2 == 0 {
			b.raw("custom_option_info", opts)
		} else {
			b.raw("custom_option_info", []byte("[]"))
		}
		buf.Write(b.bytes())
	}
	buf.WriteByte(']')
	return buf.Bytes()
}

// fecshopOptions renders "k:v / k:v" as an ordered object; "" as [] (an
// empty PHP array).
func fecshopOptions(variant string) []byte {
	if variant == "" {
		return []byte("[]")
	}
	b := &fecshopRow{}
	for _, part := range strings.Split(variant, " / ") {
		k, v, _ := strings.Cut(part, ":")
		b.str(k, v, false)
	}
	return b.bytes()
}
