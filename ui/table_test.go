package ui

import (
	"bytes"
	"strings"
	"testing"
	"time"

	"github.com/charmbracelet/x/ansi"

	"orderdesk/backend"
)

func TestTableAlignsByDisplayWidth(t *testing.T) {
	created := time.Date(2026, 11, 20, 1, 2, 0, 0, time.UTC)
	mk := func(name, cur, total string) *backend.Order {
		return &backend.Order{
			Shop: "s", Number: "1", Currency: cur, CreatedAt: &created,
			Customer: backend.Customer{Name: name},
			Totals:   backend.Totals{GrandTotal: backend.MustAmount(total, cur)},
			State:    backend.State{Order: backend.OrderOpen, Payment: backend.PayPaid, Fulfillment: backend.FulUnfulfilled},
			Items:    []backend.Item{{Qty: 2}},
		}
	}
	orders := []*backend.Order{mk("赵地虎", "USD", "32"), mk("John Smith", "JPY", "1200"), mk("佐藤 花子\x1b[31m", "EUR", "5.5")}
	var buf bytes.Buffer
	if err := WriteTable(&buf, orders, time.FixedZone("CST", 8*3600)); err != nil {
		t.Fatal(err)
	}
	lines := strings.Split(strings.TrimRight(buf.String(), "\n"), "\n")
	if len(lines) != 4 {
		t.Fatalf("want header + 3 rows:\n%s", buf.String())
	}
	// Every row has the same display width, and the TOTAL column ends at
	// the same cell in every row.
	w := ansi.StringWidth(lines[1])
	for _, l := range lines[1:] {
		if ansi.StringWidth(l) != w {
			t.Errorf("row widths differ:\n%s", buf.String())
		}
	}
	if !strings.Contains(lines[1], "2026-11-20 09:02") || !strings.Contains(lines[1], "32.00 USD") || !strings.Contains(lines[2], "1200 JPY") {
		t.Errorf("cells wrong:\n%s", buf.String())
	}
	if strings.Contains(buf.String(), "\x1b") {
		t.Error("control characters from shop data must not reach the terminal")
	}
}
