// Package sync pulls orders from the shops into the Store and replays the
// outbox (SPEC §4–5). It defines the Store interface it needs; package cache
// implements it.
//
// Decisions the spec leaves open:
//   - The first sync of a shop is a full listing. Later ones are incremental
//     where the platform allows: SHOPLINE and YMCart by updated time from the
//     high-water mark minus Overlap; Fecshop and Fecmall by a created-date
//     window that starts at the earlier of (newest created_at seen − Overlap)
//     and the created_at of the oldest cached order that is still open, so
//     open orders are re-checked in the same listing that finds new ones.
//   - The high-water mark is the newest updated_at (created_at on
//     created-window platforms) the shop itself reported, never our clock:
//     the shop's clock and ours may differ.
//   - The cursor advances only after a complete pass. A failed page stops the
//     shop's pass; pages stored before it stay (each was a complete, decoded
//     page), and the next sync repeats the pass from the old cursor. The
//     failure is recorded as the last try (LastSync, LastError) beside the
//     last good sync (LastFull), which it never erases.
package sync

import (
	"context"
	"errors"
	"fmt"
	"time"

	"orderdesk/backend"
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

// Progress receives events; it must not block for long. Nil is allowed.
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

// Result is the outcome of one shop's pass.
type Result struct {
	Shop   string
	Full   bool
	Pages  int
	Orders int
	Err    error
}

// SyncInterrupted is the LastError of a pass stopped by the end of its
// context (the operator closed the desk mid-sync).
const SyncInterrupted = "interrupted (the desk was closed during the sync)"

// Pull runs one sync pass of a shop into the store. A pass that fails (or
// is interrupted) records LastSync and LastError and keeps the cursor's
// LastFull and HighWater: the last good sync is never erased.
func Pull(ctx context.Context, st Store, shop backend.Shop, now func() time.Time, progress Progress) Result {
	name := shop.Name()
	res := Result{Shop: name}
	ctx = progress.watching(ctx)
	cur, err := st.Cursor(name)
	if err != nil {
		res.Err = fmt.Errorf("%s: read sync cursor: %w", name, err)
		progress.emit(Event{Shop: name, Kind: EventError, Err: res.Err})
		return res
	}
	caps := shop.Capabilities()
	q, full, err := firstQuery(st, name, cur, caps)
	if err != nil {
		res.Err = err
		progress.emit(Event{Shop: name, Kind: EventError, Err: err})
		return res
	}
	res.Full = full
	high := cur.HighWater
	total := -1
	for {
		page, err := shop.List(ctx, q)
		if err == nil {
			err = st.PutOrders(name, page.Orders)
		}
		if err != nil {
			// the last good sync (LastFull, HighWater) stays; only the try
			// and why it failed are recorded
			res.Err = fmt.Errorf("%s: page %d: %w", name, res.Pages+1, err)
			cur.LastError = res.Err.Error()
			if ctx.Err() != nil {
				cur.LastError = SyncInterrupted
			}
			cur.LastSync = backend.UTC(now())
			_ = st.SetCursor(name, cur) // best effort: the error is what matters
			progress.emit(Event{Shop: name, Kind: EventError, Pages: res.Pages, Orders: res.Orders, Total: total, Full: full, Err: res.Err})
			return res
		}
		if total < 0 && page.Total >= 0 {
			total = page.Total
		}
		res.Pages++
		res.Orders += len(page.Orders)
		high = newest(high, page.Orders, caps.Incremental)
		progress.emit(Event{Shop: name, Kind: EventPage, Pages: res.Pages, Orders: res.Orders, Total: total, Full: full, Refs: refsOf(page.Orders)})
		if page.Next == "" {
			break
		}
		q.Cursor = page.Next
	}
	t := backend.UTC(now())
	cur = backend.SyncCursor{HighWater: high, LastFull: t, LastSync: t}
	if err := st.SetCursor(name, cur); err != nil {
		res.Err = fmt.Errorf("%s: save sync cursor: %w", name, err)
		progress.emit(Event{Shop: name, Kind: EventError, Pages: res.Pages, Orders: res.Orders, Total: total, Full: full, Err: res.Err})
		return res
	}
	progress.emit(Event{Shop: name, Kind: EventDone, Pages: res.Pages, Orders: res.Orders, Total: total, Full: full})
	return res
}

// firstQuery decides between a full and an incremental pass.
func firstQuery(st Store, name string, cur backend.SyncCursor, caps backend.Capabilities) (backend.ListQuery, bool, error) {
	if cur.LastFull == nil || cur.HighWater == nil {
		return backend.ListQuery{}, true, nil
	}
	from := cur.HighWater.Add(-Overlap)
	switch {
	case caps.Incremental:
		return backend.ListQuery{UpdatedSince: from}, false, nil
	case caps.CreatedWindow:
		oldest, ok, err := st.OldestOpen(name)
		if err != nil {
			return backend.ListQuery{}, false, fmt.Errorf("%s: find open orders: %w", name, err)
		}
		if ok && oldest.Before(from) {
			from = oldest
		}
		return backend.ListQuery{CreatedFrom: from}, false, nil
	}
	return backend.ListQuery{}, true, nil
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
