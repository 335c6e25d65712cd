package engine

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"time"

	"orderdesk/backend"
	"orderdesk/backend/storage"
)

// Sender replays one shop's outbox (SPEC §4). Edits of one order go strictly
// in Seq order: an order whose first open edit is failed or in conflict
// holds its later edits back until an operator acts. Every send is preceded
// by a read of the order from the shop, which serves three purposes:
//   - an edit whose effect already shows (sent before a crash or a lost
//     answer, or made by someone else) becomes done without a send, so an
//     edit is applied at most once;
//   - an edit whose fields changed on the shop since the operator saw them
//     becomes a conflict, and nothing is sent;
//   - the platform's rules are checked against the shop's current copy.
//
// A shop-level failure (unreachable, rate-limited past the wait budget,
// credentials refused) stops the shop's replay and leaves its edits pending.
//
// An operator may retry or discard an edit while a replay runs (see
// Desk.Retry, Desk.Discard). The store refuses a save that would undo that
// (backend.ErrEditChanged): the sender then leaves the edit as the
// operator made it, sends nothing for it, and goes on with other orders;
// the order's later edits wait for the next replay.
//
// A shop that applies many orders in one call (backend.BatchApplier) is
// replayed in rounds instead of one edit at a time, with the same rules
// per edit (see sendRounds): a bulk import of hundreds of edits costs a
// few calls per 20 orders, not three calls per edit.
type Sender struct {
	Store    storage.Store
	Shop     backend.Shop
	Now      func() time.Time
	Progress Progress
}

// ShopError is a failure of the shop rather than of an edit: the replay
// stopped and the edits stay queued.
type ShopError struct {
	Shop string
	Err  error
}

func (e *ShopError) Error() string { return e.Shop + ": " + e.Err.Error() }
func (e *ShopError) Unwrap() error { return e.Err }

// Send replays the shop's open edits, or only those of one order when only
// is not the zero Ref. It returns the edits it touched, in their final state
// for this run, and a *ShopError when the shop could not be reached.
func (s *Sender) Send(ctx context.Context, only backend.Ref) ([]backend.Edit, error) {
	ctx = s.Progress.watching(ctx)
	edits, err := s.Store.Edits(s.Shop.Name())
	if err != nil {
		return nil, fmt.Errorf("%s: read the outbox: %w", s.Shop.Name(), err)
	}
	var (
		order  []backend.Ref
		queues = map[backend.Ref][]backend.Edit{}
	)
	for _, e := range edits {
		if !only.IsZero() && e.Ref != only {
			continue
		}
		if _, ok := queues[e.Ref]; !ok {
			order = append(order, e.Ref)
		}
		queues[e.Ref] = append(queues[e.Ref], e)
	}
	if b, ok := s.Shop.(backend.BatchApplier); ok {
		return s.sendRounds(ctx, b, order, queues)
	}
	var touched []backend.Edit
	for _, ref := range order {
		done, err := s.sendQueue(ctx, queues[ref])
		touched = append(touched, done...)
		if err != nil {
			return touched, err
		}
	}
	return touched, nil
}

// sendQueue sends one order's edits in Seq order until one does not finish.
func (s *Sender) sendQueue(ctx context.Context, q []backend.Edit) ([]backend.Edit, error) {
	var touched []backend.Edit
	for i := 0; i < len(q); i++ { // q shrinks when a later edit was discarded meanwhile
		e := q[i]
		if e.State == backend.EditFailed || e.State == backend.EditConflict {
			return touched, s.holdBack(q[i+1:], e)
		}
		after, err := s.sendOne(ctx, &e, q[i+1:])
		if changedMeanwhile(err) {
			return touched, nil
		}
		touched = append(touched, e)
		if err != nil {
			return touched, err
		}
		if e.State != backend.EditDone {
			return touched, s.holdBack(q[i+1:], e)
		}
		q = append(q[:i+1], after...)
	}
	return touched, nil
}

// holdBack notes on later edits of an order that they wait for an earlier one.
func (s *Sender) holdBack(later []backend.Edit, first backend.Edit) error {
	if first.State != backend.EditFailed && first.State != backend.EditConflict {
		return nil
	}
	var changed []backend.Edit
	for _, e := range later {
		why := backend.WaitsFor(first)
		if e.Error != why && (e.State == backend.EditPending) {
			e.Error = why
			e.UpdatedAt = s.now()
			changed = append(changed, e)
		}
	}
	if len(changed) == 0 {
		return nil
	}
	if err := s.Store.SaveEdits(nil, changed...); !changedMeanwhile(err) {
		return err
	}
	return nil // an operator acted on one of them: the next replay writes the notes
}

// changedMeanwhile reports whether err says an operator discarded or
// retried the edit after this replay read it (see Sender).
func changedMeanwhile(err error) bool { return errors.Is(err, backend.ErrEditChanged) }

// sendOne takes one edit as far as it can go now. later are the order's
// following edits; the ones returned replace them (re-based on the order
// after this edit when it is done).
func (s *Sender) sendOne(ctx context.Context, e *backend.Edit, later []backend.Edit) ([]backend.Edit, error) {
	fresh, err := s.Shop.Get(ctx, e.Ref.Number)
	if err != nil {
		if errors.Is(err, backend.ErrNotFound) {
			return later, s.settle(nil, e, backend.EditFailed, "the shop has no order "+e.Ref.Number)
		}
		return later, s.waitForShop(ctx, e, err)
	}
	later, send, err := s.judge(fresh, e, later)
	if !send || err != nil {
		return later, err
	}
	if err := s.markSending(fresh, e); err != nil {
		return later, err // not marked sending: nothing is sent
	}
	got, err := s.Shop.Apply(ctx, fresh, e.Action)
	if err == nil {
		if got == nil {
			got, _ = s.Shop.Get(ctx, e.Ref.Number) // the edit is done either way
		}
		return s.done(got, e, fresh, later)
	}
	if lost, stop := s.afterSend(ctx, e, err); !lost || stop != nil {
		return later, stop
	}
	return s.readBack(ctx, e, fresh, later)
}

// waitForShop records that an edit's order could not be read (the shop
// failed, not the edit; or ctx ended: the desk was closed) and returns the
// *ShopError that stops the replay.
func (s *Sender) waitForShop(ctx context.Context, e *backend.Edit, err error) error {
	state := e.State
	if state == backend.EditSending {
		state = backend.EditUnknown // a crash mid-send: still to be read back
	}
	why := "waiting for the shop: " + backend.Reason(err)
	if ctx.Err() != nil {
		why = Interrupted
	}
	_ = s.settle(nil, e, state, why)
	return &ShopError{Shop: s.Shop.Name(), Err: err}
}

// Interrupted is the reason kept on an edit whose replay was stopped by the
// end of its context (the operator closed the desk) before the shop
// answered: while its order was read (the edit stays as it was), or while
// it was sent (pending when the write never left, else unknown; either way
// the next sync reads the order before anything is sent again).
const Interrupted = "interrupted (the desk was closed); it will be checked with the shop on the next sync"

// judge decides an edit on its order as just read from the shop, before
// any send: done when its effect already shows, conflict when the fields
// it depends on changed since the operator saw them, failed when the
// platform's rules refuse it. send is true when none of these holds; the
// later edits come back re-based when e is done.
//
// First, e and the later edits that wait to be moved onto the order after
// an earlier edit whose read-back failed are moved onto fresh (see
// rebaseOnRead).
//
// An edit the operator asked to retry takes the order as just read as what
// the operator saw (and loses Retry) before the conflict check: it is
// decided on the shop's current order by the platform's rules alone.
func (s *Sender) judge(fresh *backend.Order, e *backend.Edit, later []backend.Edit) (_ []backend.Edit, send bool, _ error) {
	s.rebaseOnRead(fresh, e)
	later = slices.Clone(later)
	for i := range later {
		s.rebaseOnRead(fresh, &later[i])
	}
	if backend.Shows(s.Shop, fresh, e.Action) {
		later, err := s.done(fresh, e, nil, later)
		return later, false, err
	}
	if e.Retry {
		e.Seen, e.Retry = backend.SeenOf(fresh, e.Action.Kind), false
	}
	if now := backend.Fingerprint(fresh, e.Action.Kind); now != e.Seen.Fields {
		return later, false, s.settle(fresh, e, backend.EditConflict,
			fmt.Sprintf("the shop changed this order since the edit was made: saw %q, now %q", e.Seen.Fields, now))
	}
	if err := s.Shop.Check(fresh, e.Action); err != nil {
		return later, false, s.settle(fresh, e, backend.EditFailed, backend.Reason(err))
	}
	return later, true, nil
}

// markSending records, before the call, that e is being sent: a process
// killed mid-send leaves it sending, and the next replay reads it back.
func (s *Sender) markSending(fresh *backend.Order, e *backend.Edit) error {
	next := *e
	next.State, next.Error = backend.EditSending, ""
	next.Attempts++
	return s.save(fresh, e, next)
}

// afterSend records what a send's error (not nil) means for the edit:
// lost is true when the answer was lost (e is now unknown and must be read
// back); stop is the error that ends the replay: a *ShopError when the
// shop failed before the write (e back to pending), the context's error
// when the send was interrupted (the desk was closed: e pending when the
// write was not sent, else unknown, to be read back by the next sync), else
// only a failure to save.
func (s *Sender) afterSend(ctx context.Context, e *backend.Edit, err error) (lost bool, stop error) {
	if ctx.Err() != nil {
		state := backend.EditUnknown
		if notSent(err) {
			state = backend.EditPending
		}
		_ = s.settle(nil, e, state, Interrupted)
		return false, ctx.Err()
	}
	switch {
	case errors.Is(err, backend.ErrOutcomeUnknown) && Unreachable(err):
		// the shop took the write and went silent: asking it again now
		// would wait as long; the next replay reads the order back
		if err := s.settle(nil, e, backend.EditUnknown, "sent, but the shop did not answer; it will be read back before any resend: "+backend.Reason(err)); err != nil {
			return false, err
		}
		return false, &ShopError{Shop: s.Shop.Name(), Err: err}
	case errors.Is(err, backend.ErrOutcomeUnknown):
		return true, s.settle(nil, e, backend.EditUnknown, "sent, but the shop's answer was lost; it will be read back before any resend: "+backend.Reason(err))
	case notSent(err):
		_ = s.settle(nil, e, backend.EditPending, "not sent: "+backend.Reason(err))
		return false, &ShopError{Shop: s.Shop.Name(), Err: err}
	}
	return false, s.settle(nil, e, backend.EditFailed, backend.Reason(err))
}

// notSent reports whether a write's error says the shop did not take it:
// unreachable, rate-limited, credentials refused (an answer lost after
// sending is ErrOutcomeUnknown, never one of these).
func notSent(err error) bool {
	return !errors.Is(err, backend.ErrOutcomeUnknown) &&
		(errors.Is(err, backend.ErrUnavailable) || errors.Is(err, backend.ErrRateLimited) || errors.Is(err, backend.ErrAuth))
}

// readBack settles an edit whose send had an unknown outcome: done when the
// order shows its effect, pending (to be resent by a later replay, after
// another read) when it does not, unknown when the shop cannot be read.
func (s *Sender) readBack(ctx context.Context, e *backend.Edit, before *backend.Order, later []backend.Edit) ([]backend.Edit, error) {
	back, err := s.Shop.Get(ctx, e.Ref.Number)
	if err != nil {
		return later, &ShopError{Shop: s.Shop.Name(), Err: err}
	}
	return s.settleReadBack(back, e, before, later)
}

// settleReadBack decides an edit with a lost answer on its order as read
// back: done when the effect shows, else pending, to be sent again.
func (s *Sender) settleReadBack(back *backend.Order, e *backend.Edit, before *backend.Order, later []backend.Edit) ([]backend.Edit, error) {
	if !backend.Shows(s.Shop, back, e.Action) {
		return later, s.settle(back, e, backend.EditPending, "read back after a lost answer: not applied; it will be sent again")
	}
	return s.done(back, e, before, later)
}

// done settles an edit as done and re-bases the order's later edits, in
// one transaction: a crash between the two would leave the later edits
// judging the desk's own change as someone else's (a false conflict).
func (s *Sender) done(after *backend.Order, e *backend.Edit, before *backend.Order, later []backend.Edit) ([]backend.Edit, error) {
	later = rebase(later, e, before, after)
	next := *e
	next.State, next.Error = backend.EditDone, ""
	err := s.save(after, e, next, later...)
	if changedMeanwhile(err) && len(later) > 0 {
		// an operator discarded or retried a later edit meanwhile: take
		// their word for those, and save again
		if later, err = s.reread(later); err == nil {
			err = s.save(after, e, next, later...)
		}
	}
	return later, err
}

// reread brings an order's later edits up to what operators made of them
// since this replay read them: discarded ones are dropped, a retry asked
// for is kept.
func (s *Sender) reread(later []backend.Edit) ([]backend.Edit, error) {
	out := make([]backend.Edit, 0, len(later))
	for _, l := range later {
		cur, err := s.Store.EditByID(l.ID)
		if err != nil {
			return later, fmt.Errorf("%s: read edit %s: %w", s.Shop.Name(), l.ID, err)
		}
		if !cur.State.Open() {
			continue
		}
		l.Retry = l.Retry || cur.Retry
		out = append(out, l)
	}
	return out, nil
}

// rebase moves later edits that were made on top of e onto the order as it
// is after e, so the desk's own change is not mistaken for someone else's.
// A later edit was made on top of e when it saw the order as e saw it, or
// as it was just before e was sent (before; nil when e was found already
// applied, after a crash or a lost answer).
//
// When after is nil (the shop returned no order and the read after the
// write failed), those edits are marked instead (backend.Rebase): they are
// moved onto the next read of the order, by rebaseOnRead. The marks are
// saved with e done, so a replay that stops before that read leaves them
// to the next one.
func rebase(later []backend.Edit, e *backend.Edit, before, after *backend.Order) []backend.Edit {
	out := make([]backend.Edit, len(later))
	for i, l := range later {
		k := l.Action.Kind
		saw, ok := e.Seen.Kinds[k]
		if (ok && l.Seen.Fields == saw) || (before != nil && l.Seen.Fields == backend.Fingerprint(before, k)) {
			if after != nil {
				l.Seen, l.Rebase = backend.SeenOf(after, k), nil
			} else {
				l.Rebase = &backend.Rebase{After: e.ID, Action: e.Action}
			}
		}
		out[i] = l
	}
	return out
}

// rebaseOnRead moves an edit marked by rebase onto fresh, the order as
// just read, when the change of its fields since what its operator saw
// can be the marking edit's alone (backend.Explains; a status change must
// also show): the fields that edit changed are expected to differ, others
// are not. Otherwise the edit keeps what its operator saw, and a change
// someone else made meanwhile stays a conflict. The mark is cleared either
// way; the edit is saved with it when it is next saved.
func (s *Sender) rebaseOnRead(fresh *backend.Order, e *backend.Edit) {
	r := e.Rebase
	if r == nil {
		return
	}
	e.Rebase = nil
	k := e.Action.Kind
	if !backend.Explains(r.Action, k, e.Seen.Fields, backend.Fingerprint(fresh, k)) {
		return
	}
	if r.Action.Kind == backend.ActionStatus && !backend.Shows(s.Shop, fresh, r.Action) {
		return
	}
	e.Seen = backend.SeenOf(fresh, k)
}

// settle records an edit's new state (and the fresh order, when given).
func (s *Sender) settle(fresh *backend.Order, e *backend.Edit, state backend.EditState, why string) error {
	next := *e
	next.State, next.Error = state, why
	return s.save(fresh, e, next)
}

// save stores next as e's new state (with the fresh order, and other
// edits of the order) in one transaction, then reports it. Only once it
// is saved does *e become next: the sender's copy of an edit always says
// what the outbox holds. A failed save is a *RecordError.
func (s *Sender) save(fresh *backend.Order, e *backend.Edit, next backend.Edit, also ...backend.Edit) error {
	next.UpdatedAt = s.now()
	if err := s.Store.SaveEdits(fresh, append([]backend.Edit{next}, also...)...); err != nil {
		return &RecordError{Shop: s.Shop.Name(), ID: e.ID, Saved: e.State, State: next.State, Err: err}
	}
	*e = next
	c := next
	s.Progress.emit(Event{Shop: s.Shop.Name(), Kind: EventEdit, Edit: &c})
	return nil
}

// RecordError is a new state of an edit that could not be saved (a full
// disk, a failing database): the outbox still holds the edit as Saved.
// When State is done, the shop has the change and only the desk's record
// of it is missing: the next replay reads the order back and records it
// done without sending it again. Err never holds a secret (it is the
// store's error).
type RecordError struct {
	Shop  string
	ID    string
	Saved backend.EditState // what the outbox still holds
	State backend.EditState // what could not be recorded
	Err   error
}

func (e *RecordError) Error() string {
	return fmt.Sprintf("%s: save edit %s as %s: %v", e.Shop, e.ID, e.State, e.Err)
}

func (e *RecordError) Unwrap() error { return e.Err }

func (s *Sender) now() time.Time {
	if s.Now == nil {
		return time.Now().UTC()
	}
	return s.Now().UTC()
}
