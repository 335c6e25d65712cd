package desk

import (
	"errors"
	"fmt"
	"path/filepath"
	"slices"
	"strings"

	tea "charm.land/bubbletea/v2"

	"orderdesk/backend"
	"orderdesk/backend/trackimport"
	"orderdesk/ui/form"
)

// Importing a tracking file is a flow of its own: a path prompt → the
// plan (read and checked in the background, nothing written) shown as a
// sheet that asks → the run (trackimport.Save, then trackimport.Send unless
// offline) in the background, its progress in the sheet and the status
// bar → the results in the same sheet. The sheet can be hidden while the
// run goes on (esc); the import key shows it again, and results that
// arrive while it is hidden wait there for the operator (importFlow).

// importFlow is the session's import: at most one runs at a time, and it
// outlives its box while it runs (the desk keeps it as Model.imp).
type importFlow struct {
	base
	lastPath *string // the session's last path typed, offered again
	prompt   *form.Prompt
	plan     *importPlan
	sheet    *form.Sheet // the plan, then the run, then the results
	run      *importRun  // the import under way (nil before and after)
}

// importPlan is a file read and planned.
type importPlan struct {
	name     string // the file's base name, for titles
	encoding string
	sep      string // "comma", "semicolon" or "tab"
	items    []trackimport.Item
}

// importRun is an import under way.
type importRun struct {
	name     string
	shops    []string
	rejected int // rows the plan rejected (the rest were rejected by the run)
	saving   int // rows being saved, until the save is over
	settled  int
	total    int
}

// progress is the run's state in a few words: "importing 40/500".
func (r *importRun) progress() string {
	if r.saving > 0 {
		return fmt.Sprintf("saving %d shipment(s) to the outbox…", r.saving)
	}
	return fmt.Sprintf("importing %d/%d", r.settled, r.total)
}

// newImportFlow asks for a file.
func newImportFlow(e *env, id int, lastPath *string) *importFlow {
	f := &importFlow{base: base{id: id, env: e}, lastPath: lastPath}
	f.prompt = form.NewPrompt(form.PromptInput{
		Title: "Import tracking numbers from a CSV file",
		Value: *lastPath,
		Hint:  "columns: order (or ref), carrier, tracking; optional url, shop. ~/ is the home directory; a relative path starts in the directory the desk was started in.",
		Does:  "read and check (nothing is saved yet)",
	}, e.styles, e.keys)
	f.show(f.prompt)
	return f
}

func (f *importFlow) update(msg tea.Msg) (tea.Cmd, action) {
	if act, ok := f.held(msg); ok {
		return nil, act
	}
	switch msg := msg.(type) {
	case importPlanMsg:
		return nil, f.onPlan(msg)
	case importProgressMsg:
		if r := f.run; r != nil {
			r.saving, r.settled, r.total = 0, msg.settled, msg.total
			f.sheet.Running(r.progress())
		}
		return f.base.run(nextImport(msg.next)), nil
	case importDoneMsg:
		return nil, f.onDone(msg)
	}
	if f.cur == nil {
		return nil, nil
	}
	out, cmd := f.cur.Update(msg)
	switch {
	case out == form.Open:
		return cmd, nil
	case f.cur == box(f.prompt) && out == form.Submitted:
		path := f.prompt.Value()
		*f.lastPath = path
		f.prompt.SetStatus("reading " + path + "…")
		f.wait(true) // the prompt stays, the keys wait
		return tea.Batch(cmd, f.base.run(planImport(f.env.desk, path, f.env.operator))), nil
	case f.run != nil:
		return cmd, hidden{info(fmt.Sprintf("the import goes on; %s shows it", f.env.keys.Import.Help().Key))}
	case f.plan != nil && out == form.Submitted && f.sheet.Asking():
		return tea.Batch(cmd, f.start()), importing{shops: f.run.shops}
	case f.plan != nil && out == form.Submitted:
		return cmd, done{} // nothing to send: the plan only showed
	case f.plan != nil || f.cur == box(f.prompt):
		return cmd, done{info("cancelled; nothing saved")}
	}
	return cmd, done{} // the results were closed
}

// onPlan shows the plan, or the error in the prompt.
func (f *importFlow) onPlan(msg importPlanMsg) action {
	f.waiting = false
	var fe *trackimport.FormatError
	switch {
	case errors.As(msg.err, &fe):
		f.prompt.SetError(fmt.Sprintf("cannot read %s: %v (nothing imported)", filepath.Base(msg.path), fe))
		return nil
	case msg.err != nil:
		f.prompt.SetError(msg.err.Error())
		return nil
	case len(msg.plan.items) == 0:
		f.prompt.SetError(fmt.Sprintf("%s has a header but no rows: nothing to import", filepath.Base(msg.path)))
		return nil
	}
	f.plan = msg.plan
	f.sheet = form.NewSheet(planSheet(msg.plan, f.env.offline), f.env.styles, f.env.keys)
	f.show(f.sheet)
	return nil
}

// start saves (and, online, sends) the ready rows of the plan in the
// background. The run works on its own copy of the rows.
func (f *importFlow) start() tea.Cmd {
	plan := f.plan
	f.plan = nil
	items := make([]trackimport.Item, len(plan.items))
	run := &importRun{name: plan.name}
	for i, it := range plan.items {
		if it.Edit != nil {
			e := *it.Edit
			it.Edit = &e
		}
		items[i] = it
		sends := !f.env.offline && (it.Outcome == trackimport.Ready || resend(it))
		switch {
		case it.Outcome == trackimport.Ready:
			run.saving++
		case it.Outcome == trackimport.Rejected:
			run.rejected++
		}
		if sends {
			run.total++
			if !slices.Contains(run.shops, it.Ref.Shop) {
				run.shops = append(run.shops, it.Ref.Shop)
			}
		}
	}
	f.run = run
	f.sheet.Running(run.progress())
	return f.base.run(runImport(f.env.work, f.env.desk, items, f.env.offline))
}

// onDone shows the results in the sheet (shown or not: the desk keeps a
// hidden import for the import key) and says how it went.
func (f *importFlow) onDone(msg importDoneMsg) action {
	r := f.run
	if r == nil {
		return nil
	}
	f.run = nil
	f.sheet = form.NewSheet(resultSheet(r.name, msg), f.env.styles, f.env.keys)
	f.show(f.sheet)
	n := trackimport.Counts(msg.items)
	kind := flashOK
	switch {
	case msg.saveErr != nil || n[trackimport.Rejected] > r.rejected:
		kind = flashError
	case n[trackimport.Queued] > 0 || msg.sendErr != nil || n[trackimport.Rejected] > 0:
		kind = flashWarn
	}
	var refs []backend.Ref
	for _, it := range msg.items {
		if !it.Ref.IsZero() && !slices.Contains(refs, it.Ref) {
			refs = append(refs, it.Ref)
		}
	}
	return imported{note: note{kind, fmt.Sprintf("import %s: %s", r.name, resultCounts(n))}, refs: refs, shops: r.shops}
}

// importColumns are the sheet's columns, for the plan and the results.
var importColumns = []form.SheetColumn{
	{Header: "LINE", Right: true, Min: 4, Max: 6},
	{Header: "ORDER", Min: 10, Max: 28},
	{Header: "TRACKING", Min: 10, Max: 24},
	{Header: "RESULT/REASON"},
}

// planSheet is the plan as a question: what will ship, what is skipped
// and why, who gets an email. Online, rows an earlier run left queued (a
// shop was offline) are sent again, as the command line does: running
// the file again after an outage finishes the job. With nothing to save
// or send, nothing is asked.
func planSheet(p *importPlan, offline bool) form.SheetInput {
	in := form.SheetInput{
		Title:   fmt.Sprintf("Import tracking — %s (%d rows, %s, %s-separated)", p.name, len(p.items), p.encoding, p.sep),
		Columns: importColumns,
		Summary: []string{planCounts(p.items)},
	}
	var ready, queued []*backend.Edit
	for _, it := range p.items {
		row := form.SheetRow{Cells: []string{fmt.Sprint(it.Row.Line), orderCell(it), trackingCell(it)}}
		switch it.Outcome {
		case trackimport.Ready:
			ready = append(ready, it.Edit)
			text := "will ship"
			if it.Edit.Notifies {
				text += " · emails the customer"
			}
			row.Tone, row.Notes = form.ToneOK, it.Warnings
			if len(it.Warnings) > 0 {
				text = "⚠ " + text
				row.Tone = form.ToneWarn
			}
			row.Cells = append(row.Cells, text)
		case trackimport.Applied:
			row.Tone = form.ToneMuted
			row.Cells = append(row.Cells, "already applied: "+it.Reason)
		case trackimport.Queued:
			if resend(it) {
				queued = append(queued, it.Edit)
			}
			row.Tone = form.ToneWarn
			row.Cells = append(row.Cells, markPending+" already queued: "+it.Reason)
		default:
			row.Tone = form.ToneError
			row.Cells = append(row.Cells, markFailed+" rejected: "+it.Reason)
		}
		in.Rows = append(in.Rows, row)
	}
	if offline {
		queued = nil // saved only; there is nothing to send
	}
	switch {
	case len(ready) == 0 && len(queued) == 0:
		in.Status = "nothing to send"
		return in
	case offline:
		in.ConfirmLabel = fmt.Sprintf("Save %d shipment(s)", len(ready))
		in.Warnings = append(in.Warnings, "offline (--offline): the shipments are saved to the outbox; a sync without --offline sends them")
	case len(ready) == 0:
		in.ConfirmLabel = fmt.Sprintf("Send the %d already queued", len(queued))
	case len(queued) == 0:
		in.ConfirmLabel = fmt.Sprintf("Send %d shipment(s)", len(ready))
	default:
		in.ConfirmLabel = fmt.Sprintf("Send %d shipment(s) and the %d already queued", len(ready), len(queued))
	}
	in.SideEffects = sideEffects(append(ready, queued...))
	return in
}

// resend reports a row an earlier run saved and the shop has not
// confirmed yet: trackimport.Send sends it again.
func resend(it trackimport.Item) bool {
	return it.Outcome == trackimport.Queued && it.Edit != nil && it.Edit.ID != ""
}

// resultSheet is what the run did to every row.
func resultSheet(name string, msg importDoneMsg) form.SheetInput {
	in := form.SheetInput{
		Title:   "Import tracking — " + name + ": results",
		Columns: importColumns,
		Summary: []string{resultCounts(trackimport.Counts(msg.items))},
	}
	for _, it := range msg.items {
		row := form.SheetRow{Cells: []string{fmt.Sprint(it.Row.Line), orderCell(it), trackingCell(it)}}
		var text string
		switch it.Outcome {
		case trackimport.Done:
			row.Tone, text = form.ToneOK, markMarked+" done: "+it.Reason
		case trackimport.Queued:
			row.Tone, text = form.ToneWarn, markPending+" queued: "+it.Reason
		case trackimport.Applied:
			row.Tone, text = form.ToneMuted, "already applied: "+it.Reason
		case trackimport.Rejected:
			row.Tone, text = form.ToneError, markFailed+" rejected: "+it.Reason
		default:
			row.Tone, text = form.ToneWarn, "not sent"
		}
		row.Cells = append(row.Cells, text)
		in.Rows = append(in.Rows, row)
	}
	if msg.saveErr != nil {
		in.Warnings = append(in.Warnings, "NOT saved: "+msg.saveErr.Error()+"; the rows rejected as not saved can be imported again")
	}
	if msg.sendErr != nil {
		in.Warnings = append(in.Warnings, backend.Reason(msg.sendErr)+"; the rows not confirmed stay queued and the next sync sends them")
	}
	if msg.offline && trackimport.Counts(msg.items)[trackimport.Queued] > 0 {
		in.Warnings = append(in.Warnings, "offline (--offline): the queued rows are sent by a sync without --offline")
	}
	return in
}

func orderCell(it trackimport.Item) string {
	switch {
	case !it.Ref.IsZero():
		return it.Ref.String()
	case it.Row.Shop != "" && !strings.Contains(it.Row.Order, ":"):
		return it.Row.Shop + ":" + it.Row.Order
	}
	return it.Row.Order
}

func trackingCell(it trackimport.Item) string {
	if it.Edit != nil && it.Edit.Action.Shipment.TrackingNumber != "" {
		return it.Edit.Action.Shipment.TrackingNumber
	}
	return it.Row.Tracking
}

// planCounts is the plan's count line: "12 will ship, 3 already applied,
// 2 rejected; 4 email the customer; 1 with warnings".
func planCounts(items []trackimport.Item) string {
	n := trackimport.Counts(items)
	line := joinCounts(n, []outcomeWord{{trackimport.Ready, "will ship"}, {trackimport.Applied, "already applied"},
		{trackimport.Queued, "already queued"}, {trackimport.Rejected, "rejected"}})
	switch k := trackimport.Notifying(items); {
	case k == 1:
		line += "; 1 emails the customer"
	case k > 1:
		line += fmt.Sprintf("; %d email the customer", k)
	}
	warned := 0
	for _, it := range items {
		if it.Outcome == trackimport.Ready && len(it.Warnings) > 0 {
			warned++
		}
	}
	if warned > 0 {
		line += fmt.Sprintf("; %d with warnings", warned)
	}
	return line
}

// resultCounts is the count line of the results: "10 done, 2 queued, 3
// already applied, 2 rejected".
func resultCounts(n map[trackimport.Outcome]int) string {
	return joinCounts(n, []outcomeWord{{trackimport.Done, "done"}, {trackimport.Queued, "queued"},
		{trackimport.Applied, "already applied"}, {trackimport.Rejected, "rejected"}, {trackimport.Ready, "not sent"}})
}

type outcomeWord struct {
	o    trackimport.Outcome
	word string
}

func joinCounts(n map[trackimport.Outcome]int, words []outcomeWord) string {
	var parts []string
	for _, w := range words {
		if n[w.o] > 0 {
			parts = append(parts, fmt.Sprintf("%d %s", n[w.o], w.word))
		}
	}
	if len(parts) == 0 {
		return "no rows"
	}
	return strings.Join(parts, ", ")
}
