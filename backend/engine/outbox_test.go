package engine_test

import (
	"context"
	"errors"
	"strings"
	"testing"
	"time"

	"orderdesk/backend"
	"orderdesk/backend/engine"
	"orderdesk/backend/simshop"
	"orderdesk/backend/ymcart"
)

// bothPaths are the two ways a shop's outbox is replayed: one edit at a
// time (SHOPLINE) and in rounds of batch calls (YMCart).
var bothPaths = []backend.Platform{backend.Shopline, backend.YMCart}

// remarkable returns a cached order of the sim that takes a remark.
func remarkable(t *testing.T, e *env, skip int) *backend.Order {
	t.Helper()
	a := backend.Action{Kind: backend.ActionRemark, Remark: "x"}
	for _, o := range e.srv.Orders() {
		if e.shop.Check(o, a) == nil {
			if skip == 0 {
				return o
			}
			skip--
		}
	}
	t.Fatal("no order takes a remark")
	return nil
}

// someoneElse changes the order's remarks on the shop, as another user of
// the shop's admin would, after the desk cached it.
func (e *env) someoneElse(o *backend.Order, text string) {
	e.t.Helper()
	cur, _ := e.srv.Order(o.Number)
	if _, err := e.shop.Apply(context.Background(), cur, backend.Action{Kind: backend.ActionRemark, Remark: text}); err != nil {
		e.t.Fatal(err)
	}
}

// count counts the shop's remarks with exactly this text.
func (e *env) count(number, text string) int {
	o, _ := e.srv.Order(number)
	n := 0
	for _, r := range o.Remarks {
		if strings.Contains(r.Text, text) {
			n++
		}
	}
	return n
}

// conflict saves a remark on a cached order that someone else then
// remarks on the shop, and sends: the edit ends in conflict, unsent.
func (e *env) conflict(o *backend.Order, text string) *backend.Edit {
	e.t.Helper()
	ed := e.edit(o.Number, backend.Action{Kind: backend.ActionRemark, Remark: text})
	e.someoneElse(o, "someone else's note on "+o.Number)
	if err := e.send(); err != nil {
		e.t.Fatal(err)
	}
	if s := e.state(ed.ID, o.Number); s.State != backend.EditConflict || e.count(o.Number, text) != 0 {
		e.t.Fatalf("before the retry: %s %q, shop has it %d times", s.State, s.Error, e.count(o.Number, text))
	}
	return ed
}

// TestRetryDecidesAConflictOnTheShopsOrder: a conflict, retried, is
// decided on the shop's current order and applied exactly once; later
// replays send nothing more. Every desk hears of the retry.
func TestRetryDecidesAConflictOnTheShopsOrder(t *testing.T) {
	t.Parallel()
	for _, p := range bothPaths {
		t.Run(string(p), func(t *testing.T) {
			e := newEnv(t, p, 20)
			e.pull()
			o := remarkable(t, e, 0)
			ed := e.conflict(o, "retry me once")
			feed := e.desk.Subscribe()
			defer feed.Close()
			got, err := e.desk.Retry(ed.ID, "bob")
			if err != nil {
				t.Fatal(err)
			}
			if got.State != backend.EditPending || !got.Retry || got.Error != "retry asked by bob" {
				t.Errorf("Retry returned %+v", got)
			}
			ev, ok := feed.Next(context.Background())
			if !ok || ev.Kind != engine.EventEdit || ev.Edit == nil || ev.Edit.ID != ed.ID || !ev.Edit.Retry {
				t.Errorf("feed: %+v", ev)
			}
			applied := e.srv.Applied(o.Number)
			if err := e.send(); err != nil {
				t.Fatal(err)
			}
			s := e.state(ed.ID, o.Number)
			if s.State != backend.EditDone || s.Retry {
				t.Errorf("after the retry: %s %q retry=%t", s.State, s.Error, s.Retry)
			}
			for range 2 {
				if err := e.send(); err != nil {
					t.Fatal(err)
				}
			}
			if n := e.srv.Applied(o.Number) - applied; n != 1 || e.count(o.Number, "retry me once") != 1 {
				t.Errorf("applied %d times, shows %d times; want exactly once", n, e.count(o.Number, "retry me once"))
			}
		})
	}
}

// TestDiscardIsNeverSentAndFreesLaterEdits: a discarded conflict is never
// sent, later edits of its order that waited for it are sent, and the
// discard stays in the order's history and the audit log.
func TestDiscardIsNeverSentAndFreesLaterEdits(t *testing.T) {
	t.Parallel()
	for _, p := range bothPaths {
		t.Run(string(p), func(t *testing.T) {
			e := newEnv(t, p, 20)
			e.pull()
			o := remarkable(t, e, 1)
			first := e.edit(o.Number, backend.Action{Kind: backend.ActionRemark, Remark: "never send me"})
			e.someoneElse(o, "someone else's note")
			// a later edit of the same order, of a kind the change did not touch
			_, acts := pickStatusOf(t, e, o)
			later := e.edit(o.Number, acts[0])
			if err := e.send(); err != nil {
				t.Fatal(err)
			}
			if s := e.state(later.ID, o.Number); s.State != backend.EditPending || !strings.Contains(s.Error, "waits for "+first.ID) {
				t.Fatalf("the later edit is not held back: %s %q", s.State, s.Error)
			}
			feed := e.desk.Subscribe()
			defer feed.Close()
			got, err := e.desk.Discard(first.ID, "bob")
			if err != nil || got.State != backend.EditDiscarded || got.Error != "discarded by bob" {
				t.Fatalf("Discard: %+v, %v", got, err)
			}
			if ev, ok := feed.Next(context.Background()); !ok || ev.Kind != engine.EventEdit || ev.Edit == nil || ev.Edit.State != backend.EditDiscarded {
				t.Errorf("feed: %+v", ev)
			}
			if s := e.state(later.ID, o.Number); s.Error != "" {
				t.Errorf("the later edit still says %q", s.Error)
			}
			for range 2 {
				if err := e.send(); err != nil {
					t.Fatal(err)
				}
			}
			if s := e.state(later.ID, o.Number); s.State != backend.EditDone {
				t.Errorf("the later edit after the discard: %s %q", s.State, s.Error)
			}
			if s := e.state(first.ID, o.Number); s.State != backend.EditDiscarded || s.Attempts != 0 || e.count(o.Number, "never send me") != 0 {
				t.Errorf("the discarded edit: %s, %d attempts, on the shop %d times", s.State, s.Attempts, e.count(o.Number, "never send me"))
			}
			open, _ := e.st.Edits("")
			if len(open) != 0 {
				t.Errorf("open edits left: %+v", open)
			}
			log, _ := e.st.AuditLog(o.Ref)
			found := false
			for _, a := range log {
				found = found || (a.EditID == first.ID && a.Operator == "bob" && a.Result == backend.EditDiscarded)
			}
			if !found {
				t.Errorf("no audit line of the discard by bob: %+v", log)
			}
		})
	}
}

// pickStatusOf returns the status changes the platform allows on o.
func pickStatusOf(t *testing.T, e *env, o *backend.Order) (*backend.Order, []backend.Action) {
	t.Helper()
	var ok []backend.Action
	for _, v := range e.shop.Capabilities().Status.Values {
		if a := (backend.Action{Kind: backend.ActionStatus, Status: v.Value}); e.shop.Check(o, a) == nil {
			ok = append(ok, a)
		}
	}
	if len(ok) == 0 {
		t.Skipf("order %s takes no status change", o.Number)
	}
	return o, ok
}

// TestRetryAndDiscardRefuseWhatTheShopMayHaveApplied: an edit sending or
// unknown (its outcome is being checked with the shop) is neither retried
// nor discarded; the error says to sync first; an unknown ID is ErrNoEdit.
func TestRetryAndDiscardRefuseWhatTheShopMayHaveApplied(t *testing.T) {
	t.Parallel()
	e := newEnv(t, backend.Shopline, 10)
	e.pull()
	o := remarkable(t, e, 0)
	ed := e.edit(o.Number, backend.Action{Kind: backend.ActionRemark, Remark: "in flight"})
	for _, st := range []backend.EditState{backend.EditSending, backend.EditUnknown} {
		x := e.state(ed.ID, o.Number)
		x.State = st
		if err := e.st.SaveEdits(nil, x); err != nil {
			t.Fatal(err)
		}
		for _, op := range []func(id, operator string) (backend.Edit, error){e.desk.Retry, e.desk.Discard} {
			_, err := op(ed.ID, "bob")
			var se *engine.EditStateError
			if !errors.As(err, &se) || se.State != st || !strings.HasSuffix(err.Error(), "sync first") || strings.Contains(err.Error(), "cache") {
				t.Errorf("%s: %v", st, err)
			}
			if s := e.state(ed.ID, o.Number); s.State != st {
				t.Errorf("%s: changed to %s", st, s.State)
			}
		}
	}
	for _, op := range []func(id, operator string) (backend.Edit, error){e.desk.Retry, e.desk.Discard} {
		if _, err := op("E404", "bob"); !errors.Is(err, engine.ErrNoEdit) || !strings.HasPrefix(err.Error(), "E404") {
			t.Errorf("unknown ID: %v", err)
		}
	}
	if _, err := e.desk.Edit("E404"); !errors.Is(err, engine.ErrNoEdit) {
		t.Errorf("Edit of an unknown ID: %v", err)
	}
	if got, err := e.desk.Edit(strings.ToLower(ed.ID)); err != nil || got.ID != ed.ID {
		t.Errorf("Edit(%s) = %+v, %v", ed.ID, got, err)
	}
}

// readHook is a shop whose first order read runs a hook: it acts between
// the sender's read of the outbox and its decision on an edit.
type readHook struct {
	backend.Shop
	before func()
}

func (h *readHook) Get(ctx context.Context, number string) (*backend.Order, error) {
	h.hook()
	return h.Shop.Get(ctx, number)
}

func (h *readHook) hook() {
	if h.before != nil {
		h.before()
		h.before = nil
	}
}

// batchReadHook is readHook for YMCart, whose batched replay reads orders
// with GetMany (and still applies in batches).
type batchReadHook struct {
	*ymcart.Shop
	first readHook
}

func (h *batchReadHook) GetMany(ctx context.Context, numbers []string) (map[string]*backend.Order, error) {
	h.first.hook()
	return h.Shop.GetMany(ctx, numbers)
}

// hookedDesk is a desk over the env's shop whose first read runs before.
func (e *env) hookedDesk(before func()) *engine.Desk {
	var s backend.Shop = &readHook{Shop: e.shop, before: before}
	if ym, ok := e.shop.(*ymcart.Shop); ok {
		s = &batchReadHook{Shop: ym, first: readHook{before: before}}
	}
	return engine.NewDesk(e.st, []backend.Shop{s}, time.Now)
}

// TestDiscardWhileTheSenderReads: an operator discards an edit after the
// sender read the outbox and before it sends: nothing is sent, the edit
// stays discarded, and the replay goes on with other orders.
func TestDiscardWhileTheSenderReads(t *testing.T) {
	t.Parallel()
	for _, p := range bothPaths {
		t.Run(string(p), func(t *testing.T) {
			e := newEnv(t, p, 20)
			e.pull()
			o, other := remarkable(t, e, 0), remarkable(t, e, 1)
			ed := e.edit(o.Number, backend.Action{Kind: backend.ActionRemark, Remark: "dropped mid-replay"})
			next := e.edit(other.Number, backend.Action{Kind: backend.ActionRemark, Remark: "sent anyway"})
			desk := e.hookedDesk(func() {
				if _, err := e.desk.Discard(ed.ID, "bob"); err != nil {
					t.Error(err)
				}
			})
			touched, err := desk.Send(context.Background(), "s", backend.Ref{}, nil)
			if err != nil {
				t.Fatal(err)
			}
			for _, x := range touched {
				if x.ID == ed.ID {
					t.Errorf("the replay reports the discarded edit: %+v", x)
				}
			}
			if s := e.state(ed.ID, o.Number); s.State != backend.EditDiscarded || s.Attempts != 0 || e.count(o.Number, "dropped mid-replay") != 0 {
				t.Errorf("discarded mid-replay: %s, %d attempts, shop has it %d times", s.State, s.Attempts, e.count(o.Number, "dropped mid-replay"))
			}
			if s := e.state(next.ID, other.Number); s.State != backend.EditDone || e.count(other.Number, "sent anyway") != 1 {
				t.Errorf("the other order's edit: %s %q", s.State, s.Error)
			}
		})
	}
}

// TestRetryWhileTheSenderReads: an operator asks for a retry of a pending
// edit after the sender read it and before it decides: the stale decision
// (a conflict) is not saved over the retry, and the next send applies it
// once.
func TestRetryWhileTheSenderReads(t *testing.T) {
	t.Parallel()
	for _, p := range bothPaths {
		t.Run(string(p), func(t *testing.T) {
			e := newEnv(t, p, 20)
			e.pull()
			o := remarkable(t, e, 0)
			ed := e.edit(o.Number, backend.Action{Kind: backend.ActionRemark, Remark: "retried mid-replay"})
			e.someoneElse(o, "someone else's note")
			desk := e.hookedDesk(func() {
				if _, err := e.desk.Retry(ed.ID, "bob"); err != nil {
					t.Error(err)
				}
			})
			if _, err := desk.Send(context.Background(), "s", backend.Ref{}, nil); err != nil {
				t.Fatal(err)
			}
			if s := e.state(ed.ID, o.Number); s.State != backend.EditPending || !s.Retry {
				t.Errorf("the retry was overwritten: %s %q retry=%t", s.State, s.Error, s.Retry)
			}
			if err := e.send(); err != nil {
				t.Fatal(err)
			}
			if s := e.state(ed.ID, o.Number); s.State != backend.EditDone || e.count(o.Number, "retried mid-replay") != 1 {
				t.Errorf("after the next send: %s %q, on the shop %d times", s.State, s.Error, e.count(o.Number, "retried mid-replay"))
			}
		})
	}
}

// applyHook is a shop whose writes run a hook first.
type applyHook struct {
	backend.Shop
	before func()
}

func (h *applyHook) Apply(ctx context.Context, o *backend.Order, a backend.Action) (*backend.Order, error) {
	h.before()
	return h.Shop.Apply(ctx, o, a)
}

// TestQuitJustBeforeTheWrite: the desk closed after the sender marked the
// edit sending and before the write left: the edit goes back to pending,
// saying it was interrupted (not "not sent: … context canceled"), and the
// next send applies it once.
func TestQuitJustBeforeTheWrite(t *testing.T) {
	t.Parallel()
	e := newEnv(t, backend.Shopline, 10)
	e.pull()
	o := remarkable(t, e, 0)
	ed := e.edit(o.Number, backend.Action{Kind: backend.ActionRemark, Remark: "cut before the write"})
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	desk := engine.NewDesk(e.st, []backend.Shop{&applyHook{Shop: e.shop, before: cancel}}, time.Now)
	if _, err := desk.Send(ctx, "s", backend.Ref{}, nil); !errors.Is(err, context.Canceled) {
		t.Fatalf("send: %v", err)
	}
	s := e.state(ed.ID, o.Number)
	if s.State != backend.EditPending || s.Error != engine.Interrupted || e.srv.Applied(o.Number) != 0 {
		t.Errorf("after the quit: %s %q, applied %d; want pending %q", s.State, s.Error, e.srv.Applied(o.Number), engine.Interrupted)
	}
	if err := e.send(); err != nil {
		t.Fatal(err)
	}
	if s := e.state(ed.ID, o.Number); s.State != backend.EditDone || e.srv.Applied(o.Number) != 1 {
		t.Errorf("next send: %s %q, applied %d", s.State, s.Error, e.srv.Applied(o.Number))
	}
}

// TestDiscardTheNextWhileSending: an operator discards an order's second
// edit while its first is being sent: the first is recorded done (the
// discarded one is not re-based over the discard), the second is never
// sent.
func TestDiscardTheNextWhileSending(t *testing.T) {
	t.Parallel()
	e := newEnv(t, backend.Shopline, 10)
	e.pull()
	o := remarkable(t, e, 0)
	first := e.edit(o.Number, backend.Action{Kind: backend.ActionRemark, Remark: "first of two"})
	second := e.edit(o.Number, backend.Action{Kind: backend.ActionRemark, Remark: "second, dropped"})
	hook := &applyHook{Shop: e.shop}
	hook.before = func() {
		hook.before = func() {}
		if _, err := e.desk.Discard(second.ID, "bob"); err != nil {
			t.Error(err)
		}
	}
	desk := engine.NewDesk(e.st, []backend.Shop{hook}, time.Now)
	if _, err := desk.Send(context.Background(), "s", backend.Ref{}, nil); err != nil {
		t.Fatal(err)
	}
	f, s := e.state(first.ID, o.Number), e.state(second.ID, o.Number)
	if f.State != backend.EditDone || s.State != backend.EditDiscarded || e.count(o.Number, "first of two") != 1 || e.count(o.Number, "second, dropped") != 0 {
		t.Errorf("first %s %q, second %s %q; shop: %d, %d", f.State, f.Error, s.State, s.Error, e.count(o.Number, "first of two"), e.count(o.Number, "second, dropped"))
	}
}

// TestPullKeepsTheLastGoodSync: a failed pass and an interrupted one record
// the try and why, and never erase when the last complete pass finished;
// an interrupted pass says so in the operator's words.
func TestPullKeepsTheLastGoodSync(t *testing.T) {
	t.Parallel()
	e := newEnv(t, backend.Shopline, 120)
	clock := time.Date(2026, 11, 5, 10, 0, 0, 0, time.UTC)
	now := func() time.Time { return clock }
	if r := engine.Pull(context.Background(), e.st, e.shop, now, nil); r.Err != nil {
		t.Fatal(r.Err)
	}
	good, _ := e.st.Cursor("s")
	if good.LastFull == nil || !good.LastFull.Equal(clock) {
		t.Fatalf("after a good pass: %+v", good)
	}
	check := func(what string, wantErr func(string) bool) {
		t.Helper()
		c, err := e.st.Cursor("s")
		if err != nil {
			t.Fatal(err)
		}
		if c.LastFull == nil || !c.LastFull.Equal(*good.LastFull) || !c.HighWater.Equal(*good.HighWater) {
			t.Errorf("%s: the last good sync was lost: %+v", what, c)
		}
		if c.LastSync == nil || !c.LastSync.Equal(clock) || !wantErr(c.LastError) {
			t.Errorf("%s: last try %v %q", what, c.LastSync, c.LastError)
		}
	}

	clock = clock.Add(time.Hour)
	e.srv.Inject(simshop.Fault{Kind: simshop.FaultMalformed, On: simshop.Reads, Times: 100})
	if r := engine.Pull(context.Background(), e.st, e.shop, now, nil); r.Err == nil {
		t.Fatal("a pass against a failing shop succeeded")
	}
	check("failed pass", func(s string) bool { return s != "" && s != engine.SyncInterrupted })
	e.srv.ClearFaults()

	clock = clock.Add(time.Hour)
	e.srv.SetLatency(2 * time.Second)
	ctx, cancel := context.WithCancel(context.Background())
	defer time.AfterFunc(100*time.Millisecond, cancel).Stop() // the operator quits the desk
	if r := engine.Pull(ctx, e.st, e.shop, now, nil); r.Err == nil || !errors.Is(r.Err, context.Canceled) {
		t.Fatalf("an interrupted pass: %v", r.Err)
	}
	check("interrupted pass", func(s string) bool { return s == engine.SyncInterrupted })
}

// TestOutboxReadsAStrandedSendAsUnknown: while the desk's own replay sends
// an edit, the outbox shows it sending; an edit saved as sending with no
// replay of its shop running (a process killed mid-send) reads as unknown,
// and reading it writes nothing.
func TestOutboxReadsAStrandedSendAsUnknown(t *testing.T) {
	t.Parallel()
	e := newEnv(t, backend.Shopline, 10)
	e.pull()
	o := remarkable(t, e, 0)
	ed := e.edit(o.Number, backend.Action{Kind: backend.ActionRemark, Remark: "watched while it travels"})
	var desk *engine.Desk
	var during []backend.Edit
	hook := &applyHook{Shop: e.shop}
	hook.before = func() {
		during, _ = desk.Outbox("")
		hook.before = func() {}
	}
	desk = engine.NewDesk(e.st, []backend.Shop{hook}, time.Now)
	if _, err := desk.Send(context.Background(), "s", backend.Ref{}, nil); err != nil {
		t.Fatal(err)
	}
	if len(during) != 1 || during[0].ID != ed.ID || during[0].State != backend.EditSending {
		t.Errorf("outbox during the desk's own send: %+v", during)
	}

	// a process killed mid-send left this one sending
	stranded := e.edit(o.Number, backend.Action{Kind: backend.ActionRemark, Remark: "left mid-send"})
	x := e.state(stranded.ID, o.Number)
	x.State, x.Attempts = backend.EditSending, 1
	if err := e.st.SaveEdits(nil, x); err != nil {
		t.Fatal(err)
	}
	got, err := desk.Outbox("s")
	if err != nil || len(got) != 1 || got[0].ID != stranded.ID || got[0].State != backend.EditUnknown || got[0].Error != engine.Stranded {
		t.Fatalf("outbox with a stranded send: %+v %v", got, err)
	}
	if one, err := desk.Edit(stranded.ID); err != nil || one.State != backend.EditUnknown {
		t.Errorf("Edit: %+v %v", one, err)
	}
	if h, err := desk.History(backend.Ref{Shop: "s", Number: o.Number}); err != nil || h[len(h)-1].State != backend.EditUnknown || h[0].State != backend.EditDone {
		t.Errorf("History: %+v %v", h, err)
	}
	if s := e.state(stranded.ID, o.Number); s.State != backend.EditSending {
		t.Errorf("reading the outbox changed the stored edit to %s", s.State)
	}
}
