package fecshop

import (
	"orderdesk/backend"
)

// statusRow is everything the desk knows about one Fecshop order_status
// value: what it means on the three axes (all inferred, Fecshop has one
// combined field), a short label, whether updateorderstatus accepts it, which
// values the desk offers from it, and whether an order in it may be shipped.
type statusRow struct {
	raw      string
	label    string
	order    backend.OrderState
	payment  backend.PaymentState
	ful      backend.FulfillmentState
	settable bool     // in updateorderstatus's accepted list
	next     []string // values the status action offers from this status
	ships    bool     // ship (dispatched + tracking) allowed from this status
}

// statuses is THE table of Fecshop order statuses, in the admin's order.
//
// Axes follow ORDERS-FIELD-NOTES §2.3 with two decisions of ours:
//   - refunded → order completed (money settled, nothing more to do; the
//     desk offers nothing from it), fulfilment unknown (a refund says
//     nothing about whether goods left).
//   - payment_canceled → payment unpaid: the money never arrived, so there
//     is nothing to void or refund.
//
// The "next" column mirrors the admin's workflow, because the API itself
// accepts any of its 10 values from any status:
//   - before payment: confirm payment (bank transfer arrived), cancel, or
//     record the gateway's state (processing / suspected fraud);
//   - suspected fraud: clear it (payment_confirmed), hold it for review,
//     refund it, or cancel it;
//   - paid and not shipped: hold/release (holded ↔ processing or back to
//     payment_confirmed), start picking (processing), refund;
//   - shipped or received: complete or refund; completed: refund (a return);
//   - refunded, payment_canceled and canceled are final: stock has been
//     returned or money settled, reopening them would corrupt both.
//   - dispatched is never offered as a plain status: it is what ship sends,
//     together with the tracking number, so a shipped order always has one.
//   - received and canceled exist but the API does not accept them.
var statuses = []statusRow{
	{"payment_pending", "awaiting payment", backend.OrderOpen, backend.PayUnpaid, backend.FulUnfulfilled, true,
		[]string{"payment_processing", "payment_confirmed", "payment_canceled"}, false},
	{"payment_processing", "payment processing", backend.OrderOpen, backend.PayPending, backend.FulUnfulfilled, true,
		[]string{"payment_confirmed", "payment_suspected_fraud", "payment_canceled"}, false},
	{"payment_confirmed", "paid", backend.OrderOpen, backend.PayPaid, backend.FulUnfulfilled, true,
		[]string{"holded", "processing", "refunded"}, true},
	{"payment_canceled", "payment cancelled", backend.OrderCancelled, backend.PayUnpaid, backend.FulUnfulfilled, true,
		nil, false},
	{"holded", "on hold", backend.OrderOnHold, backend.PayPaid, backend.FulOnHold, true,
		[]string{"payment_confirmed", "processing", "refunded"}, false},
	{"payment_suspected_fraud", "suspected fraud", backend.OrderOnHold, backend.PayPending, backend.FulUnfulfilled, true,
		[]string{"payment_confirmed", "holded", "refunded", "payment_canceled"}, false},
	{"processing", "processing", backend.OrderOpen, backend.PayPaid, backend.FulInProgress, true,
		[]string{"holded", "refunded"}, true},
	{"dispatched", "dispatched", backend.OrderOpen, backend.PayPaid, backend.FulFulfilled, true,
		[]string{"completed", "refunded"}, false},
	{"received", "received", backend.OrderOpen, backend.PayPaid, backend.FulDelivered, false,
		[]string{"completed", "refunded"}, false},
	{"refunded", "refunded", backend.OrderCompleted, backend.PayRefunded, backend.FulUnknown, true,
		nil, false},
	{"completed", "completed", backend.OrderCompleted, backend.PayPaid, backend.FulDelivered, true,
		[]string{"refunded"}, false},
	{"canceled", "cancelled after payment", backend.OrderCancelled, backend.PayUnknown, backend.FulUnknown, false,
		nil, false},
}

// lookupStatus finds a raw status in the table.
func lookupStatus(raw string) (statusRow, bool) {
	for _, r := range statuses {
		if r.raw == raw {
			return r, true
		}
	}
	return statusRow{}, false
}

// stateOf maps a raw order_status to the normalised state and label. A
// value not in the table (a plugin's own status) is kept verbatim as the
// label, with the order open and payment and fulfilment unknown: the order
// stays visible in open lists rather than being guessed into a final state.
func stateOf(raw string) (backend.State, string) {
	r, ok := lookupStatus(raw)
	if !ok {
		return backend.State{Order: backend.OrderOpen, Payment: backend.PayUnknown, Fulfillment: backend.FulUnknown, Inferred: true}, raw
	}
	return backend.State{Order: r.order, Payment: r.payment, Fulfillment: r.ful, Inferred: true}, r.label
}

// irreversible says what the final values the desk can set do that cannot
// be undone (the table offers nothing from them).
var irreversible = map[string]string{
	"payment_canceled": "cancels the order: it is final, nothing can be set after it",
	"refunded":         "marks the order refunded: it is final, nothing can be set after it (the money itself is refunded in the payment provider)",
}

// settableValues lists every value updateorderstatus accepts, with labels,
// in table order.
// StatusValues are the values a Fecshop shop's status can be set to (its
// Capabilities' Status.Values), known without a shop: shell completion
// offers them.
func StatusValues() []backend.StatusValue { return settableValues() }

func settableValues() []backend.StatusValue {
	var out []backend.StatusValue
	for _, r := range statuses {
		if r.settable {
			out = append(out, backend.StatusValue{Value: r.raw, Label: r.label, Irreversible: irreversible[r.raw]})
		}
	}
	return out
}

// shippableFrom lists the statuses ship is allowed from.
func shippableFrom() []string {
	var out []string
	for _, r := range statuses {
		if r.ships {
			out = append(out, r.raw)
		}
	}
	return out
}
