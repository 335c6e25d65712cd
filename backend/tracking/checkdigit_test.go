package tracking

import (
	"slices"
	"strings"
	"testing"
)

func TestCheckDigitAlgorithms(t *testing.T) {
	tests := []struct {
		name string
		fn   func(string) byte
		data string
		want byte
	}{
		// S10 worked example (field notes §4.3): 204 mod 11 = 6 → 5.
		{"s10 worked example", s10Check, "12345678", '5'},
		{"s10 remainder 0 gives 5", s10Check, "10000002", '5'},
		{"s10 remainder 1 gives 0", s10Check, "10000014", '0'},
		{"s10 all zero (remainder 0)", s10Check, "00000000", '5'},
		{"s10 remainder 7 gives 4", s10Check, "00000001", '4'},
		// UPS letters: (ASCII − 3) mod 10, so A=2, I=0, Z=7; odd index ×2.
		{"ups A at even index", upsCheck, "A", '8'},
		{"ups A at odd index", upsCheck, "0A", '6'},
		{"ups I counts 0", upsCheck, "I", '0'},
		{"ups Z counts 7", upsCheck, "Z", '3'},
		{"ups 1Z documented", upsCheck, "5R8939035756712", '7'},
		{"gs1 rightmost ×3", gs1Check, "1", '7'},
		{"gs1 second from right ×1", gs1Check, "10", '9'},
		{"gs1 IMpb documented", gs1Check, "940011120620640626078", '7'},
		{"fedex weights from the left", fedexExpressCheck, "10000000000", '3'},
		{"fedex third weight 7", fedexExpressCheck, "00100000000", '7'},
		{"fedex mod 11 then mod 10", fedexExpressCheck, "00200000000", '3'}, // 14 mod 11 = 3
		{"fedex remainder 10 gives 0", fedexExpressCheck, "10100000000", '0'},
		{"fedex documented", fedexExpressCheck, "98657878885", '5'},
		{"dhl mod 7", dhlCheck, "331881002", '5'},
		{"dhl long serial does not overflow", dhlCheck, strings.Repeat("9", 30) + "1", '1'},
	}
	for _, tt := range tests {
		if got := tt.fn(tt.data); got != tt.want {
			t.Errorf("%s: check(%q) = %c, want %c", tt.name, tt.data, got, tt.want)
		}
	}
}

func TestCountries(t *testing.T) {
	codes := strings.Fields(isoCountries)
	if len(codes) != 249 {
		t.Errorf("%d ISO 3166-1 codes, want 249", len(codes))
	}
	if !slices.IsSorted(codes) || len(slices.Compact(slices.Clone(codes))) != len(codes) {
		t.Error("country codes must be sorted and unique")
	}
	for _, c := range codes {
		if len(c) != 2 || !isCountry(c) {
			t.Errorf("isCountry(%q) = false", c)
		}
	}
	for _, c := range []string{"XX", "UK", "ZZ", "DA", "EB", "D ", " A", "", "G", "GBR", "gb"} {
		if isCountry(c) {
			t.Errorf("isCountry(%q) = true", c)
		}
	}
}
