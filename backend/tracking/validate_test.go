package tracking

import (
	"strings"
	"testing"
)

func TestValidateOutcomes(t *testing.T) {
	tests := []struct {
		name, carrier, number string
		level                 Level
		matched               bool
		format                string
		check                 Check
		message               string // substring the message must contain
		suggest               string // code of the first suggestion, "" for none
	}{
		{"ok", "UPS", "1z5r 8939 0357 5671 27", LevelOK, true, "UPS 1Z", CheckPassed, "check digit correct", ""},
		{"S10 of the chosen post", "中国邮政", "RB123456785CN", LevelOK, true, "UPU S10", CheckPassed, "", ""},
		{"FedEx label on a USPS IMpb", "FedEx", "9212345678901234567891", LevelOK, true, "FedEx Ground Economy (IMpb 92)", CheckPassed, "", ""},
		{"wrong carrier", "fedex", "1Z5R89390357567127", LevelWarning, false, "", CheckNotRun, "does not match any FedEx format", "ups"},
		{"wrong post", "China Post", "RB123456785GB", LevelWarning, false, "", CheckNotRun, "Postal (S10) GB", "s10"},
		{"says what the post takes", "China Post", "RB123456785GB", LevelWarning, false, "", CheckNotRun, "2 letters + 9 digits + CN)", "s10"},
		{"not EMS", "EMS", "RB123456785CN", LevelWarning, false, "", CheckNotRun, "China Post", "china-post"},
		{"typo", "EMS", "EE123456789CN", LevelWarning, true, "UPU S10", CheckFailed, "check digit does not match", ""},
		{"bad country", "ems", "EE123456785XX", LevelWarning, true, "UPU S10", CheckFailed, "XX, are not a country code", ""},
		{"no check digit", "SF Express", "SF1410289486215", LevelNotice, true, "SF Express", CheckNone, "no check digit", ""},
		{"no known format", "4PX", "4PX3000123456CN", LevelNotice, true, SanityFormat, CheckNone, "no number format is known for 4PX", ""},
		{"no known format, junk", "4PX", "abc", LevelWarning, false, "", CheckNotRun, "8–40", ""},
		{"unknown carrier", "Yanwen", "UG123456785YW", LevelNotice, true, SanityFormat, CheckNone, `carrier "Yanwen" is not known`, ""},
		{"unknown carrier, detectable number", "Yanwen", "1Z5R89390357567127", LevelNotice, true, SanityFormat, CheckNone, "it matches UPS", "ups"},
		{"no carrier", "", "1Z5R89390357567127", LevelNotice, true, SanityFormat, CheckNone, "no carrier chosen", "ups"},
		{"seed junk", "UPS", "UPS95338", LevelWarning, false, "", CheckNotRun, "does not match any UPS format", ""},
		{"empty", "UPS", " - ", LevelWarning, false, "", CheckNotRun, "empty", ""},
		{"several suggestions", "DHL", "9212345678901234567891", LevelWarning, false, "", CheckNotRun, "(and 1 more)", "usps"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r := Validate(tt.carrier, tt.number)
			if r.Level != tt.level || r.Matched != tt.matched || r.Format != tt.format || r.Check != tt.check {
				t.Errorf("Validate(%q, %q) = level %v, matched %v, format %q, check %v; want %v, %v, %q, %v",
					tt.carrier, tt.number, r.Level, r.Matched, r.Format, r.Check, tt.level, tt.matched, tt.format, tt.check)
			}
			if !strings.Contains(r.Message, tt.message) {
				t.Errorf("message %q does not contain %q", r.Message, tt.message)
			}
			first := ""
			if len(r.Suggestions) > 0 {
				first = r.Suggestions[0].Carrier.Code
			}
			if first != tt.suggest {
				t.Errorf("first suggestion = %q, want %q (%v)", first, tt.suggest, r.Suggestions)
			}
			for _, s := range r.Suggestions {
				if r.KnownCarrier && s.Carrier.Code == r.Carrier.Code {
					t.Errorf("suggests the chosen carrier back: %v", s)
				}
			}
		})
	}
}

func TestValidateStoresNumberWithoutRouting(t *testing.T) {
	r := Validate("usps", "420 10001 9400 1112 0620 6406 2607 87")
	if r.Number != "9400111206206406260787" || r.Level != LevelOK {
		t.Errorf("Number = %q, level %v; want the IMpb without 420+ZIP, ok", r.Number, r.Level)
	}
}

// Validate only advises. Whatever goes in, the caller gets back the
// normalised number to store, one of the three advisory levels, a message
// whenever the level is not OK, and OK only with a proven check digit.
func TestValidateOnlyAdvises(t *testing.T) {
	numbers := []string{
		"1Z5R89390357567127", "1Z5R89390357567128", "EE123456789CN", "EE123456785XX",
		"SF1410289486215", "test123", "UPS95338", "LN00000000", "x", "顺丰单号", "AB/12&X#",
		"420100019400111206206406260787", strings.Repeat("9", 60),
	}
	carriers := []string{"", "Yanwen"}
	for _, c := range Carriers() {
		carriers = append(carriers, c.Code)
	}
	for _, carrier := range carriers {
		for _, n := range numbers {
			r := Validate(carrier, n)
			if r.Number == "" || !strings.HasSuffix(Normalize(n), r.Number) {
				t.Errorf("Validate(%q, %q).Number = %q: the caller must get the number back", carrier, n, r.Number)
			}
			switch r.Level {
			case LevelOK:
				if r.Check != CheckPassed {
					t.Errorf("Validate(%q, %q) is OK without a passed check digit", carrier, n)
				}
			case LevelNotice, LevelWarning:
				if r.Message == "" {
					t.Errorf("Validate(%q, %q) level %v without a message", carrier, n, r.Level)
				}
			default:
				t.Errorf("Validate(%q, %q).Level = %v, not an advisory level", carrier, n, r.Level)
			}
		}
	}
}

func TestStrings(t *testing.T) {
	tests := []struct{ got, want string }{
		{CheckNotRun.String(), "not run"}, {CheckNone.String(), "no check digit"},
		{CheckPassed.String(), "passed"}, {CheckFailed.String(), "failed"}, {Check(9).String(), "Check(9)"},
		{LevelOK.String(), "ok"}, {LevelNotice.String(), "notice"}, {LevelWarning.String(), "warning"},
		{Level(-1).String(), "Level(-1)"},
	}
	for _, tt := range tests {
		if tt.got != tt.want {
			t.Errorf("got %q, want %q", tt.got, tt.want)
		}
	}
}
