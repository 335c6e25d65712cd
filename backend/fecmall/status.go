package fecmall

import (
	"fmt"
	"strconv"
	"strings"

	"orderdesk/backend"
	"orderdesk/backend/internal/adapt"
)

// The three raw status fields, as named on the wire and in raw_status.
const (
	fieldOrder       = "order_status"
	fieldPayment     = "payment_status"
	fieldFulfillment = "fulfillment_status"
)

// statusRow maps one value of one raw status field onto its axis; the
// other axes of the row are unused.
type statusRow struct {
	field       string
	code        int64
	label       string
	order       backend.OrderState
	archived    bool
	payment     backend.PaymentState
	fulfillment backend.FulfillmentState
}

// statusTable is the whole status mapping (ORDERS-FIELD-NOTES §2.3, adapted
// to SPEC §2's axis values; the package doc explains the choices).
var statusTable = []statusRow{
	{field: fieldOrder, code: 1, label: "checkout", order: backend.OrderDraft},
	{field: fieldOrder, code: 2, label: "open", order: backend.OrderOpen},
	{field: fieldOrder, code: 3, label: "archived", order: backend.OrderOpen, archived: true},
	{field: fieldOrder, code: 4, label: "cancelled", order: backend.OrderCancelled},

	{field: fieldPayment, code: 1, label: "no payment yet", payment: backend.PayUnpaid},
	{field: fieldPayment, code: 2, label: "awaiting payment", payment: backend.PayUnpaid},
	{field: fieldPayment, code: 3, label: "paid", payment: backend.PayPaid},
	{field: fieldPayment, code: 4, label: "partly refunded", payment: backend.PayPartiallyRefunded},
	{field: fieldPayment, code: 5, label: "refunded", payment: backend.PayRefunded},

	{field: fieldFulfillment, code: 1, label: "not shipped", fulfillment: backend.FulUnfulfilled},
	{field: fieldFulfillment, code: 2, label: "awaiting shipment", fulfillment: backend.FulUnfulfilled},
	{field: fieldFulfillment, code: 3, label: "on hold", fulfillment: backend.FulOnHold},
	{field: fieldFulfillment, code: 4, label: "partly shipped", fulfillment: backend.FulPartial},
	{field: fieldFulfillment, code: 5, label: "shipped", fulfillment: backend.FulFulfilled},
	{field: fieldFulfillment, code: 6, label: "partly received", fulfillment: backend.FulFulfilled},
	{field: fieldFulfillment, code: 7, label: "received", fulfillment: backend.FulDelivered},
	{field: fieldFulfillment, code: 8, label: "returned", fulfillment: backend.FulReturned},
}

func lookupStatus(field string, code int64) (statusRow, bool) {
	for _, r := range statusTable {
		if r.field == field && r.code == code {
			return r, true
		}
	}
	return statusRow{}, false
}

// mapStatus turns the three raw codes into the state, raw_status and label.
// An unknown payment or fulfillment code reads as "unknown" on its axis (the
// raw value stays in raw_status); an unknown or missing order_status, which
// has no unknown value, is an error naming the field.
func mapStatus(order, payment, fulfillment adapt.FlexInt) (backend.State, map[string]string, string, error) {
	raw := map[string]string{}
	var st backend.State
	var labels []string
	for _, f := range []struct {
		name string
		v    adapt.FlexInt
	}{{fieldOrder, order}, {fieldPayment, payment}, {fieldFulfillment, fulfillment}} {
		if !f.v.Set {
			return backend.State{}, nil, "", &adapt.FieldError{Field: f.name, Err: adapt.ErrMissing}
		}
		raw[f.name] = strconv.FormatInt(f.v.V, 10)
		row, ok := lookupStatus(f.name, f.v.V)
		switch {
		case ok:
			labels = append(labels, row.label)
		case f.name == fieldOrder:
			return backend.State{}, nil, "", &adapt.FieldError{Field: f.name, Err: fmt.Errorf("unknown value %d", f.v.V)}
		default:
			row = statusRow{payment: backend.PayUnknown, fulfillment: backend.FulUnknown}
			labels = append(labels, strings.TrimSuffix(f.name, "_status")+" "+raw[f.name])
		}
		switch f.name {
		case fieldOrder:
			st.Order, st.Archived = row.order, row.archived
		case fieldPayment:
			st.Payment = row.payment
		default:
			st.Fulfillment = row.fulfillment
		}
	}
	return st, raw, strings.Join(labels, ", "), nil
}
