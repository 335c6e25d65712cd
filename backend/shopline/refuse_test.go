package shopline

import (
	"testing"

	"orderdesk/backend"
	"orderdesk/backend/simshop"
)

var (
	isCancelled = func(o *backend.Order) bool { return o.CancelledAt != nil }
	isArchived  = func(o *backend.Order) bool { return o.State.Archived }
	notArchived = func(o *backend.Order) bool { return !o.State.Archived }
	isOpen      = func(o *backend.Order) bool {
		return o.CancelledAt == nil && o.State.Fulfillment == backend.FulUnfulfilled
	}
	fulfilment = func(f backend.FulfillmentState) func(o *backend.Order) bool {
		return func(o *backend.Order) bool { return o.CancelledAt == nil && o.State.Fulfillment == f }
	}
)

var goodShipment = backend.Shipment{Carrier: "SF Express", TrackingNumber: "SF1410289486003"}

// Every refused or unsupported action is answered before anything is sent.
func TestRefusalsSendNothing(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct {
		name   string
		match  func(o *backend.Order) bool
		action backend.Action
		kind   error
		reason string
	}{
		{"cancel a cancelled order", isCancelled, backend.Action{Kind: backend.ActionStatus, Status: "cancel"},
			backend.ErrRefused, "this order is already cancelled"},
		{"cancel a partially shipped order", fulfilment(backend.FulPartial), backend.Action{Kind: backend.ActionStatus, Status: "cancel"},
			backend.ErrRefused, "SHOPLINE cancels only orders with nothing shipped; this order is partially shipped"},
		{"cancel a shipped order", fulfilment(backend.FulFulfilled), backend.Action{Kind: backend.ActionStatus, Status: "cancel"},
			backend.ErrRefused, "SHOPLINE cancels only orders with nothing shipped; this order is shipped"},
		{"archive an archived order", isArchived, backend.Action{Kind: backend.ActionStatus, Status: "archive"},
			backend.ErrRefused, "this order is already archived"},
		{"unarchive an order that is not archived", notArchived, backend.Action{Kind: backend.ActionStatus, Status: "unarchive"},
			backend.ErrRefused, "this order is not archived"},
		{"ship a cancelled order", isCancelled, backend.Action{Kind: backend.ActionShip, Shipment: goodShipment},
			backend.ErrRefused, "SHOPLINE does not ship cancelled orders; this order was cancelled"},
		{"ship a shipped order", fulfilment(backend.FulFulfilled), backend.Action{Kind: backend.ActionShip, Shipment: goodShipment},
			backend.ErrRefused, "every item of this order is already shipped"},
		{"ship without a tracking number", isOpen, backend.Action{Kind: backend.ActionShip, Shipment: backend.Shipment{Carrier: "EMS"}},
			backend.ErrRefused, "enter a tracking number"},
		{"ship without a carrier", isOpen, backend.Action{Kind: backend.ActionShip, Shipment: backend.Shipment{TrackingNumber: "EE123456785CN"}},
			backend.ErrRefused, "enter the carrier (SHOPLINE's tracking company)"},
		{"ship with a bad tracking URL", isOpen, backend.Action{Kind: backend.ActionShip, Shipment: backend.Shipment{
			Carrier: "EMS", TrackingNumber: "EE123456785CN", TrackingURL: "javascript:alert(1)"}},
			backend.ErrRefused, `the tracking URL "javascript:alert(1)" is not an http(s) address`},
		{"an empty remark", isOpen, backend.Action{Kind: backend.ActionRemark, Remark: "  "},
			backend.ErrRefused, "the remark is empty"},
		{"a status SHOPLINE does not have", isOpen, backend.Action{Kind: backend.ActionStatus, Status: "completed"},
			backend.ErrUnsupported, `SHOPLINE accepts the status values cancel, archive and unarchive, not "completed"`},
		{"an action SHOPLINE does not have", isOpen, backend.Action{Kind: "refund"},
			backend.ErrUnsupported, `SHOPLINE has no "refund" action`},
	} {
		t.Run(tc.name, func(t *testing.T) {
			srv := startSim(t, simshop.Options{Seed: 1})
			shop := newShop(t, srv.Config("sl"))
			o := pick(t, srv, shop, tc.match)
			if err := shop.Check(o, tc.action); err == nil {
				t.Fatal("Check allowed it")
			}
			got, err := shop.Apply(ctxT(t), o, tc.action)
			be := wantErr(t, err, tc.kind, tc.reason)
			if be.Reason != tc.reason || be.Shop != "sl" || got != nil {
				t.Fatalf("reason %q shop %q order %v", be.Reason, be.Shop, got)
			}
			if n := len(srv.Requests()); n != 0 || len(srv.Writes()) != 0 {
				t.Fatalf("%d requests sent for a refused action", n)
			}
		})
	}
}

func TestCheckAllowsWhatTheRulesAllow(t *testing.T) {
	t.Parallel()
	srv := startSim(t, simshop.Options{Seed: 1})
	shop := newShop(t, srv.Config("sl"))
	for _, tc := range []struct {
		match  func(o *backend.Order) bool
		action backend.Action
	}{
		{isOpen, backend.Action{Kind: backend.ActionStatus, Status: "cancel"}},
		{notArchived, backend.Action{Kind: backend.ActionStatus, Status: "archive"}},
		{isArchived, backend.Action{Kind: backend.ActionStatus, Status: "unarchive"}},
		{isOpen, backend.Action{Kind: backend.ActionShip, Shipment: goodShipment}},
		{fulfilment(backend.FulPartial), backend.Action{Kind: backend.ActionShip, Shipment: goodShipment}},
		{isCancelled, backend.Action{Kind: backend.ActionRemark, Remark: "refund sent"}},
	} {
		for _, o := range truth(srv, "sl") {
			if tc.match(o) {
				must(t, shop.Check(o, tc.action))
				break
			}
		}
	}
	if err := shop.Check(nil, backend.Action{Kind: backend.ActionRemark, Remark: "x"}); err == nil {
		t.Fatal("Check(nil) allowed")
	}
	noID := &backend.Order{Number: "#1"}
	wantErr(t, shop.Check(noID, backend.Action{Kind: backend.ActionRemark, Remark: "x"}), backend.ErrRefused, "has no SHOPLINE id")
}

// The desk checks the order as the shop has it now: shipped meanwhile on the
// shop side, the ship is refused after the fresh read and nothing is written.
func TestShipRechecksTheFreshOrder(t *testing.T) {
	t.Parallel()
	srv := startSim(t, simshop.Options{Seed: 1})
	shop := newShop(t, srv.Config("sl"))
	o := pick(t, srv, shop, isOpen)
	srv.Mutate(o.Number, func(x *backend.Order) {
		x.RawStatus["fulfillment_status"] = "fulfilled"
		x.State.Fulfillment = backend.FulFulfilled
	})
	_, err := shop.Apply(ctxT(t), o, backend.Action{Kind: backend.ActionShip, Shipment: goodShipment})
	wantErr(t, err, backend.ErrRefused, "every item of this order is already shipped")
	if len(srv.Writes()) != 0 || len(srv.Requests()) == 0 {
		t.Fatalf("requests %d, writes %d: want reads only", len(srv.Requests()), len(srv.Writes()))
	}
}

// A cancel the shop refuses (shipped meanwhile) is ErrRejected with the
// shop's own words, read from an `errors` array.
func TestCancelRejectedByTheShop(t *testing.T) {
	t.Parallel()
	srv := startSim(t, simshop.Options{Seed: 1})
	shop := newShop(t, srv.Config("sl"))
	o := pick(t, srv, shop, isOpen)
	srv.Mutate(o.Number, func(x *backend.Order) { x.RawStatus["fulfillment_status"] = "partial" })
	_, err := shop.Apply(ctxT(t), o, backend.Action{Kind: backend.ActionStatus, Status: "cancel"})
	wantErr(t, err, backend.ErrRejected, "HTTP 422: Orders that have been shipped cannot be cancelled")
	if len(srv.Writes()) != 1 || srv.Applied(o.Number) != 0 {
		t.Fatalf("writes %d applied %d", len(srv.Writes()), srv.Applied(o.Number))
	}
}
