package platforms

import (
	"slices"
	"testing"

	"orderdesk/backend"
	"orderdesk/backend/simshop"
)

// TestIrreversibleStatusValues: every status value each platform lets the
// desk set, with whether it cannot be undone (the desk asks before those,
// focus on Cancel, and a script needs --yes). One table for the four
// platforms; a new settable value needs a row here.
func TestIrreversibleStatusValues(t *testing.T) {
	want := map[backend.Platform][]struct {
		value        string
		irreversible bool
	}{
		backend.Fecshop: {{"payment_pending", false}, {"payment_processing", false}, {"payment_confirmed", false},
			{"payment_canceled", true}, {"holded", false}, {"payment_suspected_fraud", false}, {"processing", false},
			{"dispatched", false}, {"refunded", true}, {"completed", false}},
		backend.Fecmall:  nil, // read-only: nothing can be set
		backend.Shopline: {{"cancel", true}, {"archive", true}, {"unarchive", false}},
		backend.YMCart:   {{"100", false}, {"102", false}, {"200", false}, {"600", true}, {"700", false}},
	}
	for _, p := range Names() {
		srv, err := simshop.New(p, simshop.Options{Seed: 3, Orders: 1})
		if err != nil {
			t.Fatal(err)
		}
		shop, err := Open(srv.Config("s"))
		srv.Close()
		if err != nil {
			t.Fatal(err)
		}
		caps := shop.Capabilities()
		if got := StatusValues(p); !slices.Equal(got, caps.Status.Values) {
			t.Errorf("%s: StatusValues %v, the shop's capabilities %v", p, got, caps.Status.Values)
		}
		rows := want[p]
		var values []string
		for _, v := range caps.Status.Values {
			values = append(values, v.Value)
		}
		if len(values) != len(rows) {
			t.Errorf("%s: settable values %v, %d rows", p, values, len(rows))
		}
		for _, w := range rows {
			if !slices.Contains(values, w.value) {
				t.Errorf("%s: %s is not a settable value", p, w.value)
			}
			if what := caps.IrreversibleStatus(w.value); (what != "") != w.irreversible {
				t.Errorf("%s %s: irreversible %q, want irreversible=%t", p, w.value, what, w.irreversible)
			}
		}
	}
}
