package form

import (
	"fmt"
	"strings"

	"charm.land/bubbles/v2/key"
	tea "charm.land/bubbletea/v2"
	"github.com/charmbracelet/x/ansi"

	"orderdesk/keymap"
	"orderdesk/ui"
	"orderdesk/ui/theme"
)

// Choice is one line of a Picker.
type Choice struct {
	Label string // what the operator reads and type-ahead matches
	Value string // what the caller acts on
	Hint  string // dim text after the label
	// Why, when not empty, makes the choice unavailable: it is shown greyed
	// with this reason and cannot be picked.
	Why string
}

func (c Choice) available() bool { return c.Why == "" }

// Picker chooses one of a list: the status picker, the copy menu, the sort
// menu. Up/down (and j/k) move over the available choices, typing letters
// jumps to the first available choice whose label starts with them, enter
// picks, esc or ctrl+c cancels. When no choice is available the box says
// so and enter does nothing.
type Picker struct {
	title   string
	choices []Choice
	cursor  int    // index into choices; -1 when none is available
	typed   string // the type-ahead letters so far
	top     int    // first choice shown, kept by View
	shown   int    // how many choices View showed last
	st      theme.Styles
	keys    keymap.KeyMap
}

// Sizes of the picker box.
const (
	pickerMinWidth = 30
	pickerMaxWidth = 72
)

// NewPicker builds a picker with the cursor on the first available choice.
func NewPicker(title string, choices []Choice, s theme.Styles, k keymap.KeyMap) *Picker {
	p := &Picker{title: title, choices: choices, cursor: -1, st: s, keys: k}
	p.cursor = p.nextAvailable(-1, 1)
	return p
}

// Chosen is the choice under the cursor: the picked one once Update has
// said Submitted. It is the zero Choice when no choice is available.
func (p *Picker) Chosen() Choice {
	if p.cursor < 0 {
		return Choice{}
	}
	return p.choices[p.cursor]
}

// Cursor is always nil: a picker has no text input.
func (p *Picker) Cursor() *tea.Cursor { return nil }

// Update moves, jumps, picks or cancels.
func (p *Picker) Update(msg tea.Msg) (Outcome, tea.Cmd) {
	km, ok := msg.(tea.KeyPressMsg)
	if !ok {
		return Open, nil
	}
	// While letters are being typed, j and k are letters, not moves.
	typing := p.typed != "" && isText(km)
	switch {
	case isCtrlC(km) || key.Matches(km, p.keys.Back):
		return Cancelled, nil
	case key.Matches(km, p.keys.Submit):
		if p.cursor < 0 {
			return Open, nil
		}
		return Submitted, nil
	case !typing && key.Matches(km, p.keys.Up):
		p.move(p.cursor, -1, 1)
	case !typing && key.Matches(km, p.keys.Down):
		p.move(p.cursor, 1, 1)
	case key.Matches(km, p.keys.PageUp):
		p.move(p.cursor, -1, p.page())
	case key.Matches(km, p.keys.PageDown):
		p.move(p.cursor, 1, p.page())
	case km.Keystroke() == "home":
		p.move(-1, 1, 1)
	case km.Keystroke() == "end":
		p.move(len(p.choices), -1, 1)
	case isText(km) && km.Text != " ":
		p.jump(km.Text)
		return Open, nil
	}
	p.typed = ""
	return Open, nil
}

// move steps over up to n available choices from index from in direction
// dir (±1) and puts the cursor there; it stops at the last available one.
func (p *Picker) move(from, dir, n int) {
	at := -1
	for i := from; n > 0; n-- {
		if i = p.nextAvailable(i, dir); i < 0 {
			break
		}
		at = i
	}
	if at >= 0 {
		p.cursor = at
	}
}

// nextAvailable is the first available choice after i in direction dir,
// or -1.
func (p *Picker) nextAvailable(i, dir int) int {
	for i += dir; i >= 0 && i < len(p.choices); i += dir {
		if p.choices[i].available() {
			return i
		}
	}
	return -1
}

// jump extends the type-ahead letters with text and moves to the first
// available choice whose label starts with them (case-insensitive). When
// nothing starts with the longer prefix, the new letters alone are tried.
func (p *Picker) jump(text string) {
	for _, prefix := range []string{p.typed + text, text} {
		if i := p.startingWith(prefix); i >= 0 {
			p.cursor, p.typed = i, prefix
			return
		}
	}
}

func (p *Picker) startingWith(prefix string) int {
	prefix = strings.ToLower(prefix)
	for i, c := range p.choices {
		if c.available() && strings.HasPrefix(strings.ToLower(c.Label), prefix) {
			return i
		}
	}
	return -1
}

// page is how many choices a page move skips: the rows last shown (ten
// before the first View).
func (p *Picker) page() int {
	if p.shown == 0 {
		return 10
	}
	return max(1, p.shown-1)
}

// View draws the title, the window of choices around the cursor, and the
// keys.
func (p *Picker) View(width, height int) string {
	if tooSmall(width, height) {
		return ""
	}
	s := p.st
	rows := make([]string, len(p.choices))
	natural := ansi.StringWidth(ui.Clean(p.title))
	for i := range p.choices {
		rows[i] = p.row(i)
		natural = max(natural, ansi.StringWidth(rows[i]))
	}
	keys := keysLine(s, hint{p.keys.Submit, "pick"}, hint{literal("type"), "jump"}, hint{p.keys.Back, "cancel"})
	natural = max(natural, ansi.StringWidth(keys))
	w := boxWidth(s, width, natural, pickerMinWidth, pickerMaxWidth)
	inner, lines := innerSize(s, w, height)
	head := []string{s.Title.Render(ui.Clean(p.title)), ""}
	var foot []string
	if p.cursor < 0 {
		foot = append(foot, "")
		foot = append(foot, wrap("nothing can be chosen: every option is unavailable", inner, s.Warn.Render)...)
	}
	if p.typed != "" {
		foot = append(foot, s.Muted.Render("jump to: ")+s.Input.Render(p.typed))
	}
	foot = append(foot, "", keys)
	n := room(lines, head, foot)
	if len(rows) > n {
		n = max(0, n-1) // one line says where the window is
	}
	body := p.window(rows, n, inner)
	if len(rows) > n && n > 0 {
		body = append(body, s.Muted.Render(fmt.Sprintf("  %d–%d of %d", p.top+1, p.top+len(body), len(rows))))
	}
	return frame(s, w, stack(lines, head, body, foot))
}

// row renders choice i without colours (styleRow adds them).
func (p *Picker) row(i int) string {
	c := p.choices[i]
	label := ui.Clean(c.Label)
	if !c.available() {
		return "  " + label + " — " + ui.Clean(c.Why)
	}
	line := "  " + label
	if c.Hint != "" {
		line += "  " + ui.Clean(c.Hint)
	}
	return line
}

// window keeps the cursor's row among n shown rows and styles them.
func (p *Picker) window(rows []string, n, inner int) []string {
	p.shown = n
	if n <= 0 {
		return nil
	}
	if p.cursor >= 0 {
		p.top = min(p.top, p.cursor)
		p.top = max(p.top, p.cursor-n+1)
	}
	p.top = max(0, min(p.top, len(rows)-n))
	end := min(len(rows), p.top+n)
	out := make([]string, 0, end-p.top)
	for i := p.top; i < end; i++ {
		out = append(out, p.styleRow(i, rows[i], inner))
	}
	return out
}

// styleRow colours a row: the cursor's row highlighted with a marker,
// unavailable ones greyed with their reason, hints dimmed.
func (p *Picker) styleRow(i int, row string, inner int) string {
	s := p.st
	c := p.choices[i]
	switch {
	case !c.available():
		return s.Muted.Render(fit(row, inner))
	case i == p.cursor:
		return s.Cursor.Render(padRight("›"+row[1:], inner))
	}
	label := "  " + ui.Clean(c.Label)
	return fit(s.Text.Render(label)+s.Muted.Render(strings.TrimPrefix(row, label)), inner)
}
