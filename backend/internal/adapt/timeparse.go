package adapt

import (
	"fmt"
	"strings"
	"time"

	"orderdesk/backend"
)

// NaiveLayout is the shop-local "YYYY-MM-DD HH:MM:SS" many platforms send.
const NaiveLayout = "2006-01-02 15:04:05"

// ParseNaive reads a naive shop-local time in loc. "", "0" and the all-zero
// MySQL date mean unset (nil).
func ParseNaive(s string, loc *time.Location) (*time.Time, error) {
	s = strings.TrimSpace(s)
	if s == "" || s == "0" || strings.HasPrefix(s, "0000-00-00") {
		return nil, nil
	}
	if loc == nil {
		loc = time.UTC
	}
	for _, layout := range []string{NaiveLayout, "2006-01-02T15:04:05", "2006-01-02 15:04", "2006-01-02"} {
		if t, err := time.ParseInLocation(layout, s, loc); err == nil {
			return backend.UTC(t), nil
		}
	}
	return nil, fmt.Errorf("time %q is not YYYY-MM-DD HH:MM:SS", s)
}

// ParseISO reads an ISO 8601 / RFC 3339 time with an offset (fractions
// allowed). A value without an offset is read in loc. "" means unset.
func ParseISO(s string, loc *time.Location) (*time.Time, error) {
	s = strings.TrimSpace(s)
	if s == "" {
		return nil, nil
	}
	for _, layout := range []string{time.RFC3339Nano, "2006-01-02T15:04:05Z0700", "2006-01-02T15:04Z07:00"} {
		if t, err := time.Parse(layout, s); err == nil {
			return backend.UTC(t), nil
		}
	}
	if t, err := ParseNaive(s, loc); err == nil {
		return t, nil
	}
	return nil, fmt.Errorf("time %q is not ISO 8601", s)
}

// FormatShopDate writes a date as YYYY-M-D without zero padding, the form
// YMCart's filters take.
func FormatShopDate(t time.Time, loc *time.Location) string {
	if loc != nil {
		t = t.In(loc)
	}
	return fmt.Sprintf("%d-%d-%d", t.Year(), int(t.Month()), t.Day())
}
