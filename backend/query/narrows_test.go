package query

import (
	"testing"
	"time"
)

func TestNarrows(t *testing.T) {
	t.Parallel()
	cases := []struct {
		prev, next string
		want       bool
	}{
		{"", "wang", true},
		{"wan", "wang", true},
		{"wan", "xwang", true},
		{"WAN", "wang", true}, // folded
		{"wan", "pay:paid wang", true},
		{"pay:paid wan", "wang pay:paid", true}, // order does not matter
		{"pay:paid", "pay:paid ship:unfulfilled", true},
		{"name:li", "name:lin", true},
		{"sku:lc", "sku:lc79", true},
		{"carrier:ups", "carrier:upsx", true},
		{"tracking:rr20", `tracking:"rr-2020"`, true},
		{"wang", "wan", false},
		{"name:li", "email:lin", false},
		{"-wan", "-wang", false}, // -wang keeps orders -wan drops
		{"pay:pai", "pay:paid", false},
		{"total>10", "total>100", false}, // true, but not known from the terms
		{"123", "1234", false},           // 1234 also matches phone digits
		{"wan", "", false},
		{"phone:123", "phone:1234", false},
	}
	for _, c := range cases {
		var prev, next *Query
		if c.prev != "" {
			prev = mustParse(t, c.prev)
		}
		if c.next != "" {
			next = mustParse(t, c.next)
		}
		if next == nil {
			next = mustParse(t, "")
		}
		if got := next.Narrows(prev); got != c.want {
			t.Errorf("%q.Narrows(%q) = %v, want %v", c.next, c.prev, got, c.want)
		}
	}
}

// TestNarrowsSound checks on simulated orders that whenever Narrows says
// so, every order the narrower query matches is matched by the wider one.
func TestNarrowsSound(t *testing.T) {
	t.Parallel()
	orders, locs := simOrders(t, 400)
	loc := func(shop string) *time.Location { return locs[shop] }
	docs := NewDocs(orders, loc)
	queries := []string{"", "a", "an", "wan", "wang", "li", "lin", "1", "12", "123", "+81", "+81 9",
		"name:a", "name:an", "email:a", "email:an", "sku:a", "sku:a1", "carrier:s", "carrier:sf",
		"tracking:1", "tracking:12", "pay:paid", "ship:unfulfilled", "-a", "-an", "pay:paid an", "city:o", "city:os"}
	parsed := make([]*Query, len(queries))
	for i, s := range queries {
		parsed[i] = mustParse(t, s)
	}
	said := 0
	for _, wide := range parsed {
		for _, narrow := range parsed {
			if !narrow.Narrows(wide) {
				continue
			}
			said++
			for k := range docs {
				if narrow.Match(&docs[k]) && !wide.Match(&docs[k]) {
					t.Fatalf("%q.Narrows(%q), yet order %s matches only the first", narrow, wide, orders[k].Ref)
				}
			}
		}
	}
	if said < 2*len(queries) {
		t.Fatalf("Narrows held for only %d pairs: the test checks little", said)
	}
}
