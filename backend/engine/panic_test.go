package engine_test

import (
	"context"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"orderdesk/backend"
	"orderdesk/backend/engine"
	"orderdesk/backend/safe"
)

// panickyShop is a shop whose next pull panics once armed, as a bug in an
// adapter would.
type panickyShop struct {
	backend.Shop
	armed atomic.Bool
}

func (p *panickyShop) Capabilities() backend.Capabilities {
	if p.armed.CompareAndSwap(true, false) {
		panic("injected panic in a pull")
	}
	return p.Shop.Capabilities()
}

// TestSyncPanicIsThatShopsError: a panic while one shop syncs becomes
// that shop's error in the report, with its stack in the context's log;
// the process goes on, and the next sync of the shop runs (the panic left
// nothing locked).
func TestSyncPanicIsThatShopsError(t *testing.T) {
	t.Parallel()
	e := newEnv(t, backend.YMCart, 20)
	shop := &panickyShop{Shop: e.shop}
	desk := engine.NewDesk(e.st, []backend.Shop{shop}, time.Now)
	var logged atomic.Pointer[safe.PanicError]
	ctx := safe.WithLog(context.Background(), func(p *safe.PanicError) { logged.Store(p) })

	shop.armed.Store(true)
	reports, err := desk.Sync(ctx, nil, nil)
	if err != nil || len(reports) != 1 {
		t.Fatalf("Sync: %v, %d reports", err, len(reports))
	}
	if err := reports[0].Err(); err == nil || !strings.Contains(err.Error(), "s: sync: internal error") || !strings.Contains(err.Error(), "injected panic in a pull") {
		t.Errorf("the shop's report says %v; want the panic as its error", err)
	}
	if p := logged.Load(); p == nil || !strings.Contains(string(p.Stack), "(*panickyShop).Capabilities") {
		t.Error("the panic's stack did not reach the context's log")
	}

	done := make(chan []engine.ShopReport, 1)
	go func() {
		r, _ := desk.Sync(ctx, nil, nil)
		done <- r
	}()
	select {
	case r := <-done:
		if err := r[0].Err(); err != nil || r[0].Pull.Orders == 0 {
			t.Errorf("the sync after the panic: %v, %d orders", err, r[0].Pull.Orders)
		}
	case <-time.After(20 * time.Second):
		t.Fatal("the sync after the panic did not end: the shop was left locked")
	}
}
