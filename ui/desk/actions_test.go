package desk

import (
	"strings"
	"testing"

	"orderdesk/backend"
	"orderdesk/ui/form"
)

func paidUnshipped(p backend.Platform) func(o *backend.Order) bool {
	return func(o *backend.Order) bool {
		return o.Platform == p && o.State.Payment == backend.PayPaid && o.State.Fulfillment == backend.FulUnfulfilled &&
			o.State.Order == backend.OrderOpen && len(o.Pending) == 0
	}
}

// doneOn waits until the order's edits are confirmed and its row shows
// no marker.
func (r *rig) doneOn(ref backend.Ref) {
	r.t.Helper()
	r.until(ref.String()+" is confirmed", func() bool {
		i, ok := r.m.data.index[ref]
		return ok && len(r.m.data.order(i).Pending) == 0 && !r.waiting() && r.m.flash.kind == flashOK
	})
}

func TestStatusPickerOffersOnlyValidValues(t *testing.T) {
	t.Parallel()
	r := newRig(t, 10, 100, 30)
	o := r.pick("a Fecshop order in processing", func(o *backend.Order) bool {
		return o.Platform == backend.Fecshop && o.RawStatus["order_status"] == "processing"
	})
	r.keys("t")
	p, ok := r.box().(*form.Picker)
	if !ok {
		t.Fatalf("t opened %T", r.box())
	}
	// the picker starts on "no change", never on a value
	if c := p.Chosen(); c.Value != "" {
		t.Fatalf("the cursor starts on %+v, want no change", c)
	}
	r.keys("down")
	// processing → the desk offers some values; the others say why not
	choices := p.Chosen()
	if choices.Why != "" || choices.Value == "" {
		t.Fatalf("down moved to %+v, want the first available value", choices)
	}
	if !r.screenHas("processing — this order is already processing") {
		t.Fatalf("the picker does not say why processing is missing:\n%s", r.screen())
	}
	want := choices.Value
	r.keys("enter")
	r.doneOn(o.Ref)
	got, _ := r.sim(o.Shop).Order(o.Number)
	if got.RawStatus["order_status"] != want || r.sim(o.Shop).Applied(o.Number) != 1 {
		t.Fatalf("shop has %q after %d writes, want %q once", got.RawStatus["order_status"], r.sim(o.Shop).Applied(o.Number), want)
	}
	if !r.screenHas("done: status") {
		t.Fatalf("no outcome on the status bar:\n%s", r.screen())
	}
	hist, _ := r.store.History(o.Ref)
	if len(hist) != 1 || hist[0].Operator != "tester" || hist[0].State != backend.EditDone {
		t.Fatalf("history %+v", hist)
	}
}

func TestUnavailableActionSaysWhy(t *testing.T) {
	t.Parallel()
	r := newRig(t, 10, 100, 30)
	r.pick("a Fecmall order", func(o *backend.Order) bool { return o.Platform == backend.Fecmall })
	for _, k := range []string{"t", "s", "r"} {
		r.keys(k)
		if _, ok := r.box().(*form.Message); !ok || !r.screenHas("Fecmall") || !r.screenHas("not available") {
			t.Fatalf("%s on a Fecmall order:\n%s", k, r.screen())
		}
		r.keys("enter")
		if r.open() {
			t.Fatal("OK did not close the message")
		}
	}
	r.pick("a Fecshop order", func(o *backend.Order) bool { return o.Platform == backend.Fecshop })
	r.keys("r")
	if !r.screenHas("not available") || !r.screenHas("fecshop") {
		t.Fatalf("remark on Fecshop:\n%s", r.screen())
	}
	for _, s := range r.demo.Shops {
		if len(s.Writes()) != 0 {
			t.Fatal("an unavailable action sent a write")
		}
	}
}

func TestShipFormConfirmsCustomerEmails(t *testing.T) {
	t.Parallel()
	r := newRig(t, 10, 100, 30)
	o := r.pick("a paid, unshipped YMCart order", paidUnshipped(backend.YMCart))
	r.keys("s")
	r.typeText("ups")
	r.keys("tab")                    // completes the carrier
	r.typeText("1Z999AA10123456785") // wrong check digit
	if !r.screenHas("check digit") {
		t.Fatalf("no live warning for a bad check digit:\n%s", r.screen())
	}
	r.keys("enter", "enter") // past the URL field, submit
	c, ok := r.box().(*form.Confirm)
	if !ok {
		t.Fatalf("no confirmation, modal %T:\n%s", r.box(), r.screen())
	}
	for _, want := range []string{"1 customer gets an email", "ymcart", "check digit", o.Ref.String()} {
		if !r.screenHas(want) {
			t.Fatalf("confirmation lacks %q:\n%s", want, r.screen())
		}
	}
	if c.Confirming() {
		t.Fatal("with a customer email the focus must start on Cancel")
	}
	r.keys("enter") // on Cancel: nothing saved
	if r.open() || r.sim(o.Shop).Applied(o.Number) != 0 {
		t.Fatal("enter on Cancel saved or kept the dialog")
	}
	if edits, _ := r.store.Edits(""); len(edits) != 0 {
		t.Fatalf("cancel saved %d edits", len(edits))
	}
	r.keys("s")
	r.typeText("UPS")
	r.keys("tab")
	r.typeText("1Z999AA10123456784")
	if !r.screenHas("check digit correct") {
		t.Fatalf("no OK for a valid number:\n%s", r.screen())
	}
	r.keys("enter", "enter")
	r.keys("y") // once the dialog shows: keys pressed before it are held back
	r.doneOn(o.Ref)
	got, _ := r.sim(o.Shop).Order(o.Number)
	if len(got.Shipments) == 0 || got.Shipments[len(got.Shipments)-1].TrackingNumber != "1Z999AA10123456784" || r.sim(o.Shop).Emails(o.Number) != 1 {
		t.Fatalf("shop shipments %+v, emails %d", got.Shipments, r.sim(o.Shop).Emails(o.Number))
	}
	r.keys("enter")
	if !r.screenHas("1Z999AA10123456784") {
		t.Fatalf("the detail does not show the shipment:\n%s", r.screen())
	}
}

func TestShipFormNeedsCarrierAndNumber(t *testing.T) {
	t.Parallel()
	r := newRig(t, 10, 100, 30)
	r.pick("a paid, unshipped Shopline order", paidUnshipped(backend.Shopline))
	r.keys("s", "enter", "enter", "enter", "enter")
	if _, ok := r.box().(*form.ShipForm); !ok {
		t.Fatalf("an empty ship form was submitted: %T", r.box())
	}
	r.keys("esc")
	if r.open() {
		t.Fatal("esc did not close the form")
	}
}

func TestRemarkAndPendingMarkerOffline(t *testing.T) {
	t.Parallel()
	r := newRig(t, 10, 100, 30, func(c *Config) { c.Offline = true })
	o := r.pick("a Shopline order", func(o *backend.Order) bool { return o.Platform == backend.Shopline && len(o.Pending) == 0 })
	r.keys("r")
	r.typeText("call before delivery 电话联系")
	r.keys("enter")
	r.until("the marker shows", func() bool {
		i := r.m.data.index[o.Ref]
		return len(r.m.data.order(i).Pending) == 1
	})
	if !strings.Contains(r.screen(), markPending) || !r.screenHas("saved E1") || !r.screenHas("1 unsent") {
		t.Fatalf("no pending marker / saved message / unsent count:\n%s", r.screen())
	}
	if r.sim(o.Shop).Applied(o.Number) != 0 {
		t.Fatal("offline sent the remark")
	}
	r.keys("6") // Needs attention
	if len(r.m.rows) != 1 || r.current().Ref != o.Ref {
		t.Fatalf("Needs attention shows %d rows", len(r.m.rows))
	}
	r.keys("q")
	if !r.m.quitting || r.m.OpenEdits() != 1 {
		t.Fatalf("quit: quitting %v, open edits %d", r.m.quitting, r.m.OpenEdits())
	}
}

func TestBulkStatusPreviewsAndConfirms(t *testing.T) {
	t.Parallel()
	r := newRig(t, 10, 120, 40)
	r.keys("/")
	r.typeText("platform:ymcart pay:paid")
	r.keys("enter")
	n := len(r.m.rows)
	if n < 3 {
		t.Fatalf("only %d paid YMCart orders", n)
	}
	r.keys("home", "space", "space", "space")
	if len(r.m.marked) != 3 || !r.screenHas("3 marked") {
		t.Fatalf("marked %d:\n%s", len(r.m.marked), r.screen())
	}
	targets := r.m.targets()
	r.keys("t")
	p := r.box().(*form.Picker)
	for p.Chosen().Value != "600" {
		r.keys("down")
	}
	r.keys("enter")
	if _, ok := r.box().(*form.Confirm); !ok {
		t.Fatalf("bulk status without confirmation:\n%s", r.screen())
	}
	for _, ref := range targets {
		if !r.screenHas(ref.String()) {
			t.Fatalf("preview lacks %s:\n%s", ref, r.screen())
		}
	}
	if !r.screenHas("customers get an email") && !r.screenHas("customer gets an email") {
		t.Fatalf("the side effect is not named:\n%s", r.screen())
	}
	drafts := r.flowDrafts()
	if len(drafts) == 0 {
		t.Fatal("no drafts")
	}
	for _, ref := range targets {
		drafted := false
		for _, d := range drafts {
			drafted = drafted || d.Ref == ref
		}
		if !drafted && !strings.Contains(r.screen(), ref.String()+" skipped:") {
			t.Fatalf("%s is neither drafted nor skipped with a reason:\n%s", ref, r.screen())
		}
	}
	r.keys("y")
	r.until("every edit is sent", func() bool {
		for _, ref := range targets {
			i := r.m.data.index[ref]
			if len(r.m.data.order(i).Pending) > 0 {
				return false
			}
		}
		edits, _ := r.store.Edits("")
		return len(edits) == 0 && len(r.m.marked) == 0
	})
	for _, d := range drafts {
		hist, _ := r.store.History(d.Ref)
		if len(hist) != 1 || hist[0].State != backend.EditDone {
			t.Fatalf("%s history %+v", d.Ref, hist)
		}
		if got, _ := r.sim(d.Ref.Shop).Order(d.Ref.Number); got.RawStatus["order_status"] != "600" {
			t.Fatalf("%s on the shop: %v", d.Ref, got.RawStatus)
		}
	}
}

func TestCopyUsesOSC52(t *testing.T) {
	t.Parallel()
	r := newRig(t, 10, 100, 30)
	o := r.pick("an order with tracking", func(o *backend.Order) bool { return len(o.Shipments) > 0 })
	r.keys("y")
	if _, ok := r.box().(*form.Picker); !ok || !r.screenHas(o.Shipments[0].TrackingNumber) {
		t.Fatalf("copy menu:\n%s", r.screen())
	}
	r.keys("enter")
	if r.open() || !r.screenHas("copied") {
		t.Fatalf("after copy:\n%s", r.screen())
	}
}

// An order open in the pane stays open when an edit takes it out of the
// rows shown, and actions still apply to it; leaving the pane goes back
// to the cursor's order.
func TestOpenOrderStaysWhenItLeavesTheView(t *testing.T) {
	t.Parallel()
	r := newRig(t, 10, 160, 50)
	r.keys("/")
	r.typeText("status:processing")
	r.keys("enter")
	o := r.pick("a Fecshop order in processing", func(o *backend.Order) bool {
		return o.Platform == backend.Fecshop && o.RawStatus["order_status"] == "processing"
	})
	r.keys("enter") // open it: the pane takes the focus
	r.keys("t")
	r.keys("down")
	want := r.box().(*form.Picker).Chosen().Value
	r.keys("enter")
	r.doneOn(o.Ref)
	r.until("the order leaves the rows", func() bool {
		for _, i := range r.m.rows {
			if r.m.data.ref(int(i)) == o.Ref {
				return false
			}
		}
		return true
	})
	r.settle()
	if r.m.detail.ref != o.Ref || r.m.detail.order == nil || r.m.detail.order.RawStatus["order_status"] != want {
		t.Fatalf("the pane moved or is stale: %v, want %v with status %s", r.m.detail.ref, o.Ref, want)
	}
	if !r.screenHas(o.Number) {
		t.Fatalf("the open order is not on screen:\n%s", r.screen())
	}
	if got := r.m.targets(); len(got) != 1 || got[0] != o.Ref {
		t.Fatalf("actions would apply to %v, want the open order %v", got, o.Ref)
	}
	if r.m.focus != focusDetail {
		t.Fatal("after the action the keys no longer go to the open order")
	}
	r.keys("esc")
	if c := r.current(); c == nil || r.m.detail.ref != c.Ref {
		t.Fatalf("after esc the pane shows %v, want the cursor's order", r.m.detail.ref)
	}
}

// Marked orders refused for one reason say it once, with how many orders
// and which: four Fecmall orders used to repeat the platform's sentence
// four times.
func TestUnavailableForManySaysTheReasonOnce(t *testing.T) {
	t.Parallel()
	r := newRig(t, 10, 100, 30)
	r.keys("/")
	r.typeText("shop:cn-fecmall")
	r.keys("enter")
	r.until("the filter applies", func() bool {
		shown := r.shown()
		return len(shown) > 4 && shown[0].Platform == backend.Fecmall
	})
	r.keys("home", "space", "space", "space", "space")
	r.keys("r")
	if _, ok := r.box().(*form.Message); !ok {
		t.Fatalf("remark on 4 Fecmall orders:\n%s", r.screen())
	}
	s := r.screen()
	if n := strings.Count(s, "no write endpoints"); n != 1 || !strings.Contains(s, "(4 orders)") {
		t.Fatalf("the reason shown %d times, want once for 4 orders:\n%s", n, s)
	}
}
