package cache

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"reflect"
	"slices"
	"testing"
	"time"

	"orderdesk/backend"
	"orderdesk/backend/storage"
)

// storedJSON is what the orders bucket must hold for o.
func storedJSON(t *testing.T, o *backend.Order) []byte {
	t.Helper()
	c := *o
	c.Pending = nil
	b, err := json.Marshal(c)
	if err != nil {
		t.Fatal(err)
	}
	return b
}

// TestRoundTripTruth stores the truth of all four simulated platforms plus
// an order with every field set, and reads each back through Order (every
// field, Raw included) and through Scan (the slim fields, one by one).
func TestRoundTripTruth(t *testing.T) {
	t.Parallel()
	s := openTest(t)
	orders := append(truthOrders(t, 120), fullOrder("edge", "#A:1"))
	put(t, s, orders...)
	byRef := map[backend.Ref]*backend.Order{}
	for _, want := range orders {
		byRef[want.Ref] = want
		got, err := s.Order(want.Ref)
		if err != nil {
			t.Fatal(err)
		}
		if g, w := storedJSON(t, got), storedJSON(t, want); !bytes.Equal(g, w) {
			t.Fatalf("Order(%s):\n got %s\nwant %s", want.Ref, g, w)
		}
		if !bytes.Equal(got.Raw, want.Raw) {
			t.Fatalf("Order(%s).Raw = %s, want %s", want.Ref, got.Raw, want.Raw)
		}
	}
	n := 0
	err := s.Scan(storage.ScanQuery{Shop: "", Full: true}, func(o *backend.Order, doc []byte) error {
		n++
		want := byRef[o.Ref]
		if want == nil {
			return fmt.Errorf("scan returned unknown %s", o.Ref)
		}
		compareSlim(t, o, want)
		if w := storedJSON(t, want); !bytes.Equal(doc, w) {
			t.Errorf("Scan doc of %s:\n got %s\nwant %s", o.Ref, doc, w)
		}
		return nil
	})
	if err != nil || n != len(orders) {
		t.Fatalf("Scan: %d orders, err %v; want %d", n, err, len(orders))
	}
	mustVerify(t, s)
}

// compareSlim checks every field Scan's slim order carries against the
// truth, and that the fields it must not carry are empty.
func compareSlim(t *testing.T, got, want *backend.Order) {
	t.Helper()
	tm := func(p *time.Time) string {
		if p == nil {
			return "nil"
		}
		return p.Format(time.RFC3339Nano) + "/" + p.Location().String()
	}
	amt := func(a backend.Amount) string { c, s := a.Minor(); return fmt.Sprint(c, "e-", s) }
	items := func(o *backend.Order) []string {
		var out []string
		for _, it := range o.Items {
			out = append(out, fmt.Sprint(it.SKU, "|", it.Title, "|", it.Variant, "|", it.Qty, "|", amt(it.UnitPrice), "|", amt(it.RowTotal)))
		}
		return out
	}
	ships := func(o *backend.Order) []string {
		var out []string
		for _, sh := range o.Shipments {
			out = append(out, fmt.Sprint(sh.Carrier, "|", sh.TrackingNumber, "|", sh.TrackingURL, "|", tm(sh.ShippedAt), "|", sh.Status))
		}
		return out
	}
	base := func(o *backend.Order) string {
		if o.Base == nil {
			return "nil"
		}
		return o.Base.Currency + " " + amt(o.Base.GrandTotal)
	}
	totals := func(o *backend.Order) []string {
		x := o.Totals
		return []string{amt(x.Subtotal), amt(x.Shipping), amt(x.Discount), amt(x.Tax), amt(x.Fee), amt(x.GrandTotal)}
	}
	fields := []struct {
		name string
		get  func(o *backend.Order) any
	}{
		{"ref", func(o *backend.Order) any { return o.Ref }},
		{"shop", func(o *backend.Order) any { return o.Shop }},
		{"platform", func(o *backend.Order) any { return o.Platform }},
		{"id", func(o *backend.Order) any { return o.ID }},
		{"number", func(o *backend.Order) any { return o.Number }},
		{"state", func(o *backend.Order) any { return o.State }},
		{"raw_status", func(o *backend.Order) any { return fmt.Sprint(o.RawStatus) }},
		{"status_label", func(o *backend.Order) any { return o.StatusLabel }},
		{"created_at", func(o *backend.Order) any { return tm(o.CreatedAt) }},
		{"updated_at", func(o *backend.Order) any { return tm(o.UpdatedAt) }},
		{"paid_at", func(o *backend.Order) any { return tm(o.PaidAt) }},
		{"cancelled_at", func(o *backend.Order) any { return tm(o.CancelledAt) }},
		{"currency", func(o *backend.Order) any { return o.Currency }},
		{"totals", func(o *backend.Order) any { return totals(o) }},
		{"base", func(o *backend.Order) any { return base(o) }},
		{"customer", func(o *backend.Order) any { return o.Customer }},
		{"shipping_address", func(o *backend.Order) any { return fmt.Sprintf("%+v", o.ShippingAddress) }},
		{"items", func(o *backend.Order) any { return items(o) }},
		{"shipments", func(o *backend.Order) any { return ships(o) }},
		{"tags", func(o *backend.Order) any { return fmt.Sprintf("%q", o.Tags) }},
		{"buyer_note", func(o *backend.Order) any { return o.BuyerNote }},
		{"synced_at", func(o *backend.Order) any { return tm(o.SyncedAt) }},
	}
	for _, f := range fields {
		if g, w := f.get(got), f.get(want); !reflect.DeepEqual(g, w) {
			t.Errorf("%s slim %s = %v, want %v", want.Ref, f.name, g, w)
		}
	}
	if got.Raw != nil || got.BillingAddress != nil || got.Payments != nil || got.Remarks != nil {
		t.Errorf("%s slim carries raw/billing/payments/remarks: %+v", want.Ref, got)
	}
	for i, it := range got.Items {
		if it.WeightG != 0 || it.Image != "" {
			t.Errorf("%s slim item %d carries weight/image", want.Ref, i)
		}
	}
}

func TestPutRejectsForeignOrderWritingNothing(t *testing.T) {
	t.Parallel()
	s := openTest(t)
	good := fullOrder("eu", "1001")
	for name, bad := range map[string]func(o *backend.Order){
		"other shop":      func(o *backend.Order) { o.Ref.Shop, o.Shop = "us", "us" },
		"shop field":      func(o *backend.Order) { o.Shop = "us" },
		"ref number":      func(o *backend.Order) { o.Ref.Number = "1003" },
		"empty number":    func(o *backend.Order) { o.Number, o.Ref.Number = "", "" },
		"NUL in number":   func(o *backend.Order) { o.Number, o.Ref.Number = "1\x002", "1\x002" },
		"nil order":       nil,
		"colon shop name": func(o *backend.Order) {},
	} {
		o := fullOrder("eu", "1002")
		shop := "eu"
		var list []*backend.Order
		switch {
		case bad == nil:
			list = []*backend.Order{good, nil}
		case name == "colon shop name":
			shop = "e:u"
			list = []*backend.Order{good}
		default:
			bad(o)
			list = []*backend.Order{good, o}
		}
		if err := s.PutOrders(shop, list); err == nil {
			t.Errorf("%s: PutOrders accepted it", name)
		}
		if n, err := s.Count(""); err != nil || n != 0 {
			t.Errorf("%s: %d orders stored after a failed PutOrders (err %v)", name, n, err)
		}
	}
	if _, err := s.Order(good.Ref); !errors.Is(err, storage.ErrNoOrder) {
		t.Errorf("Order of an unknown ref: %v, want ErrNoOrder", err)
	}
}

// TestReplaceKeepsIndexes replaces an order whose created time, tracking
// numbers and order state change, and checks old index entries are gone.
func TestReplaceKeepsIndexes(t *testing.T) {
	t.Parallel()
	s := openTest(t)
	a := fullOrder("eu", "1001")
	a.State.Order = backend.OrderOpen
	b := fullOrder("eu", "1002")
	b.CreatedAt = backend.UTC(a.CreatedAt.Add(time.Hour))
	b.Shipments = nil
	b.State.Order = backend.OrderCancelled
	put(t, s, a, b)
	mustVerify(t, s)
	if got := scanRefs(t, s, ""); !slices.Equal(got, refs("eu:1002", "eu:1001")) {
		t.Fatalf("scan order before: %v", got)
	}
	if at, ok, _ := s.OldestOpen("eu"); !ok || !at.Equal(*a.CreatedAt) {
		t.Fatalf("OldestOpen before = %v %v", at, ok)
	}

	a2 := fullOrder("eu", "1001")
	a2.State.Order = backend.OrderCompleted
	a2.CreatedAt = backend.UTC(b.CreatedAt.Add(time.Hour))
	a2.Shipments = []backend.Shipment{{Carrier: "DHL", TrackingNumber: "JD014600006281234567"}}
	put(t, s, a2)
	mustVerify(t, s)

	if got := scanRefs(t, s, ""); !slices.Equal(got, refs("eu:1001", "eu:1002")) {
		t.Errorf("scan order after the created time moved: %v", got)
	}
	if got, _ := s.ByTracking("EE123456785CN"); len(got) != 0 {
		t.Errorf("old tracking still indexed: %v", got)
	}
	if got, _ := s.ByTracking("jd0146-0000-6281234567"); !slices.Equal(got, refs("eu:1001")) {
		t.Errorf("new tracking: %v", got)
	}
	if _, ok, _ := s.OldestOpen("eu"); ok {
		t.Errorf("OldestOpen still finds an order after it completed")
	}
	if n, _ := s.Count("eu"); n != 2 {
		t.Errorf("Count = %d after a replacement, want 2", n)
	}

	// A renumbered order is a new ref: the old copy stays (orders are never
	// deleted), both are indexed.
	a3 := fullOrder("eu", "#1001")
	put(t, s, a3)
	mustVerify(t, s)
	if got, _ := s.Resolve("1001"); !slices.Equal(got, refs("eu:#1001", "eu:1001")) {
		t.Errorf("Resolve after renumbering: %v", got)
	}
	// A copy without raw JSON drops the stale raw of the copy it replaces.
	noRaw := fullOrder("eu", "1002")
	noRaw.Raw = nil
	put(t, s, noRaw)
	if got, err := s.Order(noRaw.Ref); err != nil || got.Raw != nil {
		t.Errorf("raw after a copy without raw: %s, %v", got.Raw, err)
	}
	mustVerify(t, s)
	// A short list leaves the others alone.
	put(t, s, b)
	if n, _ := s.Count(""); n != 3 {
		t.Errorf("Count = %d after a short list, want 3", n)
	}
}

func scanRefs(t *testing.T, s *Store, shop string) []backend.Ref {
	t.Helper()
	out := []backend.Ref{}
	if err := s.Scan(storage.ScanQuery{Shop: shop, Full: false}, func(o *backend.Order, _ []byte) error {
		out = append(out, o.Ref)
		return nil
	}); err != nil {
		t.Fatal(err)
	}
	return out
}

func TestResolve(t *testing.T) {
	t.Parallel()
	s := openTest(t)
	put(t, s, fullOrder("eu", "1001"), fullOrder("eu", "1002"), fullOrder("us", "1001"),
		fullOrder("sl", "#1001"), fullOrder("sl", "#2002"), fullOrder("ym", "SY-1:7"))
	for _, c := range []struct {
		text string
		want []backend.Ref
	}{
		{"eu:1001", refs("eu:1001")},                     // exact
		{" eu:1002 ", refs("eu:1002")},                   // exact, spaces trimmed
		{"1002", refs("eu:1002")},                        // bare, unique
		{"1001", refs("eu:1001", "sl:#1001", "us:1001")}, // bare, ambiguous, '#'-less matches '#'
		{"2002", refs("sl:#2002")},                       // bare, '#'-less SHOPLINE number
		{"#2002", refs("sl:#2002")},                      // bare with '#'
		{"#1001", refs("sl:#1001")},                      // '#' typed matches only '#'
		{"sl:1001", refs("sl:#1001")},                    // exact, '#'-less
		{"sl:#1001", refs("sl:#1001")},                   // exact with '#'
		{"eu:#1001", refs()},                             // '#' typed, shop has 1001 without
		{"ym:SY-1:7", refs("ym:SY-1:7")},                 // number with a colon
		{"9999", refs()},                                 // unknown
		{"nosuchshop:1001", refs()},                      // shop with no such order
		{"eu:9999", refs()},
	} {
		got, err := s.Resolve(c.text)
		if err != nil || !slices.Equal(got, c.want) || got == nil {
			t.Errorf("Resolve(%q) = %#v, %v; want %v", c.text, got, err, c.want)
		}
	}
	if _, err := s.Resolve("  "); err == nil {
		t.Error("Resolve of blank text: no error")
	}
}

func TestByTrackingAndOldestOpen(t *testing.T) {
	t.Parallel()
	s := openTest(t)
	a, b, c := fullOrder("eu", "1"), fullOrder("eu", "2"), fullOrder("us", "3")
	a.State.Order, b.State.Order, c.State.Order = backend.OrderCancelled, backend.OrderOpen, backend.OrderDraft
	b.CreatedAt = backend.UTC(a.CreatedAt.Add(24 * time.Hour))
	c.CreatedAt = backend.UTC(a.CreatedAt.Add(-24 * time.Hour))
	d := fullOrder("us", "4") // open but without created_at: never the oldest
	d.State.Order, d.CreatedAt = backend.OrderOpen, nil
	put(t, s, a, b, c, d)
	got, err := s.ByTracking("1Z999AA10123456784")
	if err != nil || !slices.Equal(got, refs("eu:1", "eu:2", "us:3", "us:4")) {
		t.Errorf("ByTracking = %v, %v", got, err)
	}
	if got, _ := s.ByTracking(" - "); len(got) != 0 {
		t.Errorf("ByTracking of nothing = %v", got)
	}
	for shop, want := range map[string]*time.Time{"eu": b.CreatedAt, "us": c.CreatedAt, "none": nil} {
		at, ok, err := s.OldestOpen(shop)
		if err != nil || ok != (want != nil) || want != nil && !at.Equal(*want) {
			t.Errorf("OldestOpen(%s) = %v %v %v, want %v", shop, at, ok, err, want)
		}
	}
	for shop, want := range map[string]int{"": 4, "eu": 2, "us": 2, "e": 0} {
		if n, err := s.Count(shop); err != nil || n != want {
			t.Errorf("Count(%q) = %d, %v; want %d", shop, n, err, want)
		}
	}
}
