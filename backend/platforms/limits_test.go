package platforms

import (
	"context"
	"errors"
	"strings"
	"testing"

	"orderdesk/backend"
	"orderdesk/backend/simshop"
)

// TestAdaptersRefuseOversizeValues: every adapter that writes refuses a
// value longer than the desk accepts before sending anything, even when
// handed the action directly (an edit saved by an older desk): SHOPLINE
// and YMCart would store a 20 MB tracking number.
func TestAdaptersRefuseOversizeValues(t *testing.T) {
	ctx := context.Background()
	ship := backend.Shipment{Carrier: "UPS", TrackingNumber: "1Z999AA10123456784", TrackingURL: "https://t.example/1Z999AA10123456784"}
	for _, p := range Names() {
		srv, err := simshop.New(p, simshop.Options{Seed: 5, Orders: 30})
		if err != nil {
			t.Fatal(err)
		}
		defer srv.Close()
		shop, err := Open(srv.Config("s"))
		if err != nil {
			t.Fatal(err)
		}
		caps := shop.Capabilities()
		var actions []backend.Action
		if caps.Ship.Supported {
			for _, sh := range []backend.Shipment{
				{Carrier: ship.Carrier, TrackingNumber: strings.Repeat("1", 20<<20), TrackingURL: ship.TrackingURL},
				{Carrier: strings.Repeat("运", 5<<20), TrackingNumber: ship.TrackingNumber, TrackingURL: ship.TrackingURL},
				{Carrier: ship.Carrier, TrackingNumber: ship.TrackingNumber, TrackingURL: "https://t.example/" + strings.Repeat("u", backend.MaxTrackingURL)},
			} {
				actions = append(actions, backend.Action{Kind: backend.ActionShip, Shipment: sh})
			}
		}
		if caps.Remark.Supported {
			actions = append(actions, backend.Action{Kind: backend.ActionRemark, Remark: strings.Repeat("r", backend.MaxRemark+1)})
		}
		if len(actions) == 0 {
			continue // Fecmall writes nothing
		}
		// an order the platform lets ship (or remark) with normal values
		var target *backend.Order
		for _, o := range srv.Orders() {
			ok := true
			for _, a := range actions {
				normal := a
				normal.Shipment, normal.Remark = ship, ""
				if a.Kind == backend.ActionRemark {
					normal.Remark = "ok"
				}
				ok = ok && shop.Check(o, normal) == nil
			}
			if ok {
				target = o
				break
			}
		}
		if target == nil {
			t.Fatalf("%s: no order accepts a normal shipment and remark", p)
		}
		srv.ResetRecord()
		for _, a := range actions {
			_, err := shop.Apply(ctx, target, a)
			var be *backend.Error
			if !errors.Is(err, backend.ErrRefused) || !errors.As(err, &be) || !strings.Contains(be.Reason, "at most") {
				t.Errorf("%s %s: %.200v, want a refusal naming the limit", p, a.Kind, err)
			}
			if err != nil && len(err.Error()) > 400 {
				t.Errorf("%s %s: the error is %d bytes long: it echoes the value", p, a.Kind, len(err.Error()))
			}
		}
		if w := srv.Writes(); len(w) > 0 {
			t.Errorf("%s: %d writes reached the shop", p, len(w))
		}
	}
}
