package desk

import (
	"bytes"
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	tea "charm.land/bubbletea/v2"

	"orderdesk/backend"
	"orderdesk/backend/engine"
	"orderdesk/ui/form"
)

// Tests of a desk an operator can trust: keys meant as text stay text,
// customers are emailed only as their platform says, what cannot be undone
// asks first, and every stuck edit has a way out.

// printableASCII is every printable ASCII character, space included.
func printableASCII() string {
	var b strings.Builder
	for c := ' '; c <= '~'; c++ {
		b.WriteRune(c)
	}
	return b.String()
}

// The filter is a text field: j and k (and every key after them) used to
// leave it and act on the list: /john sorted by customer, /ajs opened the
// ship form, /jq quit, /example.jp left "example." in the box.
func TestFilterIsATextField(t *testing.T) {
	t.Parallel()
	r := newRig(t, 10, 80, 24)
	for _, typed := range []string{"john", "ajs", "jq", "example.jp", printableASCII(), "李娜 佐藤", "  j k q s t r y e R F I X ? / 1 9 "} {
		r.keys("/")
		sortCol, tab := r.m.sortCol, r.m.tab
		r.typeText(typed)
		if got := r.m.filter.Value(); got != typed {
			t.Fatalf("typed %q, the filter holds %q", typed, got)
		}
		if r.open() || r.m.quitting || r.m.help || r.m.focus != focusFilter || r.m.sortCol != sortCol || r.m.tab != tab || len(r.m.marked) > 0 {
			t.Fatalf("typing %q acted: box %T quitting %v help %v focus %v sort %d tab %d", typed, r.box(), r.m.quitting, r.m.help, r.m.focus, r.m.sortCol, r.m.tab)
		}
		r.keys("esc")
		if r.m.filter.Value() != "" || r.m.focus != focusList {
			t.Fatalf("esc left the filter at %q, focus %v", r.m.filter.Value(), r.m.focus)
		}
	}
	// a paste (bracketed) goes into the filter, and a paste on the list
	// starts a filter with it
	r.send(tea.PasteMsg{Content: "+81 90-1234-5678"})
	r.settle()
	if r.m.focus != focusFilter || r.m.filter.Value() != "+81 90-1234-5678" {
		t.Fatalf("a paste on the list: focus %v filter %q", r.m.focus, r.m.filter.Value())
	}
	r.send(tea.PasteMsg{Content: " q\nj"})
	r.settle()
	if got := r.m.filter.Value(); got != "+81 90-1234-5678 q j" || r.m.quitting {
		t.Fatalf("a paste in the filter: %q (quitting %v)", got, r.m.quitting)
	}
	// only the keys that are not text act: enter keeps the filter
	r.keys("enter")
	if r.m.focus != focusList || r.m.filter.Value() == "" {
		t.Fatalf("enter: focus %v filter %q", r.m.focus, r.m.filter.Value())
	}
}

// Every text field of every flow takes every printable key and a paste as
// text: the remark, the carrier, the tracking number, the URL, the import
// and export paths.
func TestFormFieldsAreTextFields(t *testing.T) {
	t.Parallel()
	r := newRig(t, 10, 160, 50)
	text := printableASCII() + "张伟"
	field := func(what string) string {
		t.Helper()
		switch b := r.box().(type) {
		case *form.RemarkForm:
			return b.Text()
		case *form.Prompt:
			return b.Value()
		case *form.ShipForm:
			return b.Shipment().Carrier
		}
		t.Fatalf("%s: no field, box %T", what, r.box())
		return ""
	}
	r.pick("a Shopline order", func(o *backend.Order) bool { return o.Platform == backend.Shopline })
	r.keys("r")
	r.typeText(text)
	r.send(tea.PasteMsg{Content: " 138-0013-8000"})
	r.settle()
	if got := field("remark"); got != strings.TrimSpace(text)+" 138-0013-8000" {
		t.Fatalf("the remark holds %q", got)
	}
	r.keys("esc")
	r.keys("s")
	r.typeText(text)
	if got := field("carrier"); got != strings.TrimSpace(text) {
		t.Fatalf("the carrier holds %q", got)
	}
	r.keys("esc")
	for _, k := range []string{"I", "X"} {
		r.keys(k)
		r.clearInput()
		r.typeText(text)
		r.send(tea.PasteMsg{Content: "/tmp/x.csv"})
		r.settle()
		if got := field(k); got != strings.TrimSpace(text)+"/tmp/x.csv" {
			t.Fatalf("%s: the path holds %q", k, got)
		}
		r.keys("esc")
	}
	if r.open() || r.m.quitting {
		t.Fatal("a key typed in a field acted on the desk")
	}
}

// A mixed bulk ship emails only the customers whose platform emails: the
// YMCart customer (YMCart always does), not the SHOPLINE one unless the
// operator ticks the switch. YMCart's always-notify used to be applied to
// every marked order.
func TestMixedBulkShipEmailsPerPlatform(t *testing.T) {
	t.Parallel()
	r := newRig(t, 10, 160, 50)
	r.keys("2") // To ship
	ym := r.pick("a YMCart order to ship", paidUnshipped(backend.YMCart))
	r.keys("space")
	sl := r.pick("a SHOPLINE order to ship", paidUnshipped(backend.Shopline))
	r.keys("space")
	r.keys("s")
	if !r.boxSays("YMCart emails the customer on every shipment (1 order)") && !r.boxSays("ymcart emails the customer on every shipment (1 order)") {
		t.Fatalf("the form does not say who YMCart emails:\n%s", r.screen())
	}
	if !r.boxSays("[ ] email the shopline customer (1 order)") {
		t.Fatalf("the form has no SHOPLINE switch:\n%s", r.screen())
	}
	r.typeText("UPS")
	r.keys("tab")
	r.typeText("1Z999AA10123456784")
	r.keys("enter", "enter", "enter") // tracking → URL → the switch (left off) → submit
	c, ok := r.box().(*form.Confirm)
	if !ok {
		t.Fatalf("no confirmation:\n%s", r.screen())
	}
	if c.Confirming() {
		t.Fatal("a customer email is asked with the focus on Save")
	}
	if !r.boxSays("1 customer gets an email from the shop (ymcart") || r.boxSays("(shopline") || r.boxSays("2 customers") {
		t.Fatalf("the preview does not count emails per platform:\n%s", r.screen())
	}
	if !r.boxSays("the same tracking number 1Z999AA10123456784 goes on 2 orders") {
		t.Fatalf("the preview does not warn that one number goes on both orders:\n%s", r.screen())
	}
	for _, d := range r.flowDrafts() {
		if want := d.Ref == ym.Ref; d.Notifies != want {
			t.Fatalf("%s notifies %v, want %v", d.Ref, d.Notifies, want)
		}
	}
	r.keys("y")
	r.doneOn(ym.Ref)
	r.doneOn(sl.Ref)
	if r.sim(sl.Shop).Emails(sl.Number) != 0 || r.sim(ym.Shop).Emails(ym.Number) != 1 {
		t.Fatalf("emails: shopline %d, ymcart %d; want 0 and 1", r.sim(sl.Shop).Emails(sl.Number), r.sim(ym.Shop).Emails(ym.Number))
	}
}

// The status picker starts on no change; a change that cannot be undone
// asks first, naming the order and the consequence, focus on Cancel. `t`
// `enter` used to cancel a paid SHOPLINE order.
func TestIrreversibleStatusAsksFirst(t *testing.T) {
	t.Parallel()
	r := newRig(t, 10, 100, 30)
	o := r.pick("a paid SHOPLINE order", paidUnshipped(backend.Shopline))
	r.keys("t")
	r.keys("enter")
	if r.open() || len(r.outbox()) != 0 || !strings.Contains(r.m.flash.text, "not changed") {
		t.Fatalf("t enter changed something: box %T, %d edits, flash %q", r.box(), len(r.outbox()), r.m.flash.text)
	}
	r.keys("t")
	r.keys("c") // type-ahead: cancel
	if p := r.box().(*form.Picker); p.Chosen().Value != "cancel" {
		t.Fatalf("c jumped to %+v", p.Chosen())
	}
	r.keys("enter")
	c, ok := r.box().(*form.Confirm)
	if !ok || c.Confirming() {
		t.Fatalf("cancel did not ask with the focus on Cancel: %T\n%s", r.box(), r.screen())
	}
	if !r.boxSays("cannot be undone: cancels the order on SHOPLINE") || !r.boxSays(o.Ref.String()) {
		t.Fatalf("the question does not name the order and the consequence:\n%s", r.screen())
	}
	r.keys("enter") // on Cancel
	if r.open() || len(r.outbox()) != 0 {
		t.Fatal("enter on Cancel saved the cancel")
	}
	r.keys("t")
	r.keys("c")
	r.keys("enter")
	r.keys("y")
	r.doneOn(o.Ref)
	if got, _ := r.sim(o.Shop).Order(o.Number); got.State.Order != backend.OrderCancelled || r.sim(o.Shop).Applied(o.Number) != 1 {
		t.Fatalf("after y the shop has %v after %d writes", got.State.Order, r.sim(o.Shop).Applied(o.Number))
	}
}

// In bulk, an irreversible value asks too, whatever else is marked.
func TestBulkIrreversibleStatusAsks(t *testing.T) {
	t.Parallel()
	r := newRig(t, 10, 100, 30)
	r.pick("a paid YMCart order", paidUnshipped(backend.YMCart))
	r.keys("space")
	r.pick("another paid YMCart order", func(o *backend.Order) bool { return paidUnshipped(backend.YMCart)(o) && !r.m.marked[o.Ref] })
	r.keys("space")
	r.keys("t")
	r.keys("6") // type-ahead: 600 — void
	r.keys("enter")
	c, ok := r.box().(*form.Confirm)
	if !ok || c.Confirming() || !r.boxSays("cannot be undone: voids the order") {
		t.Fatalf("a bulk void did not ask first:\n%s", r.screen())
	}
	r.keys("n")
	if len(r.outbox()) != 0 {
		t.Fatal("n saved edits")
	}
}

// `s` on an order that cannot ship says why at once, before anything is
// typed (it used to open the form and refuse after carrier and tracking).
func TestShipOnAVoidOrderSaysWhyAtOnce(t *testing.T) {
	t.Parallel()
	r := newRig(t, 10, 100, 30)
	o := r.pick("a void YMCart order", func(o *backend.Order) bool {
		return o.Platform == backend.YMCart && o.RawStatus["order_status"] == "600"
	})
	r.keys("s")
	if _, ok := r.box().(*form.Message); !ok || !r.boxSays("YMCart ships only orders in 200 paid or 301 shipped") || !r.boxSays(o.Ref.String()) {
		t.Fatalf("s on a void order:\n%s", r.screen())
	}
}

// conflictOn saves a remark on o as the operator saw it, then changes the
// order's remarks on the shop and sends: the edit is a conflict.
func (r *rig) conflictOn(o *backend.Order, text string) backend.Edit {
	r.t.Helper()
	e, err := r.desk.Draft(o.Ref, backend.Action{Kind: backend.ActionRemark, Remark: text}, "tester")
	if err != nil {
		r.t.Fatal(err)
	}
	if err := r.desk.Save(e); err != nil {
		r.t.Fatal(err)
	}
	r.sim(o.Shop).Mutate(o.Number, func(so *backend.Order) {
		so.Remarks = append(so.Remarks, backend.Remark{Text: "changed on the shop meanwhile", Visibility: "internal"})
	})
	sent, _ := r.desk.Send(context.Background(), o.Ref.Shop, o.Ref, nil)
	if len(sent) != 1 || sent[0].State != backend.EditConflict {
		r.t.Fatalf("no conflict: %+v", sent)
	}
	r.until("the conflict shows on the row", func() bool {
		i, ok := r.m.data.index[o.Ref]
		return ok && editMark(r.m.data.order(i)) == markConflict
	})
	return sent[0]
}

func remarksWith(o *backend.Order, text string) int {
	n := 0
	for _, rm := range o.Remarks {
		if strings.Contains(rm.Text, text) {
			n++
		}
	}
	return n
}

// A conflict is shown side by side (what the operator saw, what the shop
// has now) and retried: decided again on the shop's order and applied
// exactly once. It used to stay in Needs attention for good.
func TestConflictRetriedFromTheDesk(t *testing.T) {
	t.Parallel()
	r := newRig(t, 10, 160, 50)
	o := r.pick("a SHOPLINE order", func(o *backend.Order) bool { return o.Platform == backend.Shopline && len(o.Pending) == 0 })
	e := r.conflictOn(o, "retry me")
	r.keys("6") // Needs attention
	r.pick("the conflicting order", func(x *backend.Order) bool { return x.Ref == o.Ref })
	r.keys("e")
	if _, ok := r.box().(*form.Dialog); !ok || !r.boxSays("YOU SAW") || !r.boxSays("THE SHOP HAS NOW") || !r.boxSays("changed on the shop meanwhile") {
		t.Fatalf("no side-by-side for the conflict:\n%s", r.screen())
	}
	r.keys("r")
	r.doneOn(o.Ref)
	got, _ := r.sim(o.Shop).Order(o.Number)
	if n := remarksWith(got, "retry me"); n != 1 {
		t.Fatalf("the retried remark is on the shop %d times", n)
	}
	if hist, _ := r.store.History(o.Ref); hist[len(hist)-1].ID != e.ID || hist[len(hist)-1].State != backend.EditDone {
		t.Fatalf("history %+v", hist)
	}
}

// A conflict discarded from the desk asks first (focus on Cancel), is
// never sent, and stays in the order's history.
func TestConflictDiscardedFromTheDesk(t *testing.T) {
	t.Parallel()
	r := newRig(t, 10, 160, 50)
	o := r.pick("a SHOPLINE order", func(o *backend.Order) bool { return o.Platform == backend.Shopline && len(o.Pending) == 0 })
	e := r.conflictOn(o, "drop me")
	r.keys("e")
	r.keys("d")
	c, ok := r.box().(*form.Confirm)
	if !ok || c.Confirming() || !r.boxSays("Discard "+e.ID) {
		t.Fatalf("discard did not ask first:\n%s", r.screen())
	}
	r.keys("y")
	r.until("the marker goes", func() bool {
		i, ok := r.m.data.index[o.Ref]
		return ok && len(r.m.data.order(i).Pending) == 0
	})
	hist, _ := r.store.History(o.Ref)
	if len(hist) != 1 || hist[0].State != backend.EditDiscarded {
		t.Fatalf("history %+v", hist)
	}
	if _, err := r.desk.Send(context.Background(), o.Ref.Shop, backend.Ref{}, nil); err != nil {
		t.Fatal(err)
	}
	got, _ := r.sim(o.Shop).Order(o.Number)
	if remarksWith(got, "drop me") != 0 {
		t.Fatal("a discarded edit was sent")
	}
	if !strings.Contains(r.m.flash.text, "discarded") {
		t.Fatalf("flash %q", r.m.flash.text)
	}
}

// A failed sync keeps the last good one: the status bar shows its age and
// the failure beside it, also in a session opened afterwards. It used to
// say "never" after a sync interrupted by quitting.
func TestFailedSyncKeepsTheLastGoodOne(t *testing.T) {
	t.Parallel()
	r := newRig(t, 10, 160, 50)
	good := demoTime.Add(-12 * time.Minute)
	if err := r.store.SetCursor("cn-fecmall", backend.SyncCursor{HighWater: &good, LastFull: &good, LastSync: &good}); err != nil {
		t.Fatal(err)
	}
	if err := r.sim("cn-fecmall").SetOffline(true); err != nil {
		t.Fatal(err)
	}
	r.keys("F")
	r.until("the sync ends", func() bool { return r.m.syncing == 0 })
	r.settle()
	r.send(flashDoneMsg{id: r.m.flash.id}) // the error's flash is read; the status bar stays
	if s := r.screen(); !strings.Contains(s, "cn-fecmall 12m") || !strings.Contains(s, "last good sync 12m ago, last try failed: shop unavailable") {
		t.Fatalf("status bar after a failed sync:\n%s", s)
	}
	// a new session (the desk reopened) reads the same from the cursor
	again := openRig(t, r.demo, r.store, r.desk, nil, 160, 50)
	if s := again.screen(); !strings.Contains(s, "cn-fecmall 12m") || !strings.Contains(s, "last try failed") || strings.Contains(s, "never") {
		t.Fatalf("status bar of a new session:\n%s", s)
	}
}

// At 80×24 a cancelled order never reads "paid unfulfilled": the one STATE
// column leads with it. Tabs keep their counts.
func TestNarrowListShowsCancelled(t *testing.T) {
	t.Parallel()
	r := newRig(t, 40, 80, 24)
	lines := strings.Split(r.screen(), "\n")
	if !strings.Contains(lines[0], "6 Attn 0") || strings.Contains(lines[0], "…") {
		t.Fatalf("the tab bar cuts a count: %q", lines[0])
	}
	shown := 0
	for k, o := range r.shown() {
		if k >= r.m.listHeight() {
			break
		}
		line := lines[rowFirst+k]
		if o.State.Order == backend.OrderCancelled {
			shown++
			if !strings.Contains(line, "cancelled") {
				t.Fatalf("the cancelled order %s reads %q", o.Ref, line)
			}
		}
		if o.State.Archived && !strings.Contains(line, "*") {
			t.Fatalf("the archived order %s reads %q", o.Ref, line)
		}
	}
	if shown == 0 {
		t.Fatal("no cancelled order on the first screen; the test needs one")
	}
}

// At 80×24 the detail's first screen holds what the operator works from,
// says where it is, and jumps between sections.
func TestDetailAt80x24(t *testing.T) {
	t.Parallel()
	r := newRig(t, 10, 80, 24)
	o := r.pick("an order with items", func(o *backend.Order) bool { return len(o.Items) > 0 })
	r.keys("enter")
	s := r.screen()
	for _, want := range []string{"Customer", "Items", o.Items[0].SKU, "Summary · 1–"} {
		if !strings.Contains(s, want) {
			t.Fatalf("the first screen lacks %q:\n%s", want, s)
		}
	}
	if strings.Contains(s, "Raw status") || strings.Contains(s, "Synced") {
		t.Fatalf("ids and sync times lead the detail:\n%s", s)
	}
	r.keys("}")
	if !strings.Contains(r.screen(), "Items · ") {
		t.Fatalf("} did not jump to Items:\n%s", r.screen())
	}
	r.keys("}", "}")
	at := r.m.detail.offset
	r.keys("{")
	if r.m.detail.offset >= at {
		t.Fatalf("{ did not go back: offset %d → %d", at, r.m.detail.offset)
	}
}

// `?` scrolls at 80×24: its last lines (the filter language) can be read,
// and the archived marker is explained.
func TestHelpScrollsAt80x24(t *testing.T) {
	t.Parallel()
	r := newRig(t, 10, 80, 24)
	r.keys("?")
	if !r.screenHas("lines 1–") {
		t.Fatalf("no position line:\n%s", r.screen())
	}
	r.keys("end")
	s := r.screen()
	if !strings.Contains(s, "1200 JPY alike") || !strings.Contains(s, "Totals:") {
		t.Fatalf("the end of the help cannot be reached:\n%s", s)
	}
	r.keys("home")
	for i := 0; i < 60 && !r.screenHas("the order is archived"); i++ {
		r.keys("down")
	}
	if !r.screenHas("cancelled* the order is archived") {
		t.Fatalf("the * marker is not explained:\n%s", r.screen())
	}
	r.keys("q")
	if r.m.help || r.m.quitting {
		t.Fatal("q should close the help, not quit")
	}
}

// A refusal's reason is never cut: in the picker it wraps.
func TestPickerReasonsWrap(t *testing.T) {
	t.Parallel()
	r := newRig(t, 10, 80, 24)
	r.pick("a Fecshop order in processing", func(o *backend.Order) bool {
		return o.Platform == backend.Fecshop && o.RawStatus["order_status"] == "processing"
	})
	r.keys("t")
	if !r.boxSays("this order is already processing") {
		t.Fatalf("the reason is cut:\n%s", r.screen())
	}
	for _, l := range strings.Split(r.screen(), "\n") {
		if strings.Contains(l, "— ") && strings.HasSuffix(strings.TrimRight(strings.TrimSuffix(strings.TrimSpace(l), "│"), " "), "…") {
			t.Fatalf("a reason is cut: %q", l)
		}
	}
}

// Offline is said in the status bar, and an order with an unsent shipment
// shows where it is heading.
func TestOfflineIsSignalled(t *testing.T) {
	t.Parallel()
	r := newRig(t, 10, 160, 50, func(c *Config) { c.Offline = true })
	if !r.screenHas("offline") {
		t.Fatalf("no offline in the status bar:\n%s", r.screen())
	}
	o := r.pick("a YMCart order to ship", paidUnshipped(backend.YMCart))
	r.keys("s")
	r.typeText("UPS")
	r.keys("tab")
	r.typeText("1Z999AA10123456784")
	r.keys("enter", "enter")
	r.keys("y") // YMCart emails: asked
	r.until("the edit is saved", func() bool {
		i, ok := r.m.data.index[o.Ref]
		return ok && len(r.m.data.order(i).Pending) == 1
	})
	var row string
	for _, l := range strings.Split(r.screen(), "\n")[rowFirst : rowFirst+r.m.listHeight()] {
		if strings.Contains(l, o.Number) {
			row = l
		}
	}
	if !strings.Contains(row, "shipping ⇡") {
		t.Fatalf("the row of the unsent shipment: %q", row)
	}
}

// With [export] bom the desk's export starts with a UTF-8 byte order mark
// (Excel on a Chinese Windows reads 李娜 right), and its times are the
// desk's zone with the offset.
func TestExportForSpreadsheets(t *testing.T) {
	t.Parallel()
	shanghai, err := time.LoadLocation("Asia/Shanghai")
	if err != nil {
		t.Skip("no time zone data:", err)
	}
	r := newRig(t, 10, 100, 30, func(c *Config) { c.ExportBOM, c.Loc = true, shanghai })
	path := filepath.Join(t.TempDir(), "view.csv")
	r.keys("X")
	r.clearInput()
	r.typeText(path)
	r.keys("enter")
	r.until("the export ends", func() bool { return !r.open() })
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.HasPrefix(b, []byte("\xEF\xBB\xBFref,")) {
		t.Fatalf("no byte order mark: %.20q", b)
	}
	if !bytes.Contains(b, []byte("+08:00,")) || bytes.Contains(b, []byte("Z,")) {
		t.Fatalf("times are not in the desk's zone with the offset:\n%.400s", b)
	}
}

// Sync progress reads as words and numbers ("syncing 10 · page 2",
// "syncing 40/160 · ~5s"), not the cryptic "sync p2" it used to show.
func TestSyncProgressLabels(t *testing.T) {
	t.Parallel()
	r := newRig(t, 10, 160, 50)
	h := r.health("eu-fecshop")
	h.syncing = true
	r.send(syncEventMsg{Event: engine.Event{Shop: "eu-fecshop", Kind: engine.EventPage, Pages: 2, Orders: 10, Total: -1}})
	if s := r.screen(); !strings.Contains(s, "eu-fecshop syncing 10 · page 2") || strings.Contains(s, " p2") {
		t.Fatalf("progress without a total:\n%s", s)
	}
	// 120 orders left at 40 a 3 pages: 9 pages at Fecshop's 2 a second
	r.send(syncEventMsg{Event: engine.Event{Shop: "eu-fecshop", Kind: engine.EventPage, Pages: 3, Orders: 40, Total: 160}})
	if !r.screenHas("eu-fecshop syncing 40/160 · ~5s") {
		t.Fatalf("progress with a total:\n%s", r.screen())
	}
}

// An edit a killed process left "sending" reads as unknown in the desk
// too (the order's history and the edits dialog), as in `pending`: no
// send of this desk is running, so it was not being sent.
func TestStrandedSendReadsAsUnknownInTheDesk(t *testing.T) {
	t.Parallel()
	r := newRig(t, 10, 160, 50)
	o := r.pick("a YMCart order", func(o *backend.Order) bool { return o.Platform == backend.YMCart && len(o.Pending) == 0 })
	e := &backend.Edit{Ref: o.Ref, Action: backend.Action{Kind: backend.ActionRemark, Remark: "stranded"}, Operator: "tester", State: backend.EditPending, CreatedAt: demoTime}
	if err := r.store.AddEdit(e); err != nil {
		t.Fatal(err)
	}
	e.State = backend.EditSending
	if err := r.store.SaveEdits(nil, *e); err != nil {
		t.Fatal(err)
	}
	r.run(reread(r.store, []backend.Ref{o.Ref}))
	r.keys("down", "up") // read the detail again
	r.until("the history is read", func() bool { return r.m.detail.order != nil && len(r.m.detail.history) == 1 })
	if got := r.m.detail.history[0].State; got != backend.EditUnknown {
		t.Fatalf("the detail reads the stranded edit as %s, want unknown", got)
	}
	r.keys("e")
	r.until("the dialog is open", func() bool { return r.open() && !r.waiting() })
	if r.boxSays("sending") || !r.boxSays("unknown") {
		t.Fatalf("the edits dialog:\n%s", r.screen())
	}
}

// A bulk ship whose marks include an order its platform refuses counts
// only the orders that will get the number when it warns that the same
// tracking number goes on several: one order is sent, so no such
// warning (seen by hand: "goes on 2 orders" above "1 order(s)").
func TestSameTrackingWarningCountsOnlyTheOrdersSent(t *testing.T) {
	t.Parallel()
	r := newRig(t, 10, 160, 50)
	r.keys("2") // To ship
	r.pick("a SHOPLINE order to ship", paidUnshipped(backend.Shopline))
	r.keys("space")
	fm := r.pick("a Fecmall order (read-only platform)", func(o *backend.Order) bool { return o.Platform == backend.Fecmall })
	r.keys("space")
	r.keys("s")
	if !r.boxSays(fm.Ref.String()) {
		t.Fatalf("the form does not name the order it will skip:\n%s", r.screen())
	}
	r.typeText("UPS")
	r.keys("tab")
	r.typeText("1Z999AA10123456784")
	r.keys("enter", "enter", "enter")
	if _, ok := r.box().(*form.Confirm); !ok {
		t.Fatalf("no confirmation:\n%s", r.screen())
	}
	if len(r.flowDrafts()) != 1 {
		t.Fatalf("%d drafts, want 1 (the Fecmall order is refused)", len(r.flowDrafts()))
	}
	if r.boxSays("goes on 2 orders") {
		t.Fatalf("the confirmation warns of a number on 2 orders when 1 is sent:\n%s", r.screen())
	}
}
