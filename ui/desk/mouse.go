package desk

import (
	tea "charm.land/bubbletea/v2"
	"github.com/charmbracelet/x/ansi"
)

// Screen rows: 0 tabs, 1 filter, 2 list header, then the rows.
const (
	rowTabs   = 0
	rowHeader = 2
	rowFirst  = 3
)

// onMouse: the wheel scrolls what is under the pointer; a click selects a
// row, a tab, or sorts by a header; a click in the detail pane focuses it.
func (m *Model) onMouse(msg tea.MouseMsg) tea.Cmd {
	if m.flow != nil || m.help {
		return nil
	}
	ev := msg.Mouse()
	lw, _, lh, _ := m.areas()
	inDetail := m.zoom || ev.X > lw || (m.split() == splitBelow && ev.Y > rowHeader+lh)
	switch msg.(type) {
	case tea.MouseWheelMsg:
		step := 3
		if ev.Button == tea.MouseWheelUp {
			step = -3
		}
		if inDetail {
			m.scrollDetail(step)
			return nil
		}
		m.offset = max(0, min(m.offset+step, len(m.rows)-m.listHeight()))
		m.cursor = min(max(m.cursor, m.offset), m.offset+m.listHeight()-1)
		return m.moveCursor(0)
	case tea.MouseClickMsg:
		if ev.Button != tea.MouseLeft {
			return nil
		}
		switch {
		case ev.Y == rowTabs:
			return m.clickTab(ev.X)
		case inDetail && ev.Y >= rowHeader:
			m.focus, m.detail.focused = focusDetail, true
		case ev.Y == rowHeader:
			if c := m.table.layout.columnAt(ev.X); c > 0 {
				return m.sortBy(c)
			}
		case ev.Y >= rowFirst && ev.Y < rowHeader+lh:
			m.focus, m.detail.focused = focusList, false
			m.cursor = m.offset + ev.Y - rowFirst
			return m.moveCursor(0)
		}
	}
	return nil
}

// clickTab selects the tab drawn at column x.
func (m *Model) clickTab(x int) tea.Cmd {
	parts, first := m.tabStrip()
	pos := 0
	if first > 0 {
		pos = ansi.StringWidth(tabMore)
	}
	for i := first; i < len(parts); i++ {
		w := ansi.StringWidth(parts[i])
		if x >= pos && x < pos+w {
			return m.setTab(i)
		}
		pos += w
	}
	return nil
}
