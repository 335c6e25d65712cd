package cli

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"slices"
	"strings"
	"sync"
	"time"

	"orderdesk/backend"
	"orderdesk/backend/engine"
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
	start := e.now()
	view := e.StartSyncView(ctx, shops)
	progress := func(ev engine.Event) {
		switch ev.Kind {
		case engine.EventPage, engine.EventDone, engine.EventError:
			view.Progress(ev)
		}
		switch ev.Kind {
		case engine.EventEdit:
			view.Say(fmt.Sprintf("%s: %s %s %s %s", ev.Shop, ev.Edit.ID, ev.Edit.State, ev.Edit.Ref, ev.Edit.Summary))
		case engine.EventSlow, engine.EventError:
			if line := unanswered(ev); line != "" {
				view.Say(line)
			}
		}
	}
	reports, err := e.Desk.Sync(ctx, shops, progress)
	view.Stop()
	if err != nil {
		return e.Fail(err)
	}
	// An interrupt (Ctrl-C, SIGTERM) is said once, not as each shop failing.
	interrupted := ctx.Err() != nil
	code, fresh, orders, pages := ExitOK, 0, 0, 0
	ended := map[string]int{} // "failed", "interrupted": how many shops
	g := ui.Grid{Headers: []string{"SHOP", "PASS", "PAGES", "ORDERS", "EDITS", "RESULT"}, Right: []bool{false, false, true, true}}
	for _, r := range reports {
		pass := "incremental"
		if r.Pull.Full {
			pass = "full"
		}
		result := "ok"
		if err := r.Err(); interrupted && errors.Is(err, context.Canceled) {
			result, code = "interrupted", ExitFailed
			ended["interrupted"]++
		} else if err != nil {
			ended["failed"]++
			result = "FAILED: " + err.Error()
			fmt.Fprintf(e.Stderr, "orderdesk: sync %s failed: %v\n", r.Pull.Shop, err)
			code = ExitFailed
		}
		g.Rows = append(g.Rows, []string{r.Pull.Shop, pass, fmt.Sprint(r.Pull.Pages), fmt.Sprint(r.Pull.Orders), editCounts(r.Sent), result})
		fresh += count(r.Sent, nil, backend.EditFailed, backend.EditConflict)
		orders, pages = orders+r.Pull.Orders, pages+r.Pull.Pages
	}
	fmt.Fprintln(e.Stderr, syncSummary(len(reports), ended["failed"], ended["interrupted"], orders, pages, e.now().Sub(start)))
	if err := g.Write(e.Stdout); err != nil {
		return e.Fail(err)
	}
	if interrupted {
		fmt.Fprintln(e.Stderr, "orderdesk: sync interrupted; the orders and edits it stored are kept")
	}
	open, err := e.Desk.Reader().Edits("")
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

// syncSummary is the last progress line of a sync: "orderdesk: sync of 4
// shops took 12m30s: 100,000 orders in 5,000 pages (1 failed)".
func syncSummary(shops, failed, interrupted, orders, pages int, took time.Duration) string {
	out := fmt.Sprintf("orderdesk: sync of %d shop%s took %s: %s order%s in %s page%s", shops, plural(shops), took.Round(100*time.Millisecond),
		ui.Thousands(orders), plural(orders), ui.Thousands(pages), plural(pages))
	var notes []string
	if failed > 0 {
		notes = append(notes, fmt.Sprintf("%d failed", failed))
	}
	if interrupted > 0 {
		notes = append(notes, fmt.Sprintf("%d interrupted", interrupted))
	}
	if len(notes) > 0 {
		out += " (" + strings.Join(notes, ", ") + ")"
	}
	return out
}

func plural(n int) string {
	if n == 1 {
		return ""
	}
	return "s"
}

// sayUnanswered is the progress of a send: it tells the operator, on
// stderr, of a shop that has left a call unanswered for a while (a slow
// event) or until the desk gave up on it (an error event saying so); other
// events say nothing here. Being an engine.Progress, it may be called from
// several goroutines at once: it writes one line at a time.
func (e *Env) sayUnanswered() engine.Progress {
	var mu sync.Mutex
	return func(ev engine.Event) {
		if line := unanswered(ev); line != "" {
			mu.Lock()
			defer mu.Unlock()
			fmt.Fprintln(e.Stderr, line)
		}
	}
}

// unanswered is the line sayUnanswered prints for ev, or "".
func unanswered(ev engine.Event) string {
	var na *backend.NoAnswerError
	switch {
	case ev.Kind == engine.EventSlow && ev.Slow != nil:
		return fmt.Sprintf("%s: %s", ev.Shop, ev.Slow)
	case ev.Kind == engine.EventError && errors.As(ev.Err, &na):
		return fmt.Sprintf("%s: %s", ev.Shop, na)
	}
	return ""
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
