package shopline

import (
	"testing"

	"orderdesk/backend"
)

// One case per statusTable row, expected values written out.
func TestStatusTableRowByRow(t *testing.T) {
	t.Parallel()
	cases := []struct {
		field       statusField
		raw         string
		order       backend.OrderState
		payment     backend.PaymentState
		fulfillment backend.FulfillmentState
		archived    bool
		label       string
	}{
		{fieldCancelled, "false", backend.OrderOpen, "", "", false, ""},
		{fieldCancelled, "true", backend.OrderCancelled, "", "", false, "cancelled"},
		{fieldHidden, "false", "", "", "", false, ""},
		{fieldHidden, "true", "", "", "", true, "archived"},
		{fieldFinancial, "unpaid", "", backend.PayUnpaid, "", false, "unpaid"},
		{fieldFinancial, "pending", "", backend.PayPending, "", false, "payment pending"},
		{fieldFinancial, "authorized", "", backend.PayAuthorized, "", false, "authorized"},
		{fieldFinancial, "partially_paid", "", backend.PayPartiallyPaid, "", false, "partially paid"},
		{fieldFinancial, "paid", "", backend.PayPaid, "", false, "paid"},
		{fieldFinancial, "partially_refunded", "", backend.PayPartiallyRefunded, "", false, "partially refunded"},
		{fieldFinancial, "refunded", "", backend.PayRefunded, "", false, "refunded"},
		{fieldFinancial, "voided", "", backend.PayVoided, "", false, "voided"},
		{fieldFinancial, "", "", backend.PayUnknown, "", false, "payment unknown"},
		{fieldFulfillment, "", "", "", backend.FulUnfulfilled, false, "unshipped"},
		{fieldFulfillment, "partial", "", "", backend.FulPartial, false, "partially shipped"},
		{fieldFulfillment, "fulfilled", "", "", backend.FulFulfilled, false, "shipped"},
	}
	if len(cases) != len(statusTable) {
		t.Fatalf("%d cases for %d table rows: every row needs its case", len(cases), len(statusTable))
	}
	for i, c := range cases {
		r := statusTable[i]
		if r.field != c.field || r.raw != c.raw {
			t.Fatalf("case %d is %s=%q, table row is %s=%q", i, c.field, c.raw, r.field, r.raw)
		}
		got := lookupStatus(c.field, c.raw)
		if got.order != c.order || got.payment != c.payment || got.fulfillment != c.fulfillment || got.archived != c.archived || got.label != c.label {
			t.Errorf("%s=%q: got %+v", c.field, c.raw, got)
		}
	}
}

// The axes combine; values SHOPLINE may add later map to unknown, labelled
// with the raw value, instead of failing the page.
func TestMapStatusCombinesTheAxes(t *testing.T) {
	t.Parallel()
	for _, c := range []struct {
		financial, fulfillment string
		cancelled, hidden      bool
		want                   backend.State
		label                  string
	}{
		{"paid", "", false, false, backend.State{Order: backend.OrderOpen, Payment: backend.PayPaid, Fulfillment: backend.FulUnfulfilled}, "paid, unshipped"},
		{"refunded", "fulfilled", true, true, backend.State{Order: backend.OrderCancelled, Payment: backend.PayRefunded, Fulfillment: backend.FulFulfilled, Archived: true}, "cancelled, archived, refunded, shipped"},
		{"paid", "partial", false, true, backend.State{Order: backend.OrderOpen, Payment: backend.PayPaid, Fulfillment: backend.FulPartial, Archived: true}, "archived, paid, partially shipped"},
		{"chargeback", "restocked", false, false, backend.State{Order: backend.OrderOpen, Payment: backend.PayUnknown, Fulfillment: backend.FulUnknown}, "chargeback, restocked"},
		{"", "", false, false, backend.State{Order: backend.OrderOpen, Payment: backend.PayUnknown, Fulfillment: backend.FulUnfulfilled}, "payment unknown, unshipped"},
	} {
		st, label := mapStatus(c.financial, c.fulfillment, c.cancelled, c.hidden)
		if st != c.want || label != c.label {
			t.Errorf("mapStatus(%q, %q, %v, %v) = %+v %q, want %+v %q", c.financial, c.fulfillment, c.cancelled, c.hidden, st, label, c.want, c.label)
		}
	}
}
