package form

import (
	"strings"
	"testing"

	"github.com/charmbracelet/x/ansi"
)

// A message of several lines (one refused order a line) shows them as
// lines: cleaning the text of control characters must not run them
// together, while a control character inside a line is still dropped.
func TestMessageKeepsItsLines(t *testing.T) {
	m := NewMessage("Remark is not available", "sl:1001: already cancelled\nsl:1002: already \x1b[2Jcancelled", styles(), keymaps())
	var rows []string
	for _, l := range strings.Split(ansi.Strip(m.View(80, 24)), "\n") {
		rows = append(rows, strings.Trim(l, "│ "))
	}
	view := strings.Join(rows, "\n")
	if !strings.Contains(view, "\nsl:1001: already cancelled\nsl:1002: already [2Jcancelled\n") {
		t.Fatalf("the lines of the message:\n%s", view)
	}
}
