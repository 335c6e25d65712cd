package shopline

import (
	"strings"

	"orderdesk/backend"
)

// statusField is one of the four wire facts an order's state is read from.
type statusField string

const (
	fieldFinancial   statusField = "financial_status"
	fieldFulfillment statusField = "fulfillment_status" // response values: fulfilled, partial, null
	fieldCancelled   statusField = "cancelled"          // "true" when cancelled_at is set
	fieldHidden      statusField = "hidden_order"       // "true" = archived
)

// statusRow maps one raw value of one field onto its axis of backend.State.
type statusRow struct {
	field       statusField
	raw         string
	order       backend.OrderState
	payment     backend.PaymentState
	fulfillment backend.FulfillmentState
	archived    bool
	label       string
}

// statusTable is the SHOPLINE mapping (ORDERS-FIELD-NOTES §2.3 "Shopline").
// The four fields are independent axes, so each row sets one axis; the
// label joins the non-empty labels in the order lifecycle, archived,
// payment, fulfilment. SHOPLINE has no "completed" state: an archived order
// stays open with Archived set. Values not in the table map to unknown with
// the raw value as label (a new enum value must not fail a whole page).
var statusTable = []statusRow{
	{field: fieldCancelled, raw: "false", order: backend.OrderOpen},
	{field: fieldCancelled, raw: "true", order: backend.OrderCancelled, label: "cancelled"},
	{field: fieldHidden, raw: "false"},
	{field: fieldHidden, raw: "true", archived: true, label: "archived"},
	{field: fieldFinancial, raw: "unpaid", payment: backend.PayUnpaid, label: "unpaid"},
	{field: fieldFinancial, raw: "pending", payment: backend.PayPending, label: "payment pending"},
	{field: fieldFinancial, raw: "authorized", payment: backend.PayAuthorized, label: "authorized"},
	{field: fieldFinancial, raw: "partially_paid", payment: backend.PayPartiallyPaid, label: "partially paid"},
	{field: fieldFinancial, raw: "paid", payment: backend.PayPaid, label: "paid"},
	{field: fieldFinancial, raw: "partially_refunded", payment: backend.PayPartiallyRefunded, label: "partially refunded"},
	{field: fieldFinancial, raw: "refunded", payment: backend.PayRefunded, label: "refunded"},
	// voided appears only in the SDK's Shopify-derived fixture; kept so it
	// is not "unknown" if a store ever sends it.
	{field: fieldFinancial, raw: "voided", payment: backend.PayVoided, label: "voided"},
	{field: fieldFinancial, raw: "", payment: backend.PayUnknown, label: "payment unknown"},
	{field: fieldFulfillment, raw: "", fulfillment: backend.FulUnfulfilled, label: "unshipped"},
	{field: fieldFulfillment, raw: "partial", fulfillment: backend.FulPartial, label: "partially shipped"},
	{field: fieldFulfillment, raw: "fulfilled", fulfillment: backend.FulFulfilled, label: "shipped"},
}

// lookupStatus returns the row for a raw value, or an "unknown" row.
func lookupStatus(f statusField, raw string) statusRow {
	for _, r := range statusTable {
		if r.field == f && r.raw == raw {
			return r
		}
	}
	return statusRow{field: f, raw: raw, payment: backend.PayUnknown, fulfillment: backend.FulUnknown, label: raw}
}

// mapStatus computes the state and label of an order. financial and
// fulfillment are the wire values ("" for null).
func mapStatus(financial, fulfillment string, cancelled, hidden bool) (backend.State, string) {
	rows := []statusRow{
		lookupStatus(fieldCancelled, boolText(cancelled)),
		lookupStatus(fieldHidden, boolText(hidden)),
		lookupStatus(fieldFinancial, financial),
		lookupStatus(fieldFulfillment, fulfillment),
	}
	st := backend.State{
		Order:       rows[0].order,
		Archived:    rows[1].archived,
		Payment:     rows[2].payment,
		Fulfillment: rows[3].fulfillment,
	}
	var labels []string
	for _, r := range rows {
		if r.label != "" {
			labels = append(labels, r.label)
		}
	}
	return st, strings.Join(labels, ", ")
}

func boolText(b bool) string {
	if b {
		return "true"
	}
	return "false"
}

// rawStatus is the order's raw_status: the status fields verbatim, null
// written as "null", cancelled_at only when set.
func rawStatus(w *wireOrder) map[string]string {
	ful := string(w.FulfillmentStatus)
	if ful == "" {
		ful = "null"
	}
	hidden := string(w.HiddenOrder)
	if hidden == "" {
		hidden = "false"
	}
	m := map[string]string{
		string(fieldFinancial):   string(w.FinancialStatus),
		string(fieldFulfillment): ful,
		string(fieldHidden):      hidden,
	}
	if w.CancelledAt != "" {
		m["cancelled_at"] = string(w.CancelledAt)
	}
	return m
}
