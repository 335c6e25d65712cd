package e2e

import (
	"context"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"

	"orderdesk/backend"
	"orderdesk/backend/engine"
	"orderdesk/backend/platforms"
	"orderdesk/backend/simshop"
	"orderdesk/cache"
	"orderdesk/internal/scaledb"
)

// The scale benchmarks run the real binary against databases of 10,000 to
// 1,000,000 orders (scaledb: built once, kept on disk). Sizes come from
// ORDERDESK_SCALES; `make bench-scale` runs every size and writes
// docs/PERFORMANCE.md from the output. Metrics: ms (wall time of one
// whole process), MB-rss (its peak resident set, VmHWM), B/order.

// eachScale runs fn as a sub-benchmark n=N for every configured size.
func eachScale(b *testing.B, fn func(b *testing.B, f *scaledb.Fixture)) {
	scales, err := scaledb.Scales()
	if err != nil {
		b.Fatal(err)
	}
	for _, n := range scales {
		b.Run(fmt.Sprintf("n=%d", n), func(b *testing.B) {
			f, err := scaledb.Open(n, b.Logf)
			if err != nil {
				b.Fatal(err)
			}
			fn(b, f)
		})
	}
}

// runFixture runs the binary on the fixture, discarding its output, and
// returns its wall time, peak RSS (MiB) and output size.
//
// The peak comes from the child's own VmHWM, polled while it runs: the
// rusage Maxrss that wait4 returns is no use here, because Linux carries
// the resident high-water mark of the process image exec replaces into it,
// and Go starts children sharing this (much bigger) test process's memory.
// VmHWM only grows, so the last reading before the child exits is its peak
// up to then.
func runFixture(b *testing.B, f *scaledb.Fixture, args ...string) (time.Duration, float64, int) {
	b.Helper()
	cmd := exec.Command(binary, append([]string{"--config", f.Config, "--db", f.DB}, args...)...)
	var out countWriter
	var errOut strings.Builder
	cmd.Stdout, cmd.Stderr = &out, &errOut
	start := time.Now()
	if err := cmd.Start(); err != nil {
		b.Fatal(err)
	}
	status := fmt.Sprintf("/proc/%d/status", cmd.Process.Pid)
	var peakKB int64
	for {
		kb, ok := vmHWM(status)
		if !ok { // exited (a zombie until Wait, so the pid is still ours)
			break
		}
		peakKB = max(peakKB, kb)
		time.Sleep(2 * time.Millisecond)
	}
	err := cmd.Wait()
	elapsed := time.Since(start)
	if err != nil {
		b.Fatalf("%v: %v\n%s", args, err, errOut.String())
	}
	if peakKB == 0 {
		b.Fatal("no VmHWM read from " + status)
	}
	return elapsed, float64(peakKB) / 1024, out.n
}

// vmHWM reads a process's peak resident set (KiB) from its status file;
// ok is false once it has exited (a zombie has no VmHWM line).
func vmHWM(status string) (int64, bool) {
	b, err := os.ReadFile(status)
	if err != nil {
		return 0, false
	}
	_, rest, found := strings.Cut(string(b), "VmHWM:")
	if !found {
		return 0, false
	}
	field, _, _ := strings.Cut(strings.TrimSpace(rest), " ")
	kb, err := strconv.ParseInt(field, 10, 64)
	return kb, err == nil
}

// scaleProcess benchmarks one command, reporting its mean wall time and
// its worst peak RSS.
func scaleProcess(b *testing.B, f *scaledb.Fixture, args func(i int) []string) {
	var total time.Duration
	var rss float64
	var out, runs int
	for b.Loop() {
		d, r, n := runFixture(b, f, args(runs)...)
		total += d
		rss, out = max(rss, r), n
		runs++
	}
	b.ReportMetric(float64(total.Microseconds())/1000/float64(runs), "ms")
	b.ReportMetric(rss, "MB-rss")
	b.ReportMetric(float64(out)/(1<<20), "MB-out")
}

// BenchmarkScaleShow: `show REF` as one whole process. Budget ≤ 100 ms.
func BenchmarkScaleShow(b *testing.B) {
	eachScale(b, func(b *testing.B, f *scaledb.Fixture) {
		scaleProcess(b, f, func(i int) []string { return []string{"show", f.Refs[i%len(f.Refs)]} })
	})
}

// BenchmarkScaleListJSON: `list --format json` of every order, streamed.
// Budget: peak RSS ≤ 150 MB and flat from 100k to 1M.
func BenchmarkScaleListJSON(b *testing.B) {
	eachScale(b, func(b *testing.B, f *scaledb.Fixture) {
		scaleProcess(b, f, func(int) []string { return []string{"list", "--format", "json"} })
	})
}

// BenchmarkScaleListCSV: `list --format csv` of every order. Budget as
// ListJSON.
func BenchmarkScaleListCSV(b *testing.B) {
	eachScale(b, func(b *testing.B, f *scaledb.Fixture) {
		scaleProcess(b, f, func(int) []string { return []string{"list", "--format", "csv"} })
	})
}

// BenchmarkScaleListFilter: `list --format json` with a filter that keeps
// about a tenth of the orders.
func BenchmarkScaleListFilter(b *testing.B) {
	eachScale(b, func(b *testing.B, f *scaledb.Fixture) {
		scaleProcess(b, f, func(int) []string {
			return []string{"list", "--format", "json", "--filter", "pay:paid ship:unfulfilled total>50"}
		})
	})
}

// BenchmarkScaleDBBytesPerOrder: the fixture's file size per order (its
// orders have no raw platform JSON; BenchmarkScaleIngest reports a synced
// file, which has).
func BenchmarkScaleDBBytesPerOrder(b *testing.B) {
	eachScale(b, func(b *testing.B, f *scaledb.Fixture) {
		fi, err := os.Stat(f.DB)
		if err != nil {
			b.Fatal(err)
		}
		for b.Loop() {
		}
		b.ReportMetric(float64(fi.Size())/float64(f.N), "B/order")
		b.ReportMetric(float64(fi.Size())/(1<<20), "MB-db")
	})
}

// maxIngest is the largest sync BenchmarkScaleIngest runs.
const maxIngest = 100000

// BenchmarkScaleIngest: the real sync path, the desk's sync of the four
// platforms' simulated shops at once (N/4 orders each, no rate limit on
// either side) over HTTP into a new database, as `orderdesk sync` runs
// them: list pages decoded by the adapters, stored a page per
// transaction. Reports orders/s (goal ≥ 5,000), orders per CPU second
// (the shops' side included: they run in this process), and the synced
// file's bytes per order (with each order's raw platform JSON); the log
// has each shop's own time. Sizes above maxIngest are skipped.
func BenchmarkScaleIngest(b *testing.B) {
	scales, err := scaledb.Scales()
	if err != nil {
		b.Fatal(err)
	}
	for _, n := range scales {
		b.Run(fmt.Sprintf("n=%d", n), func(b *testing.B) {
			if n > maxIngest {
				b.Skipf("a sync of %d orders takes too long here; sizes up to %d are synced", n, maxIngest)
			}
			var took, cpu time.Duration
			var size int64
			runs := 0
			// The timer runs throughout (b.Loop would repeat a sync it
			// cannot see); ns/op means nothing, the metrics time the sync alone.
			for b.Loop() {
				path := filepath.Join(b.TempDir(), fmt.Sprintf("ingest-%d.db", runs))
				w, c := ingest(b, path, n)
				took, cpu = took+w, cpu+c
				fi, err := os.Stat(path)
				if err != nil {
					b.Fatal(err)
				}
				size = fi.Size()
				// ORDERDESK_KEEP_INGEST=FILE keeps the synced database there, to look into.
				if keep := os.Getenv("ORDERDESK_KEEP_INGEST"); keep != "" {
					_ = os.Rename(path, keep)
				}
				os.Remove(path)
				runs++
			}
			b.ReportMetric(float64(n*runs)/took.Seconds(), "orders/s")
			b.ReportMetric(float64(n*runs)/cpu.Seconds(), "orders/cpu-s")
			b.ReportMetric(float64(size)/float64(n), "B/order")
		})
	}
}

// ingest syncs four simulated shops of n/4 orders each (one per platform)
// into a new database at path, in parallel, and returns the wall and CPU
// time the sync took (the shops' generation is not counted; their answers
// are).
func ingest(b *testing.B, path string, n int) (time.Duration, time.Duration) {
	st, err := cache.Open(path, cache.Options{})
	if err != nil {
		b.Fatal(err)
	}
	defer st.Close()
	var shops []backend.Shop
	for i, p := range []backend.Platform{backend.Fecshop, backend.Fecmall, backend.Shopline, backend.YMCart} {
		srv, err := simshop.New(p, simshop.Options{Seed: int64(i + 1), Orders: n / 4})
		if err != nil {
			b.Fatal(err)
		}
		defer srv.Close()
		cfg := srv.Config("ingest-" + string(p))
		cfg.Rate, cfg.Burst = 1e6, 1e6 // the client's limiter never waits
		shop, err := platforms.Open(cfg)
		if err != nil {
			b.Fatal(err)
		}
		shops = append(shops, shop)
	}
	ts := &timedStore{Store: st}
	desk := engine.NewDesk(ts, shops, time.Now)
	var mu sync.Mutex
	began, ended := time.Now(), map[string]time.Duration{}
	cpu0 := cpuTime(b)
	reports, err := desk.Sync(context.Background(), nil, func(e engine.Event) {
		if e.Kind == engine.EventDone {
			mu.Lock()
			ended[e.Shop] = time.Since(began)
			mu.Unlock()
		}
	})
	took, cpu := time.Since(began), cpuTime(b)-cpu0
	if err != nil {
		b.Fatal(err)
	}
	for _, r := range reports {
		if r.Err() != nil {
			b.Fatal(r.Err())
		}
		got, _ := st.Count(r.Pull.Shop)
		if got != n/4 {
			b.Fatalf("%s: synced %d orders, want %d", r.Pull.Shop, got, n/4)
		}
		b.Logf("%s: %d orders in %d pages, done after %v", r.Pull.Shop, got, r.Pull.Pages, ended[r.Pull.Shop].Round(time.Millisecond))
	}
	b.Logf("all: %d orders in %v (%v CPU), %v of it storing in %d transactions", n, took.Round(time.Millisecond),
		cpu.Round(time.Millisecond), ts.time().Round(time.Millisecond), ts.count())
	return took, cpu
}

// cpuTime is the CPU time (user + system) this process has used.
func cpuTime(b *testing.B) time.Duration {
	var ru syscall.Rusage
	if err := syscall.Getrusage(syscall.RUSAGE_SELF, &ru); err != nil {
		b.Fatal(err)
	}
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
}

// timedStore tells how much of a sync is spent storing (the shops' syncs
// run in parallel: it is safe for concurrent use).
type timedStore struct {
	*cache.Store
	mu    sync.Mutex
	put   time.Duration
	calls int
}

func (t *timedStore) timed(start time.Time) {
	t.mu.Lock()
	defer t.mu.Unlock()
	t.put += time.Since(start)
	t.calls++
}

func (t *timedStore) time() time.Duration { t.mu.Lock(); defer t.mu.Unlock(); return t.put }
func (t *timedStore) count() int          { t.mu.Lock(); defer t.mu.Unlock(); return t.calls }

func (t *timedStore) PutPage(shop string, orders []*backend.Order, c backend.SyncCursor) error {
	defer t.timed(time.Now())
	return t.Store.PutPage(shop, orders, c)
}

func (t *timedStore) PutOrders(shop string, orders []*backend.Order) error {
	defer t.timed(time.Now())
	return t.Store.PutOrders(shop, orders)
}
