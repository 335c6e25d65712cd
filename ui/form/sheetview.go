package form

import (
	"fmt"
	"strings"

	"github.com/charmbracelet/x/ansi"

	"orderdesk/ui"
)

// View draws the title, the summary, the table (header fixed, rows
// scrolling), warnings, side effects, the buttons or the status, and the
// keys, in at most width × height.
func (t *Sheet) View(width, height int) string {
	if tooSmall(width, height) {
		return ""
	}
	s := t.st
	title := ui.Clean(t.in.Title)
	natural := t.naturalWidth()
	w := boxWidth(s, width, max(natural, ansi.StringWidth(title)), sheetMinWidth, width)
	inner, rows := innerSize(s, w, height)
	l := t.layout(inner)

	head := []string{s.Title.Render(fit(title, inner))}
	for _, line := range t.in.Summary {
		head = append(head, wrap(ui.Clean(line), inner, s.Text.Render)...)
	}
	head = append(head, "")
	if len(t.in.Columns) > 0 {
		head = append(head, t.header(l)...)
	}

	var foot []string
	if len(t.in.Warnings)+len(t.in.SideEffects) > 0 {
		foot = append(foot, "")
	}
	for _, warn := range t.in.Warnings {
		foot = append(foot, wrap("⚠ "+ui.Clean(warn), inner, s.Warn.Render)...)
	}
	for _, eff := range t.in.SideEffects {
		foot = append(foot, wrap("✉ "+ui.Clean(eff), inner, s.Error.Render)...)
	}
	foot = append(foot, "", t.buttons(inner), t.keysLine())

	if room(rows, head, foot) < 3 { // a low box: the spacing goes first
		head, foot = dropBlank(head), dropBlank(foot)
	}
	body := t.body(room(rows, head, foot), l)
	return frame(s, w, stack(rows, head, body, foot))
}

func dropBlank(lines []string) []string {
	out := lines[:0:0]
	for _, l := range lines {
		if l != "" {
			out = append(out, l)
		}
	}
	return out
}

// naturalWidth is the inner width the sheet likes: every cell whole.
func (t *Sheet) naturalWidth() int {
	n := len(t.in.Columns)
	if n == 0 {
		return 0
	}
	total := 0
	for i, c := range t.in.Columns {
		w := ansi.StringWidth(c.Header)
		for _, r := range t.in.Rows {
			if i < len(r.Cells) {
				w = max(w, ansi.StringWidth(ui.Clean(r.Cells[i])))
			}
			if i == n-1 {
				for _, note := range r.Notes {
					w = max(w, ansi.StringWidth(ui.Clean(note))+2)
				}
			}
		}
		if i < n-1 && c.Max > 0 {
			w = min(w, c.Max)
		}
		total += w
	}
	total += columnGap * (n - 1)
	for _, l := range t.in.Summary {
		total = max(total, ansi.StringWidth(l))
	}
	return total
}

// layout is where the columns go in a box of some inner width.
type layout struct {
	widths  []int
	stacked bool // the last column under the others
	indent  int  // where the last column starts
}

// layout gives each column its width: the last column what is left, or,
// stacked, the width of the box after the first column.
func (t *Sheet) layout(inner int) layout {
	n := len(t.in.Columns)
	l := layout{widths: make([]int, n)}
	if n == 0 {
		return l
	}
	used := 0
	for i, c := range t.in.Columns[:n-1] {
		w := ansi.StringWidth(c.Header)
		for _, r := range t.in.Rows {
			if i < len(r.Cells) {
				w = max(w, ansi.StringWidth(ui.Clean(r.Cells[i])))
			}
		}
		if c.Max > 0 {
			w = min(w, c.Max)
		}
		l.widths[i] = w
		used += w + columnGap
	}
	if n > 1 && inner-used < lastColMin {
		l.stacked = true
		used -= columnGap // the first columns alone
	}
	room := inner
	if !l.stacked {
		room -= lastColMin
	}
	for used > room {
		// cut the column with the most room above its minimum
		k, spare := -1, 0
		for i, c := range t.in.Columns[:n-1] {
			if d := l.widths[i] - max(c.Min, 1); d > spare {
				k, spare = i, d
			}
		}
		if k < 0 {
			break
		}
		l.widths[k]--
		used--
	}
	if l.stacked {
		l.indent = l.widths[0] + columnGap
		l.widths[n-1] = max(1, inner-l.indent)
	} else {
		l.indent = used
		l.widths[n-1] = max(1, inner-used)
	}
	return l
}

// header is the column headers: one line, or two when stacked.
func (t *Sheet) header(l layout) []string {
	n := len(t.in.Columns)
	cells := make([]string, 0, n)
	for i, c := range t.in.Columns[:n-1] {
		cells = append(cells, pad(c.Header, l.widths[i], c.Right))
	}
	last := t.in.Columns[n-1].Header
	if l.stacked {
		return []string{t.st.Header.Render(strings.TrimRight(strings.Join(cells, strings.Repeat(" ", columnGap)), " ")),
			t.st.Header.Render(strings.Repeat(" ", l.indent) + last)}
	}
	cells = append(cells, last)
	return []string{t.st.Header.Render(strings.Join(cells, strings.Repeat(" ", columnGap)))}
}

// body is the window of rows from top in n lines, with a position line
// when not every row fits. A row that does not fit whole at the bottom
// shows its start.
func (t *Sheet) body(n int, l layout) []string {
	rows := t.in.Rows
	t.shown = 0
	if n <= 0 || len(rows) == 0 || len(t.in.Columns) == 0 {
		return nil
	}
	t.top = max(0, min(t.top, len(rows)-1))
	fill := func(budget int) []string {
		t.shown = 0
		var out []string
		for _, r := range rows[t.top:] {
			lines := t.row(r, l)
			if len(out)+len(lines) > budget {
				out = append(out, lines[:budget-len(out)]...)
				break
			}
			out = append(out, lines...)
			t.shown++
		}
		return out
	}
	out := fill(n)
	if t.top == 0 && t.shown == len(rows) || n < 3 {
		return out // all of it, or no room to say where the window is
	}
	// not every row fits: one line says where the window is
	out = fill(n - 1)
	last := t.top + max(t.shown, 1)
	pos := fmt.Sprintf("rows %d–%d of %d", t.top+1, last, len(rows))
	return append(out, t.st.Muted.Render(pos))
}

// row draws one row: the cells, then the last cell wrapped, then its
// notes; continuation lines (every line of the last cell when stacked)
// start under the last column.
func (t *Sheet) row(r SheetRow, l layout) []string {
	n := len(l.widths)
	s := t.st
	cells := make([]string, 0, n)
	for i := range n - 1 {
		cell := ""
		if i < len(r.Cells) {
			cell = ui.Clean(r.Cells[i])
		}
		cells = append(cells, pad(cell, l.widths[i], t.in.Columns[i].Right))
	}
	lead := strings.Join(cells, strings.Repeat(" ", columnGap))
	last := ""
	if n-1 < len(r.Cells) {
		last = ui.Clean(r.Cells[n-1])
	}
	style := map[Tone]func(...string) string{ToneText: s.Text.Render, ToneOK: s.OK.Render,
		ToneWarn: s.Warn.Render, ToneError: s.Error.Render, ToneMuted: s.Muted.Render}[r.Tone]
	if style == nil {
		style = s.Text.Render
	}
	text := wrap(last, l.widths[n-1], style)
	for _, note := range r.Notes {
		text = append(text, wrap("⚠ "+ui.Clean(note), l.widths[n-1], s.Warn.Render)...)
	}
	indent := strings.Repeat(" ", l.indent)
	out := []string{s.Text.Render(lead)}
	if !l.stacked {
		out[0] = s.Text.Render(lead + strings.Repeat(" ", columnGap))
		if len(text) > 0 {
			out[0] += text[0]
			text = text[1:]
		}
	}
	for _, line := range text {
		out = append(out, indent+line)
	}
	return out
}

// pad fits plain text to exactly w columns, cut with "…" when longer.
func pad(text string, w int, right bool) string {
	text = fit(text, w)
	gap := strings.Repeat(" ", max(0, w-ansi.StringWidth(text)))
	if right {
		return gap + text
	}
	return text + gap
}

// buttons are the two buttons of a question, the status of running work,
// or the status and a Close button.
func (t *Sheet) buttons(inner int) string {
	s := t.st
	switch {
	case t.running != "":
		return s.Info.Render(fit(t.running, inner))
	case t.Asking():
		ok, cancel := "[ "+ui.Clean(t.in.ConfirmLabel)+" ]", "[ Cancel ]"
		if t.onOK {
			return s.Cursor.Bold(true).Render(ok) + "  " + s.Muted.Render(cancel)
		}
		return s.Muted.Render(ok) + "  " + s.Cursor.Bold(true).Render(cancel)
	}
	btn := s.Cursor.Bold(true).Render("[ Close ]")
	if t.in.Status != "" {
		return btn + "  " + s.Text.Render(fit(ui.Clean(t.in.Status), max(1, inner-11)))
	}
	return btn
}

func (t *Sheet) keysLine() string {
	s, scroll := t.st, hint{literal("↑/↓ pgup/pgdn"), "scroll"}
	switch {
	case t.running != "":
		return keysLine(s, scroll, hint{t.keys.Back, "hide (the work goes on)"})
	case t.Asking():
		return keysLine(s, hint{t.yes, "confirm"}, hint{t.no, "cancel"}, hint{literal("←/→"), "button"}, scroll)
	}
	return keysLine(s, hint{t.keys.Submit, "close"}, scroll)
}
