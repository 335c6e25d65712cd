package desk

import (
	tea "charm.land/bubbletea/v2"

	"orderdesk/backend"
	"orderdesk/ui/form"
)

// newRemarkFlow writes a remark on the targets: Fecshop and Fecmall say
// at once that they take none; the others get the remark editor.
func newRemarkFlow(e *env, id int, refs []backend.Ref) (flow, tea.Cmd) {
	f, cmd := newFormFlow(e, id, refs, backend.ActionRemark)
	f.open = func(checkedMsg) box {
		editor := form.NewRemarkForm(targetsTitle("Remark on", refs), e.styles, e.keys)
		f.read = func() (backend.Action, []string) {
			return backend.Action{Kind: backend.ActionRemark, Remark: editor.Text()}, nil
		}
		return editor
	}
	return f, cmd
}
