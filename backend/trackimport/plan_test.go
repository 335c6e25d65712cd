package trackimport_test

import (
	"context"
	"path/filepath"
	"strings"
	"testing"
	"time"
	"unicode/utf8"

	"orderdesk/backend"
	"orderdesk/backend/engine"
	"orderdesk/backend/platforms"
	"orderdesk/backend/simshop"
	"orderdesk/backend/storage"
	"orderdesk/backend/trackimport"
	"orderdesk/cache"
)

// rig is one simulated shop per platform, plus a second YMCart shop with
// the same seed (so its order numbers collide with ym's), a real database
// and a desk, synced.
type rig struct {
	t    *testing.T
	srv  map[string]*simshop.Server
	st   *cache.Store
	desk *engine.Desk
}

func newRig(t *testing.T) *rig {
	t.Helper()
	return newRigWith(t, nil)
}

// newRigWith is newRig whose shops' configs edit changes first.
func newRigWith(t *testing.T, edit func(name string, cfg *backend.ShopConfig)) *rig {
	t.Helper()
	r := &rig{t: t, srv: map[string]*simshop.Server{}}
	var shops []backend.Shop
	for _, s := range []struct {
		name string
		p    backend.Platform
	}{{"fs", backend.Fecshop}, {"fm", backend.Fecmall}, {"sl", backend.Shopline}, {"ym", backend.YMCart}, {"ym2", backend.YMCart}} {
		srv, err := simshop.New(s.p, simshop.Options{Seed: 11, Orders: 40})
		if err != nil {
			t.Fatal(err)
		}
		t.Cleanup(srv.Close)
		cfg := srv.Config(s.name)
		cfg.Rate, cfg.Burst = 1000, 1000
		if edit != nil {
			edit(s.name, &cfg)
		}
		shop, err := platforms.Open(cfg)
		if err != nil {
			t.Fatal(err)
		}
		r.srv[s.name] = srv
		shops = append(shops, shop)
	}
	st, err := cache.Open(filepath.Join(t.TempDir(), "t.db"), cache.Options{})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { st.Close() })
	r.st, r.desk = st, engine.NewDesk(st, shops, time.Now)
	reports, err := r.desk.Sync(context.Background(), nil, nil)
	if err != nil {
		t.Fatal(err)
	}
	for _, rep := range reports {
		if rep.Err() != nil {
			t.Fatal(rep.Err())
		}
	}
	return r
}

// pick returns a cached order of the shop that ok accepts, not one of skip.
func (r *rig) pick(shop string, ok func(o *backend.Order) bool, skip ...*backend.Order) *backend.Order {
	r.t.Helper()
	var found *backend.Order
	err := r.st.Scan(storage.ScanQuery{Shop: shop}, func(o *backend.Order, _ []byte) error {
		for _, s := range skip {
			if s != nil && s.Ref == o.Ref {
				return nil
			}
		}
		if ok(o) {
			found = o
			return storage.ErrStop
		}
		return nil
	})
	if err != nil || found == nil {
		r.t.Fatalf("no %s order fits (%v)", shop, err)
	}
	return found
}

func shippable(o *backend.Order) bool {
	return o.State.Order == backend.OrderOpen && o.State.Payment == backend.PayPaid &&
		o.State.Fulfillment == backend.FulUnfulfilled && !o.State.Archived && len(o.Shipments) == 0
}

func (r *rig) plan(rows ...trackimport.Row) []trackimport.Item {
	r.t.Helper()
	for i := range rows {
		rows[i].Line = i + 2
	}
	items, err := trackimport.Plan(r.desk, rows, trackimport.Options{Operator: "tester"})
	if err != nil {
		r.t.Fatal(err)
	}
	return items
}

// ups is a valid UPS number (check digit right) distinct per n.
func ups(n int) string {
	return upsNumbers[n]
}

var upsNumbers = []string{"1Z999AA10123456784", "1Z12345E0205271688", "1Z12345E6605272234", "1Z12345E0305271640"}

func TestPlanNamesEveryProblem(t *testing.T) {
	t.Parallel()
	r := newRig(t)
	fsOrder := r.pick("fs", func(o *backend.Order) bool {
		return o.RawStatus["order_status"] == "processing" || o.RawStatus["order_status"] == "payment_confirmed"
	})
	slOrder := r.pick("sl", shippable)
	ymOrder := r.pick("ym", shippable)
	ymOther := r.pick("ym", shippable, ymOrder)
	ymThird := r.pick("ym", shippable, ymOrder, ymOther)
	ymCancelled := r.pick("ym", func(o *backend.Order) bool { return o.State.Order == backend.OrderCancelled })
	fmOrder := r.pick("fm", func(o *backend.Order) bool { return true })
	shipped := r.pick("sl", func(o *backend.Order) bool { return len(o.Shipments) > 0 && o.Shipments[0].TrackingNumber != "" })
	onShipped := shipped.Shipments[0]

	items := r.plan(
		trackimport.Row{Order: fsOrder.Number, Carrier: "UPS", Tracking: ups(0)},                                       // 2 ready
		trackimport.Row{Order: "NO-SUCH-ORDER", Carrier: "UPS", Tracking: ups(1)},                                      // 3 unknown
		trackimport.Row{Order: ymOrder.Number, Carrier: "SF Express", Tracking: "SF1234567890123"},                     // 4 ambiguous (ym, ym2)
		trackimport.Row{Order: ymOrder.Number, Shop: "ym", Carrier: "SF Express", Tracking: "SF1234567890123"},         // 5 ready (shop column)
		trackimport.Row{Order: ymOrder.Number, Shop: "ym", Carrier: "SF Express", Tracking: "SF1234567890123"},         // 6 duplicate of 5
		trackimport.Row{Order: "ym:" + ymOrder.Number, Carrier: "SF Express", Tracking: "SF9999999999999"},             // 7 same order again
		trackimport.Row{Order: fmOrder.Number, Carrier: "UPS", Tracking: ups(2)},                                       // 8 fecmall cannot ship
		trackimport.Row{Order: "ym:" + ymCancelled.Number, Carrier: "UPS", Tracking: ups(3)},                           // 9 wrong state
		trackimport.Row{Order: slOrder.Number, Carrier: "UPS", Tracking: "1Z999AA10123456785"},                         // 10 check digit: warning
		trackimport.Row{Order: "ym:" + ymOther.Number, Carrier: onShipped.Carrier, Tracking: onShipped.TrackingNumber}, // 11 on another order: warning
		trackimport.Row{Order: shipped.Ref.String(), Carrier: onShipped.Carrier, Tracking: onShipped.TrackingNumber},   // 12 already applied
		trackimport.Row{Order: "ym:" + ymThird.Number, Carrier: "UPS", Tracking: ""},                                   // 13 no tracking
		trackimport.Row{Order: ymThird.Number, Shop: "nowhere", Carrier: "UPS", Tracking: ups(1)},                      // 14 unknown shop
		trackimport.Row{Order: "ym:" + ymThird.Number, Carrier: "", Tracking: ups(1)},                                  // 15 no carrier
		trackimport.Row{Order: "ym2:" + ymThird.Number, Carrier: "SF Express", Tracking: "SF1234567890123"},            // 16 same number as line 5: warning
	)
	want := []struct {
		outcome trackimport.Outcome
		says    string
	}{
		{trackimport.Ready, ""},
		{trackimport.Rejected, "unknown order NO-SUCH-ORDER"},
		{trackimport.Rejected, "ambiguous: ym2:" + ymOrder.Number + ", ym:" + ymOrder.Number},
		{trackimport.Ready, ""},
		{trackimport.Rejected, "duplicate of line 5"},
		{trackimport.Rejected, "line 5 already ships ym:" + ymOrder.Number},
		{trackimport.Rejected, "fecmall cannot ship"},
		{trackimport.Rejected, "YMCart ships only orders in 200 paid or 301 shipped"},
		{trackimport.Ready, "warning: looks like UPS 1Z but the check digit does not match"},
		{trackimport.Ready, "warning: tracking number " + backend.TrackingKey(onShipped.TrackingNumber) + " is already on " + shipped.Ref.String()},
		{trackimport.Applied, "already has this tracking number"},
		{trackimport.Rejected, "no tracking number"},
		{trackimport.Rejected, `no shop named "nowhere"`},
		{trackimport.Rejected, "no carrier"},
		{trackimport.Ready, "warning: line 5 gives the same tracking number to ym:" + ymOrder.Number},
	}
	for i, w := range want {
		it := items[i]
		says := it.Reason
		for _, x := range it.Warnings {
			says += " warning: " + x
		}
		if it.Outcome != w.outcome || !strings.Contains(says, w.says) {
			t.Errorf("line %d: %s %q, want %s mentioning %q", it.Row.Line, it.Outcome, says, w.outcome, w.says)
		}
		if w.outcome == trackimport.Ready && w.says == "" && len(it.Warnings) > 0 {
			t.Errorf("line %d: unexpected warnings %q", it.Row.Line, it.Warnings)
		}
	}
	if n, _ := r.st.Edits(""); len(n) != 0 {
		t.Fatalf("planning saved %d edits", len(n))
	}
	// --notify: SHOPLINE emails only when asked; YMCart always does
	if items[8].Edit.Notifies || items[3].Edit == nil || !items[3].Edit.Notifies || trackimport.Notifying(items) != 3 { // lines 5, 11 and 16 go to YMCart
		t.Errorf("without notify: sl notifies %t, ym notifies %v, %d notifying", items[8].Edit.Notifies, items[3].Edit, trackimport.Notifying(items))
	}
	notified, err := trackimport.Plan(r.desk, []trackimport.Row{{Line: 2, Order: slOrder.Number, Carrier: "UPS", Tracking: ups(0)}}, trackimport.Options{Notify: true})
	if err != nil {
		t.Fatal(err)
	}
	if e := notified[0].Edit; notified[0].Outcome != trackimport.Ready || !e.Notifies || !e.Action.Notify {
		t.Errorf("with notify: %s %+v", notified[0].Outcome, e)
	}
}

func TestImportSendsOnceAndNotAgain(t *testing.T) {
	t.Parallel()
	r := newRig(t)
	ymA := r.pick("ym", shippable)
	ymB := r.pick("ym", shippable, ymA)
	sl := r.pick("sl", shippable)
	rows := []trackimport.Row{
		{Order: "ym:" + ymA.Number, Carrier: "SF Express", Tracking: "SF1234567890123"},
		{Order: "ym:" + ymB.Number, Carrier: "SF Express", Tracking: "SF1234567890124"},
		{Order: sl.Number, Carrier: "UPS", Tracking: ups(0)},
	}
	items := r.plan(rows...)
	if trackimport.Counts(items)[trackimport.Ready] != 3 {
		t.Fatalf("plan: %+v", items)
	}
	if err := trackimport.Save(r.desk, items); err != nil {
		t.Fatal(err)
	}
	// planned again before sending: in the outbox already
	for _, it := range r.plan(rows...) {
		if it.Outcome != trackimport.Queued || !strings.Contains(it.Reason, "already in the outbox as E") {
			t.Errorf("replanned before send: %s %q", it.Outcome, it.Reason)
		}
	}
	var ticks []int
	if err := trackimport.Send(context.Background(), r.desk, items, func(settled, total int) {
		if total != 3 {
			t.Errorf("progress total %d", total)
		}
		ticks = append(ticks, settled)
	}); err != nil {
		t.Fatal(err)
	}
	for _, it := range items {
		if it.Outcome != trackimport.Done {
			t.Errorf("line %d: %s %s", it.Row.Line, it.Outcome, it.Reason)
		}
	}
	if len(ticks) != 3 || ticks[2] != 3 {
		t.Errorf("progress %v", ticks)
	}
	for shop, n := range map[string]string{"ym": ymA.Number, "ym2": ymA.Number, "sl": sl.Number} {
		want := 1
		if shop == "ym2" {
			want = 0
		}
		if got := r.srv[shop].Applied(n); got != want {
			t.Errorf("%s %s applied %d times, want %d", shop, n, got, want)
		}
	}
	writes := len(r.srv["ym"].Writes()) + len(r.srv["sl"].Writes())
	again := r.plan(rows...)
	for _, it := range again {
		if it.Outcome != trackimport.Applied {
			t.Errorf("second import, line %d: %s %q", it.Row.Line, it.Outcome, it.Reason)
		}
	}
	if err := trackimport.Save(r.desk, again); err != nil {
		t.Fatal(err)
	}
	if err := trackimport.Send(context.Background(), r.desk, again, nil); err != nil {
		t.Fatal(err)
	}
	if w := len(r.srv["ym"].Writes()) + len(r.srv["sl"].Writes()); w != writes {
		t.Errorf("the second import wrote %d times", w-writes)
	}
}

func TestImportWithAShopOfflineQueuesItsRows(t *testing.T) {
	t.Parallel()
	// A read of the offline shop fails at once (connection refused) and
	// is retried with backoff: 4 retries take 3.75 to 7.5 s before the
	// row is queued. A 2 s call limit ends the retries sooner with the
	// same error, the shop unavailable, which is what this test is about.
	r := newRigWith(t, func(name string, cfg *backend.ShopConfig) {
		if name == "sl" {
			cfg.CallLimit = 2 * time.Second
		}
	})
	ym := r.pick("ym", shippable)
	sl := r.pick("sl", shippable)
	if err := r.srv["sl"].SetOffline(true); err != nil {
		t.Fatal(err)
	}
	items := r.plan(
		trackimport.Row{Order: "ym:" + ym.Number, Carrier: "SF Express", Tracking: "SF1234567890123"},
		trackimport.Row{Order: sl.Number, Carrier: "UPS", Tracking: ups(0)},
	)
	if err := trackimport.Save(r.desk, items); err != nil {
		t.Fatal(err)
	}
	err := trackimport.Send(context.Background(), r.desk, items, nil)
	if err == nil {
		t.Fatal("no error from the offline shop")
	}
	if items[0].Outcome != trackimport.Done || items[1].Outcome != trackimport.Queued || !strings.Contains(items[1].Reason, "not confirmed") {
		t.Fatalf("ym %s %q; sl %s %q", items[0].Outcome, items[0].Reason, items[1].Outcome, items[1].Reason)
	}
	if err := r.srv["sl"].SetOffline(false); err != nil {
		t.Fatal(err)
	}
	if _, err := r.desk.Sync(context.Background(), []string{"sl"}, nil); err != nil {
		t.Fatal(err)
	}
	if got := r.srv["sl"].Applied(sl.Number); got != 1 {
		t.Fatalf("after sync the offline shop's row was applied %d times", got)
	}
}

// TestPlanRejectsOversizeFields: a row whose carrier, tracking number or
// URL is longer than the desk accepts is rejected with the field, its
// limit and its length named and at most the start of the value quoted;
// the other rows go ahead.
func TestPlanRejectsOversizeFields(t *testing.T) {
	t.Parallel()
	r := newRig(t)
	slOrder := r.pick("sl", shippable)
	ymOrder := r.pick("ym", shippable)
	long := strings.Repeat("9", 60<<10)
	items := r.plan(
		trackimport.Row{Order: "sl:" + slOrder.Number, Carrier: "UPS", Tracking: long},
		trackimport.Row{Order: "ym:" + ymOrder.Number, Carrier: strings.Repeat("运", backend.MaxCarrier+1), Tracking: ups(0)},
		trackimport.Row{Order: "ym:" + ymOrder.Number, Carrier: "UPS", Tracking: ups(0), URL: "https://t.example/" + long},
		trackimport.Row{Order: "ym:" + ymOrder.Number, Carrier: "UPS", Tracking: ups(0)},
	)
	for i, says := range []string{
		"the tracking number is 61440 characters long; at most 64",
		"the carrier is 101 characters long; at most 100",
		"the tracking URL is 61458 characters long; at most 2048",
	} {
		it := items[i]
		if it.Outcome != trackimport.Rejected || !strings.Contains(it.Reason, says) || utf8.RuneCountInString(it.Reason) > 200 {
			t.Errorf("line %d: %s %.400q, want rejected saying %q", it.Row.Line, it.Outcome, it.Reason, says)
		}
	}
	if it := items[3]; it.Outcome != trackimport.Ready {
		t.Errorf("line %d: %s %s, want ready", it.Row.Line, it.Outcome, it.Reason)
	}
}
