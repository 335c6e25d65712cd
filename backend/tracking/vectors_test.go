package tracking

import "testing"

// formatVectors are numbers that must validate under their carrier with
// the named format and a matching check digit. The documented ones come
// from ORDERS-FIELD-NOTES §4 (and K2479825491, the published UPS waybill
// example); the rest were built for these tests by computing the check
// digit with an independent implementation. flipAt is the index of a data
// digit: adding 1 to it (mod 10) must make the check digit fail.
var formatVectors = []struct {
	carrier, format, number string
	flipAt                  int
}{
	{"ups", "UPS 1Z", "1Z999AA10123456784", 16}, // documented
	{"ups", "UPS 1Z", "1Z5R89390357567127", 16}, // documented
	{"ups", "UPS 1Z", "1ZA1B2C30112345677", 16},
	{"ups", "UPS 1Z", "1ZXYZ987W400000013", 16},
	{"ups", "UPS waybill", "K2479825491", 9}, // published example
	{"ups", "UPS waybill", "H1234567895", 9},
	{"fedex", "FedEx Express 12", "986578788855", 10}, // documented
	{"fedex", "FedEx Express 12", "123456789012", 10}, // documented
	{"fedex", "FedEx Express 12", "700000000000", 9},
	{"fedex", "FedEx Express 12", "121212121218", 10},
	{"fedex", "FedEx Ground 15", "123456789012343", 13},
	{"fedex", "FedEx Ground 15", "000000000000017", 13},
	{"fedex", "FedEx Ground 96", "9612345123456712345678", 20},
	{"fedex", "FedEx Ground Economy (IMpb 92)", "9212345678901234567891", 20},
	{"usps", "USPS IMpb", "9400111206206406260787", 20}, // documented
	{"usps", "USPS IMpb", "93001234567890123456789017", 24},
	{"usps", "USPS IMpb", "9500123456789012345673", 20},
	{"usps", "USPS IMpb", "9212345678901234567891", 20},
	{"usps", "USPS IMpb", "420100019400111206206406260787", 28},     // 420 + ZIP5
	{"usps", "USPS IMpb", "4201000112349400111206206406260787", 32}, // 420 + ZIP9
	{"usps", "USPS 20", "70123456789012345674", 18},
	{"usps", "USPS 20 (IMpb without 91)", "71123456789000000005", 18},
	{"usps", "UPU S10", "EA123456785US", 9},
	{"usps", "UPU S10", "RA123456785US", 9},
	{"dhl", "DHL Express", "3318810025", 8}, // documented
	{"dhl", "DHL Express", "1234567891", 8},
	{"dhl", "DHL Express", "12345678903", 9},
	{"ems", "UPU S10", "EE123456785CN", 9}, // documented
	{"ems", "UPU S10", "EA123456785GB", 9},
	{"china-post", "UPU S10", "RB123456785CN", 9},
	{"china-post", "UPU S10", "RR100000025CN", 9}, // remainder 0 → check 5
	{"china-post", "UPU S10", "LX100000140CN", 9}, // remainder 1 → check 0
	{"s10", "UPU S10", "RB123456785GB", 9},        // documented
	{"s10", "UPU S10", "CP123456785DE", 9},
}

// shapeVectors are numbers of formats without a check digit.
var shapeVectors = []struct{ carrier, format, number string }{
	{"yunexpress", "YunExpress YT", "YT2229521272164446"}, // documented
	{"sf", "SF Express", "SF1410289486215"},               // documented (SF + 13)
	{"sf", "SF Express", "SF141028948621"},                // SF + 12
	{"dhl", "DHL Express piece ID", "JJD0012345678"},
}

// flip adds 1 (mod 10) to the digit at index i.
func flip(t *testing.T, s string, i int) string {
	t.Helper()
	if i < 0 || i >= len(s) || s[i] < '0' || s[i] > '9' {
		t.Fatalf("flip(%q, %d): not a digit", s, i)
	}
	b := []byte(s)
	b[i] = '0' + (b[i]-'0'+1)%10
	return string(b)
}

func TestFormatVectorsValidate(t *testing.T) {
	for _, v := range formatVectors {
		t.Run(v.carrier+"/"+v.number, func(t *testing.T) {
			r := Validate(v.carrier, v.number)
			if !r.Matched || r.Format != v.format || r.Check != CheckPassed || r.Level != LevelOK {
				t.Fatalf("Validate(%q, %q) = matched %v, format %q, check %v, level %v (%s); want %q passed",
					v.carrier, v.number, r.Matched, r.Format, r.Check, r.Level, r.Message, v.format)
			}
		})
	}
}

func TestFormatVectorsFlippedDigitFails(t *testing.T) {
	for _, v := range formatVectors {
		bad := flip(t, v.number, v.flipAt)
		t.Run(v.carrier+"/"+bad, func(t *testing.T) {
			r := Validate(v.carrier, bad)
			if r.Check != CheckFailed || r.Level != LevelWarning || !r.Matched {
				t.Fatalf("Validate(%q, %q) = check %v, level %v, matched %v; want a failed check digit",
					v.carrier, bad, r.Check, r.Level, r.Matched)
			}
			if r.Message == "" {
				t.Fatal("warning without a message")
			}
		})
	}
}

// Changing the printed check digit must always be caught.
func TestFormatVectorsWrongCheckDigitFails(t *testing.T) {
	for _, v := range formatVectors {
		n := Normalize(v.number)
		i := len(n) - 1
		if v.format == "UPU S10" {
			i = 10
		}
		bad := flip(t, n, i)
		if r := Validate(v.carrier, bad); r.Check != CheckFailed {
			t.Errorf("Validate(%q, %q).Check = %v, want failed", v.carrier, bad, r.Check)
		}
	}
}

func TestShapeVectors(t *testing.T) {
	for _, v := range shapeVectors {
		r := Validate(v.carrier, v.number)
		if !r.Matched || r.Format != v.format || r.Check != CheckNone || r.Level != LevelNotice {
			t.Errorf("Validate(%q, %q) = matched %v, format %q, check %v, level %v; want %q, no check digit, notice",
				v.carrier, v.number, r.Matched, r.Format, r.Check, r.Level, v.format)
		}
	}
}

// Documented and constructed numbers that must not pass.
func TestInvalidVectors(t *testing.T) {
	tests := []struct {
		carrier, number string
		matched         bool  // shape matched
		check           Check // CheckFailed or CheckNotRun
	}{
		{"ems", "EE123456789CN", true, CheckFailed},       // documented: wrong check digit
		{"ems", "EE123456785XX", true, CheckFailed},       // XX is not a country
		{"s10", "RB123456785UK", true, CheckFailed},       // UK is not ISO (GB is)
		{"ups", "1Z5R89390357567128", true, CheckFailed},  // check digit +1
		{"ups", "2Z5R89390357567127", false, CheckNotRun}, // not 1Z
		{"ups", "1Z5R8939035756712", false, CheckNotRun},  // 17 characters
		{"ups", "1Z5R8939035756712A", false, CheckNotRun}, // letter as check digit
		{"ups", "B2479825491", false, CheckNotRun},        // B is not a waybill letter
		{"fedex", "996578788855", true, CheckFailed},
		{"fedex", "98657878885", false, CheckNotRun}, // 11 digits
		{"usps", "9400111206206406260788", true, CheckFailed},
		{"usps", "9600111206206406260787", false, CheckNotRun}, // 96 is FedEx's, not IMpb
		{"usps", "420100019400111206206406260788", true, CheckFailed},
		{"dhl", "3318810026", true, CheckFailed},
		{"dhl", "331881002", false, CheckNotRun},
		{"china-post", "RB123456785GB", false, CheckNotRun}, // Royal Mail's, not China Post's
		{"ems", "RB123456785CN", false, CheckNotRun},        // registered, not EMS
		{"usps", "RB123456785CN", false, CheckNotRun},
		{"yunexpress", "YT222952127216444", false, CheckNotRun}, // 15 digits
		{"sf", "SF14102894862", false, CheckNotRun},             // SF + 11
		{"sf", "SX1410289486215", false, CheckNotRun},
	}
	for _, tt := range tests {
		r := Validate(tt.carrier, tt.number)
		if r.Matched != tt.matched || r.Check != tt.check || r.Level != LevelWarning {
			t.Errorf("Validate(%q, %q) = matched %v, check %v, level %v (%s); want matched %v, check %v, warning",
				tt.carrier, tt.number, r.Matched, r.Check, r.Level, r.Message, tt.matched, tt.check)
		}
	}
}
