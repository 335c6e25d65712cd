package backend

import (
	"encoding/json"
	"testing"
)

func TestRefParsing(t *testing.T) {
	cases := []struct {
		in         string
		shop, num  string
		wantErr    bool
		roundTrips bool
	}{
		{"eu-store:1100006617", "eu-store", "1100006617", false, true},
		{"1100006617", "", "1100006617", false, true},
		{"ym:SY20160902-595", "ym", "SY20160902-595", false, true},
		{" sl:#1001 ", "sl", "#1001", false, false},
		{"a:b:c", "a", "b:c", false, true},
		{":123", "", "", true, false},
		{"shop:", "", "", true, false},
		{"", "", "", true, false},
	}
	for _, c := range cases {
		r, err := ParseRef(c.in)
		if (err != nil) != c.wantErr {
			t.Errorf("ParseRef(%q) err = %v", c.in, err)
			continue
		}
		if r.Shop != c.shop || r.Number != c.num {
			t.Errorf("ParseRef(%q) = %+v", c.in, r)
		}
		if c.roundTrips && r.String() != c.in {
			t.Errorf("String() = %q, want %q", r.String(), c.in)
		}
	}
}

func TestOrderJSONHasSpecNamesAndEmptyLists(t *testing.T) {
	o := Order{Ref: Ref{Shop: "s", Number: "1"}, Shop: "s", Number: "1", Currency: "USD"}
	b, err := json.Marshal(o)
	if err != nil {
		t.Fatal(err)
	}
	var m map[string]any
	if err := json.Unmarshal(b, &m); err != nil {
		t.Fatal(err)
	}
	want := []string{"ref", "shop", "platform", "id", "number", "state", "raw_status", "status_label", "created_at", "updated_at", "paid_at", "cancelled_at", "currency", "totals", "base", "customer", "shipping_address", "billing_address", "items", "payments", "shipments", "remarks", "buyer_note", "tags", "pending", "synced_at"}
	if len(m) != len(want) {
		t.Errorf("order JSON has %d fields, want %d: %s", len(m), len(want), b)
	}
	for _, k := range want {
		if _, ok := m[k]; !ok {
			t.Errorf("order JSON lacks %q", k)
		}
	}
	if m["ref"] != "s:1" {
		t.Errorf("ref = %v", m["ref"])
	}
	for _, k := range []string{"items", "payments", "shipments", "remarks", "tags", "pending"} {
		if l, ok := m[k].([]any); !ok || len(l) != 0 {
			t.Errorf("%s = %v, want []", k, m[k])
		}
	}
	if m["created_at"] != nil || m["base"] != nil {
		t.Errorf("unset time/base must be null")
	}
}
