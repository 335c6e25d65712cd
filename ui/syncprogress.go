package ui

import (
	"context"
	"errors"
	"fmt"
	"strconv"
	"strings"
	"sync"
	"time"

	"orderdesk/backend"
	"orderdesk/backend/engine"
)

// Pass is where one shop's sync pass stands, as its events tell it. It is
// the one place that says "1,240 of 25,000 orders, page 248, ~38m left":
// the command line's bars and lines, the desk's status bar and the
// server's log all read it. It reads only the events' Shop, Kind, Pages,
// Orders, Total and Full, so a pass that resumes (its Pages and Orders
// starting where an earlier one stopped) reads the same.
//
// The ETA: the pages left are ceil((Total−Orders) ÷ orders per page seen);
// each takes the longer of 1/Rate (the shop's request rate, see
// backend.RequestRater) and the time pages have taken so far in this pass.
// Without a total (Fecmall reports none) the ETA is unknown.
type Pass struct {
	Shop   string
	Pages  int // pages stored so far
	Orders int // orders stored so far
	Total  int // orders the shop reports for the pass; -1 unknown
	Full   bool
	Rate   float64 // the shop's requests per second; 0 unknown
	// End is "" while the pass runs, then engine.EventDone or
	// engine.EventError (Err says why).
	End engine.EventKind
	Err error

	first      time.Time // when the first page event of the pass came
	firstPages int       // its Pages
	at         time.Time // when the latest event came
}

// NewPass is a shop's pass before its first event.
func NewPass(shop string, rate float64) Pass { return Pass{Shop: shop, Total: -1, Rate: rate} }

// Next returns the pass after ev, an event of its shop that came at now.
// Page, done and error events move it; others leave it as it was. A page
// event after the pass ended, or with fewer pages than seen, begins a new
// pass.
func (p Pass) Next(ev engine.Event, now time.Time) Pass {
	switch ev.Kind {
	case engine.EventPage:
		if p.End != "" || p.first.IsZero() || ev.Pages < p.Pages {
			p = Pass{Shop: p.Shop, Rate: p.Rate, first: now, firstPages: ev.Pages}
		}
	case engine.EventDone, engine.EventError:
		p.End, p.Err = ev.Kind, ev.Err
	default:
		return p
	}
	p.Pages, p.Orders, p.Total, p.Full, p.at = ev.Pages, ev.Orders, ev.Total, ev.Full, now
	if p.Pages == 0 {
		p.Total = -1 // an error before the first page carries no total
	}
	return p
}

// Running says the pass has stored a page and not ended.
func (p Pass) Running() bool { return p.Pages > 0 && p.End == "" }

// Fraction is how far the pass is, 0 to 1; ok is false without a total.
func (p Pass) Fraction() (f float64, ok bool) {
	switch {
	case p.Total < 0:
		return 0, false
	case p.Total == 0 || p.Orders >= p.Total:
		return 1, true
	}
	return float64(p.Orders) / float64(p.Total), true
}

// PagesLeft is how many pages the pass has still to fetch: the orders
// left at the orders per page seen so far, rounded up. ok is false
// without a total (or before a page with orders).
func (p Pass) PagesLeft() (n int, ok bool) {
	if p.Total < 0 || p.Pages <= 0 || p.Orders <= 0 {
		return 0, false
	}
	left := p.Total - p.Orders
	if left <= 0 {
		return 0, true
	}
	return (left*p.Pages + p.Orders - 1) / p.Orders, true
}

// ETA is how long the pass has left (see Pass); ok is false when that is
// unknown.
func (p Pass) ETA() (time.Duration, bool) {
	left, ok := p.PagesLeft()
	if !ok {
		return 0, false
	}
	var per time.Duration
	if p.Rate > 0 {
		per = time.Duration(float64(time.Second) / p.Rate)
	}
	if n := p.Pages - p.firstPages; n > 0 {
		per = max(per, p.at.Sub(p.first)/time.Duration(n))
	}
	if per <= 0 {
		return 0, false
	}
	return per * time.Duration(left), true
}

// Count is "1,240 of 25,000 orders", or "1,240 orders" without a total.
func (p Pass) Count() string {
	if p.Total < 0 {
		return orders(p.Orders)
	}
	return Thousands(p.Orders) + " of " + orders(p.Total)
}

// orders is "1 order", "1,240 orders".
func orders(n int) string { return Thousands(n) + plural(n, " order", " orders") }

// Left is "~38m left", or "ETA unknown".
func (p Pass) Left() string {
	d, ok := p.ETA()
	switch {
	case !ok:
		return "ETA unknown"
	case d == 0:
		return "finishing"
	}
	return Approx(d) + " left"
}

// Status is the pass without its shop: "1,240 of 25,000 orders, page
// 248, ~38m left" while it runs, "done: 25,000 orders in 5,000 pages" or
// "stopped at page 249 after 1,240 orders: why" once it ended.
func (p Pass) Status() string {
	switch p.End {
	case engine.EventDone:
		return fmt.Sprintf("done: %s in %s %s", orders(p.Orders), Thousands(p.Pages), plural(p.Pages, "page", "pages"))
	case engine.EventError:
		if errors.Is(p.Err, context.Canceled) {
			return fmt.Sprintf("interrupted at page %s after %s", Thousands(p.Pages+1), orders(p.Orders))
		}
		out := fmt.Sprintf("stopped at page %s after %s", Thousands(p.Pages+1), orders(p.Orders))
		if p.Err != nil {
			// the line names the shop and the page already
			why := strings.ReplaceAll(backend.Reason(p.Err), p.Shop+": ", "")
			why = strings.TrimPrefix(why, fmt.Sprintf("page %d: ", p.Pages+1))
			out += ": " + backend.Excerpt(why)
		}
		return out
	}
	if p.Pages == 0 {
		return "starting"
	}
	return p.Count() + ", page " + Thousands(p.Pages) + ", " + p.Left()
}

// Line is the shop and its Status: "fecshop-eu: 1,240 of 25,000 orders,
// page 248, ~38m left".
func (p Pass) Line() string { return p.Shop + ": " + p.Status() }

// Short is the pass in a few cells, for a status bar: "1,240/25,000 ·
// ~38m", or "1,240 · page 248" without a total.
func (p Pass) Short() string {
	if p.Total < 0 {
		return Thousands(p.Orders) + " · page " + Thousands(p.Pages)
	}
	out := Thousands(p.Orders) + "/" + Thousands(p.Total)
	if d, ok := p.ETA(); ok && d > 0 {
		out += " · " + Approx(d)
	}
	return out
}

func plural(n int, one, many string) string {
	if n == 1 {
		return one
	}
	return many
}

// Thousands writes n with commas: 25000 → "25,000".
func Thousands(n int) string {
	s := strconv.Itoa(n)
	neg := n < 0
	if neg {
		s = s[1:]
	}
	out := make([]byte, 0, len(s)+len(s)/3+1)
	for i := range len(s) {
		if i > 0 && (len(s)-i)%3 == 0 {
			out = append(out, ',')
		}
		out = append(out, s[i])
	}
	if neg {
		return "-" + string(out)
	}
	return string(out)
}

// Approx says a duration in the units that matter, rounded up: "~45s",
// "~1m10s" (to 10 s under 10 minutes), "~38m", "~2h05m".
func Approx(d time.Duration) string {
	switch {
	case d <= 0:
		return "~0s"
	case d <= 59*time.Second:
		return fmt.Sprintf("~%ds", int((d+time.Second-1)/time.Second))
	case d < 10*time.Minute:
		s := int((d+10*time.Second-1)/(10*time.Second)) * 10
		if s%60 == 0 {
			return fmt.Sprintf("~%dm", s/60)
		}
		return fmt.Sprintf("~%dm%02ds", s/60, s%60)
	case d < time.Hour:
		return fmt.Sprintf("~%dm", int((d+time.Minute-1)/time.Minute))
	}
	m := int((d + time.Minute - 1) / time.Minute)
	return fmt.Sprintf("~%dh%02dm", m/60, m%60)
}

// Tally follows the passes of several shops, in the order each was first
// heard of. Events may come from one goroutine per shop: it is safe for
// concurrent use.
type Tally struct {
	// Rate gives a shop's request rate (nil, or 0: unknown).
	Rate func(shop string) float64

	mu     sync.Mutex
	passes []Pass
}

// Note moves the pass of ev's shop and returns it; ok is false for events
// that are not about a pass (edits, single orders, slow calls).
func (t *Tally) Note(ev engine.Event, now time.Time) (p Pass, ok bool) {
	if ev.Kind != engine.EventPage && ev.Kind != engine.EventDone && ev.Kind != engine.EventError {
		return Pass{}, false
	}
	t.mu.Lock()
	defer t.mu.Unlock()
	i := t.index(ev.Shop)
	t.passes[i] = t.passes[i].Next(ev, now)
	return t.passes[i], true
}

// Add lists shops before their first event (their passes say "starting").
func (t *Tally) Add(shops ...string) {
	t.mu.Lock()
	defer t.mu.Unlock()
	for _, s := range shops {
		t.index(s)
	}
}

// Passes returns every pass heard of.
func (t *Tally) Passes() []Pass {
	t.mu.Lock()
	defer t.mu.Unlock()
	return append([]Pass(nil), t.passes...)
}

// index finds or adds shop's pass; the caller holds t.mu.
func (t *Tally) index(shop string) int {
	for i := range t.passes {
		if t.passes[i].Shop == shop {
			return i
		}
	}
	rate := 0.0
	if t.Rate != nil {
		rate = t.Rate(shop)
	}
	t.passes = append(t.passes, NewPass(shop, rate))
	return len(t.passes) - 1
}

// ProgressEvery is how often a progress log tells a running pass.
const ProgressEvery = 10 * time.Second

// ProgressLog tells the passes of a sync, a line per shop, to a reader
// without a terminal (a file, cron's mail, the server's log): a shop's
// first page, then a line at most every Every, and its end. Without Due
// a shop waiting long on one page says nothing meanwhile; call Due on a
// timer to keep a line coming every Every while a pass runs. Safe for
// concurrent use; Print is called with the log's lock held, so lines
// never interleave.
type ProgressLog struct {
	Every time.Duration // 0: ProgressEvery
	Now   func() time.Time
	Print func(line string)
	Tally Tally

	mu   sync.Mutex
	said map[string]time.Time // when each running pass was last told
}

// Event takes one sync event; it prints when the pass's line is due.
func (l *ProgressLog) Event(ev engine.Event) {
	l.mu.Lock()
	defer l.mu.Unlock()
	now := l.Now()
	p, ok := l.Tally.Note(ev, now)
	if !ok {
		return
	}
	if l.said == nil {
		l.said = map[string]time.Time{}
	}
	last, told := l.said[p.Shop]
	first := p.End == "" && p.Pages == p.firstPages // the pass's first page
	switch {
	case p.End != "":
		delete(l.said, p.Shop)
	case !first && told && now.Sub(last) < l.every():
		return
	default:
		l.said[p.Shop] = now
	}
	l.Print(p.Line())
}

// Due tells every running pass not told for Every, even when no page came
// since (the line then says where it still stands).
func (l *ProgressLog) Due() {
	l.mu.Lock()
	defer l.mu.Unlock()
	now := l.Now()
	for _, p := range l.Tally.Passes() {
		last, told := l.said[p.Shop]
		if !told || !p.Running() || now.Sub(last) < l.every() {
			continue
		}
		l.said[p.Shop] = now
		l.Print(p.Line())
	}
}

func (l *ProgressLog) every() time.Duration {
	if l.Every <= 0 {
		return ProgressEvery
	}
	return l.Every
}
