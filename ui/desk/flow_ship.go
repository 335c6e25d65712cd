package desk

import (
	"fmt"

	tea "charm.land/bubbletea/v2"

	"orderdesk/backend"
	"orderdesk/backend/tracking"
	"orderdesk/ui/form"
)

// shipFlow ships the targets: first it checks which of them can ship at
// all in their cached state (a void order says why at once, before
// anything is typed), then the ship form, then the shared end of every
// edit. Whether a customer is emailed is each order's platform's to
// decide: YMCart always, SHOPLINE only when the operator ticks the
// switch, Fecshop never; the form and the preview say so per platform.
type shipFlow struct {
	editFlow
	form *form.ShipForm
}

func newShipFlow(e *env, id int, refs []backend.Ref) (flow, tea.Cmd) {
	f := &shipFlow{editFlow: newEditFlow(e, id, refs)}
	f.wait(true)
	return f, f.run(checkCmd(e.desk, refs, backend.ActionShip))
}

func (f *shipFlow) update(msg tea.Msg) (tea.Cmd, action) {
	if act, ok := f.held(msg); ok {
		return nil, act
	}
	if msg, ok := msg.(checkedMsg); ok {
		f.onChecked(backend.ActionShip, msg, func() box {
			f.form = form.NewShipForm(f.input(msg), f.env.styles, f.env.keys)
			return f.form
		})
		return nil, nil
	}
	if f.form == nil || f.cur != box(f.form) {
		return f.editFlow.update(msg)
	}
	out, cmd := f.form.Update(msg)
	return f.fromForm(out, cmd, func() (backend.Action, []string, bool) {
		return backend.Action{Kind: backend.ActionShip, Shipment: f.form.Shipment(), Notify: f.form.Notify()}, f.form.Warnings(), true
	})
}

// input is what the form shows: carriers (with their other names, so 顺丰
// completes), who is emailed per platform, and the marked orders that
// cannot ship.
func (f *shipFlow) input(c checkedMsg) form.ShipInput {
	in := form.ShipInput{Title: targetsTitle("Ship", f.targets), Aliases: map[string]string{}}
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
		s, ok := f.env.desk.Shop(r.Shop)
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
