package desk

import (
	"errors"
	"fmt"
	"slices"
	"strings"

	tea "charm.land/bubbletea/v2"

	"orderdesk/backend"
	"orderdesk/backend/engine"
	"orderdesk/ui/form"
)

// editFlow is what the status, ship and remark flows share: their targets
// and, once the operator has said what to do, the end of every edit: the
// action is drafted for every target in the background (nothing written),
// shown for confirmation when it must be, saved, and handed to the desk
// (saved). A single edit without side effect, warning or irreversible
// consequence is saved at once; bulk edits, customer emails, warnings,
// refusals and what cannot be undone are shown first.
type editFlow struct {
	base
	targets []backend.Ref
	action  backend.Action
	drafts  []*backend.Edit
	confirm *form.Confirm
}

type (
	// checkedMsg is which targets can take an action in their cached state
	// (before its form opens), and why the others cannot.
	checkedMsg struct {
		ok      []backend.Ref
		refused []refusal
	}
	// draftsMsg is the edits that would be saved, and what was refused.
	draftsMsg struct {
		drafts   []*backend.Edit
		refused  []refusal
		warnings []string
		err      error
	}
	// savedMsg is the edits made durable in the outbox.
	savedMsg struct {
		saved []*backend.Edit
		err   error
	}
)

// refusal is an order the platform's rules refuse the action for.
type refusal struct {
	ref backend.Ref
	why string
}

func newEditFlow(e *env, id int, refs []backend.Ref) editFlow {
	return editFlow{base: base{id: id, env: e}, targets: refs}
}

// formFlow is an edit flow whose action comes from one form (the ship
// form, the remark editor): it first checks which targets can take an
// action of its kind at all in their cached state (a void order cannot
// ship, a Fecshop order takes no remark: said at once, before anything is
// typed), then shows the form, then the shared end of every edit.
type formFlow struct {
	editFlow
	kind backend.ActionKind
	form box
	// open builds the form from what the check found; read turns the
	// submitted form into the action and its warnings.
	open func(c checkedMsg) box
	read func() (backend.Action, []string)
}

func newFormFlow(e *env, id int, refs []backend.Ref, k backend.ActionKind) (*formFlow, tea.Cmd) {
	f := &formFlow{editFlow: newEditFlow(e, id, refs), kind: k}
	f.wait(true)
	return f, f.run(checkCmd(e.desk, refs, k))
}

func (f *formFlow) update(msg tea.Msg) (tea.Cmd, action) {
	if act, ok := f.held(msg); ok {
		return nil, act
	}
	if msg, ok := msg.(checkedMsg); ok {
		if len(msg.ok) == 0 {
			f.message(fmt.Sprintf("%s is not available", f.kind), refusedLines(msg.refused)...)
			return nil, nil
		}
		f.form = f.open(msg)
		f.show(f.form)
		return nil, nil
	}
	if f.form == nil || f.cur != f.form {
		return f.editFlow.update(msg)
	}
	out, cmd := f.form.Update(msg)
	return f.fromForm(out, cmd, func() (backend.Action, []string, bool) {
		a, warnings := f.read()
		return a, warnings, true
	})
}

// fromForm goes on from the flow's own form: esc ends the flow, a submit
// drafts the action the form gives (act), unless act says there is none.
func (f *editFlow) fromForm(out form.Outcome, cmd tea.Cmd, act func() (a backend.Action, warnings []string, ok bool)) (tea.Cmd, action) {
	switch out {
	case form.Cancelled:
		return cmd, done{info("cancelled; nothing saved")}
	case form.Submitted:
		a, warnings, ok := act()
		if !ok {
			return cmd, done{info(string(a.Kind) + " not changed")}
		}
		return tea.Batch(cmd, f.draft(a, warnings)), nil
	}
	return cmd, nil
}

// draft starts drafting a: the form closes, the flow waits for the drafts.
func (f *editFlow) draft(a backend.Action, warnings []string) tea.Cmd {
	f.action = a
	f.cur = nil
	f.wait(false)
	return f.run(draftCmd(f.env.desk, f.targets, a, f.env.operator, warnings))
}

// update handles the shared steps: drafts, the confirmation, the save,
// and information boxes (closing one ends the flow).
func (f *editFlow) update(msg tea.Msg) (tea.Cmd, action) {
	switch msg := msg.(type) {
	case draftsMsg:
		return f.onDrafts(msg)
	case savedMsg:
		return nil, saved{edits: msg.saved, err: msg.err}
	}
	if f.cur == nil {
		return nil, nil
	}
	out, cmd := f.cur.Update(msg)
	switch {
	case f.confirm != nil && f.cur == box(f.confirm) && out == form.Submitted:
		f.cur = nil
		f.wait(false) // a save cannot be abandoned
		return tea.Batch(cmd, f.run(saveCmd(f.env.desk, f.drafts))), nil
	case out == form.Cancelled && f.confirm != nil && f.cur == box(f.confirm):
		return cmd, done{info("cancelled; nothing saved")}
	case out == form.Submitted || out == form.Cancelled:
		return cmd, done{} // an information box was closed
	}
	return cmd, nil
}

// onDrafts decides between saving at once and asking first.
func (f *editFlow) onDrafts(msg draftsMsg) (tea.Cmd, action) {
	if msg.err != nil {
		return nil, done{errNote(msg.err.Error())}
	}
	if len(msg.drafts) == 0 {
		lines := []string{"The shop's rules refuse this for every order:"}
		for _, r := range msg.refused {
			lines = append(lines, fmt.Sprintf("%s: %s", r.ref, r.why))
		}
		f.message("Nothing to send", lines...)
		return nil, nil
	}
	effects := sideEffects(msg.drafts)
	undo := irreversible(f.env.desk, msg.drafts)
	if len(msg.drafts) == 1 && len(msg.refused) == 0 && len(effects) == 0 && len(msg.warnings) == 0 && len(undo) == 0 {
		f.wait(false)
		return f.run(saveCmd(f.env.desk, msg.drafts)), nil
	}
	f.drafts = msg.drafts
	f.confirm = form.NewConfirm(f.confirmInput(msg, effects, undo), f.env.styles, f.env.keys)
	f.show(f.confirm)
	return nil, nil
}

func (f *editFlow) confirmInput(msg draftsMsg, effects, undo []string) form.ConfirmInput {
	s := f.env.styles
	in := form.ConfirmInput{SideEffects: effects, Warnings: msg.warnings, Irreversible: undo, CancelFirst: len(undo) > 0}
	in.Title = fmt.Sprintf("%s — %d order(s)", backend.Describe(f.action), len(msg.drafts))
	in.ConfirmLabel = fmt.Sprintf("Save %d edit(s)", len(msg.drafts))
	if len(msg.drafts) == 1 {
		in.ConfirmLabel = "Save edit"
	}
	for _, e := range msg.drafts {
		line := fmt.Sprintf("%-*s %s", 16, e.Ref.String(), e.Summary)
		if e.Notifies {
			line += s.Warn.Render("  ✉ emails the customer")
		}
		in.Lines = append(in.Lines, line)
	}
	for _, r := range msg.refused {
		in.Lines = append(in.Lines, s.Muted.Render(fmt.Sprintf("%-*s skipped: %s", 16, r.ref.String(), r.why)))
	}
	return in
}

// checkCmd tells, before a form opens, which targets can take an action
// of kind k at all in their cached state: the platform supports it and
// its rules allow it (a void order cannot ship, whatever is typed). The
// probe action stands for what the operator will type.
func checkCmd(d *engine.Desk, refs []backend.Ref, k backend.ActionKind) tea.Cmd {
	return func() tea.Msg {
		var m checkedMsg
		probe := probeAction(k)
		for _, ref := range refs {
			s, ok := d.Shop(ref.Shop)
			if !ok {
				m.refused = append(m.refused, refusal{ref, "shop not configured"})
				continue
			}
			if c := s.Capabilities().Of(k); !c.Supported {
				m.refused = append(m.refused, refusal{ref, fmt.Sprintf("%s: %s", s.Platform(), c.Why)})
				continue
			}
			o, err := d.Reader().Order(ref)
			if err != nil {
				m.refused = append(m.refused, refusal{ref, err.Error()})
				continue
			}
			if err := s.Check(o, probe); err != nil {
				m.refused = append(m.refused, refusal{ref, backend.Reason(err)})
				continue
			}
			m.ok = append(m.ok, ref)
		}
		return m
	}
}

// probeAction is an action of kind k as the operator could complete it:
// what Check says of it is what the order's state allows.
func probeAction(k backend.ActionKind) backend.Action {
	switch k {
	case backend.ActionShip:
		return backend.Action{Kind: k, Shipment: backend.Shipment{Carrier: "UPS", TrackingNumber: "1Z999AA10123456784"}}
	case backend.ActionRemark:
		return backend.Action{Kind: k, Remark: "remark"}
	}
	return backend.Action{Kind: k}
}

// refusedLines explains why an action cannot happen: one line per
// reason, in the order first met, naming its order, or for several how
// many and the first few (marked orders of one read-only shop share one).
func refusedLines(refused []refusal) []string {
	var whys []string
	refs := map[string][]string{}
	for _, r := range refused {
		if refs[r.why] == nil {
			whys = append(whys, r.why)
		}
		refs[r.why] = append(refs[r.why], r.ref.String())
	}
	out := make([]string, 0, len(whys))
	for _, why := range whys {
		rs := refs[why]
		if len(rs) == 1 {
			out = append(out, rs[0]+": "+why)
			continue
		}
		const named = 3
		list := strings.Join(rs[:min(len(rs), named)], ", ")
		if len(rs) > named {
			list += ", …"
		}
		out = append(out, fmt.Sprintf("%s (%d orders): %s", list, len(rs), why))
	}
	return out
}

// draftCmd drafts the action for every target: refused ones are listed
// with the platform's reason, nothing is written.
func draftCmd(d *engine.Desk, refs []backend.Ref, a backend.Action, operator string, warnings []string) tea.Cmd {
	return func() tea.Msg {
		m := draftsMsg{warnings: slices.Clone(warnings)}
		for _, ref := range refs {
			e, err := d.Draft(ref, a, operator)
			var be *backend.Error
			switch {
			case errors.As(err, &be):
				m.refused = append(m.refused, refusal{ref, backend.Reason(err)})
			case err != nil:
				m.refused = append(m.refused, refusal{ref, err.Error()})
			default:
				m.drafts = append(m.drafts, e)
			}
		}
		if a.Kind == backend.ActionShip && a.Shipment.TrackingNumber != "" {
			sent := make([]backend.Ref, len(m.drafts))
			for i, e := range m.drafts {
				sent[i] = e.Ref
			}
			m.warnings = append(m.warnings, trackingWarnings(d, sent, refs, a.Shipment.TrackingNumber)...)
		}
		return m
	}
}

// trackingWarnings warns when the tracking number is already on a cached
// order outside the action's targets, or goes on several of the orders
// sent (refused targets get nothing, so they are not counted).
func trackingWarnings(d *engine.Desk, sent, targets []backend.Ref, number string) []string {
	var out []string
	if len(sent) > 1 {
		out = append(out, fmt.Sprintf("the same tracking number %s goes on %d orders", number, len(sent)))
	}
	others, err := d.Reader().ByTracking(number)
	if err != nil {
		return append(out, "could not check the tracking number against other orders: "+err.Error())
	}
	for _, o := range others {
		if !slices.Contains(targets, o) {
			out = append(out, fmt.Sprintf("tracking number %s is already on %s", number, o))
		}
	}
	return out
}

// saveCmd makes drafts durable, one outbox write each. An edit that could
// not be saved is reported; the others stand.
func saveCmd(d *engine.Desk, drafts []*backend.Edit) tea.Cmd {
	return func() tea.Msg {
		var m savedMsg
		var errs []error
		for _, e := range drafts {
			if err := d.Save(e); err != nil {
				errs = append(errs, fmt.Errorf("%s: %w", e.Ref, err))
				continue
			}
			m.saved = append(m.saved, e)
		}
		m.err = errors.Join(errs...)
		return m
	}
}

// sideEffects names what the drafts do beyond the shop's admin: emails to
// customers, counted per platform (each platform decides for its own
// orders: YMCart always emails, SHOPLINE only when asked).
func sideEffects(drafts []*backend.Edit) []string {
	by := map[backend.Platform]int{}
	var plats []backend.Platform
	for _, e := range drafts {
		if !e.Notifies {
			continue
		}
		if by[e.Platform] == 0 {
			plats = append(plats, e.Platform)
		}
		by[e.Platform]++
	}
	var out []string
	for _, p := range plats {
		n := by[p]
		who := "1 customer gets"
		if n > 1 {
			who = fmt.Sprintf("%d customers get", n)
		}
		out = append(out, fmt.Sprintf("%s an email from the shop (%s sends one for this action)", who, p))
	}
	return out
}

// irreversible names what the drafts do that cannot be undone, per
// platform: "cancels the order on SHOPLINE: … (2 orders: sl:#1001, …)".
func irreversible(d *engine.Desk, drafts []*backend.Edit) []string {
	type group struct {
		what string
		refs []string
	}
	var groups []*group
	for _, e := range drafts {
		if e.Action.Kind != backend.ActionStatus {
			continue
		}
		s, ok := d.Shop(e.Ref.Shop)
		if !ok {
			continue
		}
		what := s.Capabilities().IrreversibleStatus(e.Action.Status)
		if what == "" {
			continue
		}
		i := slices.IndexFunc(groups, func(g *group) bool { return g.what == what })
		if i < 0 {
			groups = append(groups, &group{what: what})
			i = len(groups) - 1
		}
		groups[i].refs = append(groups[i].refs, e.Ref.String())
	}
	out := make([]string, 0, len(groups))
	for _, g := range groups {
		refs := g.refs
		more := ""
		if len(refs) > 3 {
			refs, more = refs[:3], fmt.Sprintf(" and %d more", len(g.refs)-3)
		}
		out = append(out, fmt.Sprintf("%s — %s%s", g.what, strings.Join(refs, ", "), more))
	}
	return out
}

// shopsOf lists the distinct shops of some edits, in first-seen order.
func shopsOf(edits []*backend.Edit) []string {
	var out []string
	for _, e := range edits {
		if !slices.Contains(out, e.Ref.Shop) {
			out = append(out, e.Ref.Shop)
		}
	}
	return out
}

// targetsTitle is "Ship sl-global:#1001" or "Ship 3 marked orders".
func targetsTitle(verb string, refs []backend.Ref) string {
	if len(refs) == 1 {
		return fmt.Sprintf("%s %s", verb, refs[0])
	}
	return fmt.Sprintf("%s %d marked orders", verb, len(refs))
}

func dedupe(s []string) []string {
	slices.Sort(s)
	return slices.Compact(s)
}
