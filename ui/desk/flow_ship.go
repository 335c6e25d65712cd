package desk

import (
	"fmt"

	tea "charm.land/bubbletea/v2"

	"orderdesk/backend"
	"orderdesk/backend/tracking"
	"orderdesk/ui/form"
)

// newShipFlow ships the targets: an order that cannot ship says why at
// once, then the ship form. Whether a customer is emailed is each order's
// platform's to decide: YMCart always, SHOPLINE only when the operator
// ticks the switch, Fecshop never; the form and the preview say so per
// platform.
func newShipFlow(e *env, id int, refs []backend.Ref) (flow, tea.Cmd) {
	f, cmd := newFormFlow(e, id, refs, backend.ActionShip)
	f.open = func(c checkedMsg) box {
		sf := form.NewShipForm(shipInput(e, refs, c), e.styles, e.keys)
		f.read = func() (backend.Action, []string) {
			return backend.Action{Kind: backend.ActionShip, Shipment: sf.Shipment(), Notify: sf.Notify()}, sf.Warnings()
		}
		return sf
	}
	return f, cmd
}

// shipInput is what the ship form shows: carriers (with their other
// names, so 顺丰 completes), who is emailed per platform, and the marked
// orders that cannot ship.
func shipInput(e *env, refs []backend.Ref, c checkedMsg) form.ShipInput {
	in := form.ShipInput{Title: targetsTitle("Ship", refs), Aliases: map[string]string{}}
	for _, car := range tracking.Carriers() {
		in.Carriers = append(in.Carriers, car.Name)
		for _, a := range tracking.OtherNames(car.Code) {
			in.Aliases[a] = car.Name
		}
	}
	always := map[backend.Platform]int{}
	var plats []backend.Platform
	optional, optPlat := 0, backend.Platform("")
	for _, r := range c.ok {
		s, ok := e.desk.Shop(r.Shop)
		if !ok {
			continue
		}
		switch s.Capabilities().Ship.Notifies {
		case backend.NotifyAlways:
			if always[s.Platform()] == 0 {
				plats = append(plats, s.Platform())
			}
			always[s.Platform()]++
		case backend.NotifyOptional:
			optional++
			optPlat = s.Platform()
		}
	}
	for _, p := range plats {
		in.NotifyAlways = append(in.NotifyAlways, fmt.Sprintf("%s emails the customer on every shipment (%s)", p, orders(always[p])))
	}
	switch {
	case optional == 1 && len(c.ok) == 1:
		in.NotifyOptional = "the customer"
	case optional == 1:
		in.NotifyOptional = fmt.Sprintf("the %s customer (1 order)", optPlat)
	case optional > 1:
		in.NotifyOptional = fmt.Sprintf("the %s customers (%s)", optPlat, orders(optional))
	}
	if n := len(c.refused); n > 0 {
		in.Notes = append(in.Notes, fmt.Sprintf("%s of %d cannot ship and will be skipped:", orders(n), n+len(c.ok)))
		lines := refusedLines(c.refused)
		if len(lines) > 3 {
			lines = append(lines[:3], fmt.Sprintf("… and %d more (listed before saving)", len(lines)-3))
		}
		in.Notes = append(in.Notes, lines...)
	}
	return in
}

// orders is "1 order" or "3 orders".
func orders(n int) string {
	if n == 1 {
		return "1 order"
	}
	return fmt.Sprintf("%d orders", n)
}
