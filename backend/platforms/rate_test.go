package platforms

import (
	"testing"

	"orderdesk/backend"
	"orderdesk/backend/simshop"
)

// TestRequestRate: every adapter tells its pace (the sync's ETA is built
// on it): the configured rate when set, else the platform's default.
func TestRequestRate(t *testing.T) {
	defaults := map[backend.Platform]float64{backend.Fecshop: 2, backend.Fecmall: 5, backend.Shopline: 4, backend.YMCart: 2}
	for _, p := range Names() {
		srv, err := simshop.New(p, simshop.Options{Seed: 3, Orders: 1})
		if err != nil {
			t.Fatal(err)
		}
		t.Cleanup(srv.Close)
		cfg := srv.Config("s")
		shop, err := Open(cfg)
		if err != nil {
			t.Fatal(err)
		}
		if got := backend.RequestRate(shop); got != defaults[p] {
			t.Errorf("%s: default rate %v, want %v", p, got, defaults[p])
		}
		cfg.Rate = 7.5
		if shop, err = Open(cfg); err != nil {
			t.Fatal(err)
		}
		if got := backend.RequestRate(shop); got != 7.5 {
			t.Errorf("%s: configured rate 7.5, RequestRate %v", p, got)
		}
	}
}
