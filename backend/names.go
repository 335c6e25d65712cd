package backend

import (
	"strings"
	"unicode"
)

// PersonName joins a first and a last name the way the operator expects to
// read it, the same for every platform: when both parts are written in an
// East Asian script (Han, Kana, Hangul) the family name comes first with no
// space (赵 + 地虎 → 赵地虎, 佐藤 + 花子 → 佐藤花子); otherwise "first last".
// Either part may be empty.
func PersonName(first, last string) string {
	first, last = strings.TrimSpace(first), strings.TrimSpace(last)
	if first != "" && last != "" && eastAsian(first) && eastAsian(last) {
		return last + first
	}
	return strings.TrimSpace(first + " " + last)
}

func eastAsian(s string) bool {
	return strings.IndexFunc(s, func(r rune) bool {
		return unicode.In(r, unicode.Han, unicode.Hiragana, unicode.Katakana, unicode.Hangul)
	}) >= 0
}
