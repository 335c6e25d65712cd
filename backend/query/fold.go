package query

import (
	"strings"
	"unicode"
	"unicode/utf8"
)

// fold maps s to the form both sides of every case-insensitive comparison
// use: lower case through upper case (so Σ/σ/ς and S/s/ſ meet), full-width
// ASCII forms (U+FF01–U+FF5E, as CJK input methods type them) to ASCII,
// the ideographic space and control characters to a space (a Doc separates
// its values with NUL, which a folded needle therefore never contains), and
// invalid UTF-8 to U+FFFD. It returns s itself when nothing changes, so
// already-folded strings are shared, not copied.
func fold(s string) string {
	for i := 0; i < len(s); {
		c := s[i]
		if c < utf8.RuneSelf {
			if 'A' <= c && c <= 'Z' || c < 0x20 || c == 0x7f {
				return foldFrom(s, i)
			}
			i++
			continue
		}
		r, n := utf8.DecodeRuneInString(s[i:])
		if r == utf8.RuneError && n == 1 || foldRune(r) != r {
			return foldFrom(s, i)
		}
		i += n
	}
	return s
}

// foldFrom folds s, of which s[:i] is known to fold to itself.
func foldFrom(s string, i int) string {
	var b strings.Builder
	b.Grow(len(s) + 2)
	b.WriteString(s[:i])
	foldInto(&b, s[i:])
	return b.String()
}

// foldInto writes s folded to b.
func foldInto(b *strings.Builder, s string) {
	for i := 0; i < len(s); {
		if c := s[i]; c < utf8.RuneSelf {
			b.WriteByte(byte(foldRune(rune(c))))
			i++
			continue
		}
		r, n := utf8.DecodeRuneInString(s[i:])
		b.WriteRune(foldRune(r))
		i += n
	}
}

func foldRune(r rune) rune {
	switch {
	case r < utf8.RuneSelf:
		if 'A' <= r && r <= 'Z' {
			return r + ('a' - 'A')
		}
		if r < 0x20 || r == 0x7f {
			return ' '
		}
		return r
	case r >= 0x3040 && r <= 0x9FFF || r >= 0xAC00 && r <= 0xD7A3:
		return r // kana, CJK, Hangul syllables: no case, the common non-ASCII text
	case r >= 0xFF01 && r <= 0xFF5E:
		return foldRune(r - 0xFEE0)
	case r == 0x3000 || unicode.IsControl(r):
		return ' '
	}
	return unicode.ToLower(unicode.ToUpper(r))
}

// digits keeps the ASCII digits of a folded string.
func digits(s string) string {
	n := 0
	for i := 0; i < len(s); i++ {
		if '0' <= s[i] && s[i] <= '9' {
			n++
		}
	}
	if n == len(s) {
		return s
	}
	b := make([]byte, 0, n)
	for i := 0; i < len(s); i++ {
		if '0' <= s[i] && s[i] <= '9' {
			b = append(b, s[i])
		}
	}
	return string(b)
}

// phoneLike reports whether a folded term reads as (part of) a phone
// number: at least min digits and otherwise only + - ( ) . and spaces.
func phoneLike(s string, min int) bool {
	n := 0
	for i := 0; i < len(s); i++ {
		switch c := s[i]; {
		case '0' <= c && c <= '9':
			n++
		case c == '+' || c == '-' || c == '(' || c == ')' || c == '.' || c == ' ':
		default:
			return false
		}
	}
	return n >= min
}

// phoneNeedles returns the digits of a phone-like term and, when the term
// carries an international prefix (+CC or 00CC, intl is then true) or a
// national trunk 0, the digits without it, so "+86 186-6183" finds a phone
// stored as "18661832866" and "080-9876" one stored as "+81 80-9876-5432".
// The country code is cut by the ITU rule that calling codes are
// prefix-free (1 and 7 are one digit, a fixed list is two, all others
// three). national is "" when it is the same as all or shorter than three
// digits.
func phoneNeedles(s string) (all, national string, intl bool) {
	all = digits(s)
	rest := all
	if intl = international(s); intl {
		rest = strings.TrimPrefix(rest, "00")
		rest = rest[callingCodeLen(rest):]
	}
	rest = strings.TrimPrefix(rest, "0")
	if rest == all || len(rest) < 3 {
		return all, "", intl
	}
	return all, rest, intl
}

// international reports whether a folded phone is written with its
// country code: +CC or 00CC.
func international(s string) bool {
	t := strings.TrimLeft(s, " (")
	return strings.HasPrefix(t, "+") || strings.HasPrefix(digits(t), "00")
}

// twoDigitCodes are the two-digit ITU-T E.164 country calling codes.
const twoDigitCodes = "20 27 30 31 32 33 34 36 39 40 41 43 44 45 46 47 48 49 51 52 53 54 55 56 57 58 " +
	"60 61 62 63 64 65 66 81 82 84 86 90 91 92 93 94 95 98"

// callingCodeLen is the length of the country calling code d starts with
// (never more than len(d)).
func callingCodeLen(d string) int {
	n := 3
	switch {
	case d == "":
		return 0
	case d[0] == '1' || d[0] == '7':
		n = 1
	case len(d) >= 2 && strings.Contains(twoDigitCodes, d[:2]):
		n = 2
	}
	return min(n, len(d))
}

// trackingKey is a folded tracking number without spaces and dashes, the
// form both the Doc and tracking: terms use (as backend.ShowsGeneric and
// the cache's tracking index compare them).
func trackingKey(s string) string {
	s = fold(s)
	if !strings.ContainsAny(s, " -\t") {
		return s
	}
	return strings.Map(func(r rune) rune {
		if r == ' ' || r == '-' || r == '\t' {
			return -1
		}
		return r
	}, s)
}
