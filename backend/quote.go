package backend

import "strconv"

// MaxQuoted is how many characters of a bad input a message shows: enough
// to recognise it, never a 60 MB header line or a 100 KB argument whole.
const MaxQuoted = 80

// Excerpt returns s cut to its first MaxQuoted characters, with "…" when
// it was longer. Invalid UTF-8 counts a byte as a character.
func Excerpt(s string) string {
	n := 0
	for i := range s {
		if n == MaxQuoted {
			return s[:i] + "…"
		}
		n++
	}
	return s
}

// Quote returns s in Go quotes for a message (so spaces, control and
// invisible characters show), cut like Excerpt: the "…" of a cut value
// stands after the closing quote, outside what was typed.
func Quote(s string) string {
	ex := Excerpt(s)
	if ex == s { // not len: a cut of 3 bytes plus the 3 of "…" is as long
		return strconv.Quote(s)
	}
	return strconv.Quote(ex[:len(ex)-len("…")]) + "…"
}
