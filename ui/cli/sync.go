package cli

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"slices"
	"strings"
	stdsync "sync"
	"time"

	"orderdesk/backend"
	"orderdesk/backend/sync"
	"orderdesk/ui"
)

// Sync fetches the named shops (all when none) and then sends their
// pending edits. Progress goes to stderr, one summary line per shop to
// stdout. Exit 1 when any shop failed (each failure names its shop) or when
// this run left an edit failed or in conflict (so cron can tell; edits
// already failed or in conflict before the run do not count), 3 when all
// pulls succeeded but edits remain unconfirmed, 0 otherwise.
func (e *Env) Sync(ctx context.Context, shops []string) int {
	if e.Offline {
		return e.Fail(Usagef("sync talks to the shops; it cannot run with --offline"))
	}
	var mu stdsync.Mutex
	progress := func(ev sync.Event) {
		mu.Lock()
		defer mu.Unlock()
		switch ev.Kind {
		case sync.EventPage:
			of := ""
			if ev.Total >= 0 {
				of = fmt.Sprintf(" of %d", ev.Total)
			}
			fmt.Fprintf(e.Stderr, "%s: page %d, %d orders%s\n", ev.Shop, ev.Pages, ev.Orders, of)
		case sync.EventEdit:
			fmt.Fprintf(e.Stderr, "%s: %s %s %s %s\n", ev.Shop, ev.Edit.ID, ev.Edit.State, ev.Edit.Ref, ev.Edit.Summary)
		case sync.EventSlow, sync.EventError:
			e.sayUnanswered(ev)
		}
	}
	reports, err := e.Desk.Sync(ctx, shops, progress)
	if err != nil {
		return e.Fail(err)
	}
	// An interrupt (Ctrl-C, SIGTERM) is said once, not as each shop failing.
	interrupted := ctx.Err() != nil
	code, fresh := ExitOK, 0
	g := ui.Grid{Headers: []string{"SHOP", "PASS", "PAGES", "ORDERS", "EDITS", "RESULT"}, Right: []bool{false, false, true, true}}
	for _, r := range reports {
		pass := "incremental"
		if r.Pull.Full {
			pass = "full"
		}
		result := "ok"
		if err := r.Err(); interrupted && errors.Is(err, context.Canceled) {
			result, code = "interrupted", ExitFailed
		} else if err != nil {
			result = "FAILED: " + err.Error()
			fmt.Fprintf(e.Stderr, "orderdesk: sync %s failed: %v\n", r.Pull.Shop, err)
			code = ExitFailed
		}
		g.Rows = append(g.Rows, []string{r.Pull.Shop, pass, fmt.Sprint(r.Pull.Pages), fmt.Sprint(r.Pull.Orders), editCounts(r.Sent), result})
		fresh += count(r.Sent, nil, backend.EditFailed, backend.EditConflict)
	}
	if err := g.Write(e.Stdout); err != nil {
		return e.Fail(err)
	}
	if interrupted {
		fmt.Fprintln(e.Stderr, "orderdesk: sync interrupted; the orders and edits it stored are kept")
	}
	open, err := e.Desk.Store.Edits("")
	if err != nil {
		return e.Fail(err)
	}
	held := count(open, shops, backend.EditFailed, backend.EditConflict)
	if held > 0 {
		fmt.Fprintf(e.Stderr, "orderdesk: %d edit(s) failed or in conflict wait for you: see `orderdesk pending`\n", held)
	}
	if fresh > 0 {
		fmt.Fprintf(e.Stderr, "orderdesk: this sync left %d edit(s) failed or in conflict\n", fresh)
		code = ExitFailed
	}
	if code == ExitOK && count(open, shops, backend.EditPending, backend.EditSending, backend.EditUnknown) > 0 {
		code = ExitQueued
	}
	return code
}

// sayUnanswered tells the operator, on stderr, of a shop that has left a
// call unanswered for a while (a slow event) or until the desk gave up on
// it (an error event saying so); other events say nothing here.
func (e *Env) sayUnanswered(ev sync.Event) {
	var na *backend.NoAnswerError
	switch {
	case ev.Kind == sync.EventSlow && ev.Slow != nil:
		fmt.Fprintf(e.Stderr, "%s: %s\n", ev.Shop, ev.Slow)
	case ev.Kind == sync.EventError && errors.As(ev.Err, &na):
		fmt.Fprintf(e.Stderr, "%s: %s\n", ev.Shop, na)
	}
}

// count counts the edits of the shops (all when none) in the given states.
func count(edits []backend.Edit, shops []string, states ...backend.EditState) int {
	n := 0
	for _, ed := range edits {
		if (len(shops) == 0 || slices.Contains(shops, ed.Ref.Shop)) && slices.Contains(states, ed.State) {
			n++
		}
	}
	return n
}

func editCounts(edits []backend.Edit) string {
	if len(edits) == 0 {
		return "-"
	}
	counts := map[backend.EditState]int{}
	var order []backend.EditState
	for _, ed := range edits {
		if counts[ed.State] == 0 {
			order = append(order, ed.State)
		}
		counts[ed.State]++
	}
	parts := make([]string, len(order))
	for i, s := range order {
		parts[i] = fmt.Sprintf("%d %s", counts[s], s)
	}
	return strings.Join(parts, ", ")
}

// Pending prints the outbox: every edit not yet done, with its state and
// the shop's reason.
func (e *Env) Pending(format string) int {
	if err := checkFormat(format, "table", "json"); err != nil {
		return e.Fail(err)
	}
	edits, err := e.Desk.Outbox("")
	if err != nil {
		return e.Fail(err)
	}
	if format == "json" {
		if edits == nil {
			edits = []backend.Edit{}
		}
		b, err := json.MarshalIndent(edits, "", "  ")
		if err != nil {
			return e.Fail(err)
		}
		fmt.Fprintf(e.Stdout, "%s\n", b)
		return ExitOK
	}
	if err := writeEdits(e.Stdout, edits, e.loc()); err != nil {
		return e.Fail(err)
	}
	for _, ed := range edits {
		if ed.State != backend.EditConflict {
			continue
		}
		fmt.Fprintln(e.Stdout)
		if err := e.writeSides(e.Stdout, ed, true); err != nil {
			return e.Fail(err)
		}
	}
	return ExitOK
}

func writeEdits(w io.Writer, edits []backend.Edit, loc *time.Location) error {
	if len(edits) == 0 {
		_, err := fmt.Fprintln(w, "no pending edits")
		return err
	}
	g := ui.Grid{Headers: []string{"ID", "REF", "STATE", "SAVED", "BY", "EDIT", "REASON"}}
	for _, ed := range edits {
		g.Rows = append(g.Rows, []string{ed.ID, ed.Ref.String(), string(ed.State), ui.LocalTime(&ed.CreatedAt, loc), ed.Operator, ed.Summary, ed.Error})
	}
	return g.Write(w)
}
