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
	"encoding/json"
	"fmt"
	"net/http"
	"strconv"
	"time"

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
	name := backend.PersonName(first, last)
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

// Fecmall's API has no writes: nothing beyond the orders to keep.
func (*fecmallSim) keep(int, string) any                               { return nil }
func (*fecmallSim) restore(_ int, _ string, raw json.RawMessage) error { return noWire(raw) }
func (*fecmallSim) counters() map[string]int                           { return nil }
func (*fecmallSim) setCounters(c map[string]int) error                 { return noCounters(c) }
