package simshop

import (
	"fmt"
	"time"

	"orderdesk/backend"
)

// Demo is one simulated shop of every platform, as `orderdesk --demo` uses.
type Demo struct {
	Shops []*Server
	Names []string
}

// demoShops names the demo shops, one per platform.
var demoShops = []struct {
	name string
	p    backend.Platform
	tz   string
}{
	{"eu-fecshop", backend.Fecshop, "Europe/Berlin"},
	{"cn-fecmall", backend.Fecmall, "Asia/Shanghai"},
	{"sl-global", backend.Shopline, "Asia/Singapore"},
	{"ym-erp", backend.YMCart, "Asia/Shanghai"},
}

// StartDemo starts the four demo shops with orders generated up to now.
func StartDemo(seed int64, orders int, now time.Time) (*Demo, error) {
	d := &Demo{}
	for _, ds := range demoShops {
		loc, err := time.LoadLocation(ds.tz)
		if err != nil {
			loc = time.UTC
		}
		s, err := New(ds.p, Options{Seed: seed, Orders: orders, Now: now, Timezone: loc})
		if err != nil {
			d.Close()
			return nil, fmt.Errorf("demo shop %s: %w", ds.name, err)
		}
		d.Shops = append(d.Shops, s)
		d.Names = append(d.Names, ds.name)
	}
	return d, nil
}

// Configs returns the shop configs that point at the demo shops.
func (d *Demo) Configs() []backend.ShopConfig {
	out := make([]backend.ShopConfig, len(d.Shops))
	for i, s := range d.Shops {
		out[i] = s.Config(d.Names[i])
	}
	return out
}

// Close stops every demo shop.
func (d *Demo) Close() {
	for _, s := range d.Shops {
		s.Close()
	}
}
