package tracking

import (
	"strconv"
	"strings"
	"unicode"
)

// Normalize returns number the way carriers print it: upper-case, with
// spaces, dashes and invisible characters (zero-width spaces, soft hyphens,
// byte-order marks) removed. Full-width letters and digits, as a Chinese or
// Japanese input method types them, become their ASCII forms. Nothing else
// is removed, so a number with stray punctuation still fails the format
// checks instead of silently becoming another number.
func Normalize(number string) string {
	var b strings.Builder
	b.Grow(len(number))
	for _, r := range number {
		if r >= 0xFF01 && r <= 0xFF5E { // full-width ASCII block
			r -= 0xFEE0
		}
		if separator(r) {
			continue
		}
		b.WriteRune(unicode.ToUpper(r))
	}
	return b.String()
}

// separator reports whether r is something operators and label printers put
// between groups of digits: whitespace, any dash, a minus sign or an
// invisible formatting character.
func separator(r rune) bool {
	return unicode.IsSpace(r) || unicode.Is(unicode.Pd, r) || r == '\u2212' || unicode.Is(unicode.Cf, r)
}

// Sanity limits for numbers of carriers without a known format
// (ORDERS-FIELD-NOTES §4.5 rule 4).
const (
	sanityMin = 8
	sanityMax = 40
)

// sanity checks a normalised number of a carrier without a known format:
// 8–40 characters, A–Z and 0–9 only. It returns "" when the number passes,
// otherwise why it does not, in the operator's words.
func sanity(n string) string {
	for i := 0; i < len(n); i++ {
		if !alnum(n[i]) {
			return "tracking numbers contain only letters A–Z and digits 0–9; this one has other characters"
		}
	}
	if len(n) < sanityMin || len(n) > sanityMax {
		return "tracking numbers are 8–40 letters and digits; this one has " + strconv.Itoa(len(n)) + " characters"
	}
	return ""
}

// alnum reports whether c is A–Z or 0–9 (the normalised alphabet).
func alnum(c byte) bool { return c >= '0' && c <= '9' || c >= 'A' && c <= 'Z' }
