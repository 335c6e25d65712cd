package backend

import (
	"errors"
	"fmt"
	"strconv"
	"strings"
	"testing"
	"unicode/utf8"
)

func TestQuoteCutsLongInputs(t *testing.T) {
	for _, c := range []struct{ in, want string }{
		{"", `""`},
		{"SY1", `"SY1"`},
		{"a\tb", `"a\tb"`},
		{strings.Repeat("x", MaxQuoted), `"` + strings.Repeat("x", MaxQuoted) + `"`},
		{strings.Repeat("x", MaxQuoted+1), `"` + strings.Repeat("x", MaxQuoted) + `"…`},
		{strings.Repeat("运", 60<<10), `"` + strings.Repeat("运", MaxQuoted) + `"…`},
		{strings.Repeat("\xff", 200), `"` + strings.Repeat(`\xff`, MaxQuoted) + `"…`},
	} {
		if got := Quote(c.in); got != c.want {
			t.Errorf("Quote(%.20q…) = %.100s, want %.100s", c.in, got, c.want)
		}
	}
	if ex := Excerpt(strings.Repeat("单", 1000)); utf8.RuneCountInString(ex) != MaxQuoted+1 || !strings.HasSuffix(ex, "…") {
		t.Errorf("Excerpt: %q", ex)
	}
}

func TestActionTooLong(t *testing.T) {
	ok := Action{Kind: ActionShip, Shipment: Shipment{Carrier: "顺丰速运", TrackingNumber: strings.Repeat("9", MaxTrackingNumber),
		TrackingURL: "https://t.example/" + strings.Repeat("a", MaxTrackingURL-18)}}
	if err := ok.TooLong(); err != nil {
		t.Fatalf("values at their limits: %v", err)
	}
	// characters, not bytes: 100 CJK carrier characters are 300 bytes
	if err := (Action{Shipment: Shipment{Carrier: strings.Repeat("运", MaxCarrier)}}).TooLong(); err != nil {
		t.Fatalf("100 CJK characters: %v", err)
	}
	for _, c := range []struct {
		a     Action
		field string
		limit int
		n     int
	}{
		{Action{Shipment: Shipment{TrackingNumber: strings.Repeat("1", 20<<20)}}, "tracking number", MaxTrackingNumber, 20 << 20},
		{Action{Shipment: Shipment{Carrier: strings.Repeat("运", 5<<20)}}, "carrier", MaxCarrier, 5 << 20},
		{Action{Shipment: Shipment{TrackingURL: strings.Repeat("u", MaxTrackingURL+1)}}, "tracking URL", MaxTrackingURL, MaxTrackingURL + 1},
		{Action{Remark: strings.Repeat("r", MaxRemark+1)}, "remark", MaxRemark, MaxRemark + 1},
		{Action{Status: strings.Repeat("s", 100<<10)}, "status value", MaxStatusValue, 100 << 10},
	} {
		err := c.a.TooLong()
		var tl *TooLongError
		if !errors.As(err, &tl) || !errors.Is(err, ErrRefused) {
			t.Fatalf("%s: %v, want a TooLongError that is ErrRefused", c.field, err)
		}
		if tl.Field != c.field || tl.Limit != c.limit || tl.Length != c.n {
			t.Errorf("%s: %+v", c.field, tl)
		}
		msg := err.Error()
		if utf8.RuneCountInString(msg) > 200 || !strings.Contains(msg, fmt.Sprint(c.n)) || !strings.Contains(msg, fmt.Sprint(c.limit)) || !strings.Contains(msg, c.field) {
			t.Errorf("%s: message %.400s", c.field, msg)
		}
		ref := RefuseTooLong("sl", "ship 1001", c.a)
		if !errors.Is(ref, ErrRefused) || !strings.Contains(Reason(ref), c.field) {
			t.Errorf("%s: RefuseTooLong %v", c.field, ref)
		}
	}
}

// FuzzQuote: whatever the input, Quote shows at most MaxQuoted characters
// of it, and what it shows is the input's start.
func FuzzQuote(f *testing.F) {
	f.Add("SY1")
	f.Add(strings.Repeat("运", 100))
	f.Add("\xff\xfe\x00\"\\")
	f.Fuzz(func(t *testing.T, s string) {
		q := Quote(s)
		cut := strings.HasSuffix(q, "…") && !strings.HasSuffix(q, `"`)
		body, err := strconv.Unquote(strings.TrimSuffix(q, "…"))
		if err != nil {
			t.Fatalf("Quote(%q) = %s: %v", s, q, err)
		}
		if !strings.HasPrefix(s, body) || utf8.RuneCountInString(body) > MaxQuoted && utf8.ValidString(body) {
			t.Fatalf("Quote(%q) = %s", s, q)
		}
		if cut != (body != s) {
			t.Fatalf("Quote(%q) = %s: cut %v", s, q, cut)
		}
	})
}
