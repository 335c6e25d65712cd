package form

import (
	"fmt"
	"strings"
	"testing"
)

func shipPreview(n int) []string {
	lines := make([]string, n)
	for i := range lines {
		lines[i] = fmt.Sprintf("shop-y:%04d  王小明  UPS 1Z5R89390357567127", 1001+i)
	}
	return lines
}

func TestConfirmFocusAndKeys(t *testing.T) {
	quiet := ConfirmInput{Title: "Set status", Lines: shipPreview(2), ConfirmLabel: "Set 2 orders to processing"}
	loud := ConfirmInput{Title: "Ship", Lines: shipPreview(3), ConfirmLabel: "Ship 3 orders",
		SideEffects: []string{"3 customers will get an email (ymcart shop-y: orderShip)"}}
	tests := []struct {
		name string
		in   ConfirmInput
		keys []string
		want Outcome
	}{
		{"no side effects: enter confirms", quiet, []string{"enter"}, Submitted},
		{"side effects: a stray enter cancels", loud, []string{"enter"}, Cancelled},
		{"side effects: move to confirm, then enter", loud, []string{"left", "enter"}, Submitted},
		{"right moves too", loud, []string{"right", "enter"}, Submitted},
		{"tab moves", loud, []string{"tab", "enter"}, Submitted},
		{"tab twice is back on cancel", loud, []string{"tab", "shift+tab", "enter"}, Cancelled},
		{"y confirms from cancel", loud, []string{"y"}, Submitted},
		{"n cancels from confirm", quiet, []string{"n"}, Cancelled},
		{"esc cancels", quiet, []string{"esc"}, Cancelled},
		{"ctrl+c cancels", quiet, []string{"ctrl+c"}, Cancelled},
		{"other keys wait", quiet, []string{"q", "x", "down"}, Open},
		{"cancel first: a stray enter cancels", ConfirmInput{Title: "Replace x.csv?", CancelFirst: true}, []string{"enter"}, Cancelled},
		{"cancel first: y replaces", ConfirmInput{Title: "Replace x.csv?", CancelFirst: true}, []string{"y"}, Submitted},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			c := NewConfirm(tt.in, styles(), keymaps())
			if out := keys(t, c, tt.keys...); out != tt.want {
				t.Errorf("%v: %v, want %v", tt.keys, out, tt.want)
			}
		})
	}
}

func TestConfirmShowsSideEffectsAndWarnings(t *testing.T) {
	c := NewConfirm(ConfirmInput{Title: "Ship", Lines: shipPreview(1), ConfirmLabel: "Ship 1 order",
		SideEffects: []string{"1 customer will get an email (ymcart shop-y: orderShip)"},
		Warnings:    []string{"1Z5R89390357567128: looks like UPS 1Z but the check digit does not match"}}, styles(), keymaps())
	view := c.View(80, 24)
	s := styles()
	for _, want := range []string{stylePrefix(s.Error.Render) + "✉ 1 customer will get an email",
		stylePrefix(s.Warn.Render) + "⚠ 1Z5R89390357567128"} {
		if !strings.Contains(view, want) {
			t.Errorf("view lacks %q:\n%s", want, plain(view))
		}
	}
	if !strings.Contains(plain(view), "[ Ship 1 order ]  [ Cancel ]") || c.Confirming() {
		t.Errorf("buttons wrong or focus on confirm:\n%s", plain(view))
	}
}

func TestConfirmScrollsThePreview(t *testing.T) {
	c := NewConfirm(ConfirmInput{Title: "Ship", Lines: shipPreview(40), ConfirmLabel: "Ship 40 orders"}, styles(), keymaps())
	view := plain(c.View(80, 24))
	requireFits(t, view, 80, 24)
	if !strings.Contains(view, "shop-y:1001") || strings.Contains(view, "shop-y:1040") || !strings.Contains(view, "of 40") {
		t.Fatalf("first page wrong:\n%s", view)
	}
	keys(t, c, "down")
	if view := plain(c.View(80, 24)); strings.Contains(view, "shop-y:1001") || !strings.Contains(view, "shop-y:1002") {
		t.Errorf("down did not scroll one line:\n%s", view)
	}
	keys(t, c, "pgdown", "pgdown", "pgdown", "pgdown", "pgdown")
	view = plain(c.View(80, 24))
	if !strings.Contains(view, "shop-y:1040") || !strings.Contains(view, "of 40") {
		t.Errorf("pgdown did not reach the end:\n%s", view)
	}
	keys(t, c, "pgup", "pgup", "pgup", "pgup", "pgup", "up")
	if view := plain(c.View(80, 24)); !strings.Contains(view, "shop-y:1001") {
		t.Errorf("pgup did not return to the start:\n%s", view)
	}
}

func TestMessageCloses(t *testing.T) {
	for k, want := range map[string]Outcome{"enter": Submitted, "space": Submitted, "esc": Cancelled, "ctrl+c": Cancelled, "q": Open} {
		m := NewMessage("Nothing to ship", "none of the marked orders can be shipped", styles(), keymaps())
		if out := keys(t, m, k); out != want {
			t.Errorf("%s: %v, want %v", k, out, want)
		}
	}
}
