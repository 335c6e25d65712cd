package desk

import (
	"fmt"
	"time"

	"charm.land/bubbles/v2/key"
	tea "charm.land/bubbletea/v2"

	"orderdesk/backend"
	"orderdesk/keymap"
	"orderdesk/ui/theme"
)

// Update routes a message: results of background work to their handlers
// (each drops stale results), keys to whatever has focus.
func (m *Model) Update(msg tea.Msg) (tea.Model, tea.Cmd) {
	switch msg := msg.(type) {
	case tea.WindowSizeMsg:
		m.width, m.height = msg.Width, msg.Height
		m.clampCursor()
		return m, nil
	case tea.BackgroundColorMsg:
		m.setTheme(msg.IsDark())
		return m, nil
	case tea.KeyPressMsg:
		return m, m.onKey(msg)
	case tea.PasteMsg:
		return m, m.onPaste(msg)
	case tea.MouseMsg:
		return m, m.onMouse(msg)
	}
	return m, m.onResult(msg)
}

// onResult handles the answers of background work.
func (m *Model) onResult(msg tea.Msg) tea.Cmd {
	switch msg := msg.(type) {
	case rowsMsg:
		m.data = newEarlyDataset(msg.orders)
		return tea.Batch(next(msg.next), m.recompute())
	case loadedMsg:
		m.loading = false
		if msg.err != nil {
			m.loadErr = msg.err
			return m.setFlash(flashError, "cannot read the cache: "+msg.err.Error())
		}
		m.data = msg.data
		return tea.Batch(m.recompute(), releaseMemory)
	case healthMsg:
		m.onHealth(msg)
		m.healthLoading = false
		var again tea.Cmd
		if m.healthAgain {
			m.healthAgain = false
			again = m.refreshHealth()
		}
		if msg.err != nil {
			return tea.Batch(again, m.setFlash(flashError, msg.err.Error()))
		}
		if m.cfg.SyncOnStart && !m.startedSync {
			m.startedSync = true
			return tea.Batch(again, m.startSync(nil))
		}
		return again
	case selectionMsg:
		return m.onSelection(msg)
	case countsMsg:
		m.onCounts(msg)
	case countsDueMsg:
		return m.countTabs(msg.gen)
	case changedMsg:
		return m.onChanged(msg)
	case datasetMsg:
		return m.onDataset(msg)
	case detailMsg:
		return m.onDetail(msg)
	case detailHoldMsg:
		m.onDetailHold(msg)
	case detailAheadMsg:
		m.onDetailAhead(msg)
	case syncEventMsg:
		return tea.Batch(waitEvent(m.ctx, m.feed, m.cfg.Now), m.onSyncEvent(msg))
	case syncDoneMsg:
		return m.onSyncDone(msg)
	case sentMsg:
		return m.onSent(msg)
	case flowMsg:
		return m.onFlowMsg(msg)
	case tickMsg:
		return m.onTick(msg)
	case ClosingMsg:
		m.flow, m.help = nil, false
		m.focus = focusList
		m.flash.id++
		m.flash.kind, m.flash.text = flashWarn, msg.Text
		return tea.Tick(1500*time.Millisecond, func(time.Time) tea.Msg { return tea.QuitMsg{} })
	case flashDoneMsg:
		if msg.id == m.flash.id {
			m.flash = flash{id: m.flash.id}
		}
	default:
		if m.focus == focusFilter {
			var cmd tea.Cmd
			m.filter, cmd = m.filter.Update(msg)
			return cmd
		}
	}
	return nil
}

// onChanged queues fresh copies of orders for the next snapshot: one
// rebuild runs at a time, changes arriving meanwhile wait for the next.
func (m *Model) onChanged(msg changedMsg) tea.Cmd {
	var flash tea.Cmd
	if msg.err != nil {
		flash = m.setFlash(flashError, msg.err.Error())
	}
	var again tea.Cmd
	for _, o := range msg.orders {
		m.queued = append(m.queued, o)
		m.forgetAhead(o.Ref)
		if o.Ref == m.detail.ref {
			again = m.readDetail()
		}
	}
	return tea.Batch(flash, m.rebuild(), again)
}

func (m *Model) rebuild() tea.Cmd {
	if m.rebuilding || len(m.queued) == 0 || m.loading {
		return nil
	}
	m.rebuilding = true
	changed := m.queued
	m.queued = nil
	return applyChanges(m.data, changed, m.shopLoc())
}

func (m *Model) onDataset(msg datasetMsg) tea.Cmd {
	m.rebuilding = false
	m.data = msg.data
	return tea.Batch(m.recompute(), m.rebuild())
}

func (m *Model) setTheme(dark bool) {
	if dark == m.styles.Dark {
		return
	}
	m.styles = theme.New(dark)
	m.filter.SetStyles(filterStyles(m.styles)) // the row and detail caches are keyed by theme
}

// onKey sends a key to what has focus.
func (m *Model) onKey(msg tea.KeyPressMsg) tea.Cmd {
	switch {
	case m.flow != nil:
		return m.toFlow(m.flow, msg)
	case m.help:
		return m.onHelpKey(msg)
	case m.focus == focusFilter:
		return m.onFilterKey(msg)
	}
	return m.onDeskKey(msg)
}

// onFilterKey: the filter is a text field. Every printable key is text
// (j, k, q, s… never act while typing); only the other keys are the
// desk's: enter keeps the filter and goes to the list, down does too and
// moves into it, esc and ctrl+c clear it, tab and shift+tab change the
// view. Editing keys (backspace, arrows left/right, ctrl+a/e/w/u/k) edit.
func (m *Model) onFilterKey(msg tea.KeyPressMsg) tea.Cmd {
	if !keymap.IsText(msg) { // a printable key never reaches a binding here
		k := m.keys
		switch {
		case key.Matches(msg, k.Submit):
			m.leaveFilter()
			return nil
		case key.Matches(msg, k.Down, k.PageDown):
			m.leaveFilter()
			return m.moveCursor(0)
		case key.Matches(msg, k.Back) || msg.Keystroke() == "ctrl+c":
			m.leaveFilter()
			m.filter.SetValue("")
			return m.onFilterChange()
		case key.Matches(msg, k.NextView):
			return m.setTab(m.tab + 1)
		case key.Matches(msg, k.PrevView):
			return m.setTab(m.tab - 1)
		}
	}
	var cmd tea.Cmd
	m.filter, cmd = m.filter.Update(msg)
	return tea.Batch(cmd, m.onFilterChange())
}

func (m *Model) leaveFilter() {
	m.filter.Blur()
	m.focus = focusList
}

// onPaste: a paste is text. It goes to the open flow's field, or to the
// filter; pasted on the list, it starts a filter with the pasted text (a
// phone number or an order number pasted finds the order).
func (m *Model) onPaste(msg tea.PasteMsg) tea.Cmd {
	switch {
	case m.flow != nil:
		return m.toFlow(m.flow, msg)
	case m.help:
		return nil
	case m.focus != focusFilter:
		m.focus = focusFilter
		m.detail.focused, m.zoom = false, false
		m.filter.Focus()
	}
	var cmd tea.Cmd
	m.filter, cmd = m.filter.Update(msg)
	return tea.Batch(cmd, m.onFilterChange())
}

// onDeskKey handles keys on the list and the detail pane.
func (m *Model) onDeskKey(msg tea.KeyPressMsg) tea.Cmd {
	k := m.keys
	inDetail := m.focus == focusDetail
	page := m.listHeight()
	if inDetail {
		page = max(1, m.detailHeight()-1)
	}
	move := func(n int) tea.Cmd {
		if inDetail {
			m.scrollDetail(n)
			return nil
		}
		return m.moveCursor(n)
	}
	switch {
	case key.Matches(msg, k.Quit):
		m.quitting = true
		m.cancel()
		return tea.Quit
	case key.Matches(msg, k.Up):
		return move(-1)
	case key.Matches(msg, k.Down):
		return move(1)
	case key.Matches(msg, k.PageUp):
		return move(-page)
	case key.Matches(msg, k.PageDown):
		return move(page)
	case key.Matches(msg, k.Top):
		return move(-1 << 30)
	case key.Matches(msg, k.Bottom):
		return move(1 << 30)
	case key.Matches(msg, k.NextView):
		return m.setTab(m.tab + 1)
	case key.Matches(msg, k.PrevView):
		return m.setTab(m.tab - 1)
	case key.Matches(msg, k.Filter):
		m.focus = focusFilter
		m.detail.focused, m.zoom = false, false // the filter works on the list: show it
		return m.filter.Focus()
	case key.Matches(msg, k.Open):
		return m.open()
	case key.Matches(msg, k.Zoom):
		if m.zoom && m.split() == splitNone {
			return m.back() // no room for the pane beside the list: z leaves it
		}
		m.zoom = !m.zoom
		if m.zoom {
			m.focus, m.detail.focused = focusDetail, true
		}
		return m.follow()
	case key.Matches(msg, k.Back):
		return m.back()
	case key.Matches(msg, k.Help):
		m.help, m.helpOffset = true, 0
	case key.Matches(msg, k.Sort):
		return m.nextSort()
	case key.Matches(msg, k.Reverse):
		m.sortDesc = !m.sortDesc
		return m.recompute()
	case key.Matches(msg, k.Select):
		m.toggleMark()
		return m.moveCursor(1)
	case key.Matches(msg, k.SelectAll):
		m.markAll()
	case key.Matches(msg, k.Status):
		return m.beginAction(newStatusFlow)
	case key.Matches(msg, k.Ship):
		return m.beginAction(newShipFlow)
	case key.Matches(msg, k.Remark):
		return m.beginAction(newRemarkFlow)
	case key.Matches(msg, k.Copy):
		return m.beginCopy()
	case key.Matches(msg, k.Edits):
		return m.beginEdits()
	case inDetail && key.Matches(msg, k.NextSection):
		m.jumpSection(1)
	case inDetail && key.Matches(msg, k.PrevSection):
		m.jumpSection(-1)
	case key.Matches(msg, k.Refresh):
		return m.refresh()
	case key.Matches(msg, k.Sync):
		return m.startSync(nil)
	case key.Matches(msg, k.Import):
		return m.beginImport()
	case key.Matches(msg, k.Export):
		return m.beginExport()
	default:
		if r := msg.String(); len(r) == 1 && r[0] >= '1' && r[0] <= '9' && int(r[0]-'1') < len(m.tabs) {
			return m.setTab(int(r[0] - '1'))
		}
	}
	return nil
}

// open shows the order: it focuses the detail pane, full screen when
// the terminal has no room for a split.
func (m *Model) open() tea.Cmd {
	if _, ok := m.current(); !ok {
		return nil
	}
	if m.focus == focusDetail {
		m.zoom = !m.zoom
		return nil
	}
	m.focus, m.detail.focused = focusDetail, true
	if m.split() == splitNone {
		m.zoom = true
	}
	return m.follow()
}

// back leaves the detail pane, then clears marks, then the filter.
func (m *Model) back() tea.Cmd {
	switch {
	case m.focus == focusDetail:
		m.focus, m.detail.focused, m.zoom = focusList, false, false
		return m.follow() // the pane was pinned: back to the cursor's order
	case len(m.marked) > 0:
		m.marked = map[backend.Ref]bool{}
	case m.filter.Value() != "":
		m.filter.SetValue("")
		return m.onFilterChange()
	}
	return nil
}

func (m *Model) refresh() tea.Cmd {
	ref := m.subject()
	if ref.IsZero() {
		return nil
	}
	if m.cfg.Offline {
		return m.setFlash(flashWarn, "offline (--offline): cannot refresh from the shop")
	}
	return tea.Batch(m.setFlash(flashInfo, fmt.Sprintf("refreshing %s from the shop…", ref)), refreshOrder(m.work(), m.cfg.Desk, ref))
}
