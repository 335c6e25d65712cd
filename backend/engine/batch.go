package engine

import (
	"context"
	"errors"

	"orderdesk/backend"
)

// head is the first open edit of one order's queue in a round of a batched
// replay, with the order's later edits and the order as read before the
// send.
type head struct {
	e       backend.Edit
	later   []backend.Edit
	fresh   *backend.Order
	touched bool // e was saved in this round
	changed bool // an operator retried or discarded e meanwhile: left alone
}

// sendRounds replays a shop that applies actions in batches. Each round
// takes the first open edit of every order still in play, so FIFO per
// order holds: an order's next edit is only considered in a later round,
// once this one is done; one that ends failed or in conflict holds the
// later ones back, as sendQueue does. A round:
//
//  1. reads the heads' orders (GetMany in chunks of ReadLimit when the shop
//     is a backend.BatchReader, else Get each);
//  2. decides each edit on its fresh order as sendOne does (done without a
//     send, conflict, failed, or to be sent);
//  3. sends the rest per action kind in chunks of BatchLimit: each chunk's
//     edits are saved as sending before its one ApplyBatch call, then
//     settled each by its own result with sendOne's mapping. The done ones
//     are re-read together (the platform returns no order), the ones whose
//     answer was lost read back together.
//
// A shop-level failure stops the replay with a *ShopError, as in sendOne;
// edits of chunks not sent yet are left as they were.
func (s *Sender) sendRounds(ctx context.Context, b backend.BatchApplier, order []backend.Ref, queues map[backend.Ref][]backend.Edit) ([]backend.Edit, error) {
	var touched []backend.Edit
	for {
		var heads []*head
		var next []backend.Ref
		for _, ref := range order {
			q := queues[ref]
			if len(q) == 0 {
				continue
			}
			if q[0].State == backend.EditFailed || q[0].State == backend.EditConflict {
				if err := s.holdBack(q[1:], q[0]); err != nil {
					return touched, err
				}
				continue
			}
			heads = append(heads, &head{e: q[0], later: q[1:]})
			next = append(next, ref)
		}
		if len(heads) == 0 {
			return touched, nil
		}
		err := s.round(ctx, b, heads)
		for _, h := range heads {
			if h.touched && !h.changed {
				touched = append(touched, h.e)
			}
			if h.changed {
				queues[h.e.Ref] = nil // as the operator left it; the rest waits for the next replay
				continue
			}
			if h.e.State != backend.EditDone {
				// not finished now: the order's later edits wait for a
				// later replay (and say why when h failed)
				queues[h.e.Ref] = nil
				err = firstErr(err, s.holdBack(h.later, h.e))
				continue
			}
			queues[h.e.Ref] = h.later
		}
		if err != nil {
			return touched, err
		}
		order = next
	}
}

// round takes each head as far as it can go now.
func (s *Sender) round(ctx context.Context, b backend.BatchApplier, heads []*head) error {
	if err := s.readHeads(ctx, heads); err != nil {
		return err
	}
	var ready []*head
	for _, h := range heads {
		if h.fresh == nil {
			continue // settled: the shop has no such order
		}
		later, send, err := s.judge(h.fresh, &h.e, h.later)
		if changedMeanwhile(err) {
			h.changed = true
			continue
		}
		h.later = later
		h.touched = h.touched || !send
		if err != nil {
			return err
		}
		if send {
			ready = append(ready, h)
		}
	}
	for _, chunk := range chunks(ready, b) {
		if err := s.sendChunk(ctx, b, chunk); err != nil {
			return err
		}
	}
	return nil
}

// readHeads reads the heads' orders, a chunk at a time. A head whose order
// the shop does not have is settled failed, as in sendOne. A chunk that
// cannot be read stops the round: its heads note that they wait for the
// shop and a *ShopError is returned; heads not read yet are left alone.
func (s *Sender) readHeads(ctx context.Context, heads []*head) error {
	limit := s.readLimit()
	for start := 0; start < len(heads); start += limit {
		chunk := heads[start:min(start+limit, len(heads))]
		got, err := s.fetch(ctx, numbers(chunk))
		if err != nil {
			var stop error
			for _, h := range chunk {
				h.touched = true
				stop = s.waitForShop(ctx, &h.e, err)
			}
			return stop
		}
		for _, h := range chunk {
			if h.fresh = got[h.e.Ref.Number]; h.fresh == nil {
				h.touched = true
				err := s.settle(nil, &h.e, backend.EditFailed, "the shop has no order "+h.e.Ref.Number)
				if changedMeanwhile(err) {
					h.changed = true
				} else if err != nil {
					return err
				}
			}
		}
	}
	return nil
}

// chunks groups the edits to send by action kind (kinds in the order
// first seen) into calls of at most the shop's batch limit for the kind.
func chunks(ready []*head, b backend.BatchApplier) [][]*head {
	var kinds []backend.ActionKind
	byKind := map[backend.ActionKind][]*head{}
	for _, h := range ready {
		k := h.e.Action.Kind
		if _, ok := byKind[k]; !ok {
			kinds = append(kinds, k)
		}
		byKind[k] = append(byKind[k], h)
	}
	var out [][]*head
	for _, k := range kinds {
		all, limit := byKind[k], max(1, b.BatchLimit(k))
		for start := 0; start < len(all); start += limit {
			out = append(out, all[start:min(start+limit, len(all))])
		}
	}
	return out
}

// sendChunk sends one chunk in one ApplyBatch call and settles each edit
// by its own result. It returns the first error that stops the replay.
func (s *Sender) sendChunk(ctx context.Context, b backend.BatchApplier, chunk []*head) error {
	var sent []*head
	var targets []backend.Target
	for _, h := range chunk {
		if err := s.markSending(h.fresh, &h.e); changedMeanwhile(err) {
			h.changed = true // discarded meanwhile: not sent
			continue
		} else if err != nil {
			return err // this one and the rest not marked sending: none is sent
		}
		h.touched = true
		sent = append(sent, h)
		targets = append(targets, backend.Target{Order: h.fresh, Action: h.e.Action})
	}
	if len(sent) == 0 {
		return nil
	}
	errs := b.ApplyBatch(ctx, targets)
	var applied, lost []*head
	var stop error
	for i, h := range sent {
		var err error = &backend.Error{Kind: backend.ErrOutcomeUnknown, Shop: s.Shop.Name(), Op: h.e.Summary, Reason: "the adapter gave no result for this order"}
		if i < len(errs) {
			err = errs[i]
		}
		if err == nil {
			applied = append(applied, h)
			continue
		}
		wasLost, err := s.afterSend(ctx, &h.e, err)
		if wasLost && err == nil {
			lost = append(lost, h)
		}
		stop = firstErr(stop, err)
	}
	after, _ := s.fetchAll(ctx, numbers(applied)) // done either way
	for _, h := range applied {
		var err error
		h.later, err = s.done(after[h.e.Ref.Number], &h.e, h.fresh, h.later)
		stop = firstErr(stop, err)
	}
	if stop != nil || len(lost) == 0 {
		return stop // lost answers are read back by the next replay's read
	}
	return s.readBackAll(ctx, lost)
}

// readBackAll settles the edits of a chunk whose answers were lost, on
// their orders read back together. Orders that cannot be read leave their
// edits unknown and stop the replay, as readBack does.
func (s *Sender) readBackAll(ctx context.Context, lost []*head) error {
	back, readErr := s.fetchAll(ctx, numbers(lost))
	var stop error
	for _, h := range lost {
		o := back[h.e.Ref.Number]
		if o == nil {
			err := readErr
			if err == nil {
				err = &backend.Error{Kind: backend.ErrNotFound, Shop: s.Shop.Name(), Op: "read back " + h.e.Ref.Number, Reason: "the shop has no order " + h.e.Ref.Number}
			}
			stop = firstErr(stop, &ShopError{Shop: s.Shop.Name(), Err: err})
			continue
		}
		var err error
		h.later, err = s.settleReadBack(o, &h.e, h.fresh, h.later)
		stop = firstErr(stop, err)
	}
	return stop
}

// readLimit is how many orders one read asks for: the shop's ReadLimit
// when it reads in batches, else 1 (a Get each).
func (s *Sender) readLimit() int {
	if r, ok := s.Shop.(backend.BatchReader); ok {
		return max(1, r.ReadLimit())
	}
	return 1
}

// fetch reads orders by number in one call when the shop reads in batches
// (numbers fit ReadLimit), else with a Get each. Orders the shop does not
// have are absent from the answer; any other failure is an error.
func (s *Sender) fetch(ctx context.Context, numbers []string) (map[string]*backend.Order, error) {
	if r, ok := s.Shop.(backend.BatchReader); ok {
		return r.GetMany(ctx, numbers)
	}
	out := make(map[string]*backend.Order, len(numbers))
	for _, n := range numbers {
		o, err := s.Shop.Get(ctx, n)
		switch {
		case errors.Is(err, backend.ErrNotFound):
		case err != nil:
			return out, err
		default:
			out[n] = o
		}
	}
	return out, nil
}

// fetchAll reads any number of orders, ReadLimit at a time. On an error it
// returns what it read before it.
func (s *Sender) fetchAll(ctx context.Context, numbers []string) (map[string]*backend.Order, error) {
	out := make(map[string]*backend.Order, len(numbers))
	limit := s.readLimit()
	for start := 0; start < len(numbers); start += limit {
		got, err := s.fetch(ctx, numbers[start:min(start+limit, len(numbers))])
		for n, o := range got {
			out[n] = o
		}
		if err != nil {
			return out, err
		}
	}
	return out, nil
}

func numbers(heads []*head) []string {
	out := make([]string, len(heads))
	for i, h := range heads {
		out[i] = h.e.Ref.Number
	}
	return out
}

func firstErr(a, b error) error {
	if a != nil {
		return a
	}
	return b
}
