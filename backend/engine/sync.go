// Package engine pulls orders from the shops into a storage.Store and
// replays the outbox (SPEC §4–5). The contract of that store lives in
// package storage; package cache implements it.
//
// Decisions the spec leaves open:
//   - The first sync of a shop is a full listing (back to Plan.History when
//     set). It saves how far it got with every page (Store.PutPage), so a
//     full pass cut short — killed, offline, interrupted — goes on from the
//     next page at the next sync: at most the page it was fetching is
//     fetched twice.
//   - Later syncs cost what changed. SHOPLINE and YMCart list by updated
//     time from the high-water mark minus Overlap. Fecshop and Fecmall lists
//     filter by created date only, so each sync lists a recent window
//     (orders created since the earlier of the high-water mark minus Overlap
//     and now minus Plan.RecheckWindow) and then a share of a rolling
//     re-check (backend.Recheck): a walk back from the window's start to the
//     oldest cached order still open, a slice of created time at a time,
//     newest first, paced so the walk ends within 4/5 of Plan.RecheckEvery.
//     A change to an old open order is therefore seen within RecheckEvery
//     when the shop is synced at least every RecheckEvery/5 (the desk syncs
//     every few minutes); R refreshes one order at once. Each slice is a
//     resumable pass like a full one.
//   - The high-water mark is the newest updated_at (created_at on
//     created-window platforms) the shop itself reported, never our clock:
//     the shop's clock and ours may differ. On platforms that list by
//     updated time a resumed full pass keeps the mark of its first run, so
//     what changed while it was stopped is listed again by the next
//     incremental pass.
//   - A failed page stops the shop's pass; pages stored before it stay (each
//     was a complete, decoded page). The failure is recorded as the last try
//     (LastSync, LastError) beside the last good sync (LastFull), which it
//     never erases.
package engine

import (
	"context"
	"errors"
	"fmt"
	"time"

	"orderdesk/backend"
	"orderdesk/backend/storage"
)

// Overlap is how far before the high-water mark an incremental pass starts,
// so orders updated while the last pass ran are not missed. Duplicates are
// harmless: orders are stored by ref.
const Overlap = 10 * time.Minute

// EventKind tells progress events apart.
type EventKind string

const (
	EventPage  EventKind = "page"  // a page of orders was stored
	EventDone  EventKind = "done"  // the shop's pass finished
	EventError EventKind = "error" // the shop's pass failed
	EventEdit  EventKind = "edit"  // an outbox edit changed state
	// EventOrders: orders were stored outside a pass (one order refreshed)
	EventOrders EventKind = "orders"
	// EventSlow: a call to the shop has had no answer for a while (Slow
	// says how long, and when it gives up); the pass or send goes on.
	EventSlow EventKind = "slow"
)

// Event is a progress report from a sync or a send.
type Event struct {
	Shop   string
	Kind   EventKind
	Pages  int // pages stored so far in this pass
	Orders int // orders stored so far in this pass
	Total  int // orders the shop reports for the pass, -1 when unknown
	Full   bool
	Err    error
	Edit   *backend.Edit
	// Refs are the orders a page or orders event stored (so a front end
	// can re-read just those); nil for other kinds.
	Refs []backend.Ref
	// Slow is the call a slow event is about; nil for other kinds.
	Slow *backend.Slow
}

// Progress receives events; it must not block for long (the shop's pass
// or replay waits for it). Nil is allowed.
//
// It is called concurrently and must be safe for concurrent use: Desk.Sync
// pulls and replays each shop on a goroutine of its own and hands them all
// the same Progress; sends of different shops may run at once; and a
// slow-call event (EventSlow) comes from a timer's goroutine, while its
// shop's pass goes on (even as the call ends). The other events of one
// shop's pass or replay come in order, from one goroutine.
type Progress func(Event)

func (p Progress) emit(e Event) {
	if p != nil {
		p(e)
	}
}

// watching returns ctx whose calls to shops report, as slow events, when
// they have had no answer for a while.
func (p Progress) watching(ctx context.Context) context.Context {
	if p == nil {
		return ctx
	}
	return backend.WithSlowNotice(ctx, func(s backend.Slow) {
		p.emit(Event{Shop: s.Shop, Kind: EventSlow, Slow: &s})
	})
}

// Unreachable reports whether err says the shop left a call unanswered
// until the desk gave up on it (a *backend.NoAnswerError): nothing more
// is asked of that shop in this sync or send.
func Unreachable(err error) bool {
	var na *backend.NoAnswerError
	return errors.As(err, &na)
}

// Result is the outcome of one shop's sync.
type Result struct {
	Shop   string
	Full   bool
	Pages  int // pages fetched by this sync
	Orders int // orders stored by this sync
	// Resumed: the sync took up a pass an earlier one left part-way.
	Resumed bool
	Err     error
}

// SyncInterrupted is the LastError of a pass stopped by the end of its
// context (the operator closed the desk mid-sync).
const SyncInterrupted = "interrupted (the desk was closed during the sync)"

// Defaults of a Plan.
const (
	DefaultRecheckWindow = 14 * 24 * time.Hour
	DefaultRecheckEvery  = 24 * time.Hour
)

// Plan is how much of a shop's history a sync looks at (config: history,
// recheck_window, recheck_every). The zero Plan is the defaults.
type Plan struct {
	// History, when set, is how far back the first sync goes; older orders
	// are fetched on demand by ref. 0: everything.
	History time.Duration
	// RecheckWindow: on platforms whose lists filter by created date only,
	// every sync lists the orders created this recently.
	RecheckWindow time.Duration
	// RecheckEvery: on those platforms, every cached order still open and
	// older than the window is listed again at least this often.
	RecheckEvery time.Duration
}

func (p Plan) withDefaults() Plan {
	if p.RecheckWindow <= 0 {
		p.RecheckWindow = DefaultRecheckWindow
	}
	if p.RecheckEvery <= 0 {
		p.RecheckEvery = DefaultRecheckEvery
	}
	return p
}

// pacing is the share of RecheckEvery a walk is planned to take: the
// rest is room for the time between syncs.
const pacing = 0.8

// sliceTarget is the number of pages a slice of the walk aims at.
const sliceTarget = 8

// Pull runs one sync of a shop into the store with the default plan.
func Pull(ctx context.Context, st storage.Store, shop backend.Shop, now func() time.Time, progress Progress) Result {
	return PullPlan(ctx, st, shop, Plan{}, now, progress)
}

// PullPlan runs one sync of a shop into the store: a pass left part-way
// first, then a full pass when the shop was never synced, else an
// incremental one (and, on created-window platforms, a share of the rolling
// re-check). A sync that fails (or is interrupted) records LastSync and
// LastError and keeps LastFull and HighWater: the last good sync is never
// erased.
func PullPlan(ctx context.Context, st storage.Store, shop backend.Shop, plan Plan, now func() time.Time, progress Progress) Result {
	p := &puller{ctx: progress.watching(ctx), st: st, shop: shop, name: shop.Name(), caps: shop.Capabilities(),
		plan: plan.withDefaults(), now: now, progress: progress, total: -1}
	p.res.Shop = p.name
	cur, err := st.Cursor(p.name)
	if err != nil { // nothing to record it in: the cursor could not be read
		p.res.Err = fmt.Errorf("%s: read sync cursor: %w", p.name, err)
		p.emit(Event{Kind: EventError, Err: p.res.Err})
		return p.res
	}
	p.cur = cur
	if err := p.run(); err != nil {
		return p.fail(err)
	}
	t := backend.UTC(now())
	p.cur.LastFull, p.cur.LastSync, p.cur.LastError = t, t, ""
	if err := st.SetCursor(p.name, p.cur); err != nil {
		return p.fail(fmt.Errorf("%s: save sync cursor: %w", p.name, err))
	}
	p.emit(Event{Kind: EventDone})
	return p.res
}

// puller is one shop's sync under way.
type puller struct {
	ctx      context.Context
	st       storage.Store
	shop     backend.Shop
	name     string
	caps     backend.Capabilities
	plan     Plan
	now      func() time.Time
	progress Progress

	cur   backend.SyncCursor // as saved, and as it will be saved
	res   Result
	total int // the current pass's total, -1 unknown
	// base: pages and orders of a resumed pass fetched by earlier syncs
	basePages, baseOrders int
	rechecking            bool // a slice of the walk: no total to show
}

func (p *puller) run() error {
	if pass := p.cur.Pass; pass != nil {
		p.res.Resumed = true
		switch pass.Kind {
		case backend.PassFull:
			p.res.Full = true
			return p.fullPass(pass)
		case backend.PassRecheck:
			if err := p.recheckSlice(pass); err != nil {
				return err
			}
		default:
			p.cur.Pass = nil // unknown: start over
		}
	}
	if p.cur.LastFull == nil || p.cur.HighWater == nil {
		p.res.Full = true
		pass := &backend.SyncPass{Kind: backend.PassFull, Total: -1, Started: p.now().UTC()}
		if p.plan.History > 0 {
			from := p.now().Add(-p.plan.History).UTC()
			pass.CreatedFrom = &from
		}
		return p.fullPass(pass)
	}
	from := p.cur.HighWater.Add(-Overlap)
	switch {
	case p.caps.Incremental:
		high, err := p.list(backend.ListQuery{UpdatedSince: from}, true)
		if err != nil {
			return err
		}
		p.cur.HighWater = high
		return nil
	case p.caps.CreatedWindow:
		if w := p.now().Add(-p.plan.RecheckWindow); w.Before(from) {
			from = w.UTC()
		}
		high, err := p.list(backend.ListQuery{CreatedFrom: from}, false)
		if err != nil {
			return err
		}
		p.cur.HighWater = high
		return p.recheck(from)
	}
	// a platform that can filter nothing: every sync is a full pass
	p.res.Full = true
	return p.fullPass(&backend.SyncPass{Kind: backend.PassFull, Total: -1, Started: p.now().UTC()})
}

// list runs a short pass (not resumable) and returns the new high-water
// mark.
func (p *puller) list(q backend.ListQuery, updated bool) (*time.Time, error) {
	high := p.cur.HighWater
	p.total = -1
	for {
		page, err := p.page(q)
		if err == nil {
			err = p.st.PutOrders(p.name, page.Orders)
		}
		if err != nil {
			return nil, err
		}
		p.stored(page)
		high = newest(high, page.Orders, updated)
		if page.Next == "" {
			return high, nil
		}
		q.Cursor = page.Next
	}
}

// fullPass lists everything (from pass.CreatedFrom), saving how far it got
// with every page, and sets the high-water mark when it ends.
func (p *puller) fullPass(pass *backend.SyncPass) error {
	if err := p.resumable(pass, !p.caps.Incremental); err != nil {
		return err
	}
	if pass.High != nil {
		p.cur.HighWater = pass.High
	}
	p.cur.Pass, p.cur.Recheck = nil, nil // a full pass checked everything: the walk starts again
	return nil
}

// resumable runs a pass that saves its progress with every page. created
// says the high-water mark is of created times (else updated).
func (p *puller) resumable(pass *backend.SyncPass, created bool) error {
	if pass.Done() {
		return nil
	}
	resumed := pass.Pages > 0
	if resumed {
		pass.Resumed++
		p.basePages, p.baseOrders = pass.Pages-p.res.Pages, pass.Orders-p.res.Orders
	}
	p.total, p.rechecking = pass.Total, pass.Kind == backend.PassRecheck
	q := backend.ListQuery{Cursor: pass.Next}
	if pass.CreatedFrom != nil {
		q.CreatedFrom = *pass.CreatedFrom
	}
	if pass.CreatedTo != nil {
		q.CreatedTo = *pass.CreatedTo
	}
	defer func() { p.basePages, p.baseOrders, p.rechecking = 0, 0, false }()
	for first := true; ; first = false {
		page, err := p.page(q)
		if err != nil && first && resumed && (errors.Is(err, backend.ErrRefused) || errors.Is(err, backend.ErrRejected)) {
			// the shop (or the adapter) no longer takes the saved cursor:
			// the pass starts over rather than failing every sync
			*pass = backend.SyncPass{Kind: pass.Kind, CreatedFrom: pass.CreatedFrom, CreatedTo: pass.CreatedTo, Total: -1, Started: p.now().UTC()}
			resumed, p.basePages, p.baseOrders, p.total = false, 0, 0, -1
			q.Cursor = ""
			page, err = p.page(q)
		}
		if err != nil {
			return err
		}
		// the cursor is saved with the page, or neither is
		next := *pass
		next.Next = page.Next
		next.Pages++
		next.Orders += len(page.Orders)
		if next.Total < 0 {
			next.Total = page.Total
		}
		if created || !resumed {
			next.High = newest(next.High, page.Orders, !created)
		}
		c := p.cur
		c.Pass = &next
		if err := p.st.PutPage(p.name, page.Orders, c); err != nil {
			return err
		}
		*pass = next
		c.Pass = pass
		p.cur, p.total = c, pass.Total
		p.stored(page)
		if page.Next == "" {
			return nil
		}
		q.Cursor = page.Next
	}
}

// page fetches one page, counting the request.
func (p *puller) page(q backend.ListQuery) (backend.Page, error) {
	page, err := p.shop.List(p.ctx, q)
	if err != nil {
		return page, fmt.Errorf("%s: page %d: %w", p.name, p.res.Pages+1, err)
	}
	if p.total < 0 && page.Total >= 0 {
		p.total = page.Total
	}
	return page, nil
}

// stored counts a stored page and tells the progress.
func (p *puller) stored(page backend.Page) {
	p.res.Pages++
	p.res.Orders += len(page.Orders)
	p.emit(Event{Kind: EventPage, Refs: refsOf(page.Orders)})
}

// recheck lists the share of the rolling re-check that is due. windowFrom
// is where this sync's recent window began.
func (p *puller) recheck(windowFrom time.Time) error {
	now := p.now().UTC()
	w := p.cur.Recheck
	if w == nil || !w.Left() {
		oldest, ok, err := p.st.OldestOpen(p.name)
		if err != nil {
			return fmt.Errorf("%s: find open orders: %w", p.name, err)
		}
		if h := now.Add(-p.plan.History); p.plan.History > 0 && oldest.Before(h) {
			oldest = h // older orders were fetched on demand: R refreshes them
		}
		if !ok || !oldest.Before(windowFrom) {
			p.cur.Recheck = nil // nothing open before the window
			return nil
		}
		w = &backend.Recheck{Started: now, From: oldest.UTC(), To: windowFrom.UTC(), Next: windowFrom.UTC(),
			Slice: max(windowFrom.Sub(oldest)/32, time.Hour)}
		p.cur.Recheck = w
		if err := p.st.SetCursor(p.name, p.cur); err != nil {
			return err
		}
	}
	due := float64(now.Sub(w.Started)) / (pacing * float64(p.plan.RecheckEvery))
	for w.Left() && w.Covered() < due {
		lo := w.Next.Add(-w.Slice)
		if lo.Before(w.From) {
			lo = w.From
		}
		to := w.Next
		pass := &backend.SyncPass{Kind: backend.PassRecheck, CreatedFrom: &lo, CreatedTo: &to, Total: -1, Started: now}
		if err := p.recheckSlice(pass); err != nil {
			return err
		}
	}
	return nil
}

// recheckSlice lists one slice of the walk (resuming it when it was cut
// short) and moves the walk past it.
func (p *puller) recheckSlice(pass *backend.SyncPass) error {
	w := p.cur.Recheck
	if w == nil || pass.CreatedFrom == nil || pass.CreatedTo == nil {
		p.cur.Pass = nil
		return nil
	}
	if err := p.resumable(pass, true); err != nil {
		return err
	}
	w.Next = *pass.CreatedFrom
	pages := max(pass.Pages, 1)
	w.Slice = min(max(w.Slice*sliceTarget/time.Duration(pages), w.Slice/4), w.Slice*4)
	w.Slice = max(w.Slice, time.Minute)
	p.cur.Pass = nil
	if !w.Left() {
		p.cur.Recheck = nil
	}
	return p.st.SetCursor(p.name, p.cur)
}

// fail records the failed try (keeping the last good sync) and reports it.
func (p *puller) fail(err error) Result {
	p.res.Err = err
	p.cur.LastError = err.Error()
	if p.ctx.Err() != nil {
		p.cur.LastError = SyncInterrupted
	}
	p.cur.LastSync = backend.UTC(p.now())
	_ = p.st.SetCursor(p.name, p.cur) // best effort: the error is what matters
	p.emit(Event{Kind: EventError, Err: err})
	return p.res
}

func (p *puller) emit(e Event) {
	e.Shop = p.name
	e.Pages, e.Orders = p.basePages+p.res.Pages, p.baseOrders+p.res.Orders
	e.Total, e.Full = p.total, p.res.Full
	if p.rechecking {
		e.Total = -1 // the slice's count is not the sync's
	}
	p.progress.emit(e)
}

// newest returns the later of high and the newest updated_at (or created_at)
// in orders.
func newest(high *time.Time, orders []*backend.Order, updated bool) *time.Time {
	for _, o := range orders {
		t := o.CreatedAt
		if updated && o.UpdatedAt != nil {
			t = o.UpdatedAt
		}
		if t != nil && (high == nil || t.After(*high)) {
			c := *t
			high = &c
		}
	}
	return high
}

func refsOf(orders []*backend.Order) []backend.Ref {
	refs := make([]backend.Ref, len(orders))
	for i, o := range orders {
		refs[i] = o.Ref
	}
	return refs
}
