package form

import (
	"fmt"
	"strings"
	"testing"

	tea "charm.land/bubbletea/v2"
)

func TestRemarkSubmit(t *testing.T) {
	tests := []struct {
		name    string
		run     func(t *testing.T, f *RemarkForm)
		outcome Outcome
		text    string
	}{
		{"enter saves", func(t *testing.T, f *RemarkForm) { typeText(t, f, "called the customer") },
			Submitted, "called the customer"},
		{"alt+enter starts a line", func(t *testing.T, f *RemarkForm) {
			typeText(t, f, "line one")
			keys(t, f, "alt+enter")
			typeText(t, f, "line two")
		}, Submitted, "line one\nline two"},
		{"ctrl+j starts a line", func(t *testing.T, f *RemarkForm) {
			typeText(t, f, "a")
			keys(t, f, "ctrl+j")
			typeText(t, f, "b")
		}, Submitted, "a\nb"},
		{"trimmed", func(t *testing.T, f *RemarkForm) {
			keys(t, f, "space", "alt+enter")
			typeText(t, f, "备注：已联系客户 ")
			keys(t, f, "alt+enter")
		}, Submitted, "备注：已联系客户"},
		{"paste keeps lines", func(t *testing.T, f *RemarkForm) { f.Update(tea.PasteMsg{Content: "x\ny"}) },
			Submitted, "x\ny"},
		{"letters are text", func(t *testing.T, f *RemarkForm) { typeText(t, f, "q y n j k") },
			Submitted, "q y n j k"},
		{"empty does not save", func(t *testing.T, f *RemarkForm) {}, Open, ""},
		{"blank does not save", func(t *testing.T, f *RemarkForm) { keys(t, f, "space", "ctrl+j", "space") }, Open, ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			f := NewRemarkForm("Remark on shop-a:1001", styles(), keymaps())
			tt.run(t, f)
			if out := keys(t, f, "enter"); out != tt.outcome {
				t.Fatalf("enter: %v, want %v", out, tt.outcome)
			}
			if f.Text() != tt.text {
				t.Errorf("Text() = %q, want %q", f.Text(), tt.text)
			}
			view := plain(f.View(80, 24))
			if said := strings.Contains(view, "the remark is empty"); said != (tt.outcome == Open) {
				t.Errorf("empty message shown = %v:\n%s", said, view)
			}
		})
	}
}

func TestRemarkMessageClearsWhenTyping(t *testing.T) {
	f := NewRemarkForm("Remark", styles(), keymaps())
	keys(t, f, "enter")
	typeText(t, f, "ok")
	if strings.Contains(plain(f.View(80, 24)), "the remark is empty") {
		t.Error("message stays after typing")
	}
}

func TestRemarkCancels(t *testing.T) {
	for _, k := range []string{"esc", "ctrl+c"} {
		f := NewRemarkForm("Remark", styles(), keymaps())
		typeText(t, f, "draft")
		if out := keys(t, f, k); out != Cancelled {
			t.Errorf("%s: %v, want cancelled", k, out)
		}
	}
}

func TestRemarkCursor(t *testing.T) {
	f := NewRemarkForm("Remark", styles(), keymaps())
	typeText(t, f, "已发货")
	keys(t, f, "ctrl+j")
	typeText(t, f, "ab")
	f.View(80, 24)
	c := f.Cursor()
	// border 1 + padding 1 + prompt "│ " 2 + "ab"; title, blank, first line above.
	if c == nil || c.X != 2+2+2 || c.Y != 1+2+1 {
		t.Fatalf("cursor %+v, want (6, 4)", c)
	}
	keys(t, f, "up")
	f.View(80, 24)
	if c := f.Cursor(); c.X != 2+2+2 || c.Y != 1+2 {
		t.Errorf("cursor after up %+v, want (6, 3): column 2 of 已发货 is one wide character in", c)
	}
}

func TestRemarkKeepsTheCursorInViewWhenResized(t *testing.T) {
	f := NewRemarkForm("Remark", styles(), keymaps())
	for i := 1; i <= 10; i++ {
		if i > 1 {
			keys(t, f, "ctrl+j")
		}
		typeText(t, f, fmt.Sprintf("line %d ends here", i))
	}
	// Narrowing wraps the lines, so the area must scroll further.
	for _, size := range [][2]int{{80, 24}, {80, 9}, {80, 24}, {80, 8}, {20, 12}, {14, 24}} {
		w, h := size[0], size[1]
		view := plain(f.View(w, h))
		requireFits(t, view, w, h)
		c := f.Cursor()
		if c == nil || !strings.Contains(view, "10") {
			t.Fatalf("at %d×%d the cursor line is not shown (cursor %v):\n%s", w, h, c, view)
		}
		if row := strings.Split(view, "\n")[c.Y]; !strings.Contains(row, "here") {
			t.Errorf("at %d×%d the cursor is on %q, want the last line", w, h, row)
		}
	}
}
