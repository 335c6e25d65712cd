package cache

import (
	"encoding/json"
	"path/filepath"
	"testing"
	"time"

	"orderdesk/backend"
	"orderdesk/backend/simshop"
	"orderdesk/backend/storage"
)

var _ storage.Store = (*Store)(nil)

var platformsAll = []backend.Platform{backend.Fecshop, backend.Fecmall, backend.Shopline, backend.YMCart}

// testNow is the fixed clock of test stores.
var testNow = time.Date(2026, 11, 2, 3, 4, 5, 0, time.UTC)

// openTest opens a fresh store in a temp dir with a fixed clock.
func openTest(tb testing.TB) *Store {
	tb.Helper()
	s, err := Open(filepath.Join(tb.TempDir(), "desk", "orderdesk.db"), Options{Now: func() time.Time { return testNow }})
	if err != nil {
		tb.Fatal(err)
	}
	tb.Cleanup(func() { _ = s.Close() })
	return s
}

// shopName is the shop name test data uses for a platform.
func shopName(p backend.Platform) string { return "sim-" + string(p) }

// truthOrders returns the simulated shops' ground truth, perShop orders of
// each platform, made ready to store: Shop and Ref set, SyncedAt set, and a
// synthetic Raw (the truth has none) of realistic size.
func truthOrders(tb testing.TB, perShop int) []*backend.Order {
	tb.Helper()
	var out []*backend.Order
	for _, p := range platformsAll {
		srv, err := simshop.New(p, simshop.Options{Orders: perShop, Seed: 1})
		if err != nil {
			tb.Fatal(err)
		}
		orders := srv.Orders()
		srv.Close()
		for _, o := range orders {
			prepare(tb, o, shopName(p))
		}
		out = append(out, orders...)
	}
	return out
}

// prepare makes a truth order storable under shop.
func prepare(tb testing.TB, o *backend.Order, shop string) {
	o.Shop = shop
	o.Ref = backend.Ref{Shop: shop, Number: o.Number}
	if o.SyncedAt == nil {
		o.SyncedAt = backend.UTC(testNow)
	}
	if len(o.Raw) == 0 {
		doc, err := json.Marshal(o)
		if err != nil {
			tb.Fatal(err)
		}
		o.Raw = json.RawMessage(`{"synthetic":true,"order":` + string(doc) + `}`)
	}
}

// fullOrder has every field set, with unusual values: amounts of several
// scales and signs, times with nanoseconds and before 1970, shipments with
// and without a shipped time, several raw status keys, every flag.
func fullOrder(shop, number string) *backend.Order {
	t := func(s string) *time.Time {
		v, err := time.Parse(time.RFC3339Nano, s)
		if err != nil {
			panic(err)
		}
		v = v.UTC()
		return &v
	}
	amt := func(s string) backend.Amount {
		var a backend.Amount
		if err := a.UnmarshalJSON([]byte(`"` + s + `"`)); err != nil {
			panic(err)
		}
		return a
	}
	addr := &backend.Address{Name: "王小明", Company: "ACME", Line1: "浦东新区世纪大道100号", Line2: "25楼",
		City: "上海市", Province: "上海市", ProvinceCode: "SH", Zip: "200120", CountryCode: "CN", Country: "China",
		Phone: "+86 186-6183-2866", Email: "wangxm@example.cn"}
	bill := *addr
	bill.Company = "Billing Co."
	return &backend.Order{
		Ref: backend.Ref{Shop: shop, Number: number}, Shop: shop, Platform: backend.Shopline,
		ID: "21050342939778451443179600", Number: number,
		State: backend.State{Order: backend.OrderOnHold, Payment: backend.PayPartiallyRefunded,
			Fulfillment: backend.FulPartial, Archived: true, Inferred: true},
		RawStatus:   map[string]string{"financial_status": "partially_refunded", "fulfillment_status": "partial", "z": ""},
		StatusLabel: "on hold, 部分退款",
		CreatedAt:   t("2026-10-01T10:20:30.123456789Z"), UpdatedAt: t("1969-12-31T23:59:59.5Z"),
		PaidAt: t("2026-10-01T10:21:00Z"), CancelledAt: t("2026-10-02T00:00:00Z"), SyncedAt: t("2026-11-01T00:00:00Z"),
		Currency: "KWD",
		Totals: backend.Totals{Subtotal: amt("12.345"), Shipping: amt("0.5"), Discount: amt("-1.000"),
			Tax: amt("0.000000001"), Fee: amt("92233720368547758.07"), GrandTotal: amt("-0.12345")},
		Base:            &backend.Base{Currency: "USD", GrandTotal: amt("40.10")},
		Customer:        backend.Customer{Name: "王小明", Email: "wangxm@example.cn", Phone: "+86 186-6183-2866"},
		ShippingAddress: addr, BillingAddress: &bill,
		Items: []backend.Item{
			{SKU: "TEA-LJ-250", Title: "龙井绿茶 250g", Variant: "特级", Qty: 2, UnitPrice: amt("7.500"), RowTotal: amt("15.000"), WeightG: 250, Image: "https://img/x.jpg"},
			{SKU: "", Title: "", Variant: "", Qty: -1, UnitPrice: amt("0"), RowTotal: amt("-9223372036854775807")},
		},
		Payments: []backend.Payment{{Method: "stripe", TransactionID: "ch_1", Amount: amt("12.345"), Currency: "KWD", Status: "paid", PaidAt: t("2026-10-01T10:21:00Z")}},
		Shipments: []backend.Shipment{
			{Carrier: "EMS", TrackingNumber: "EE123456785CN", TrackingURL: "https://t/EE", ShippedAt: t("2026-10-03T01:02:03Z"), Status: "shipped"},
			{Carrier: "UPS", TrackingNumber: "1z 999-aa1 0123456784", Status: "in_transit"},
		},
		Remarks:   []backend.Remark{{Text: "VIP", Author: "anna", At: t("2026-10-01T11:00:00Z"), Visibility: backend.Internal}},
		BuyerNote: "Please ship fast & wrap as a \"gift\"\n请尽快发货",
		Tags:      []string{"VIP", "", "wholesale"},
		Raw:       json.RawMessage(`{"id":21050342939778451443179600,"name":"` + number + `"}`),
	}
}

// put stores orders grouped by shop, failing the test on error.
func put(tb testing.TB, s *Store, orders ...*backend.Order) {
	tb.Helper()
	if err := Fill(s, orders, 100); err != nil {
		tb.Fatal(err)
	}
}

func mustVerify(tb testing.TB, s *Store) {
	tb.Helper()
	if err := s.Verify(); err != nil {
		tb.Fatalf("Verify: %v", err)
	}
}

func refs(ss ...string) []backend.Ref {
	out := []backend.Ref{}
	for _, s := range ss {
		r, err := backend.ParseRef(s)
		if err != nil {
			panic(err)
		}
		out = append(out, r)
	}
	return out
}
