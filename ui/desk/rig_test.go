package desk

import (
	"context"
	"reflect"
	"runtime"
	"strings"
	"sync"
	"testing"
	"time"

	tea "charm.land/bubbletea/v2"
	"github.com/charmbracelet/x/ansi"

	"orderdesk/backend"
	"orderdesk/backend/engine"
	"orderdesk/backend/platforms"
	"orderdesk/backend/simshop"
	"orderdesk/backend/storage"
	"orderdesk/cache"
	"orderdesk/keymap"
)

// demoTime is the fixed "now" of every test: orders, ages and filters
// do not move with the clock.
var demoTime = time.Date(2026, 11, 23, 10, 0, 0, 0, time.UTC)

// rig is a desk session over the four simulated shops and a real bbolt
// file, driven by calling Update the way a Bubble Tea program would:
// each command runs in its own goroutine and its message comes back
// through Update. Commands that never finish (event listeners, ticks)
// simply never answer.
type rig struct {
	t     testing.TB
	m     *Model
	demo  *simshop.Demo
	store *cache.Store
	desk  *engine.Desk
	msgs  chan tea.Msg

	// What settle needs to know that the work keys started is over: the
	// commands running (see run), and the desk's events, counted on the
	// rig's own feed, against those that reached Update.
	mu       sync.Mutex
	running  map[*running]struct{}
	ended    chan struct{} // a token when a command ends
	feed     *engine.Feed
	events   int // published on the desk (read off feed)
	heard    int // delivered to Update by the model's listener
	activity time.Time
}

// running is one command in flight.
type running struct {
	kind  cmdKind
	start time.Time
}

// cmdKind sorts commands by how settle waits for them.
type cmdKind uint8

const (
	cmdWork     cmdKind = iota // answers soon: settle waits for it
	cmdListener                // waits for the desk's events: never waited for
	cmdTick                    // a timer: waited for while it may still be a short one
	cmdAside                   // answers nothing the model uses: never waited for
)

type rigOpt func(*Config)

// newRig syncs n orders per platform into a fresh cache and opens a
// session of w×h on it, waiting for the whole cache to load.
func newRig(t testing.TB, n, w, h int, opts ...rigOpt) *rig {
	t.Helper()
	return newRigShops(t, n, w, h, nil, opts...)
}

// newRigShops is newRig whose shops' configs pass through shop first
// (when not nil).
func newRigShops(t testing.TB, n, w, h int, shop func(*backend.ShopConfig), opts ...rigOpt) *rig {
	t.Helper()
	demo, err := simshop.StartDemo(1, n, demoTime)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(demo.Close)
	st, err := cache.Open(t.TempDir()+"/desk.db", cache.Options{Timeout: time.Second})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { st.Close() })
	var shops []backend.Shop
	zones := map[string]*time.Location{}
	for _, c := range demo.Configs() {
		if shop != nil {
			shop(&c)
		}
		s, err := platforms.Open(c)
		if err != nil {
			t.Fatal(err)
		}
		shops = append(shops, s)
		zones[c.Name] = c.Loc()
	}
	// The cache holds exactly what a sync would store (the sims' truth is
	// what the adapters read off the wire), with a fixed synced_at, so
	// screens are the same on every run.
	for i, srv := range demo.Shops {
		orders := srv.Orders()
		for _, o := range orders {
			o.Shop, o.Ref = demo.Names[i], backend.Ref{Shop: demo.Names[i], Number: o.Number}
			o.SyncedAt = backend.UTC(demoTime)
		}
		if err := cache.Fill(st, orders, 100); err != nil {
			t.Fatal(err)
		}
	}
	d := engine.NewDesk(st, shops, func() time.Time { return demoTime })
	return openRig(t, demo, st, d, zones, w, h, opts...)
}

func openRig(t testing.TB, demo *simshop.Demo, st *cache.Store, d *engine.Desk, zones map[string]*time.Location, w, h int, opts ...rigOpt) *rig {
	cfg := Config{
		Desk: d, Loc: time.UTC, ShopZones: zones, Operator: "tester",
		Keys: keymap.Default(), Now: func() time.Time { return demoTime },
		SyncEvery: -1, Dark: true,
	}
	for _, o := range opts {
		o(&cfg)
	}
	r := &rig{t: t, demo: demo, store: st, desk: d, msgs: make(chan tea.Msg, 1024),
		running: map[*running]struct{}{}, ended: make(chan struct{}, 1)}
	r.m = New(context.Background(), cfg)
	t.Cleanup(r.m.Close)
	r.feed = d.Subscribe() // after the model's: both see every event from here on
	t.Cleanup(r.feed.Close)
	r.run(r.m.Init())
	r.send(tea.WindowSizeMsg{Width: w, Height: h})
	r.until("the cache is loaded", func() bool {
		return !r.m.loading && r.m.rowsGen == r.m.gen && (r.m.cursor >= len(r.m.rows) || r.m.detail.order != nil)
	})
	r.settle() // the tab counts
	return r
}

// run starts a command the way the program does, and keeps count of
// it until it has answered (or started the commands of its batch).
func (r *rig) run(cmd tea.Cmd) {
	if cmd == nil {
		return
	}
	c := &running{kind: commandKind(cmd), start: time.Now()}
	r.mu.Lock()
	r.running[c] = struct{}{}
	r.mu.Unlock()
	go func() {
		defer r.end(c)
		msg := cmd()
		if b, ok := msg.(tea.BatchMsg); ok {
			for _, c := range b {
				r.run(c) // counted before this one ends
			}
			return
		}
		if msg != nil {
			r.msgs <- msg // queued before this one ends
		}
	}()
}

func (r *rig) end(c *running) {
	r.mu.Lock()
	delete(r.running, c)
	r.mu.Unlock()
	select {
	case r.ended <- struct{}{}:
	default:
	}
}

// commandKind tells the desk's event listener and timers from other work by
// the function the command is.
func commandKind(cmd tea.Cmd) cmdKind {
	// a closure is named after the functions it is in, inlined ones too:
	// "orderdesk/ui/desk.(*Model).Init.waitEvent.func3",
	// "charm.land/bubbletea/v2.Tick.func1"
	name := runtime.FuncForPC(reflect.ValueOf(cmd).Pointer()).Name()
	for i := strings.LastIndexByte(name, '.'); i > 0 && strings.HasPrefix(name[i:], ".func"); i = strings.LastIndexByte(name, '.') {
		name = name[:i]
	}
	switch name[strings.LastIndexByte(name, '.')+1:] {
	case "waitEvent":
		return cmdListener
	case "Tick":
		return cmdTick
	case "releaseMemory": // (a full collection: slow when many tests run)
		return cmdAside
	}
	return cmdWork
}

// send delivers a message to Update and starts what it returns.
func (r *rig) send(msg tea.Msg) {
	_, cmd := r.m.Update(msg)
	r.run(cmd)
}

// deliver sends an answer of background work.
func (r *rig) deliver(msg tea.Msg) {
	if _, ok := msg.(syncEventMsg); ok {
		r.heard++
	}
	r.activity = time.Now()
	r.send(msg)
}

// until feeds answers of background work to Update until cond holds.
func (r *rig) until(what string, cond func() bool) {
	r.t.Helper()
	deadline := time.After(10 * time.Second)
	for !cond() {
		select {
		case msg := <-r.msgs:
			r.deliver(msg)
		case <-deadline:
			r.t.Fatalf("timed out waiting until %s; screen:\n%s", what, r.screen())
		}
	}
}

const (
	// shortTick: a timer that has not fired this long after it was set
	// is one of the long ones (the 1.5 s quit, a flash, the 15 s tick);
	// the short ones (tab counts 120 ms, the detail hold 150 ms) fire
	// well within it.
	shortTick = 300 * time.Millisecond
	// quiet: work still running after this long with nothing answering
	// (a shop that hangs, a sync that is slow on purpose) is left running.
	quiet = 2 * time.Second
)

// settle feeds answers until the work the last keys started is over:
// no answer waits in the queue, every event the desk published has
// reached Update, and no command runs but the event listener and long
// timers. Work that keeps running (a silent shop) is left to run once
// nothing has answered for a while.
func (r *rig) settle() {
	r.activity = time.Now()
	poll, cancel := context.WithCancel(context.Background())
	cancel() // Next on a done context takes only what the feed holds
	timer := time.NewTimer(time.Millisecond)
	defer timer.Stop()
	for {
		// in this order: a command queues its answer and publishes its
		// events before it ends, so once pending sees it ended, both are
		// there to be seen
		wait, busy := r.pending()
		for {
			if _, ok := r.feed.Next(poll); !ok {
				break
			}
			r.events++
		}
		if len(r.msgs) > 0 {
			r.deliver(<-r.msgs)
			continue
		}
		if !busy && r.heard >= r.events {
			return
		}
		if since := time.Since(r.activity); since >= quiet {
			return
		} else if wait == 0 || wait > quiet-since {
			wait = quiet - since
		}
		if r.heard < r.events {
			wait = min(wait, 5*time.Millisecond) // the listener is on its way
		}
		timer.Reset(wait)
		select {
		case msg := <-r.msgs:
			r.deliver(msg)
		case <-r.ended:
			r.activity = time.Now()
		case <-timer.C:
		}
	}
}

// pending reports whether work settle waits for is running, and when a
// timer running now stops being a short one (0: none).
func (r *rig) pending() (wait time.Duration, busy bool) {
	r.mu.Lock()
	defer r.mu.Unlock()
	for c := range r.running {
		switch c.kind {
		case cmdWork:
			busy = true
		case cmdTick:
			if age := time.Since(c.start); age < shortTick {
				busy = true
				if w := shortTick - age; wait == 0 || w < wait {
					wait = w
				}
			}
		}
	}
	return wait, busy
}

// keys presses keys by name ("enter", "ctrl+c", "a") and lets the work
// they start finish.
func (r *rig) keys(names ...string) {
	r.t.Helper()
	for _, n := range names {
		r.send(press(r.t, n))
	}
	r.settle()
}

// typeText types text one key at a time.
func (r *rig) typeText(s string) {
	for _, c := range s {
		if c == ' ' {
			r.send(press(r.t, "space"))
			continue
		}
		r.send(tea.KeyPressMsg{Code: c, Text: string(c)})
	}
	r.settle()
}

var namedKeys = map[string]tea.Key{
	"enter": {Code: tea.KeyEnter}, "esc": {Code: tea.KeyEscape}, "tab": {Code: tea.KeyTab},
	"shift+tab": {Code: tea.KeyTab, Mod: tea.ModShift}, "space": {Code: tea.KeySpace, Text: " "},
	"up": {Code: tea.KeyUp}, "down": {Code: tea.KeyDown}, "pgdown": {Code: tea.KeyPgDown}, "pgup": {Code: tea.KeyPgUp},
	"home": {Code: tea.KeyHome}, "end": {Code: tea.KeyEnd}, "backspace": {Code: tea.KeyBackspace},
	"ctrl+c": {Code: 'c', Mod: tea.ModCtrl}, "ctrl+a": {Code: 'a', Mod: tea.ModCtrl},
}

func press(t testing.TB, name string) tea.KeyPressMsg {
	t.Helper()
	if k, ok := namedKeys[name]; ok {
		return tea.KeyPressMsg(k)
	}
	if r := []rune(name); len(r) == 1 {
		return tea.KeyPressMsg{Code: r[0], Text: name}
	}
	t.Fatalf("no key %q", name)
	return tea.KeyPressMsg{}
}

// screen is what the terminal shows, without colours.
func (r *rig) screen() string { return ansi.Strip(r.m.Render()) }

// shown is the orders the list shows, in order, each the slim order the
// cache holds (the desk keeps only what the list shows of them).
func (r *rig) shown() []*backend.Order {
	r.t.Helper()
	byRef := map[backend.Ref]*backend.Order{}
	for _, o := range r.cached() {
		byRef[o.Ref] = o
	}
	out := make([]*backend.Order, len(r.m.rows))
	for i, k := range r.m.rows {
		if out[i] = byRef[r.m.data.ref(int(k))]; out[i] == nil {
			r.t.Fatalf("row %d shows %s, which the cache does not hold", i, r.m.data.ref(int(k)))
		}
	}
	return out
}

// current is the slim order under the cursor as the cache holds it, or
// nil.
func (r *rig) current() *backend.Order {
	r.t.Helper()
	ref, ok := r.m.current()
	if !ok {
		return nil
	}
	for _, o := range r.cached() {
		if o.Ref == ref {
			return o
		}
	}
	r.t.Fatalf("the cursor is on %s, which the cache does not hold", ref)
	return nil
}

// cached is every slim order of the cache, in the scan order.
func (r *rig) cached() []*backend.Order {
	r.t.Helper()
	var out []*backend.Order
	if err := r.store.Scan(storage.ScanQuery{}, func(o *backend.Order, _ []byte) error {
		out = append(out, o)
		return nil
	}); err != nil {
		r.t.Fatal(err)
	}
	return out
}

func (r *rig) screenHas(s string) bool { return strings.Contains(r.screen(), s) }

// box is the open flow's box, or nil.
func (r *rig) box() box { return r.m.openBox() }

// open reports a box over the list.
func (r *rig) open() bool { return r.box() != nil }

// waiting reports a flow waiting for its background work.
func (r *rig) waiting() bool {
	w, ok := r.m.flow.(interface{ busy() bool })
	return ok && w.busy()
}

// importRunning reports the import's sheet showing a run under way.
func (r *rig) importRunning() bool {
	f, ok := r.m.flow.(*importFlow)
	return ok && f.run != nil
}

// importResults reports the import's results shown.
func (r *rig) importResults() bool {
	f, ok := r.m.flow.(*importFlow)
	return ok && f.run == nil && f.plan == nil && f.sheet != nil && f.cur == box(f.sheet)
}

// exportAsks reports the export asking whether to replace the file.
func (r *rig) exportAsks() bool {
	f, ok := r.m.flow.(*exportFlow)
	return ok && f.replace != nil && f.cur == box(f.replace)
}

// flowDrafts are the drafts an edit flow asks about.
func (r *rig) flowDrafts() []*backend.Edit {
	switch f := r.m.flow.(type) {
	case *statusFlow:
		return f.drafts
	case *formFlow:
		return f.drafts
	}
	return nil
}

// boxSays reports whether the open box shows text, whatever lines its
// width wraps the text into.
func (r *rig) boxSays(text string) bool {
	b := r.box()
	if b == nil {
		return false
	}
	var words []string
	for _, l := range strings.Split(ansi.Strip(b.View(200, 60)), "\n") {
		words = append(words, strings.Fields(strings.Trim(l, "│╭╮╰╯─ "))...)
	}
	return strings.Contains(strings.Join(words, " "), text)
}
