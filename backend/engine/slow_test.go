package engine_test

import (
	"context"
	"errors"
	"strings"
	"sync"
	"testing"
	"time"

	"orderdesk/backend"
	"orderdesk/backend/engine"
	"orderdesk/backend/simshop"
)

// silentEnv is env with a short call limit (1 s: the slow notice comes
// at 0.5 s), so a shop that never answers is given up on quickly.
func silentEnv(t *testing.T, p backend.Platform) *env {
	t.Helper()
	return newEnvWith(t, p, 10, time.Second)
}

// events collects progress events.
type events struct {
	mu  sync.Mutex
	all []engine.Event
}

func (ev *events) progress(e engine.Event) {
	ev.mu.Lock()
	defer ev.mu.Unlock()
	ev.all = append(ev.all, e)
}

func (ev *events) of(kind engine.EventKind) []engine.Event {
	ev.mu.Lock()
	defer ev.mu.Unlock()
	var out []engine.Event
	for _, e := range ev.all {
		if e.Kind == kind {
			out = append(out, e)
		}
	}
	return out
}

// TestSyncOfASilentShop: a shop that takes requests and never answers is
// said to be slow, then given up on at its call limit with an error that
// names it and says it is unreachable; its outbox is not replayed (every
// call would wait as long), so its edits stay as they were.
func TestSyncOfASilentShop(t *testing.T) {
	t.Parallel()
	for _, p := range bothPaths {
		t.Run(string(p), func(t *testing.T) {
			e := silentEnv(t, p)
			e.pull()
			o := remarkable(t, e, 0)
			ed := e.edit(o.Number, backend.Action{Kind: backend.ActionRemark, Remark: "waits for the shop"})
			e.srv.Inject(simshop.Fault{Kind: simshop.FaultHang, Times: 1000})
			var ev events
			done := make(chan []engine.ShopReport, 1)
			go func() {
				reports, _ := e.desk.Sync(context.Background(), nil, ev.progress)
				done <- reports
			}()
			var reports []engine.ShopReport
			select {
			case reports = <-done:
			case <-time.After(20 * time.Second): // generous: the limit is 1 s
				t.Fatal("the sync of a silent shop did not give up")
			}
			err := reports[0].Err()
			var na *backend.NoAnswerError
			if !errors.As(err, &na) || na.Limit != time.Second || !errors.Is(err, backend.ErrUnavailable) || !engine.Unreachable(err) {
				t.Fatalf("report: %v", err)
			}
			if got := err.Error(); got[:3] != "s: " {
				t.Errorf("the error does not name the shop first: %q", got)
			}
			slow := ev.of(engine.EventSlow)
			if len(slow) != 1 || slow[0].Shop != "s" || slow[0].Slow == nil || slow[0].Slow.Limit != time.Second ||
				slow[0].Slow.For != 500*time.Millisecond {
				t.Errorf("slow events: %+v", slow)
			}
			if errs := ev.of(engine.EventError); len(errs) != 1 || !engine.Unreachable(errs[0].Err) {
				t.Errorf("error events: %+v", errs)
			}
			if reports[0].Sent != nil || reports[0].SendErr != nil {
				t.Errorf("the outbox of an unreachable shop was replayed: %+v %v", reports[0].Sent, reports[0].SendErr)
			}
			if s := e.state(ed.ID, o.Number); s.State != backend.EditPending || s.Error != "" {
				t.Errorf("the edit: %s %q", s.State, s.Error)
			}
		})
	}
}

// TestSendToAShopThatGoesSilent: the order is read, the write is taken
// and never answered: the edit ends unknown at the call limit, without a
// read back that would wait as long; the next replay reads the order and
// sends it once (the silent shop applied nothing).
func TestSendToAShopThatGoesSilent(t *testing.T) {
	t.Parallel()
	for _, p := range bothPaths {
		t.Run(string(p), func(t *testing.T) {
			e := silentEnv(t, p)
			e.pull()
			o := remarkable(t, e, 0)
			ed := e.edit(o.Number, backend.Action{Kind: backend.ActionRemark, Remark: "into the silence"})
			e.srv.Inject(simshop.Fault{Kind: simshop.FaultHang, On: simshop.Writes, Times: 1000})
			var ev events
			reads := len(e.srv.Requests())
			_, err := e.desk.Send(context.Background(), "s", backend.Ref{}, ev.progress)
			var se *engine.ShopError
			if !errors.As(err, &se) || !engine.Unreachable(err) {
				t.Fatalf("send: %v", err)
			}
			if s := e.state(ed.ID, o.Number); s.State != backend.EditUnknown {
				t.Errorf("the edit: %s %q", s.State, s.Error)
			}
			var after []string
			for _, r := range e.srv.Requests()[reads:] {
				after = append(after, r.Method+" "+r.Path+" "+r.Fault)
			}
			if n := len(after); n < 2 || !strings.HasSuffix(after[n-1], " hang") || strings.HasSuffix(after[n-2], " hang") {
				t.Errorf("requests %q: want the read, then the unanswered write and no read back", after)
			}
			if len(ev.of(engine.EventSlow)) != 1 {
				t.Errorf("slow events: %+v", ev.of(engine.EventSlow))
			}
			e.srv.ClearFaults()
			if err := e.send(); err != nil {
				t.Fatal(err)
			}
			if s := e.state(ed.ID, o.Number); s.State != backend.EditDone || e.count(o.Number, "into the silence") != 1 {
				t.Errorf("next send: %s %q, on the shop %d times", s.State, s.Error, e.count(o.Number, "into the silence"))
			}
		})
	}
}
