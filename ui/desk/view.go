package desk

import (
	"fmt"
	"strconv"
	"strings"

	tea "charm.land/bubbletea/v2"
	"github.com/charmbracelet/x/ansi"

	"orderdesk/backend"
)

// split is where the detail pane goes.
type split uint8

const (
	splitNone   split = iota // no room: the pane opens full screen
	splitBeside              // wide terminals
	splitBelow               // tall, narrower terminals
)

// Minimum sizes for a split detail pane.
const (
	besideMinWidth  = 140
	belowMinHeight  = 40
	detailMinBeside = 60
	chromeRows      = 4 // tab bar, filter line, two status lines
)

func (m *Model) split() split {
	switch {
	case m.width >= besideMinWidth:
		return splitBeside
	case m.height >= belowMinHeight:
		return splitBelow
	}
	return splitNone
}

// areas is the size of the list and the detail pane.
func (m *Model) areas() (listW, detailW, listH, detailH int) {
	body := max(1, m.height-chromeRows)
	w := max(1, m.width)
	if m.zoom {
		return 0, w, 0, body
	}
	switch m.split() {
	case splitBeside:
		detailW = max(detailMinBeside, w*2/5)
		return w - detailW - 1, detailW, body, body
	case splitBelow:
		listH = body * 11 / 20
		return w, w, listH, body - listH - 1
	}
	return w, 0, body, 0
}

func (m *Model) detailHeight() int {
	_, _, _, dh := m.areas()
	return dh
}

// View draws the desk. Only the visible rows are rendered; rows come from
// the row cache.
func (m *Model) View() tea.View {
	v := tea.NewView(m.Render())
	v.AltScreen = true
	v.MouseMode = tea.MouseModeCellMotion
	v.WindowTitle = "orderdesk"
	if b := m.openBox(); b != nil {
		if c := b.Cursor(); c != nil {
			c.X += m.boxX
			c.Y += m.boxY
			v.Cursor = c
		}
	} else if m.focus == focusFilter {
		if c := m.filter.Cursor(); c != nil {
			c.Y += 1
			v.Cursor = c
		}
	}
	return v
}

// Render is the screen's content (View().Content).
func (m *Model) Render() string {
	if m.width <= 0 || m.height <= 0 {
		return ""
	}
	var b strings.Builder
	b.WriteString(m.renderTabs())
	b.WriteByte('\n')
	b.WriteString(m.renderFilter())
	b.WriteByte('\n')
	if m.help {
		b.WriteString(m.renderHelp(m.width, max(1, m.height-chromeRows)))
	} else {
		b.WriteString(m.renderBody())
	}
	b.WriteByte('\n')
	b.WriteString(m.renderStatus())
	out := b.String()
	if box := m.openBox(); box != nil {
		out = m.overlay(out, box)
	}
	return out
}

// openBox is the open flow's box, if any.
func (m *Model) openBox() box {
	if m.flow == nil {
		return nil
	}
	return m.flow.box()
}

func (m *Model) renderBody() string {
	lw, dw, lh, dh := m.areas()
	switch {
	case m.zoom:
		return m.renderDetail(dw, dh)
	case dw == 0:
		return m.renderList(lw, lh)
	case m.split() == splitBeside:
		list := strings.Split(m.renderList(lw, lh), "\n")
		det := strings.Split(m.renderDetail(dw, dh), "\n")
		sep := m.styles.Border.Render("│")
		var b strings.Builder
		for i := range lh {
			if i > 0 {
				b.WriteByte('\n')
			}
			b.WriteString(list[i])
			b.WriteString(sep)
			b.WriteString(det[i])
		}
		return b.String()
	}
	rule := m.styles.Border.Render(strings.Repeat("─", lw))
	return m.renderList(lw, lh) + "\n" + rule + "\n" + m.renderDetail(dw, dh)
}

// tableLayout returns the layout for a width, resetting the row cache when
// it (or the theme) changed.
func (m *Model) tableLayout(width int) layout {
	key := fmt.Sprintf("%d/%t/%d", width, m.styles.Dark, m.data.version)
	if m.table.key != key {
		sample := make([]*backend.Order, min(m.data.len(), 500))
		for i := range sample {
			sample[i] = m.data.order(i)
		}
		m.table.reset(layoutFor(width, cellWidths(sample, m.cfg.Loc)), key)
	}
	return m.table.layout
}

// renderList draws the header and the visible rows, exactly h lines.
func (m *Model) renderList(width, h int) string {
	l := m.tableLayout(width)
	lines := make([]string, 0, h)
	lines = append(lines, fit(renderHeader(l, m.sortCol, m.sortDesc, &m.styles), width, false))
	switch {
	case len(m.rows) == 0 && m.loading:
		lines = append(lines, m.styles.Muted.Render(fit("reading the cache…", width, false)))
	case len(m.rows) == 0 && m.data.len() == 0:
		lines = append(lines, m.styles.Muted.Render(fit(m.emptyHint(), width, false)))
	case len(m.rows) == 0:
		lines = append(lines, m.styles.Muted.Render(fit("no order matches this view and filter", width, false)))
	}
	end := min(len(m.rows), m.offset+h-1)
	for k := m.offset; k < end && len(lines) < h; k++ {
		i := int(m.rows[k])
		marked := m.marked[m.data.ref(i)]
		switch {
		case k == m.cursor && marked:
			lines = append(lines, m.styles.CursorMark.Render(fit(renderRow(l, m.data.order(i), m.cfg.Loc, &m.styles, true, true), width, false)))
		case k == m.cursor:
			st := m.styles.Cursor
			if m.focus == focusDetail {
				st = st.Faint(true)
			}
			lines = append(lines, st.Render(fit(renderRow(l, m.data.order(i), m.cfg.Loc, &m.styles, false, true), width, false)))
		case marked:
			lines = append(lines, m.styles.Marked.Render(fit(renderRow(l, m.data.order(i), m.cfg.Loc, &m.styles, true, true), width, false)))
		default:
			lines = append(lines, fit(m.table.row(m.data, i, m.cfg.Loc, &m.styles), width, false))
		}
	}
	blank := strings.Repeat(" ", width)
	for len(lines) < h {
		lines = append(lines, blank)
	}
	return strings.Join(lines, "\n")
}

func (m *Model) emptyHint() string {
	if m.cfg.Offline {
		return "the cache is empty; run without --offline to sync the shops"
	}
	return "the cache is empty; press " + m.keys.Sync.Help().Key + " to sync the shops"
}

// tabStrip lays out the tab bar: each tab rendered, and the first one
// shown. When the names do not fit, they are shortened before anything
// else ("6 Attn 0"), then only the current tab keeps its name ("6:0"); the
// counts always stay. Only then do tabs scroll so the current one is
// visible. The same layout serves drawing and mouse clicks.
func (m *Model) tabStrip() (parts []string, first int) {
	for level := 0; level < 3; level++ {
		parts = m.tabParts(level)
		total := 0
		for _, p := range parts {
			total += ansi.StringWidth(p)
		}
		if total <= m.width {
			return parts, 0
		}
	}
	used := 0
	for i := 0; i <= m.tab; i++ {
		used += ansi.StringWidth(parts[i])
	}
	for used > m.width && first < m.tab {
		used -= ansi.StringWidth(parts[first])
		first++
	}
	return parts, first
}

// tabParts renders the tabs at a level of shortening: 0 full names, 1
// short names, 2 only the current tab named.
func (m *Model) tabParts(level int) []string {
	parts := make([]string, len(m.tabs))
	for i, t := range m.tabs {
		count := "…"
		if t.count >= 0 {
			count = strconv.Itoa(t.count)
		}
		name := t.Name
		if level >= 1 {
			name = shortName(t.View)
		}
		label := fmt.Sprintf("%d %s %s", i+1, name, count)
		if level >= 2 && i != m.tab {
			label = fmt.Sprintf("%d:%s", i+1, count)
		}
		if i == m.tab {
			parts[i] = m.styles.TabActive.Render(label)
		} else {
			parts[i] = m.styles.Tab.Render(label)
		}
	}
	return parts
}

// shortName is a view's name when room is short.
func shortName(v View) string {
	if v.Short != "" {
		return v.Short
	}
	if ansi.StringWidth(v.Name) <= 7 {
		return v.Name
	}
	return ansi.Truncate(v.Name, 6, "…")
}

// tabMore marks tabs scrolled off to the left.
const tabMore = "‹"

func (m *Model) renderTabs() string {
	parts, first := m.tabStrip()
	line := strings.Join(parts[first:], "")
	if first > 0 {
		line = tabMore + line
	}
	return fit(line, m.width, false)
}

// renderFilter draws the filter line; an invalid term is marked where it
// is, and the error says why (the rows shown are the last valid ones).
func (m *Model) renderFilter() string {
	line := m.filter.View()
	if m.filterErr != nil {
		line += "  " + m.styles.Error.Render(m.filterErr.Error())
	} else if m.focus != focusFilter && m.filter.Value() == "" {
		line = m.styles.Muted.Render("/ filter   " + m.sortLabel())
	} else if label := m.sortLabel(); ansi.StringWidth(line)+2+ansi.StringWidth(label) <= m.width {
		// the sort stays in sight while filtering, at the right
		line += strings.Repeat(" ", m.width-ansi.StringWidth(line)-ansi.StringWidth(label)) + m.styles.Muted.Render(label)
	}
	return fit(line, m.width, false)
}

func (m *Model) sortLabel() string {
	name := "created"
	if m.sortCol >= 0 {
		name = strings.ToLower(columns[m.sortCol].header)
	}
	dir := "↑"
	if m.sortDesc {
		dir = "↓"
	}
	return "sorted by " + name + dir
}

// renderStatus draws the shops' health and the message line.
func (m *Model) renderStatus() string {
	now := m.now
	open := 0
	for _, h := range m.shops {
		open += h.open
	}
	badges := func(long bool) string {
		var parts []string
		if m.cfg.Offline {
			parts = append(parts, m.styles.Warn.Render("⊘ offline"))
		}
		for _, h := range m.shops {
			parts = append(parts, m.shopBadge(h, now, long))
		}
		if long {
			return strings.Join(parts, "  ")
		}
		return strings.Join(parts, " ")
	}
	right := fmt.Sprintf("%d/%d orders", len(m.rows), m.data.len())
	if m.loading {
		right = fmt.Sprintf("loading %d…", m.data.len())
	}
	if open > 0 {
		right = m.styles.Warn.Render(fmt.Sprintf("%d unsent", open)) + "  " + right
	}
	if m.imp != nil && m.imp.run != nil {
		right = m.styles.Info.Render(m.imp.run.progress()) + "  " + right
	}
	if n := len(m.marked); n > 0 {
		right = m.styles.Info.Render(fmt.Sprintf("%d marked", n)) + "  " + right
	}
	left := badges(true)
	if ansi.StringWidth(left)+1+ansi.StringWidth(right) > m.width {
		left = badges(false)
	}
	if ansi.StringWidth(left)+1+ansi.StringWidth(right) > m.width {
		if c := m.syncingBadges(now); c != "" {
			left = c
		}
	}
	line1 := joinEnds(left, right, m.width)
	line2 := m.flashLine()
	return line1 + "\n" + fit(line2, m.width, false)
}
