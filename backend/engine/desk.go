package engine

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"sync"
	"time"

	"orderdesk/backend"
	"orderdesk/backend/safe"
	"orderdesk/backend/storage"
)

// Desk ties the configured shops to the store: sync, edits and their
// replay. Every front end (CLI, TUI, SSH sessions) works through one Desk;
// it is safe for concurrent use and holds no package-level state.
type Desk struct {
	store storage.Store
	Now   func() time.Time

	shops []backend.Shop
	byKey map[string]backend.Shop

	// one replay at a time per shop, so two sessions never send the same
	// edit concurrently; one pull at a time per shop, so two sessions
	// asking for a sync do not fetch the same pages side by side.
	sendMu map[string]*sync.Mutex
	pullMu map[string]*sync.Mutex

	// syncs and sends running now (see Wait); idle is closed when the
	// count drops to zero. sendingTo counts the replays running per shop
	// (see Outbox).
	busyMu    sync.Mutex
	busyN     int
	idle      chan struct{}
	sendingTo map[string]int

	// how much history each shop's syncs look at (see SetPlan)
	plans map[string]Plan

	// every long-lived front end's feed of events (see Subscribe)
	feedMu sync.Mutex
	feeds  map[*Feed]struct{}
}

// NewDesk builds a desk over the shops, in the order given.
func NewDesk(st storage.Store, shops []backend.Shop, now func() time.Time) *Desk {
	if now == nil {
		now = time.Now
	}
	d := &Desk{store: st, Now: now, shops: shops, byKey: map[string]backend.Shop{},
		sendMu: map[string]*sync.Mutex{}, pullMu: map[string]*sync.Mutex{}, feeds: map[*Feed]struct{}{},
		sendingTo: map[string]int{}, plans: map[string]Plan{}}
	for _, s := range shops {
		d.byKey[s.Name()] = s
		d.sendMu[s.Name()] = &sync.Mutex{}
		d.pullMu[s.Name()] = &sync.Mutex{}
	}
	return d
}

// SetPlan sets how much of a shop's history its syncs look at (the zero
// Plan: the defaults). Call it before the desk is used.
func (d *Desk) SetPlan(shop string, p Plan) { d.plans[shop] = p }

// Shops returns the configured shops in config order.
func (d *Desk) Shops() []backend.Shop { return slices.Clone(d.shops) }

// Shop returns the shop of that name.
func (d *Desk) Shop(name string) (backend.Shop, bool) {
	s, ok := d.byKey[name]
	return s, ok
}

// ShopReport is what one shop's sync did: the pull, then the replay.
type ShopReport struct {
	Pull    Result
	Sent    []backend.Edit
	SendErr error
}

// Err is the report's first error.
func (r ShopReport) Err() error {
	if r.Pull.Err != nil {
		return r.Pull.Err
	}
	return r.SendErr
}

// Sync pulls each named shop (all when names is empty), in parallel, and
// then replays its outbox (not when the shop left the pull unanswered:
// its edits would wait as long, and stay as they are). Reports come back in the order of names (or of
// the config). An unknown name is an error before anything runs. Every
// event also goes to the desk's feeds.
func (d *Desk) Sync(ctx context.Context, names []string, progress Progress) ([]ShopReport, error) {
	shops, err := d.pick(names)
	if err != nil {
		return nil, err
	}
	defer d.working()()
	progress = d.fanOut(progress)
	reports := make([]ShopReport, len(shops))
	var wg sync.WaitGroup
	for i, s := range shops {
		wg.Go(safe.Func(ctx, func() {
			r := ShopReport{Pull: d.pull(ctx, s, progress)}
			if ctx.Err() == nil && !Unreachable(r.Pull.Err) {
				r.Sent, r.SendErr = d.send(ctx, s, backend.Ref{}, progress)
			}
			reports[i] = r
		}, func(err error) { // no event: the panic may have been in a progress callback
			reports[i] = ShopReport{Pull: Result{Shop: s.Name(), Err: fmt.Errorf("%s: sync: %w", s.Name(), err)}}
		}))
	}
	wg.Wait()
	return reports, nil
}

// pull is one pass of Pull, one at a time per shop; a panic in it does
// not leave the shop locked.
func (d *Desk) pull(ctx context.Context, s backend.Shop, progress Progress) Result {
	mu := d.pullMu[s.Name()]
	mu.Lock()
	defer mu.Unlock()
	return PullPlan(ctx, d.store, s, d.plans[s.Name()], d.Now, progress)
}

func (d *Desk) pick(names []string) ([]backend.Shop, error) {
	if len(names) == 0 {
		return d.Shops(), nil
	}
	var out []backend.Shop
	for _, n := range names {
		s, ok := d.byKey[n]
		if !ok {
			return nil, &UnknownShopError{Name: n, Known: d.names()}
		}
		if !slices.Contains(out, s) {
			out = append(out, s)
		}
	}
	return out, nil
}

func (d *Desk) names() []string {
	out := make([]string, len(d.shops))
	for i, s := range d.shops {
		out[i] = s.Name()
	}
	return out
}

// UnknownShopError names a shop that is not configured.
type UnknownShopError struct {
	Name  string
	Known []string
}

func (e *UnknownShopError) Error() string {
	return fmt.Sprintf("no shop named %q (configured: %v)", e.Name, e.Known)
}

// Send replays the outbox of one shop (only one order's edits when only is
// not zero).
func (d *Desk) Send(ctx context.Context, shop string, only backend.Ref, progress Progress) ([]backend.Edit, error) {
	s, ok := d.byKey[shop]
	if !ok {
		return nil, &UnknownShopError{Name: shop, Known: d.names()}
	}
	return d.send(ctx, s, only, d.fanOut(progress))
}

// send replays the outbox of s with progress that already publishes to
// the feeds (Sync's, which must not publish each event twice).
func (d *Desk) send(ctx context.Context, s backend.Shop, only backend.Ref, progress Progress) ([]backend.Edit, error) {
	defer d.working()()
	defer d.replaying(s.Name())()
	mu := d.sendMu[s.Name()]
	mu.Lock()
	defer mu.Unlock()
	snd := Sender{Store: d.store, Shop: s, Now: d.Now, Progress: progress}
	return snd.Send(ctx, only)
}

// Wait waits until no sync or send runs on the desk, or ctx is done
// (then it returns false). A server shutting down waits here before it
// cancels what is left.
func (d *Desk) Wait(ctx context.Context) bool {
	d.busyMu.Lock()
	if d.busyN == 0 {
		d.busyMu.Unlock()
		return true
	}
	idle := d.idle
	d.busyMu.Unlock()
	select {
	case <-idle:
		return true
	case <-ctx.Done():
		return false
	}
}

// working counts a sync or send until the returned func is called.
func (d *Desk) working() func() {
	d.busyMu.Lock()
	if d.busyN == 0 {
		d.idle = make(chan struct{})
	}
	d.busyN++
	d.busyMu.Unlock()
	return func() {
		d.busyMu.Lock()
		d.busyN--
		if d.busyN == 0 {
			close(d.idle)
		}
		d.busyMu.Unlock()
	}
}

// replaying counts a replay of the shop's outbox until the returned func
// is called.
func (d *Desk) replaying(shop string) func() {
	d.busyMu.Lock()
	d.sendingTo[shop]++
	d.busyMu.Unlock()
	return func() {
		d.busyMu.Lock()
		d.sendingTo[shop]--
		d.busyMu.Unlock()
	}
}

// Stranded is the reason an edit left sending by a process that stopped
// mid-send reads with (see Desk.Outbox).
const Stranded = "the desk stopped mid-send, before the shop's answer was recorded; " +
	"it will be read back from the shop before anything is resent (sync)"

// asRead is an edit as the operator should read it. The database is one
// process's at a time, so an edit saved as sending while this desk runs
// no replay of its shop was left so by a process that stopped mid-send
// (killed, or its final save failed): whether the shop applied it is
// unknown until it is read back, and it reads as unknown. Nothing is
// written: the next replay reads it back (see Sender).
func (d *Desk) asRead(e backend.Edit) backend.Edit {
	if e.State != backend.EditSending {
		return e
	}
	d.busyMu.Lock()
	running := d.sendingTo[e.Ref.Shop] > 0
	d.busyMu.Unlock()
	if !running {
		e.State, e.Error = backend.EditUnknown, Stranded
	}
	return e
}

// Outbox returns the open edits of a shop (of every shop when shop is
// ""), in Seq order, as the operator should read them (see asRead).
func (d *Desk) Outbox(shop string) ([]backend.Edit, error) {
	edits, err := d.store.Edits(shop)
	for i := range edits {
		edits[i] = d.asRead(edits[i])
	}
	return edits, err
}

// History returns every edit of one order by Seq, as the operator should
// read them (see asRead).
func (d *Desk) History(ref backend.Ref) ([]backend.Edit, error) {
	edits, err := d.store.History(ref)
	for i := range edits {
		edits[i] = d.asRead(edits[i])
	}
	return edits, err
}

// Draft checks an action against the cached order and, when the platform's
// rules allow it, returns the edit that would be saved: its summary, whether
// it reaches the customer, and what the operator saw. Nothing is written.
// A refusal is the adapter's ErrUnsupported / ErrRefused error; a value
// longer than the desk accepts (backend.Action.TooLong) is refused here for
// every platform, before the adapter's own rules.
func (d *Desk) Draft(ref backend.Ref, a backend.Action, operator string) (*backend.Edit, error) {
	s, ok := d.byKey[ref.Shop]
	if !ok {
		return nil, &UnknownShopError{Name: ref.Shop, Known: d.names()}
	}
	if err := backend.RefuseTooLong(ref.Shop, string(a.Kind)+" "+ref.Number, a); err != nil {
		return nil, err
	}
	o, err := d.store.Order(ref)
	if err != nil {
		return nil, err
	}
	if err := s.Check(o, a); err != nil {
		return nil, err
	}
	return &backend.Edit{
		Ref:      ref,
		Platform: s.Platform(),
		Action:   a,
		Summary:  backend.Describe(a),
		Notifies: Notifies(s.Capabilities(), a),
		State:    backend.EditPending,
		Operator: operator,
		Seen:     backend.SeenOf(o, a.Kind),
	}, nil
}

// Save writes a drafted edit to the outbox. When it returns nil the edit is
// durable ("saved"), and the desk's feeds hear of it (an edit event), so
// every session shows its pending marker; otherwise it was not saved.
func (d *Desk) Save(e *backend.Edit) error {
	now := d.Now().UTC()
	e.CreatedAt, e.UpdatedAt = now, now
	if err := d.store.AddEdit(e); err != nil {
		return fmt.Errorf("the edit was NOT saved: %w", err)
	}
	saved := *e
	d.publish(Event{Shop: e.Ref.Shop, Kind: EventEdit, Edit: &saved})
	return nil
}

// Edit returns one edit by ID (any state), as the operator should read it
// (see asRead). An ID not in the outbox wraps
// ErrNoEdit.
func (d *Desk) Edit(id string) (backend.Edit, error) {
	e, err := d.store.EditByID(id)
	return d.asRead(e), d.editErr(id, err)
}

// Retry marks edit id to be decided again on the shop's current copy of its
// order (the next send re-reads the order, takes what it shows as what the
// operator saw, checks the platform's rules and sends when they allow). It
// returns the edit as saved. The caller sends the shop's outbox afterwards
// (Send) unless offline.
//
// Only a pending, failed or conflicting edit can be retried: another state
// is a *EditStateError, an unknown id wraps ErrNoEdit, and nothing changes.
// The desk's feeds hear of the change (an edit event).
func (d *Desk) Retry(id, operator string) (backend.Edit, error) {
	e, err := d.store.RetryEdit(id, operator)
	return d.changed(id, e, err)
}

// Discard drops edit id from the outbox: it becomes discarded, stays in the
// audit log and in the order's History, and is never sent. It returns the
// edit as saved. Later edits of the order that waited for it go on being
// sent by the next send.
//
// Only a pending, failed or conflicting edit can be discarded (never one
// sending or unknown: the shop may have applied it; sync first): another
// state is a *EditStateError, an unknown id wraps ErrNoEdit, and nothing
// changes. The desk's feeds hear of the change (an edit event).
func (d *Desk) Discard(id, operator string) (backend.Edit, error) {
	e, err := d.store.DiscardEdit(id, operator)
	return d.changed(id, e, err)
}

// changed publishes an edit an operator changed, or returns why not.
func (d *Desk) changed(id string, e backend.Edit, err error) (backend.Edit, error) {
	if err = d.editErr(id, err); err != nil {
		return backend.Edit{}, err
	}
	saved := e
	d.publish(Event{Shop: e.Ref.Shop, Kind: EventEdit, Edit: &saved})
	return e, nil
}

// editErr turns the store's refusals into the operator's words, without
// the database path: a *EditStateError as it is, an unknown ID as
// "E9: no such edit in the outbox".
func (d *Desk) editErr(id string, err error) error {
	var se *EditStateError
	switch {
	case err == nil:
		return nil
	case errors.As(err, &se):
		return se
	case errors.Is(err, ErrNoEdit):
		return fmt.Errorf("%s: %w", id, ErrNoEdit)
	}
	return err
}

// Refresh fetches one order from its shop and stores it; the desk's feeds
// hear of it.
func (d *Desk) Refresh(ctx context.Context, ref backend.Ref) (*backend.Order, error) {
	s, ok := d.byKey[ref.Shop]
	if !ok {
		return nil, &UnknownShopError{Name: ref.Shop, Known: d.names()}
	}
	o, err := s.Get(Progress(d.publish).watching(ctx), ref.Number)
	if err != nil {
		return nil, err
	}
	if err := d.store.PutOrders(ref.Shop, []*backend.Order{o}); err != nil {
		return nil, err
	}
	d.publish(Event{Shop: ref.Shop, Kind: EventOrders, Refs: []backend.Ref{ref}})
	return d.store.Order(ref)
}

// Notifies says whether an action reaches the customer on a platform with
// these capabilities.
func Notifies(c backend.Capabilities, a backend.Action) bool {
	switch c.Of(a.Kind).Notifies {
	case backend.NotifyAlways:
		return true
	case backend.NotifyOptional:
		return a.Notify
	}
	return false
}

// Reader is the desk's stored state for a front end to read: orders,
// edits, cursors, the audit log. Every write goes through the Desk's own
// methods, so through its feeds and its audit log.
func (d *Desk) Reader() storage.Reader { return d.store }

// Shutdown ends the work running on the desk the way every front end
// ends it when it stops (the desk on q, serve on SIGTERM): the syncs and
// sends in flight get grace to finish, then cancel interrupts what is
// left and the interrupted ones get settle to record how far they got (a
// send cut short is marked unknown and read back on the next start). ctx
// ending (a second interrupt) cuts the grace short. It reports whether
// everything finished within the grace.
func (d *Desk) Shutdown(ctx context.Context, grace, settle time.Duration, cancel func()) bool {
	g, stop := context.WithTimeout(ctx, grace)
	idle := d.Wait(g)
	stop()
	cancel()
	if !idle && settle > 0 {
		s, stop := context.WithTimeout(context.Background(), settle)
		d.Wait(s)
		stop()
	}
	return idle
}

// Busy reports whether a sync or send runs on the desk now.
func (d *Desk) Busy() bool {
	d.busyMu.Lock()
	defer d.busyMu.Unlock()
	return d.busyN > 0
}
