package form

import (
	"fmt"
	"unicode/utf8"

	tea "charm.land/bubbletea/v2"
)

// refuseLonger says why msg's text is not put into a field of n
// characters that takes at most limit (backend.Max…), or "" when it fits
// or msg inserts no text. A field never cuts a paste silently: a paste
// that would not fit is refused whole, and the operator is told.
func refuseLonger(field string, n, limit int, msg tea.Msg) string {
	add, paste := 0, false
	switch m := msg.(type) {
	case tea.PasteMsg:
		add, paste = utf8.RuneCountInString(m.Content), true
	case tea.KeyPressMsg:
		add = utf8.RuneCountInString(m.Text)
	}
	if add == 0 || n+add <= limit {
		return ""
	}
	if paste {
		return fmt.Sprintf("the %s takes at most %d characters; the paste has %d (nothing pasted)", field, limit, add)
	}
	return fmt.Sprintf("the %s takes at most %d characters", field, limit)
}
