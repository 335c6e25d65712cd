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
	"orderdesk/cache"
)

// env is one simulated shop, its adapter, a real database and a desk.
type env struct {
	t    *testing.T
	srv  *simshop.Server
	shop backend.Shop
	st   *cache.Store
	desk *engine.Desk
}

func newEnv(t *testing.T, p backend.Platform, orders int) *env {
	t.Helper()
	return newEnvWith(t, p, orders, 0)
}

// newEnvWith is newEnv whose shop gives up on a call after callLimit (0:
// the default).
func newEnvWith(t *testing.T, p backend.Platform, orders int, callLimit time.Duration) *env {
	t.Helper()
	srv, err := simshop.New(p, simshop.Options{Seed: 5, Orders: orders})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(srv.Close)
	cfg := srv.Config("s")
	cfg.CallLimit = callLimit
	cfg.Rate, cfg.Burst = 1000, 100 // the rate limit is not the subject here
	shop, err := platforms.Open(cfg)
	if err != nil {
		t.Fatal(err)
	}
	st, err := cache.Open(filepath.Join(t.TempDir(), "t.db"), cache.Options{})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { st.Close() })
	return &env{t: t, srv: srv, shop: shop, st: st, desk: engine.NewDesk(st, []backend.Shop{shop}, time.Now)}
}

func (e *env) pull() engine.Result {
	return engine.Pull(context.Background(), e.st, e.shop, time.Now, nil)
}

// edit drafts and saves an edit on a cached order.
func (e *env) edit(number string, a backend.Action) *backend.Edit {
	e.t.Helper()
	d, err := e.desk.Draft(backend.Ref{Shop: "s", Number: number}, a, "tester")
	if err != nil {
		e.t.Fatal(err)
	}
	if err := e.desk.Save(d); err != nil {
		e.t.Fatal(err)
	}
	return d
}

func (e *env) state(id string, number string) backend.Edit {
	e.t.Helper()
	h, err := e.st.History(backend.Ref{Shop: "s", Number: number})
	if err != nil {
		e.t.Fatal(err)
	}
	for _, x := range h {
		if x.ID == id {
			return x
		}
	}
	e.t.Fatalf("no edit %s", id)
	return backend.Edit{}
}

func (e *env) send() error {
	_, err := e.desk.Send(context.Background(), "s", backend.Ref{}, nil)
	return err
}

func TestPullIsIncrementalAfterAFullPass(t *testing.T) {
	t.Parallel()
	for _, c := range []struct {
		p     backend.Platform
		param string // the query or form field an incremental pass sends
	}{
		{backend.Shopline, "updated_at_min"},
		{backend.Fecshop, "begin_date"},
	} {
		t.Run(string(c.p), func(t *testing.T) {
			e := newEnv(t, c.p, 30)
			if r := e.pull(); r.Err != nil || !r.Full || r.Orders != 30 {
				t.Fatalf("first pull: %+v", r)
			}
			cur, _ := e.st.Cursor("s")
			if cur.HighWater == nil || cur.LastFull == nil || cur.LastError != "" {
				t.Fatalf("cursor after a full pass: %+v", cur)
			}
			e.srv.ResetRecord()
			if r := e.pull(); r.Err != nil || r.Full {
				t.Fatalf("second pull: %+v", r)
			}
			found := false
			for _, req := range e.srv.Requests() {
				found = found || req.Query.Get(c.param) != "" || req.Form.Get(c.param) != ""
			}
			if !found {
				t.Errorf("the second pass sent no %s", c.param)
			}
		})
	}
}

// A page that cannot be decoded stops the pass: pages stored before it
// stay, the cursor does not move, and the error names the shop.
func TestPullBadPageKeepsCacheAndCursor(t *testing.T) {
	t.Parallel()
	e := newEnv(t, backend.Shopline, 250)
	if r := e.pull(); r.Err != nil {
		t.Fatal(r.Err)
	}
	before, _ := e.st.Cursor("s")
	e.srv.Inject(simshop.Fault{Kind: simshop.FaultMalformed, On: simshop.Reads, Path: "orders.json", Times: 50})
	r := e.pull()
	if r.Err == nil || !strings.Contains(r.Err.Error(), "s:") {
		t.Fatalf("want an error naming the shop, got %v", r.Err)
	}
	after, _ := e.st.Cursor("s")
	if !after.HighWater.Equal(*before.HighWater) || after.LastError == "" {
		t.Errorf("cursor moved or kept no error: before %+v after %+v", before, after)
	}
	if n, _ := e.st.Count("s"); n != 250 {
		t.Errorf("cache has %d orders, want all 250", n)
	}
}

// pickStatus finds a cached order and a status change the platform allows.
func pickStatus(t *testing.T, e *env, n int) (*backend.Order, []backend.Action) {
	t.Helper()
	for _, o := range e.srv.Orders() {
		var ok []backend.Action
		for _, v := range e.shop.Capabilities().Status.Values {
			if a := (backend.Action{Kind: backend.ActionStatus, Status: v.Value}); e.shop.Check(o, a) == nil {
				ok = append(ok, a)
			}
		}
		if len(ok) >= n {
			return o, ok
		}
	}
	t.Fatal("no order fits")
	return nil, nil
}

// Edits of one order go in order; one that fails holds the later ones back
// (they are not sent and say why).
func TestSenderHoldsLaterEditsBehindAFailure(t *testing.T) {
	t.Parallel()
	e := newEnv(t, backend.YMCart, 30)
	e.pull()
	o, _ := pickStatus(t, e, 1)
	first := e.edit(o.Number, backend.Action{Kind: backend.ActionRemark, Remark: "first"})
	second := e.edit(o.Number, backend.Action{Kind: backend.ActionRemark, Remark: "second"})
	e.srv.Inject(simshop.Fault{Kind: simshop.FaultStatus, Status: 400, On: simshop.Writes})
	e.send()
	f, s := e.state(first.ID, o.Number), e.state(second.ID, o.Number)
	if f.State != backend.EditFailed || s.State != backend.EditPending || !strings.Contains(s.Error, first.ID) {
		t.Fatalf("first %s %q, second %s %q", f.State, f.Error, s.State, s.Error)
	}
	if n := e.srv.Applied(o.Number); n != 0 {
		t.Errorf("applied %d", n)
	}
}

// An edit made on top of a pending one is re-based when the first is done:
// the desk's own change is not a conflict.
func TestSenderRebasesStackedEdits(t *testing.T) {
	t.Parallel()
	e := newEnv(t, backend.Fecshop, 40)
	e.pull()
	var o *backend.Order
	var a1, a2 backend.Action
	for _, cand := range e.srv.Orders() {
		for _, v := range e.shop.Capabilities().Status.Values {
			x := backend.Action{Kind: backend.ActionStatus, Status: v.Value}
			if e.shop.Check(cand, x) != nil {
				continue
			}
			after := *cand
			after.RawStatus = map[string]string{"order_status": v.Value}
			for _, w := range e.shop.Capabilities().Status.Values {
				y := backend.Action{Kind: backend.ActionStatus, Status: w.Value}
				if o == nil && e.shop.Check(&after, y) == nil {
					o, a1, a2 = cand, x, y
				}
			}
		}
	}
	if o == nil {
		t.Fatal("no order with two status changes in a row")
	}
	first := e.edit(o.Number, a1)
	// The second edit was made while the first was pending: the desk would
	// refuse it on the cached copy, so it is saved directly as the TUI's
	// optimistic view would.
	second := *first
	second.ID, second.Seq, second.Action, second.Summary = "", 0, a2, backend.Describe(a2)
	if err := e.st.AddEdit(&second); err != nil {
		t.Fatal(err)
	}
	if err := e.send(); err != nil {
		t.Fatal(err)
	}
	for _, id := range []string{first.ID, second.ID} {
		if s := e.state(id, o.Number); s.State != backend.EditDone {
			t.Errorf("%s: %s %q", id, s.State, s.Error)
		}
	}
	if got, _ := e.srv.Order(o.Number); got.RawStatus["order_status"] != a2.Status {
		t.Errorf("shop status %v, want %s", got.RawStatus, a2.Status)
	}
}

// A process killed mid-send leaves the edit "sending". The next replay reads
// the order back: applied → done without a resend; not applied → sent once.
func TestSenderReadsBackAfterACrashMidSend(t *testing.T) {
	t.Parallel()
	e := newEnv(t, backend.Shopline, 30)
	e.pull()
	o, acts := pickStatus(t, e, 1)
	applied := e.edit(o.Number, acts[0])
	// The shop applied it, the process died before recording the answer.
	if _, err := e.shop.Apply(context.Background(), o, acts[0]); err != nil {
		t.Fatal(err)
	}
	x := e.state(applied.ID, o.Number)
	x.State, x.Attempts = backend.EditSending, 1
	if err := e.st.SaveEdits(nil, x); err != nil {
		t.Fatal(err)
	}
	if err := e.send(); err != nil {
		t.Fatal(err)
	}
	if s := e.state(applied.ID, o.Number); s.State != backend.EditDone || s.Attempts != 1 {
		t.Errorf("after read-back: %s, %d attempts", s.State, s.Attempts)
	}
	if n := e.srv.Applied(o.Number); n != 1 {
		t.Errorf("applied %d times, want 1", n)
	}
}

// An unknown outcome (the answer was lost) is read back right away.
func TestSenderUnknownOutcomeIsReadBack(t *testing.T) {
	t.Parallel()
	e := newEnv(t, backend.YMCart, 30)
	e.pull()
	o, acts := pickStatus(t, e, 1)
	ed := e.edit(o.Number, acts[0])
	e.srv.Inject(simshop.Fault{Kind: simshop.FaultDropAfterApply, On: simshop.Writes})
	if err := e.send(); err != nil {
		t.Fatal(err)
	}
	if s := e.state(ed.ID, o.Number); s.State != backend.EditDone {
		t.Errorf("state %s %q", s.State, s.Error)
	}
	if n := e.srv.Applied(o.Number); n != 1 {
		t.Errorf("applied %d", n)
	}
}

// An unreachable shop stops the replay; the edit stays pending.
func TestSenderOfflineKeepsEditPending(t *testing.T) {
	t.Parallel()
	// The read before the write fails at once (connection refused) and is
	// retried with backoff: 4 retries take 3.75 to 7.5 s. A 2 s call
	// limit ends them sooner with the same error, the shop unavailable.
	e := newEnvWith(t, backend.Shopline, 20, 2*time.Second)
	e.pull()
	o, acts := pickStatus(t, e, 1)
	ed := e.edit(o.Number, acts[0])
	e.srv.SetOffline(true)
	err := e.send()
	var se *engine.ShopError
	if !errors.As(err, &se) {
		t.Fatalf("want a ShopError, got %v", err)
	}
	if s := e.state(ed.ID, o.Number); s.State != backend.EditPending || s.Error == "" {
		t.Errorf("state %s %q", s.State, s.Error)
	}
	e.srv.SetOffline(false)
	if err := e.send(); err != nil {
		t.Fatal(err)
	}
	if s := e.state(ed.ID, o.Number); s.State != backend.EditDone {
		t.Errorf("after coming back: %s", s.State)
	}
}
