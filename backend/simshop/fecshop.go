package simshop

// Fecshop appapi v1 (PLATFORMS.md §1, seeds 000 and 003): login for an
// access-token, HTTP-200 error bodies, a 5-per-page list sorted by
// created_at with X-Pagination-* headers, fetchone by increment_id in the
// query string, updateorderstatus with a JSON or form body. The list and
// fetchone send every column as a string (seed 003); updateData sends native
// numbers (seed 000).

import (
	"encoding/json"
	"fmt"
	"math"
	"net/http"
	"net/url"
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

// fecshopKept is what updateorderstatus changes beyond the order: where
// the carrier's name is.
type fecshopKept struct {
	NameCol     string `json:"tracking_company_name,omitempty"`
	CompanyNull bool   `json:"tracking_company_null,omitempty"`
	Company     string `json:"tracking_company_alone,omitempty"`
}

func (f *fecshopSim) keep(i int, _ string) any {
	x := f.extra[i]
	return fecshopKept{NameCol: x.nameCol, CompanyNull: x.companyNull, Company: x.company}
}

func (f *fecshopSim) restore(i int, _ string, raw json.RawMessage) error {
	var k fecshopKept
	if len(raw) > 0 {
		if err := keptDecode(raw, &k); err != nil {
			return err
		}
	}
	x := &f.extra[i]
	x.nameCol, x.companyNull, x.company = k.NameCol, k.CompanyNull, k.Company
	return nil
}

// counters: a Fecshop token does not outlive the process (the desk logs in
// again), so nothing shop-wide is kept.
func (*fecshopSim) counters() map[string]int           { return nil }
func (*fecshopSim) setCounters(c map[string]int) error { return noCounters(c) }
