package fecmall

import (
	"strings"
	"testing"

	"orderdesk/backend"
	"orderdesk/backend/internal/adapt"
)

func TestNewValidatesConfig(t *testing.T) {
	t.Parallel()
	tok := backend.NewSecret("a-valid-token-123")
	remember(tok.Reveal())
	cases := []struct {
		cfg  backend.ShopConfig
		want string
	}{
		{backend.ShopConfig{URL: "https://shop.example.com", Token: tok}, "needs a name"},
		{backend.ShopConfig{Name: "x", Platform: backend.Fecshop, URL: "https://shop.example.com", Token: tok}, `platform is "fecshop"`},
		{backend.ShopConfig{Name: "x", Token: tok}, "url must be the shop's address"},
		{backend.ShopConfig{Name: "x", URL: "shop.example.com", Token: tok}, "url must be the shop's address"},
		{backend.ShopConfig{Name: "x", URL: "ftp://shop.example.com", Token: tok}, "url must be the shop's address"},
		{backend.ShopConfig{Name: "x", URL: "https://u:p@shop.example.com", Token: tok}, "must not carry credentials"},
		{backend.ShopConfig{Name: "x", URL: "https://shop.example.com/?token=abc", Token: tok}, "must not carry credentials"},
		{backend.ShopConfig{Name: "x", URL: "https://shop.example.com"}, "no token: create a permission in the admin's Open API plugin"},
	}
	for _, c := range cases {
		_, err := New(c.cfg)
		if err == nil || !strings.Contains(collector.Err(err).Error(), c.want) {
			t.Errorf("%+v: %v, want %q", c.cfg, err, c.want)
			continue
		}
		if strings.Contains(err.Error(), tok.Reveal()) {
			t.Errorf("error shows the token: %v", err)
		}
	}
	s, err := New(backend.ShopConfig{Name: "x", URL: "https://shop.example.com/", Token: tok})
	if err != nil || s.Name() != "x" || s.Platform() != backend.Fecmall {
		t.Errorf("valid config: %v", collector.Err(err))
	}
}

// TestCursor: the cursor names the list and the page; nonsense is refused.
func TestCursor(t *testing.T) {
	t.Parallel()
	for in, want := range map[string]cursor{"": {0, 1}, "paid:3": {0, 3}, "unpaid:1": {1, 1}} {
		if got, ok := parseCursor(in); !ok || got != want || (in != "" && got.String() != in) {
			t.Errorf("%q: %v %v", in, got, ok)
		}
	}
	for _, bad := range []string{"paid", "paid:0", "unpaid:x", "both:1", "3"} {
		if _, ok := parseCursor(bad); ok {
			t.Errorf("%q accepted", bad)
		}
	}
	s := &Shop{pageSize: 10}
	for _, c := range []struct {
		at    cursor
		rows  int
		total adapt.FlexInt
		want  string
	}{
		{cursor{0, 1}, 10, code(3), "paid:2"},
		{cursor{0, 3}, 4, code(3), "unpaid:1"},
		{cursor{0, 1}, 0, code(0), "unpaid:1"},
		{cursor{1, 1}, 10, code(1), ""},
		{cursor{1, 2}, 10, adapt.FlexInt{}, "unpaid:3"}, // no totalPage: a full page means more
		{cursor{1, 2}, 9, adapt.FlexInt{}, ""},
		{cursor{0, 2}, 0, code(5), "unpaid:1"}, // an empty page ends the list
	} {
		if got := s.next(c.at, c.rows, c.total); got != c.want {
			t.Errorf("next after %v (%d rows, totalPage %v): %q, want %q", c.at, c.rows, c.total, got, c.want)
		}
	}
}
