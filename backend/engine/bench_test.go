package engine_test

import (
	"context"
	"path/filepath"
	"testing"
	"time"

	"orderdesk/backend"
	"orderdesk/backend/engine"
	"orderdesk/backend/platforms"
	"orderdesk/backend/simshop"
	"orderdesk/cache"
)

// BenchmarkSyncShopline10k: a full sync of 10,000 SHOPLINE orders from a
// shop that limits us to 4 requests/s with a burst of 40, into a real
// database. The budget (issue 3) is 1.2× the time the rate limit alone
// imposes on the requests made: (requests − burst) / rate.
// Run with -benchtime=1x: the shop's limiter is not refilled between runs.
func BenchmarkSyncShopline10k(b *testing.B) {
	const orders, rps, burst = 10000, 4, 40
	srv, err := simshop.New(backend.Shopline, simshop.Options{Seed: 1, Orders: orders})
	if err != nil {
		b.Fatal(err)
	}
	defer srv.Close()
	b.ResetTimer()
	for range b.N {
		b.StopTimer()
		srv.SetRateLimit(rps, burst) // a full bucket, as after a quiet spell
		srv.ResetRecord()
		st, err := cache.Open(filepath.Join(b.TempDir(), "bench.db"), cache.Options{})
		if err != nil {
			b.Fatal(err)
		}
		cfg := srv.Config("sl")
		cfg.Rate, cfg.Burst = rps, burst
		shop, err := platforms.Open(cfg)
		if err != nil {
			b.Fatal(err)
		}
		b.StartTimer()
		start := time.Now()
		res := engine.Pull(context.Background(), st, shop, time.Now, nil)
		elapsed := time.Since(start)
		b.StopTimer()
		if res.Err != nil {
			b.Fatal(res.Err)
		}
		if n, _ := st.Count("sl"); n != orders {
			b.Fatalf("synced %d orders, want %d", n, orders)
		}
		reqs := len(srv.Requests())
		limit := time.Duration(float64(max(0, reqs-burst)) / rps * float64(time.Second))
		b.ReportMetric(float64(reqs), "requests")
		b.ReportMetric(limit.Seconds(), "limit-s")
		b.ReportMetric(elapsed.Seconds(), "sync-s")
		b.ReportMetric(elapsed.Seconds()/limit.Seconds(), "x-limit")
		st.Close()
		b.StartTimer()
	}
}
