package backend

import (
	"errors"
	"fmt"
	"slices"
	"strconv"
	"strings"
	"time"
)

// EditState is where an edit is in the outbox (SPEC §4):
// pending → sending → done | failed | conflict | unknown, and discarded
// when an operator drops a pending, failed or conflicting edit.
type EditState string

const (
	EditPending  EditState = "pending"  // saved, not sent yet (or sent and known not applied)
	EditSending  EditState = "sending"  // a send is under way; after a crash it reads as unknown
	EditDone     EditState = "done"     // the shop confirmed the change, or read-back showed it
	EditFailed   EditState = "failed"   // the shop (or the desk's rules on fresh data) refused it
	EditConflict EditState = "conflict" // the shop changed what the operator saw; waits for the operator
	EditUnknown  EditState = "unknown"  // sent, answer lost: read back before anything is resent
	// EditDiscarded: an operator dropped it; it is never sent, and stays in
	// the audit log and the order's history.
	EditDiscarded EditState = "discarded"
)

// Final reports whether the sender leaves an edit in this state alone (done,
// failed, conflict, discarded): failed and conflict until an operator
// retries or discards it, done and discarded for good.
func (s EditState) Final() bool {
	return s == EditDone || s == EditFailed || s == EditConflict || s == EditDiscarded
}

// Open reports whether the edit still shows on its order as pending work
// (every state but done and discarded).
func (s EditState) Open() bool { return s != EditDone && s != EditDiscarded && s != "" }

// What an operator may ask of an edit in the outbox (EditStateError.Op).
const (
	OpRetry   = "retry"
	OpDiscard = "discard"
)

// Allows reports whether an edit in this state may be retried or discarded
// (op is OpRetry or OpDiscard): only when it waits for the operator (failed,
// conflict) or has not been sent (pending). Never while it is sending or
// unknown (the shop may have applied it: the next sync reads it back), nor
// once done or discarded.
func (s EditState) Allows(op string) bool {
	switch op {
	case OpRetry, OpDiscard:
		return s == EditPending || s == EditFailed || s == EditConflict
	}
	return false
}

// ErrNoEdit is returned (wrapped) for an edit ID that is not in the outbox.
var ErrNoEdit = errors.New("no such edit in the outbox")

// ErrEditChanged is returned (wrapped) by a store asked to save a state of
// an edit that an operator changed after the caller read it (discarded it,
// or asked for a retry): nothing was saved, the edit stays as the operator
// left it.
var ErrEditChanged = errors.New("changed by an operator meanwhile")

// WaitsFor is the note on an edit held back behind an earlier edit of the
// same order that failed or is in conflict.
func WaitsFor(first Edit) string {
	return fmt.Sprintf("waits for %s (%s) on the same order", first.ID, first.State)
}

// WaitsOn reports whether note is a WaitsFor note naming edit id.
func WaitsOn(note, id string) bool {
	return strings.HasPrefix(note, "waits for "+id+" (") && strings.HasSuffix(note, ") on the same order")
}

// EditStateError refuses an operation (Op: OpRetry or OpDiscard) on an edit
// whose state does not allow it (see EditState.Allows). Nothing was changed.
type EditStateError struct {
	ID    string
	State EditState
	Op    string
}

func (e *EditStateError) Error() string {
	switch e.State {
	case EditUnknown:
		return fmt.Sprintf("%s is unknown: the desk is checking with the shop whether it was applied; sync first", e.ID)
	case EditSending:
		return fmt.Sprintf("%s is sending: it is on its way to the shop; sync first", e.ID)
	case EditDone:
		return fmt.Sprintf("%s is done: the shop has applied it; there is nothing to %s", e.ID, e.Op)
	case EditDiscarded:
		return fmt.Sprintf("%s is discarded: it was dropped from the outbox and is never sent", e.ID)
	}
	return fmt.Sprintf("%s is %s: it cannot be %s", e.ID, e.State, opPast(e.Op))
}

func opPast(op string) string {
	switch op {
	case OpRetry:
		return "retried"
	case OpDiscard:
		return "discarded"
	}
	return "changed by " + op
}

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
	// Retry asks the sender to decide this edit again on the shop's
	// current order: the next send takes what the shop shows as what the
	// operator saw (no conflict with changes made before the retry), then
	// checks the platform's rules and sends. The sender clears it.
	Retry bool `json:"retry,omitempty"`
	// Rebase, when set, says that an earlier edit of the order this one
	// was made on top of was applied but the order could not be read after
	// it: the sender moves this edit onto the next read of the order (see
	// Rebase) before deciding it, and clears it.
	Rebase *Rebase `json:"rebase,omitempty"`
}

// Rebase is an edit's note that its order changed under an earlier edit of
// the desk's own (After, which did Action) that the shop applied while the
// order could not be read after it, so the edit could not be moved onto the
// order after it then. On the next read of the order the sender moves it
// there when the change of its fields since what its operator saw can be
// Action's alone (see Explains): any other change is someone else's, and
// the edit is judged on what its operator saw (a conflict).
type Rebase struct {
	After  string `json:"after"`
	Action Action `json:"action"`
}

// Explains reports whether the fields an action of kind k depends on can
// have gone from saw to now (two fingerprints of one order, see
// Fingerprint) by the effect of a alone. The fields a changes are expected
// to differ, others are not:
//   - a remark adds remarks that hold its text, and changes nothing else;
//   - a shipment adds its tracking number and may move the order's and the
//     fulfillment's state and raw status values, never the payment or the
//     archive flag;
//   - a status change may move any status field, and the order's and the
//     fulfillment's state, but adds no shipment.
//
// A field saw has must still be there. Fingerprints this desk cannot read
// are explained only when equal. Whether a status change shows is not
// told by its fingerprints: ask Shows as well. What a status change does
// to the other status fields is the platform's, so someone else's change
// of those fields meanwhile cannot be told from it (as when the read
// right after the write succeeds and finds it there).
func Explains(a Action, k ActionKind, saw, now string) bool {
	if saw == now {
		return true
	}
	b, n := fingerprintFields(saw, k), fingerprintFields(now, k)
	if a.Kind == ActionRemark && k != ActionRemark || b[0].name == "" || n[0].name == "" {
		return false
	}
	switch k {
	case ActionRemark:
		want := strings.TrimSpace(a.Remark)
		added, ok := addedValues(b, n, "remark")
		if a.Kind != ActionRemark || !ok || len(added) == 0 || want == "" {
			return false
		}
		for _, r := range added {
			if !strings.Contains(r, want) {
				return false
			}
		}
		return true
	case ActionShip:
		added, ok := addedValues(b, n, "tracking")
		if !ok || a.Kind == ActionStatus {
			return ok && len(added) == 0
		}
		return len(added) > 0 && TrackingKey(strings.Join(added, "")) == TrackingKey(a.Shipment.TrackingNumber)
	case ActionStatus:
		if a.Kind == ActionShip {
			return fieldValue(b, "payment") == fieldValue(n, "payment") && fieldValue(b, "archived") == fieldValue(n, "archived")
		}
		return true
	}
	return false
}

// addedValues returns the values of the fields called name that now has
// beyond those saw has; ok is false when a value of saw is missing in now.
func addedValues(saw, now []fpField, name string) (added []string, ok bool) {
	left := map[string]int{}
	for _, f := range saw {
		if f.name == name {
			left[f.value]++
		}
	}
	for _, f := range now {
		switch {
		case f.name != name:
		case left[f.value] > 0:
			left[f.value]--
		default:
			added = append(added, f.value)
		}
	}
	for _, c := range left {
		if c > 0 {
			return nil, false
		}
	}
	return added, true
}

// fieldValue is the value of the first field called name ("" when none).
func fieldValue(fields []fpField, name string) string {
	for _, f := range fields {
		if f.name == name {
			return f.value
		}
	}
	return ""
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
	// the same order are moved onto the order after it (see engine.rebase).
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

// ConflictSides renders, for a side-by-side, what the operator saw when
// making e (its Seen.Fields) and what the shop has now (the same fields of
// now, the order as last read from the shop): one readable line per field,
// "order: open", "payment: paid", "order_status: paid" for a status,
// "fulfillment: …", "order: …", "tracking 1: …" for a shipment, "remarks: 2",
// "remark 1: …" for a remark. Both slices have the same length, and line i
// of each describes the same field; a field only one side has is an empty
// line on the other, so saw[i] != shop[i] exactly where they differ. A
// fingerprint this desk cannot read is shown whole on one line; now nil
// (the order is not cached) gives an empty shop side.
func ConflictSides(e Edit, now *Order) (saw, shop []string) {
	k := e.Action.Kind
	a := fingerprintFields(e.Seen.Fields, k)
	var b []fpField
	if now != nil {
		b = fingerprintFields(Fingerprint(now, k), k)
	}
	for _, key := range mergeKeys(a, b) {
		saw = append(saw, lineOf(a, key))
		shop = append(shop, lineOf(b, key))
	}
	return saw, shop
}

// fpField is one field of a fingerprint; n counts earlier fields of the
// same name (the second remark is {"remark", …, 1}).
type fpField struct {
	name, value string
	n           int
}

type fpKey struct {
	name string
	n    int
}

// fingerprintFields reads a fingerprint written by Fingerprint back into
// its fields. The format is stored in outboxes, so it is parsed, never
// changed: quoted remark texts are kept whole, a status value that holds
// spaces is rejoined. Anything else is one field holding the whole text.
func fingerprintFields(fp string, k ActionKind) []fpField {
	var out []fpField
	add := func(name, value string) {
		n := 0
		for _, f := range out {
			if f.name == name {
				n++
			}
		}
		out = append(out, fpField{name: name, value: value, n: n})
	}
	whole := func() []fpField {
		if fp == "" {
			return []fpField{{value: "(not recorded)"}}
		}
		return []fpField{{value: fp}}
	}
	switch k {
	case ActionStatus:
		rest, ok := strings.CutPrefix(fp, "status ")
		if !ok {
			return whole()
		}
		words := strings.Split(rest, " ")
		axes := strings.Split(words[0], "/")
		if len(axes) != 3 || len(words) < 2 || !strings.HasPrefix(words[1], "archived=") {
			return whole()
		}
		add("order", axes[0])
		add("payment", axes[1])
		add("fulfillment", axes[2])
		add("archived", strings.TrimPrefix(words[1], "archived="))
		for _, w := range words[2:] {
			if key, val, ok := strings.Cut(w, "="); ok || len(out) == 4 {
				add(key, val)
				continue
			}
			out[len(out)-1].value += " " + w // a raw value with a space in it
		}
	case ActionShip:
		words := strings.Split(fp, " ")
		if len(words) < 5 || words[0] != "fulfillment" || words[2] != "order" || words[4] != "tracking" {
			return whole()
		}
		add("fulfillment", words[1])
		add("order", words[3])
		add("shipments", strconv.Itoa(len(words)-5))
		for _, w := range words[5:] {
			add("tracking", w)
		}
	case ActionRemark:
		rest, ok := strings.CutPrefix(fp, "remarks ")
		if !ok {
			return whole()
		}
		count, rest, _ := strings.Cut(rest, " ")
		add("remarks", count)
		for rest != "" {
			q, err := strconv.QuotedPrefix(rest)
			if err != nil {
				return whole()
			}
			text, _ := strconv.Unquote(q)
			add("remark", text)
			rest = strings.TrimPrefix(rest[len(q):], " ")
		}
	default:
		return whole()
	}
	return out
}

// mergeKeys lists the fields of a and then those only b has, each placed
// after the field that precedes it in b, so both sides line up.
func mergeKeys(a, b []fpField) []fpKey {
	keys := make([]fpKey, 0, len(a)+len(b))
	for _, f := range a {
		keys = append(keys, fpKey{f.name, f.n})
	}
	at := 0 // where b's next new field goes
	for _, f := range b {
		k := fpKey{f.name, f.n}
		if i := slices.Index(keys, k); i >= 0 {
			at = i + 1
			continue
		}
		keys = slices.Insert(keys, at, k)
		at++
	}
	return keys
}

// lineOf renders the field key of fields ("" when it has none).
func lineOf(fields []fpField, key fpKey) string {
	for _, f := range fields {
		switch {
		case f.name != key.name || f.n != key.n:
		case f.name == "":
			return f.value
		case f.name == "remark" || f.name == "tracking":
			return fmt.Sprintf("%s %d: %s", f.name, f.n+1, f.value)
		default:
			return f.name + ": " + f.value
		}
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

// SyncCursor is where a shop's last sync left off. LastFull is the last
// good sync (a complete pass): a failed or interrupted pass never erases
// it. LastSync and LastError are the last try, complete or not, and why it
// failed; a desk shows both ("12m ago, last try failed: …").
type SyncCursor struct {
	// HighWater is the newest updated_at (or, on platforms without
	// incremental listing, created_at) seen in the last complete pass, in the
	// shop's own clock: the next incremental pass starts a little before it.
	HighWater *time.Time `json:"high_water"`
	LastFull  *time.Time `json:"last_full"`  // when the last complete pass finished (our clock)
	LastSync  *time.Time `json:"last_sync"`  // when the last pass, complete or not, finished
	LastError string     `json:"last_error"` // why the last pass failed; "" after a success
	// Pass is a long pass under way (a full listing, or a slice of the
	// rolling re-check), saved with every page it stores so that a pass
	// cut short (killed, offline, interrupted) goes on where it stopped.
	// Nil between passes.
	Pass *SyncPass `json:"pass,omitempty"`
	// Recheck is the rolling re-check of older orders on platforms whose
	// lists filter by created date only; nil when none is under way.
	Recheck *Recheck `json:"recheck,omitempty"`
}

// SyncPass is how far a long pass got: its query, the platform's cursor of
// the next page, and what it stored so far.
type SyncPass struct {
	Kind        string     `json:"kind"` // PassFull or PassRecheck
	CreatedFrom *time.Time `json:"created_from,omitempty"`
	CreatedTo   *time.Time `json:"created_to,omitempty"` // exclusive
	Next        string     `json:"next"`                 // cursor of the next page; "" before the first and after the last
	Pages       int        `json:"pages"`
	Orders      int        `json:"orders"`
	Total       int        `json:"total"` // orders the shop reports for the pass, -1 unknown
	// High is the newest created_at seen, or on platforms that list by
	// updated time the newest updated_at seen in the pass's first run: a
	// resumed pass does not raise that one, so the next incremental pass
	// still lists what changed while the pass was stopped.
	High    *time.Time `json:"high_water,omitempty"`
	Resumed int        `json:"resumed,omitempty"` // how many times it was taken up again
	Started time.Time  `json:"started"`           // our clock
}

// Kinds of SyncPass.
const (
	PassFull    = "full"
	PassRecheck = "recheck"
)

// Done reports whether the pass stored its last page.
func (p *SyncPass) Done() bool { return p.Pages > 0 && p.Next == "" }

// Recheck walks back through a shop's history, a slice of created time at
// a time, newest first, so every cached order that is still open is listed
// again within the shop's recheck period.
type Recheck struct {
	Started time.Time `json:"started"` // our clock
	From    time.Time `json:"from"`    // the oldest open order's created_at when it started
	To      time.Time `json:"to"`      // where the recent window began when it started (exclusive)
	// Next: [Next, To) has been listed; the next slice ends at Next.
	Next  time.Time     `json:"next"`
	Slice time.Duration `json:"slice"` // width of the next slice
}

// Left reports whether some of the walk is still to be listed.
func (r *Recheck) Left() bool { return r.Next.After(r.From) }

// Covered is the share of the walk's span listed so far, from 0 to 1.
func (r *Recheck) Covered() float64 {
	span := r.To.Sub(r.From)
	if span <= 0 || !r.Left() {
		return 1
	}
	return float64(r.To.Sub(r.Next)) / float64(span)
}
