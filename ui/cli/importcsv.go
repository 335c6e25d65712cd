package cli

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"strings"

	"orderdesk/backend"
	"orderdesk/backend/inputfile"
	"orderdesk/backend/trackimport"
	"orderdesk/ui"
)

// ImportArgs is one `import-tracking` command.
type ImportArgs struct {
	Path   string
	DryRun bool
	Notify bool
	Yes    bool
	Format string
}

// ImportTracking reads a tracking file, plans every row against the cache,
// and (unless DryRun) saves the accepted rows as ship edits and sends them.
// It prints one line per row and returns:
//
//	0  every row is done or was already applied
//	1  some rows were rejected (by the plan or by the shop)
//	2  the file or the command line is wrong; nothing saved
//	3  nothing rejected, but some rows are queued (a shop offline)
//
// A dry run exits 1 when some rows would be rejected, else 0. Decisions:
// warnings (a number that misses its carrier's format, a number already on
// another order) ask on a terminal and go ahead in a script, as for `ship`;
// rows that email the customer need --yes in a script.
func (e *Env) ImportTracking(ctx context.Context, a ImportArgs) int {
	if err := checkFormat(a.Format, "table", "json"); err != nil {
		return e.Fail(err)
	}
	items, code := e.planImport(a)
	if items == nil {
		return code
	}
	n := trackimport.Counts(items)
	warned := 0
	for _, it := range items {
		if it.Outcome == trackimport.Ready && len(it.Warnings) > 0 {
			warned++
		}
	}
	if a.DryRun {
		if err := e.writeImport(items, a.Format, true); err != nil {
			return e.Fail(err)
		}
		fmt.Fprintf(e.Stderr, "dry run: %s; nothing saved or sent\n", tally(n))
		return importExit(items)
	}
	mails := trackimport.Notifying(items)
	if mails > 0 {
		fmt.Fprintf(e.Stderr, "note: %d of the shipments email the customer\n", mails)
	}
	switch {
	case a.Yes, n[trackimport.Ready] == 0:
	case e.Interactive:
		// the plan is part of the question, on stderr: stdout keeps only
		// the results (JSON stays JSON)
		if err := writeImportTable(e.Stderr, importRows(items), true); err != nil {
			return e.Fail(err)
		}
		q := fmt.Sprintf("Save and send %d shipment(s)", n[trackimport.Ready])
		if warned > 0 {
			q += fmt.Sprintf(", %d with warnings", warned)
		}
		if !e.confirm(ctx, q+"?") {
			return e.Fail(Usagef("not confirmed; nothing saved"))
		}
	case mails > 0:
		return e.Fail(Usagef("%d shipment(s) email the customer; add --yes to confirm when not running from a terminal (nothing saved)", mails))
	}
	saveErr := trackimport.Save(e.Desk, items)
	queued := trackimport.Counts(items)[trackimport.Queued]
	if saved := queued - n[trackimport.Queued]; saved > 0 {
		fmt.Fprintf(e.Stderr, "saved %d edit(s) in the outbox\n", saved)
	}
	if saveErr != nil {
		fmt.Fprintln(e.Stderr, "orderdesk: the rest were NOT saved:", saveErr)
	}
	// rows queued by an earlier run are sent too: running the file again
	// after an outage finishes the job
	switch {
	case queued == 0:
	case e.Offline:
		fmt.Fprintln(e.Stderr, "offline: `orderdesk sync` sends them")
	default:
		err := trackimport.Send(ctx, e.Desk, items, func(settled, total int) {
			if settled == total || settled%20 == 0 {
				fmt.Fprintf(e.Stderr, "sent %d/%d\n", settled, total)
			}
		})
		if err != nil {
			fmt.Fprintf(e.Stderr, "orderdesk: %v; the rows not confirmed stay queued and `orderdesk sync` sends them\n", err)
		}
	}
	if err := e.writeImport(items, a.Format, false); err != nil {
		return e.Fail(err)
	}
	fmt.Fprintln(e.Stderr, tally(trackimport.Counts(items)))
	return importExit(items)
}

// planImport reads and plans the file; nil items mean it stopped with code.
func (e *Env) planImport(a ImportArgs) ([]trackimport.Item, int) {
	f, err := inputfile.Open(a.Path) // a pipe or a directory is refused, never waited on
	if err != nil {
		return nil, e.Fail(Usagef("cannot read the tracking file: %v", err))
	}
	defer f.Close()
	file, err := trackimport.Read(f)
	if err != nil {
		var fe *trackimport.FormatError
		if errors.As(err, &fe) {
			return nil, e.Fail(Usagef("%s: %v (nothing imported)", a.Path, err))
		}
		return nil, e.Fail(fmt.Errorf("%s: %w", a.Path, err))
	}
	fmt.Fprintf(e.Stderr, "%s: %d row(s), %s, %s-separated\n", a.Path, len(file.Rows), file.Encoding, file.SeparatorName())
	items, err := trackimport.Plan(e.Desk, file.Rows, trackimport.Options{Notify: a.Notify, Operator: e.Operator})
	if err != nil {
		return nil, e.Fail(err)
	}
	return items, ExitOK
}

func importExit(items []trackimport.Item) int {
	n := trackimport.Counts(items)
	switch {
	case n[trackimport.Rejected] > 0:
		return ExitFailed
	case n[trackimport.Queued] > 0:
		return ExitQueued
	}
	return ExitOK
}

func tally(n map[trackimport.Outcome]int) string {
	var parts []string
	for _, o := range []trackimport.Outcome{trackimport.Ready, trackimport.Done, trackimport.Queued, trackimport.Applied, trackimport.Rejected} {
		if n[o] > 0 {
			parts = append(parts, fmt.Sprintf("%d %s", n[o], o))
		}
	}
	if len(parts) == 0 {
		return "no rows"
	}
	return strings.Join(parts, ", ")
}

// importRow is one row of the JSON output.
type importRow struct {
	Line     int      `json:"line"`
	Order    string   `json:"order"`
	Ref      string   `json:"ref,omitempty"`
	Carrier  string   `json:"carrier"`
	Tracking string   `json:"tracking"`
	URL      string   `json:"url,omitempty"`
	Result   string   `json:"result"`
	Edit     string   `json:"edit,omitempty"`
	Notifies bool     `json:"notifies,omitempty"` // the edit emails the customer
	Reason   string   `json:"reason,omitempty"`
	Warnings []string `json:"warnings,omitempty"`
}

func importRows(items []trackimport.Item) []importRow {
	out := make([]importRow, len(items))
	for i, it := range items {
		r := importRow{Line: it.Row.Line, Order: it.Row.Order, Carrier: it.Row.Carrier, Tracking: it.Row.Tracking,
			Result: string(it.Outcome), Reason: it.Reason, Warnings: it.Warnings}
		if !it.Ref.IsZero() {
			r.Ref = it.Ref.String()
		}
		if it.Edit != nil {
			sh := it.Edit.Action.Shipment
			r.Carrier, r.Tracking, r.URL, r.Edit, r.Notifies = sh.Carrier, sh.TrackingNumber, sh.TrackingURL, it.Edit.ID, it.Edit.Notifies
		}
		out[i] = r
	}
	return out
}

// writeImport prints one line per row: the plan, or the results.
func (e *Env) writeImport(items []trackimport.Item, format string, plan bool) error {
	rows := importRows(items)
	if format == "json" {
		b, err := json.MarshalIndent(rows, "", "  ")
		if err != nil {
			return err
		}
		_, err = fmt.Fprintf(e.Stdout, "%s\n", b)
		return err
	}
	return writeImportTable(e.Stdout, rows, plan)
}

func writeImportTable(w io.Writer, rows []importRow, plan bool) error {
	g := ui.Grid{Headers: []string{"LINE", "ORDER", "CARRIER", "TRACKING", "RESULT", "DETAIL"}, Right: []bool{true}}
	for _, r := range rows {
		order := r.Ref
		if order == "" {
			order = r.Order
		}
		result, detail := r.Result, r.Reason
		if plan && r.Result == string(trackimport.Ready) {
			result, detail = "will ship", ""
			if r.Notifies {
				detail = "emails the customer"
			}
		}
		if r.Result == string(trackimport.Applied) {
			result = "already applied"
		}
		for _, w := range r.Warnings {
			detail = strings.TrimPrefix(detail+"; warning: "+w, "; ")
		}
		// a cell of the file shows its start only: a row refused for a
		// 60 KB tracking number must not print it whole
		g.Rows = append(g.Rows, []string{fmt.Sprint(r.Line), backend.Excerpt(order), backend.Excerpt(r.Carrier),
			backend.Excerpt(r.Tracking), result, detail})
	}
	return g.Write(w)
}
