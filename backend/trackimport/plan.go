package trackimport

import (
	"errors"
	"fmt"
	"strings"

	"orderdesk/backend"
	"orderdesk/backend/engine"
)

// Outcome is where a row stands: first in the plan (ready, applied,
// queued, rejected), then after Save and Send (done, queued, rejected,
// applied).
type Outcome string

const (
	// Ready: the row will be saved as an edit and sent.
	Ready Outcome = "ready"
	// Applied: the shop (or the cache's copy of it) already has this
	// shipment, or an earlier edit with it is done; nothing is sent.
	Applied Outcome = "applied"
	// Queued: the edit is in the outbox and not confirmed by the shop yet
	// (from this run, or from an earlier one).
	Queued Outcome = "queued"
	// Done: the shop confirmed the edit in this run.
	Done Outcome = "done"
	// Rejected: the row is not imported (Reason says why), or the shop
	// refused it.
	Rejected Outcome = "rejected"
)

// Item is one row and what happens to it.
type Item struct {
	Row      Row
	Ref      backend.Ref // zero when the row names no single cached order
	Outcome  Outcome
	Reason   string   // why rejected; what applied/queued refers to
	Warnings []string // worth a look, never a refusal (SPEC §3)
	Edit     *backend.Edit
}

// Options shape the edits of an import.
type Options struct {
	Notify   bool   // ask the shop to email the customer, where optional
	Operator string // who imports, for the outbox and the audit log
}

// Plan resolves every row to a cached order and checks it, without
// sending or saving anything. Rows are checked in file order, so a
// duplicate names the earlier line. The error is only for a store that
// cannot be read.
func Plan(d *engine.Desk, rows []Row, opt Options) ([]Item, error) {
	p := planner{d: d, opt: opt, byRef: map[backend.Ref]int{}, byTracking: map[string]int{}}
	items := make([]Item, len(rows))
	for i, r := range rows {
		items[i] = Item{Row: r}
		if err := p.check(i, items); err != nil {
			return nil, err
		}
	}
	return items, nil
}

type planner struct {
	d          *engine.Desk
	opt        Options
	byRef      map[backend.Ref]int // first item index per order
	byTracking map[string]int      // first item index per tracking key
}

// check plans all[i], knowing the rows before it.
func (p *planner) check(i int, all []Item) error {
	it := &all[i]
	r := it.Row
	reject := func(format string, args ...any) error {
		it.Outcome, it.Reason = Rejected, fmt.Sprintf(format, args...)
		return nil
	}
	switch {
	case r.Order == "":
		return reject("no order number")
	case r.Tracking == "":
		return reject("no tracking number")
	case r.Carrier == "":
		return reject("no carrier")
	}
	sh := backend.Shipment{Carrier: r.Carrier, TrackingNumber: r.Tracking, TrackingURL: r.URL}
	if err := (backend.Action{Kind: backend.ActionShip, Shipment: sh}).TooLong(); err != nil {
		return reject("%v", err) // names the field, its limit and the length; nothing of the row is looked up
	}
	ref, why, err := p.resolve(r)
	if err != nil || why != "" {
		if why != "" {
			return reject("%s", why)
		}
		return err
	}
	it.Ref = ref
	sh, warnings, err := p.d.PrepareShipment(ref, sh)
	if err != nil {
		return err
	}
	it.Warnings = warnings
	key := backend.TrackingKey(sh.TrackingNumber)
	if j, seen := p.byRef[ref]; seen {
		if backend.TrackingKey(all[j].shipment().TrackingNumber) == key {
			return reject("duplicate of line %d", all[j].Row.Line)
		}
		return reject("line %d already ships %s with %s; one tracking number per order in a file", all[j].Row.Line, ref, all[j].shipment().TrackingNumber)
	}
	p.byRef[ref] = i
	if j, seen := p.byTracking[key]; seen {
		it.Warnings = append(it.Warnings, fmt.Sprintf("line %d gives the same tracking number to %s", all[j].Row.Line, all[j].Ref))
	} else {
		p.byTracking[key] = i
	}
	it.Edit = &backend.Edit{Action: backend.Action{Kind: backend.ActionShip, Shipment: sh, Notify: p.opt.Notify}}
	if done, err := p.already(it, ref, key); err != nil || done {
		return err
	}
	shop, _ := p.d.Shop(ref.Shop)
	if c := shop.Capabilities().Ship; !c.Supported {
		return reject("%s cannot ship through the desk: %s", shop.Platform(), c.Why)
	}
	draft, err := p.d.Draft(ref, it.Edit.Action, p.opt.Operator)
	if err != nil {
		if errors.Is(err, backend.ErrRefused) || errors.Is(err, backend.ErrUnsupported) {
			return reject("%s", backend.Reason(err))
		}
		return err
	}
	it.Outcome, it.Edit = Ready, draft
	return nil
}

// shipment is the row's shipment as planned (or as typed when the row was
// rejected before that).
func (it *Item) shipment() backend.Shipment {
	if it.Edit != nil {
		return it.Edit.Action.Shipment
	}
	return backend.Shipment{Carrier: it.Row.Carrier, TrackingNumber: it.Row.Tracking}
}

// resolve finds the row's order: SHOP:NUMBER from the shop column or the
// order cell, or a bare number unique across shops. why is set when the
// row names no single cached order.
func (p *planner) resolve(r Row) (backend.Ref, string, error) {
	text := r.Order
	if r.Shop != "" {
		if _, ok := p.d.Shop(r.Shop); !ok {
			return backend.Ref{}, fmt.Sprintf("no shop named %s", backend.Quote(r.Shop)), nil
		}
		if shop, _, ok := strings.Cut(text, ":"); !ok || shop != r.Shop {
			text = r.Shop + ":" + text
		}
	}
	if _, err := backend.ParseRef(text); err != nil {
		return backend.Ref{}, err.Error(), nil
	}
	refs, err := p.d.Reader().Resolve(text)
	if err != nil {
		return backend.Ref{}, "", err
	}
	switch len(refs) {
	case 0:
		return backend.Ref{}, fmt.Sprintf("unknown order %s (not in the cache: run `orderdesk sync`)", backend.Excerpt(text)), nil
	case 1:
		return refs[0], "", nil
	}
	names := make([]string, len(refs))
	for i, ref := range refs {
		names[i] = ref.String()
	}
	return backend.Ref{}, fmt.Sprintf("order %s is ambiguous: %s; add a shop column", backend.Excerpt(text), strings.Join(names, ", ")), nil
}

// already settles a row whose shipment the desk has seen before: on the
// cached order (applied), or in the outbox (done: applied; open: queued;
// failed or in conflict: rejected until the operator settles that edit).
func (p *planner) already(it *Item, ref backend.Ref, key string) (bool, error) {
	o, err := p.d.Reader().Order(ref)
	if err != nil {
		return false, err
	}
	for _, s := range o.Shipments {
		if backend.TrackingKey(s.TrackingNumber) == key {
			it.Outcome, it.Reason = Applied, "the order already has this tracking number"
			return true, nil
		}
	}
	hist, err := p.d.Reader().History(ref)
	if err != nil {
		return false, err
	}
	for i := len(hist) - 1; i >= 0; i-- {
		e := hist[i]
		if e.Action.Kind != backend.ActionShip || backend.TrackingKey(e.Action.Shipment.TrackingNumber) != key {
			continue
		}
		it.Edit = &e
		switch e.State {
		case backend.EditDone:
			it.Outcome, it.Reason = Applied, "applied earlier by "+e.ID
		case backend.EditFailed, backend.EditConflict:
			it.Outcome, it.Reason = Rejected, fmt.Sprintf("%s with this number is %s (%s); retry or discard it first", e.ID, e.State, e.Error)
		default:
			it.Outcome, it.Reason = Queued, fmt.Sprintf("already in the outbox as %s (%s)", e.ID, e.State)
		}
		return true, nil
	}
	return false, nil
}

// Counts tallies the items by outcome.
func Counts(items []Item) map[Outcome]int {
	n := map[Outcome]int{}
	for _, it := range items {
		n[it.Outcome]++
	}
	return n
}

// Notifying counts the ready rows whose edit emails the customer.
func Notifying(items []Item) int {
	n := 0
	for _, it := range items {
		if it.Outcome == Ready && it.Edit.Notifies {
			n++
		}
	}
	return n
}
