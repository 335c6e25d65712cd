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

// PromptInput is what a Prompt asks for.
type PromptInput struct {
	Title string
	Label string // "File"
	Value string // the text it starts with (the last path, a default name)
	Hint  string // a dim line under the input: what is expected
	Does  string // what enter does, for the key line: "read", "export"
}

// Prompt asks for one line of text: a file path for an import or an
// export. Enter submits (not when blank), esc or ctrl+c cancel. The caller
// works on the value in the background and reports back through SetStatus
// (work under way) and SetError (the prompt stays, with the error, so the
// operator can correct the text).
type Prompt struct {
	in      PromptInput
	field   textField
	message string // the last error
	status  string // work under way ("reading…")
	cursor  *tea.Cursor
	st      theme.Styles
	keys    keymap.KeyMap
}

// maxPath is what a prompt takes: a file path (Linux's PATH_MAX).
const maxPath = 4096

// Sizes of the prompt box.
const (
	promptMinWidth = 40
	promptMaxWidth = 96
)

// NewPrompt builds the prompt with its input focused and the cursor at
// the end of Value.
func NewPrompt(in PromptInput, s theme.Styles, k keymap.KeyMap) *Prompt {
	label := in.Label
	if label == "" {
		label = "File"
	}
	p := &Prompt{in: in, field: newTextField(label, "", "file path", maxPath, in.Value), st: s, keys: k}
	p.field.focus()
	return p
}

// Value is the text typed, trimmed of surrounding blanks.
func (p *Prompt) Value() string { return strings.TrimSpace(p.field.value()) }

// SetError shows why the value did not work; the work under way is over.
func (p *Prompt) SetError(msg string) {
	p.message, p.status = msg, ""
	p.field.marked = msg != ""
}

// SetStatus says what the caller is doing with the value ("" when done).
func (p *Prompt) SetStatus(text string) { p.status = text }

// Cursor is the real cursor in the input as of the last View.
func (p *Prompt) Cursor() *tea.Cursor { return p.cursor }

// Update edits the text, submits or cancels.
func (p *Prompt) Update(msg tea.Msg) (Outcome, tea.Cmd) {
	km, isKey := msg.(tea.KeyPressMsg)
	if !isKey {
		if _, paste := msg.(tea.PasteMsg); paste {
			p.edit(msg)
		}
		return Open, nil
	}
	switch {
	case isCtrlC(km):
		return Cancelled, nil
	case isText(km):
		p.edit(km)
	case key.Matches(km, p.keys.Back):
		return Cancelled, nil
	case key.Matches(km, p.keys.Submit):
		if p.Value() == "" {
			p.SetError("type a file path, or esc to cancel")
			return Open, nil
		}
		return Submitted, nil
	case key.Matches(km, p.keys.NextField, p.keys.PrevField):
		// one field only
	default:
		p.edit(km)
	}
	return Open, nil
}

func (p *Prompt) edit(msg tea.Msg) {
	changed, refused := p.field.update(msg)
	switch {
	case refused != "":
		p.message = refused
	case changed:
		p.message = ""
	}
}

// View draws the title, the input, the hint, the error or the status, and
// the keys.
func (p *Prompt) View(width, height int) string {
	p.cursor = nil
	if tooSmall(width, height) {
		return ""
	}
	s := p.st
	title := ui.Clean(p.in.Title)
	natural := max(ansi.StringWidth(title), labelWidth+ansi.StringWidth(p.field.value())+2, promptMinWidth+20)
	w := boxWidth(s, width, natural, promptMinWidth, promptMaxWidth)
	inner, rows := innerSize(s, w, height)
	head := []string{s.Title.Render(title), ""}
	line, x := p.field.render(s, inner, true, "")
	body := []string{line}
	if p.in.Hint != "" {
		body = append(body, wrap(ui.Clean(p.in.Hint), inner, s.Muted.Render)...)
	}
	foot := []string{""}
	switch {
	case p.message != "":
		foot = append(foot, wrap(ui.Clean(p.message), inner, s.Error.Render)...)
	case p.status != "":
		foot = append(foot, s.Info.Render(fit(p.status, inner)))
	}
	does := p.in.Does
	if does == "" {
		does = "ok"
	}
	foot = append(foot, keysLine(s, hint{p.keys.Submit, does}, hint{p.keys.Back, "cancel"}))
	body = body[:min(len(body), max(1, room(rows, head, foot)))]
	lines := stack(rows, head, body, foot)
	if y, ok := stackedRow(len(head), len(head)+len(body)+len(foot), rows); ok {
		p.cursor = boxCursor(s, x, y)
	}
	return frame(s, w, lines)
}
