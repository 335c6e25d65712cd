package form

import (
	"strings"
	"testing"

	tea "charm.land/bubbletea/v2"
	"github.com/charmbracelet/x/ansi"
)

func TestPromptKeys(t *testing.T) {
	p := NewPrompt(PromptInput{Title: "Import", Hint: "columns: order, carrier, tracking", Does: "read"}, styles(), keymaps())
	if out := keys(t, p, "enter"); out != Open || !strings.Contains(plain(p.View(80, 20)), "type a file path") {
		t.Fatalf("a blank path was submitted (%v) or not refused:\n%s", out, plain(p.View(80, 20)))
	}
	// letters bound elsewhere (q quits, y copies, j moves) are text here
	typeText(t, p, "~/qjy/跟踪.csv")
	if p.Value() != "~/qjy/跟踪.csv" {
		t.Fatalf("value %q", p.Value())
	}
	if strings.Contains(plain(p.View(80, 20)), "type a file path") {
		t.Fatal("typing did not clear the refusal")
	}
	if out := keys(t, p, "enter"); out != Submitted {
		t.Fatalf("enter: %v", out)
	}
	if out := keys(t, p, "esc"); out != Cancelled {
		t.Fatalf("esc: %v", out)
	}
	if out := keys(t, p, "ctrl+c"); out != Cancelled {
		t.Fatalf("ctrl+c: %v", out)
	}
	p.Update(tea.PasteMsg{Content: "x"})
	if p.Value() != "~/qjy/跟踪.csvx" {
		t.Fatalf("paste: %q", p.Value())
	}
}

func TestPromptShowsErrorAndStatus(t *testing.T) {
	p := NewPrompt(PromptInput{Title: "Import", Value: "/tmp/t.csv"}, styles(), keymaps())
	p.SetStatus("reading /tmp/t.csv…")
	if !strings.Contains(plain(p.View(80, 20)), "reading /tmp/t.csv…") {
		t.Fatal("no status")
	}
	p.SetError("line 1: the header has no column for order (order or 订单号)")
	view := p.View(60, 20)
	requireFits(t, view, 60, 20)
	s := plain(view)
	if strings.Contains(s, "reading") || !strings.Contains(s, "the header has no column") {
		t.Fatalf("error shown:\n%s", s)
	}
	if !strings.Contains(view, stylePrefix(p.st.Error.Render)+"line 1: the header") {
		t.Fatal("the error is not in the error colour")
	}
}

// The real cursor sits after the text, counted in display columns.
func TestPromptCursorAfterCJK(t *testing.T) {
	p := NewPrompt(PromptInput{Title: "Import", Value: "订单.csv"}, styles(), keymaps())
	view := p.View(80, 20)
	c := p.Cursor()
	if c == nil {
		t.Fatal("no cursor")
	}
	lines := strings.Split(plain(view), "\n")
	line := lines[c.Y]
	i := strings.Index(line, "订单.csv")
	if i < 0 {
		t.Fatalf("cursor row %d is %q", c.Y, line)
	}
	if want := ansi.StringWidth(line[:i]) + ansi.StringWidth("订单.csv"); c.X != want {
		t.Fatalf("cursor at column %d, want %d (after the text)", c.X, want)
	}
}
