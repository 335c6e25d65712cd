package platforms

import (
	"context"
	"testing"

	"orderdesk/backend"
	"orderdesk/backend/simshop"
)

// BenchmarkListAll lists every order of a 500-order simulated shop through
// each adapter over loopback HTTP, with the client rate limit lifted so the
// figure is the cost of requests, rendering and decoding. Reported per
// order (ns/order) as well as per full listing.
func BenchmarkListAll(b *testing.B) {
	const orders = 500
	for _, p := range Names() {
		b.Run(string(p), func(b *testing.B) {
			srv, err := simshop.New(p, simshop.Options{Seed: 1, Orders: orders})
			if err != nil {
				b.Fatal(err)
			}
			defer srv.Close()
			cfg := srv.Config("bench")
			cfg.Rate, cfg.Burst = 1e6, 1e6
			shop, err := Open(cfg)
			if err != nil {
				b.Fatal(err)
			}
			ctx := context.Background()
			b.ResetTimer()
			for b.Loop() {
				n := 0
				q := backend.ListQuery{}
				for {
					page, err := shop.List(ctx, q)
					if err != nil {
						b.Fatal(err)
					}
					n += len(page.Orders)
					if page.Next == "" {
						break
					}
					q.Cursor = page.Next
				}
				if n != orders {
					b.Fatalf("listed %d orders, want %d", n, orders)
				}
			}
			b.ReportMetric(float64(b.Elapsed().Nanoseconds())/float64(b.N*orders), "ns/order")
		})
	}
}
