package cache

import (
	"slices"
	"testing"

	"orderdesk/backend"
)

func TestRefsWithPrefix(t *testing.T) {
	t.Parallel()
	s := openTest(t)
	put(t, s, fullOrder("eu", "1001"), fullOrder("eu", "1002"), fullOrder("eu", "2001"), fullOrder("eu2", "1003"),
		fullOrder("e", "1004"), fullOrder("sl", "#1001"), fullOrder("sl", "1005"), fullOrder("sl", "#2002"),
		fullOrder("ym", "SY-1:7"))
	for _, c := range []struct {
		shop, number string
		max          int
		want         []backend.Ref
	}{
		{"eu", "", 10, refs("eu:1001", "eu:1002", "eu:2001")},   // the whole shop, no other shop's
		{"eu", "100", 10, refs("eu:1001", "eu:1002")},           // by prefix
		{"eu", "1001", 10, refs("eu:1001")},                     // a whole number
		{"eu", "", 2, refs("eu:1001", "eu:1002")},               // at most max
		{"eu", "3", 10, refs()},                                 // none
		{"e", "", 10, refs("e:1004")},                           // "e" is not a prefix of "eu:"
		{"sl", "", 10, refs("sl:#1001", "sl:#2002", "sl:1005")}, // key order
		{"sl", "1", 10, refs("sl:#1001", "sl:1005")},            // '#'-less finds '#', by number
		{"sl", "1", 1, refs("sl:#1001")},                        // at most max after the merge
		{"sl", "#", 10, refs("sl:#1001", "sl:#2002")},           // '#' typed: only '#'
		{"sl", "#2", 10, refs("sl:#2002")},                      //
		{"ym", "SY-1:", 10, refs("ym:SY-1:7")},                  // a number with a colon
		{"nosuch", "", 10, refs()},                              //
		{"e:u", "", 10, refs()},                                 // not a shop name
		{"eu", "", 0, refs()},                                   //
	} {
		got, err := s.RefsWithPrefix(c.shop, c.number, c.max)
		if err != nil || got == nil || !slices.Equal(got, c.want) {
			t.Errorf("RefsWithPrefix(%q, %q, %d) = %v, %v; want %v", c.shop, c.number, c.max, got, err, c.want)
		}
	}
}

func TestShopsWithPrefix(t *testing.T) {
	t.Parallel()
	s := openTest(t)
	if got, err := s.ShopsWithPrefix(""); err != nil || got == nil || len(got) != 0 {
		t.Errorf("empty store: %v, %v", got, err)
	}
	put(t, s, fullOrder("eu", "1"), fullOrder("eu", "2"), fullOrder("eu2", "1"), fullOrder("e", "1"), fullOrder("sl", "#1"))
	for prefix, want := range map[string][]string{
		"":    {"e", "eu", "eu2", "sl"},
		"e":   {"e", "eu", "eu2"},
		"eu":  {"eu", "eu2"},
		"eu2": {"eu2"},
		"s":   {"sl"},
		"x":   {},
		"eu:": {}, // a ref, not a shop
	} {
		if got, err := s.ShopsWithPrefix(prefix); err != nil || !slices.Equal(got, want) {
			t.Errorf("ShopsWithPrefix(%q) = %v, %v; want %v", prefix, got, err, want)
		}
	}
}
