package simshop

// SHOPLINE Admin REST (PLATFORMS.md §3, seed 002), served under
// /admin/openapi/{Options.APIVersion}/ (any other version: 404).
//
// Strictness, where the docs are silent the harsher choice:
//   - every request needs Authorization: Bearer <token> (401 otherwise; the
//     401 body echoes the Authorization header it got, to prove the client
//     scrubs it) and Content-Type: application/json; charset=utf-8, GET
//     included (400 otherwise);
//   - orders.json: status open|cancelled|any (default open),
//     fulfillment_status unshipped|partial|shipped (default unshipped, else
//     400 "fulfillment status value is illegal"), hidden_order true|false
//     (absent: archived orders only with status=any), financial_status,
//     created/updated_at_min/max strictly RFC 3339 (a "+" sent unencoded
//     arrives as a space and fails), limit 1..100 (default 50), name, ids.
//     With page_info every other filter is ignored: the cursor, which the
//     sim builds itself, carries the first request's filters. The link
//     header (lowercase "link") has rel="next" while more follow and
//     rel="previous" after the first page; none on a single last page;
//   - PUT orders/:id.json REPLACES note_attributes with the list sent
//     (unconfirmed; the docs only say absent fields are unchanged); an entry
//     without create_time is stamped with the time of the write;
//   - fulfillments.json wants line_items[].id as a JSON number (400 for a
//     string) and at most the fulfillable quantity; cancel.json refuses a
//     cancelled or (partially) shipped order with 422 and wants `email` as a
//     bool; hide_mark / cancel_hide_mark refuse a no-op with 422.
//   - 429 is {"errors":"Too many request"}, Retry-After only when d > 0.
// Every answer has a traceId header. Tokens do not expire (no session).

import (
	"encoding/json"
	"fmt"
	"math"
	"mime"
	"net/http"
	"regexp"
	"strconv"
	"strings"
	"sync/atomic"
	"time"

	"orderdesk/backend"
)

// shoplineNoteAuthor marks the remark rendered as the order's `note`.
const shoplineNoteAuthor = "merchant note"

type shoplineSim struct {
	s      *Server
	extra  map[string]*shoplineExtra // by number
	byID   map[string]string         // order id → number
	traces atomic.Uint64
}

// shoplineExtra is what the wire has and backend.Order does not.
type shoplineExtra struct {
	lineIDs      []string
	fulfilled    []int64         // per line
	packages     []map[int]int64 // per shipment: line index → quantity
	cancelReason string
	paySeq       string
}

func newShopline() *shoplineSim {
	return &shoplineSim{extra: map[string]*shoplineExtra{}, byID: map[string]string{}}
}

// shoplineProfile is a generated order's status; the cycle covers every
// raw value and weights paid-and-unshipped orders.
type shoplineProfile struct {
	fin, ful          string
	cancelled, hidden bool
}

var shoplineProfiles = []shoplineProfile{
	{"paid", "null", false, false}, {"paid", "null", false, false}, {"unpaid", "null", false, false},
	{"paid", "fulfilled", false, false}, {"paid", "null", false, false}, {"pending", "null", false, false},
	{"paid", "partial", false, false}, {"paid", "null", false, false}, {"authorized", "null", false, false},
	{"paid", "fulfilled", false, true}, {"partially_paid", "null", false, false}, {"paid", "null", false, false},
	{"refunded", "null", true, false}, {"partially_refunded", "fulfilled", false, false}, {"paid", "null", false, true},
	{"unpaid", "null", true, true}, {"paid", "fulfilled", false, false}, {"unpaid", "null", true, false},
	{"refunded", "fulfilled", false, false}, {"paid", "partial", false, false},
}

// The sim's own copy of the status mapping (the adapter must agree).
var shoplinePayStates = map[string]struct {
	state backend.PaymentState
	label string
}{
	"unpaid": {backend.PayUnpaid, "unpaid"}, "pending": {backend.PayPending, "payment pending"},
	"authorized": {backend.PayAuthorized, "authorized"}, "partially_paid": {backend.PayPartiallyPaid, "partially paid"},
	"paid": {backend.PayPaid, "paid"}, "partially_refunded": {backend.PayPartiallyRefunded, "partially refunded"},
	"refunded": {backend.PayRefunded, "refunded"},
}

var shoplineFulStates = map[string]struct {
	state backend.FulfillmentState
	label string
}{
	"null": {backend.FulUnfulfilled, "unshipped"}, "partial": {backend.FulPartial, "partially shipped"},
	"fulfilled": {backend.FulFulfilled, "shipped"},
}

var shoplineGateways = map[string]string{"paypal_standard": "Paypal", "stripe": "Stripe", "cod": "COD"}

func (p *shoplineSim) build(s *Server, o *backend.Order, i int) {
	p.s = s
	pr := shoplineProfiles[((i+int(s.Opt.Seed%20))%20+20)%20]
	o.ID = fmt.Sprintf("2105034293977%013d", 8451436179579+int64(i)*1000003)
	o.Number = fmt.Sprintf("#%d", 1001+i)
	x := &shoplineExtra{paySeq: fmt.Sprintf("PS%s01", o.ID[len(o.ID)-12:])}
	p.extra[o.Number], p.byID[o.ID] = x, o.Number
	if pr.ful == "partial" && len(o.Items) == 1 && o.Items[0].Qty == 1 {
		o.Items[0].Qty = 2 // a one-unit order cannot be partially shipped
	}
	for k := range o.Items {
		o.Items[k].Image = "" // the order object has no image
		o.Items[k].RowTotal = o.Items[k].UnitPrice.MulInt(int64(o.Items[k].Qty))
		x.lineIDs = append(x.lineIDs, strconv.FormatInt(7100000000000000000+int64(i)*100+int64(k), 10))
		x.fulfilled = append(x.fulfilled, 0)
	}
	for _, a := range []*backend.Address{o.ShippingAddress, o.BillingAddress} {
		if a != nil {
			a.Email = "" // SHOPLINE addresses carry no email
		}
	}
	p.buildTotals(o)
	p.buildPayment(o, x, pr, i)
	p.buildShipments(o, x, pr, i)
	if pr.cancelled {
		o.CancelledAt = backend.UTC(o.CreatedAt.Add(90 * time.Minute))
		x.cancelReason = "customer"
	}
	p.buildNotes(o, i)
	latest := *o.UpdatedAt
	for _, t := range []*time.Time{o.PaidAt, o.CancelledAt} {
		if t != nil && t.After(latest) {
			latest = *t
		}
	}
	for _, sh := range o.Shipments {
		if sh.ShippedAt.After(latest) {
			latest = *sh.ShippedAt
		}
	}
	o.UpdatedAt = backend.UTC(latest)
	o.RawStatus = map[string]string{"financial_status": pr.fin, "fulfillment_status": pr.ful, "hidden_order": strconv.FormatBool(pr.hidden)}
	p.restate(o)
}

// buildTotals: VAT of 20 % on EUR and GBP orders; grand total = line items
// + shipping - discounts + tax; base = the grand total in the shop's USD.
func (p *shoplineSim) buildTotals(o *backend.Order) {
	cur, t := o.Currency, &o.Totals
	sub := backend.ZeroAmount(cur)
	for _, it := range o.Items {
		sub = sub.Add(it.RowTotal)
	}
	t.Subtotal = sub
	if cur == "EUR" || cur == "GBP" {
		net, _ := sub.Sub(t.Discount).Minor()
		t.Tax = backend.AmountFromMinor(net/5, cur)
	}
	t.GrandTotal = sub.Add(t.Shipping).Sub(t.Discount).Add(t.Tax)
	o.Base = nil
	if cur != "USD" {
		o.Base = &backend.Base{Currency: "USD", GrandTotal: shoplineUSD(t.GrandTotal, cur)}
	}
}

// shoplineUSD converts an amount to the shop currency (USD) at the
// generator's rate.
func shoplineUSD(a backend.Amount, cur string) backend.Amount {
	rate := int64(10000)
	for _, c := range currencies {
		if c.code == cur {
			rate = c.rate
		}
	}
	minor, _ := a.Minor()
	return backend.AmountFromMinor(minor*10000/rate, "USD")
}

func (p *shoplineSim) buildPayment(o *backend.Order, x *shoplineExtra, pr shoplineProfile, i int) {
	pay := o.Payments[0]
	pay.Method, pay.Amount = shoplineGateways[pay.Method], o.Totals.GrandTotal
	pay.TransactionID, pay.Status = x.paySeq, map[string]string{
		"unpaid": "unpaid", "pending": "pending", "authorized": "pending", "partially_paid": "paid",
		"paid": "paid", "partially_refunded": "paid", "refunded": "paid"}[pr.fin]
	switch {
	case pr.fin == "pending" && i%2 == 1:
		pay.Status = "risking"
	case pr.fin == "unpaid" && pr.cancelled:
		pay.Status = "paid_overtime"
	case pr.fin == "unpaid" && i%2 == 1:
		pay.Status = "paid_failed"
	}
	if pr.fin == "partially_paid" {
		minor, _ := o.Totals.GrandTotal.Minor()
		pay.Amount = backend.AmountFromMinor(minor/2, o.Currency)
	}
	if pay.Status == "paid" {
		pay.TransactionID = fmt.Sprintf("PAYID-%012d", 7777*(i+1))
		pay.PaidAt = backend.UTC(o.CreatedAt.Add(5 * time.Minute))
		o.PaidAt = pay.PaidAt
	}
	o.Payments = []backend.Payment{pay}
}

func (p *shoplineSim) buildShipments(o *backend.Order, x *shoplineExtra, pr shoplineProfile, i int) {
	pack := map[int]int64{}
	switch pr.ful {
	case "fulfilled":
		for k, it := range o.Items {
			pack[k] = int64(it.Qty)
		}
	case "partial":
		pack[0] = int64(o.Items[0].Qty)
		if len(o.Items) == 1 {
			pack[0]-- // ship one unit less than ordered
		}
	default:
		return
	}
	carrier, number := trackingFor(i)
	p.addPackage(o, x, pack, backend.Shipment{
		Carrier: carrier, TrackingNumber: number, TrackingURL: "https://t.17track.net/en#nums=" + number,
		ShippedAt: backend.UTC(o.CreatedAt.Add(3 * time.Hour)), Status: "success",
	})
}

// addPackage records a fulfillment and updates the fulfilled quantities.
func (p *shoplineSim) addPackage(o *backend.Order, x *shoplineExtra, pack map[int]int64, sh backend.Shipment) {
	for k, q := range pack {
		x.fulfilled[k] += q
	}
	x.packages = append(x.packages, pack)
	o.Shipments = append(o.Shipments, sh)
	full, some := true, false
	for k, it := range o.Items {
		full = full && x.fulfilled[k] >= int64(it.Qty)
		some = some || x.fulfilled[k] > 0
	}
	o.RawStatus["fulfillment_status"] = map[bool]string{true: "partial", false: "null"}[some]
	if full {
		o.RawStatus["fulfillment_status"] = "fulfilled"
	}
}

func (p *shoplineSim) buildNotes(o *backend.Order, i int) {
	if i%7 == 3 {
		o.Remarks = append(o.Remarks, backend.Remark{Text: "VIP — double-check the address", Author: shoplineNoteAuthor, Visibility: backend.Internal})
	}
	if i%5 == 2 {
		o.Remarks = append(o.Remarks, backend.Remark{Text: "Customer asked for gift wrap / 礼品包装", Author: "staff-anna",
			At: backend.UTC(o.CreatedAt.Add(2 * time.Hour)), Visibility: backend.Internal})
	}
	switch {
	case i%9 == 4:
		o.Tags = []string{"xternal", "Inbound", "Outbound"}
	case i%4 == 1:
		o.Tags = []string{"VIP", "wholesale"}
	}
}

// restate derives the state, label and raw cancelled_at from the facts
// (financial, fulfillment, hidden in RawStatus; CancelledAt).
func (p *shoplineSim) restate(o *backend.Order) {
	raw := o.RawStatus
	pay, ful := shoplinePayStates[raw["financial_status"]], shoplineFulStates[raw["fulfillment_status"]]
	hidden := raw["hidden_order"] == "true"
	o.State = backend.State{Order: backend.OrderOpen, Payment: pay.state, Fulfillment: ful.state, Archived: hidden}
	var labels []string
	delete(raw, "cancelled_at")
	if o.CancelledAt != nil {
		o.State.Order = backend.OrderCancelled
		raw["cancelled_at"] = p.time(o.CancelledAt).(string)
		labels = append(labels, "cancelled")
	}
	if hidden {
		labels = append(labels, "archived")
	}
	o.StatusLabel = strings.Join(append(labels, pay.label, ful.label), ", ")
}

func (p *shoplineSim) routes(s *Server, mux *http.ServeMux) {
	p.s = s
	mux.HandleFunc("/", p.serve)
}

type shoplineRoute struct {
	method string
	path   *regexp.Regexp
	handle func(p *shoplineSim, w http.ResponseWriter, r *http.Request, id string)
}

var shoplineRoutes = []shoplineRoute{
	{http.MethodGet, regexp.MustCompile(`^orders\.json$`), (*shoplineSim).list},
	{http.MethodGet, regexp.MustCompile(`^orders/count\.json$`), (*shoplineSim).count},
	{http.MethodPut, regexp.MustCompile(`^orders/([^/]+)\.json$`), (*shoplineSim).update},
	{http.MethodPost, regexp.MustCompile(`^orders/([^/]+)/fulfillments\.json$`), (*shoplineSim).fulfil},
	{http.MethodPost, regexp.MustCompile(`^orders/([^/]+)/cancel\.json$`), (*shoplineSim).cancel},
	{http.MethodPut, regexp.MustCompile(`^orders/([^/]+)/hide_mark\.json$`), (*shoplineSim).archive},
	{http.MethodPut, regexp.MustCompile(`^orders/([^/]+)/cancel_hide_mark\.json$`), (*shoplineSim).unarchive},
}

func (p *shoplineSim) serve(w http.ResponseWriter, r *http.Request) {
	w.Header().Set("traceId", p.traceID())
	rest, ok := strings.CutPrefix(r.URL.Path, "/admin/openapi/"+p.s.Opt.APIVersion+"/")
	if !ok {
		shoplineError(w, http.StatusNotFound, "Not Found")
		return
	}
	if auth := r.Header.Get("Authorization"); auth != "Bearer "+p.s.Opt.Token {
		shoplineError(w, http.StatusUnauthorized, "[API] Invalid API key or access token (unrecognized login or wrong password): "+auth)
		return
	}
	mt, params, err := mime.ParseMediaType(r.Header.Get("Content-Type"))
	if err != nil || mt != "application/json" || !strings.EqualFold(params["charset"], "utf-8") {
		shoplineError(w, http.StatusBadRequest, "Content-Type must be application/json; charset=utf-8")
		return
	}
	for _, rt := range shoplineRoutes {
		if m := rt.path.FindStringSubmatch(rest); m != nil && r.Method == rt.method {
			rt.handle(p, w, r, m[len(m)-1])
			return
		}
	}
	shoplineError(w, http.StatusNotFound, "Not Found")
}

func (p *shoplineSim) traceID() string { return fmt.Sprintf("sim%013x", p.traces.Add(1)) }

// shoplineError answers {"errors": e}; e is a string, array or object.
func shoplineError(w http.ResponseWriter, status int, e any) {
	writeJSON(w, status, map[string]any{"errors": e})
}

func (p *shoplineSim) isWrite(r *http.Request) bool { return r.Method != http.MethodGet }

func (p *shoplineSim) tooMany(w http.ResponseWriter, d time.Duration) {
	w.Header().Set("traceId", p.traceID())
	if d > 0 {
		w.Header().Set("Retry-After", strconv.Itoa(int(math.Ceil(d.Seconds()))))
	}
	shoplineError(w, http.StatusTooManyRequests, "Too many request")
}

func (p *shoplineSim) fail(w http.ResponseWriter, status int) {
	w.Header().Set("traceId", p.traceID())
	shoplineError(w, status, http.StatusText(status))
}

func (p *shoplineSim) expireTokens() {}

// shoplineKept is what fulfillments and cancellations change beyond the
// order: the fulfilled quantities, each package's lines, the reason.
type shoplineKept struct {
	Fulfilled    []int64         `json:"fulfilled"`
	Packages     []map[int]int64 `json:"packages,omitempty"`
	CancelReason string          `json:"cancel_reason,omitempty"`
}

func (p *shoplineSim) keep(_ int, number string) any {
	x := p.extra[number]
	return shoplineKept{Fulfilled: x.fulfilled, Packages: x.packages, CancelReason: x.cancelReason}
}

func (p *shoplineSim) restore(_ int, number string, raw json.RawMessage) error {
	var k shoplineKept
	if err := keptDecode(raw, &k); err != nil {
		return err
	}
	x := p.extra[number]
	if len(k.Fulfilled) != len(x.lineIDs) {
		return fmt.Errorf("%d fulfilled quantities for %d lines", len(k.Fulfilled), len(x.lineIDs))
	}
	for _, pack := range k.Packages {
		for line := range pack {
			if line < 0 || line >= len(x.lineIDs) {
				return fmt.Errorf("a package ships line %d of %d", line, len(x.lineIDs))
			}
		}
	}
	x.fulfilled, x.packages, x.cancelReason = k.Fulfilled, k.Packages, k.CancelReason
	return nil
}

func (*shoplineSim) counters() map[string]int           { return nil }
func (*shoplineSim) setCounters(c map[string]int) error { return noCounters(c) }
