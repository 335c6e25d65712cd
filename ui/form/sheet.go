package form

import (
	"charm.land/bubbles/v2/key"
	tea "charm.land/bubbletea/v2"

	"orderdesk/keymap"
	"orderdesk/ui/theme"
)

// Tone colours the last cell of a sheet row: what happened to the row.
type Tone uint8

const (
	ToneText  Tone = iota
	ToneOK         // done, will go ahead
	ToneWarn       // waits, or goes ahead with a warning
	ToneError      // rejected
	ToneMuted      // nothing to do
)

// SheetColumn is one column of a Sheet. Every column but the last is as
// wide as its widest cell, at most Max (cut down towards Min only when
// they do not fit the box at all). The last column takes the rest of the
// width and wraps its text; when that rest is narrower than lastColMin
// (an 80-column terminal), the last column goes on the lines under the
// others, as wide as the box.
type SheetColumn struct {
	Header   string
	Right    bool
	Min, Max int
}

// SheetRow is one row: plain-text cells, one per column.
type SheetRow struct {
	Cells []string
	Tone  Tone
	// Notes are further lines of the last column, in the warning colour
	// with a ⚠ (checks that did not pass but do not block).
	Notes []string
}

// SheetInput is what a Sheet shows.
type SheetInput struct {
	Title   string
	Summary []string // under the title: what the file is, the counts
	Columns []SheetColumn
	Rows    []SheetRow
	// Warnings (⚠) and SideEffects (✉, what reaches customers) are shown
	// above the buttons, as in Confirm.
	Warnings    []string
	SideEffects []string
	// ConfirmLabel, when set, makes the sheet a question: [ label ] and
	// [ Cancel ], the focus on Cancel (a whole file of changes must not go
	// on a stray enter); y confirms, n cancels. Otherwise the sheet only
	// shows, with Status (if any) and a Close button.
	ConfirmLabel string
	Status       string
}

// Sheet shows a table of many rows in a box as large as it is given: the
// rows of a file to import, their plan and their results. Up/down and
// pgup/pgdown (home/end) scroll by rows; the header stays.
type Sheet struct {
	in      SheetInput
	onOK    bool   // the focus is on the confirm button
	running string // work under way: no question and no button, only this
	top     int    // first row shown
	shown   int    // rows shown whole by the last View
	st      theme.Styles
	keys    keymap.KeyMap
	yes, no key.Binding
}

// Sizes of the sheet box.
const (
	sheetMinWidth = 50
	lastColMin    = 30 // narrower than this, the last column goes under the others
	columnGap     = 2
)

// NewSheet builds the sheet, scrolled to the top, the focus on Cancel
// when it asks.
func NewSheet(in SheetInput, s theme.Styles, k keymap.KeyMap) *Sheet {
	return &Sheet{in: in, st: s, keys: k, yes: literal("y"), no: literal("n")}
}

// Asking reports whether the sheet asks for a confirmation.
func (t *Sheet) Asking() bool { return t.in.ConfirmLabel != "" && t.running == "" }

// Running says that the work the sheet asked for is under way: the
// question is gone and status shows instead of the buttons; enter does
// nothing, esc still reports Cancelled (the caller decides what that
// means: hiding the sheet while the work goes on). Call it again to
// update the status.
func (t *Sheet) Running(status string) {
	if status == "" {
		status = "working…"
	}
	t.running = status
}

// Cursor is always nil: a sheet has no text input.
func (t *Sheet) Cursor() *tea.Cursor { return nil }

// Update scrolls, confirms, cancels or closes.
func (t *Sheet) Update(msg tea.Msg) (Outcome, tea.Cmd) {
	km, ok := msg.(tea.KeyPressMsg)
	if !ok {
		return Open, nil
	}
	ask := t.Asking()
	switch {
	case isCtrlC(km), key.Matches(km, t.keys.Back), ask && key.Matches(km, t.no):
		return Cancelled, nil
	case ask && key.Matches(km, t.yes):
		return Submitted, nil
	case key.Matches(km, t.keys.Submit), !ask && km.Keystroke() == "space":
		switch {
		case t.running != "":
			return Open, nil
		case ask && !t.onOK:
			return Cancelled, nil
		}
		return Submitted, nil
	case ask && (key.Matches(km, t.keys.NextField, t.keys.PrevField) || km.Keystroke() == "left" || km.Keystroke() == "right"):
		t.onOK = !t.onOK
	case key.Matches(km, t.keys.Up):
		t.scroll(-1)
	case key.Matches(km, t.keys.Down):
		t.scroll(1)
	case key.Matches(km, t.keys.PageUp):
		t.scroll(-max(1, t.shown-1))
	case key.Matches(km, t.keys.PageDown):
		t.scroll(max(1, t.shown-1))
	case key.Matches(km, t.keys.Top) || km.Keystroke() == "home":
		t.top = 0
	case key.Matches(km, t.keys.Bottom) || km.Keystroke() == "end":
		t.scroll(len(t.in.Rows))
	}
	return Open, nil
}

// Confirming reports whether the focus is on the confirm button.
func (t *Sheet) Confirming() bool { return t.Asking() && t.onOK }

// Top is the first row shown.
func (t *Sheet) Top() int { return t.top }

// scroll moves the first row shown; the last row stays at the bottom of
// the window (as far as the last View could tell).
func (t *Sheet) scroll(n int) {
	t.top = max(0, min(t.top+n, len(t.in.Rows)-max(1, t.shown)))
}
