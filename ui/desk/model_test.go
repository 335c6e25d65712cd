package desk

import (
	"slices"
	"strings"
	"testing"

	tea "charm.land/bubbletea/v2"
	"github.com/charmbracelet/x/ansi"

	"orderdesk/backend"
	"orderdesk/backend/engine"
	"orderdesk/backend/query"
	"orderdesk/backend/simshop"
	"orderdesk/keymap"
	"orderdesk/ui/form"
)

// pick moves the cursor down to the first order shown that satisfies ok.
func (r *rig) pick(what string, ok func(o *backend.Order) bool) *backend.Order {
	r.t.Helper()
	r.keys("home")
	for i, o := range r.shown() {
		if ok(o) {
			for range i {
				r.send(press(r.t, "down"))
			}
			r.settle()
			if c, _ := r.m.current(); c != o.Ref {
				r.t.Fatalf("cursor on %v, want %v", c, o.Ref)
			}
			return o
		}
	}
	r.t.Fatalf("no order shown is %s", what)
	return nil
}

func (r *rig) sim(shop string) *simshop.Server {
	for i, n := range r.demo.Names {
		if n == shop {
			return r.demo.Shops[i]
		}
	}
	r.t.Fatalf("no sim %s", shop)
	return nil
}

func TestNavigationKeepsTheCursorInView(t *testing.T) {
	t.Parallel()
	r := newRig(t, 40, 80, 24)
	if got := len(r.m.rows); got != 160 {
		t.Fatalf("rows %d, want 160", got)
	}
	h := r.m.listHeight()
	r.keys("down", "down")
	if r.m.cursor != 2 {
		t.Fatalf("cursor %d after two downs", r.m.cursor)
	}
	r.keys("pgdown")
	if r.m.cursor != 2+h || r.m.offset > r.m.cursor || r.m.cursor >= r.m.offset+h {
		t.Fatalf("after pgdown cursor %d offset %d height %d", r.m.cursor, r.m.offset, h)
	}
	r.keys("end")
	if r.m.cursor != 159 || r.m.offset != 160-h {
		t.Fatalf("end: cursor %d offset %d", r.m.cursor, r.m.offset)
	}
	last := r.current()
	if !strings.Contains(r.screen(), ansi.Truncate(last.Number, 16, "…")) {
		t.Fatalf("the last order %s is not on screen:\n%s", last.Ref, r.screen())
	}
	r.keys("up", "home")
	if r.m.cursor != 0 || r.m.offset != 0 {
		t.Fatalf("home: cursor %d offset %d", r.m.cursor, r.m.offset)
	}
	// every line fits the terminal
	for i, l := range strings.Split(r.m.Render(), "\n") {
		if w := ansi.StringWidth(l); w > 80 {
			t.Fatalf("line %d is %d wide: %q", i, w, ansi.Strip(l))
		}
	}
	if n := strings.Count(r.m.Render(), "\n") + 1; n != 24 {
		t.Fatalf("%d lines, want 24", n)
	}
}

func TestSelectionStaysOnTheSameOrderWhenRowsChange(t *testing.T) {
	t.Parallel()
	r := newRig(t, 40, 80, 24)
	o := r.pick("a shopline order far down", func(o *backend.Order) bool {
		return o.Platform == backend.Shopline && slices.IndexFunc(r.shown(), func(x *backend.Order) bool { return x.Ref == o.Ref }) > 30
	})
	r.keys("/")
	r.typeText("platform:shopline")
	if c := r.current(); c == nil || c.Ref != o.Ref {
		t.Fatalf("after filtering the cursor is on %v, want %v", c, o.Ref)
	}
	// a sync page re-reads the order: the list follows, the cursor stays
	r.send(changedMsg{orders: []*backend.Order{slim(mustOrder(t, r, o.Ref))}})
	r.until("the new snapshot is shown", func() bool { return r.m.data.version > 1 && r.m.rowsGen == r.m.gen })
	if c := r.current(); c == nil || c.Ref != o.Ref {
		t.Fatalf("after a refresh the cursor is on %v, want %v", c, o.Ref)
	}
}

func mustOrder(t *testing.T, r *rig, ref backend.Ref) *backend.Order {
	o, err := r.store.Order(ref)
	if err != nil {
		t.Fatal(err)
	}
	return o
}

func TestTabsShowTheirViewAndCounts(t *testing.T) {
	t.Parallel()
	r := newRig(t, 40, 160, 50)
	for i, tb := range r.m.tabs {
		r.keys(string(rune('1' + i)))
		if r.m.tab != i {
			t.Fatalf("key %d selected tab %d", i+1, r.m.tab)
		}
		want := 0
		for _, o := range r.cached() {
			if tb.q.MatchOrder(o) {
				want++
			}
		}
		if len(r.m.rows) != want || r.m.tabs[i].count != want {
			t.Fatalf("tab %q shows %d rows, counts %d, want %d", tb.Name, len(r.m.rows), r.m.tabs[i].count, want)
		}
		if !strings.Contains(r.screen(), tb.Name+" ") {
			t.Fatalf("tab bar lacks %q", tb.Name)
		}
	}
	// each built-in view means what its name says
	r.keys("5") // Cancelled
	for _, o := range r.shown() {
		if o.State.Order != backend.OrderCancelled {
			t.Fatalf("Cancelled shows %s (%s)", o.Ref, o.State.Order)
		}
	}
	r.keys("2") // To ship
	for _, o := range r.shown() {
		if o.State.Payment != backend.PayPaid || (o.State.Fulfillment != backend.FulUnfulfilled && o.State.Fulfillment != backend.FulPartial) {
			t.Fatalf("To ship shows %s (%v)", o.Ref, o.State)
		}
	}
	r.keys("tab")
	if r.m.tab != 2 {
		t.Fatalf("tab key went to %d", r.m.tab)
	}
	r.keys("shift+tab", "shift+tab", "shift+tab")
	if r.m.tab != len(r.m.tabs)-1 {
		t.Fatalf("shift+tab wraps to %d", r.m.tab)
	}
}

func TestSavedViewsFromConfigAreTabs(t *testing.T) {
	t.Parallel()
	r := newRig(t, 10, 160, 50, func(c *Config) { c.Views = []View{{Name: "JP", Query: "country:jp"}} })
	last := len(r.m.tabs) - 1
	if r.m.tabs[last].Name != "JP" {
		t.Fatalf("tabs %v", r.m.tabs)
	}
	r.keys(string(rune('1' + last)))
	for _, o := range r.shown() {
		if countryCode(o) != "JP" {
			t.Fatalf("JP view shows %s in %q", o.Ref, countryCode(o))
		}
	}
}

func TestFilterNarrowsAsYouTypeAndKeepsRowsOnAnError(t *testing.T) {
	t.Parallel()
	r := newRig(t, 40, 80, 24)
	r.keys("/")
	r.typeText("platform:shop")
	// a prefix that is not a platform matches nothing, and that is shown
	r.typeText("line")
	for _, o := range r.shown() {
		if o.Platform != backend.Shopline {
			t.Fatalf("platform:shopline shows %s", o.Ref)
		}
	}
	r.until("the tabs are counted", func() bool { return r.m.tabs[0].count == 40 }) // after a pause in typing
	if len(r.m.rows) != 40 || r.m.tabs[0].count != 40 {
		t.Fatalf("shopline rows %d, All count %d; want 40", len(r.m.rows), r.m.tabs[0].count)
	}
	before := slices.Clone(r.m.rows)
	r.send(tea.PasteMsg{Content: " total>abc"})
	r.settle()
	if r.m.filterErr == nil || r.m.filterErr.Term != "total>abc" {
		t.Fatalf("no error at the bad term: %+v", r.m.filterErr)
	}
	if !slices.Equal(before, r.m.rows) {
		t.Fatal("an invalid filter changed the rows")
	}
	if !r.screenHas(`invalid filter at "total>abc"`) {
		t.Fatalf("error not shown:\n%s", r.screen())
	}
	for range len(" total>abc") {
		r.send(press(t, "backspace"))
	}
	r.typeText(" 李")
	for _, o := range r.shown() {
		if o.Platform != backend.Shopline || !strings.Contains(o.Customer.Name+o.ShippingAddress.Name, "李") {
			t.Fatalf("'platform:shopline 李' shows %s %q", o.Ref, o.Customer.Name)
		}
	}
	r.keys("enter")
	if r.m.focus != focusList || r.m.filter.Value() == "" {
		t.Fatal("enter should keep the filter and return to the list")
	}
	r.keys("esc")
	if r.m.filter.Value() != "" || len(r.m.rows) != 160 {
		t.Fatalf("esc on the list clears the filter: %q, %d rows", r.m.filter.Value(), len(r.m.rows))
	}
}

// A filter result computed for an older query never replaces a newer one,
// whatever order the answers arrive in.
func TestStaleFilterResultsAreDropped(t *testing.T) {
	t.Parallel()
	r := newRig(t, 40, 80, 24)
	r.keys("/")
	results := func(cmd tea.Cmd) []tea.Msg {
		var out []tea.Msg
		var walk func(c tea.Cmd)
		walk = func(c tea.Cmd) {
			if c == nil {
				return
			}
			switch msg := c().(type) {
			case tea.BatchMsg:
				for _, x := range msg {
					walk(x)
				}
			case selectionMsg, countsMsg:
				out = append(out, msg)
			}
		}
		walk(cmd)
		return out
	}
	_, older := r.m.Update(press(t, "x")) // free text "x"
	_, cmd := r.m.Update(tea.KeyPressMsg{Code: 'y', Text: "y"})
	newer := results(cmd) // "xy": its answers first
	for _, msg := range newer {
		r.m.Update(msg)
	}
	want := slices.Clone(r.m.rows)
	for _, msg := range results(older) {
		r.m.Update(msg) // the answer for "x" arrives late
	}
	if !slices.Equal(r.m.rows, want) {
		t.Fatalf("a stale result replaced the rows: %d rows, want %d", len(r.m.rows), len(want))
	}
	q, _ := query.Parse("xy", query.Options{})
	for _, o := range r.shown() {
		if !q.MatchOrder(o) {
			t.Fatalf("%s does not match xy", o.Ref)
		}
	}
}

// Rows computed a moment ago for the same view, filter and sort come back
// at once (a backspace), but never across a change of the data.
func TestRecentRowsComeBackAtOnce(t *testing.T) {
	t.Parallel()
	r := newRig(t, 40, 80, 24)
	r.keys("/")
	r.typeText("a")
	wide := slices.Clone(r.m.rows)
	r.typeText("n")
	if len(r.m.rows) >= len(wide) {
		t.Fatalf("'an' shows %d rows, 'a' %d: the test needs a narrower filter", len(r.m.rows), len(wide))
	}
	_, cmd := r.m.Update(press(t, "backspace"))
	if r.m.rowsGen != r.m.gen || !slices.Equal(r.m.rows, wide) {
		t.Fatalf("backspace to 'a': %d rows (generation %d of %d), want the %d rows of 'a' at once", len(r.m.rows), r.m.rowsGen, r.m.gen, len(wide))
	}
	r.run(cmd)
	r.settle()
	r.typeText("n")
	d := r.m.data
	r.m.data = newDatasetShared(d) // the same orders, a newer snapshot
	_, cmd = r.m.Update(press(t, "backspace"))
	if r.m.rowsGen == r.m.gen {
		t.Fatal("rows of an older snapshot were reused")
	}
	r.run(cmd)
	r.settle()
	if !slices.Equal(r.m.rows, wide) {
		t.Fatalf("'a' again shows %d rows, want %d", len(r.m.rows), len(wide))
	}
}

func TestSortByColumns(t *testing.T) {
	t.Parallel()
	r := newRig(t, 40, 160, 50)
	r.send(tea.MouseClickMsg{X: r.headerX(colTotal), Y: rowHeader, Button: tea.MouseLeft})
	r.settle()
	if r.m.sortCol != colTotal || r.m.sortDesc {
		t.Fatalf("click on TOTAL: sort %d desc %v", r.m.sortCol, r.m.sortDesc)
	}
	rows := r.shown()
	for i := 1; i < len(rows); i++ {
		if cmpTotal(rows[i-1], rows[i]) > 0 {
			t.Fatalf("not by total: %s %s before %s %s", rows[i-1].Totals.GrandTotal, rows[i-1].Currency, rows[i].Totals.GrandTotal, rows[i].Currency)
		}
	}
	if !r.screenHas("TOTAL↑") {
		t.Fatal("the header does not mark the sort")
	}
	r.keys("O")
	rows = r.shown()
	if cmpTotal(rows[0], rows[len(rows)-1]) < 0 {
		t.Fatal("reverse did not reverse")
	}
	r.keys("o") // the next column shown: ORDER
	if r.m.sortCol != colOrder {
		t.Fatalf("o moved the sort to %d", r.m.sortCol)
	}
	r.keys("o") // then PAYMENT
	if r.m.sortCol != colPayment {
		t.Fatalf("o moved the sort to %d", r.m.sortCol)
	}
	for i, rows := 1, r.shown(); i < len(rows); i++ {
		if rows[i-1].State.Payment > rows[i].State.Payment {
			t.Fatal("not by payment state")
		}
	}
}

// headerX is a column's first display column on the header row.
func (r *rig) headerX(col int) int {
	r.m.Render() // the layout is the one last drawn
	l := r.m.table.layout
	x := 0
	for k, i := range l.cols {
		if i == col {
			return x
		}
		x += l.w[k] + 1
	}
	r.t.Fatalf("column %d not shown", col)
	return 0
}

func TestDetailPane(t *testing.T) {
	t.Parallel()
	t.Run("80x24 full screen", func(t *testing.T) {
		t.Parallel()
		r := newRig(t, 10, 80, 24)
		o := r.current()
		r.keys("enter")
		if !r.m.zoom || !r.screenHas("Ref          "+o.Ref.String()) {
			t.Fatalf("enter did not open %s full screen:\n%s", o.Ref, r.screen())
		}
		r.keys("pgdown")
		if r.m.detail.offset == 0 {
			t.Fatal("pgdown did not scroll the detail")
		}
		r.keys("esc")
		if r.m.zoom || r.m.focus != focusList || !r.screenHas("CUSTOMER") {
			t.Fatal("esc did not return to the list")
		}
	})
	t.Run("160x50 beside the list", func(t *testing.T) {
		t.Parallel()
		r := newRig(t, 10, 160, 50)
		r.keys("down")
		o := r.current()
		if !r.screenHas(o.Ref.String()) || !r.screenHas("CUSTOMER") || !r.screenHas("Summary") {
			t.Fatalf("no detail of %s beside the list:\n%s", o.Ref, r.screen())
		}
		for _, sec := range []string{"Items", "Raw JSON"} {
			found := false
			for _, l := range r.m.detailLines(60) {
				found = found || strings.HasPrefix(ansi.Strip(l), sec)
			}
			if !found {
				t.Fatalf("detail lacks %s", sec)
			}
		}
		r.keys("z")
		if !r.m.zoom || r.screenHas("CUSTOMER") {
			t.Fatal("z did not zoom the detail")
		}
	})
	t.Run("120x45 below the list", func(t *testing.T) {
		t.Parallel()
		r := newRig(t, 10, 120, 45)
		if r.m.split() != splitBelow || !r.screenHas("Summary") || !r.screenHas("CUSTOMER") {
			t.Fatalf("no detail below the list:\n%s", r.screen())
		}
	})
}

func TestResize(t *testing.T) {
	t.Parallel()
	r := newRig(t, 40, 160, 50)
	r.keys("end")
	o := r.current()
	for _, sz := range [][2]int{{80, 24}, {60, 15}, {200, 60}, {100, 30}} {
		r.send(tea.WindowSizeMsg{Width: sz[0], Height: sz[1]})
		out := r.m.Render()
		lines := strings.Split(out, "\n")
		if len(lines) != sz[1] {
			t.Fatalf("%v: %d lines", sz, len(lines))
		}
		for i, l := range lines {
			if w := ansi.StringWidth(l); w > sz[0] {
				t.Fatalf("%v: line %d is %d wide", sz, i, w)
			}
		}
		if c, _ := r.m.current(); c != o.Ref || r.m.cursor < r.m.offset || r.m.cursor >= r.m.offset+r.m.listHeight() {
			t.Fatalf("%v: the cursor left its order or the view", sz)
		}
	}
}

func TestHelpComesFromTheKeymap(t *testing.T) {
	t.Parallel()
	keys, probs := keymap.Apply(map[string][]string{"ship": {"p"}, "quit": {"Q"}})
	if len(probs) > 0 {
		t.Fatal(probs)
	}
	r := newRig(t, 10, 160, 50, func(c *Config) { c.Keys = keys })
	r.keys("?")
	for _, want := range []string{"Keys", "p ship (tracking)", "Q quit", "/ filter", "Filter", "Terms are separated"} {
		if !r.screenHas(want) {
			t.Fatalf("help lacks %q:\n%s", want, r.screen())
		}
	}
	r.keys("esc")
	r.keys("s") // no longer ship
	if r.open() {
		t.Fatal("s still opens the ship form after rebinding")
	}
	r.keys("p")
	if _, ok := r.box().(*form.ShipForm); !ok {
		t.Fatal("p does not open the ship form")
	}
	r.keys("ctrl+c")
	if r.open() || r.m.quitting {
		t.Fatal("ctrl+c in a form must close the form and keep the program")
	}
}

// TestHealthLoadsCoalesce: a burst of edit events (a 500-row import sends
// three per row) reads the outbox once more after the load in flight, not
// once per event.
func TestHealthLoadsCoalesce(t *testing.T) {
	t.Parallel()
	r := newRig(t, 10, 100, 30)
	r.settle()
	edit := &backend.Edit{Ref: backend.Ref{Shop: r.m.shopNames()[0], Number: "x"}, State: backend.EditPending}
	ev := syncEventMsg{Event: engine.Event{Shop: edit.Ref.Shop, Kind: engine.EventEdit, Edit: edit}}
	if r.m.onResult(ev) == nil {
		t.Fatal("the first edit event loads nothing")
	}
	if !r.m.healthLoading {
		t.Fatal("no health load in flight after an edit event")
	}
	for range 50 {
		r.m.onResult(ev)
	}
	if !r.m.healthAgain {
		t.Fatal("events during a load do not ask for another")
	}
	if r.m.onResult(healthMsg{}) == nil || !r.m.healthLoading || r.m.healthAgain {
		t.Fatal("the answer does not start the one more load")
	}
	if r.m.onResult(healthMsg{}) != nil || r.m.healthLoading {
		t.Fatal("a quiet answer starts another load")
	}
}
