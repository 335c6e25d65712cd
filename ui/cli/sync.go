package cli

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"slices"
	"strings"
	stdsync "sync"
	"text/tabwriter"

	"orderdesk/backend"
	"orderdesk/backend/sync"
	"orderdesk/ui"
)

// Sync fetches the named shops (all when none) and then sends their
// pending edits. Progress goes to stderr, one summary line per shop to
// stdout. Exit 1 when any shop failed (each failure names its shop), 3 when
// all pulls succeeded but edits remain unconfirmed, 0 otherwise.
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
		}
	}
	reports, err := e.Desk.Sync(ctx, shops, progress)
	if err != nil {
		return e.Fail(err)
	}
	code := ExitOK
	tw := tabwriter.NewWriter(e.Stdout, 0, 4, 2, ' ', 0)
	fmt.Fprintln(tw, "SHOP\tPASS\tPAGES\tORDERS\tEDITS\tRESULT")
	for _, r := range reports {
		pass := "incremental"
		if r.Pull.Full {
			pass = "full"
		}
		result := "ok"
		if err := r.Err(); err != nil {
			result = "FAILED: " + ui.Clean(err.Error())
			fmt.Fprintf(e.Stderr, "orderdesk: sync %s failed: %v\n", r.Pull.Shop, err)
			code = ExitFailed
		}
		fmt.Fprintf(tw, "%s\t%s\t%d\t%d\t%s\t%s\n", r.Pull.Shop, pass, r.Pull.Pages, r.Pull.Orders, editCounts(r.Sent), result)
	}
	tw.Flush()
	open, err := e.Desk.Store.Edits("")
	if err != nil {
		return e.Fail(err)
	}
	if n := attention(open, shops); n > 0 {
		fmt.Fprintf(e.Stderr, "orderdesk: %d edit(s) failed or in conflict wait for you: see `orderdesk pending`\n", n)
	}
	if code == ExitOK && unsent(open, shops) > 0 {
		code = ExitQueued
	}
	return code
}

func attention(open []backend.Edit, shops []string) int {
	n := 0
	for _, ed := range open {
		if (len(shops) == 0 || slices.Contains(shops, ed.Ref.Shop)) && (ed.State == backend.EditFailed || ed.State == backend.EditConflict) {
			n++
		}
	}
	return n
}

func unsent(open []backend.Edit, shops []string) int {
	n := 0
	for _, ed := range open {
		if len(shops) == 0 || slices.Contains(shops, ed.Ref.Shop) {
			if ed.State == backend.EditPending || ed.State == backend.EditUnknown || ed.State == backend.EditSending {
				n++
			}
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
	edits, err := e.Desk.Store.Edits("")
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
	writeEdits(e.Stdout, edits, e)
	return ExitOK
}

func writeEdits(w io.Writer, edits []backend.Edit, e *Env) {
	if len(edits) == 0 {
		fmt.Fprintln(w, "no pending edits")
		return
	}
	tw := tabwriter.NewWriter(w, 0, 4, 2, ' ', 0)
	fmt.Fprintln(tw, "ID\tREF\tSTATE\tSAVED\tBY\tEDIT\tREASON")
	for _, ed := range edits {
		fmt.Fprintf(tw, "%s\t%s\t%s\t%s\t%s\t%s\t%s\n", ed.ID, ed.Ref, ed.State, ui.LocalTime(&ed.CreatedAt, e.loc()),
			ui.Clean(ed.Operator), ui.Clean(ed.Summary), ui.Clean(ed.Error))
	}
	tw.Flush()
}
