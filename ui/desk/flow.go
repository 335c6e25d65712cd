package desk

import (
	"context"
	"strings"
	"time"

	"charm.land/bubbles/v2/key"
	tea "charm.land/bubbletea/v2"

	"orderdesk/backend"
	"orderdesk/backend/engine"
	"orderdesk/keymap"
	"orderdesk/ui/form"
	"orderdesk/ui/theme"
)

// A flow is one piece of work the operator does in boxes over the list:
// set a status, ship, write a remark, copy, clear a stuck edit, import a
// tracking file, export the view. Each flow is its own type in its own
// file (flow_*.go): it holds its state, shows one box at a time, starts
// its own background work, and tells the desk what to do with a typed
// action (done, saved, changed…), which the desk routes (route). A new
// flow is one file and, at most, one new action.
//
// The desk feeds the open flow every key and paste, and hands each flow
// the answers of its own background work (flowMsg, tagged with the flow's
// id): an answer for a flow that is gone is dropped.
type flow interface {
	// update takes a key, a paste or an answer of the flow's own work and
	// returns what to run and, when the desk has something to do, an
	// action (nil otherwise).
	update(msg tea.Msg) (tea.Cmd, action)
	// box is the form or dialog shown now; nil while the flow waits with
	// nothing to show (its keys are still held back).
	box() box
	// ident is the flow's id, which its background work's answers carry.
	ident() int
}

// box is what every form and dialog of package form offers the desk.
type box interface {
	Update(tea.Msg) (form.Outcome, tea.Cmd)
	View(width, height int) string
	Cursor() *tea.Cursor
}

// action is what a flow asks of the desk.
type action interface{ isAction() }

type (
	// done ends the flow (finished, cancelled, nothing to do); the note,
	// when set, goes to the status bar.
	done struct{ note note }
	// saved ends an edit flow: the edits are durable in the outbox (err
	// names those that are not). The desk shows their markers, clears the
	// marks and sends them.
	saved struct {
		edits []*backend.Edit
		err   error
	}
	// changed ends a flow that changed edits already in the outbox (a
	// retry, a discard): their orders are re-read, and the shops in send
	// have their outbox sent.
	changed struct {
		note note
		refs []backend.Ref
		send []string
	}
	// hidden hides the flow's box; the flow goes on in the background.
	hidden struct{ note note }
	// importing: an import run started on these shops (the status bar
	// shows its progress until imported).
	importing struct{ shops []string }
	// imported: the import run ended; its orders are re-read.
	imported struct {
		note  note
		refs  []backend.Ref
		shops []string
	}
)

func (done) isAction()      {}
func (saved) isAction()     {}
func (changed) isAction()   {}
func (hidden) isAction()    {}
func (importing) isAction() {}
func (imported) isAction()  {}

// note is a message for the status bar.
type note struct {
	kind flashKind
	text string
}

func info(text string) note    { return note{flashInfo, text} }
func warn(text string) note    { return note{flashWarn, text} }
func errNote(text string) note { return note{flashError, text} }

// env is what every flow of a session shares, like soft-serve's Common:
// the engine, the operator, the look, the keys. Commands copy what they
// need from it before they start.
type env struct {
	work     context.Context // bounds what flows start on the shops
	desk     *engine.Desk
	operator string
	offline  bool
	loc      *time.Location
	styles   theme.Styles
	keys     keymap.KeyMap
	bom      bool // exported CSV starts with a byte order mark
}

func (m *Model) env() *env {
	return &env{work: m.work(), desk: m.cfg.Desk, operator: m.cfg.Operator, offline: m.cfg.Offline, loc: m.cfg.Loc,
		styles: m.styles, keys: m.keys, bom: m.cfg.ExportBOM}
}

// flowMsg is the answer of a flow's background work, for that flow only.
type flowMsg struct {
	id  int
	msg tea.Msg
}

// base is what every flow has: its id, the session's env, the box shown,
// and whether it waits for background work.
type base struct {
	id  int
	env *env
	cur box
	// waiting: background work is under way (choices, drafts, a save, a
	// file); keys are held back meanwhile, so a quick second enter never
	// lands on the list behind. abandon: esc or ctrl+c end the flow while
	// it waits (reading choices or a file can be abandoned; a save cannot).
	waiting, abandon bool
}

func (b *base) box() box   { return b.cur }
func (b *base) busy() bool { return b.waiting }
func (b *base) ident() int { return b.id }

// show puts a box up and ends any wait.
func (b *base) show(x box) {
	b.cur, b.waiting = x, false
}

// wait starts background work; the box (if any) stays shown.
func (b *base) wait(abandon bool) {
	b.waiting, b.abandon = true, abandon
}

// run tags a command of the flow's own: its answer comes back to this
// flow through update, or is dropped once the flow is gone.
func (b *base) run(cmd tea.Cmd) tea.Cmd {
	if cmd == nil {
		return nil
	}
	id := b.id
	return func() tea.Msg {
		msg := cmd()
		if msg == nil {
			return nil
		}
		return flowMsg{id: id, msg: msg}
	}
}

// held handles input while the flow waits: keys and pastes are held back,
// esc and ctrl+c abandon where that is safe. ok is false when the message
// is not input held by a wait (the flow handles it).
func (b *base) held(msg tea.Msg) (act action, ok bool) {
	if !b.waiting {
		return nil, false
	}
	switch km := msg.(type) {
	case tea.KeyPressMsg:
		if b.abandon && (key.Matches(km, b.env.keys.Back) || km.Keystroke() == "ctrl+c") {
			return done{info("abandoned; nothing saved")}, true
		}
		return nil, true
	case tea.PasteMsg:
		return nil, true
	}
	return nil, false
}

// message shows an information box; closing it ends the flow.
func (b *base) message(title string, lines ...string) {
	b.show(form.NewMessage(title, strings.Join(lines, "\n"), b.env.styles, b.env.keys))
}
