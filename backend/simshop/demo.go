package simshop

import (
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
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
// Nothing is kept: every start is the same shops again.
func StartDemo(seed int64, orders int, now time.Time) (*Demo, error) {
	return startDemo(seed, orders, now, func(string) string { return "" })
}

// OpenDemo starts the four demo shops kept in dir, one file per shop
// (dir/<shop>.json, see keep.go), so that a second start continues the
// first: orders as writes left them, counters, delivery records. When dir
// exists the shops are the kept ones (seed, orders and now are then
// ignored; Demo.Shops[i].Opt has the kept values); a shop whose file is
// missing or cannot be used is a *StateError. When dir does not exist the
// shops are generated and dir is created whole, under a temporary name
// renamed into place, so a crash never leaves half a demo. Created reports
// which happened.
func OpenDemo(dir string, seed int64, orders int, now time.Time) (d *Demo, created bool, err error) {
	if _, err := os.Stat(dir); err == nil {
		for _, ds := range demoShops {
			if path := demoFile(dir, ds.name); !exists(path) {
				return nil, false, &StateError{path, errors.New("missing: the demo shops are kept as one file each")}
			}
		}
		d, err := startDemo(seed, orders, now, func(name string) string { return demoFile(dir, name) })
		return d, false, err
	} else if !errors.Is(err, fs.ErrNotExist) {
		return nil, false, err
	}
	parent := filepath.Dir(dir)
	if err := os.MkdirAll(parent, 0o700); err != nil {
		return nil, false, err
	}
	tmp, err := os.MkdirTemp(parent, "."+filepath.Base(dir)+".*.tmp")
	if err != nil {
		return nil, false, err
	}
	d, err = startDemo(seed, orders, now, func(name string) string { return demoFile(tmp, name) })
	if err == nil {
		err = os.Rename(tmp, dir)
	}
	if err == nil {
		err = syncDir(parent)
	}
	if err != nil {
		if d != nil {
			d.Close()
		}
		os.RemoveAll(tmp)
		return nil, false, fmt.Errorf("demo shops: keep them in %s: %w", dir, err)
	}
	for i, s := range d.Shops {
		s.moveKept(demoFile(dir, d.Names[i]))
	}
	return d, true, nil
}

func demoFile(dir, shop string) string { return filepath.Join(dir, shop+".json") }

func exists(path string) bool {
	_, err := os.Stat(path)
	return err == nil
}

// startDemo starts the shops; state names each shop's file ("": none).
func startDemo(seed int64, orders int, now time.Time, state func(shop string) string) (*Demo, error) {
	d := &Demo{}
	for _, ds := range demoShops {
		loc, err := time.LoadLocation(ds.tz)
		if err != nil {
			loc = time.UTC
		}
		s, err := New(ds.p, Options{Seed: seed, Orders: orders, Now: now, Timezone: loc, State: state(ds.name)})
		if err != nil {
			d.Close()
			var se *StateError
			if errors.As(err, &se) {
				return nil, err // names the file
			}
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
