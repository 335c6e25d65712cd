package query

import (
	"strings"
	"testing"
	"time"
)

// FuzzParse checks that Parse never panics, that an error points at a term
// of the input, and that the canonical form of a parsed query parses to an
// equivalent query: the same canonical form and the same verdict on every
// sample order.
func FuzzParse(f *testing.F) {
	for _, r := range matchRows {
		f.Add(r.q)
	}
	for _, s := range []string{
		`Status:PAID -"New York" total:>100 created:2024-01-01 payment:Paid fulfillment:"on hold"`,
		`status:"paid, unshipped",cancelled tag:"a,b" "a:b" -"-" 5\" ＬＣ a：b "a\\b"`,
		"created>2024-03-10t12:00z updated<=7D total>=1000JPY is:Attention,FAILED a\u3000b",
		`city:"new york`, "foo:bar", "sku>3", "-", "phone:abc", "created=7d", "is:nope",
		"+81 90-1234-5678", `phone:+81 (0)90 1234 5678 "a b"`, `-0081 "90" 1234 5678`, "+86 186 -6183",
		"total>100USD", `total>="100 usd"`,
	} {
		f.Add(s)
	}
	docs := sampleDocs(f)
	opt := Options{Now: testNow}
	f.Fuzz(func(t *testing.T, s string) {
		q, err := Parse(s, opt)
		if err != nil {
			e := asError(t, err)
			if e.Pos < 0 || e.Pos > len(s) || e.Term == "" || !strings.HasPrefix(s[e.Pos:], e.Term) {
				t.Fatalf("Parse(%q): error term %q at %d is not in the input", s, e.Term, e.Pos)
			}
			return
		}
		c := q.String()
		q2, err := Parse(c, opt)
		if err != nil {
			t.Fatalf("canonical %q of %q does not parse: %v", c, s, err)
		}
		if c2 := q2.String(); c2 != c {
			t.Fatalf("canonical %q of %q re-parses as %q", c, s, c2)
		}
		if len(q2.terms) != len(q.terms) {
			t.Fatalf("canonical %q of %q has %d terms, want %d", c, s, len(q2.terms), len(q.terms))
		}
		for i := range docs {
			if q.Match(&docs[i]) != q2.Match(&docs[i]) {
				t.Fatalf("%q and its canonical %q disagree on sample order %d", s, c, i)
			}
		}
	})
}

// sampleDocs are baseOrder with every tweak of matchRows, and a few
// simulated orders of each platform.
func sampleDocs(t testing.TB) []Doc {
	var docs []Doc
	o := baseOrder()
	docs = append(docs, NewDoc(o, time.UTC))
	for _, r := range matchRows {
		if r.mod != nil {
			o := baseOrder()
			r.mod(o)
			docs = append(docs, NewDoc(o, time.UTC))
		}
	}
	orders, zones := simOrders(t, 10)
	for _, o := range orders {
		docs = append(docs, NewDoc(o, zones[o.Shop]))
	}
	return docs
}

// FuzzTextSearch checks the free-text search against strings.Contains: the
// prefilters never reject a Doc whose haystack holds the needle, and the
// finder agrees with strings.Contains on any haystack.
func FuzzTextSearch(f *testing.F) {
	for _, s := range []string{"legging", "王小明", "e", "le", "zzzz", "gg", "@example", "rr2020", "ΟΔΥΣ", "a\x00b", "ｌｃ"} {
		f.Add(s, "low rise flowery legging\x00王小明\x00")
	}
	docs := sampleDocs(f)
	f.Fuzz(func(t *testing.T, needle, hay string) {
		fi := newFinder(needle)
		for _, h := range []string{hay, needle, hay + needle, needle + hay, hay + needle + hay} {
			if got, want := fi.in(h), strings.Contains(h, needle); got != want {
				t.Fatalf("finder(%q).in(%q) = %v, want %v", needle, h, got, want)
			}
		}
		tm, ok := compileText(needle)
		if !ok {
			return
		}
		for i := range docs {
			d := &docs[i]
			got := tm.filter.admits(&d.textBytes, &d.textGrams) && (len(tm.str) == 1 || tm.find.in(d.text))
			if want := strings.Contains(d.text, tm.str); got != want {
				t.Fatalf("needle %q on sample %d (%q): search says %v, strings.Contains %v", tm.str, i, d.text, got, want)
			}
		}
	})
}

// TestPrefilterNoFalseNegatives searches every sample Doc for every short
// piece of every sample haystack: whatever the haystack holds, the
// prefilters must let through.
func TestPrefilterNoFalseNegatives(t *testing.T) {
	t.Parallel()
	docs := sampleDocs(t)
	needles := map[string]bool{}
	for i := range docs {
		r := []rune(docs[i].text)
		for n := 1; n <= 4; n++ {
			for j := 0; j+n <= len(r); j++ {
				if s := string(r[j : j+n]); !strings.Contains(s, sep) {
					needles[s] = true
				}
			}
		}
	}
	checked := 0
	for needle := range needles {
		tm, ok := compileText(needle)
		if !ok {
			continue
		}
		for i := range docs {
			d := &docs[i]
			if strings.Contains(d.text, tm.str) && !tm.match(d) {
				t.Fatalf("%q is in %q but the search misses it", tm.str, d.text)
			}
			checked++
		}
	}
	if checked < 10000 {
		t.Fatalf("only %d checks", checked)
	}
}
