package adapt

import "testing"

func TestWeights(t *testing.T) {
	for in, want := range map[string]int64{"0.1300": 130, "0.30": 300, "1.65": 1650, "0.0005": 1, "0.00049": 0, "": 0, "2": 2000, "-0.0005": -1} {
		if got, err := KgToGrams(in); err != nil || got != want {
			t.Errorf("KgToGrams(%q) = %d, %v; want %d", in, got, err, want)
		}
	}
	for in, want := range map[string]int64{"111000.00": 111000, "12.5": 13, "12.49": 12, "0": 0, "": 0} {
		if got, err := RoundGrams(in); err != nil || got != want {
			t.Errorf("RoundGrams(%q) = %d, %v; want %d", in, got, err, want)
		}
	}
	for _, bad := range []string{"heavy", "9223372036854775807"} {
		if _, err := KgToGrams(bad); err == nil {
			t.Errorf("KgToGrams(%q) accepted", bad)
		}
	}
}
