package desk

import (
	tea "charm.land/bubbletea/v2"

	"orderdesk/backend"
	"orderdesk/ui/form"
)

// remarkFlow writes a remark on the targets: it checks first that their
// platforms take remarks (Fecshop and Fecmall say why not at once), then
// the remark editor, then the shared end of every edit.
type remarkFlow struct {
	editFlow
	form *form.RemarkForm
}

func newRemarkFlow(e *env, id int, refs []backend.Ref) (flow, tea.Cmd) {
	f := &remarkFlow{editFlow: newEditFlow(e, id, refs)}
	f.wait(true)
	return f, f.run(checkCmd(e.desk, refs, backend.ActionRemark))
}

func (f *remarkFlow) update(msg tea.Msg) (tea.Cmd, action) {
	if act, ok := f.held(msg); ok {
		return nil, act
	}
	if msg, ok := msg.(checkedMsg); ok {
		f.onChecked(backend.ActionRemark, msg, func() box {
			f.form = form.NewRemarkForm(targetsTitle("Remark on", f.targets), f.env.styles, f.env.keys)
			return f.form
		})
		return nil, nil
	}
	if f.form == nil || f.cur != box(f.form) {
		return f.editFlow.update(msg)
	}
	out, cmd := f.form.Update(msg)
	return f.fromForm(out, cmd, func() (backend.Action, []string, bool) {
		return backend.Action{Kind: backend.ActionRemark, Remark: f.form.Text()}, nil, true
	})
}
