package ymcart

import (
	"fmt"
	"slices"
	"strings"

	"orderdesk/backend"
)

// statusRow is one order_status value: what it means on the three axes,
// its short label, and the statuses the desk offers to set from it.
type statusRow struct {
	label string
	state backend.State
	next  []string
}

func st(o backend.OrderState, p backend.PaymentState, f backend.FulfillmentState) backend.State {
	return backend.State{Order: o, Payment: p, Fulfillment: f}
}

// orderStatuses is THE status table (ORDERS-FIELD-NOTES §2.3 "ERP"):
// order_status gives the lifecycle and default payment/fulfilment axes;
// payment_status and shipping_status, when present, override the latter two
// (paymentStatuses, shippingStatuses below).
//
// next is what the desk offers (orderStatus accepts 100/102/200/600/700 and
// documents no transition rules, so the desk is the only guard):
//   - before payment (100, 101, 102): move forward to confirming (102) or
//     paid (200), back to new (100) after a failed or unconfirmed payment,
//     or void (600);
//   - paid (200): only void (600). Completing an unshipped order would skip
//     the shipment, and going back to unpaid would hide received money;
//     shipping (301) is orderShip's job;
//   - shipped (301): only complete (700). Voiding a shipped order needs a
//     return and refund the API cannot express;
//   - void (600) and complete (700) are final: nothing.
var orderStatuses = map[string]statusRow{
	"100": {"new", st(backend.OrderOpen, backend.PayUnpaid, backend.FulUnfulfilled), []string{"102", "200", "600"}},
	"101": {"payment failed", st(backend.OrderOpen, backend.PayFailed, backend.FulUnfulfilled), []string{"100", "102", "200", "600"}},
	"102": {"confirming", st(backend.OrderOpen, backend.PayPending, backend.FulUnfulfilled), []string{"100", "200", "600"}},
	"200": {"paid", st(backend.OrderOpen, backend.PayPaid, backend.FulUnfulfilled), []string{"600"}},
	"301": {"shipped", st(backend.OrderOpen, backend.PayPaid, backend.FulFulfilled), []string{"700"}},
	"600": {"void", st(backend.OrderCancelled, backend.PayUnknown, backend.FulUnknown), nil},
	"700": {"complete", st(backend.OrderCompleted, backend.PayPaid, backend.FulFulfilled), nil},
}

// paymentStatuses is payment_status (100 unpaid, 101 failed, 102
// confirming, 200 paid).
var paymentStatuses = map[string]backend.PaymentState{
	"100": backend.PayUnpaid,
	"101": backend.PayFailed,
	"102": backend.PayPending,
	"200": backend.PayPaid,
}

// shippingStatuses is shipping_status (0 not shipped, 301 shipped).
var shippingStatuses = map[string]backend.FulfillmentState{
	"0":   backend.FulUnfulfilled,
	"301": backend.FulFulfilled,
}

// settable lists what orderStatus accepts, in the order the desk shows it.
var settable = []string{"100", "102", "200", "600", "700"}

// irreversible says what the final values do that cannot be undone: the
// desk offers nothing from void (and the customer is emailed).
var irreversible = map[string]string{
	"600": "voids the order: a void order is final, nothing can be set after it",
}

// StatusValues are the values a YMCart shop's status can be set to (its
// Capabilities' Status.Values), known without a shop: shell completion
// offers them.
func StatusValues() []backend.StatusValue { return settableValues() }

func settableValues() []backend.StatusValue {
	out := make([]backend.StatusValue, len(settable))
	for i, v := range settable {
		out[i] = backend.StatusValue{Value: v, Label: orderStatuses[v].label, Irreversible: irreversible[v]}
	}
	return out
}

// label is "200 paid".
func label(code string) string { return code + " " + orderStatuses[code].label }

// mapStatus reads the three raw status fields. An empty payment_status or
// shipping_status falls back to the order_status row; an unknown value of
// any of them is an error naming the field.
func mapStatus(order, pay, ship string) (backend.State, string, error) {
	row, ok := orderStatuses[order]
	if !ok {
		return backend.State{}, "", badField("order_status", "unknown order_status %q", order)
	}
	s := row.state
	if pay != "" {
		p, ok := paymentStatuses[pay]
		if !ok {
			return backend.State{}, "", badField("payment_status", "unknown payment_status %q", pay)
		}
		s.Payment = p
	}
	if ship != "" {
		f, ok := shippingStatuses[ship]
		if !ok {
			return backend.State{}, "", badField("shipping_status", "unknown shipping_status %q", ship)
		}
		s.Fulfillment = f
	}
	return s, label(order), nil
}

// Check applies YMCart's rules without I/O.
func (s *Shop) Check(o *backend.Order, a backend.Action) error {
	op := opName(o, a)
	if o == nil {
		return backend.Refused(s.name, op, "no order given")
	}
	if err := backend.RefuseTooLong(s.name, op, a); err != nil {
		return err // YMCart stores whatever it is sent: the desk's limits hold
	}
	switch a.Kind {
	case backend.ActionStatus:
		return s.checkStatus(o, a.Status, op)
	case backend.ActionShip:
		return s.checkShip(o, a.Shipment, op)
	case backend.ActionRemark:
		if strings.TrimSpace(a.Remark) == "" {
			return backend.Refused(s.name, op, "YMCart does not accept an empty remark")
		}
		return nil
	}
	return backend.Unsupported(s.name, op, fmt.Sprintf("YMCart has no %q action", a.Kind))
}

func (s *Shop) checkStatus(o *backend.Order, value, op string) error {
	if _, ok := orderStatuses[value]; !ok || !slices.Contains(settable, value) {
		why := fmt.Sprintf("YMCart's orderStatus accepts %s; %q is not one of them", strings.Join(settableLabels(), ", "), value)
		if value == "301" {
			why = "YMCart sets 301 shipped only by shipping the order (orderShip with a tracking number)"
		}
		return backend.Unsupported(s.name, op, why)
	}
	cur := o.RawStatus["order_status"]
	row, ok := orderStatuses[cur]
	if !ok {
		return backend.Refused(s.name, op, fmt.Sprintf("the order's current YMCart status %q is unknown; refresh the order first", cur))
	}
	if cur == value {
		return backend.Refused(s.name, op, fmt.Sprintf("the order is already %s", label(cur)))
	}
	if !slices.Contains(row.next, value) {
		if len(row.next) == 0 {
			return backend.Refused(s.name, op, fmt.Sprintf("the order is %s; YMCart orders in %s cannot change status", label(cur), label(cur)))
		}
		var offer []string
		for _, v := range row.next {
			offer = append(offer, label(v))
		}
		return backend.Refused(s.name, op, fmt.Sprintf("from %s the desk offers only %s, not %s", label(cur), strings.Join(offer, ", "), label(value)))
	}
	return nil
}

func (s *Shop) checkShip(o *backend.Order, sh backend.Shipment, op string) error {
	cur := o.RawStatus["order_status"]
	if cur != "200" && cur != "301" {
		now := label(cur)
		if _, ok := orderStatuses[cur]; !ok {
			now = fmt.Sprintf("%q", cur)
		}
		return backend.Refused(s.name, op, fmt.Sprintf("YMCart ships only orders in 200 paid or 301 shipped; this order is %s", now))
	}
	if strings.TrimSpace(sh.TrackingNumber) == "" {
		return backend.Refused(s.name, op, "YMCart needs a tracking number (delivery_no) to ship")
	}
	if strings.TrimSpace(sh.Carrier) == "" {
		return backend.Refused(s.name, op, "YMCart needs a carrier name (shipping_corp_name) to ship")
	}
	return nil
}

func settableLabels() []string {
	out := make([]string, len(settable))
	for i, v := range settable {
		out[i] = label(v)
	}
	return out
}

// opName is the operation as errors name it: "status 600 SY20160902-595".
func opName(o *backend.Order, a backend.Action) string {
	n := ""
	if o != nil {
		n = " " + o.Number
	}
	switch a.Kind {
	case backend.ActionStatus:
		return "status " + a.Status + n
	case backend.ActionShip:
		return "ship" + n
	case backend.ActionRemark:
		return "remark" + n
	}
	return string(a.Kind) + n
}
