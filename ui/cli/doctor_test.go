package cli

import (
	"encoding/json"
	"strings"
	"testing"

	"orderdesk/backend/probe"
)

func TestWriteDoctor(t *testing.T) {
	d := Doctor{
		Shops: []probe.Report{
			{Shop: "eu", Platform: "fecshop", URL: "https://eu.example", Checks: []probe.Check{
				{ID: "dns", Name: "name resolution", Status: probe.OK, Detail: "eu.example → 203.0.113.1"},
				{ID: "clock", Name: "clock", Status: probe.Warn, Detail: "this machine's clock is 10 min ahead", Hint: "set it"},
			}},
			{Shop: "店", Platform: "shopline", URL: "https://x.example", Checks: []probe.Check{
				{ID: "auth", Name: "authentication", Status: probe.Fail, Detail: "SHOPLINE answered 401", Hint: "new token"},
				{ID: "read", Name: "read access", Status: probe.Skipped, Detail: "not tried: authentication failed"},
			}},
		},
		Local: []probe.Check{{ID: "config", Name: "config", Status: probe.Fail, Detail: "first line\nsecond line"}},
	}
	var b strings.Builder
	if err := WriteDoctor(&b, d, "table"); err != nil {
		t.Fatal(err)
	}
	want := `! eu  fecshop   https://eu.example  works, with a warning: this machine's clock is 10 min ahead — set it
    ✓ name resolution  eu.example → 203.0.113.1
    ! clock            this machine's clock is 10 min ahead — set it
✗ 店  shopline  https://x.example  failing: SHOPLINE answered 401 — new token
    ✗ authentication  SHOPLINE answered 401 — new token
    - read access     not tried: authentication failed
✗ this machine  failing: first line …
    ✗ config  first line
              second line
1 of 2 shops failing (店); warnings for eu; this machine has a problem
`
	if b.String() != want {
		t.Errorf("table:\n%s\nwant:\n%s", b.String(), want)
	}
	if !d.Failed() {
		t.Error("Failed() is false with a failing shop")
	}

	b.Reset()
	if err := WriteDoctor(&b, d, "json"); err != nil {
		t.Fatal(err)
	}
	var doc struct {
		OK    bool `json:"ok"`
		Shops []struct {
			Shop, Status, Cause string
			Checks              []probe.Check
		} `json:"shops"`
	}
	if err := json.Unmarshal([]byte(b.String()), &doc); err != nil {
		t.Fatal(err)
	}
	if doc.OK || len(doc.Shops) != 2 || doc.Shops[0].Status != "warn" || doc.Shops[1].Cause != "SHOPLINE answered 401 — new token" {
		t.Errorf("json: %+v", doc)
	}
}
