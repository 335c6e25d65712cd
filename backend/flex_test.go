package backend

import (
	"encoding/json"
	"strings"
	"testing"
	"time"
)

type flexDoc struct {
	S     Flex          `json:"s"`
	N     FlexInt       `json:"n"`
	T     Unix          `json:"t"`
	Addr  Obj[Address]  `json:"addr"`
	Items List[flexRow] `json:"items"`
}

type flexRow struct {
	Qty FlexInt `json:"qty"`
}

func TestFlexAcceptsPlatformShapes(t *testing.T) {
	cases := []struct {
		in      string
		s       string
		n       int64
		nSet    bool
		t       int64
		addrSet bool
		items   int
	}{
		{`{"s":"x","n":"12","t":"1488957225","addr":[],"items":[{"qty":"2"}]}`, "x", 12, true, 1488957225, false, 1},
		{`{"s":12,"n":12,"t":1621217914,"addr":{"city":"天津"},"items":{"qty":1}}`, "12", 12, true, 1621217914, true, 1},
		{`{"s":null,"n":null,"t":"0","addr":null,"items":null}`, "", 0, false, 0, false, 0},
		{`{"n":"","t":0,"addr":{},"items":{}}`, "", 0, false, 0, false, 0},
		{`{"s":true,"n":"111000.00"}`, "true", 111000, true, 0, false, 0},
	}
	for _, c := range cases {
		var d flexDoc
		if err := json.Unmarshal([]byte(c.in), &d); err != nil {
			t.Fatalf("%s: %v", c.in, err)
		}
		if string(d.S) != c.s || d.N.V != c.n || d.N.Set != c.nSet || d.Addr.Set != c.addrSet || len(d.Items) != c.items {
			t.Errorf("%s: got %+v", c.in, d)
		}
		if c.t == 0 && !d.T.T.IsZero() || c.t != 0 && d.T.T.Unix() != c.t {
			t.Errorf("%s: time = %v", c.in, d.T.T)
		}
		if c.t == 0 && d.T.Ptr() != nil {
			t.Errorf("%s: unset time must be nil", c.in)
		}
	}
}

func TestFlexErrorsNameTheField(t *testing.T) {
	cases := []struct{ in, field string }{
		{`{"n":"12abc"}`, "n"},
		{`{"t":"yesterday"}`, "t"},
		{`{"s":{"a":1}}`, "s"},
		{`{"items":[{"qty":"many"}]}`, "items.qty"},
		{`{"addr":[1]}`, "addr"},
	}
	for _, c := range cases {
		var d flexDoc
		err := json.Unmarshal([]byte(c.in), &d)
		if err == nil {
			t.Fatalf("%s: no error", c.in)
		}
		if !strings.Contains(err.Error(), c.field) {
			t.Errorf("%s: error %q does not name field %q", c.in, err, c.field)
		}
	}
}

func TestTimeParsing(t *testing.T) {
	shanghai := time.FixedZone("CST", 8*3600)
	got, err := ParseNaive("2023-02-03 17:09:19", shanghai)
	if err != nil || got.Format(time.RFC3339) != "2023-02-03T09:09:19Z" {
		t.Errorf("ParseNaive = %v, %v", got, err)
	}
	for _, unset := range []string{"", "0", "0000-00-00 00:00:00"} {
		if got, err := ParseNaive(unset, shanghai); got != nil || err != nil {
			t.Errorf("ParseNaive(%q) = %v, %v; want nil", unset, got, err)
		}
	}
	if _, err := ParseNaive("03/02/2023", shanghai); err == nil {
		t.Error("ParseNaive accepted a foreign format")
	}
	for in, want := range map[string]string{
		"2012-05-01T14:22:25-04:00":     "2012-05-01T18:22:25Z",
		"2021-08-04T23:59:59+08:00":     "2021-08-04T15:59:59Z",
		"2024-01-01T00:00:00.123Z":      "2024-01-01T00:00:00Z",
		"2024-01-01T08:00:00+0800":      "2024-01-01T00:00:00Z",
		"2024-01-01 08:00:00":           "2024-01-01T00:00:00Z", // no offset: shop zone
		"2024-01-01T08:00:00.999+08:00": "2024-01-01T00:00:00Z",
	} {
		got, err := ParseISO(in, shanghai)
		if err != nil || got.Format(time.RFC3339) != want {
			t.Errorf("ParseISO(%q) = %v, %v; want %s", in, got, err, want)
		}
	}
	if got := FormatShopDate(time.Date(2016, 9, 8, 17, 0, 0, 0, time.UTC), shanghai); got != "2016-9-9" {
		t.Errorf("FormatShopDate = %s", got)
	}
}

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
