package cli

import (
	"context"
	"errors"
	"fmt"
	"io"

	"orderdesk/backend"
	"orderdesk/backend/engine"
	"orderdesk/backend/storage"
	"orderdesk/ui"
)

// PendingRetry is `orderdesk pending retry ID`: the edit (pending, failed
// or in conflict) is decided again on the shop's current copy of its order
// and sent (unless offline). For a conflict it first prints what the
// operator saw beside what the shop has now. Exit codes as status, ship
// and remark: 0 done, 1 failed or in conflict again, 3 saved but not
// confirmed; 2 for an unknown ID or a state that cannot be retried
// (nothing changed).
func (e *Env) PendingRetry(ctx context.Context, id string) int {
	ed, err := e.pendingEdit(id, backend.OpRetry)
	if err != nil {
		return e.Fail(err)
	}
	if !e.known(ed.Ref.Shop) {
		return e.Fail(e.unknownShop(ed.Ref.Shop))
	}
	if ed.State == backend.EditConflict {
		if err := e.writeSides(e.Stdout, ed, false); err != nil {
			return e.Fail(err)
		}
	}
	saved, err := e.Desk.Retry(ed.ID, e.Operator)
	if err != nil {
		return e.Fail(editUsage(err))
	}
	fmt.Fprintf(e.Stderr, "%s: retry asked; it is decided on the shop's current order %s\n", saved.ID, saved.Ref)
	if e.Offline {
		fmt.Fprintf(e.Stdout, "%s queued  %s  %s  (offline: `orderdesk sync` sends it)\n", saved.ID, saved.Ref, saved.Summary)
		return ExitQueued
	}
	touched, sendErr := e.Desk.Send(ctx, saved.Ref.Shop, saved.Ref, e.sayUnanswered())
	final := saved
	for _, t := range touched {
		if t.ID == saved.ID {
			final = t
		}
	}
	return e.reportEdit(final, sendErr)
}

// PendingDiscard is `orderdesk pending discard ID [--yes]`: the edit
// (pending, failed or in conflict) is dropped from the outbox and never
// sent; it stays in the audit log and the order's history. It prints what
// will be dropped (and, for a conflict, the side-by-side), then asks on a
// terminal; a script needs --yes. Exit 0 when discarded, 2 when not
// (unknown ID, a state that cannot be discarded, not confirmed; nothing
// changed).
func (e *Env) PendingDiscard(ctx context.Context, id string, yes bool) int {
	ed, err := e.pendingEdit(id, backend.OpDiscard)
	if err != nil {
		return e.Fail(err)
	}
	reason := ""
	if ed.Error != "" {
		reason = ": " + ed.Error
	}
	fmt.Fprintf(e.Stdout, "%s %s  %s  %s  (saved %s by %s)%s\n", ed.ID, ed.State, ed.Ref, ed.Summary,
		ui.LocalTime(&ed.CreatedAt, e.loc()), ed.Operator, reason)
	if ed.State == backend.EditConflict {
		fmt.Fprintln(e.Stdout)
		if err := e.writeSides(e.Stdout, ed, false); err != nil {
			return e.Fail(err)
		}
	}
	switch {
	case yes:
	case !e.Interactive:
		return e.Fail(Usagef("discarding %s drops it from the outbox: it is never sent to the shop; add --yes to confirm when not running from a terminal (nothing changed)", ed.ID))
	case !e.confirm(ctx, fmt.Sprintf("Discard %s (%s on %s)? It will never be sent.", ed.ID, ed.Summary, ed.Ref)):
		return e.Fail(Usagef("not confirmed; nothing changed"))
	}
	saved, err := e.Desk.Discard(ed.ID, e.Operator)
	if err != nil {
		return e.Fail(editUsage(err))
	}
	fmt.Fprintf(e.Stdout, "%s discarded  %s  %s  (kept in the audit log and in `orderdesk show %s`)\n", saved.ID, saved.Ref, saved.Summary, saved.Ref)
	return ExitOK
}

// pendingEdit reads edit id and checks that its state allows op. Both
// refusals are usage errors (exit 2) in the operator's words.
func (e *Env) pendingEdit(id, op string) (backend.Edit, error) {
	ed, err := e.Desk.Edit(id)
	if err != nil {
		return ed, editUsage(err)
	}
	if !ed.State.Allows(op) {
		return ed, editUsage(&engine.EditStateError{ID: ed.ID, State: ed.State, Op: op})
	}
	return ed, nil
}

// editUsage turns the desk's refusals of a retry or discard into usage
// errors; other errors (the database) stay as they are.
func editUsage(err error) error {
	var se *engine.EditStateError
	switch {
	case errors.As(err, &se):
		return &UsageError{Msg: se.Error() + "; nothing changed"}
	case errors.Is(err, engine.ErrNoEdit):
		return Usagef("%v (`orderdesk pending` lists the open edits with their IDs; `orderdesk show REF` an order's history)", err)
	}
	return err
}

// writeSides prints, for an edit in conflict, what the operator saw when
// making it beside what the shop has now (the order as the desk last read
// it from the shop), with the lines that differ marked; with hint, the
// commands that clear it.
func (e *Env) writeSides(w io.Writer, ed backend.Edit, hint bool) error {
	o, err := e.Desk.Reader().Order(ed.Ref)
	if err != nil && !errors.Is(err, storage.ErrNoOrder) {
		return err
	}
	saw, now := backend.ConflictSides(ed, o)
	g := ui.Grid{Headers: []string{" ", "YOU SAW", "THE SHOP HAS NOW"}}
	for i := range saw {
		mark := ""
		if saw[i] != now[i] {
			mark = "*"
		}
		g.Rows = append(g.Rows, []string{mark, saw[i], now[i]})
	}
	fmt.Fprintf(w, "%s conflict on %s (%s): the shop changed the order since the edit was made; * marks what differs\n", ed.ID, ed.Ref, ed.Summary)
	if err := g.Write(w); err != nil || !hint {
		return err
	}
	_, err = fmt.Fprintf(w, "retry: `orderdesk pending retry %s` (decide it on the shop's order as it is now); drop it: `orderdesk pending discard %s`\n", ed.ID, ed.ID)
	return err
}
