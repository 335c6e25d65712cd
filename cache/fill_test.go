package cache

import (
	"fmt"
	"testing"

	"orderdesk/backend"
)

func TestFillPages(t *testing.T) {
	t.Parallel()
	s := openTest(t)
	if err := Fill(s, nil, 0); err == nil {
		t.Error("page size 0 accepted")
	}
	var orders []*backend.Order
	for i := range 250 {
		orders = append(orders, fullOrder([]string{"a", "b"}[i/100%2], fmt.Sprint(i)))
	}
	if err := Fill(s, orders, 30); err != nil {
		t.Fatal(err)
	}
	for shop, want := range map[string]int{"a": 150, "b": 100} {
		if n, _ := s.Count(shop); n != want {
			t.Errorf("Count(%s) = %d, want %d", shop, n, want)
		}
	}
	if err := Fill(s, []*backend.Order{nil}, 10); err == nil {
		t.Error("nil order accepted")
	}
}
