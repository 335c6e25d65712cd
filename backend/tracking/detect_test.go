package tracking

import (
	"slices"
	"strings"
	"testing"
)

// want is the expected candidate, shortened: carrier code, format, checksum.
type want struct {
	code, format string
	checksum     bool
}

func summarize(cs []Candidate) []want {
	out := []want{}
	for _, c := range cs {
		out = append(out, want{c.Carrier.Code, c.Format, c.Checksum})
	}
	return out
}

func TestDetect(t *testing.T) {
	tests := []struct {
		number string
		want   []want
	}{
		{"1Z5R89390357567127", []want{{"ups", "UPS 1Z", true}}},
		{"1z 999 aa1 0123 4567 84", []want{{"ups", "UPS 1Z", true}}},
		{"K2479825491", []want{{"ups", "UPS waybill", true}}},
		// A 92 IMpb is also how FedEx Ground Economy labels parcels: both
		// carriers, USPS first (its own format, higher rank).
		{"9212345678901234567891", []want{{"usps", "USPS IMpb", true}, {"fedex", "FedEx Ground Economy (IMpb 92)", true}}},
		{"9400111206206406260787", []want{{"usps", "USPS IMpb", true}}},
		// 123456789012 passes the FedEx Express check digit (as about 1 in 10
		// random 12-digit strings do); no other format here has 12 digits.
		{"123456789012", []want{{"fedex", "FedEx Express 12", true}}},
		{"986578788855", []want{{"fedex", "FedEx Express 12", true}}},
		{"123456789012343", []want{{"fedex", "FedEx Ground 15", true}}},
		{"3318810025", []want{{"dhl", "DHL Express", true}}},
		{"71123456789000000005", []want{{"usps", "USPS 20 (IMpb without 91)", true}}},
		{"EE123456785CN", []want{{"ems", "UPU S10", true}}},
		{"EA123456785US", []want{{"ems", "UPU S10", true}}},
		{"RB123456785CN", []want{{"china-post", "UPU S10", true}}},
		{"RA123456785US", []want{{"usps", "UPU S10", true}}},
		{"RB123456785GB", []want{{"s10", "UPU S10", true}}},
		{"YT2229521272164446", []want{{"yunexpress", "YunExpress YT", false}}},
		{"SF1410289486215", []want{{"sf", "SF Express", false}}},
		{"JJD0012345678", []want{{"dhl", "DHL Express piece ID", false}}},
		// Nothing: wrong check digits, unknown country, seed junk.
		{"1Z5R89390357567128", []want{}},
		{"EE123456789CN", []want{}},
		{"EE123456785XX", []want{}},
		{"3318810026", []want{}},
		{"UPS95338", []want{}},
		{"test123", []want{}},
		{"LN00000000", []want{}},
		{"4PX3000123456CN", []want{}}, // 4PX has no known format
		{"", []want{}},
	}
	for _, tt := range tests {
		if got := summarize(Detect(tt.number)); !slices.Equal(got, tt.want) {
			t.Errorf("Detect(%q) = %v, want %v", tt.number, got, tt.want)
		}
	}
}

func TestDetectS10Details(t *testing.T) {
	cs := Detect("rb 123 456 785 gb")
	if len(cs) != 1 {
		t.Fatalf("Detect = %v, want one candidate", cs)
	}
	c := cs[0]
	if c.Country != "GB" || c.Service != "registered" || c.Number != "RB123456785GB" || c.Carrier.Name != "Postal (S10)" {
		t.Errorf("candidate = %+v", c)
	}
	if s := c.String(); s != "Postal (S10) GB: UPU S10, registered, check digit OK" {
		t.Errorf("String() = %q", s)
	}
}

func TestDetectStripsUSPSRouting(t *testing.T) {
	for _, n := range []string{"420 10001 9400 1112 0620 6406 2607 87", "420100011234 9400111206206406260787"} {
		cs := Detect(n)
		if len(cs) != 1 || cs[0].Carrier.Code != "usps" || cs[0].Number != "9400111206206406260787" {
			t.Errorf("Detect(%q) = %+v, want USPS 9400111206206406260787", n, cs)
		}
	}
}

// Checksum-verified candidates come before shape-only ones whatever their
// rank, and rank decides within each group. No two real formats overlap
// across that line today, so this drives the ordering with made-up ones.
func TestCandidateOrder(t *testing.T) {
	mk := func(name string, rank int, c Check) hit {
		return hit{f: &format{name: name, carriers: []string{"s10"}, rank: rank}, m: match{check: c}}
	}
	hits := []hit{
		mk("shape high", 100, CheckNone),
		mk("checked low", 10, CheckPassed),
		mk("shape low", 5, CheckNone),
		mk("checked high", 90, CheckPassed),
	}
	slices.SortStableFunc(hits, byConfidence)
	var got []string
	for _, h := range hits {
		got = append(got, h.f.name)
	}
	if want := "checked high,checked low,shape high,shape low"; strings.Join(got, ",") != want {
		t.Errorf("order = %v, want %s", got, want)
	}
}
