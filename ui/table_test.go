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

// A status value is never cut, archived marker included: `cancelle…`
// reads as another state.
func TestTableNeverCutsStatus(t *testing.T) {
	orders := []*backend.Order{}
	for _, st := range []backend.OrderState{backend.OrderDraft, backend.OrderOpen, backend.OrderOnHold, backend.OrderCancelled, backend.OrderCompleted} {
		for _, arch := range []bool{false, true} {
			orders = append(orders, &backend.Order{Shop: "s", Number: "1", State: backend.State{Order: st, Archived: arch,
				Payment: backend.PayPartiallyRefunded, Fulfillment: backend.FulInProgress}})
		}
	}
	for _, p := range []backend.PaymentState{backend.PayUnpaid, backend.PayPending, backend.PayAuthorized, backend.PayPartiallyPaid,
		backend.PayPaid, backend.PayPartiallyRefunded, backend.PayRefunded, backend.PayVoided, backend.PayFailed, backend.PayUnknown} {
		orders = append(orders, &backend.Order{Shop: "s", Number: "2", State: backend.State{Order: backend.OrderOpen, Payment: p,
			Fulfillment: backend.FulUnfulfilled}})
	}
	for _, f := range []backend.FulfillmentState{backend.FulUnfulfilled, backend.FulOnHold, backend.FulInProgress, backend.FulPartial,
		backend.FulFulfilled, backend.FulDelivered, backend.FulReturned, backend.FulUnknown} {
		orders = append(orders, &backend.Order{Shop: "s", Number: "3", State: backend.State{Order: backend.OrderOpen, Payment: backend.PayPaid,
			Fulfillment: f}})
	}
	var buf bytes.Buffer
	if err := WriteTable(&buf, orders, time.UTC); err != nil {
		t.Fatal(err)
	}
	out := buf.String()
	if strings.Contains(out, "…") {
		t.Errorf("a cell was cut:\n%s", out)
	}
	lines := strings.Split(out, "\n")
	for i, o := range orders {
		fields := strings.Fields(lines[i+1])
		want := []string{string(o.State.Order) + archived(o), string(o.State.Payment), string(o.State.Fulfillment)}
		got := fields[len(fields)-len(want):]
		if strings.Join(got, " ") != strings.Join(want, " ") {
			t.Errorf("row %d: status cells %q, want %q", i+1, got, want)
		}
	}
}
