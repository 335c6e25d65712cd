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
