package ui

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"orderdesk/backend/engine"
)

func page(shop string, pages, orders, total int) engine.Event {
	return engine.Event{Shop: shop, Kind: engine.EventPage, Pages: pages, Orders: orders, Total: total, Full: true}
}

// TestPassETA: the pages left come from the orders per page seen, rounded
// up; each takes 1/rate, or longer when the pages so far took longer.
func TestPassETA(t *testing.T) {
	t0 := time.Date(2026, 1, 2, 3, 4, 5, 0, time.UTC)
	cases := []struct {
		name      string
		rate      float64
		events    []engine.Event
		took      time.Duration // between the first and the last event
		pagesLeft int
		known     bool
		eta       time.Duration
		status    string
	}{
		{"rate sets the pace", 2, []engine.Event{page("eu", 248, 1240, 25000)}, 0, 4752, true, 2376 * time.Second,
			"1,240 of 25,000 orders, page 248, ~40m left"},
		{"a short last page rounds up", 2, []engine.Event{page("eu", 2, 10, 11)}, 0, 1, true, 500 * time.Millisecond,
			"10 of 11 orders, page 2, ~1s left"},
		{"slower answers than the rate set the pace", 4, []engine.Event{page("sl", 1, 50, 1000), page("sl", 5, 250, 1000)}, 8 * time.Second, 15, true, 30 * time.Second,
			"250 of 1,000 orders, page 5, ~30s left"},
		{"faster answers than the rate do not", 1, []engine.Event{page("sl", 1, 50, 1000), page("sl", 5, 250, 1000)}, 2 * time.Second, 15, true, 15 * time.Second,
			"250 of 1,000 orders, page 5, ~15s left"},
		{"no total, no ETA", 5, []engine.Event{page("cn", 7, 140, -1)}, 0, 0, false, 0,
			"140 orders, page 7, ETA unknown"},
		{"no rate and one page: no pace yet", 0, []engine.Event{page("ym", 1, 20, 100)}, 0, 4, false, 0,
			"20 of 100 orders, page 1, ETA unknown"},
		{"more orders than the total (new ones came)", 2, []engine.Event{page("eu", 3, 30, 25)}, 0, 0, true, 0,
			"30 of 25 orders, page 3, finishing"},
		{"a resumed pass paces from where it resumed", 0, []engine.Event{page("eu", 100, 500, 1000), page("eu", 110, 550, 1000)}, 20 * time.Second, 90, true, 180 * time.Second,
			"550 of 1,000 orders, page 110, ~3m left"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			p := NewPass(c.events[0].Shop, c.rate)
			for i, ev := range c.events {
				at := t0
				if i == len(c.events)-1 {
					at = t0.Add(c.took)
				}
				p = p.Next(ev, at)
			}
			left, ok := p.PagesLeft()
			if ok != (c.known || c.pagesLeft > 0) || left != c.pagesLeft {
				t.Errorf("PagesLeft = %d, %v; want %d", left, ok, c.pagesLeft)
			}
			eta, ok := p.ETA()
			if ok != c.known || eta != c.eta {
				t.Errorf("ETA = %v, %v; want %v, %v", eta, ok, c.eta, c.known)
			}
			if got := p.Status(); got != c.status {
				t.Errorf("Status = %q, want %q", got, c.status)
			}
		})
	}
}

func TestPassEnds(t *testing.T) {
	t0 := time.Now()
	p := NewPass("eu", 2).Next(page("eu", 3, 30, 30), t0)
	p = p.Next(engine.Event{Shop: "eu", Kind: engine.EventDone, Pages: 3, Orders: 30, Total: 30}, t0)
	if got, want := p.Line(), "eu: done: 30 orders in 3 pages"; got != want || p.Running() {
		t.Errorf("done: %q (running %v), want %q", got, p.Running(), want)
	}
	p = p.Next(page("eu", 1, 10, 30), t0) // the next pass
	if !p.Running() || p.Pages != 1 {
		t.Errorf("a page after the end starts a new pass: %+v", p)
	}
	p = p.Next(engine.Event{Shop: "eu", Kind: engine.EventError, Pages: 1, Orders: 10, Total: 30, Err: errors.New("shop unavailable")}, t0)
	if got, want := p.Line(), "eu: stopped at page 2 after 10 orders: shop unavailable"; got != want {
		t.Errorf("error: %q, want %q", got, want)
	}
	p = p.Next(engine.Event{Shop: "eu", Kind: engine.EventError, Pages: 1, Orders: 10, Total: 30, Err: fmt.Errorf("eu: page 2: eu: list page 2: %w", errors.New("bad gateway"))}, t0)
	if got, want := p.Line(), "eu: stopped at page 2 after 10 orders: list page 2: bad gateway"; got != want {
		t.Errorf("error naming the shop and the page again: %q, want %q", got, want)
	}
	p = p.Next(engine.Event{Shop: "eu", Kind: engine.EventError, Pages: 1, Orders: 10, Total: 30, Err: fmt.Errorf("eu: page 2: %w", context.Canceled)}, t0)
	if got, want := p.Line(), "eu: interrupted at page 2 after 10 orders"; got != want {
		t.Errorf("interrupted: %q, want %q", got, want)
	}
	p = p.Next(engine.Event{Shop: "eu", Kind: engine.EventDone, Pages: 1, Orders: 1, Total: 1}, t0)
	if got, want := p.Line(), "eu: done: 1 order in 1 page"; got != want {
		t.Errorf("one order: %q, want %q", got, want)
	}
	if got := NewPass("eu", 0).Next(engine.Event{Shop: "eu", Kind: engine.EventError}, t0); got.Total != -1 {
		t.Errorf("an error before the first page has no total: %+v", got)
	}
}

func TestThousandsAndApprox(t *testing.T) {
	for n, want := range map[int]string{0: "0", 999: "999", 1000: "1,000", 25000: "25,000", 1234567: "1,234,567", -4500: "-4,500"} {
		if got := Thousands(n); got != want {
			t.Errorf("Thousands(%d) = %q, want %q", n, got, want)
		}
	}
	for d, want := range map[time.Duration]string{500 * time.Millisecond: "~1s", 45 * time.Second: "~45s", 59500 * time.Millisecond: "~1m",
		61 * time.Second: "~1m10s", 120 * time.Second: "~2m", 599 * time.Second: "~10m", 38 * time.Minute: "~38m", 125 * time.Minute: "~2h05m"} {
		if got := Approx(d); got != want {
			t.Errorf("Approx(%v) = %q, want %q", d, got, want)
		}
	}
}

// TestProgressLogThrottles: 5,000 pages in under a minute make a line for
// the first page, one per shop every 10 s, and the end; Due keeps a line
// coming while a shop waits on a page.
func TestProgressLogThrottles(t *testing.T) {
	now := time.Date(2026, 1, 2, 3, 4, 5, 0, time.UTC)
	var lines []string
	l := &ProgressLog{Now: func() time.Time { return now }, Print: func(s string) { lines = append(lines, s) }}
	l.Tally.Rate = func(string) float64 { return 100 }
	for pg := 1; pg <= 5000; pg++ {
		l.Event(page("eu", pg, pg*5, 25000))
		if pg%2 == 0 {
			l.Event(page("cn", pg/2, pg/2*20, -1))
		}
		l.Event(engine.Event{Shop: "eu", Kind: engine.EventEdit}) // not about a pass
		now = now.Add(10 * time.Millisecond)                      // 5,000 pages in 50 s
	}
	l.Event(engine.Event{Shop: "eu", Kind: engine.EventDone, Pages: 5000, Orders: 25000, Total: 25000, Full: true})
	var eu, cn []string
	for _, s := range lines {
		switch {
		case strings.HasPrefix(s, "eu: "):
			eu = append(eu, s)
		case strings.HasPrefix(s, "cn: "):
			cn = append(cn, s)
		default:
			t.Errorf("a line of no shop: %q", s)
		}
	}
	wantEU := []string{
		"eu: 5 of 25,000 orders, page 1, ~50s left",
		"eu: 5,005 of 25,000 orders, page 1,001, ~40s left",
		"eu: 10,005 of 25,000 orders, page 2,001, ~30s left",
		"eu: 15,005 of 25,000 orders, page 3,001, ~20s left",
		"eu: 20,005 of 25,000 orders, page 4,001, ~10s left",
		"eu: done: 25,000 orders in 5,000 pages",
	}
	if fmt.Sprint(eu) != fmt.Sprint(wantEU) {
		t.Errorf("eu's lines:\n%s\nwant\n%s", strings.Join(eu, "\n"), strings.Join(wantEU, "\n"))
	}
	if len(cn) != 5 || cn[0] != "cn: 20 orders, page 1, ETA unknown" {
		t.Errorf("cn's lines (first page, then every 10 s of 50):\n%s", strings.Join(cn, "\n"))
	}

	// cn waits on a page: Due tells it every 10 s, and only then
	lines = nil
	l.Due()
	if len(lines) != 0 {
		t.Errorf("Due before 10 s passed: %q", lines)
	}
	now = now.Add(10 * time.Second)
	l.Due()
	if len(lines) != 1 || lines[0] != "cn: 50,000 orders, page 2,500, ETA unknown" {
		t.Errorf("Due after 10 s: %q (eu ended: no line)", lines)
	}
	l.Due()
	if len(lines) != 1 {
		t.Errorf("Due twice in the same instant: %q", lines)
	}
}

// TestProgressLogFromParallelShops: a ProgressLog is an engine.Progress,
// called from one goroutine per shop while a timer calls Due; Print needs
// no lock of its own. Run with -race.
func TestProgressLogFromParallelShops(t *testing.T) {
	var (
		lines []string
		mu    sync.Mutex // guards now only: the test's clock
		now   = time.Date(2026, 1, 2, 3, 4, 5, 0, time.UTC)
	)
	l := &ProgressLog{Every: time.Second, Now: func() time.Time {
		mu.Lock()
		defer mu.Unlock()
		now = now.Add(100 * time.Millisecond)
		return now
	}, Print: func(s string) { lines = append(lines, s) }}
	shops := []string{"a", "b", "c", "d"}
	var wg sync.WaitGroup
	for _, shop := range shops {
		wg.Go(func() {
			for p := 1; p <= 200; p++ {
				l.Event(page(shop, p, p*5, 1000))
				if p%20 == 0 {
					l.Due()
				}
			}
			l.Event(engine.Event{Shop: shop, Kind: engine.EventDone, Pages: 200, Orders: 1000, Total: 1000})
		})
	}
	wg.Wait()
	for _, shop := range shops {
		want := shop + ": done: 1,000 orders in 200 pages"
		if !slices.Contains(lines, want) || !strings.HasPrefix(firstOf(lines, shop), shop+": 5 of 1,000 orders, page 1,") {
			t.Errorf("%s's first or last line missing:\n%s", shop, strings.Join(lines, "\n"))
		}
	}
}

// firstOf is shop's first line.
func firstOf(lines []string, shop string) string {
	for _, l := range lines {
		if strings.HasPrefix(l, shop+": ") {
			return l
		}
	}
	return ""
}
