package backend

import (
	"errors"
	"slices"
	"strings"
	"testing"
)

func stateOrder(o OrderState, p PaymentState, f FulfillmentState, archived bool, raw map[string]string) *Order {
	return &Order{State: State{Order: o, Payment: p, Fulfillment: f, Archived: archived}, RawStatus: raw}
}

func withRemarks(texts ...string) *Order {
	o := &Order{}
	for _, t := range texts {
		o.Remarks = append(o.Remarks, Remark{Text: t})
	}
	return o
}

func withTracking(f FulfillmentState, numbers ...string) *Order {
	o := &Order{State: State{Order: OrderOpen, Fulfillment: f}}
	for _, n := range numbers {
		o.Shipments = append(o.Shipments, Shipment{TrackingNumber: n})
	}
	return o
}

// TestConflictSides: each kind's fingerprint comes back as readable lines,
// aligned field by field, differing exactly where the orders differ.
func TestConflictSides(t *testing.T) {
	for _, c := range []struct {
		name       string
		kind       ActionKind
		saw, now   *Order
		seen       string // Seen.Fields when not taken from saw
		wSaw, wNow []string
	}{
		{
			name: "status: cancelled on the shop, a raw key added",
			kind: ActionStatus,
			saw:  stateOrder(OrderOpen, PayPaid, FulUnfulfilled, false, map[string]string{"order_status": "paid"}),
			now:  stateOrder(OrderCancelled, PayPaid, FulUnfulfilled, false, map[string]string{"order_status": "cancelled", "payment_status": "200"}),
			wSaw: []string{"order: open", "payment: paid", "fulfillment: unfulfilled", "archived: false", "order_status: paid", ""},
			wNow: []string{"order: cancelled", "payment: paid", "fulfillment: unfulfilled", "archived: false", "order_status: cancelled", "payment_status: 200"},
		},
		{
			name: "status: a raw value with spaces is one line",
			kind: ActionStatus,
			saw:  stateOrder(OrderOpen, PayPaid, FulUnfulfilled, false, map[string]string{"a": "x", "status": "on hold (review)"}),
			now:  stateOrder(OrderOpen, PayPaid, FulUnfulfilled, true, map[string]string{"a": "x", "status": "on hold (review)"}),
			wSaw: []string{"order: open", "payment: paid", "fulfillment: unfulfilled", "archived: false", "a: x", "status: on hold (review)"},
			wNow: []string{"order: open", "payment: paid", "fulfillment: unfulfilled", "archived: true", "a: x", "status: on hold (review)"},
		},
		{
			name: "ship: shipped by someone else",
			kind: ActionShip,
			saw:  withTracking(FulUnfulfilled),
			now:  withTracking(FulFulfilled, "1Z999AA10123456784"),
			wSaw: []string{"fulfillment: unfulfilled", "order: open", "shipments: 0", ""},
			wNow: []string{"fulfillment: fulfilled", "order: open", "shipments: 1", "tracking 1: 1Z999AA10123456784"},
		},
		{
			name: "remark: the shop's remark removed",
			kind: ActionRemark,
			saw:  withRemarks(`call "before" delivery`),
			now:  withRemarks(),
			wSaw: []string{"remarks: 1", `remark 1: call "before" delivery`},
			wNow: []string{"remarks: 0", ""},
		},
		{
			name: "remark: one added after the same first one",
			kind: ActionRemark,
			saw:  withRemarks("gift wrap"),
			now:  withRemarks("gift wrap", "地址 已确认"),
			wSaw: []string{"remarks: 1", "remark 1: gift wrap", ""},
			wNow: []string{"remarks: 2", "remark 1: gift wrap", "remark 2: 地址 已确认"},
		},
		{
			name: "a fingerprint this desk cannot read is shown whole",
			kind: ActionRemark,
			seen: "notes 3",
			now:  withRemarks(),
			wSaw: []string{"", "notes 3"},
			wNow: []string{"remarks: 0", ""},
		},
		{
			name: "no order cached",
			kind: ActionRemark,
			saw:  withRemarks("a"),
			wSaw: []string{"remarks: 1", "remark 1: a"},
			wNow: []string{"", ""},
		},
	} {
		t.Run(c.name, func(t *testing.T) {
			e := Edit{Action: Action{Kind: c.kind}, Seen: Seen{Fields: c.seen}}
			if c.saw != nil {
				e.Seen = SeenOf(c.saw, c.kind)
			}
			saw, now := ConflictSides(e, c.now)
			if !slices.Equal(saw, c.wSaw) || !slices.Equal(now, c.wNow) {
				t.Errorf("fingerprints %q / %q\ngot  %q\n     %q\nwant %q\n     %q", e.Seen.Fields, fp(c.now, c.kind), saw, now, c.wSaw, c.wNow)
			}
		})
	}
}

func fp(o *Order, k ActionKind) string {
	if o == nil {
		return ""
	}
	return Fingerprint(o, k)
}

// TestDiscardedIsFinalAndClosed: a discarded edit leaves every pending list
// (not Open) and the sender never touches it again (Final).
func TestDiscardedIsFinalAndClosed(t *testing.T) {
	for _, c := range []struct {
		s           EditState
		open, final bool
		retry, drop bool
	}{
		{EditPending, true, false, true, true},
		{EditSending, true, false, false, false},
		{EditUnknown, true, false, false, false},
		{EditFailed, true, true, true, true},
		{EditConflict, true, true, true, true},
		{EditDone, false, true, false, false},
		{EditDiscarded, false, true, false, false},
	} {
		if c.s.Open() != c.open || c.s.Final() != c.final || c.s.Allows(OpRetry) != c.retry || c.s.Allows(OpDiscard) != c.drop {
			t.Errorf("%s: open %t final %t retry %t discard %t; want %t %t %t %t", c.s,
				c.s.Open(), c.s.Final(), c.s.Allows(OpRetry), c.s.Allows(OpDiscard), c.open, c.final, c.retry, c.drop)
		}
	}
}

// TestEditStateErrorSaysWhy: the refusal speaks the operator's words.
func TestEditStateErrorSaysWhy(t *testing.T) {
	var err error = &EditStateError{ID: "E3", State: EditUnknown, Op: OpDiscard}
	if got := err.Error(); got != "E3 is unknown: the desk is checking with the shop whether it was applied; sync first" {
		t.Errorf("unknown: %q", got)
	}
	for _, s := range []EditState{EditSending, EditDone, EditDiscarded} {
		msg := (&EditStateError{ID: "E3", State: s, Op: OpRetry}).Error()
		if !strings.HasPrefix(msg, "E3 is "+string(s)+": ") {
			t.Errorf("%s: %q", s, msg)
		}
	}
	var se *EditStateError
	if !errors.As(err, &se) || se.Op != OpDiscard {
		t.Error("not a typed error")
	}
}

// TestExplains: the change of a later edit's fields is the desk's own
// earlier edit's alone, or someone else's too.
func TestExplains(t *testing.T) {
	shipped := func(o *Order, tracking ...string) *Order {
		c := *o
		c.Shipments = nil
		for _, n := range tracking {
			c.Shipments = append(c.Shipments, Shipment{TrackingNumber: n})
		}
		return &c
	}
	open := stateOrder(OrderOpen, PayPaid, FulUnfulfilled, false, map[string]string{"order_status": "paid"})
	sent := stateOrder(OrderOpen, PayPaid, FulFulfilled, false, map[string]string{"order_status": "dispatched"})
	refunded := stateOrder(OrderOpen, PayRefunded, FulFulfilled, false, map[string]string{"order_status": "dispatched"})
	remark := Action{Kind: ActionRemark, Remark: "call first"}
	ship := Action{Kind: ActionShip, Shipment: Shipment{TrackingNumber: "1Z 999"}}
	status := Action{Kind: ActionStatus, Status: "dispatched"}
	for _, c := range []struct {
		name     string
		a        Action
		k        ActionKind
		saw, now *Order
		want     bool
	}{
		{"nothing changed", remark, ActionStatus, open, open, true},
		{"the remark added", remark, ActionRemark, withRemarks("a"), withRemarks("a", "desk: call first"), true},
		{"the remark and another", remark, ActionRemark, withRemarks("a"), withRemarks("a", "call first", "b"), false},
		{"only another remark", remark, ActionRemark, withRemarks("a"), withRemarks("a", "b"), false},
		{"a remark removed", remark, ActionRemark, withRemarks("a", "b"), withRemarks("b", "call first"), false},
		{"a remark does not move the status", remark, ActionStatus, open, sent, false},
		{"a remark adds no shipment", remark, ActionShip, shipped(open), shipped(open, "X"), false},
		{"the shipment added", ship, ActionShip, shipped(open), shipped(sent, "1Z999"), true},
		{"another shipment", ship, ActionShip, shipped(open), shipped(sent, "1Z998"), false},
		{"the shipment and another", ship, ActionShip, shipped(open), shipped(sent, "1Z999", "X"), false},
		{"a shipment moves fulfillment", ship, ActionStatus, open, sent, true},
		{"a shipment does not refund", ship, ActionStatus, open, refunded, false},
		{"a status moves the status", status, ActionStatus, open, refunded, true},
		{"a status moves fulfillment", status, ActionShip, shipped(open), shipped(sent), true},
		{"a status adds no shipment", status, ActionShip, shipped(open), shipped(sent, "X"), false},
		{"a status does not touch remarks", status, ActionRemark, withRemarks(), withRemarks("x"), false},
	} {
		saw, now := Fingerprint(c.saw, c.k), Fingerprint(c.now, c.k)
		if got := Explains(c.a, c.k, saw, now); got != c.want {
			t.Errorf("%s: Explains(%s, %s, %q, %q) = %t, want %t", c.name, c.a.Kind, c.k, saw, now, got, c.want)
		}
	}
	if Explains(remark, ActionRemark, "garbled", Fingerprint(withRemarks("call first"), ActionRemark)) {
		t.Error("a fingerprint that cannot be read explains a change")
	}
}
