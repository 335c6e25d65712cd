package cli

import (
	"context"
	"errors"
	"fmt"
	"strings"

	"orderdesk/backend"
	"orderdesk/backend/engine"
)

// EditArgs is one `status`, `ship` or `remark` command.
type EditArgs struct {
	Ref    string
	Action backend.Action
	Yes    bool
}

// Edit drafts, saves and sends one edit, and returns the exit code of its
// outcome (see the package doc).
func (e *Env) Edit(ctx context.Context, args EditArgs) int {
	ref, err := e.Resolve(args.Ref)
	if err != nil {
		return e.Fail(err)
	}
	a := args.Action
	if a.Kind == backend.ActionShip {
		if a, err = e.prepareShipment(ctx, ref, a, args.Yes); err != nil {
			return e.Fail(err)
		}
	}
	draft, err := e.Desk.Draft(ref, a, e.Operator)
	if err != nil {
		return e.Fail(err)
	}
	if err := e.confirmEdit(ctx, ref, draft, args.Yes); err != nil {
		return e.Fail(err)
	}
	if err := e.Desk.Save(draft); err != nil {
		fmt.Fprintln(e.Stderr, "orderdesk:", err)
		return ExitFailed
	}
	fmt.Fprintf(e.Stderr, "saved %s: %s on %s\n", draft.ID, draft.Summary, ref)
	if e.Offline {
		fmt.Fprintf(e.Stdout, "%s queued  %s  %s  (offline: `orderdesk sync` sends it)\n", draft.ID, ref, draft.Summary)
		return ExitQueued
	}
	touched, sendErr := e.Desk.Send(ctx, ref.Shop, ref, e.sayUnanswered())
	final := *draft
	for _, t := range touched {
		if t.ID == draft.ID {
			final = t
		}
	}
	return e.reportEdit(final, sendErr)
}

// confirmEdit says what a drafted edit does that cannot be undone (a
// status value the platform marks irreversible: cancel, refund, void,
// archive) or that reaches the customer, then asks on a terminal (anything
// but y is no) or, in a script, needs --yes (the error then says it all).
// An error means nothing is to be saved.
func (e *Env) confirmEdit(ctx context.Context, ref backend.Ref, d *backend.Edit, yes bool) error {
	var what []string
	question := "Send it?"
	if shop, ok := e.Desk.Shop(ref.Shop); ok && d.Action.Kind == backend.ActionStatus {
		if x := shop.Capabilities().IrreversibleStatus(d.Action.Status); x != "" {
			what = append(what, fmt.Sprintf("%s on %s %s", d.Summary, ref, x))
			question = fmt.Sprintf("Set %s to %s?", ref, d.Action.Status)
		}
	}
	if d.Notifies {
		email := fmt.Sprintf("%s on %s sends the customer an email (%s)", d.Summary, ref, d.Platform)
		if len(what) > 0 {
			email = fmt.Sprintf("it also sends the customer an email (%s)", d.Platform)
		}
		what = append(what, email)
	}
	if len(what) > 0 && !yes && !e.Interactive {
		return Usagef("%s; add --yes to confirm when not running from a terminal (nothing saved)", strings.Join(what, "; "))
	}
	for _, w := range what {
		fmt.Fprintf(e.Stderr, "note: %s\n", w)
	}
	if len(what) > 0 && !yes && !e.confirm(ctx, question) {
		return Usagef("not confirmed; nothing saved")
	}
	return nil
}

// reportEdit prints an edit's outcome and maps it to an exit code. It
// says what the outbox holds: when the edit's new state could not be
// saved, what happened with the shop and that the record failed (exit 1).
func (e *Env) reportEdit(ed backend.Edit, sendErr error) int {
	var re *engine.RecordError
	if errors.As(sendErr, &re) && re.ID == ed.ID {
		return e.reportUnrecorded(ed, re)
	}
	switch ed.State {
	case backend.EditDone:
		fmt.Fprintf(e.Stdout, "%s done  %s  %s\n", ed.ID, ed.Ref, ed.Summary)
		return ExitOK
	case backend.EditFailed, backend.EditConflict:
		fmt.Fprintf(e.Stdout, "%s %s  %s  %s: %s\n", ed.ID, ed.State, ed.Ref, ed.Summary, ed.Error)
		fmt.Fprintf(e.Stderr, "orderdesk: %s %s: %s (kept in the outbox; see `orderdesk pending`)\n", ed.ID, ed.State, ed.Error)
		return ExitFailed
	}
	why := ed.Error
	if why == "" && sendErr != nil {
		why = backend.Reason(sendErr)
	}
	fmt.Fprintf(e.Stdout, "%s %s  %s  %s: %s\n", ed.ID, stateWord(ed.State), ed.Ref, ed.Summary, why)
	fmt.Fprintf(e.Stderr, "orderdesk: %s is saved and not yet confirmed by the shop; `orderdesk sync` sends it\n", ed.ID)
	return ExitQueued
}

// reportUnrecorded reports an edit whose new state could not be saved:
// one never sent stays queued; one that reached the shop is read back
// from it by the next sync (the outbox still says sending, which reads
// as unknown once this process is gone).
func (e *Env) reportUnrecorded(ed backend.Edit, re *engine.RecordError) int {
	switch {
	case re.Saved == backend.EditPending:
		fmt.Fprintf(e.Stdout, "%s queued  %s  %s: not sent (saving its state failed)\n", ed.ID, ed.Ref, ed.Summary)
		fmt.Fprintf(e.Stderr, "orderdesk: %s was not sent: saving it as %s failed: %v; it stays queued in the outbox\n", ed.ID, re.State, re.Err)
	case re.State == backend.EditDone:
		fmt.Fprintf(e.Stdout, "%s unknown  %s  %s: applied by the shop, not recorded\n", ed.ID, ed.Ref, ed.Summary)
		fmt.Fprintf(e.Stderr, "orderdesk: %s applied by the shop, but recording it failed: %v; it will be read back from the shop on the next sync\n", ed.ID, re.Err)
	default:
		fmt.Fprintf(e.Stdout, "%s unknown  %s  %s: the shop's answer (%s) not recorded\n", ed.ID, ed.Ref, ed.Summary, re.State)
		fmt.Fprintf(e.Stderr, "orderdesk: %s: recording the shop's answer (%s) failed: %v; it will be read back from the shop on the next sync\n", ed.ID, re.State, re.Err)
	}
	return ExitFailed
}

// stateWord is an edit's state in a report line: queued for pending, and
// unknown for sending (once its send returned, nothing is sending it).
func stateWord(s backend.EditState) string {
	switch s {
	case backend.EditPending:
		return "queued"
	case backend.EditSending:
		return string(backend.EditUnknown)
	}
	return string(s)
}

// prepareShipment normalises the tracking number, fills the tracking URL,
// and warns (never blocks) about a number that misses its carrier's format
// or is already on another cached order.
func (e *Env) prepareShipment(ctx context.Context, ref backend.Ref, a backend.Action, yes bool) (backend.Action, error) {
	sh := &a.Shipment
	if strings.TrimSpace(sh.Carrier) == "" || strings.TrimSpace(sh.TrackingNumber) == "" {
		return a, Usagef("ship needs --carrier and --tracking")
	}
	prepared, warnings, err := e.Desk.PrepareShipment(ref, *sh)
	if err != nil {
		return a, err
	}
	*sh = prepared
	for _, w := range warnings {
		fmt.Fprintln(e.Stderr, "warning:", w)
	}
	if len(warnings) > 0 && e.Interactive && !yes && !e.confirm(ctx, "Ship anyway?") {
		return a, Usagef("not confirmed; nothing saved")
	}
	return a, nil
}
