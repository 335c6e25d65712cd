package fecmall

import (
	"testing"

	"orderdesk/backend"
	"orderdesk/backend/internal/adapt"
)

func code(v int64) adapt.FlexInt { return adapt.FlexInt{V: v, Set: true} }

// TestStatusTable checks every row of statusTable: one case per row, the
// other two fields held at order 2 / payment 3 / fulfillment 2.
func TestStatusTable(t *testing.T) {
	t.Parallel()
	const (
		open, draft, cancelled = backend.OrderOpen, backend.OrderDraft, backend.OrderCancelled
		paid, unfulfilled      = backend.PayPaid, backend.FulUnfulfilled
	)
	cases := []struct {
		field       string
		code        int64
		order       backend.OrderState
		archived    bool
		payment     backend.PaymentState
		fulfillment backend.FulfillmentState
		label       string
	}{
		{fieldOrder, 1, draft, false, paid, unfulfilled, "checkout, paid, awaiting shipment"},
		{fieldOrder, 2, open, false, paid, unfulfilled, "open, paid, awaiting shipment"},
		{fieldOrder, 3, open, true, paid, unfulfilled, "archived, paid, awaiting shipment"},
		{fieldOrder, 4, cancelled, false, paid, unfulfilled, "cancelled, paid, awaiting shipment"},
		{fieldPayment, 1, open, false, backend.PayUnpaid, unfulfilled, "open, no payment yet, awaiting shipment"},
		{fieldPayment, 2, open, false, backend.PayUnpaid, unfulfilled, "open, awaiting payment, awaiting shipment"},
		{fieldPayment, 3, open, false, backend.PayPaid, unfulfilled, "open, paid, awaiting shipment"},
		{fieldPayment, 4, open, false, backend.PayPartiallyRefunded, unfulfilled, "open, partly refunded, awaiting shipment"},
		{fieldPayment, 5, open, false, backend.PayRefunded, unfulfilled, "open, refunded, awaiting shipment"},
		{fieldFulfillment, 1, open, false, paid, backend.FulUnfulfilled, "open, paid, not shipped"},
		{fieldFulfillment, 2, open, false, paid, backend.FulUnfulfilled, "open, paid, awaiting shipment"},
		{fieldFulfillment, 3, open, false, paid, backend.FulOnHold, "open, paid, on hold"},
		{fieldFulfillment, 4, open, false, paid, backend.FulPartial, "open, paid, partly shipped"},
		{fieldFulfillment, 5, open, false, paid, backend.FulFulfilled, "open, paid, shipped"},
		{fieldFulfillment, 6, open, false, paid, backend.FulFulfilled, "open, paid, partly received"},
		{fieldFulfillment, 7, open, false, paid, backend.FulDelivered, "open, paid, received"},
		{fieldFulfillment, 8, open, false, paid, backend.FulReturned, "open, paid, returned"},
	}
	if len(cases) != len(statusTable) {
		t.Fatalf("%d cases for %d table rows: every row needs a case", len(cases), len(statusTable))
	}
	for _, c := range cases {
		codes := map[string]int64{fieldOrder: 2, fieldPayment: 3, fieldFulfillment: 2}
		codes[c.field] = c.code
		st, raw, label, err := mapStatus(code(codes[fieldOrder]), code(codes[fieldPayment]), code(codes[fieldFulfillment]))
		if err != nil {
			t.Errorf("%s %d: %v", c.field, c.code, err)
			continue
		}
		want := backend.State{Order: c.order, Archived: c.archived, Payment: c.payment, Fulfillment: c.fulfillment}
		if st != want || label != c.label {
			t.Errorf("%s %d: %+v %q, want %+v %q", c.field, c.code, st, label, want, c.label)
		}
		if len(raw) != 3 || raw[c.field] != string(rune('0'+c.code)) {
			t.Errorf("%s %d: raw_status %v", c.field, c.code, raw)
		}
	}
}

// TestStatusUnknownCodes: unknown payment/fulfillment codes read as unknown;
// an unknown or missing order_status, or any missing field, is an error.
func TestStatusUnknownCodes(t *testing.T) {
	t.Parallel()
	st, raw, label, err := mapStatus(code(2), code(9), code(12))
	want := backend.State{Order: backend.OrderOpen, Payment: backend.PayUnknown, Fulfillment: backend.FulUnknown}
	if err != nil || st != want || label != "open, payment 9, fulfillment 12" || raw[fieldFulfillment] != "12" {
		t.Errorf("got %+v %q %v %v", st, label, raw, err)
	}
	for _, c := range []struct {
		o, p, f adapt.FlexInt
		field   string
	}{
		{code(5), code(3), code(2), fieldOrder},
		{adapt.FlexInt{}, code(3), code(2), fieldOrder},
		{code(2), adapt.FlexInt{}, code(2), fieldPayment},
		{code(2), code(3), adapt.FlexInt{}, fieldFulfillment},
	} {
		_, _, _, err := mapStatus(c.o, c.p, c.f)
		if fe, ok := err.(*adapt.FieldError); !ok || fe.Field != c.field {
			t.Errorf("%v/%v/%v: error %v, want one naming %s", c.o, c.p, c.f, err, c.field)
		}
	}
}
