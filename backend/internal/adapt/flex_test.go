package adapt

import (
	"encoding/json"
	"strings"
	"testing"
	"time"

	"orderdesk/backend"
)

type flexDoc struct {
	S     Flex                 `json:"s"`
	N     FlexInt              `json:"n"`
	T     Unix                 `json:"t"`
	Addr  Obj[backend.Address] `json:"addr"`
	Items List[flexRow]        `json:"items"`
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
