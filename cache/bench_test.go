package cache

import (
	"fmt"
	"os"
	"path/filepath"
	"testing"
	"time"

	"orderdesk/backend"
	"orderdesk/backend/storage"
)

// bench100k is a cache of 100,000 orders: 25,000 simulated orders of each
// platform, stored 100 per PutOrders as a sync would.
type bench100k struct {
	s      *Store
	path   string
	orders []*backend.Order
}

// BenchmarkStore100k measures, on one 100k-order cache, the operations the
// desk's budgets name: PutOrders of 100 ≤ 30 ms, Scan slim ≤ 250 ms, Scan
// full ≤ 700 ms, Order and Resolve ≤ 1 ms, Open ≤ 20 ms. The build time and
// the file size are logged.
func BenchmarkStore100k(b *testing.B) {
	f := &bench100k{orders: truthOrders(b, 25000), path: filepath.Join(b.TempDir(), "orderdesk.db")}
	var err error
	if f.s, err = Open(f.path, Options{}); err != nil {
		b.Fatal(err)
	}
	defer func() { _ = f.s.Close() }()
	start := time.Now()
	if err := Fill(f.s, f.orders, 100); err != nil {
		b.Fatal(err)
	}
	fi, err := os.Stat(f.path)
	if err != nil {
		b.Fatal(err)
	}
	b.Logf("filled %d orders in %v; file %.1f MiB", len(f.orders), time.Since(start).Round(time.Millisecond), float64(fi.Size())/(1<<20))

	b.Run("PutOrders100/replace", f.putReplace)
	b.Run("PutOrders100/new", f.putNew)
	b.Run("ScanSlim", f.scan("", false))
	b.Run("ScanFull", f.scan("", true))
	b.Run("ScanSlimKeepAll", f.scanKeep)
	b.Run("ScanSlimOneShop", f.scan(shopName(backend.Shopline), false))
	b.Run("ScanFirst50", f.scanFirst50)
	b.Run("Order", f.order)
	b.Run("Resolve", f.resolve)
	b.Run("ByTracking", f.byTracking)
	b.Run("Count", f.count)
	b.Run("Open", f.open)
	b.Run("Verify", func(b *testing.B) {
		for b.Loop() {
			if err := f.s.Verify(); err != nil {
				b.Fatal(err)
			}
		}
	})
}

func (f *bench100k) putReplace(b *testing.B) {
	page := 0
	for b.Loop() {
		lo := (page * 100) % len(f.orders)
		if err := f.s.PutOrders(f.orders[lo].Shop, f.orders[lo:lo+100]); err != nil {
			b.Fatal(err)
		}
		page++
	}
}

func (f *bench100k) putNew(b *testing.B) {
	batch := 0
	for b.Loop() {
		fresh := make([]*backend.Order, 100)
		for i := range fresh {
			fresh[i] = fullOrder("bench-new", fmt.Sprintf("N%d-%d", batch, i))
		}
		if err := f.s.PutOrders("bench-new", fresh); err != nil {
			b.Fatal(err)
		}
		batch++
	}
}

// scan reports ns/order over every order cached (including the ones
// putNew added).
func (f *bench100k) scan(shop string, full bool) func(b *testing.B) {
	return func(b *testing.B) {
		total, err := f.s.Count(shop)
		if err != nil {
			b.Fatal(err)
		}
		for b.Loop() {
			n := 0
			if err := f.s.Scan(storage.ScanQuery{Shop: shop, Full: full}, func(*backend.Order, []byte) error { n++; return nil }); err != nil {
				b.Fatal(err)
			}
			if n != total {
				b.Fatalf("scanned %d, want %d", n, total)
			}
		}
		b.ReportMetric(float64(b.Elapsed().Nanoseconds())/float64(b.N*total), "ns/order")
	}
}

// scanKeep keeps every order, as the TUI does when it loads the list: the
// heap grows to hold them all, which is where most of the time goes.
func (f *bench100k) scanKeep(b *testing.B) {
	for b.Loop() {
		var keep []*backend.Order
		if err := f.s.Scan(storage.ScanQuery{Shop: "", Full: false}, func(o *backend.Order, _ []byte) error { keep = append(keep, o); return nil }); err != nil {
			b.Fatal(err)
		}
		if len(keep) < len(f.orders) {
			b.Fatalf("kept %d", len(keep))
		}
	}
}

func (f *bench100k) scanFirst50(b *testing.B) {
	for b.Loop() {
		n := 0
		_ = f.s.Scan(storage.ScanQuery{Shop: "", Full: false}, func(*backend.Order, []byte) error {
			if n++; n == 50 {
				return storage.ErrStop
			}
			return nil
		})
	}
}

func (f *bench100k) order(b *testing.B) {
	i := 0
	for b.Loop() {
		if _, err := f.s.Order(f.orders[(i*7919)%len(f.orders)].Ref); err != nil {
			b.Fatal(err)
		}
		i++
	}
}

func (f *bench100k) resolve(b *testing.B) {
	i := 0
	for b.Loop() {
		o := f.orders[(i*7919)%len(f.orders)]
		if got, err := f.s.Resolve(bareNumber(o.Number)); err != nil || len(got) == 0 {
			b.Fatal(got, err)
		}
		i++
	}
}

func (f *bench100k) byTracking(b *testing.B) {
	var numbers []string
	for _, o := range f.orders {
		for _, sh := range o.Shipments {
			if sh.TrackingNumber != "" {
				numbers = append(numbers, sh.TrackingNumber)
			}
		}
	}
	i := 0
	for b.Loop() {
		if got, err := f.s.ByTracking(numbers[(i*7919)%len(numbers)]); err != nil || len(got) == 0 {
			b.Fatal(got, err)
		}
		i++
	}
}

func (f *bench100k) count(b *testing.B) {
	for b.Loop() {
		if _, err := f.s.Count(""); err != nil {
			b.Fatal(err)
		}
	}
}

// open closes the shared store, measures Open+Close, and reopens it.
func (f *bench100k) open(b *testing.B) {
	if err := f.s.Close(); err != nil {
		b.Fatal(err)
	}
	for b.Loop() {
		s, err := Open(f.path, Options{})
		if err != nil {
			b.Fatal(err)
		}
		if err := s.Close(); err != nil {
			b.Fatal(err)
		}
	}
	var err error
	if f.s, err = Open(f.path, Options{}); err != nil {
		b.Fatal(err)
	}
}

// BenchmarkDecodeRow decodes the slim rows of simulated orders of every
// platform: the per-order cost of Scan and of `list --filter`.
func BenchmarkDecodeRow(b *testing.B) {
	var rows [][]byte
	for _, o := range truthOrders(b, 250) {
		rows = append(rows, encodeRow(nil, o))
	}
	i := 0
	b.ReportAllocs()
	for b.Loop() {
		if _, err := decodeRow(rows[i%len(rows)]); err != nil {
			b.Fatal(err)
		}
		i++
	}
}

// BenchmarkEncodeOrder is the work PutOrders does per order before its
// transaction: the JSON, the slim row and the index keys.
func BenchmarkEncodeOrder(b *testing.B) {
	orders := truthOrders(b, 250)
	i := 0
	b.ReportAllocs()
	for b.Loop() {
		o := orders[i%len(orders)]
		if _, err := encodeOrder(o.Shop, o); err != nil {
			b.Fatal(err)
		}
		i++
	}
}
