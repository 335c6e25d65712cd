package form

import (
	"charm.land/bubbles/v2/key"
	tea "charm.land/bubbletea/v2"
	"github.com/charmbracelet/x/ansi"
	"strings"

	"orderdesk/keymap"
	"orderdesk/ui"
	"orderdesk/ui/theme"
)

// Message is an information box with one OK button, for "nothing to do"
// cases. Enter (or space) closes it as Submitted; esc or ctrl+c as
// Cancelled. Either way there is nothing more to do.
type Message struct {
	title, text string
	st          theme.Styles
	keys        keymap.KeyMap
}

// Sizes of the message box.
const (
	messageMinWidth = 30
	messageMaxWidth = 64
)

// NewMessage builds a message box; text is wrapped to the box.
func NewMessage(title, text string, s theme.Styles, k keymap.KeyMap) *Message {
	return &Message{title: title, text: text, st: s, keys: k}
}

// Cursor is always nil.
func (m *Message) Cursor() *tea.Cursor { return nil }

// Update closes the box on enter, space, esc or ctrl+c.
func (m *Message) Update(msg tea.Msg) (Outcome, tea.Cmd) {
	km, ok := msg.(tea.KeyPressMsg)
	switch {
	case !ok:
		return Open, nil
	case isCtrlC(km), key.Matches(km, m.keys.Back):
		return Cancelled, nil
	case key.Matches(km, m.keys.Submit), km.Keystroke() == "space":
		return Submitted, nil
	}
	return Open, nil
}

// View draws the title, the wrapped text and the OK button.
func (m *Message) View(width, height int) string {
	if tooSmall(width, height) {
		return ""
	}
	s := m.st
	title := ui.Clean(m.title)
	lines := strings.Split(m.text, "\n") // each line cleaned, kept a line
	natural := ansi.StringWidth(title)
	for i, l := range lines {
		lines[i] = ui.Clean(l)
		natural = max(natural, ansi.StringWidth(lines[i]))
	}
	text := strings.Join(lines, "\n")
	w := boxWidth(s, width, natural, messageMinWidth, messageMaxWidth)
	inner, rows := innerSize(s, w, height)
	head := []string{s.Title.Render(title), ""}
	foot := []string{"", s.Cursor.Bold(true).Render("[ OK ]")}
	body := wrap(text, inner, s.Text.Render)
	body = body[:min(len(body), room(rows, head, foot))]
	return frame(s, w, stack(rows, head, body, foot))
}
