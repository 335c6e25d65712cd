package engine_test

import (
	"context"
	"strings"
	"testing"
	"time"

	"orderdesk/backend"
	"orderdesk/backend/engine"
	"orderdesk/backend/ymcart"
)

// blind makes the reads that follow a shop's first write fail, as when the
// network drops right after the shop took the write: the sender cannot see
// the order after the edit it just applied.
type blind struct {
	fails     int    // reads to fail after the first write
	meanwhile func() // runs at the first failed read (someone else on the shop)
	armed     bool
	wrote     bool
}

func (b *blind) write() {
	if !b.wrote {
		b.wrote, b.armed = true, true
	}
}

// read returns the failure of a read that must fail, else nil.
func (b *blind) read(op string) error {
	if !b.armed || b.fails == 0 {
		return nil
	}
	b.fails--
	if b.meanwhile != nil {
		b.meanwhile()
		b.meanwhile = nil
	}
	return &backend.Error{Kind: backend.ErrUnavailable, Shop: "s", Op: op, Reason: "the network dropped (test)"}
}

// blindShop is a one-edit-at-a-time shop whose Apply returns no order, as
// Fecshop's does, so the sender reads the order after each write.
type blindShop struct {
	backend.Shop
	*blind
}

func (s *blindShop) Apply(ctx context.Context, o *backend.Order, a backend.Action) (*backend.Order, error) {
	if _, err := s.Shop.Apply(ctx, o, a); err != nil {
		return nil, err
	}
	s.write()
	return nil, nil
}

func (s *blindShop) Get(ctx context.Context, number string) (*backend.Order, error) {
	if err := s.read("read order " + number); err != nil {
		return nil, err
	}
	return s.Shop.Get(ctx, number)
}

// blindBatch is blindShop for YMCart's batched replay (its writes return
// no order already).
type blindBatch struct {
	*ymcart.Shop
	*blind
}

func (s *blindBatch) ApplyBatch(ctx context.Context, targets []backend.Target) []error {
	errs := s.Shop.ApplyBatch(ctx, targets)
	s.write()
	return errs
}

func (s *blindBatch) GetMany(ctx context.Context, numbers []string) (map[string]*backend.Order, error) {
	if err := s.read("read orders"); err != nil {
		return nil, err
	}
	return s.Shop.GetMany(ctx, numbers)
}

func (s *blindBatch) Get(ctx context.Context, number string) (*backend.Order, error) {
	if err := s.read("read order " + number); err != nil {
		return nil, err
	}
	return s.Shop.Get(ctx, number)
}

// blindDesk is a desk over the env's shop made blind by b.
func (e *env) blindDesk(b *blind) *engine.Desk {
	var s backend.Shop = &blindShop{Shop: e.shop, blind: b}
	if ym, ok := e.shop.(*ymcart.Shop); ok {
		s = &blindBatch{Shop: ym, blind: b}
	}
	return engine.NewDesk(e.st, []backend.Shop{s}, time.Now)
}

// TestRebaseFromTheNextReadWhenTheReadAfterAWriteFails: an edit applied by
// a shop that returns no order, whose read-back fails, is done; the later
// edits of the order made on top of it are re-based on the next read of
// the order (in this replay or the next one) instead of taking the desk's
// own change for someone else's. Each is applied exactly once. A change
// someone else made on the shop meanwhile is still a conflict.
func TestRebaseFromTheNextReadWhenTheReadAfterAWriteFails(t *testing.T) {
	t.Parallel()
	for _, p := range bothPaths {
		for _, c := range []struct {
			name     string
			fails    int  // reads failing after the first write
			someone  bool // someone else remarks on the order meanwhile
			replays  int  // replays before the edits settle
			conflict bool // the later edit ends in conflict
		}{
			{name: "next read in the same replay", fails: 1, replays: 1},
			{name: "next read in the next replay", fails: 2, replays: 2},
			{name: "someone else remarked meanwhile", fails: 1, someone: true, replays: 1, conflict: true},
			{name: "someone else remarked, next replay", fails: 2, someone: true, replays: 2, conflict: true},
		} {
			t.Run(string(p)+"/"+c.name, func(t *testing.T) {
				e := newEnv(t, p, 20)
				e.pull()
				o := remarkable(t, e, 0)
				first := e.edit(o.Number, backend.Action{Kind: backend.ActionRemark, Remark: "first of two"})
				second := e.edit(o.Number, backend.Action{Kind: backend.ActionRemark, Remark: "second of two"})
				b := &blind{fails: c.fails}
				if c.someone {
					b.meanwhile = func() { e.someoneElse(o, "someone else's note meanwhile") }
				}
				desk := e.blindDesk(b)
				var err error
				for range c.replays {
					_, err = desk.Send(context.Background(), "s", backend.Ref{}, nil)
				}
				if err != nil {
					t.Fatalf("the last replay: %v", err)
				}
				if s := e.state(first.ID, o.Number); s.State != backend.EditDone || e.count(o.Number, "first of two") != 1 {
					t.Errorf("the first edit: %s %q, on the shop %d times", s.State, s.Error, e.count(o.Number, "first of two"))
				}
				s := e.state(second.ID, o.Number)
				switch {
				case c.conflict && (s.State != backend.EditConflict || e.count(o.Number, "second of two") != 0):
					t.Errorf("the second edit, with someone else's remark meanwhile: %s %q, on the shop %d times; want a conflict, unsent",
						s.State, s.Error, e.count(o.Number, "second of two"))
				case c.conflict && !strings.Contains(s.Error, "someone else") && !strings.Contains(s.Error, "changed"):
					t.Errorf("the conflict does not say what changed: %q", s.Error)
				case !c.conflict && (s.State != backend.EditDone || e.count(o.Number, "second of two") != 1):
					t.Errorf("the second edit: %s %q, on the shop %d times; want done, applied once",
						s.State, s.Error, e.count(o.Number, "second of two"))
				}
				if err := e.send(); err != nil { // nothing is sent twice
					t.Fatal(err)
				}
				if n, m := e.count(o.Number, "first of two"), e.count(o.Number, "second of two"); n != 1 || (!c.conflict && m != 1) {
					t.Errorf("after another replay the shop shows the edits %d and %d times", n, m)
				}
			})
		}
	}
}

// TestRebaseFromTheNextReadKeepsOtherFieldsConflicts: the later edit waits
// to be moved onto the order after a remark whose read-back failed; a
// remark changes no status, so someone else's change of the order's
// payment meanwhile is a conflict for a later status change, never sent.
func TestRebaseFromTheNextReadKeepsOtherFieldsConflicts(t *testing.T) {
	t.Parallel()
	for _, p := range bothPaths {
		t.Run(string(p), func(t *testing.T) {
			e := newEnv(t, p, 20)
			e.pull()
			o := remarkable(t, e, 0)
			_, acts := pickStatusOf(t, e, o)
			first := e.edit(o.Number, backend.Action{Kind: backend.ActionRemark, Remark: "first of two"})
			second := e.edit(o.Number, acts[0])
			key, val := "financial_status", "refunded" // SHOPLINE
			if p == backend.YMCart {
				key, val = "payment_status", "101" // failed
			}
			b := &blind{fails: 1, meanwhile: func() {
				e.srv.Mutate(o.Number, func(o *backend.Order) { o.RawStatus[key] = val })
			}}
			if _, err := e.blindDesk(b).Send(context.Background(), "s", backend.Ref{}, nil); err != nil {
				t.Fatal(err)
			}
			if s := e.state(first.ID, o.Number); s.State != backend.EditDone {
				t.Errorf("the remark: %s %q", s.State, s.Error)
			}
			if s := e.state(second.ID, o.Number); s.State != backend.EditConflict || s.Attempts != 0 {
				t.Errorf("the status change after someone else's payment change: %s %q, %d attempts; want a conflict, unsent", s.State, s.Error, s.Attempts)
			}
		})
	}
}
