package trackimport

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"sync"

	"orderdesk/backend"
	"orderdesk/backend/engine"
	"orderdesk/backend/safe"
)

// Save writes every ready row's edit to the outbox, one durable edit per
// row, and marks the row queued. When a write fails (a full disk), the
// rows not yet saved are rejected as "not saved", and the error is
// returned: what was saved stays saved and is reported as queued.
func Save(d *engine.Desk, items []Item) error {
	for i := range items {
		it := &items[i]
		if it.Outcome != Ready {
			continue
		}
		if err := d.Save(it.Edit); err != nil {
			for j := i; j < len(items); j++ {
				if items[j].Outcome == Ready {
					items[j].Outcome, items[j].Reason = Rejected, "not saved: "+err.Error()
				}
			}
			return err
		}
		it.Outcome, it.Reason = Queued, "saved as "+it.Edit.ID
	}
	return nil
}

// Progress hears how far a Send has come: rows settled (done or
// rejected by the shop) of the rows it sends.
type Progress func(settled, total int)

// Send replays the outbox of every shop that has rows of this import
// queued, the shops in parallel, each at its own rate limit and with its
// batch calls (the outbox sender's job; see engine.Sender). Rows the shop
// confirmed become done, those it refused rejected with its reason, and
// the rest stay queued with the reason they wait (an offline shop: the
// next `orderdesk sync` sends them). It returns the first shop error.
func Send(ctx context.Context, d *engine.Desk, items []Item, progress Progress) error {
	byID := map[string]*Item{}
	var shops []string
	for i := range items {
		it := &items[i]
		if it.Outcome != Queued || it.Edit == nil || it.Edit.ID == "" {
			continue
		}
		byID[it.Edit.ID] = it
		if !slices.Contains(shops, it.Ref.Shop) {
			shops = append(shops, it.Ref.Shop)
		}
	}
	total := len(byID)
	var (
		mu      sync.Mutex
		settled int
		first   error
		wg      sync.WaitGroup
	)
	settle := func(e backend.Edit) {
		it, ok := byID[e.ID]
		if !ok {
			return
		}
		was := it.Outcome
		it.Edit = &e
		switch e.State {
		case backend.EditDone:
			it.Outcome, it.Reason = Done, e.ID
		case backend.EditFailed, backend.EditConflict:
			it.Outcome, it.Reason = Rejected, fmt.Sprintf("%s %s: %s", e.ID, e.State, e.Error)
		default:
			it.Outcome, it.Reason = Queued, fmt.Sprintf("%s %s: %s", e.ID, e.State, e.Error)
		}
		if was == Queued && it.Outcome != Queued {
			settled++
			if progress != nil {
				progress(settled, total)
			}
		}
	}
	panics := make([]error, len(shops))
	for k, shop := range shops {
		wg.Go(safe.Func(ctx, func() {
			touched, err := d.Send(ctx, shop, backend.Ref{}, func(ev engine.Event) {
				if ev.Kind == engine.EventEdit && ev.Edit != nil {
					mu.Lock()
					defer mu.Unlock()
					settle(*ev.Edit)
				}
			})
			mu.Lock()
			defer mu.Unlock()
			for _, e := range touched {
				settle(e)
			}
			if err != nil {
				for _, it := range byID {
					if it.Ref.Shop == shop && it.Outcome == Queued {
						it.Reason = fmt.Sprintf("%s: not confirmed: %s", it.Edit.ID, backend.Reason(err))
					}
				}
				if first == nil {
					first = err
				}
			}
		}, func(err error) { // its rows stay queued
			panics[k] = fmt.Errorf("%s: %w", shop, err)
		}))
	}
	wg.Wait()
	if first == nil {
		first = errors.Join(panics...)
	}
	return first
}
