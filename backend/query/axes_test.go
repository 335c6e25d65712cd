package query

import (
	"slices"
	"testing"

	"orderdesk/backend"
	"orderdesk/backend/simshop"
)

// Axes matches exactly what the queries match, on every platform's orders,
// and is offered only for queries made of axis terms.
func TestAxesAgreeWithMatch(t *testing.T) {
	t.Parallel()
	var docs []Doc
	for _, p := range []backend.Platform{backend.Fecshop, backend.Fecmall, backend.Shopline, backend.YMCart} {
		srv, err := simshop.New(p, simshop.Options{Seed: 3, Orders: 200})
		if err != nil {
			t.Fatal(err)
		}
		docs = append(docs, NewDocs(srv.Orders(), nil)...)
		srv.Close()
	}
	for _, tc := range []struct {
		qs   []string
		axes bool
	}{
		{[]string{"pay:paid"}, true},
		{[]string{"pay:paid ship:unfulfilled -is:cancelled"}, true},
		{[]string{"is:open", "ship:fulfilled,delivered"}, true},
		{[]string{"-pay:unpaid,refunded -ship:unfulfilled"}, true},
		{[]string{"is:archived"}, true},
		{[]string{"-is:archived pay:paid,refunded"}, true},
		{[]string{""}, true},
		{[]string{"pay:paid wang"}, false},
		{[]string{"ship:unfulfilled", "shop:sl"}, false},
		{[]string{"status:paid"}, false},
		{[]string{"total>50 pay:paid"}, false},
	} {
		var qs []*Query
		for _, s := range tc.qs {
			q, err := Parse(s, Options{})
			if err != nil {
				t.Fatalf("%q: %v", s, err)
			}
			qs = append(qs, q)
		}
		a, ok := AxesOf(qs...)
		if ok != tc.axes {
			t.Errorf("%q: AxesOf says %v, want %v", tc.qs, ok, tc.axes)
		}
		if !ok {
			continue
		}
		words := make([]uint64, len(docs))
		for i := range docs {
			words[i] = AxisWord(&docs[i])
		}
		filtered := make([]int32, len(words))
		filtered = filtered[:a.Filter(words, 7, filtered)]
		var wantRows []int32
		hits := 0
		for i := range docs {
			want := true
			for _, q := range qs {
				want = want && q.Match(&docs[i])
			}
			if got := a.match(AxisWord(&docs[i])) == 1; got != want {
				t.Fatalf("%q on doc %d: Axes %v, Match %v", tc.qs, i, got, want)
			}
			if want {
				hits++
				wantRows = append(wantRows, int32(7+i))
			}
		}
		if n := a.Count(words); n != len(wantRows) {
			t.Errorf("%q: Count %d, Match %d", tc.qs, n, len(wantRows))
		}
		if !slices.Equal(filtered, wantRows) {
			t.Errorf("%q: Filter gives %d rows, Match %d", tc.qs, len(filtered), len(wantRows))
		}
		if tc.qs[0] != "" && (hits == 0 || hits == len(docs)) {
			t.Errorf("%q matches %d of %d docs: the case tells nothing", tc.qs, hits, len(docs))
		}
	}
}
