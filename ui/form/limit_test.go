package form

import (
	"strings"
	"testing"
	"unicode/utf8"

	tea "charm.land/bubbletea/v2"

	"orderdesk/backend"
)

// A field takes at most its limit: a longer paste is refused whole (never
// cut) with the limit named, typing stops at the limit, and a value over
// the limit from before the form opened is refused on submit.
func TestShipFieldsKeepToTheDesksLimits(t *testing.T) {
	f := newShip(ShipInput{})
	f.Update(tea.PasteMsg{Content: strings.Repeat("运", backend.MaxCarrier+1)})
	if v := f.fields[carrierField].value(); v != "" || !strings.Contains(f.message, "the carrier takes at most 100 characters; the paste has 101") {
		t.Fatalf("carrier %d characters, message %q", utf8.RuneCountInString(v), f.message)
	}
	typeText(t, f, "UPS")
	keys(t, f, "tab")
	f.Update(tea.PasteMsg{Content: strings.Repeat("9", 20<<20)})
	if v := f.fields[numberField].value(); v != "" || !strings.Contains(f.message, "at most 64 characters; the paste has 20971520") {
		t.Fatalf("number %d characters, message %q", len(v), f.message)
	}
	typeText(t, f, strings.Repeat("9", backend.MaxTrackingNumber+5))
	if n := len(f.fields[numberField].value()); n != backend.MaxTrackingNumber || !strings.Contains(f.message, "the tracking number takes at most 64") {
		t.Fatalf("typed number has %d characters, message %q", n, f.message)
	}

	long := newShip(ShipInput{Initial: backend.Shipment{Carrier: "UPS", TrackingNumber: strings.Repeat("1", 70)}})
	if out := keys(t, long, "enter", "enter"); out != Open || !strings.Contains(long.message, "the tracking number is 70 characters long; at most 64") ||
		long.focus != numberField || !long.fields[numberField].marked {
		t.Fatalf("submit of a long initial number: %v, focus %d, message %q", out, long.focus, long.message)
	}
}

func TestRemarkKeepsToTheDesksLimit(t *testing.T) {
	f := NewRemarkForm("Remark", styles(), keymaps())
	f.Update(tea.PasteMsg{Content: strings.Repeat("r", backend.MaxRemark+1)})
	if f.Text() != "" || !strings.Contains(f.message, "the remark takes at most 1000 characters; the paste has 1001") {
		t.Fatalf("remark %d characters, message %q", len(f.Text()), f.message)
	}
	f.Update(tea.PasteMsg{Content: strings.Repeat("r", backend.MaxRemark)})
	if len(f.Text()) != backend.MaxRemark {
		t.Fatalf("a remark of exactly the limit: %d characters", len(f.Text()))
	}
	typeText(t, f, "x")
	if len(f.Text()) != backend.MaxRemark || !strings.Contains(f.message, "at most 1000") {
		t.Fatalf("typing past the limit: %d characters, message %q", len(f.Text()), f.message)
	}
	keys(t, f, "alt+enter")
	if out := keys(t, f, "enter"); out != Submitted {
		// a new line at the end is trimmed: the remark is still 1000
		t.Fatalf("enter on a remark at its limit: %v %q", out, f.message)
	}
}
