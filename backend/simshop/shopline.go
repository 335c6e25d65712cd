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
	"bytes"
	"encoding/base64"
	"encoding/json"
	"fmt"
	"math"
	"mime"
	"net/http"
	"net/url"
	"regexp"
	"slices"
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

// time renders a time in the shop's zone with a numeric offset, or null.
func (p *shoplineSim) time(t *time.Time) any {
	if t == nil {
		return nil
	}
	return t.In(p.s.Opt.Timezone).Format("2006-01-02T15:04:05-07:00")
}

// money renders an amount the SHOPLINE way: a string with 2 decimals.
func shoplineMoney(a backend.Amount) string { return a.Fixed(2) }

func shoplineSet(a backend.Amount, cur string) map[string]any {
	return map[string]any{
		"shop_money":        map[string]any{"amount": shoplineMoney(shoplineUSD(a, cur)), "currency_code": "USD"},
		"presentment_money": map[string]any{"amount": shoplineMoney(a), "currency_code": cur},
	}
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

// shoplineFilter is the list's filter set, carried inside page_info.
type shoplineFilter struct {
	Status, Fulfillment, Financial, Hidden string
	CreatedMin, CreatedMax                 string
	UpdatedMin, UpdatedMax                 string
	Name, IDs                              string
}

type shoplinePageInfo struct {
	SinceID   string         `json:"sinceId,omitempty"`
	BeforeID  string         `json:"beforeId,omitempty"`
	Direction string         `json:"direction"`
	Limit     int            `json:"limit"`
	Filter    shoplineFilter `json:"filter"`
}

var shoplineEnums = map[string][]string{
	"status":             {"open", "cancelled", "any"},
	"fulfillment_status": {"unshipped", "partial", "shipped"},
	"financial_status":   {"unpaid", "authorized", "pending", "partially_paid", "paid", "partially_refunded", "refunded"},
	"hidden_order":       {"true", "false"},
}

// shoplineParseFilter validates the list's query; the error is SHOPLINE's message.
func shoplineParseFilter(q url.Values, enums map[string][]string) (shoplineFilter, string) {
	get := q.Get
	for k, allowed := range enums {
		if v := get(k); v != "" && !slices.Contains(allowed, v) {
			return shoplineFilter{}, strings.ReplaceAll(k, "_", " ") + " value is illegal"
		}
	}
	for _, k := range []string{"created_at_min", "created_at_max", "updated_at_min", "updated_at_max"} {
		if v := get(k); v != "" {
			if _, err := time.Parse(time.RFC3339, v); err != nil {
				return shoplineFilter{}, k + " must be ISO 8601 with an offset, e.g. 2021-08-04T23:59:59+08:00"
			}
		}
	}
	return shoplineFilter{
		Status: get("status"), Fulfillment: get("fulfillment_status"), Financial: get("financial_status"),
		Hidden: get("hidden_order"), CreatedMin: get("created_at_min"), CreatedMax: get("created_at_max"),
		UpdatedMin: get("updated_at_min"), UpdatedMax: get("updated_at_max"), Name: get("name"), IDs: get("ids"),
	}, ""
}

var shoplineFulQuery = map[string]string{"unshipped": "null", "partial": "partial", "shipped": "fulfilled"}

// match applies the filter. Empty Status/Fulfillment mean "any" here; the
// list fills in its defaults before calling.
func (f shoplineFilter) match(o *backend.Order) bool {
	hidden := o.RawStatus["hidden_order"] == "true"
	checks := []bool{
		f.Status != "open" || o.CancelledAt == nil,
		f.Status != "cancelled" || o.CancelledAt != nil,
		f.Hidden != "true" || hidden,
		f.Hidden != "false" || !hidden,
		f.Hidden != "" || f.Status == "any" || f.Status == "" || !hidden,
		f.Fulfillment == "" || shoplineFulQuery[f.Fulfillment] == o.RawStatus["fulfillment_status"],
		f.Financial == "" || f.Financial == o.RawStatus["financial_status"],
		f.Name == "" || f.Name == o.Number,
		f.IDs == "" || slices.Contains(strings.Split(f.IDs, ","), o.ID),
		shoplineWithin(o.CreatedAt, f.CreatedMin, f.CreatedMax),
		shoplineWithin(o.UpdatedAt, f.UpdatedMin, f.UpdatedMax),
	}
	return !slices.Contains(checks, false)
}

func shoplineWithin(t *time.Time, min, max string) bool {
	lo, errLo := time.Parse(time.RFC3339, min)
	hi, errHi := time.Parse(time.RFC3339, max)
	return t != nil && (errLo != nil || !t.Before(lo)) && (errHi != nil || !t.After(hi))
}

// list serves GET orders.json with SHOPLINE's cursor paging.
func (p *shoplineSim) list(w http.ResponseWriter, r *http.Request, _ string) {
	pi, msg := shoplineParsePage(r.URL.Query())
	if msg != "" {
		shoplineError(w, http.StatusBadRequest, msg)
		return
	}
	p.s.mu.Lock()
	var matched []*backend.Order
	for _, o := range p.s.orders {
		if pi.Filter.match(o) {
			matched = append(matched, o)
		}
	}
	from, to := pi.window(matched)
	page := make([]any, 0, to-from)
	func() {
		defer p.s.mu.Unlock()
		for _, o := range matched[from:to] {
			page = append(page, p.render(o))
		}
	}()
	var links []string
	if to < len(matched) {
		links = append(links, p.link(pi, shoplinePageInfo{SinceID: matched[to-1].ID, Direction: "next"}, "next"))
	}
	if from > 0 {
		links = append(links, p.link(pi, shoplinePageInfo{BeforeID: matched[from].ID, Direction: "prev"}, "previous"))
	}
	if len(links) > 0 {
		w.Header()["link"] = []string{strings.Join(links, ", ")} // lowercase, as the docs write it
	}
	writeJSON(w, http.StatusOK, map[string]any{"orders": page})
}

// shoplineParsePage reads page_info (the sim's own cursor, every other
// filter ignored) or the first request's filters with their defaults.
func shoplineParsePage(q url.Values) (shoplinePageInfo, string) {
	pi := shoplinePageInfo{Direction: "next", Limit: 50}
	if raw := q.Get("page_info"); raw != "" {
		b, err := base64.RawURLEncoding.DecodeString(raw)
		if err != nil || json.Unmarshal(b, &pi) != nil || pi.Limit < 1 {
			return pi, "page_info is invalid"
		}
	} else {
		f, msg := shoplineParseFilter(q, shoplineEnums)
		if msg != "" {
			return pi, msg
		}
		f.Status = shoplineOr(f.Status, "open")
		f.Fulfillment = shoplineOr(f.Fulfillment, "unshipped")
		pi.Filter = f
	}
	if l := q.Get("limit"); l != "" {
		n, err := strconv.Atoi(l)
		if err != nil || n < 1 || n > 100 {
			return pi, "limit must be between 1 and 100"
		}
		pi.Limit = n
	}
	return pi, ""
}

// window is the page's range in the matching orders (id order).
func (pi shoplinePageInfo) window(matched []*backend.Order) (from, to int) {
	switch {
	case pi.SinceID != "":
		from = slices.IndexFunc(matched, func(o *backend.Order) bool { return o.ID > pi.SinceID })
		if from < 0 {
			from = len(matched)
		}
		return from, min(len(matched), from+pi.Limit)
	case pi.BeforeID != "":
		to = slices.IndexFunc(matched, func(o *backend.Order) bool { return o.ID >= pi.BeforeID })
		if to < 0 {
			to = len(matched)
		}
		return max(0, to-pi.Limit), to
	}
	return 0, min(len(matched), pi.Limit)
}

func shoplineOr(v, def string) string {
	if v == "" {
		return def
	}
	return v
}

// link builds one link entry; the cursor inherits the first request's
// filters and limit.
func (p *shoplineSim) link(cur, next shoplinePageInfo, rel string) string {
	next.Limit, next.Filter = cur.Limit, cur.Filter
	b, _ := json.Marshal(next)
	return fmt.Sprintf(`<%s/admin/openapi/%s/orders.json?limit=%d&page_info=%s>; rel="%s"`,
		p.s.URL(), p.s.Opt.APIVersion, cur.Limit, base64.RawURLEncoding.EncodeToString(b), rel)
}

var shoplineCountEnums = map[string][]string{
	"status":             {"open", "cancelled", "hidden", "any"},
	"fulfillment_status": {"unshipped", "partial", "shipped", "any"},
	"financial_status":   append(slices.Clone(shoplineEnums["financial_status"]), "any"),
}

// count serves GET orders/count.json; every status filter defaults to any.
func (p *shoplineSim) count(w http.ResponseWriter, r *http.Request, _ string) {
	f, msg := shoplineParseFilter(r.URL.Query(), shoplineCountEnums)
	if msg != "" {
		shoplineError(w, http.StatusBadRequest, msg)
		return
	}
	if f.Status == "hidden" {
		f.Status, f.Hidden = "any", "true"
	}
	f.Status = strings.TrimSuffix(f.Status, "any")
	f.Fulfillment = strings.TrimSuffix(f.Fulfillment, "any")
	f.Financial = strings.TrimSuffix(f.Financial, "any")
	f.Name, f.IDs = "", ""
	p.s.mu.Lock()
	n := 0
	for _, o := range p.s.orders {
		if f.match(o) {
			n++
		}
	}
	p.s.mu.Unlock()
	writeJSON(w, http.StatusOK, map[string]any{"count": n})
}

// write runs a write handler under the lock on the order named by the path
// id; apply returns the status and body to answer with.
func (p *shoplineSim) write(w http.ResponseWriter, id string, apply func(o *backend.Order, x *shoplineExtra) (int, any)) {
	status, body := func() (int, any) {
		p.s.mu.Lock()
		defer p.s.mu.Unlock()
		o := p.s.lockedOrder(p.byID[id])
		if o == nil {
			return http.StatusNotFound, shoplineErrs("The order does not exist.")
		}
		return apply(o, p.lines(o))
	}()
	writeJSON(w, status, body)
}

func shoplineDecode(body []byte, v any) error {
	dec := json.NewDecoder(bytes.NewReader(body))
	dec.UseNumber()
	return dec.Decode(v)
}

func shoplineNow() *time.Time { return backend.UTC(time.Now()) }

func shoplineErrs(msg any) map[string]any { return map[string]any{"errors": msg} }

// update serves PUT orders/:id.json: tags overwrite, note_attributes replace.
func (p *shoplineSim) update(w http.ResponseWriter, r *http.Request, id string) {
	body, _ := shoplineReadBody(r)
	var req struct {
		Order *struct {
			ID    *string `json:"id"`
			Tags  *string `json:"tags"`
			Notes *[]struct {
				Name       *string `json:"name"`
				Value      *string `json:"value"`
				CreateTime *string `json:"create_time"`
			} `json:"note_attributes"`
		} `json:"order"`
	}
	if err := shoplineDecode(body, &req); err != nil || req.Order == nil {
		shoplineError(w, http.StatusBadRequest, map[string]any{"order": []string{"is required and must be an object"}})
		return
	}
	if req.Order.ID == nil || *req.Order.ID != id {
		shoplineError(w, http.StatusBadRequest, map[string]any{"id": []string{"must be the order id of the path, as a string"}})
		return
	}
	var notes []backend.Remark
	for _, n := range shoplineDeref(req.Order.Notes) {
		at := shoplineNow()
		if n.CreateTime != nil && *n.CreateTime != "" {
			t, err := time.Parse(time.RFC3339, *n.CreateTime)
			if err != nil {
				shoplineError(w, http.StatusBadRequest, map[string]any{"note_attributes": []string{"create_time is not ISO 8601"}})
				return
			}
			at = backend.UTC(t)
		}
		if n.Name == nil || n.Value == nil {
			shoplineError(w, http.StatusBadRequest, map[string]any{"note_attributes": []string{"name and value are required"}})
			return
		}
		notes = append(notes, backend.Remark{Text: *n.Value, Author: *n.Name, At: at, Visibility: backend.Internal})
	}
	p.write(w, id, func(o *backend.Order, x *shoplineExtra) (int, any) {
		if req.Order.Notes != nil {
			kept := slices.DeleteFunc(slices.Clone(o.Remarks), func(rm backend.Remark) bool { return rm.Author != shoplineNoteAuthor || rm.At != nil })
			o.Remarks = append(kept, notes...)
		}
		if req.Order.Tags != nil {
			o.Tags = shoplineSplitTags(*req.Order.Tags)
		}
		o.UpdatedAt = shoplineNow()
		p.s.lockedApplied(o, false)
		return http.StatusOK, map[string]any{"order": p.render(o)}
	})
}

func shoplineDeref[T any](p *[]T) []T {
	if p == nil {
		return nil
	}
	return *p
}

func shoplineSplitTags(s string) []string {
	var out []string
	for _, t := range strings.Split(s, ",") {
		if t = strings.TrimSpace(t); t != "" {
			out = append(out, t)
		}
	}
	return out
}

func shoplineReadBody(r *http.Request) ([]byte, error) {
	var b bytes.Buffer
	_, err := b.ReadFrom(r.Body)
	return b.Bytes(), err
}

// fulfil serves POST orders/:id/fulfillments.json.
func (p *shoplineSim) fulfil(w http.ResponseWriter, r *http.Request, id string) {
	body, _ := shoplineReadBody(r)
	var req struct {
		Fulfillment *struct {
			LineItems []struct {
				ID       any `json:"id"`
				Quantity any `json:"quantity"`
			} `json:"line_items"`
			TrackingNumber  string `json:"tracking_number"`
			TrackingCompany string `json:"tracking_company"`
			TrackingURL     string `json:"tracking_url"`
			NotifyCustomer  bool   `json:"notify_customer"`
		} `json:"fulfillment"`
	}
	if err := shoplineDecode(body, &req); err != nil {
		shoplineError(w, http.StatusBadRequest, "request body is invalid: "+err.Error())
		return
	}
	if req.Fulfillment == nil || len(req.Fulfillment.LineItems) == 0 {
		shoplineError(w, http.StatusBadRequest, map[string]any{"fulfillment": []string{"line_items is required"}})
		return
	}
	f := req.Fulfillment
	p.write(w, id, func(o *backend.Order, x *shoplineExtra) (int, any) {
		if o.CancelledAt != nil {
			return http.StatusUnprocessableEntity, shoplineErrs("The order has been cancelled")
		}
		pack := map[int]int64{}
		for _, li := range f.LineItems {
			num, isNum := li.ID.(json.Number)
			qty, isQty := li.Quantity.(json.Number)
			if !isNum || !isQty {
				return http.StatusBadRequest, shoplineErrs(map[string]any{"line_items": []string{"id and quantity must be numbers"}})
			}
			k := slices.Index(x.lineIDs, num.String())
			n, err := qty.Int64()
			if _, dup := pack[k]; k < 0 || k >= len(o.Items) || dup || err != nil || n < 1 || x.fulfilled[k]+n > int64(o.Items[k].Qty) {
				return http.StatusUnprocessableEntity, shoplineErrs(fmt.Sprintf("line item %s: unknown, repeated or over the fulfillable quantity", num))
			}
			pack[k] = n
		}
		sh := backend.Shipment{Carrier: f.TrackingCompany, TrackingNumber: f.TrackingNumber, TrackingURL: f.TrackingURL, ShippedAt: shoplineNow(), Status: "success"}
		p.addPackage(o, x, pack, sh)
		o.UpdatedAt = sh.ShippedAt
		p.restate(o)
		p.s.lockedApplied(o, f.NotifyCustomer)
		return http.StatusOK, map[string]any{"fulfillment": p.renderPackage(o, x, len(o.Shipments)-1)}
	})
}

// cancel serves POST orders/:id/cancel.json.
func (p *shoplineSim) cancel(w http.ResponseWriter, r *http.Request, id string) {
	body, _ := shoplineReadBody(r)
	var req struct {
		CancelReason string      `json:"cancel_reason"`
		Restock      bool        `json:"restock"`
		Email        bool        `json:"email"`
		Amount       json.Number `json:"amount"`
		RefundType   string      `json:"refund_type"`
	}
	if err := shoplineDecode(body, &req); err != nil {
		shoplineError(w, http.StatusBadRequest, "request body is invalid: "+err.Error())
		return
	}
	if req.RefundType != "" && req.RefundType != "OriginalPayment Refund" && req.RefundType != "Manual" {
		shoplineError(w, http.StatusBadRequest, map[string]any{"refund_type": []string{"is illegal"}})
		return
	}
	p.write(w, id, func(o *backend.Order, x *shoplineExtra) (int, any) {
		switch {
		case o.CancelledAt != nil:
			return http.StatusUnprocessableEntity, shoplineErrs("The order has been cancelled")
		case o.RawStatus["fulfillment_status"] != "null":
			return http.StatusUnprocessableEntity, shoplineErrs([]string{"Orders that have been shipped cannot be cancelled"})
		}
		o.CancelledAt = shoplineNow()
		o.UpdatedAt = o.CancelledAt
		x.cancelReason = req.CancelReason
		p.restate(o)
		p.s.lockedApplied(o, req.Email)
		return http.StatusOK, map[string]any{"order": p.render(o)}
	})
}

func (p *shoplineSim) archive(w http.ResponseWriter, r *http.Request, id string) {
	p.hide(w, id, true)
}

func (p *shoplineSim) unarchive(w http.ResponseWriter, r *http.Request, id string) {
	p.hide(w, id, false)
}

// hide serves hide_mark (archive) and cancel_hide_mark (unarchive).
func (p *shoplineSim) hide(w http.ResponseWriter, id string, hidden bool) {
	p.write(w, id, func(o *backend.Order, x *shoplineExtra) (int, any) {
		if (o.RawStatus["hidden_order"] == "true") == hidden {
			return http.StatusUnprocessableEntity, shoplineErrs(map[bool]string{true: "The order has been archived", false: "The order is not archived"}[hidden])
		}
		o.RawStatus["hidden_order"] = strconv.FormatBool(hidden)
		o.UpdatedAt = shoplineNow()
		p.restate(o)
		p.s.lockedApplied(o, false)
		return http.StatusOK, map[string]any{"order": p.render(o)}
	})
}

// lines returns the order's wire extras, with ids for items a test added
// through Mutate; the caller holds s.mu.
func (p *shoplineSim) lines(o *backend.Order) *shoplineExtra {
	x := p.extra[o.Number]
	for k := len(x.lineIDs); k < len(o.Items); k++ {
		x.lineIDs = append(x.lineIDs, x.lineIDs[0][:16]+fmt.Sprintf("%03d", 900+k))
		x.fulfilled = append(x.fulfilled, 0)
	}
	return x
}

// render writes the wire order from the truth; the caller holds s.mu.
func (p *shoplineSim) render(o *backend.Order) map[string]any {
	x, cur := p.lines(o), o.Currency
	m := map[string]any{
		"id":                    o.ID,
		"name":                  o.Number,
		"app_id":                "sim-app",
		"store_id":              "1672369729606",
		"order_source":          "web",
		"email":                 o.Customer.Email,
		"phone":                 o.Customer.Phone,
		"currency":              cur,
		"presentment_currency":  cur,
		"created_at":            p.time(o.CreatedAt),
		"updated_at":            p.time(o.UpdatedAt),
		"processed_at":          p.time(o.CreatedAt),
		"cancelled_at":          p.time(o.CancelledAt),
		"cancel_reason":         x.cancelReason,
		"financial_status":      o.RawStatus["financial_status"],
		"fulfillment_status":    nil,
		"hidden_order":          o.RawStatus["hidden_order"] == "true",
		"tags":                  strings.Join(o.Tags, ", "),
		"buyer_note":            o.BuyerNote,
		"customer_locale":       "en-US",
		"customer":              p.renderCustomer(o),
		"shipping_address":      p.renderAddress(o.ShippingAddress, true),
		"billing_address":       p.renderAddress(o.BillingAddress, false),
		"line_items":            p.renderLines(o, x),
		"fulfillments":          p.renderPackages(o, x),
		"payment_details":       p.renderPayments(o, x),
		"payment_gateway_names": p.gateways(o),
		"refunds":               []any{},
		"discount_codes":        []any{},
		"taxes_included":        false,
		"total_outstanding":     "0.00",
		"order_status_url":      p.s.URL() + "/orders/status/" + o.ID,
	}
	if ful := o.RawStatus["fulfillment_status"]; ful != "null" {
		m["fulfillment_status"] = ful
	}
	m["note"], m["note_attributes"] = p.renderNotes(o)
	p.renderMoney(m, o)
	return m
}

// renderNotes splits the remarks into the merchant `note` and the
// note_attributes log.
func (p *shoplineSim) renderNotes(o *backend.Order) (string, []any) {
	note, attrs := "", []any{}
	for _, rm := range o.Remarks {
		if rm.Author == shoplineNoteAuthor && rm.At == nil {
			note = rm.Text
			continue
		}
		attrs = append(attrs, map[string]any{"name": rm.Author, "value": rm.Text, "create_time": p.time(rm.At)})
	}
	return note, attrs
}

// renderMoney writes every amount as a 2-decimal string plus its *_set.
func (p *shoplineSim) renderMoney(m map[string]any, o *backend.Order) {
	t, cur := o.Totals, o.Currency
	net := t.Subtotal.Sub(t.Discount)
	for key, a := range map[string]backend.Amount{
		"total_line_items_price": t.Subtotal, "subtotal_price": net, "current_subtotal_price": net,
		"total_discounts": t.Discount, "current_total_discounts": t.Discount, "total_tax": t.Tax,
		"current_total_tax": t.Tax, "current_total_price": t.GrandTotal, "total_tip_received": t.Fee,
	} {
		m[key], m[key+"_set"] = shoplineMoney(a), shoplineSet(a, cur)
	}
	m["total_shipping_price_set"] = shoplineSet(t.Shipping, cur)
	m["shipping_lines"] = []any{map[string]any{
		"title": "Standard Shipping", "code": "STD", "source": "shopline",
		"price": shoplineMoney(t.Shipping), "price_set": shoplineSet(t.Shipping, cur),
		"shipping_price": shoplineMoney(t.Shipping), "discounted_price": shoplineMoney(t.Shipping),
		"tax_lines": []any{}, "discount_allocations": []any{},
	}}
}

func (p *shoplineSim) renderCustomer(o *backend.Order) map[string]any {
	first, last := o.Customer.Name, ""
	for _, who := range people {
		if who.full == o.Customer.Name {
			first, last = who.first, who.last
		}
	}
	return map[string]any{"id": "4200" + o.ID[len(o.ID)-8:], "email": o.Customer.Email, "phone": o.Customer.Phone,
		"first_name": first, "last_name": last, "currency": o.Currency}
}

func (p *shoplineSim) renderAddress(a *backend.Address, geo bool) any {
	if a == nil {
		return nil
	}
	first, last := a.Name, ""
	for _, who := range people {
		if who.full == a.Name {
			first, last = who.first, who.last
		}
	}
	m := map[string]any{"first_name": first, "last_name": last, "name": a.Name, "company": a.Company,
		"address1": a.Line1, "address2": a.Line2, "city": a.City, "province": a.Province,
		"province_code": a.ProvinceCode, "zip": a.Zip, "country": a.Country, "country_code": a.CountryCode, "phone": a.Phone}
	if geo {
		m["latitude"], m["longitude"] = "", ""
	}
	return m
}

func (p *shoplineSim) renderLines(o *backend.Order, x *shoplineExtra) []any {
	out := []any{}
	for k, it := range o.Items {
		done := x.fulfilled[k]
		var status any
		if done >= int64(it.Qty) {
			status = "fulfilled"
		} else if done > 0 {
			status = "partial"
		}
		out = append(out, map[string]any{"id": x.lineIDs[k], "product_id": "16057" + x.lineIDs[k][10:], "variant_id": "18057" + x.lineIDs[k][10:],
			"sku": it.SKU, "title": it.Title, "name": it.Title, "variant_title": it.Variant, "quantity": it.Qty,
			"fulfillable_quantity": int64(it.Qty) - done, "fulfillment_status": status, "price": shoplineMoney(it.UnitPrice),
			"grams": json.Number(strconv.FormatInt(it.WeightG, 10) + ".0"), "requires_shipping": true, "taxable": true,
			"tax_lines": []any{}, "discount_allocations": []any{}, "properties": []any{}, "vendor": "", "tags": ""})
	}
	return out
}

func (p *shoplineSim) renderPackages(o *backend.Order, x *shoplineExtra) []any {
	out := []any{}
	for k := range o.Shipments {
		out = append(out, p.renderPackage(o, x, k))
	}
	return out
}

func (p *shoplineSim) renderPackage(o *backend.Order, x *shoplineExtra, k int) map[string]any {
	sh := o.Shipments[k]
	lines := []any{}
	if k < len(x.packages) {
		for i, id := range x.lineIDs[:min(len(x.lineIDs), len(o.Items))] {
			if q := x.packages[k][i]; q > 0 {
				lines = append(lines, map[string]any{"id": id, "quantity": q, "sku": o.Items[i].SKU})
			}
		}
	}
	return map[string]any{"id": fmt.Sprintf("%s%02d", o.ID[:20], k+1), "order_id": o.ID, "name": fmt.Sprintf("%s.%d", o.Number, k+1),
		"status": sh.Status, "shipment_status": "fulfilled", "tracking_company": sh.Carrier, "tracking_number": sh.TrackingNumber,
		"tracking_url": sh.TrackingURL, "tracking_numbers": []string{sh.TrackingNumber}, "tracking_urls": []string{sh.TrackingURL},
		"line_items": lines, "created_at": p.time(sh.ShippedAt), "updated_at": p.time(sh.ShippedAt)}
}

// renderPayments: pay_amount is a JSON number (a double on SHOPLINE's side).
func (p *shoplineSim) renderPayments(o *backend.Order, x *shoplineExtra) []any {
	out := []any{}
	for _, pay := range o.Payments {
		deal := pay.TransactionID
		if deal == x.paySeq {
			deal = ""
		}
		out = append(out, map[string]any{"pay_seq": x.paySeq, "order_seq": o.ID, "pay_channel_deal_id": deal,
			"pay_amount": shoplineDouble(pay.Amount), "pay_status": pay.Status,
			"create_time": p.time(backend.UTC(o.CreatedAt.Add(time.Minute))), "processed_at": p.time(pay.PaidAt)})
	}
	return out
}

// shoplineDouble writes an amount the way Java prints a double: "42.5",
// "1200.0".
func shoplineDouble(a backend.Amount) json.Number {
	s := a.String()
	if strings.Contains(s, ".") {
		s = strings.TrimRight(strings.TrimRight(s, "0"), ".")
	}
	if !strings.Contains(s, ".") {
		s += ".0"
	}
	return json.Number(s)
}

func (p *shoplineSim) gateways(o *backend.Order) []string {
	out := []string{}
	for _, pay := range o.Payments {
		if !slices.Contains(out, pay.Method) {
			out = append(out, pay.Method)
		}
	}
	return out
}
