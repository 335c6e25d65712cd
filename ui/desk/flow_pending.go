package desk

import (
	"fmt"
	"strings"

	tea "charm.land/bubbletea/v2"
	"github.com/charmbracelet/x/ansi"

	"orderdesk/backend"
	"orderdesk/backend/engine"
	"orderdesk/ui"
	"orderdesk/ui/form"
)

// pendingFlow is the way out for an edit that is stuck on an order: a
// failed or conflicting edit (or one still waiting) is shown with its
// reason and, for a conflict, what the operator saw beside what the shop
// has now; the operator retries it (it is decided again on the shop's
// current order and sent) or discards it (asked first: it is never sent,
// and stays in the order's history and the audit log).
type pendingFlow struct {
	base
	ref     backend.Ref
	order   *backend.Order
	edits   []backend.Edit // the order's open edits
	picker  *form.Picker
	dialog  *form.Dialog
	confirm *form.Confirm // discard?
	edit    backend.Edit  // the one worked on
}

type (
	// stuckMsg is an order and its open edits.
	stuckMsg struct {
		order *backend.Order
		edits []backend.Edit
		err   error
	}
	// editOpMsg is a retry or discard done (or refused).
	editOpMsg struct {
		op   string
		edit backend.Edit
		err  error
	}
)

// The dialog's buttons.
const (
	btnRetry = iota
	btnDiscard
	btnClose
)

func newPendingFlow(e *env, id int, ref backend.Ref) (flow, tea.Cmd) {
	f := &pendingFlow{base: base{id: id, env: e}, ref: ref}
	f.wait(true)
	return f, f.run(stuckEdits(e.desk, ref))
}

func (f *pendingFlow) update(msg tea.Msg) (tea.Cmd, action) {
	if act, ok := f.held(msg); ok {
		return nil, act
	}
	switch msg := msg.(type) {
	case stuckMsg:
		return nil, f.onStuck(msg)
	case editOpMsg:
		return nil, f.onOp(msg)
	}
	if f.cur == nil {
		return nil, nil
	}
	out, cmd := f.cur.Update(msg)
	if out == form.Open {
		return cmd, nil
	}
	switch f.cur {
	case box(f.picker):
		if out == form.Cancelled {
			return cmd, done{}
		}
		f.edit = f.edits[f.pickedIndex()]
		f.showDialog()
		return cmd, nil
	case box(f.dialog):
		if out == form.Cancelled {
			return cmd, done{}
		}
		switch f.dialog.Pressed() {
		case btnRetry:
			if !f.edit.State.Allows(backend.OpRetry) {
				return cmd, done{errNote((&backend.EditStateError{ID: f.edit.ID, State: f.edit.State, Op: backend.OpRetry}).Error())}
			}
			f.wait(false)
			return tea.Batch(cmd, f.run(editOpCmd(f.env.desk, backend.OpRetry, f.edit.ID, f.env.operator))), nil
		case btnDiscard:
			if !f.edit.State.Allows(backend.OpDiscard) {
				return cmd, done{errNote((&backend.EditStateError{ID: f.edit.ID, State: f.edit.State, Op: backend.OpDiscard}).Error())}
			}
			f.confirm = form.NewConfirm(form.ConfirmInput{
				Title:        fmt.Sprintf("Discard %s — %s on %s?", f.edit.ID, f.edit.Summary, f.edit.Ref),
				Lines:        []string{"It is never sent to the shop. It stays in the order's history and in the audit log."},
				Irreversible: []string{fmt.Sprintf("%s leaves the outbox for good; to make the change, make it again", f.edit.ID)},
				ConfirmLabel: "Discard " + f.edit.ID,
				CancelFirst:  true,
			}, f.env.styles, f.env.keys)
			f.show(f.confirm)
			return cmd, nil
		}
		return cmd, done{}
	case box(f.confirm):
		if out == form.Cancelled {
			f.showDialog() // back to the edit, nothing changed
			return cmd, nil
		}
		f.wait(false)
		return tea.Batch(cmd, f.run(editOpCmd(f.env.desk, backend.OpDiscard, f.edit.ID, f.env.operator))), nil
	}
	return cmd, done{} // an information box was closed
}

// pickedIndex is the edit chosen in the picker.
func (f *pendingFlow) pickedIndex() int {
	v := f.picker.Chosen().Value
	for i, e := range f.edits {
		if e.ID == v {
			return i
		}
	}
	return 0
}

// onStuck shows the order's edit (a picker first when it has several).
func (f *pendingFlow) onStuck(msg stuckMsg) action {
	f.waiting = false
	switch {
	case msg.err != nil:
		return done{errNote(msg.err.Error())}
	case len(msg.edits) == 0:
		return done{info(fmt.Sprintf("%s has no unsent edit", f.ref))}
	}
	f.order, f.edits = msg.order, msg.edits
	if len(f.edits) == 1 {
		f.edit = f.edits[0]
		f.showDialog()
		return nil
	}
	var cs []choice
	for _, e := range f.edits {
		cs = append(cs, choice{Label: e.ID + " " + string(e.State), Value: e.ID, Hint: e.Summary})
	}
	f.picker = form.NewPicker(fmt.Sprintf("Unsent edits of %s", f.ref), formChoices(cs), f.env.styles, f.env.keys)
	f.show(f.picker)
	return nil
}

// showDialog shows the edit worked on with what can be done about it: a
// conflict leads with what the operator saw beside what the shop has now.
func (f *pendingFlow) showDialog() {
	e := f.edit
	s := f.env.styles
	order := f.order
	f.dialog = form.NewDialog(form.DialogInput{
		Title: fmt.Sprintf("%s %s — %s on %s", e.ID, e.State, e.Summary, e.Ref),
		Body: func(width int) []string {
			var lines []string
			if e.State == backend.EditConflict {
				lines = append(lines, sideBySide(f.env, e, order, width)...)
				lines = append(lines, "")
			}
			if why := reasonOf(e); why != "" {
				lines = append(lines, s.EditState(e.State).Render(string(e.State)+": ")+ui.Clean(why))
			}
			lines = append(lines,
				s.Muted.Render(fmt.Sprintf("saved %s by %s · %d send attempt(s)", ui.LocalTime(&e.CreatedAt, f.env.loc), e.Operator, e.Attempts)),
				"", s.Muted.Render(whatNow(e.State)))
			return lines
		},
		Buttons: []form.Button{{Label: "Retry", Key: "r"}, {Label: "Discard", Key: "d"}, {Label: "Close", Key: "c"}},
		Focus:   btnClose,
	}, s, f.env.keys)
	f.show(f.dialog)
}

// reasonOf is the edit's reason as the dialog shows it: for a conflict,
// without the fingerprints (the side-by-side shows them readably).
func reasonOf(e backend.Edit) string {
	if e.State == backend.EditConflict {
		if i := strings.Index(e.Error, ": saw "); i >= 0 {
			return e.Error[:i]
		}
	}
	return e.Error
}

// whatNow says what retry and discard would do for an edit in this state.
func whatNow(st backend.EditState) string {
	switch st {
	case backend.EditConflict:
		return "Retry: decide it again on what the shop has now (the shop's rules are checked, then it is sent). Discard: drop it."
	case backend.EditFailed:
		return "Retry: read the order again and send it if the shop's rules now allow it. Discard: drop it."
	case backend.EditPending:
		return "It waits to be sent (the next sync sends it). Retry sends it now; discard drops it."
	}
	return "Its outcome is being checked with the shop: the next sync settles it. Nothing can be done to it meanwhile."
}

// sideBySide is what the operator saw beside what the shop has now, in
// two columns of the width, long values wrapped in their column, the
// fields that differ marked.
func sideBySide(e *env, ed backend.Edit, now *backend.Order, width int) []string {
	s := e.styles
	saw, shop := backend.ConflictSides(ed, now)
	col := max(8, (width-5)/2) // "* " saw " │ " shop
	out := []string{s.Header.Render(pad("  YOU SAW", col+2) + " │ THE SHOP HAS NOW")}
	for i := range saw {
		mark, st := "  ", s.Text
		if saw[i] != shop[i] {
			mark, st = "* ", s.Warn // ASCII: ≠ is ambiguous-width in CJK terminals
		}
		left := cellLines(ui.Clean(saw[i]), col)
		right := cellLines(ui.Clean(shop[i]), col)
		for k := range max(len(left), len(right)) {
			l, r := "", ""
			if k < len(left) {
				l = left[k]
			}
			if k < len(right) {
				r = right[k]
			}
			m := "  "
			if k == 0 {
				m = mark
			}
			out = append(out, st.Render(m+pad(l, col)+" │ "+r))
		}
	}
	return out
}

func pad(s string, w int) string { return fit(s, w, false) }

// cellLines wraps a value to its column (at least one line).
func cellLines(text string, w int) []string {
	if text == "" {
		return []string{""}
	}
	return strings.Split(ansi.Wrap(text, w, ""), "\n")
}

// stuckEdits reads an order and its open edits, as the engine reads them.
func stuckEdits(d *engine.Desk, ref backend.Ref) tea.Cmd {
	return func() tea.Msg {
		o, err := d.Reader().Order(ref)
		if err != nil {
			return stuckMsg{err: err}
		}
		hist, err := d.History(ref)
		if err != nil {
			return stuckMsg{err: err}
		}
		var open []backend.Edit
		for _, e := range hist {
			if e.State.Open() {
				open = append(open, e)
			}
		}
		return stuckMsg{order: o, edits: open}
	}
}

// editOpCmd retries or discards an edit.
func editOpCmd(d *engine.Desk, op, id, operator string) tea.Cmd {
	return func() tea.Msg {
		var e backend.Edit
		var err error
		if op == backend.OpRetry {
			e, err = d.Retry(id, operator)
		} else {
			e, err = d.Discard(id, operator)
		}
		return editOpMsg{op: op, edit: e, err: err}
	}
}

// onOp says what came of a retry or a discard.
func (f *pendingFlow) onOp(msg editOpMsg) action {
	if msg.err != nil {
		return done{errNote(fmt.Sprintf("%s not %s: %v", f.edit.ID, pastTense(msg.op), msg.err))}
	}
	e := msg.edit
	if msg.op == backend.OpDiscard {
		return changed{note: info(fmt.Sprintf("%s discarded: never sent; kept in the order's history", e.ID)), refs: []backend.Ref{e.Ref}}
	}
	n := info(fmt.Sprintf("%s will be decided again on the shop's current order; sending…", e.ID))
	if f.env.offline {
		n = warn(fmt.Sprintf("%s will be decided again by the next sync (offline: nothing is sent now)", e.ID))
	}
	return changed{note: n, refs: []backend.Ref{e.Ref}, send: []string{e.Ref.Shop}}
}

func pastTense(op string) string {
	if op == backend.OpRetry {
		return "retried"
	}
	return strings.TrimSuffix(op, "e") + "ed"
}
