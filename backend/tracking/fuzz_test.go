package tracking

import "testing"

// FuzzDetect: Detect, Validate and URL never panic, Normalize is
// idempotent, and every candidate Detect offers validates under its own
// carrier (OK with a check digit, Notice without one).
func FuzzDetect(f *testing.F) {
	for _, s := range []string{
		"1Z5R89390357567127", "EE123456785CN", "9400111206206406260787",
		"420100011234 9400111206206406260787", "123456789012", "3318810025",
		"YT2229521272164446", "SF1410289486215", "K2479825491", "ＳＦ１４１",
		"", "-", "\xff\xfe", "9212345678901234567891",
	} {
		f.Add(s)
	}
	codes := []string{""}
	for _, c := range Carriers() {
		codes = append(codes, c.Code)
	}
	f.Fuzz(func(t *testing.T, s string) {
		n := Normalize(s)
		if again := Normalize(n); again != n {
			t.Fatalf("Normalize not idempotent: %q → %q → %q", s, n, again)
		}
		for _, c := range Detect(s) {
			r := Validate(c.Carrier.Code, c.Number)
			want := LevelNotice
			if c.Checksum {
				want = LevelOK
			}
			if r.Level != want || r.Format != c.Format {
				t.Fatalf("Detect(%q) offered %v, but Validate says %v %q: %s", s, c, r.Level, r.Format, r.Message)
			}
		}
		for _, code := range codes {
			_ = Validate(code, s)
			_ = URL(code, s)
		}
	})
}
