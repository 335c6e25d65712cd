package desk

import (
	"fmt"
	"strings"

	tea "charm.land/bubbletea/v2"

	"orderdesk/backend"
	"orderdesk/backend/tracking"
	"orderdesk/ui/form"
)

// purpose is what an open modal is for.
type purpose uint8

const (
	forStatus purpose = iota + 1
	forShip
	forRemark
	forCopy
	forConfirm
	forMessage
	forImportPath      // the path prompt of an import
	forImportPlan      // the plan, asking
	forImportRun       // the import under way
	forImportDone      // its results
	forExportPath      // the path prompt of an export
	forExportOverwrite // replace the existing file?
)

// box is what every form and dialog of package form offers the desk.
type box interface {
	Update(tea.Msg) (form.Outcome, tea.Cmd)
	View(width, height int) string
	Cursor() *tea.Cursor
}

// modal is the open form or dialog, if any, and the flow it belongs to.
type modal struct {
	box     box
	purpose purpose
	flow    int
	targets []backend.Ref
	action  backend.Action
	drafts  []*backend.Edit
	export  exportJob
	// waiting: the flow waits for background work (choices, drafts, a
	// file read or written, with its prompt still shown); keys are held
	// back meanwhile, so a quick second enter never lands on the list
	// behind (only esc / ctrl+c, which abandon the flow where that is safe)
	waiting bool
	// where the box was last drawn, for the cursor
	x, y int
}

func (md *modal) open() bool { return md.box != nil }

// startFlow begins an action on the targets: any older flow's results
// will be dropped from now on.
func (m *Model) startFlow(p purpose, targets []backend.Ref) int {
	m.flowSeq++
	m.modal = modal{purpose: p, flow: m.flowSeq, targets: targets}
	return m.flowSeq
}

func (m *Model) closeModal() {
	m.modal = modal{}
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

func (m *Model) show(b box) {
	m.modal.box = b
	m.modal.waiting = false
	m.focus = focusModal
}

// message opens an information box (nothing to do, every order refused…).
func (m *Model) message(title string, lines ...string) {
	m.modal.purpose = forMessage
	m.show(form.NewMessage(title, strings.Join(lines, "\n"), m.styles, m.keys))
}

// targets are the marked orders, or the one worked on (subject).
func (m *Model) targets() []backend.Ref {
	if len(m.marked) > 0 {
		out := make([]backend.Ref, 0, len(m.marked))
		for _, i := range m.rows {
			if r := m.data.orders[i].Ref; m.marked[r] {
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

func targetsTitle(verb string, refs []backend.Ref) string {
	if len(refs) == 1 {
		return fmt.Sprintf("%s %s", verb, refs[0])
	}
	return fmt.Sprintf("%s %d marked orders", verb, len(refs))
}

// beginAction opens the first step of an action on the targets.
func (m *Model) beginAction(p purpose) tea.Cmd {
	refs := m.targets()
	if len(refs) == 0 {
		return m.setFlash(flashInfo, "no order selected")
	}
	kind := map[purpose]backend.ActionKind{forStatus: backend.ActionStatus, forShip: backend.ActionShip, forRemark: backend.ActionRemark}[p]
	if kind != "" {
		if why := capabilityWhy(m.cfg.Desk, refs, kind); why != "" {
			m.startFlow(p, refs)
			m.message(fmt.Sprintf("%s is not available", kind), why)
			return nil
		}
	}
	flow := m.startFlow(p, refs)
	switch p {
	case forStatus:
		m.modal.waiting = true
		return statusChoices(flow, m.cfg.Desk, refs)
	case forShip:
		m.show(form.NewShipForm(m.shipInput(refs), m.styles, m.keys))
		return nil
	case forRemark:
		m.show(form.NewRemarkForm(targetsTitle("Remark on", refs), m.styles, m.keys))
		return nil
	case forCopy:
		m.modal.waiting = true
		return copyChoices(flow, m.cfg.Desk.Store, refs[0])
	}
	return nil
}

func (m *Model) shipInput(refs []backend.Ref) form.ShipInput {
	in := form.ShipInput{Title: targetsTitle("Ship", refs)}
	for _, c := range tracking.Carriers() {
		in.Carriers = append(in.Carriers, c.Name)
	}
	for _, r := range refs {
		if s, ok := m.cfg.Desk.Shop(r.Shop); ok {
			switch s.Capabilities().Ship.Notifies {
			case backend.NotifyOptional:
				in.NotifyOptional = true
			case backend.NotifyAlways:
				in.NotifyAlways = true
			}
		}
	}
	return in
}

// modalDone handles a form or dialog that was submitted.
func (m *Model) modalDone() tea.Cmd {
	md := m.modal
	switch md.purpose {
	case forImportPath, forImportPlan, forImportRun, forImportDone:
		return m.importSubmitted()
	case forExportPath, forExportOverwrite:
		return m.exportSubmitted()
	}
	switch b := md.box.(type) {
	case *form.Picker:
		ch := b.Chosen()
		if md.purpose == forCopy {
			m.closeModal()
			return tea.Batch(tea.SetClipboard(ch.Value), m.setFlash(flashInfo, "copied "+strings.ToLower(ch.Label)))
		}
		a := backend.Action{Kind: backend.ActionStatus, Status: ch.Value}
		return m.draft(a, nil)
	case *form.ShipForm:
		a := backend.Action{Kind: backend.ActionShip, Shipment: b.Shipment(), Notify: b.Notify()}
		return m.draft(a, b.Warnings())
	case *form.RemarkForm:
		return m.draft(backend.Action{Kind: backend.ActionRemark, Remark: b.Text()}, nil)
	case *form.Confirm:
		drafts := md.drafts
		m.closeModal()
		m.modal = modal{flow: md.flow, waiting: true}
		return saveCmd(md.flow, m.cfg.Desk, drafts)
	}
	m.closeModal()
	return nil
}

// modalCancelled handles a form or dialog closed with esc or ctrl+c.
func (m *Model) modalCancelled() tea.Cmd {
	switch m.modal.purpose {
	case forImportRun:
		m.closeModal()
		return m.setFlash(flashInfo, fmt.Sprintf("the import goes on; %s shows it", m.keys.Import.Help().Key))
	case forImportDone:
		m.closeModal()
		return nil
	case forImportPlan:
		m.imp.plan = nil
	case forExportOverwrite:
		m.exportNotReplaced()
		return nil
	case forExportPath:
		m.closeModal()
		return m.setFlash(flashInfo, "cancelled; nothing written")
	}
	m.closeModal()
	return m.setFlash(flashInfo, "cancelled; nothing saved")
}

func (m *Model) draft(a backend.Action, warnings []string) tea.Cmd {
	m.modal.action = a
	m.modal.box = nil // the box closes; the flow waits for its drafts
	m.modal.waiting = true
	m.unfocusModal()
	return draftCmd(m.modal.flow, m.cfg.Desk, m.modal.targets, a, m.cfg.Operator, warnings)
}

// onDrafts decides between saving at once and asking first: a single
// edit with no side effect and no warning is saved straight away; bulk
// edits, customer emails, warnings and refusals are shown for confirmation.
func (m *Model) onDrafts(msg draftsMsg) tea.Cmd {
	if msg.flow != m.modal.flow {
		return nil
	}
	if msg.err != nil {
		m.modal = modal{}
		return m.setFlash(flashError, msg.err.Error())
	}
	if len(msg.drafts) == 0 {
		lines := []string{"The shop's rules refuse this for every order:"}
		for _, r := range msg.refused {
			lines = append(lines, fmt.Sprintf("%s: %s", r.ref, r.why))
		}
		m.message("Nothing to send", lines...)
		return nil
	}
	effects := sideEffects(msg.drafts)
	if len(msg.drafts) == 1 && len(msg.refused) == 0 && len(effects) == 0 && len(msg.warnings) == 0 {
		drafts := msg.drafts
		m.modal = modal{flow: msg.flow, waiting: true}
		return saveCmd(msg.flow, m.cfg.Desk, drafts)
	}
	m.modal.drafts = msg.drafts
	m.modal.purpose = forConfirm
	m.show(form.NewConfirm(m.confirmInput(msg, effects), m.styles, m.keys))
	return nil
}

func (m *Model) confirmInput(msg draftsMsg, effects []string) form.ConfirmInput {
	in := form.ConfirmInput{SideEffects: effects, Warnings: msg.warnings}
	summary := backend.Describe(m.modal.action)
	in.Title = fmt.Sprintf("%s — %d order(s)", summary, len(msg.drafts))
	in.ConfirmLabel = fmt.Sprintf("Save %d edit(s)", len(msg.drafts))
	if len(msg.drafts) == 1 {
		in.ConfirmLabel = "Save edit"
	}
	for _, e := range msg.drafts {
		line := fmt.Sprintf("%-*s %s", 16, e.Ref.String(), e.Summary)
		if e.Notifies {
			line += m.styles.Warn.Render("  ✉ emails the customer")
		}
		in.Lines = append(in.Lines, line)
	}
	for _, r := range msg.refused {
		in.Lines = append(in.Lines, m.styles.Muted.Render(fmt.Sprintf("%-*s skipped: %s", 16, r.ref.String(), r.why)))
	}
	return in
}

// onSaved reports the saved edits, shows their markers and sends them.
func (m *Model) onSaved(msg savedMsg) tea.Cmd {
	var cmds []tea.Cmd
	if msg.flow == m.modal.flow {
		m.modal = modal{}
	}
	refs := make([]backend.Ref, 0, len(msg.saved))
	for _, e := range msg.saved {
		refs = append(refs, e.Ref)
	}
	switch {
	case msg.err != nil:
		cmds = append(cmds, m.setFlash(flashError, "NOT saved: "+msg.err.Error()))
	case len(msg.saved) == 1:
		e := msg.saved[0]
		cmds = append(cmds, m.setFlash(flashInfo, fmt.Sprintf("saved %s: %s on %s", e.ID, e.Summary, e.Ref)))
	default:
		cmds = append(cmds, m.setFlash(flashInfo, fmt.Sprintf("saved %d edits", len(msg.saved))))
	}
	m.marked = map[backend.Ref]bool{}
	cmds = append(cmds, reread(m.cfg.Desk.Store, refs), m.refreshHealth())
	if !m.cfg.Offline {
		for _, s := range shopsOf(msg.saved) {
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
			flash = m.setFlash(flashError, fmt.Sprintf("%s %s: %s (kept; see Needs attention)", e.ID, e.State, e.Error))
		}
	}
	if msg.err != nil && flash == nil {
		flash = m.setFlash(flashWarn, fmt.Sprintf("%s: edits kept in the outbox: %s", msg.shop, backend.Reason(msg.err)))
	}
	return tea.Batch(flash, reread(m.cfg.Desk.Store, refs), m.refreshHealth())
}
