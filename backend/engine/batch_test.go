package engine_test

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"slices"
	"strings"
	"testing"
	"time"

	"orderdesk/backend"
	"orderdesk/backend/engine"
	"orderdesk/backend/simshop"
	"orderdesk/backend/ymcart"
)

// hookedShop is the real YMCart adapter with a hook run before each batch
// write call (n counts the calls from 1), to act between the sender's
// read and its write as another user or a network would. tr is the
// adapter's HTTP transport.
type hookedShop struct {
	*ymcart.Shop
	tr     *http.Transport
	calls  int
	before func(n int, targets []backend.Target)
}

func (h *hookedShop) ApplyBatch(ctx context.Context, targets []backend.Target) []error {
	h.calls++
	if h.before != nil {
		h.before(h.calls, targets)
	}
	return h.Shop.ApplyBatch(ctx, targets)
}

// newBatchEnv is a YMCart env whose desk talks through a hookedShop, with
// the cache filled.
func newBatchEnv(t *testing.T, orders int) (*env, *hookedShop) {
	t.Helper()
	e := newEnv(t, backend.YMCart, orders)
	cfg := e.srv.Config("s")
	cfg.Rate, cfg.Burst = 1000, 100 // the rate limit is not the subject here
	tr := http.DefaultTransport.(*http.Transport).Clone()
	t.Cleanup(tr.CloseIdleConnections)
	cfg.Transport = tr
	shop, err := ymcart.New(cfg)
	if err != nil {
		t.Fatal(err)
	}
	h := &hookedShop{Shop: shop, tr: tr}
	e.shop = h
	e.desk = engine.NewDesk(e.st, []backend.Shop{h}, time.Now)
	if r := e.pull(); r.Err != nil {
		t.Fatal(r.Err)
	}
	return e, h
}

func ship(i int) backend.Action {
	return backend.Action{Kind: backend.ActionShip, Shipment: backend.Shipment{Carrier: "UPS", TrackingNumber: fmt.Sprintf("1ZBATCH%05d", i)}}
}

// shippable returns n orders of the sim that YMCart lets the desk ship.
func shippable(t *testing.T, e *env, n int) []*backend.Order {
	t.Helper()
	var out []*backend.Order
	for _, o := range e.srv.Orders() {
		if len(out) < n && o.RawStatus["order_status"] == "200" && e.shop.Check(o, ship(0)) == nil {
			out = append(out, o)
		}
	}
	if len(out) < n {
		t.Fatalf("the sim has %d paid orders, want %d", len(out), n)
	}
	return out
}

// shipCalls returns the itemnos of each orderShip call, in order.
func shipCalls(t *testing.T, srv *simshop.Server) [][]string {
	t.Helper()
	var out [][]string
	for _, w := range srv.Writes() {
		if !strings.Contains(w.Path, "orderShip") {
			continue
		}
		var entries []struct{ Itemno string }
		if err := json.Unmarshal([]byte(w.Form.Get("shipno_res")), &entries); err != nil {
			t.Fatalf("shipno_res: %v", err)
		}
		var call []string
		for _, x := range entries {
			call = append(call, x.Itemno)
		}
		out = append(out, call)
	}
	return out
}

// reads counts orderList calls.
func reads(srv *simshop.Server) int {
	n := 0
	for _, r := range srv.Requests() {
		if strings.Contains(r.Path, "orderList") {
			n++
		}
	}
	return n
}

// 45 ship edits go as 3 orderShip calls of at most 20 orders, with 3
// reads before and 3 re-reads after (not 45 + 45), each edit marked
// sending in the store before its call, each applied once.
func TestBatchSendShipsInChunks(t *testing.T) {
	t.Parallel()
	e, h := newBatchEnv(t, 150)
	orders := shippable(t, e, 45)
	edits := map[string]*backend.Edit{}
	for i, o := range orders {
		edits[o.Number] = e.edit(o.Number, ship(i))
	}
	h.before = func(n int, targets []backend.Target) {
		if len(targets) > 20 {
			t.Errorf("call %d: the sender passed %d orders to one ApplyBatch", n, len(targets))
		}
		for _, tg := range targets {
			if s := e.state(edits[tg.Order.Number].ID, tg.Order.Number); s.State != backend.EditSending || s.Attempts != 1 {
				t.Errorf("call %d: %s is %s (%d attempts) in the store, want sending before the call", n, tg.Order.Number, s.State, s.Attempts)
			}
		}
	}
	e.srv.ResetRecord()
	start := time.Now()
	if err := e.send(); err != nil {
		t.Fatal(err)
	}
	t.Logf("45 ship edits sent in %v: %d requests (%d orderList)", time.Since(start).Round(time.Millisecond), len(e.srv.Requests()), reads(e.srv))
	calls := shipCalls(t, e.srv)
	var sent []string
	for i, c := range calls {
		if len(c) > 20 {
			t.Errorf("call %d carried %d orders", i, len(c))
		}
		sent = append(sent, c...)
	}
	if len(calls) != 3 || len(sent) != 45 || len(e.srv.Writes()) != 3 || h.calls != 3 {
		t.Errorf("%d ApplyBatch, %d orderShip calls (%d writes) carrying %d orders, want 3 carrying 45", h.calls, len(calls), len(e.srv.Writes()), len(sent))
	}
	if n := reads(e.srv); n != 6 {
		t.Errorf("%d orderList calls, want 3 before and 3 after", n)
	}
	for i, o := range orders {
		s := e.state(edits[o.Number].ID, o.Number)
		if s.State != backend.EditDone || s.Attempts != 1 {
			t.Errorf("%s: %s %q, %d attempts", o.Number, s.State, s.Error, s.Attempts)
		}
		if n := e.srv.Applied(o.Number); n != 1 {
			t.Errorf("%s applied %d times", o.Number, n)
		}
		// the re-read order is what the cache holds now
		c, err := e.st.Order(backend.Ref{Shop: "s", Number: o.Number})
		if err != nil {
			t.Fatal(err)
		}
		if !backend.ShowsGeneric(c, ship(i)) {
			t.Errorf("%s: the cached order does not show the shipment", o.Number)
		}
	}
}

// A target the shop refuses (the order was voided on the shop between the
// sender's read and its write: order_status_limit) fails alone; the others
// in its call are done.
func TestBatchSendOneTargetRefused(t *testing.T) {
	t.Parallel()
	e, h := newBatchEnv(t, 60)
	orders := shippable(t, e, 5)
	var edits []*backend.Edit
	for i, o := range orders {
		edits = append(edits, e.edit(o.Number, ship(i)))
	}
	voided := orders[2].Number
	h.before = func(int, []backend.Target) {
		e.srv.Mutate(voided, func(o *backend.Order) { o.RawStatus["order_status"] = "600" })
	}
	if err := e.send(); err != nil {
		t.Fatal(err)
	}
	if n := len(shipCalls(t, e.srv)); n != 1 {
		t.Errorf("%d orderShip calls, want 1", n)
	}
	for i, o := range orders {
		s := e.state(edits[i].ID, o.Number)
		want, applied := backend.EditDone, 1
		if o.Number == voided {
			want, applied = backend.EditFailed, 0
			if !strings.Contains(s.Error, "order_status_limit") {
				t.Errorf("%s: reason %q, want the shop's order_status_limit", o.Number, s.Error)
			}
		}
		if s.State != want || e.srv.Applied(o.Number) != applied {
			t.Errorf("%s: %s %q, applied %d; want %s, applied %d", o.Number, s.State, s.Error, e.srv.Applied(o.Number), want, applied)
		}
	}
}

// A batch call whose answer is lost (applied, then the connection
// dropped): its edits go unknown, are read back together and found done;
// nothing is sent twice. The other call of the round is unaffected.
func TestBatchSendLostAnswerIsReadBack(t *testing.T) {
	t.Parallel()
	e, _ := newBatchEnv(t, 120)
	orders := shippable(t, e, 25)
	var edits []*backend.Edit
	for i, o := range orders {
		edits = append(edits, e.edit(o.Number, ship(i)))
	}
	e.srv.ResetRecord()
	e.srv.Inject(simshop.Fault{Kind: simshop.FaultDropAfterApply, On: simshop.Writes})
	if err := e.send(); err != nil {
		t.Fatal(err)
	}
	if calls := shipCalls(t, e.srv); len(calls) != 2 || len(calls[0]) != 20 || len(calls[1]) != 5 {
		t.Errorf("orderShip calls %v, want 20 and 5 orders", calls)
	}
	// 2 reads before; 1 read-back of the lost call; 1 re-read of the other
	if n := reads(e.srv); n != 4 {
		t.Errorf("%d orderList calls, want 4", n)
	}
	for i, o := range orders {
		s := e.state(edits[i].ID, o.Number)
		if s.State != backend.EditDone || e.srv.Applied(o.Number) != 1 {
			t.Errorf("%s: %s %q, applied %d", o.Number, s.State, s.Error, e.srv.Applied(o.Number))
		}
		log, err := e.st.AuditLog(backend.Ref{Shop: "s", Number: o.Number})
		if err != nil {
			t.Fatal(err)
		}
		unknown := slices.ContainsFunc(log, func(a backend.Audit) bool { return a.Result == backend.EditUnknown })
		if lost := i < 20; unknown != lost {
			t.Errorf("%s: went through unknown %t, want %t", o.Number, unknown, lost)
		}
	}
}

// Two edits of one order go in their order, each in its own round, even
// when the second one's kind is sent first in a round: B's remark (first
// in the outbox), then A's ship, then A's remark.
func TestBatchSendKeepsOrderPerOrder(t *testing.T) {
	t.Parallel()
	e, _ := newBatchEnv(t, 60)
	o := shippable(t, e, 2)
	a, b := o[0].Number, o[1].Number
	rb := e.edit(b, backend.Action{Kind: backend.ActionRemark, Remark: "b first"})
	sa := e.edit(a, ship(1))
	ra := e.edit(a, backend.Action{Kind: backend.ActionRemark, Remark: "a after ship"})
	e.srv.ResetRecord()
	if err := e.send(); err != nil {
		t.Fatal(err)
	}
	for _, x := range []struct {
		id, number string
	}{{rb.ID, b}, {sa.ID, a}, {ra.ID, a}} {
		if s := e.state(x.id, x.number); s.State != backend.EditDone {
			t.Errorf("%s on %s: %s %q", x.id, x.number, s.State, s.Error)
		}
	}
	var calls []string
	for _, w := range e.srv.Writes() {
		field := map[bool]string{true: "shipno_res", false: "remark_res"}[strings.Contains(w.Path, "orderShip")]
		var entries []struct{ Itemno string }
		if err := json.Unmarshal([]byte(w.Form.Get(field)), &entries); err != nil {
			t.Fatal(err)
		}
		for _, x := range entries {
			calls = append(calls, strings.TrimSuffix(strings.TrimPrefix(w.Path, "/api-erp-"), ".html")+" "+x.Itemno)
		}
	}
	want := []string{"orderRemark " + b, "orderShip " + a, "orderRemark " + a}
	if !slices.Equal(calls, want) {
		t.Errorf("writes %v, want %v", calls, want)
	}
	if n := e.srv.Applied(a); n != 2 {
		t.Errorf("%s applied %d writes, want 2", a, n)
	}
}

// The shop goes offline after the first of three calls of a replay: the
// edits of the call that could not be sent go back to pending and the
// replay stops with a ShopError; the third call's edits are left as they
// were (never marked sending). The next replay sends them all, once.
func TestBatchSendShopOfflineMidReplay(t *testing.T) {
	t.Parallel()
	e, h := newBatchEnv(t, 150)
	orders := shippable(t, e, 45)
	var edits []*backend.Edit
	for i, o := range orders {
		edits = append(edits, e.edit(o.Number, ship(i)))
	}
	h.before = func(n int, _ []backend.Target) {
		if n == 2 {
			if err := e.srv.SetOffline(true); err != nil {
				t.Fatal(err)
			}
			// The shop closed the client's kept-alive connection. The
			// client drops it once its read loop sees it closed; until
			// then the next write may go out on it and be reset: sent
			// without an answer, a different outcome than the shop being
			// down, which this test is about. So it is dropped now.
			h.tr.CloseIdleConnections()
		}
	}
	err := e.send()
	var se *engine.ShopError
	if !errors.As(err, &se) || !errors.Is(err, backend.ErrUnavailable) {
		t.Fatalf("want a ShopError (unavailable), got %v", err)
	}
	if h.calls != 2 {
		t.Errorf("%d ApplyBatch calls, want 2: the replay stops at the failed one", h.calls)
	}
	for i, o := range orders {
		s := e.state(edits[i].ID, o.Number)
		want, applied, attempts, why := backend.EditDone, 1, 1, ""
		switch {
		case i >= 40:
			want, applied, attempts = backend.EditPending, 0, 0
		case i >= 20:
			want, applied, why = backend.EditPending, 0, "not sent: "
		}
		if s.State != want || e.srv.Applied(o.Number) != applied || s.Attempts != attempts || !strings.HasPrefix(s.Error, why) || why == "" && s.Error != "" {
			t.Errorf("%d %s: %s %q, applied %d, %d attempts; want %s %q…, applied %d, %d attempts",
				i, o.Number, s.State, s.Error, e.srv.Applied(o.Number), s.Attempts, want, why, applied, attempts)
		}
	}
	h.before = nil
	if err := e.srv.SetOffline(false); err != nil {
		t.Fatal(err)
	}
	if err := e.send(); err != nil {
		t.Fatal(err)
	}
	for i, o := range orders {
		if s := e.state(edits[i].ID, o.Number); s.State != backend.EditDone || e.srv.Applied(o.Number) != 1 {
			t.Errorf("after coming back, %s: %s, applied %d", o.Number, s.State, e.srv.Applied(o.Number))
		}
	}
}
