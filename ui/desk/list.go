package desk

import (
	"charm.land/bubbles/v2/textinput"
	tea "charm.land/bubbletea/v2"

	"orderdesk/backend"
	"orderdesk/backend/query"
	"orderdesk/ui/theme"
)

// current is the ref of the order under the cursor; false when there
// is none.
func (m *Model) current() (backend.Ref, bool) {
	if m.cursor < 0 || m.cursor >= len(m.rows) {
		return backend.Ref{}, false
	}
	return m.data.ref(int(m.rows[m.cursor])), true
}

// recompute asks for the rows of the current view, filter and sort. The
// rows shown stay until the answer comes; an answer for an older
// generation is dropped (selectionMsg). Rows computed a moment ago for
// the same key (a backspace, a tab visited again) are shown at once.
func (m *Model) recompute() tea.Cmd {
	m.gen++
	key := rowsKey{version: m.data.version, tab: m.tab, sortCol: m.sortCol, sortDesc: m.sortDesc, filter: m.filterQ}
	if m.data.ready() {
		if rows, ok := m.recent.get(key); ok {
			return tea.Batch(m.onSelection(selectionMsg{gen: m.gen, key: key, rows: rows}), countLater(m.gen))
		}
	}
	var base []int32
	if m.data.ready() {
		base = m.recent.base(key) // typing further: the new rows are among these
	}
	qs := []*query.Query{m.tabs[m.tab].q, m.filterQ}
	return tea.Batch(selectCmd(m.gen, key, m.data, qs, base), countLater(m.gen))
}

// countTabs counts every tab with the filter, for the tab bar.
func (m *Model) countTabs(gen int) tea.Cmd {
	if gen != m.gen || !m.data.ready() {
		return nil
	}
	tq := make([]*query.Query, len(m.tabs))
	for i, t := range m.tabs {
		tq[i] = t.q
	}
	return countCmd(m.gen, m.data, tq, m.filterQ)
}

// onSelection applies fresh rows, keeping the cursor on the same order
// when it is still shown.
func (m *Model) onSelection(msg selectionMsg) tea.Cmd {
	if msg.gen != m.gen {
		return nil // computed for an older view, filter or sort
	}
	m.rows = msg.rows
	m.rowsGen = msg.gen
	m.rowsKey = msg.key
	if m.data.ready() && msg.key.version == m.data.version {
		m.recent.put(msg.key, msg.rows)
	}
	m.cursor = 0
	if !m.cursorRef.IsZero() {
		if i, ok := m.data.index[m.cursorRef]; ok {
			for k, r := range m.rows {
				if int(r) == i {
					m.cursor = k
					break
				}
			}
		}
	}
	m.clampCursor()
	return m.follow()
}

func (m *Model) onCounts(msg countsMsg) {
	if msg.gen != m.gen {
		return
	}
	for i := range m.tabs {
		if i < len(msg.counts) {
			m.tabs[i].count = msg.counts[i]
		}
	}
}

// listHeight is the number of order rows the list shows.
func (m *Model) listHeight() int {
	_, _, lh, _ := m.areas()
	return max(1, lh-1) // minus the header row
}

// moveCursor moves by n rows (negative: up) and keeps it in view.
func (m *Model) moveCursor(n int) tea.Cmd {
	m.cursor += n
	m.clampCursor()
	return m.follow()
}

func (m *Model) clampCursor() {
	if m.cursor >= len(m.rows) {
		m.cursor = len(m.rows) - 1
	}
	if m.cursor < 0 {
		m.cursor = 0
	}
	h := m.listHeight()
	if m.cursor < m.offset {
		m.offset = m.cursor
	}
	if m.cursor >= m.offset+h {
		m.offset = m.cursor - h + 1
	}
	m.offset = max(0, min(m.offset, len(m.rows)-h))
	if ref, ok := m.current(); ok {
		m.cursorRef = ref
	}
}

func (m *Model) setTab(i int) tea.Cmd {
	n := len(m.tabs)
	m.tab = ((i % n) + n) % n
	return m.recompute()
}

// sortBy sorts by a column; the same column again flips the direction.
func (m *Model) sortBy(col int) tea.Cmd {
	if col == colCreated {
		col = -1
	}
	if col == m.sortCol {
		m.sortDesc = !m.sortDesc
	} else {
		m.sortCol, m.sortDesc = col, col < 0
	}
	return m.recompute()
}

// nextSort moves the sort to the next sortable column shown.
func (m *Model) nextSort() tea.Cmd {
	l := m.table.layout
	cur := m.sortCol
	if cur < 0 {
		cur = colCreated
	}
	start := 0
	for k, i := range l.cols {
		if i == cur {
			start = k + 1
		}
	}
	for k := 0; k < len(l.cols); k++ {
		i := l.cols[(start+k)%len(l.cols)]
		if columns[i].less != nil || i == colCreated {
			if i == colCreated {
				i = -1
			}
			m.sortCol, m.sortDesc = i, i < 0
			return m.recompute()
		}
	}
	return nil
}

func (m *Model) toggleMark() {
	ref, ok := m.current()
	if !ok {
		return
	}
	if m.marked[ref] {
		delete(m.marked, ref)
	} else {
		m.marked[ref] = true
	}
}

// markAll marks every order shown, or clears the marks when all are.
func (m *Model) markAll() {
	all := len(m.rows) > 0
	for _, i := range m.rows {
		if !m.marked[m.data.ref(int(i))] {
			all = false
			break
		}
	}
	if all {
		m.marked = map[backend.Ref]bool{}
		return
	}
	for _, i := range m.rows {
		m.marked[m.data.ref(int(i))] = true
	}
}

// The filter line.

func newFilterInput(s theme.Styles) textinput.Model {
	ti := textinput.New()
	ti.Prompt = "/ "
	ti.Placeholder = "filter: text, shop:, status:, pay:, ship:, total>100, created<7d, is:pending …"
	ti.SetVirtualCursor(false) // the terminal's own cursor: no blink ticks, less to redraw
	ti.SetStyles(filterStyles(s))
	return ti
}

func filterStyles(s theme.Styles) textinput.Styles {
	st := textinput.DefaultStyles(s.Dark)
	st.Focused.Prompt = s.Title
	st.Blurred.Prompt = s.Muted
	st.Focused.Placeholder = s.Placeholder
	st.Blurred.Placeholder = s.Placeholder
	return st
}

// onFilterChange parses the filter as typed: a valid query recomputes the
// rows, an invalid one is shown as an error while the rows stay.
func (m *Model) onFilterChange() tea.Cmd {
	text := m.filter.Value()
	q, err := query.Parse(text, query.Options{Now: m.now, Loc: m.shopLoc()})
	if err != nil {
		qe, _ := err.(*query.Error)
		m.filterErr = qe
		return nil
	}
	m.filterErr = nil
	prev := ""
	if m.filterQ != nil {
		prev = m.filterQ.String()
	}
	if q.String() == prev {
		return nil
	}
	if q.Empty() {
		q = nil
	}
	m.filterQ = q
	return m.recompute()
}
