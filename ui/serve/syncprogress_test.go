package serve

import (
	"context"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"orderdesk/backend"
	"orderdesk/backend/engine"
	"orderdesk/backend/platforms"
	"orderdesk/backend/simshop"
	"orderdesk/cache"
)

// TestServeLogsSyncProgress: a sync on the server's desk (the one at
// start, or a session's) is logged per shop: its first page and its end,
// not every page in between (a line at most every 10 s).
func TestServeLogsSyncProgress(t *testing.T) {
	t.Parallel()
	srv, err := simshop.New(backend.Fecshop, simshop.Options{Seed: 5, Orders: 30})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(srv.Close)
	cfg := srv.Config("eu")
	cfg.Rate = 100 // 6 pages of 5 in a blink
	shop, err := platforms.Open(cfg)
	if err != nil {
		t.Fatal(err)
	}
	st, err := cache.Open(filepath.Join(t.TempDir(), "engine.db"), cache.Options{Timeout: time.Second})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { st.Close() })
	d := engine.NewDesk(st, []backend.Shop{shop}, time.Now)
	ts := newTestServer(t, func(o *Options) { o.Desk = d })
	if _, err := d.Sync(context.Background(), nil, nil); err != nil {
		t.Fatal(err)
	}
	const first, end = "orderdesk serve: sync eu: 5 of 30 orders, page 1, ", "orderdesk serve: sync eu: done: 30 orders in 6 pages\n"
	deadline := time.Now().Add(5 * time.Second)
	for !strings.Contains(ts.log.String(), end) && time.Now().Before(deadline) {
		time.Sleep(20 * time.Millisecond)
	}
	log := ts.log.String()
	if !strings.Contains(log, first) || !strings.Contains(log, end) {
		t.Fatalf("the log lacks the first page or the end of the sync:\n%s", log)
	}
	if n := strings.Count(log, "sync eu:"); n != 2 {
		t.Errorf("%d lines of the sync, want 2 (its first page and its end):\n%s", n, log)
	}
}
