package desk

import (
	"strings"

	tea "charm.land/bubbletea/v2"

	"orderdesk/backend"
	"orderdesk/backend/storage"
	"orderdesk/ui/detail"
	"orderdesk/ui/form"
)

// copyFlow copies a part of the order (number, tracking, address, email,
// phone…) to the operator's clipboard through the terminal (OSC 52, so it
// works over SSH).
type copyFlow struct {
	base
	picker *form.Picker
}

// copyMsg is what can be copied from the order.
type copyMsg struct {
	choices []choice
	err     error
}

func newCopyFlow(e *env, id int, ref backend.Ref) (flow, tea.Cmd) {
	f := &copyFlow{base: base{id: id, env: e}}
	f.wait(true)
	return f, f.run(copyChoices(e.desk.Reader(), ref))
}

func (f *copyFlow) update(msg tea.Msg) (tea.Cmd, action) {
	if act, ok := f.held(msg); ok {
		return nil, act
	}
	if msg, ok := msg.(copyMsg); ok {
		switch {
		case msg.err != nil:
			return nil, done{errNote(msg.err.Error())}
		case len(msg.choices) == 0:
			return nil, done{info("nothing to copy")}
		}
		f.picker = form.NewPicker("Copy to the clipboard", formChoices(msg.choices), f.env.styles, f.env.keys)
		f.show(f.picker)
		return nil, nil
	}
	if f.picker == nil {
		return nil, nil
	}
	out, cmd := f.picker.Update(msg)
	switch out {
	case form.Cancelled:
		return cmd, done{}
	case form.Submitted:
		ch := f.picker.Chosen()
		return tea.Batch(cmd, tea.SetClipboard(ch.Value)), done{info("copied " + strings.ToLower(ch.Label))}
	}
	return cmd, nil
}

// copyChoices offers what can be copied from an order.
func copyChoices(st storage.Reader, ref backend.Ref) tea.Cmd {
	return func() tea.Msg {
		o, err := st.Order(ref)
		if err != nil {
			return copyMsg{err: err}
		}
		var out []choice
		for _, c := range detail.Copyable(o) {
			out = append(out, choice{Label: c.Label, Value: c.Text, Hint: firstLine(c.Text)})
		}
		return copyMsg{choices: out}
	}
}

func firstLine(s string) string {
	if i := strings.IndexByte(s, '\n'); i >= 0 {
		return s[:i] + " …"
	}
	return s
}
