package query

import (
	"fmt"
	"math"
	"strconv"
	"strings"
	"time"

	"orderdesk/backend"
)

// parseTotal reads an amount literal: a decimal ("100", "12.93", "-5")
// with an optional ISO 4217 code glued or spaced after it ("1200jpy",
// "12.93 USD"). The code, when given, is returned folded.
func parseTotal(v string) (backend.Amount, string, bool) {
	num, cur := v, ""
	if n := len(v); n > 3 && letters(v[n-3:]) && !letters(v[n-4:n-3]) {
		num, cur = strings.TrimSpace(v[:n-3]), v[n-3:]
	}
	if num == "" {
		return backend.Amount{}, "", false
	}
	a, err := backend.ParseAmount(num, cur)
	if err != nil {
		return backend.Amount{}, "", false
	}
	return a, cur, true
}

func letters(s string) bool {
	for i := 0; i < len(s); i++ {
		if s[i] < 'a' || s[i] > 'z' {
			return false
		}
	}
	return true
}

// dateForms are the date literals, most precise first. A literal names an
// interval: the second, minute, day or month it writes. Forms without an
// offset are wall-clock times in each order's shop zone.
var dateForms = []struct {
	layout string
	next   func(time.Time) time.Time
	wall   bool
}{
	{"2006-01-02T15:04:05Z07:00", func(t time.Time) time.Time { return t.Add(time.Second) }, false},
	{"2006-01-02T15:04Z07:00", func(t time.Time) time.Time { return t.Add(time.Minute) }, false},
	{"2006-01-02T15:04:05", func(t time.Time) time.Time { return t.Add(time.Second) }, true},
	{"2006-01-02T15:04", func(t time.Time) time.Time { return t.Add(time.Minute) }, true},
	{"2006-01-02 15:04:05", func(t time.Time) time.Time { return t.Add(time.Second) }, true},
	{"2006-01-02 15:04", func(t time.Time) time.Time { return t.Add(time.Minute) }, true},
	{"2006-01-02", func(t time.Time) time.Time { return t.AddDate(0, 0, 1) }, true},
	{"2006-01", func(t time.Time) time.Time { return t.AddDate(0, 1, 0) }, true},
}

// maxAge bounds relative ages (about 270 years) so arithmetic never
// overflows.
const maxAge = 100000 * 24 * time.Hour

// timeRange turns "created OP v" into the range of seconds [lo, hi) an
// order's time must fall in. wall says lo and hi count wall-clock seconds
// in the shop's zone (date literals without an offset); otherwise they are
// unix seconds (ages, literals with an offset). canon is v in canonical
// form; msg is set when v is neither a date nor an age.
func timeRange(c relation, v string, now time.Time) (lo, hi int64, wall bool, canon, msg string) {
	if age, ok, bad := parseAge(v); bad != "" {
		return 0, 0, false, "", bad
	} else if ok {
		if c == relEQ {
			return 0, 0, false, "", fmt.Sprintf("an age needs < or > (created<%s: newer than %s; created>%s: older)", v, v, v)
		}
		lo, hi = ageRange(c, now.Unix()-int64(age/time.Second))
		return lo, hi, false, v, ""
	}
	u := strings.ToUpper(v)
	for _, f := range dateForms {
		t, err := time.Parse(f.layout, u)
		if err != nil {
			continue
		}
		// A literal without an offset parses in UTC, so its unix seconds
		// are its wall-clock seconds.
		lo, hi = intervalRange(c, t.Unix(), f.next(t).Unix())
		return lo, hi, f.wall, u, ""
	}
	return 0, 0, false, "", fmt.Sprintf("%s is not a date (2024-01-31, 2024-01-31T10:00, 2024-01) or an age (12h, 7d, 2w)", backend.Quote(v))
}

// parseAge reads "12h", "7d", "2w". ok is false when v is not of that
// shape; bad explains a shape that is out of range.
func parseAge(v string) (age time.Duration, ok bool, bad string) {
	if len(v) < 2 {
		return 0, false, ""
	}
	var unit time.Duration
	switch v[len(v)-1] {
	case 'h':
		unit = time.Hour
	case 'd':
		unit = 24 * time.Hour
	case 'w':
		unit = 7 * 24 * time.Hour
	default:
		return 0, false, ""
	}
	num := v[:len(v)-1]
	for i := 0; i < len(num); i++ {
		if num[i] < '0' || num[i] > '9' {
			return 0, false, ""
		}
	}
	n, err := strconv.ParseInt(num, 10, 64)
	if err != nil || n > int64(maxAge/unit) {
		return 0, false, fmt.Sprintf("age %s is too large", backend.Quote(v))
	}
	return time.Duration(n) * unit, true, ""
}

// ageRange is the range of created/updated for "< AGE" style comparisons,
// where b is now minus the age: newer than the age means after b.
func ageRange(c relation, b int64) (lo, hi int64) {
	lo, hi = math.MinInt64, math.MaxInt64
	switch c {
	case relLT: // less than AGE ago
		lo = b + 1
	case relLE:
		lo = b
	case relGT: // more than AGE ago
		hi = b
	case relGE:
		hi = b + 1
	}
	return lo, hi
}

// intervalRange is the range for comparing with a literal that names the
// interval [start, end): after it, from it on, before it, up to its end,
// within it.
func intervalRange(c relation, start, end int64) (lo, hi int64) {
	lo, hi = math.MinInt64, math.MaxInt64
	switch c {
	case relGT:
		lo = end
	case relGE:
		lo = start
	case relLT:
		hi = start
	case relLE:
		hi = end
	case relEQ:
		lo, hi = start, end
	}
	return lo, hi
}
