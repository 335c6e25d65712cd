package tracking

import "testing"

func TestNormalize(t *testing.T) {
	tests := []struct{ in, want string }{
		{"1z999aa10123456784", "1Z999AA10123456784"},
		{" 1Z 999 AA1 0123 4567 84 ", "1Z999AA10123456784"},
		{"9400-1112-0620-6406-2607-87", "9400111206206406260787"},
		{"9400\t1112\n0620\u00a06406\u200b2607\u201387", "9400111206206406260787"}, // tab, newline, NBSP, zero-width space, en dash
		{"ＳＦ１４１０２８９４８６２１５", "SF1410289486215"},                                     // full-width, as a CJK input method types it
		{"ee 123 456 785 cn", "EE123456785CN"},
		{"\ufeffRB123456785GB\u00ad", "RB123456785GB"}, // BOM, soft hyphen
		{"AB/12&X", "AB/12&X"},                         // other punctuation is kept so the checks can flag it
		{"", ""},
	}
	for _, tt := range tests {
		if got := Normalize(tt.in); got != tt.want {
			t.Errorf("Normalize(%q) = %q, want %q", tt.in, got, tt.want)
		}
	}
}

func TestSanity(t *testing.T) {
	tests := []struct {
		n  string
		ok bool
	}{
		{"ABCD1234", true},
		{"1234567890123456789012345678901234567890", true}, // 40
		{"ABC1234", false}, // 7
		{"12345678901234567890123456789012345678901", false}, // 41
		{"ABCD-1234", false},
		{"AB/12&XYZ", false},
		{"顺丰12345678", false},
	}
	for _, tt := range tests {
		if got := sanity(tt.n) == ""; got != tt.ok {
			t.Errorf("sanity(%q) passes = %v, want %v (%s)", tt.n, got, tt.ok, sanity(tt.n))
		}
	}
}
