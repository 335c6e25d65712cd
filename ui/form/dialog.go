package form

import (
	"strings"

	"charm.land/bubbles/v2/key"
	tea "charm.land/bubbletea/v2"
	"github.com/charmbracelet/x/ansi"

	"orderdesk/keymap"
	"orderdesk/ui"
	"orderdesk/ui/theme"
)

// Button is one button of a Dialog: its label and the key that presses it
// from anywhere in the dialog ("r" for Retry).
type Button struct {
	Label string
	Key   string
}

// DialogInput is what a Dialog shows.
type DialogInput struct {
	Title string
	// Lines are the body, already styled by the caller; lines wider than
	// the box wrap, and the body scrolls with up/down/pgup/pgdown.
	Lines []string
	// Body, when set, renders the body for the inner width instead of
	// Lines (a side-by-side that splits the width in two).
	Body    func(width int) []string
	Buttons []Button
	// Focus is the button focused at first: put it on the harmless one.
	Focus int
}

// Dialog asks the operator to choose one of a few buttons (Retry, Discard,
// Close). Enter presses the focused button, a button's key presses it at
// once; left/right and tab/shift+tab move the focus; esc and ctrl+c
// cancel. After Submitted, Pressed says which button it was.
type Dialog struct {
	in      DialogInput
	focus   int
	pressed int
	body    scroller
	st      theme.Styles
	keys    keymap.KeyMap
}

// Sizes of the dialog box.
const (
	dialogMinWidth = 40
	dialogMaxWidth = 110
)

// NewDialog builds the dialog.
func NewDialog(in DialogInput, s theme.Styles, k keymap.KeyMap) *Dialog {
	f := min(max(0, in.Focus), max(0, len(in.Buttons)-1))
	return &Dialog{in: in, focus: f, pressed: -1, st: s, keys: k}
}

// Pressed is the index of the button pressed, -1 before one is.
func (d *Dialog) Pressed() int { return d.pressed }

// Cursor is always nil: the dialog has no text input.
func (d *Dialog) Cursor() *tea.Cursor { return nil }

// Update presses, moves the focus, scrolls or cancels.
func (d *Dialog) Update(msg tea.Msg) (Outcome, tea.Cmd) {
	km, ok := msg.(tea.KeyPressMsg)
	if !ok {
		return Open, nil
	}
	n := len(d.in.Buttons)
	switch {
	case isCtrlC(km), key.Matches(km, d.keys.Back):
		return Cancelled, nil
	case key.Matches(km, d.keys.Submit) && n > 0:
		d.pressed = d.focus
		return Submitted, nil
	case key.Matches(km, d.keys.NextField) || km.Keystroke() == "right":
		if n > 0 {
			d.focus = (d.focus + 1) % n
		}
	case key.Matches(km, d.keys.PrevField) || km.Keystroke() == "left":
		if n > 0 {
			d.focus = (d.focus + n - 1) % n
		}
	case d.body.key(km, d.keys):
	default:
		for i, b := range d.in.Buttons {
			if b.Key != "" && km.Keystroke() == b.Key {
				d.pressed = i
				return Submitted, nil
			}
		}
	}
	return Open, nil
}

// View draws the title, the scrolling body, the buttons and the keys.
func (d *Dialog) View(width, height int) string {
	if tooSmall(width, height) {
		return ""
	}
	s := d.st
	title := ui.Clean(d.in.Title)
	buttons := d.buttons()
	natural := max(ansi.StringWidth(title), ansi.StringWidth(buttons))
	for _, l := range d.in.Lines {
		natural = max(natural, ansi.StringWidth(l))
	}
	if d.in.Body != nil {
		natural = dialogMaxWidth // as wide as the box may be
	}
	hints := []hint{{literal("←/→"), "button"}, {d.keys.Submit, "press"}}
	for _, b := range d.in.Buttons {
		if b.Key != "" {
			hints = append(hints, hint{literal(b.Key), strings.ToLower(b.Label)})
		}
	}
	hints = append(hints, hint{d.keys.Back, "close"})
	keys := keysLine(s, hints...)
	natural = max(natural, ansi.StringWidth(keys))
	w := boxWidth(s, width, natural, dialogMinWidth, dialogMaxWidth)
	inner, rows := innerSize(s, w, height)
	head := []string{s.Title.Render(title), ""}
	foot := []string{"", buttons, "", keys}
	body := d.in.Lines
	if d.in.Body != nil {
		body = d.in.Body(inner)
	}
	shown := d.body.window(wrapLines(body, inner), room(rows, head, foot), s)
	return frame(s, w, stack(rows, head, shown, foot))
}

// buttons draws the buttons, the focused one highlighted.
func (d *Dialog) buttons() string {
	s := d.st
	parts := make([]string, len(d.in.Buttons))
	for i, b := range d.in.Buttons {
		label := "[ " + ui.Clean(b.Label) + " ]"
		if i == d.focus {
			parts[i] = s.Cursor.Bold(true).Render(label)
		} else {
			parts[i] = s.Muted.Render(label)
		}
	}
	return strings.Join(parts, "  ")
}

// wrapLines wraps (possibly styled) lines wider than w, continuation lines
// indented.
func wrapLines(lines []string, w int) []string {
	out := make([]string, 0, len(lines))
	for _, l := range lines {
		if ansi.StringWidth(l) <= w {
			out = append(out, l)
			continue
		}
		const indent = 4
		for i, part := range strings.Split(ansi.Wrap(l, w, ""), "\n") {
			if i > 0 {
				part = fit(strings.Repeat(" ", indent)+part, w)
			}
			out = append(out, part)
		}
	}
	return out
}
