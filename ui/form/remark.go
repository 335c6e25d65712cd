package form

import (
	"strings"

	"charm.land/bubbles/v2/key"
	"charm.land/bubbles/v2/textarea"
	tea "charm.land/bubbletea/v2"
	"charm.land/lipgloss/v2"
	"github.com/charmbracelet/x/ansi"

	"orderdesk/backend"
	"orderdesk/keymap"
	"orderdesk/ui"
	"orderdesk/ui/theme"
)

// RemarkForm writes a remark: a multi-line text area where enter saves and
// alt+enter or ctrl+j starts a new line. Blank text is refused with a
// message.
type RemarkForm struct {
	title   string
	area    textarea.Model
	message string
	cursor  *tea.Cursor
	st      theme.Styles
	keys    keymap.KeyMap
}

// Sizes of the remark box.
const (
	remarkMinWidth  = 40
	remarkMaxWidth  = 76
	remarkAreaLines = 6 // the text area's height when there is room
)

// NewRemarkForm builds an empty remark editor with the text area focused.
func NewRemarkForm(title string, s theme.Styles, k keymap.KeyMap) *RemarkForm {
	a := textarea.New()
	a.ShowLineNumbers = false
	a.Prompt = "│ "
	a.Placeholder = "the remark for the order"
	a.SetVirtualCursor(false) // real cursor: no blink messages, IME follows it
	a.SetStyles(areaStyles(s))
	km := textarea.DefaultKeyMap()
	km.InsertNewline = key.NewBinding(key.WithKeys("alt+enter", "ctrl+j"))
	// ctrl+v would read the clipboard of the machine running the desk (the
	// server, over SSH); a terminal paste arrives as tea.PasteMsg instead.
	km.Paste = key.NewBinding(key.WithDisabled())
	a.KeyMap = km
	a.Focus()
	return &RemarkForm{title: title, area: a, st: s, keys: k}
}

// areaStyles dresses the text area in the desk's theme.
func areaStyles(s theme.Styles) textarea.Styles {
	plain := lipgloss.NewStyle()
	state := textarea.StyleState{
		Base: plain, Text: s.Input, CursorLine: s.Input, CursorLineNumber: s.Muted,
		EndOfBuffer: s.Muted, LineNumber: s.Muted, Placeholder: s.Placeholder,
		Prompt: s.Border, Selection: s.Cursor,
	}
	blurred := state
	blurred.Text, blurred.CursorLine = s.Muted, s.Muted
	st := textarea.DefaultStyles(s.Dark)
	st.Focused, st.Blurred = state, blurred
	st.Cursor.Blink = false
	return st
}

// Text is the remark, trimmed of surrounding blank space.
func (f *RemarkForm) Text() string { return strings.TrimSpace(f.area.Value()) }

// Cursor is the real cursor in the text area as of the last View.
func (f *RemarkForm) Cursor() *tea.Cursor { return f.cursor }

// Update edits the text, saves (enter) or cancels (esc, ctrl+c).
func (f *RemarkForm) Update(msg tea.Msg) (Outcome, tea.Cmd) {
	km, isKey := msg.(tea.KeyPressMsg)
	switch {
	case !isKey:
		f.edit(msg)
	case isCtrlC(km):
		return Cancelled, nil
	case isText(km):
		f.edit(km)
	case key.Matches(km, f.keys.Back):
		return Cancelled, nil
	case key.Matches(km, f.keys.Submit):
		if f.Text() == "" {
			f.message = "the remark is empty: write something, or esc to cancel"
			return Open, nil
		}
		if err := backend.CheckLength("remark", f.Text(), backend.MaxRemark); err != nil {
			f.message = err.Error() // new lines count too: typing stops at the limit, but alt+enter adds one
			return Open, nil
		}
		return Submitted, nil
	case key.Matches(km, f.keys.NextField, f.keys.PrevField):
		// one field only: tab neither moves nor types
	default:
		f.edit(km)
	}
	return Open, nil
}

func (f *RemarkForm) edit(msg tea.Msg) {
	if why := refuseLonger("remark", f.area.Length(), backend.MaxRemark, msg); why != "" {
		f.message = why
		return
	}
	before := f.area.Value()
	f.area, _ = f.area.Update(msg)
	if f.area.Value() != before {
		f.message = ""
	}
}

// View draws the title, the text area, a refusal message and the keys.
func (f *RemarkForm) View(width, height int) string {
	f.cursor = nil
	if tooSmall(width, height) {
		return ""
	}
	s := f.st
	title := ui.Clean(f.title)
	w := boxWidth(s, width, max(ansi.StringWidth(title), remarkMaxWidth), remarkMinWidth, remarkMaxWidth)
	inner, rows := innerSize(s, w, height)
	head := []string{s.Title.Render(title), ""}
	foot := []string{""}
	if f.message != "" {
		foot = append(foot, wrap(f.message, inner, s.Error.Render)...)
	}
	foot = append(foot, keysLine(s, hint{f.keys.Submit, "save"},
		hint{literal("alt+enter/ctrl+j"), "new line"}, hint{f.keys.Back, "cancel"}))
	n := min(remarkAreaLines, room(rows, head, foot))
	var body []string
	if n > 0 {
		f.area.SetWidth(inner)
		f.area.SetHeight(n)
		// The text area learns its wrapped lines in View and scrolls to the
		// cursor in SetHeight: after a resize, render once to let it scroll.
		f.area.View()
		f.area.SetHeight(n)
		body = strings.Split(strings.TrimSuffix(f.area.View(), "\n"), "\n")
		if len(body) > n {
			body = body[:n]
		}
	}
	lines := stack(rows, head, body, foot)
	if c := f.area.Cursor(); c != nil && n > 0 && c.Y >= 0 && c.Y < len(body) && c.X < inner {
		if y, ok := stackedRow(len(head)+c.Y, len(head)+len(body)+len(foot), rows); ok {
			f.cursor = boxCursor(s, c.X, y)
			f.cursor.Shape, f.cursor.Color = c.Shape, c.Color
		}
	}
	return frame(s, w, lines)
}
