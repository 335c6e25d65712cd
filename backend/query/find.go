package query

import "strings"

// finder is a substring search for one needle, anchored on the needle's
// rarest byte: IndexByte (vectorised) jumps to each occurrence of that
// byte and the needle is compared around it. On short haystacks of names,
// e-mails and titles it beats strings.Contains, which anchors on the first
// byte, often a common letter.
type finder struct {
	needle string
	at     int  // index of the anchor byte in needle
	anchor byte // needle[at]
}

func newFinder(needle string) finder {
	f := finder{needle: needle}
	for i := 1; i < len(needle); i++ {
		if byteRank(needle[i]) < byteRank(needle[f.at]) {
			f.at = i
		}
	}
	if needle != "" {
		f.anchor = needle[f.at]
	}
	return f
}

// in reports whether the needle is in s.
func (f *finder) in(s string) bool {
	n := len(f.needle)
	if n <= 1 {
		return strings.Contains(s, f.needle)
	}
	end := len(s) - (n - 1 - f.at) // the anchor can be no further right
	for j := f.at; j < end; j++ {
		k := strings.IndexByte(s[j:end], f.anchor)
		if k < 0 {
			return false
		}
		j += k
		if s[j-f.at:j-f.at+n] == f.needle {
			return true
		}
	}
	return false
}

// commonBytes orders bytes by how often they appear in a Doc's haystack
// (lower-case names, e-mails, titles, cities, SKUs, numbers), most common
// first; a rough ranking is all the anchor choice needs.
const commonBytes = "\x00 eaoinrtslhmdcu.gp-0123456789@ybfkwvxzjq"

// byteRank is high for common bytes. UTF-8 lead bytes are common (every
// non-ASCII character has one, and CJK shares a handful); continuation
// bytes spread over 64 values and make good anchors.
func byteRank(c byte) int {
	switch {
	case c >= 0xC0:
		return len(commonBytes) + 1
	case c >= 0x80:
		return 1
	}
	if i := strings.IndexByte(commonBytes, c); i >= 0 {
		return len(commonBytes) - i + 1
	}
	return 0
}
