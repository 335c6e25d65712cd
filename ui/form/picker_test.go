package form

import (
	"strings"
	"testing"
)

func statusChoices() []Choice {
	return []Choice{
		{Label: "pending", Value: "pending", Why: "the order is already paid"},
		{Label: "processing", Value: "processing", Hint: "being packed"},
		{Label: "holded", Value: "holded", Hint: "on hold"},
		{Label: "payment_confirmed", Value: "payment_confirmed", Why: "set by the payment gateway only"},
		{Label: "canceled", Value: "canceled", Hint: "cancel the order"},
		{Label: "complete", Value: "complete"},
		{Label: "dispatched", Value: "dispatched", Why: "use ship (s) to add tracking"},
	}
}

func TestPickerMovesOverAvailableChoices(t *testing.T) {
	tests := []struct {
		name  string
		keys  []string
		value string
	}{
		{"starts on the first available", nil, "processing"},
		{"down", []string{"down"}, "holded"},
		{"down skips the unavailable", []string{"down", "down"}, "canceled"},
		{"j and k move", []string{"j", "j", "k"}, "holded"},
		{"up stops at the first available", []string{"up", "up"}, "processing"},
		{"down stops at the last available", []string{"down", "down", "down", "down", "down", "down"}, "complete"},
		{"end", []string{"end"}, "complete"},
		{"home", []string{"end", "home"}, "processing"},
		{"pgdown goes far", []string{"pgdown"}, "complete"},
		{"letters jump", []string{"c"}, "canceled"},
		{"more letters narrow", []string{"c", "o"}, "complete"},
		{"jump skips the unavailable", []string{"p"}, "processing"},
		{"a letter that matches nothing stays", []string{"z"}, "processing"},
		{"a new letter starts over", []string{"c", "h"}, "holded"},
		{"k is a letter while typing", []string{"c", "k"}, "canceled"},
		{"uppercase matches", []string{"C", "O", "M"}, "complete"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			p := NewPicker("Status", statusChoices(), styles(), keymaps())
			if out := keys(t, p, tt.keys...); out != Open {
				t.Fatalf("outcome %v after moving", out)
			}
			if got := p.Chosen().Value; got != tt.value {
				t.Errorf("cursor on %q, want %q", got, tt.value)
			}
			if out := keys(t, p, "enter"); out != Submitted || p.Chosen().Value != tt.value {
				t.Errorf("enter: %v %q, want submitted %q", out, p.Chosen().Value, tt.value)
			}
		})
	}
}

func TestPickerCancels(t *testing.T) {
	for _, k := range []string{"esc", "ctrl+c"} {
		p := NewPicker("Status", statusChoices(), styles(), keymaps())
		if out := keys(t, p, k); out != Cancelled {
			t.Errorf("%s: %v, want cancelled", k, out)
		}
	}
	p := NewPicker("Status", statusChoices(), styles(), keymaps())
	if out := keys(t, p, "q"); out != Open {
		t.Errorf("q: %v, want open (q is not quit in a picker)", out)
	}
}

func TestPickerShowsWhyAChoiceIsMissing(t *testing.T) {
	p := NewPicker("Status", statusChoices(), styles(), keymaps())
	view := plain(p.View(80, 24))
	for _, want := range []string{"pending — the order is already paid", "dispatched — use ship (s) to add tracking", "› processing  being packed"} {
		if !strings.Contains(view, want) {
			t.Errorf("view lacks %q:\n%s", want, view)
		}
	}
	if p.Cursor() != nil {
		t.Error("a picker has no text cursor")
	}
}

func TestPickerWithNothingAvailable(t *testing.T) {
	choices := []Choice{{Label: "cancel", Value: "cancel", Why: "already shipped"}, {Label: "archive", Value: "archive", Why: "still open"}}
	p := NewPicker("Status", choices, styles(), keymaps())
	if out := keys(t, p, "down", "enter"); out != Open {
		t.Errorf("enter with nothing available: %v, want open", out)
	}
	if (p.Chosen() != Choice{}) {
		t.Errorf("chosen %+v, want none", p.Chosen())
	}
	if view := plain(p.View(80, 24)); !strings.Contains(view, "nothing can be chosen") {
		t.Errorf("box does not say nothing can be chosen:\n%s", view)
	}
}

func TestPickerScrollsToTheCursor(t *testing.T) {
	var choices []Choice
	for _, l := range strings.Fields("alpha bravo charlie delta echo foxtrot golf hotel india juliet kilo lima mike november oscar papa") {
		choices = append(choices, Choice{Label: l, Value: l})
	}
	p := NewPicker("Sort by", choices, styles(), keymaps())
	keys(t, p, "end")
	view := plain(p.View(40, 10))
	requireFits(t, view, 40, 10)
	if !strings.Contains(view, "› papa") || strings.Contains(view, "alpha") {
		t.Errorf("window does not follow the cursor to the end:\n%s", view)
	}
	if !strings.Contains(view, "of 16") {
		t.Errorf("no position line:\n%s", view)
	}
	keys(t, p, "home")
	if view := plain(p.View(40, 10)); !strings.Contains(view, "› alpha") {
		t.Errorf("window does not follow the cursor home:\n%s", view)
	}
}
