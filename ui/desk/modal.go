package desk

import (
	"fmt"

	tea "charm.land/bubbletea/v2"

	"orderdesk/backend"
)

// The desk's side of flows (flow.go): opening one, handing it input and
// the answers of its work, and routing the actions it returns.

func (m *Model) nextFlowID() int {
	m.flowSeq++
	return m.flowSeq
}

// openFlow shows a flow; its keys go to it until it ends or hides.
func (m *Model) openFlow(f flow, cmd tea.Cmd) tea.Cmd {
	m.flow = f
	m.focus = focusModal
	return cmd
}

// closeFlow takes the open flow's box away and gives the keys back.
func (m *Model) closeFlow() {
	m.flow = nil
	m.unfocusModal()
}

// unfocusModal gives the keys back to where they were before the box:
// the detail pane when the operator works in it, else the list.
func (m *Model) unfocusModal() {
	m.focus = focusList
	if m.detail.focused {
		m.focus = focusDetail
	}
}

// toFlow hands a message to a flow and routes what it asks.
func (m *Model) toFlow(f flow, msg tea.Msg) tea.Cmd {
	cmd, act := f.update(msg)
	return tea.Batch(cmd, m.route(f, act))
}

// onFlowMsg delivers the answer of a flow's work to that flow: the open
// one, or the import running in the background; else it is dropped.
func (m *Model) onFlowMsg(msg flowMsg) tea.Cmd {
	switch {
	case m.flow != nil && m.flow.ident() == msg.id:
		return m.toFlow(m.flow, msg.msg)
	case m.imp != nil && m.imp.id == msg.id:
		return m.toFlow(m.imp, msg.msg)
	}
	return nil
}

// route does what a flow asks.
func (m *Model) route(f flow, act action) tea.Cmd {
	switch a := act.(type) {
	case done:
		m.end(f)
		return m.notify(a.note)
	case saved:
		m.end(f)
		return m.onSaved(a)
	case changed:
		m.end(f)
		cmds := []tea.Cmd{m.notify(a.note), reread(m.cfg.Desk.Reader(), a.refs), m.refreshHealth()}
		if !m.cfg.Offline {
			for _, s := range a.send {
				cmds = append(cmds, m.send(s))
			}
		}
		return tea.Batch(cmds...)
	case hidden:
		if m.flow == f {
			m.closeFlow()
		}
		return m.notify(a.note)
	case importing:
		m.imp = f.(*importFlow)
		for _, s := range a.shops {
			if h := m.health(s); h != nil {
				h.sending = true
			}
		}
	case imported:
		for _, s := range a.shops {
			if h := m.health(s); h != nil {
				h.sending = false
			}
		}
		n := a.note
		if m.flow != f {
			n.text += fmt.Sprintf(" (%s shows the rows)", m.keys.Import.Help().Key)
		}
		return tea.Batch(m.notify(n), reread(m.cfg.Desk.Reader(), a.refs), m.refreshHealth())
	}
	return nil
}

// end forgets a flow that is over.
func (m *Model) end(f flow) {
	if m.flow == f {
		m.closeFlow()
	}
	if m.imp == f {
		m.imp = nil
	}
}

// notify shows a note on the status bar (nothing for an empty one).
func (m *Model) notify(n note) tea.Cmd {
	if n.text == "" {
		return nil
	}
	return m.setFlash(n.kind, n.text)
}

// targets are the marked orders, or the one worked on (subject).
func (m *Model) targets() []backend.Ref {
	if len(m.marked) > 0 {
		out := make([]backend.Ref, 0, len(m.marked))
		for _, i := range m.rows {
			if r := m.data.ref(int(i)); m.marked[r] {
				out = append(out, r)
			}
		}
		// marked orders hidden by the current filter still count
		for r := range m.marked {
			if !containsRef(out, r) {
				out = append(out, r)
			}
		}
		return out
	}
	if ref := m.subject(); !ref.IsZero() {
		return []backend.Ref{ref}
	}
	return nil
}

func containsRef(rs []backend.Ref, r backend.Ref) bool {
	for _, x := range rs {
		if x == r {
			return true
		}
	}
	return false
}

// beginAction opens a flow on the targets.
func (m *Model) beginAction(start func(*env, int, []backend.Ref) (flow, tea.Cmd)) tea.Cmd {
	refs := m.targets()
	if len(refs) == 0 {
		return m.setFlash(flashInfo, "no order selected")
	}
	f, cmd := start(m.env(), m.nextFlowID(), refs)
	return m.openFlow(f, cmd)
}

// beginImport shows the import under way or its unseen results, else
// asks for a file.
func (m *Model) beginImport() tea.Cmd {
	if m.imp != nil {
		return m.openFlow(m.imp, nil)
	}
	return m.openFlow(newImportFlow(m.env(), m.nextFlowID(), &m.importPath), nil)
}

// onSaved reports the saved edits, shows their markers and sends them.
func (m *Model) onSaved(msg saved) tea.Cmd {
	var cmds []tea.Cmd
	refs := make([]backend.Ref, 0, len(msg.edits))
	for _, e := range msg.edits {
		refs = append(refs, e.Ref)
	}
	switch {
	case msg.err != nil:
		cmds = append(cmds, m.setFlash(flashError, "NOT saved: "+msg.err.Error()))
	case len(msg.edits) == 1:
		e := msg.edits[0]
		cmds = append(cmds, m.setFlash(flashInfo, fmt.Sprintf("saved %s: %s on %s", e.ID, e.Summary, e.Ref)))
	default:
		cmds = append(cmds, m.setFlash(flashInfo, fmt.Sprintf("saved %d edits", len(msg.edits))))
	}
	m.marked = map[backend.Ref]bool{}
	cmds = append(cmds, reread(m.cfg.Desk.Reader(), refs), m.refreshHealth())
	if !m.cfg.Offline {
		for _, s := range shopsOf(msg.edits) {
			cmds = append(cmds, m.send(s))
		}
	}
	return tea.Batch(cmds...)
}

func (m *Model) send(shop string) tea.Cmd {
	if h := m.health(shop); h != nil {
		h.sending = true
	}
	return sendCmd(m.work(), m.cfg.Desk, shop)
}

// onSent reports the outcome of a replay.
func (m *Model) onSent(msg sentMsg) tea.Cmd {
	if h := m.health(msg.shop); h != nil {
		h.sending = false
		h.noteErr(msg.err)
	}
	refs := make([]backend.Ref, 0, len(msg.sent))
	var flash tea.Cmd
	for _, e := range msg.sent {
		refs = append(refs, e.Ref)
		switch e.State {
		case backend.EditDone:
			flash = m.setFlash(flashOK, fmt.Sprintf("%s done: %s on %s", e.ID, e.Summary, e.Ref))
		case backend.EditFailed, backend.EditConflict:
			flash = m.setFlash(flashError, fmt.Sprintf("%s %s: %s (kept; %s on the order retries or discards it)", e.ID, e.State, e.Error, m.keys.Edits.Help().Key))
		}
	}
	if msg.err != nil && flash == nil {
		flash = m.setFlash(flashWarn, fmt.Sprintf("%s: edits kept in the outbox: %s", msg.shop, backend.Reason(msg.err)))
	}
	return tea.Batch(flash, reread(m.cfg.Desk.Reader(), refs), m.refreshHealth())
}

// beginCopy offers what can be copied from the order worked on.
func (m *Model) beginCopy() tea.Cmd {
	ref := m.subject()
	if ref.IsZero() {
		return m.setFlash(flashInfo, "no order selected")
	}
	f, cmd := newCopyFlow(m.env(), m.nextFlowID(), ref)
	return m.openFlow(f, cmd)
}

// beginEdits shows the order's unsent edits with a way out for each.
func (m *Model) beginEdits() tea.Cmd {
	ref := m.subject()
	if ref.IsZero() {
		return m.setFlash(flashInfo, "no order selected")
	}
	f, cmd := newPendingFlow(m.env(), m.nextFlowID(), ref)
	return m.openFlow(f, cmd)
}
