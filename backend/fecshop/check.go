package fecshop

import (
	"fmt"
	"slices"
	"strings"

	"orderdesk/backend"
)

// Column sizes of sales_flat_order (migrations m180629, m190701): a longer
// value would be cut or refused by MySQL. The desk's own limits (checked
// first, backend.Action.TooLong) must stay within them: the conversions
// below fail to compile if they do not.
const (
	columnTrackingNumber  = 100
	columnTrackingCompany = 150

	_ = uint(columnTrackingNumber - backend.MaxTrackingNumber)
	_ = uint(columnTrackingCompany - backend.MaxCarrier)
)

const (
	whyRemark = "Fecshop's API has no remark endpoint; order_remark is the buyer's note, shown read-only"
	whyNotify = "Fecshop's API never emails the customer; tell them yourself"
)

// Capabilities: status and ship through updateorderstatus, one order per
// call, no customer email; no remarks; list by created date window only.
func (s *Shop) Capabilities() backend.Capabilities {
	return backend.Capabilities{
		Incremental:   false,
		CreatedWindow: true,
		Status:        backend.Capability{Supported: true, Notifies: backend.NotifyNever, BatchLimit: 1, Values: settableValues()},
		Ship:          backend.Capability{Supported: true, Notifies: backend.NotifyNever, BatchLimit: 1},
		Remark:        backend.Capability{Supported: false, Why: whyRemark, Notifies: backend.NotifyNever},
	}
}

// Check applies Fecshop's rules without I/O. Fecshop's API makes no
// transition checks, so the desk enforces the admin's workflow (the statuses
// table): it returns nil, or an *backend.Error of kind ErrUnsupported (the
// API cannot do it at all) or ErrRefused (not from this order's status).
func (s *Shop) Check(o *backend.Order, a backend.Action) error {
	op := opName(o, a)
	if err := backend.RefuseTooLong(s.name, op, a); err != nil {
		return err
	}
	if a.Kind == backend.ActionRemark {
		return backend.Unsupported(s.name, op, whyRemark)
	}
	if a.Kind != backend.ActionStatus && a.Kind != backend.ActionShip {
		return backend.Unsupported(s.name, op, fmt.Sprintf("Fecshop has no %q action", a.Kind))
	}
	if a.Notify {
		return backend.Unsupported(s.name, op, whyNotify)
	}
	if o == nil || o.Number == "" {
		return backend.Refused(s.name, op, "no order given")
	}
	cur := o.RawStatus["order_status"]
	row, known := lookupStatus(cur)
	if !known {
		return backend.Refused(s.name, op, fmt.Sprintf("this order's Fecshop status %q is not one the desk knows; change it in the Fecshop admin", cur))
	}
	if a.Kind == backend.ActionShip {
		return s.checkShip(op, row, a.Shipment)
	}
	return s.checkStatus(op, row, a.Status)
}

func (s *Shop) checkStatus(op string, cur statusRow, want string) error {
	target, ok := lookupStatus(want)
	if !ok || !target.settable {
		return backend.Unsupported(s.name, op, fmt.Sprintf("Fecshop's API does not accept order_status %q; it accepts %s", want, strings.Join(valueNames(), ", ")))
	}
	if want == "dispatched" {
		return backend.Refused(s.name, op, "use ship to mark a Fecshop order dispatched, so its tracking number is recorded")
	}
	if want == cur.raw {
		return backend.Refused(s.name, op, "this order is already "+want)
	}
	if len(cur.next) == 0 {
		return backend.Refused(s.name, op, fmt.Sprintf("a Fecshop order in %s is final: the desk offers no status change from it", cur.raw))
	}
	if !slices.Contains(cur.next, want) {
		return backend.Refused(s.name, op, fmt.Sprintf("from %s the desk offers %s; not %s", cur.raw, strings.Join(cur.next, ", "), want))
	}
	return nil
}

func (s *Shop) checkShip(op string, cur statusRow, sh backend.Shipment) error {
	if !cur.ships {
		return backend.Refused(s.name, op, fmt.Sprintf("Fecshop ships only orders in %s; this order is %s", strings.Join(shippableFrom(), " or "), cur.raw))
	}
	num, carrier := strings.TrimSpace(sh.TrackingNumber), strings.TrimSpace(sh.Carrier)
	switch {
	case num == "":
		return backend.Refused(s.name, op, "a tracking number is required")
	case carrier == "":
		// updateorderstatus leaves an empty tracking_company untouched, so an
		// old carrier would stay beside the new number.
		return backend.Refused(s.name, op, "a carrier is required")
	}
	return nil
}

func valueNames() []string {
	var out []string
	for _, v := range settableValues() {
		out = append(out, v.Value)
	}
	return out
}

// opName names an action for errors: "status 1100006617", "ship 1100006617".
func opName(o *backend.Order, a backend.Action) string {
	n := ""
	if o != nil {
		n = " " + o.Number
	}
	return string(a.Kind) + n
}
