package engine_test

import (
	"context"
	"errors"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"orderdesk/backend"
	"orderdesk/backend/engine"
	"orderdesk/backend/platforms"
	"orderdesk/backend/simshop"
	"orderdesk/backend/storage"
	"orderdesk/cache"
)

// historyT0 is when the simulated year of history ends.
var historyT0 = time.Date(2026, 11, 1, 0, 0, 0, 0, time.UTC)

// history is a shop with a year of orders, as a real one looks: older
// orders mostly shipped and never marked completed, some abandoned unpaid.
// The clock is the test's: each sync runs at h.at.
type history struct {
	t    *testing.T
	srv  *simshop.Server
	shop backend.Shop
	st   *cache.Store
	at   time.Time
	plan engine.Plan
}

// Raw statuses the test sets, per platform: shipped (open), abandoned
// unpaid (open), completed, and the change it makes to an order.
var historyStatuses = map[backend.Platform]struct{ shipped, unpaid, closed, change map[string]string }{
	backend.Fecshop: {
		shipped: map[string]string{"order_status": "dispatched"},
		unpaid:  map[string]string{"order_status": "payment_pending"},
		closed:  map[string]string{"order_status": "completed"},
		change:  map[string]string{"order_status": "received"},
	},
	backend.Fecmall: {
		shipped: map[string]string{"order_status": "2", "payment_status": "3", "fulfillment_status": "5"},
		unpaid:  map[string]string{"order_status": "2", "payment_status": "2", "fulfillment_status": "1"},
		closed:  map[string]string{"order_status": "4", "payment_status": "5", "fulfillment_status": "8"},
		change:  map[string]string{"order_status": "2", "payment_status": "3", "fulfillment_status": "7"},
	},
}

func newHistory(t *testing.T, p backend.Platform, orders int) *history {
	t.Helper()
	srv, err := simshop.New(p, simshop.Options{Seed: 11, Orders: orders, Span: 365 * 24 * time.Hour, Now: historyT0})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(srv.Close)
	st := historyStatuses[p]
	for i, o := range srv.Orders() {
		if o.CreatedAt.After(historyT0.Add(-30 * 24 * time.Hour)) {
			continue
		}
		raw := st.shipped
		switch i % 10 {
		case 0:
			raw = st.unpaid
		case 1:
			raw = st.closed
		}
		srv.Mutate(o.Number, func(o *backend.Order) { o.RawStatus = clone(raw) })
	}
	cfg := srv.Config("h")
	cfg.Rate, cfg.Burst = 10000, 100 // the rate limit is not the subject
	shop, err := platforms.Open(cfg)
	if err != nil {
		t.Fatal(err)
	}
	db, err := cache.Open(filepath.Join(t.TempDir(), "h.db"), cache.Options{})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { db.Close() })
	return &history{t: t, srv: srv, shop: shop, st: db, at: historyT0.Add(time.Hour)}
}

func clone(m map[string]string) map[string]string {
	out := map[string]string{}
	for k, v := range m {
		out[k] = v
	}
	return out
}

// sync runs one sync at h.at and returns how many list requests it made.
func (h *history) sync(ctx context.Context) (engine.Result, int) {
	h.t.Helper()
	h.srv.ResetRecord()
	r := engine.PullPlan(ctx, h.st, h.shop, h.plan, func() time.Time { return h.at }, nil)
	return r, h.lists()
}

// lists counts the list requests recorded since the last reset.
func (h *history) lists() int {
	n := 0
	for _, r := range h.srv.Requests() {
		if strings.Contains(r.Path, "list") {
			n++
		}
	}
	return n
}

// pick returns the number of an order created about age before T0 whose
// status the test set to shipped (still open).
func (h *history) pick(age time.Duration) string {
	h.t.Helper()
	want := historyT0.Add(-age)
	best, gap := "", time.Duration(1<<62)
	for _, o := range h.srv.Orders() {
		d := o.CreatedAt.Sub(want).Abs()
		if d < gap && o.State.Order != backend.OrderCancelled && o.State.Order != backend.OrderCompleted && o.State.Payment == backend.PayPaid {
			best, gap = o.Number, d
		}
	}
	return best
}

// change sets an order's raw status on the shop side.
func (h *history) change(number string, raw map[string]string) {
	h.srv.Mutate(number, func(o *backend.Order) { o.RawStatus = clone(raw) })
}

// seen reports whether the cache holds the order with that raw status.
func (h *history) seen(number string, raw map[string]string) bool {
	h.t.Helper()
	o, err := h.st.Order(backend.Ref{Shop: "h", Number: number})
	if err != nil {
		h.t.Fatal(err)
	}
	for k, v := range raw {
		if o.RawStatus[k] != v {
			return false
		}
	}
	return true
}

func (h *history) cached() int {
	h.t.Helper()
	n := 0
	if err := h.st.Scan(storage.ScanQuery{Shop: "h"}, func(*backend.Order, []byte) error { n++; return nil }); err != nil {
		h.t.Fatal(err)
	}
	return n
}

// A shop with a year of history: a sync with nothing changed costs a
// fraction of the first; a change to a recent order is seen at the next
// sync, one to an old open order within one recheck period.
func TestYearOfHistoryResync(t *testing.T) {
	t.Parallel()
	for _, c := range []struct {
		p      backend.Platform
		orders int
	}{{backend.Fecshop, 500}, {backend.Fecmall, 750}} {
		t.Run(string(c.p), func(t *testing.T) {
			t.Parallel()
			h := newHistory(t, c.p, c.orders)
			first, full := h.sync(context.Background())
			if first.Err != nil || !first.Full || h.cached() != c.orders {
				t.Fatalf("first sync: %+v, %d orders cached of %d", first, h.cached(), c.orders)
			}
			h.at = h.at.Add(5 * time.Minute)
			r, again := h.sync(context.Background())
			t.Logf("%s: first sync %d list requests, the next with nothing changed %d", c.p, full, again)
			if r.Err != nil || r.Full {
				t.Fatalf("second sync: %+v", r)
			}
			if again*5 > full {
				t.Errorf("a sync with nothing changed made %d list requests, more than 20%% of the first sync's %d", again, full)
			}

			st := historyStatuses[c.p]
			recent := h.pick(2 * 24 * time.Hour)
			h.change(recent, st.change)
			h.at = h.at.Add(5 * time.Minute)
			if r, _ := h.sync(context.Background()); r.Err != nil {
				t.Fatal(r.Err)
			}
			if !h.seen(recent, st.change) {
				t.Errorf("a change to %s, created 2 days ago, was not seen by the next sync", recent)
			}

			// Then again just after the walk went past it: the worst case,
			// seen by the next walk.
			old := h.pick(200 * 24 * time.Hour)
			rounds := []map[string]string{st.change, st.shipped}
			if testing.Short() || c.p == backend.Fecshop {
				rounds = rounds[:1] // Fecshop's 5-order pages make the second walk slow under -race
			}
			for round, raw := range rounds {
				h.change(old, raw)
				changed, most, total, syncs := h.at, 0, 0, 0
				for !h.seen(old, raw) {
					if h.at.Sub(changed) > engine.DefaultRecheckEvery {
						t.Fatalf("a change to %s, open and created 200 days ago, not seen %s after it was made (%d syncs, one every 2 hours)", old, h.at.Sub(changed), syncs)
					}
					h.at = h.at.Add(2 * time.Hour)
					r, n := h.sync(context.Background())
					if r.Err != nil {
						t.Fatal(r.Err)
					}
					most, total, syncs = max(most, n), total+n, syncs+1
				}
				t.Logf("%s round %d: the change to %s (200 days old) seen %s after it was made; %d syncs 2 hours apart, %d list requests each at most, %d in all",
					c.p, round+1, old, h.at.Sub(changed), syncs, most, total)
			}
		})
	}
}

// A full pass cut short goes on where it stopped: over both syncs the
// shop is asked for at most one page more than one uninterrupted pass.
func TestFullPassResumes(t *testing.T) {
	t.Parallel()
	const orders = 300
	h := newHistory(t, backend.Fecshop, orders)
	const pass = orders / 5 // Fecshop lists 5 orders a page

	// The process dies after storing half the pages: nothing it would
	// write after that is written.
	h.srv.ResetRecord()
	dying := &dyingStore{Store: h.st, pages: pass / 2}
	r := engine.PullPlan(context.Background(), dying, h.shop, engine.Plan{}, func() time.Time { return h.at }, nil)
	cut := h.lists()
	if r.Err == nil || r.Pages != pass/2 {
		t.Fatalf("the cut sync: %+v (want it stopped after %d pages)", r, pass/2)
	}
	h.at = h.at.Add(time.Minute)
	h.srv.ResetRecord()
	r = engine.PullPlan(context.Background(), h.st, h.shop, engine.Plan{}, func() time.Time { return h.at }, nil)
	rest := h.lists()
	if r.Err != nil || !r.Resumed || !r.Full {
		t.Fatalf("the next sync: %+v", r)
	}
	t.Logf("uninterrupted pass: %d list requests; cut after %d pages: %d + %d", pass, pass/2, cut, rest)
	if cut+rest > pass+1 {
		t.Errorf("%d + %d list requests over both syncs, more than one pass (%d) + 1", cut, rest, pass)
	}
	if n := h.cached(); n != orders {
		t.Errorf("%d orders cached after the resumed pass, want %d", n, orders)
	}
	cur, err := h.st.Cursor("h")
	if err != nil || cur.Pass != nil || cur.LastFull == nil || cur.HighWater == nil {
		t.Errorf("cursor after the resumed pass: %+v, %v", cur, err)
	}
}

// dyingStore stores pages pages, then writes nothing more, as a process
// killed at that point would.
type dyingStore struct {
	storage.Store
	pages int
}

var errDead = errors.New("the process was killed")

func (d *dyingStore) PutPage(shop string, orders []*backend.Order, c backend.SyncCursor) error {
	if d.pages <= 0 {
		return errDead
	}
	d.pages--
	return d.Store.PutPage(shop, orders, c)
}

func (d *dyingStore) PutOrders(shop string, orders []*backend.Order) error {
	if d.pages <= 0 {
		return errDead
	}
	return d.Store.PutOrders(shop, orders)
}

func (d *dyingStore) SetCursor(shop string, c backend.SyncCursor) error {
	if d.pages <= 0 {
		return errDead
	}
	return d.Store.SetCursor(shop, c)
}

// A saved pass whose cursor the shop no longer takes starts over instead
// of failing every engine.
func TestResumeWithAStaleCursorStartsOver(t *testing.T) {
	t.Parallel()
	for _, p := range []backend.Platform{backend.Fecshop, backend.Shopline} {
		e := newEnv(t, p, 12)
		cur := backend.SyncCursor{Pass: &backend.SyncPass{Kind: backend.PassFull, Next: "no-such-cursor", Pages: 3, Orders: 15, Total: -1}}
		if err := e.st.SetCursor("s", cur); err != nil {
			t.Fatal(err)
		}
		r := e.pull()
		if r.Err != nil || !r.Full {
			t.Fatalf("%s: %+v", p, r)
		}
		n := 0
		e.st.Scan(storage.ScanQuery{}, func(*backend.Order, []byte) error { n++; return nil })
		after, _ := e.st.Cursor("s")
		if n != 12 || after.Pass != nil || after.LastFull == nil {
			t.Errorf("%s: %d orders cached, cursor %+v", p, n, after)
		}
	}
}
