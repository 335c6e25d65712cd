package main

import (
	"context"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"syscall"
	"testing"
	"time"

	"orderdesk/backend"
	"orderdesk/backend/platforms"
	"orderdesk/backend/simshop"
	"orderdesk/backend/sync"
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

// BenchmarkScaleIngest: the real sync path, a full Pull of each platform's
// simulated shop (N/4 orders each, no rate limit on either side) over HTTP
// into a new database: list pages decoded by the adapters, stored a page
// per transaction. Reports orders/s (goal ≥ 5,000), orders per CPU second
// (the shops' side included), and the synced file's bytes per order (with
// each order's raw platform JSON). Sizes above maxIngest are skipped.
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
			// cannot see); ns/op means nothing, the metrics time Pull alone.
			for b.Loop() {
				path := filepath.Join(b.TempDir(), fmt.Sprintf("ingest-%d.db", runs))
				st, err := cache.Open(path, cache.Options{})
				if err != nil {
					b.Fatal(err)
				}
				for i, p := range []backend.Platform{backend.Fecshop, backend.Fecmall, backend.Shopline, backend.YMCart} {
					w, c := ingestShop(b, st, p, int64(i+1), n/4)
					took, cpu = took+w, cpu+c
				}
				if err := st.Close(); err != nil {
					b.Fatal(err)
				}
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

// ingestShop pulls one simulated shop of n orders into st and returns the
// wall and CPU time Pull took (the shop's generation is not counted; its
// answers are: the shop runs in this process).
func ingestShop(b *testing.B, st *cache.Store, p backend.Platform, seed int64, n int) (time.Duration, time.Duration) {
	srv, err := simshop.New(p, simshop.Options{Seed: seed, Orders: n})
	if err != nil {
		b.Fatal(err)
	}
	defer srv.Close()
	name := "ingest-" + string(p)
	cfg := srv.Config(name)
	cfg.Rate, cfg.Burst = 1e6, 1e6 // the client's limiter never waits
	shop, err := platforms.Open(cfg)
	if err != nil {
		b.Fatal(err)
	}
	ts := &timedStore{Store: st}
	cpu0 := cpuTime(b)
	start := time.Now()
	res := sync.Pull(context.Background(), ts, shop, time.Now, nil)
	took, cpu := time.Since(start), cpuTime(b)-cpu0
	if res.Err != nil {
		b.Fatal(res.Err)
	}
	b.Logf("%s: %d orders in %v (%v CPU), %v of it in %d PutOrders", name, n, took.Round(time.Millisecond),
		cpu.Round(time.Millisecond), ts.put.Round(time.Millisecond), ts.calls)
	if got, _ := st.Count(name); got != n {
		b.Fatalf("%s: synced %d orders, want %d", name, got, n)
	}
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

// timedStore tells how much of a Pull is spent storing.
type timedStore struct {
	*cache.Store
	put   time.Duration
	calls int
}

func (t *timedStore) PutOrders(shop string, orders []*backend.Order) error {
	start := time.Now()
	err := t.Store.PutOrders(shop, orders)
	t.put += time.Since(start)
	t.calls++
	return err
}
