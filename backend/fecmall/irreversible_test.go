package fecmall

import "testing"

// TestIrreversibleStatusValues: Fecmall is read-only for the desk: no
// status can be set, so none is marked irreversible.
func TestIrreversibleStatusValues(t *testing.T) {
	caps := (&Shop{}).Capabilities()
	if caps.Status.Supported || len(caps.Status.Values) != 0 {
		t.Errorf("fecmall offers status values: %+v", caps.Status)
	}
	for _, v := range []string{"canceled", "refunded", "cancel"} {
		if what := caps.IrreversibleStatus(v); what != "" {
			t.Errorf("%s marked irreversible: %q", v, what)
		}
	}
}
