package desk

import (
	"errors"
	"fmt"
	"slices"
	"strings"

	tea "charm.land/bubbletea/v2"

	"orderdesk/backend"
	"orderdesk/backend/sync"
)

// An action runs as a flow: (choices) → form → drafts → (confirmation) →
// save → send. Each step's result carries the flow's id; a result for a
// flow the operator has since closed is dropped.

type (
	// choicesMsg is the status values offered for the targets.
	choicesMsg struct {
		flow    int
		choices []choice
		why     string // when nothing can be offered: the reason
	}
	// copyMsg is what can be copied from the order.
	copyMsg struct {
		flow    int
		choices []choice
		err     error
	}
	// draftsMsg is the edits that would be saved, and what was refused.
	draftsMsg struct {
		flow     int
		drafts   []*backend.Edit
		refused  []refusal
		warnings []string
		err      error
	}
	// savedMsg is the edits made durable in the outbox.
	savedMsg struct {
		flow  int
		saved []*backend.Edit
		err   error
	}
)

// choice is one entry of a picker.
type choice struct {
	Label, Value, Hint, Why string
}

// refusal is an order the platform's rules refuse the action for.
type refusal struct {
	ref backend.Ref
	why string
}

// statusChoices offers the status values of the targets' platforms: a
// value is available when the platform's rules allow it for at least one
// target, otherwise it is listed with the reason.
func statusChoices(flow int, d *sync.Desk, refs []backend.Ref) tea.Cmd {
	return func() tea.Msg {
		type stat struct {
			ok    int
			why   string
			label string
		}
		stats := map[string]*stat{}
		var order []string
		var whys []string
		for _, ref := range refs {
			s, ok := d.Shop(ref.Shop)
			if !ok {
				continue
			}
			c := s.Capabilities().Status
			if !c.Supported {
				whys = append(whys, fmt.Sprintf("%s (%s): %s", ref.Shop, s.Platform(), c.Why))
				continue
			}
			o, err := d.Store.Order(ref)
			if err != nil {
				whys = append(whys, err.Error())
				continue
			}
			for _, v := range c.Values {
				st := stats[v.Value]
				if st == nil {
					st = &stat{label: v.Label}
					stats[v.Value] = st
					order = append(order, v.Value)
				}
				if err := s.Check(o, backend.Action{Kind: backend.ActionStatus, Status: v.Value}); err != nil {
					if st.why == "" {
						st.why = backend.Reason(err)
					}
					continue
				}
				st.ok++
			}
		}
		if len(order) == 0 {
			return choicesMsg{flow: flow, why: strings.Join(dedupe(whys), "; ")}
		}
		var out []choice
		for _, v := range order {
			st := stats[v]
			c := choice{Label: statusLabel(v, st.label), Value: v}
			switch {
			case st.ok == 0:
				c.Why = st.why
			case len(refs) > 1:
				c.Hint = fmt.Sprintf("%d of %d orders", st.ok, len(refs))
			}
			out = append(out, c)
		}
		// available values first, each group in the platform's order
		slices.SortStableFunc(out, func(a, b choice) int {
			return boolRank(a.Why != "") - boolRank(b.Why != "")
		})
		return choicesMsg{flow: flow, choices: out}
	}
}

func statusLabel(value, label string) string {
	if label == "" || label == value {
		return value
	}
	return value + " — " + label
}

func boolRank(b bool) int {
	if b {
		return 1
	}
	return 0
}

func dedupe(s []string) []string {
	slices.Sort(s)
	return slices.Compact(s)
}

// draftCmd drafts the action for every target: refused ones are listed
// with the platform's reason, nothing is written.
func draftCmd(flow int, d *sync.Desk, refs []backend.Ref, a backend.Action, operator string, warnings []string) tea.Cmd {
	return func() tea.Msg {
		m := draftsMsg{flow: flow, warnings: slices.Clone(warnings)}
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
			m.warnings = append(m.warnings, trackingWarnings(d, refs, a.Shipment.TrackingNumber)...)
		}
		return m
	}
}

// trackingWarnings warns when the tracking number is already on another
// cached order, or goes on several orders at once.
func trackingWarnings(d *sync.Desk, refs []backend.Ref, number string) []string {
	var out []string
	if len(refs) > 1 {
		out = append(out, fmt.Sprintf("the same tracking number %s goes on %d orders", number, len(refs)))
	}
	others, err := d.Store.ByTracking(number)
	if err != nil {
		return append(out, "could not check the tracking number against other orders: "+err.Error())
	}
	for _, o := range others {
		if !slices.Contains(refs, o) {
			out = append(out, fmt.Sprintf("tracking number %s is already on %s", number, o))
		}
	}
	return out
}

// saveCmd makes drafts durable, one outbox write each. An edit that could
// not be saved is reported; the others stand.
func saveCmd(flow int, d *sync.Desk, drafts []*backend.Edit) tea.Cmd {
	return func() tea.Msg {
		m := savedMsg{flow: flow}
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
// customers, by platform.
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

// capabilityWhy returns why no target can take the action ("" when one can).
func capabilityWhy(d *sync.Desk, refs []backend.Ref, k backend.ActionKind) string {
	var whys []string
	for _, r := range refs {
		s, ok := d.Shop(r.Shop)
		if !ok {
			whys = append(whys, fmt.Sprintf("%s: shop not configured", r.Shop))
			continue
		}
		c := s.Capabilities().Of(k)
		if c.Supported {
			return ""
		}
		whys = append(whys, fmt.Sprintf("%s (%s): %s", r.Shop, s.Platform(), c.Why))
	}
	return strings.Join(dedupe(whys), "; ")
}
