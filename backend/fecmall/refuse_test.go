package fecmall

import (
	"context"
	"strings"
	"testing"

	"orderdesk/backend"
	"orderdesk/backend/simshop"
)

var everyAction = []backend.Action{
	{Kind: backend.ActionStatus, Status: "3"},
	{Kind: backend.ActionStatus, Status: "cancelled"},
	{Kind: backend.ActionShip, Shipment: backend.Shipment{Carrier: "EMS", TrackingNumber: "EE123456785CN"}},
	{Kind: backend.ActionShip, Shipment: backend.Shipment{Carrier: "UPS", TrackingNumber: "1Z999AA10123456784"}, Notify: true},
	{Kind: backend.ActionRemark, Remark: "called the customer"},
	{Kind: "tag", Remark: "vip"},
}

// TestCapabilitiesReadOnly: no action is supported, each says why, and
// lists filter by creation time only.
func TestCapabilitiesReadOnly(t *testing.T) {
	t.Parallel()
	srv := newSim(t, simshop.Options{})
	c := newShop(t, srv).Capabilities()
	if c.Incremental || !c.CreatedWindow {
		t.Errorf("Incremental %v CreatedWindow %v, want false true", c.Incremental, c.CreatedWindow)
	}
	want := map[backend.ActionKind]string{
		backend.ActionStatus: "Fecmall's open API has no write endpoints: change this order's status in the Fecmall admin",
		backend.ActionShip:   "Fecmall's open API has no write endpoints: ship this order and enter its tracking number in the Fecmall admin",
		backend.ActionRemark: "Fecmall's open API has no write endpoints: edit this order's note in the Fecmall admin",
	}
	for k, why := range want {
		got := c.Of(k)
		if got.Supported || got.Why != why || got.Notifies != backend.NotifyNever || len(got.Values) != 0 {
			t.Errorf("%s: %+v, want unsupported with %q", k, got, why)
		}
	}
}

// TestEveryActionRefusedWithoutARequest: Check and Apply refuse every
// action on orders in every status, and the shop receives nothing.
func TestEveryActionRefusedWithoutARequest(t *testing.T) {
	t.Parallel()
	srv := newSim(t, simshop.Options{})
	s := newShop(t, srv)
	orders := srv.Orders()
	for i, o := range orders[:21] { // one of each generated status
		for _, a := range everyAction {
			for _, err := range []error{s.Check(o, a), applyErr(s, o, a)} {
				be := wantKind(t, err, backend.ErrUnsupported)
				if !strings.HasPrefix(be.Reason, "Fecmall's open API has no write endpoints") || be.Shop != shopName ||
					be.Op != string(a.Kind)+" "+o.Number {
					t.Errorf("order %d %s: %v", i, a.Kind, err)
				}
			}
		}
	}
	if err := s.Check(nil, everyAction[0]); !strings.Contains(backend.Reason(collector.Err(err)), "change this order's status") {
		t.Errorf("Check(nil): %v", err)
	}
	if n := len(srv.Requests()); n != 0 {
		t.Errorf("the shop received %d requests", n)
	}
	for _, o := range orders {
		if srv.Applied(o.Number) != 0 {
			t.Errorf("order %s: a write was applied", o.Number)
		}
	}
}

func applyErr(s *Shop, o *backend.Order, a backend.Action) error {
	got, err := s.Apply(context.Background(), o, a)
	if got != nil {
		return nil
	}
	return err
}

// TestWriteFaultsNeverReached: the write faults of the common test plan (5xx,
// dropped connection after applying) cannot happen, because nothing is
// sent: the faults stay queued and a later read is not affected by them.
func TestWriteFaultsNeverReached(t *testing.T) {
	t.Parallel()
	srv := newSim(t, simshop.Options{})
	srv.Inject(simshop.Fault{Kind: simshop.FaultStatus, On: simshop.Writes, Status: 500})
	srv.Inject(simshop.Fault{Kind: simshop.FaultDropAfterApply, On: simshop.Writes})
	s := newShop(t, srv)
	o := srv.Orders()[0]
	for _, a := range everyAction {
		wantKind(t, applyErr(s, o, a), backend.ErrUnsupported)
	}
	if len(srv.Requests()) != 0 || len(srv.Writes()) != 0 || srv.Applied(o.Number) != 0 {
		t.Fatalf("requests %d, writes %d, applied %d: want none", len(srv.Requests()), len(srv.Writes()), srv.Applied(o.Number))
	}
	if _, err := s.Get(context.Background(), o.Number); err != nil {
		t.Fatal(collector.Err(err))
	}
	if r := srv.Requests(); len(r) != 1 || r[0].Fault != "" {
		t.Errorf("the read met a write fault: %+v", r)
	}
}
