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
// keys. A choice's reason (why it is unavailable) wraps under it rather
// than being cut.
func (p *Picker) View(width, height int) string {
	if tooSmall(width, height) {
		return ""
	}
	s := p.st
	natural := ansi.StringWidth(ui.Clean(p.title))
	for i := range p.choices {
		natural = max(natural, ansi.StringWidth(p.row(i)))
	}
	keys := keysLine(s, hint{p.keys.Submit, "pick"}, hint{literal("type"), "jump"}, hint{p.keys.Back, "cancel"})
	natural = max(natural, ansi.StringWidth(keys))
	w := boxWidth(s, width, natural, pickerMinWidth, pickerMaxWidth)
	inner, lines := innerSize(s, w, height)
	rows := make([][]string, len(p.choices))
	total := 0
	for i := range p.choices {
		rows[i] = p.styleRow(i, inner)
		total += len(rows[i])
	}
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
	if total > n {
		n = max(0, n-1) // one line says where the window is
	}
	body, end := p.window(rows, n)
	if total > n && n > 0 {
		body = append(body, s.Muted.Render(fmt.Sprintf("  %d–%d of %d", p.top+1, end, len(rows))))
	}
	return frame(s, w, stack(lines, head, body, foot))
}

// row renders choice i on one line without colours (for its width).
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

// window shows the choices from top on, as many as fit in n lines, moving
// top so the cursor's choice is shown whole; it returns the lines and the
// number of the last choice shown (1-based).
func (p *Picker) window(rows [][]string, n int) ([]string, int) {
	p.shown = 0
	if n <= 0 || len(rows) == 0 {
		return nil, 0
	}
	p.top = max(0, min(p.top, len(rows)-1))
	if p.cursor >= 0 {
		p.top = min(p.top, p.cursor)
		for p.top < p.cursor && linesOf(rows[p.top:p.cursor+1]) > n {
			p.top++
		}
	}
	// fill the room, pulling earlier choices in when the end is reached
	for p.top > 0 && linesOf(rows[p.top-1:]) <= n {
		p.top--
	}
	var out []string
	end := p.top
	for end < len(rows) && len(out)+len(rows[end]) <= n {
		out = append(out, rows[end]...)
		end++
	}
	if end == p.top { // one choice taller than the room: its first lines
		out = rows[end][:n]
		end++
	}
	p.shown = end - p.top
	return out, end
}

func linesOf(rows [][]string) int {
	n := 0
	for _, r := range rows {
		n += len(r)
	}
	return n
}

// styleRow renders choice i in inner columns: the cursor's row highlighted
// with a marker, hints dimmed, an unavailable one greyed with its reason
// wrapped under it.
func (p *Picker) styleRow(i int, inner int) []string {
	s := p.st
	c := p.choices[i]
	label := "  " + ui.Clean(c.Label)
	switch {
	case !c.available():
		return wrapIndented(label+" — "+ui.Clean(c.Why), inner, 4, s.Muted.Render)
	case i == p.cursor:
		return []string{s.Cursor.Render(padRight("›"+p.row(i)[1:], inner))}
	}
	return []string{fit(s.Text.Render(label)+s.Muted.Render(strings.TrimPrefix(p.row(i), label)), inner)}
}

// wrapIndented wraps plain text to w columns, continuation lines indented.
func wrapIndented(text string, w, indent int, style func(...string) string) []string {
	if ansi.StringWidth(text) <= w {
		return []string{style(text)}
	}
	first := strings.Split(ansi.Wrap(text, w, ""), "\n")
	out := []string{style(strings.TrimRight(first[0], " "))}
	rest := strings.TrimSpace(strings.TrimPrefix(text, strings.TrimRight(first[0], " ")))
	for _, l := range wrap(rest, max(1, w-indent), style) {
		out = append(out, strings.Repeat(" ", indent)+l)
	}
	return out
}
