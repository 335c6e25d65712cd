package fecshop

import (
	"context"
	"errors"
	"reflect"
	"slices"
	"strings"
	"testing"

	"orderdesk/backend"
	"orderdesk/backend/simshop"
)

func st(o backend.OrderState, p backend.PaymentState, f backend.FulfillmentState) backend.State {
	return backend.State{Order: o, Payment: p, Fulfillment: f, Inferred: true}
}

// One case per row of the statuses table, expected values written out.
func TestStatusTableRowByRow(t *testing.T) {
	t.Parallel()
	tests := []struct {
		raw      string
		label    string
		state    backend.State
		settable bool
		offers   []string
		ships    bool
	}{
		{"payment_pending", "awaiting payment", st(backend.OrderOpen, backend.PayUnpaid, backend.FulUnfulfilled), true,
			[]string{"payment_processing", "payment_confirmed", "payment_canceled"}, false},
		{"payment_processing", "payment processing", st(backend.OrderOpen, backend.PayPending, backend.FulUnfulfilled), true,
			[]string{"payment_confirmed", "payment_suspected_fraud", "payment_canceled"}, false},
		{"payment_confirmed", "paid", st(backend.OrderOpen, backend.PayPaid, backend.FulUnfulfilled), true,
			[]string{"holded", "processing", "refunded"}, true},
		{"payment_canceled", "payment cancelled", st(backend.OrderCancelled, backend.PayUnpaid, backend.FulUnfulfilled), true, nil, false},
		{"holded", "on hold", st(backend.OrderOnHold, backend.PayPaid, backend.FulOnHold), true,
			[]string{"payment_confirmed", "processing", "refunded"}, false},
		{"payment_suspected_fraud", "suspected fraud", st(backend.OrderOnHold, backend.PayPending, backend.FulUnfulfilled), true,
			[]string{"payment_confirmed", "holded", "refunded", "payment_canceled"}, false},
		{"processing", "processing", st(backend.OrderOpen, backend.PayPaid, backend.FulInProgress), true,
			[]string{"holded", "refunded"}, true},
		{"dispatched", "dispatched", st(backend.OrderOpen, backend.PayPaid, backend.FulFulfilled), true,
			[]string{"completed", "refunded"}, false},
		{"received", "received", st(backend.OrderOpen, backend.PayPaid, backend.FulDelivered), false,
			[]string{"completed", "refunded"}, false},
		{"refunded", "refunded", st(backend.OrderCompleted, backend.PayRefunded, backend.FulUnknown), true, nil, false},
		{"completed", "completed", st(backend.OrderCompleted, backend.PayPaid, backend.FulDelivered), true,
			[]string{"refunded"}, false},
		{"canceled", "cancelled after payment", st(backend.OrderCancelled, backend.PayUnknown, backend.FulUnknown), false, nil, false},
	}
	if len(tests) != len(statuses) {
		t.Fatalf("table has %d rows, test has %d", len(statuses), len(tests))
	}
	s := &Shop{name: "eu-store"}
	accepted := []string{"payment_pending", "payment_processing", "payment_confirmed", "payment_canceled", "holded",
		"payment_suspected_fraud", "processing", "dispatched", "refunded", "completed"}
	for _, tc := range tests {
		t.Run(tc.raw, func(t *testing.T) {
			state, label := stateOf(tc.raw)
			if state != tc.state || label != tc.label {
				t.Errorf("stateOf = %+v %q, want %+v %q", state, label, tc.state, tc.label)
			}
			row, _ := lookupStatus(tc.raw)
			if row.settable != tc.settable {
				t.Errorf("settable = %v", row.settable)
			}
			o := &backend.Order{Number: "1100000001", RawStatus: map[string]string{"order_status": tc.raw}}
			var offered []string
			for _, v := range accepted {
				if s.Check(o, backend.Action{Kind: backend.ActionStatus, Status: v}) == nil {
					offered = append(offered, v)
				}
			}
			want := slices.Clone(tc.offers)
			slices.Sort(want)
			slices.Sort(offered)
			if !reflect.DeepEqual(offered, want) {
				t.Errorf("offers %v, want %v", offered, want)
			}
			err := s.Check(o, backend.Action{Kind: backend.ActionShip, Shipment: backend.Shipment{Carrier: "EMS", TrackingNumber: "EE123456789CN"}})
			if (err == nil) != tc.ships {
				t.Errorf("ship allowed = %v, want %v (%v)", err == nil, tc.ships, err)
			}
		})
	}
	var values []string
	for _, v := range s.Capabilities().Status.Values {
		values = append(values, v.Value)
	}
	slices.Sort(values)
	slices.Sort(accepted)
	if !reflect.DeepEqual(values, accepted) {
		t.Errorf("status values %v, want the 10 accepted", values)
	}
}

func TestUnknownStatusStaysVisible(t *testing.T) {
	t.Parallel()
	state, label := stateOf("pending_review")
	if state != st(backend.OrderOpen, backend.PayUnknown, backend.FulUnknown) || label != "pending_review" {
		t.Errorf("unknown status → %+v %q", state, label)
	}
}

func TestCapabilities(t *testing.T) {
	t.Parallel()
	c := (&Shop{}).Capabilities()
	if c.Incremental || !c.CreatedWindow || !c.Status.Supported || !c.Ship.Supported || c.Remark.Supported ||
		c.Status.Notifies != backend.NotifyNever || c.Ship.Notifies != backend.NotifyNever ||
		c.Status.BatchLimit != 1 || c.Ship.BatchLimit != 1 || !strings.Contains(c.Remark.Why, "no remark endpoint") {
		t.Errorf("capabilities %+v", c)
	}
}

// Every unsupported or refused action answers with its reason and sends
// nothing.
func TestRefusalsSendNothing(t *testing.T) {
	t.Parallel()
	srv := startSim(t, simshop.Options{Seed: 1})
	s := newShop(t, srv)
	get := func(status string) *backend.Order {
		o, err := s.Get(context.Background(), orderIn(t, srv, status).Number)
		if err != nil {
			t.Fatal(seen(err))
		}
		return o
	}
	ship := backend.Shipment{Carrier: "EMS", TrackingNumber: "EE123456789CN"}
	tests := []struct {
		name   string
		status string
		a      backend.Action
		kind   error
		reason string
	}{
		{"remark", "processing", backend.Action{Kind: backend.ActionRemark, Remark: "hi"}, backend.ErrUnsupported, "Fecshop's API has no remark endpoint; order_remark is the buyer's note, shown read-only"},
		{"received", "dispatched", backend.Action{Kind: backend.ActionStatus, Status: "received"}, backend.ErrUnsupported, `does not accept order_status "received"`},
		{"canceled", "payment_confirmed", backend.Action{Kind: backend.ActionStatus, Status: "canceled"}, backend.ErrUnsupported, `does not accept order_status "canceled"`},
		{"typo", "payment_confirmed", backend.Action{Kind: backend.ActionStatus, Status: "shipped"}, backend.ErrUnsupported, `does not accept order_status "shipped"`},
		{"notify", "processing", backend.Action{Kind: backend.ActionShip, Shipment: ship, Notify: true}, backend.ErrUnsupported, "never emails"},
		{"ship unpaid", "payment_pending", backend.Action{Kind: backend.ActionShip, Shipment: ship}, backend.ErrRefused,
			"Fecshop ships only orders in payment_confirmed or processing; this order is payment_pending"},
		{"ship twice", "dispatched", backend.Action{Kind: backend.ActionShip, Shipment: ship}, backend.ErrRefused, "this order is dispatched"},
		{"no tracking", "processing", backend.Action{Kind: backend.ActionShip, Shipment: backend.Shipment{Carrier: "EMS"}}, backend.ErrRefused, "a tracking number is required"},
		{"no carrier", "processing", backend.Action{Kind: backend.ActionShip, Shipment: backend.Shipment{TrackingNumber: "EE123456789CN"}}, backend.ErrRefused, "a carrier is required"},
		{"long tracking", "processing", backend.Action{Kind: backend.ActionShip, Shipment: backend.Shipment{Carrier: "EMS", TrackingNumber: strings.Repeat("9", 65)}}, backend.ErrRefused, "at most 64"},
		{"dispatched as status", "processing", backend.Action{Kind: backend.ActionStatus, Status: "dispatched"}, backend.ErrRefused, "use ship"},
		{"from refunded", "refunded", backend.Action{Kind: backend.ActionStatus, Status: "processing"}, backend.ErrRefused, "refunded is final"},
		{"from payment_canceled", "payment_canceled", backend.Action{Kind: backend.ActionStatus, Status: "payment_confirmed"}, backend.ErrRefused, "payment_canceled is final"},
		{"not offered", "payment_pending", backend.Action{Kind: backend.ActionStatus, Status: "completed"}, backend.ErrRefused,
			"from payment_pending the desk offers payment_processing, payment_confirmed, payment_canceled; not completed"},
		{"same", "holded", backend.Action{Kind: backend.ActionStatus, Status: "holded"}, backend.ErrRefused, "already holded"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			o := get(tc.status)
			srv.ResetRecord()
			for _, err := range []error{s.Check(o, tc.a), func() error { _, err := s.Apply(context.Background(), o, tc.a); return err }()} {
				var be *backend.Error
				if !errors.As(seen(err), &be) || !errors.Is(err, tc.kind) || !strings.Contains(be.Reason, tc.reason) || be.Shop != "eu-store" {
					t.Errorf("err = %v, want %v with %q", err, tc.kind, tc.reason)
				}
			}
			if n := len(srv.Writes()); n != 0 {
				t.Errorf("%d writes sent", n)
			}
			if n := len(srv.Requests()); n != 0 {
				t.Errorf("%d requests sent; Check and a refused Apply do no I/O", n)
			}
		})
	}
}
