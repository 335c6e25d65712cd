package desk

import (
	"context"
	"errors"
	"fmt"
	"runtime/debug"
	"time"

	tea "charm.land/bubbletea/v2"

	"orderdesk/backend"
	"orderdesk/backend/engine"
	"orderdesk/backend/query"
	"orderdesk/backend/safe"
	"orderdesk/backend/storage"
)

// Every function here (and in filecommands.go: an import, an export)
// returns a tea.Cmd: the only place the desk touches the store, the
// shops, the clock or the operator's files. Each copies what it needs
// first and answers with a message; none reads or writes the Model.

// firstRows is how many orders the first message carries: a tall
// terminal's screenful and the rows around it.
const firstRows = 200

type (
	// rowsMsg is the first screenful of orders, read before the rest.
	rowsMsg struct {
		orders []*backend.Order
		next   chan tea.Msg
	}
	// loadedMsg is every cached order with its filter docs.
	loadedMsg struct {
		data *dataset
		err  error
	}
	// healthMsg is each shop's sync cursor and open edit count.
	healthMsg struct {
		cursors map[string]backend.SyncCursor
		open    map[string]int
		err     error
		at      time.Time // when they were read
	}
	// changedMsg is fresh copies of orders re-read from the cache.
	changedMsg struct {
		orders []*backend.Order
		err    error
	}
	// datasetMsg is a snapshot with changes applied, built off Update.
	datasetMsg struct{ data *dataset }
	// selectionMsg is the rows for one generation of view/filter/sort.
	selectionMsg selection
	// countsMsg is the tab counts for one generation.
	countsMsg struct {
		gen    int
		counts []int
	}
	// detailMsg is the full order and its edit history for the pane.
	detailMsg struct {
		ref     backend.Ref
		read    int
		order   *backend.Order
		history []backend.Edit
		err     error
	}
	// syncEventMsg is one progress event of a running sync or send, and
	// when the session took it (the pace of a pass).
	syncEventMsg struct {
		engine.Event
		at time.Time
	}
	// syncDoneMsg ends a sync of some shops.
	syncDoneMsg struct {
		shops   []string
		reports []engine.ShopReport
		err     error
		at      time.Time // when it ended
	}
	// sentMsg ends a replay of the outbox.
	sentMsg struct {
		shop string
		sent []backend.Edit
		err  error
	}
	// tickMsg drives background sync scheduling and ages in the status bar:
	// it is the time (Config.Now) when it fired.
	tickMsg time.Time
	// flashDoneMsg clears the status bar message it was set for.
	flashDoneMsg struct{ id int }
)

// loadOrders reads the cache in the background: the first firstRows
// orders come at once (the first frame), the rest with their docs later.
// The slim orders are turned into the snapshot's rows and docs a block at
// a time as they are read, never all held at once.
func loadOrders(ctx context.Context, st storage.Reader, loc func(string) *time.Location) tea.Cmd {
	return func() tea.Msg {
		ch := make(chan tea.Msg, 2)
		safe.Go(ctx, func() {
			var first []*backend.Order
			b := newDatasetBuilder(loc)
			err := st.Scan(storage.ScanQuery{}, func(o *backend.Order, _ []byte) error {
				if ctx.Err() != nil {
					return ctx.Err()
				}
				if len(first) < firstRows {
					if first = append(first, o); len(first) == firstRows {
						ch <- rowsMsg{orders: first[:firstRows:firstRows], next: ch}
					}
				}
				b.add(o)
				return nil
			})
			if len(first) < firstRows {
				ch <- rowsMsg{orders: first, next: ch}
			}
			if err != nil {
				ch <- loadedMsg{err: err}
				return
			}
			ch <- loadedMsg{data: b.finish(1)}
		}, func(err error) { ch <- loadedMsg{err: err} }) // after rowsMsg at most: the buffer holds both
		return <-ch
	}
}

// next waits for the next message of a loader.
func next(ch chan tea.Msg) tea.Cmd {
	return func() tea.Msg { return <-ch }
}

func loadHealth(st storage.Reader, shops []string, now func() time.Time) tea.Cmd {
	return func() tea.Msg {
		m := healthMsg{cursors: map[string]backend.SyncCursor{}, open: map[string]int{}, at: now()}
		for _, s := range shops {
			c, err := st.Cursor(s)
			if err != nil {
				m.err = err
				continue
			}
			m.cursors[s] = c
		}
		edits, err := st.Edits("")
		if err != nil {
			m.err = err
		}
		for _, e := range edits {
			m.open[e.Ref.Shop]++
		}
		return m
	}
}

// reread reads fresh copies of orders from the cache (after a sync page,
// an edit, a refresh), slimmed to what the list keeps.
func reread(st storage.Reader, refs []backend.Ref) tea.Cmd {
	return func() tea.Msg {
		var out []*backend.Order
		var errs []error
		for _, r := range refs {
			o, err := st.Order(r)
			if err != nil {
				errs = append(errs, err)
				continue
			}
			out = append(out, slim(o))
		}
		return changedMsg{orders: out, err: errors.Join(errs...)}
	}
}

// slim drops what the list never shows, like the cache's scan does.
func slim(o *backend.Order) *backend.Order {
	c := *o
	c.Raw, c.BillingAddress, c.Payments, c.Remarks = nil, nil, nil, nil
	return &c
}

// applyChanges builds the next snapshot off the Update path.
func applyChanges(d *dataset, changed []*backend.Order, loc func(string) *time.Location) tea.Cmd {
	return func() tea.Msg { return datasetMsg{data: d.withChanges(changed, loc)} }
}

// selectCmd computes the rows of one generation (among base when not nil).
func selectCmd(gen int, key rowsKey, d *dataset, qs []*query.Query, base []int32) tea.Cmd {
	return func() tea.Msg {
		return selectionMsg{gen: gen, key: key, rows: selectRows(d, qs, base, key.sortCol, key.sortDesc)}
	}
}

// countsDue asks for the tab counts once typing pauses.
type countsDueMsg struct{ gen int }

func countLater(gen int) tea.Cmd {
	return tea.Tick(countDelay, func(time.Time) tea.Msg { return countsDueMsg{gen: gen} })
}

// countDelay: tab counts wait for a pause in typing, so each keystroke
// costs only its own rows.
const countDelay = 120 * time.Millisecond

// countCmd counts every tab with the filter applied.
func countCmd(gen int, d *dataset, tabs []*query.Query, filter *query.Query) tea.Cmd {
	return func() tea.Msg {
		counts := make([]int, len(tabs))
		for i, q := range tabs {
			counts[i] = countRows(d, q, filter)
		}
		return countsMsg{gen: gen, counts: counts}
	}
}

// loadDetail reads the full order and its history for the pane (as the
// engine reads it: an edit a stopped process left sending is unknown);
// read numbers the request, so that only the latest read is shown.
func loadDetail(d *engine.Desk, ref backend.Ref, read int) tea.Cmd {
	return func() tea.Msg {
		o, err := d.Reader().Order(ref)
		if err != nil {
			return detailMsg{ref: ref, read: read, err: err}
		}
		h, err := d.History(ref)
		return detailMsg{ref: ref, read: read, order: o, history: h, err: err}
	}
}

// waitEvent delivers the next event of the desk (this session's syncs
// and edits, and every other session's); Update asks again after each.
func waitEvent(ctx context.Context, feed *engine.Feed, now func() time.Time) tea.Cmd {
	return func() tea.Msg {
		e, ok := feed.Next(ctx)
		if !ok {
			return nil
		}
		return syncEventMsg{Event: e, at: now()}
	}
}

// runSync syncs shops; its progress reaches the session through the
// desk's feed, like everyone else's.
func runSync(ctx context.Context, d *engine.Desk, shops []string, now func() time.Time) tea.Cmd {
	return func() tea.Msg {
		reports, err := d.Sync(ctx, shops, nil)
		return syncDoneMsg{shops: shops, reports: reports, err: err, at: now()}
	}
}

func sendCmd(ctx context.Context, d *engine.Desk, shop string) tea.Cmd {
	return func() tea.Msg {
		sent, err := d.Send(ctx, shop, backend.Ref{}, nil)
		return sentMsg{shop: shop, sent: sent, err: err}
	}
}

// refreshOrder fetches one order from its shop and stores it.
func refreshOrder(ctx context.Context, d *engine.Desk, ref backend.Ref) tea.Cmd {
	return func() tea.Msg {
		fresh, err := d.Refresh(ctx, ref)
		if err != nil {
			return changedMsg{err: fmt.Errorf("refresh %s: %w", ref, err)}
		}
		return changedMsg{orders: []*backend.Order{slim(fresh)}}
	}
}

// tickEvery is the next tick, 15 s from now, at the session's clock.
func tickEvery(now func() time.Time) tea.Cmd {
	return tea.Tick(15*time.Second, func(time.Time) tea.Msg { return tickMsg(now()) })
}

func flashTimeout(id int, d time.Duration) tea.Cmd {
	return tea.Tick(d, func(time.Time) tea.Msg { return flashDoneMsg{id: id} })
}

// releaseMemory hands back to the system what loading the cache used and
// no longer holds (the orders as scanned, before they were packed into
// rows): without it the process keeps the load's peak, about half as much
// again as the desk holds (at a million orders 1.14 GB of RssAnon for
// 0.78 GB of live heap).
func releaseMemory() tea.Msg {
	debug.FreeOSMemory()
	return nil
}
