package desk

import (
	"fmt"
	"slices"
	"strings"

	tea "charm.land/bubbletea/v2"

	"orderdesk/backend"
	"orderdesk/backend/engine"
	"orderdesk/ui/form"
)

// statusFlow sets the status of the targets: the values their platforms
// offer are read (those the platform's rules refuse are listed with the
// reason), a picker that starts on "no change" — never on a value that
// cannot be undone — and then the shared end of every edit, where an
// irreversible value always asks first, focus on Cancel.
type statusFlow struct {
	editFlow
	picker *form.Picker
}

// choicesMsg is the status values offered for the targets.
type choicesMsg struct {
	choices []choice
	why     string // when nothing can be offered: the reason
}

// choice is one entry of a picker.
type choice struct {
	Label, Value, Hint, Why string
}

func newStatusFlow(e *env, id int, refs []backend.Ref) (flow, tea.Cmd) {
	f := &statusFlow{editFlow: newEditFlow(e, id, refs)}
	f.wait(true)
	return f, f.run(statusChoices(e.desk, refs))
}

func (f *statusFlow) update(msg tea.Msg) (tea.Cmd, action) {
	if act, ok := f.held(msg); ok {
		return nil, act
	}
	if msg, ok := msg.(choicesMsg); ok {
		if len(msg.choices) == 0 {
			f.message(string(backend.ActionStatus)+" is not available", msg.why)
			return nil, nil
		}
		keep := choice{Label: "no change", Hint: "keep the current status"}
		f.picker = form.NewPicker(targetsTitle("Set status of", f.targets), formChoices(append([]choice{keep}, msg.choices...)), f.env.styles, f.env.keys)
		f.show(f.picker)
		return nil, nil
	}
	if f.picker == nil || f.cur != box(f.picker) {
		return f.editFlow.update(msg)
	}
	out, cmd := f.picker.Update(msg)
	return f.fromForm(out, cmd, func() (backend.Action, []string, bool) {
		v := f.picker.Chosen().Value // "" is "no change"
		return backend.Action{Kind: backend.ActionStatus, Status: v}, nil, v != ""
	})
}

// statusChoices offers the status values of the targets' platforms: a
// value is available when the platform's rules allow it for at least one
// target, otherwise it is listed with the reason. A value that cannot be
// undone says so.
func statusChoices(d *engine.Desk, refs []backend.Ref) tea.Cmd {
	return func() tea.Msg {
		type stat struct {
			ok     int
			why    string
			label  string
			undone bool
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
			o, err := d.Reader().Order(ref)
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
				st.undone = st.undone || v.Irreversible != ""
			}
		}
		if len(order) == 0 {
			return choicesMsg{why: strings.Join(dedupe(whys), "; ")}
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
			if st.ok > 0 && st.undone {
				c.Hint = strings.TrimSpace(c.Hint + "  ⚠ cannot be undone: asks first")
			}
			out = append(out, c)
		}
		// available values first, each group in the platform's order
		slices.SortStableFunc(out, func(a, b choice) int {
			return boolRank(a.Why != "") - boolRank(b.Why != "")
		})
		return choicesMsg{choices: out}
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

func formChoices(cs []choice) []form.Choice {
	out := make([]form.Choice, len(cs))
	for i, c := range cs {
		out[i] = form.Choice{Label: c.Label, Value: c.Value, Hint: c.Hint, Why: c.Why}
	}
	return out
}
