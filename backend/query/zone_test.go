package query

import (
	"testing"
	"time"

	"orderdesk/backend"
)

func loadLoc(t testing.TB, name string) *time.Location {
	t.Helper()
	loc, err := time.LoadLocation(name)
	if err != nil {
		t.Fatalf("zone %s: %v", name, err)
	}
	return loc
}

// An order at 2024-01-01 01:00 in Shanghai (2023-12-31 17:00 UTC) is
// created>=2024-01-01 in its shop's zone, not in UTC.
func TestDateLiteralsInShopZone(t *testing.T) {
	t.Parallel()
	sh := loadLoc(t, "Asia/Shanghai")
	o := baseOrder()
	o.Shop = "cn-shop"
	o.CreatedAt = ptime(time.Date(2024, 1, 1, 1, 0, 0, 0, sh).UTC())

	rows := []struct {
		q           string
		inSH, inUTC bool
	}{
		{"created>=2024-01-01", true, false},
		{"created=2024-01-01", true, false},
		{"created=2023-12-31", false, true},
		{"created<2024-01-01", false, true},
		{"created<=2023-12-31", false, true},
		{"created>2023-12-31", true, false},
		{"created=2024-01", true, false},
		{"created=2023-12", false, true},
		{"created=2024-01-01T01:00", true, false},
		{"created=2023-12-31T17:00", false, true},
		// An offset makes the literal an instant, the same in every zone.
		{"created>=2024-01-01T00:00+08:00", true, true},
		{"created<2024-01-01T00:00Z", true, true},
		// Ages do not depend on the zone.
		{"created>1w", true, true},
	}
	docSH, docUTC := NewDoc(o, sh), NewDoc(o, nil)
	withLoc := Options{Now: testNow, Loc: func(shop string) *time.Location {
		if shop == "cn-shop" {
			return sh
		}
		return nil
	}}
	for _, r := range rows {
		q := mustParse(t, r.q)
		if got := q.Match(&docSH); got != r.inSH {
			t.Errorf("%q in Asia/Shanghai: %v, want %v", r.q, got, r.inSH)
		}
		if got := q.Match(&docUTC); got != r.inUTC {
			t.Errorf("%q in UTC: %v, want %v", r.q, got, r.inUTC)
		}
		if got := q.MatchOrder(o); got != r.inUTC {
			t.Errorf("%q MatchOrder without Loc: %v, want %v (UTC)", r.q, got, r.inUTC)
		}
		ql, err := Parse(r.q, withLoc)
		if err != nil {
			t.Fatal(err)
		}
		if got := ql.MatchOrder(o); got != r.inSH {
			t.Errorf("%q MatchOrder with the shop's Loc: %v, want %v", r.q, got, r.inSH)
		}
	}
}

// Across a daylight-saving change a literal is still wall-clock time in
// the shop's zone.
func TestDateLiteralsAcrossDST(t *testing.T) {
	t.Parallel()
	berlin := loadLoc(t, "Europe/Berlin")
	o := &backend.Order{Shop: "eu", CreatedAt: ptime(time.Date(2024, 3, 31, 1, 30, 0, 0, time.UTC))} // 03:30 CEST
	d := NewDoc(o, berlin)
	for q, want := range map[string]bool{
		"created=2024-03-31":        true,
		"created>=2024-03-31T03:30": true,
		"created<2024-03-31T03:00":  false,
		"created=2024-03-31T02:30":  false, // does not exist in Berlin that day
		"created<2024-03-31T01:30Z": false,
		"created=2024-03-31T01:30Z": true,
	} {
		if got := mustParse(t, q).Match(&d); got != want {
			t.Errorf("%q: %v, want %v", q, got, want)
		}
	}
}

// Without Options.Now, ages count from the time of Parse.
func TestAgesDefaultToNow(t *testing.T) {
	t.Parallel()
	o := baseOrder()
	o.CreatedAt = ptime(time.Now().Add(-time.Hour))
	q, err := Parse("created<2h", Options{})
	if err != nil {
		t.Fatal(err)
	}
	if !q.MatchOrder(o) {
		t.Fatal("an order an hour old is not created<2h")
	}
	if q, _ := Parse("created<1h", Options{}); q.MatchOrder(o) {
		t.Fatal("an order an hour old is created<1h")
	}
}
