package form

import (
	"slices"

	"charm.land/bubbles/v2/key"
	tea "charm.land/bubbletea/v2"
	"github.com/charmbracelet/x/ansi"

	"orderdesk/keymap"
	"orderdesk/ui"
	"orderdesk/ui/theme"
)

// ConfirmInput is what a confirmation shows.
type ConfirmInput struct {
	Title string
	// Lines is the preview, one line per order, already styled by the
	// caller; it scrolls with up/down/pgup/pgdown when long.
	Lines []string
	// SideEffects are what reaches customers or the shop ("3 customers
	// will get an email (ymcart shop-y: orderShip)"). They are shown above
	// the buttons, and when there are any the focus starts on Cancel.
	SideEffects []string
	// Warnings are checks that did not pass but do not block.
	Warnings []string
	// Irreversible says what cannot be undone once saved (a cancel, a
	// void, a refund), shown with the side effects. Set CancelFirst with it.
	Irreversible []string
	ConfirmLabel string // "Ship 5 orders"
	// CancelFirst starts the focus on Cancel even without side effects:
	// for a step that cannot be undone from the desk (replacing a file).
	CancelFirst bool
}

// Confirm asks before an action is saved. y, or enter on the confirm
// button, confirms; n, esc, ctrl+c, or enter on Cancel cancel; left/right
// and tab/shift+tab move between the two buttons.
type Confirm struct {
	in      ConfirmInput
	onOK    bool // the focus is on the confirm button
	preview scroller
	st      theme.Styles
	keys    keymap.KeyMap
	yes, no key.Binding
}

// Sizes of the confirmation box.
const (
	confirmMinWidth = 40
	confirmMaxWidth = 110
)

// NewConfirm builds the dialog. The focus starts on the confirm button,
// or on Cancel when there are side effects (a stray enter must not email
// customers) or CancelFirst is set.
func NewConfirm(in ConfirmInput, s theme.Styles, k keymap.KeyMap) *Confirm {
	if in.ConfirmLabel == "" {
		in.ConfirmLabel = "Confirm"
	}
	return &Confirm{in: in, onOK: len(in.SideEffects) == 0 && !in.CancelFirst, st: s, keys: k,
		yes: literal("y"), no: literal("n")}
}

// Cursor is always nil: the dialog has no text input.
func (c *Confirm) Cursor() *tea.Cursor { return nil }

// Update confirms, cancels, moves between the buttons or scrolls.
func (c *Confirm) Update(msg tea.Msg) (Outcome, tea.Cmd) {
	km, ok := msg.(tea.KeyPressMsg)
	if !ok {
		return Open, nil
	}
	switch {
	case isCtrlC(km), key.Matches(km, c.keys.Back, c.no):
		return Cancelled, nil
	case key.Matches(km, c.yes):
		return Submitted, nil
	case key.Matches(km, c.keys.Submit):
		if c.onOK {
			return Submitted, nil
		}
		return Cancelled, nil
	case key.Matches(km, c.keys.NextField, c.keys.PrevField), km.Keystroke() == "left", km.Keystroke() == "right":
		c.onOK = !c.onOK
	default:
		c.preview.key(km, c.keys)
	}
	return Open, nil
}

// Confirming reports whether the focus is on the confirm button.
func (c *Confirm) Confirming() bool { return c.onOK }

// View draws the title, the scrolling preview, warnings, side effects, the
// buttons and the keys.
func (c *Confirm) View(width, height int) string {
	if tooSmall(width, height) {
		return ""
	}
	s := c.st
	title := ui.Clean(c.in.Title)
	natural := max(ansi.StringWidth(title), ansi.StringWidth(c.in.ConfirmLabel)+16)
	for _, l := range c.in.Lines {
		natural = max(natural, ansi.StringWidth(l))
	}
	for _, l := range slices.Concat(c.in.Warnings, c.in.SideEffects, c.in.Irreversible) {
		natural = max(natural, ansi.StringWidth(l)+2)
	}
	keys := keysLine(s, hint{c.yes, "confirm"}, hint{c.no, "cancel"},
		hint{literal("←/→"), "button"}, hint{literal("↑/↓"), "scroll"})
	natural = max(natural, ansi.StringWidth(keys))
	w := boxWidth(s, width, natural, confirmMinWidth, confirmMaxWidth)
	inner, rows := innerSize(s, w, height)

	head := []string{s.Title.Render(title), ""}
	var foot []string
	if len(c.in.Warnings)+len(c.in.SideEffects)+len(c.in.Irreversible) > 0 {
		foot = append(foot, "")
	}
	for _, undo := range c.in.Irreversible {
		foot = append(foot, wrap("⚠ cannot be undone: "+ui.Clean(undo), inner, s.Error.Render)...)
	}
	for _, warn := range c.in.Warnings {
		foot = append(foot, wrap("⚠ "+ui.Clean(warn), inner, s.Warn.Render)...)
	}
	for _, eff := range c.in.SideEffects {
		foot = append(foot, wrap("✉ "+ui.Clean(eff), inner, s.Error.Render)...)
	}
	foot = append(foot, "", c.buttons(), "", keys)
	// lines wider than the box wrap (a refusal's reason is never cut)
	body := c.preview.window(wrapLines(c.in.Lines, inner), room(rows, head, foot), s)
	return frame(s, w, stack(rows, head, body, foot))
}

// buttons draws the two buttons, the focused one highlighted.
func (c *Confirm) buttons() string {
	s := c.st
	ok, cancel := "[ "+ui.Clean(c.in.ConfirmLabel)+" ]", "[ Cancel ]"
	if c.onOK {
		return s.Cursor.Bold(true).Render(ok) + "  " + s.Muted.Render(cancel)
	}
	return s.Muted.Render(ok) + "  " + s.Cursor.Bold(true).Render(cancel)
}
