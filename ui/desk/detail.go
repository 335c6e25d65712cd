package desk

import (
	"fmt"
	"strings"
	"time"

	tea "charm.land/bubbletea/v2"

	"orderdesk/backend"
	"orderdesk/ui/detail"
)

// detailPane shows the order under the cursor: the full cached order is
// read in the background whenever the cursor lands on another order, and
// its rendering is kept until the order, the width or the theme changes.
// While the operator works in the pane (focused), it stays on its order
// even when the rows change under it: an order shipped out of the To ship
// view stays open, and actions still apply to it.
type detailPane struct {
	ref     backend.Ref // the order shown (or being read)
	read    int         // the latest read asked for; older answers are dropped
	order   *backend.Order
	history []backend.Edit
	err     error
	lines   []string
	anchors []detail.Anchor // where each section starts in lines
	key     string          // what lines were rendered for
	offset  int
	room    int // lines the pane showed last (for paging)
	focused bool
	// held: lines and anchors are the previous order's, shown while the
	// cursor's order is read (a few milliseconds) rather than blanking the
	// pane to "reading…" for a frame, which repainted all of it twice per
	// cursor move. They are shown for at most detailHold from the move
	// that started holding them (the timer of read number hold), however
	// many moves follow: then the pane says "reading…".
	held bool
	hold int
	// ahead: the orders next to the cursor, read ahead (detail_ahead.go)
	ahead map[backend.Ref]detailMsg
}

// detailHold is how long the pane may keep showing the previous order
// while the cursor's order is read: longer than a frame, shorter than
// anyone reads the pane in.
const detailHold = 150 * time.Millisecond

// follow points the pane at the cursor's order, reading it when needed,
// unless the pane is pinned (focused) to its order.
func (m *Model) follow() tea.Cmd {
	if m.detail.focused && !m.detail.ref.IsZero() {
		return nil
	}
	ref, ok := m.current()
	if !ok {
		m.detail = detailPane{focused: m.detail.focused, read: m.detail.read}
		return nil
	}
	if ref == m.detail.ref {
		return nil
	}
	prev := m.detail
	m.detail = detailPane{ref: ref, focused: prev.focused, read: prev.read, ahead: prev.ahead}
	read := m.readDetail() // also when read ahead: it may have changed since
	switch {
	case prev.focused:
		return read
	case prev.ahead[ref].order != nil:
		a := prev.ahead[ref]
		m.detail.order, m.detail.history = a.order, a.history
		return read
	case prev.held: // moving on before the last read answered
		m.detail.lines, m.detail.anchors, m.detail.offset = prev.lines, prev.anchors, prev.offset
		m.detail.held, m.detail.hold = true, prev.hold
		return read
	case prev.order != nil && prev.err == nil && len(prev.lines) > 0:
		m.detail.lines, m.detail.anchors, m.detail.offset = prev.lines, prev.anchors, prev.offset
		m.detail.held, m.detail.hold = true, m.detail.read
		n := m.detail.read
		return tea.Batch(read, tea.Tick(detailHold, func(time.Time) tea.Msg { return detailHoldMsg{read: n} }))
	}
	return read
}

// onDetailHold: the pane has shown the previous order for detailHold and
// the cursor's order is still being read: it says so.
func (m *Model) onDetailHold(msg detailHoldMsg) {
	if d := &m.detail; d.held && d.hold == msg.read && d.order == nil {
		d.lines, d.anchors, d.offset, d.held = nil, nil, 0, false
	}
}

// readDetail reads the pane's order again (it changed, or the pane moved).
func (m *Model) readDetail() tea.Cmd {
	m.detail.read++
	return loadDetail(m.cfg.Desk, m.detail.ref, m.detail.read)
}

// subject is the order the operator works on: the one open in the
// focused pane, else the one under the cursor.
func (m *Model) subject() backend.Ref {
	if m.detail.focused && !m.detail.ref.IsZero() {
		return m.detail.ref
	}
	ref, _ := m.current()
	return ref
}

func (m *Model) onDetail(msg detailMsg) tea.Cmd {
	if msg.ref != m.detail.ref || msg.read != m.detail.read {
		return nil // the cursor moved on, or a newer read is on its way
	}
	m.detail.order, m.detail.history, m.detail.err = msg.order, msg.history, msg.err
	m.detail.key, m.detail.held = "", false
	if m.detail.offset > 0 && !m.detail.focused {
		m.detail.offset = 0 // a held pane kept the previous order's place
	}
	return m.readAhead()
}

// detailLines renders the pane's content for a width, cached.
func (m *Model) detailLines(width int) []string {
	d := &m.detail
	if d.order == nil {
		switch {
		case d.held && !d.focused && d.err == nil:
			return d.lines
		case d.err != nil:
			return []string{m.styles.Error.Render(fit("cannot read "+d.ref.String()+": "+d.err.Error(), width, false))}
		case d.ref.IsZero():
			return []string{m.styles.Muted.Render("no order selected")}
		}
		return []string{m.styles.Muted.Render("reading " + d.ref.String() + "…")}
	}
	key := fmt.Sprintf("%d/%t/%p/%d", width, m.styles.Dark, d.order, len(d.history))
	if key != d.key {
		p := detail.Layout(detail.Data{Order: d.order, History: d.history, Loc: m.cfg.Loc, Now: m.now,
			EditsKey: m.keys.Edits.Help().Key}, m.styles, width)
		d.lines, d.anchors = p.Lines, p.Anchors
		d.key = key
	}
	return d.lines
}

// renderDetail draws the pane into width × height. When the order is
// longer than the pane, the last line says where the window is: the
// section at its top, the lines shown, and the keys that jump.
func (m *Model) renderDetail(width, height int) string {
	lines := m.detailLines(width)
	room := height
	if len(lines) > height && height > 2 {
		room = height - 1
	}
	maxOff := max(0, len(lines)-room)
	m.detail.offset = min(max(0, m.detail.offset), maxOff)
	m.detail.room = room
	end := min(len(lines), m.detail.offset+room)
	out := make([]string, 0, height)
	for _, l := range lines[m.detail.offset:end] {
		out = append(out, fit(l, width, false))
	}
	if room < height {
		out = append(out, m.styles.Muted.Render(fit(m.detailPosition(len(lines), end), width, false)))
	}
	for len(out) < height {
		out = append(out, strings.Repeat(" ", width))
	}
	return strings.Join(out, "\n")
}

// detailPosition is the pane's position line: "Items · 12–31 of 88 ▼ · } next section".
func (m *Model) detailPosition(total, end int) string {
	at := ""
	for _, a := range m.detail.anchors {
		if a.Line <= m.detail.offset {
			at = a.Name
		}
	}
	more := "▼"
	if end >= total {
		more = "end"
	}
	line := fmt.Sprintf("%s · %d–%d of %d %s", at, m.detail.offset+1, end, total, more)
	if m.focus == focusDetail {
		line += fmt.Sprintf(" · %s/%s sections", m.keys.PrevSection.Help().Key, m.keys.NextSection.Help().Key)
	}
	return strings.TrimPrefix(line, " · ")
}

func (m *Model) scrollDetail(by int) {
	m.detail.offset = max(0, m.detail.offset+by)
}

// jumpSection moves the pane to the next (dir 1) or previous (-1) section.
func (m *Model) jumpSection(dir int) {
	as := m.detail.anchors
	off := m.detail.offset
	if dir > 0 {
		for _, a := range as {
			if a.Line > off {
				m.detail.offset = a.Line
				return
			}
		}
		return
	}
	for i := len(as) - 1; i >= 0; i-- {
		if as[i].Line < off {
			m.detail.offset = as[i].Line
			return
		}
	}
	m.detail.offset = 0
}

// detailHoldMsg: detailHold has passed since the pane began holding the
// previous order, at the move that asked for read number read.
type detailHoldMsg struct{ read int }
