package fecshop

import "testing"

// TestIrreversibleStatusValues: every value the desk can set is listed with
// whether it cannot be undone (Fecshop: payment_canceled and refunded are
// final); the desk asks before those and a script needs --yes. A new
// settable value needs a row here.
func TestIrreversibleStatusValues(t *testing.T) {
	want := []struct {
		value        string
		irreversible bool
	}{
		{"payment_pending", false},
		{"payment_processing", false},
		{"payment_confirmed", false},
		{"payment_canceled", true},
		{"holded", false},
		{"payment_suspected_fraud", false},
		{"processing", false},
		{"dispatched", false},
		{"refunded", true},
		{"completed", false},
	}
	caps := (&Shop{}).Capabilities()
	if len(caps.Status.Values) != len(want) {
		t.Errorf("%d settable values, %d rows: %+v", len(caps.Status.Values), len(want), caps.Status.Values)
	}
	for _, w := range want {
		what := caps.IrreversibleStatus(w.value)
		if (what != "") != w.irreversible {
			t.Errorf("%s: irreversible %q, want irreversible=%t", w.value, what, w.irreversible)
		}
		found := false
		for _, v := range caps.Status.Values {
			found = found || v.Value == w.value
		}
		if !found {
			t.Errorf("%s is not a settable value", w.value)
		}
	}
}
