package backend

import (
	"fmt"
	"slices"
	"strings"
	"time"
)

// EditState is where an edit is in the outbox (SPEC §4):
// pending → sending → done | failed | conflict | unknown.
type EditState string

const (
	EditPending  EditState = "pending"  // saved, not sent yet (or sent and known not applied)
	EditSending  EditState = "sending"  // a send is under way; after a crash it reads as unknown
	EditDone     EditState = "done"     // the shop confirmed the change, or read-back showed it
	EditFailed   EditState = "failed"   // the shop (or the desk's rules on fresh data) refused it
	EditConflict EditState = "conflict" // the shop changed what the operator saw; waits for the operator
	EditUnknown  EditState = "unknown"  // sent, answer lost: read back before anything is resent
)

// Final reports whether the sender leaves an edit in this state alone until
// an operator acts (done, failed, conflict).
func (s EditState) Final() bool {
	return s == EditDone || s == EditFailed || s == EditConflict
}

// Open reports whether the edit still shows on its order as pending work
// (every state but done).
func (s EditState) Open() bool { return s != EditDone && s != "" }

// Edit is one operator change held in the outbox until the shop confirms it.
// It never holds a secret.
type Edit struct {
	ID        string    `json:"id"`  // "E" + Seq, stable, shown to operators
	Seq       uint64    `json:"seq"` // outbox order; FIFO per order follows it
	Ref       Ref       `json:"ref"`
	Platform  Platform  `json:"platform"`
	Action    Action    `json:"action"`
	Summary   string    `json:"summary"` // "ship UPS 1Z…", in the operator's words
	Notifies  bool      `json:"notifies"`
	State     EditState `json:"state"`
	Operator  string    `json:"operator"` // OS user, or SSH user in server mode
	CreatedAt time.Time `json:"created_at"`
	UpdatedAt time.Time `json:"updated_at"`
	Attempts  int       `json:"attempts"` // sends actually attempted
	Error     string    `json:"error"`    // the shop's reason, or why it waits; never a secret
	Seen      Seen      `json:"seen"`     // what the operator saw when making it
}

// Pending is the edit as an order's pending entry (SPEC §2).
func (e Edit) Pending() PendingEdit {
	return PendingEdit{ID: e.ID, Kind: string(e.Action.Kind), State: string(e.State), Summary: e.Summary, Error: e.Error}
}

// Seen records what the operator saw of the fields an edit depends on: the
// order's updated_at (for the record) and a fingerprint of those fields
// (what conflict detection compares).
type Seen struct {
	UpdatedAt *time.Time `json:"updated_at"`
	Fields    string     `json:"fields"`
	// Kinds holds the fingerprint of every action kind as the operator saw
	// the order: when this edit is done, later edits of the order that saw
	// the same order are moved onto the order after it (see sync.rebase).
	Kinds map[ActionKind]string `json:"kinds,omitempty"`
}

// SeenOf captures what an action depends on in o.
func SeenOf(o *Order, k ActionKind) Seen {
	s := Seen{UpdatedAt: o.UpdatedAt, Fields: Fingerprint(o, k), Kinds: map[ActionKind]string{}}
	for _, kind := range []ActionKind{ActionStatus, ActionShip, ActionRemark} {
		s.Kinds[kind] = Fingerprint(o, kind)
	}
	return s
}

// Fingerprint is a readable rendering of the fields of o that an action of
// kind k depends on. Two fingerprints differ exactly when those fields
// differ; unrelated changes (a new tag, a payment) do not count.
func Fingerprint(o *Order, k ActionKind) string {
	switch k {
	case ActionStatus:
		keys := make([]string, 0, len(o.RawStatus))
		for key := range o.RawStatus {
			keys = append(keys, key)
		}
		slices.Sort(keys)
		var b strings.Builder
		fmt.Fprintf(&b, "status %s/%s/%s archived=%t", o.State.Order, o.State.Payment, o.State.Fulfillment, o.State.Archived)
		for _, key := range keys {
			fmt.Fprintf(&b, " %s=%s", key, o.RawStatus[key])
		}
		return b.String()
	case ActionShip:
		var b strings.Builder
		fmt.Fprintf(&b, "fulfillment %s order %s tracking", o.State.Fulfillment, o.State.Order)
		for _, s := range o.Shipments {
			fmt.Fprintf(&b, " %s", s.TrackingNumber)
		}
		return b.String()
	case ActionRemark:
		var b strings.Builder
		fmt.Fprintf(&b, "remarks %d", len(o.Remarks))
		for _, r := range o.Remarks {
			fmt.Fprintf(&b, " %q", r.Text)
		}
		return b.String()
	}
	return ""
}

// Verifier is implemented by adapters that know better than the generic rule
// of Shows whether an order read back from the shop already carries an
// action's effect (SHOPLINE: cancel shows as a cancelled order state).
type Verifier interface {
	Shows(o *Order, a Action) bool
}

// Shows reports whether o, as read back from the shop, already carries the
// effect of a. It is what makes a resend safe after an unknown outcome: an
// effect that shows is never sent again.
func Shows(shop Shop, o *Order, a Action) bool {
	if v, ok := shop.(Verifier); ok {
		return v.Shows(o, a)
	}
	return ShowsGeneric(o, a)
}

// ShowsGeneric is the rule of Shows for adapters without their own: a status
// shows as a raw order_status equal to it (Fecshop, YMCart), a shipment as its tracking number
// on a shipment, a remark as a remark containing its text.
func ShowsGeneric(o *Order, a Action) bool {
	switch a.Kind {
	case ActionStatus:
		return a.Status != "" && o.RawStatus["order_status"] == a.Status
	case ActionShip:
		want := TrackingKey(a.Shipment.TrackingNumber)
		for _, s := range o.Shipments {
			if want != "" && TrackingKey(s.TrackingNumber) == want {
				return true
			}
		}
	case ActionRemark:
		want := strings.TrimSpace(a.Remark)
		for _, r := range o.Remarks {
			if want != "" && strings.Contains(r.Text, want) {
				return true
			}
		}
	}
	return false
}

// TrackingKey is a tracking number as the desk compares them: upper case,
// without spaces, tabs, dashes (or NUL, which stores use as a separator).
func TrackingKey(s string) string {
	return strings.ToUpper(strings.Map(func(r rune) rune {
		if r == ' ' || r == '-' || r == '\t' || r == 0 {
			return -1
		}
		return r
	}, s))
}

// Describe renders an action the way an operator would say it.
func Describe(a Action) string {
	switch a.Kind {
	case ActionStatus:
		return "status → " + a.Status
	case ActionShip:
		s := "ship " + a.Shipment.Carrier + " " + a.Shipment.TrackingNumber
		if a.Notify {
			s += " (notify customer)"
		}
		return s
	case ActionRemark:
		r := []rune(a.Remark)
		if len(r) > 40 {
			r = append(r[:39], '…')
		}
		return fmt.Sprintf("remark %q", string(r))
	}
	return string(a.Kind)
}

// Audit is one line of the audit log: who did what to which order, when,
// and what came of it.
type Audit struct {
	Seq      uint64    `json:"seq"`
	At       time.Time `json:"at"`
	Operator string    `json:"operator"`
	EditID   string    `json:"edit_id"`
	Ref      Ref       `json:"ref"`
	What     string    `json:"what"`   // the edit's summary
	Result   EditState `json:"result"` // the state the edit reached
	Detail   string    `json:"detail"` // the reason or the error; never a secret
}

// SyncCursor is where a shop's last sync left off.
type SyncCursor struct {
	// HighWater is the newest updated_at (or, on platforms without
	// incremental listing, created_at) seen in the last complete pass, in the
	// shop's own clock: the next incremental pass starts a little before it.
	HighWater *time.Time `json:"high_water"`
	LastFull  *time.Time `json:"last_full"`  // when the last complete pass finished (our clock)
	LastSync  *time.Time `json:"last_sync"`  // when the last pass, complete or not, finished
	LastError string     `json:"last_error"` // why the last pass failed; "" after a success
}
