package desk

import (
	"slices"

	tea "charm.land/bubbletea/v2"

	"orderdesk/backend"
	"orderdesk/backend/engine"
)

// The pane beside (or below) the list reads the orders next to the cursor
// ahead of time, so a cursor move shows the next order in the frame of
// the move: one frame per move instead of two (the list's, then the
// pane's once its read answers). On screens holding wide characters the
// renderer repaints every such line in every frame, so the second frame
// doubled what a cursor move sends. The order read ahead is shown at
// once and read again, as on every move, so a change since shows a
// moment later; a change the desk hears of drops it (forgetAhead).

// detailAheadMsg is an order next to the cursor, read ahead.
type detailAheadMsg struct{ detailMsg }

func loadAhead(d *engine.Desk, ref backend.Ref) tea.Cmd {
	load := loadDetail(d, ref, 0)
	return func() tea.Msg {
		msg, _ := load().(detailMsg)
		return detailAheadMsg{msg}
	}
}

// neighbours are the orders of the rows next to the cursor.
func (m *Model) neighbours() []backend.Ref {
	var out []backend.Ref
	for _, k := range []int{m.cursor + 1, m.cursor - 1} {
		if k >= 0 && k < len(m.rows) {
			out = append(out, m.data.ref(int(m.rows[k])))
		}
	}
	return out
}

// readAhead reads the neighbours not read yet and forgets the others;
// only while the pane follows the cursor beside or below the list.
func (m *Model) readAhead() tea.Cmd {
	if m.split() == splitNone || m.zoom || m.detail.focused {
		m.detail.ahead = nil
		return nil
	}
	keep := map[backend.Ref]detailMsg{}
	var cmds []tea.Cmd
	for _, ref := range m.neighbours() {
		if a, ok := m.detail.ahead[ref]; ok {
			keep[ref] = a
		} else {
			cmds = append(cmds, loadAhead(m.cfg.Desk, ref))
		}
	}
	m.detail.ahead = keep
	return tea.Batch(cmds...)
}

// onDetailAhead keeps an order read ahead while it is still next to the
// cursor.
func (m *Model) onDetailAhead(msg detailAheadMsg) {
	if msg.err != nil || msg.order == nil || m.detail.ahead == nil || !slices.Contains(m.neighbours(), msg.ref) {
		return
	}
	m.detail.ahead[msg.ref] = msg.detailMsg
}

// forgetAhead drops an order read ahead that changed.
func (m *Model) forgetAhead(ref backend.Ref) {
	delete(m.detail.ahead, ref)
}
