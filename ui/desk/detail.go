package desk

import (
	"fmt"
	"strings"

	tea "charm.land/bubbletea/v2"

	"orderdesk/backend"
	"orderdesk/backend/sync"
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
	key     string // what lines were rendered for
	offset  int
	focused bool
}

// follow points the pane at the cursor's order, reading it when needed,
// unless the pane is pinned (focused) to its order.
func (m *Model) follow() tea.Cmd {
	if m.detail.focused && !m.detail.ref.IsZero() {
		return nil
	}
	o := m.current()
	if o == nil {
		m.detail = detailPane{focused: m.detail.focused, read: m.detail.read}
		return nil
	}
	if o.Ref == m.detail.ref {
		return nil
	}
	m.detail = detailPane{ref: o.Ref, focused: m.detail.focused, read: m.detail.read}
	return m.readDetail()
}

// readDetail reads the pane's order again (it changed, or the pane moved).
func (m *Model) readDetail() tea.Cmd {
	m.detail.read++
	return loadDetail(m.cfg.Desk.Store, m.detail.ref, m.detail.read)
}

// subject is the order the operator works on: the one open in the
// focused pane, else the one under the cursor.
func (m *Model) subject() backend.Ref {
	if m.detail.focused && !m.detail.ref.IsZero() {
		return m.detail.ref
	}
	if o := m.current(); o != nil {
		return o.Ref
	}
	return backend.Ref{}
}

func (m *Model) onDetail(msg detailMsg) {
	if msg.ref != m.detail.ref || msg.read != m.detail.read {
		return // the cursor moved on, or a newer read is on its way
	}
	m.detail.order, m.detail.history, m.detail.err = msg.order, msg.history, msg.err
	m.detail.key = ""
}

// detailLines renders the pane's content for a width, cached.
func (m *Model) detailLines(width int) []string {
	d := &m.detail
	if d.order == nil {
		switch {
		case d.err != nil:
			return []string{m.styles.Error.Render(fit("cannot read "+d.ref.String()+": "+d.err.Error(), width, false))}
		case d.ref.IsZero():
			return []string{m.styles.Muted.Render("no order selected")}
		}
		return []string{m.styles.Muted.Render("reading " + d.ref.String() + "…")}
	}
	key := fmt.Sprintf("%d/%t/%p/%d", width, m.styles.Dark, d.order, len(d.history))
	if key != d.key {
		d.lines = detail.Render(detail.Data{Order: d.order, History: d.history, Loc: m.cfg.Loc, Now: m.cfg.Now()}, m.styles, width)
		d.key = key
	}
	return d.lines
}

// renderDetail draws the pane into width × height.
func (m *Model) renderDetail(width, height int) string {
	lines := m.detailLines(width)
	maxOff := max(0, len(lines)-height)
	m.detail.offset = min(max(0, m.detail.offset), maxOff)
	end := min(len(lines), m.detail.offset+height)
	out := make([]string, 0, height)
	for _, l := range lines[m.detail.offset:end] {
		out = append(out, fit(l, width, false))
	}
	for len(out) < height {
		out = append(out, strings.Repeat(" ", width))
	}
	return strings.Join(out, "\n")
}

func (m *Model) scrollDetail(by int) {
	m.detail.offset = max(0, m.detail.offset+by)
}

// copyChoices offers what can be copied from an order.
func copyChoices(flow int, st sync.Store, ref backend.Ref) tea.Cmd {
	return func() tea.Msg {
		o, err := st.Order(ref)
		if err != nil {
			return copyMsg{flow: flow, err: err}
		}
		var out []choice
		for _, c := range detail.Copyable(o) {
			out = append(out, choice{Label: c.Label, Value: c.Text, Hint: firstLine(c.Text)})
		}
		return copyMsg{flow: flow, choices: out}
	}
}

func firstLine(s string) string {
	if i := strings.IndexByte(s, '\n'); i >= 0 {
		return s[:i] + " …"
	}
	return s
}
