package fecmall

import (
	"bytes"
	"encoding/json"
	"os"
	"testing"
	"time"

	"orderdesk/backend"
)

var (
	shanghai  = mustZone("Asia/Shanghai")
	fixedTime = time.Date(2026, 5, 1, 12, 0, 0, 0, time.UTC)
)

func mustZone(name string) *time.Location {
	loc, err := time.LoadLocation(name)
	if err != nil {
		return time.FixedZone(name, 8*3600)
	}
	return loc
}

func testDecoder() decoder {
	return decoder{shop: shopName, loc: shanghai, red: &backend.Redactor{}, now: func() time.Time { return fixedTime }}
}

func readSeed(t testing.TB, name string) []byte {
	t.Helper()
	b, err := os.ReadFile("testdata/seeds/" + name)
	if err != nil {
		t.Fatal(err)
	}
	return b
}

func at(s string) *time.Time {
	t, err := time.Parse(time.RFC3339, s)
	if err != nil {
		panic(err)
	}
	return &t
}

func usd(s string) backend.Amount { return backend.MustAmount(s, "USD") }

// TestSeedOrderInfo decodes seed 001's order/info response and checks what a
// person reads off it.
func TestSeedOrderInfo(t *testing.T) {
	t.Parallel()
	body := readSeed(t, "order_info.json")
	o, err := testDecoder().decodeDetail("get B203153596224752", body)
	if err != nil {
		t.Fatal(collector.Err(err))
	}
	ship := &backend.Address{
		Name: "dfaffa Doe3", Line1: "82 I Street Southeast", Line2: "4-4-403", City: "tianjin",
		ProvinceCode: "TJ", Zip: "343341", CountryCode: "CN", Phone: "18661832866",
	}
	bill := *ship // billing_is_use_shipping_address 1, billingAddress []
	want := &backend.Order{
		Ref: backend.Ref{Shop: shopName, Number: "B203153596224752"}, Shop: shopName, Platform: backend.Fecmall,
		ID: "1422", Number: "B203153596224752",
		State:       backend.State{Order: backend.OrderOpen, Payment: backend.PayUnpaid, Fulfillment: backend.FulUnfulfilled},
		RawStatus:   map[string]string{"order_status": "2", "payment_status": "2", "fulfillment_status": "1"},
		StatusLabel: "open, awaiting payment, not shipped",
		// 2023-02-03 17:09:19 in Shanghai.
		CreatedAt: at("2023-02-03T09:09:19Z"), UpdatedAt: at("2023-02-03T09:09:19Z"),
		Currency: "USD",
		Totals: backend.Totals{Subtotal: usd("12.42"), Shipping: usd("0"), Discount: usd("0"), Tax: usd("0"),
			Fee: usd("0"), GrandTotal: usd("12.42")},
		Base: &backend.Base{Currency: "USD", GrandTotal: usd("12.42")},
		// The seed's e-mail is Cloudflare's obfuscation text, with a
		// no-break space, kept verbatim.
		Customer:        backend.Customer{Name: "dfaffa Doe3", Email: "[email\u00a0protected]", Phone: "18661832866"},
		ShippingAddress: ship, BillingAddress: &bill,
		Items: []backend.Item{{SKU: "high-Dark Blue-1004665", Title: "High Ankle Jeans", Variant: "Dark Blue", Qty: 1,
			UnitPrice: usd("12.42"), RowTotal: usd("12.42"), WeightG: 111000,
			Image: "https://cdn.fecmall.com/common/15/image/2022/11/07/68a50f28fe05142cf51f6b08963ea7ec.webp"}},
		Payments: []backend.Payment{{Method: "cod", Amount: usd("12.42"), Currency: "USD", Status: "unpaid"}},
		SyncedAt: backend.UTC(fixedTime),
	}
	got, _ := json.Marshal(o)
	exp, _ := json.Marshal(want)
	if !bytes.Equal(got, exp) {
		t.Errorf("seed order:\n got %s\nwant %s", got, exp)
	}
	if o.PaidAt != nil || o.CancelledAt != nil || len(o.Shipments) != 0 || len(o.Tags) != 0 || o.BuyerNote != "" {
		t.Errorf("payed_at/cancelled_at/fulfilled_at 0, tags null and note \"\" must read as unset: %+v", o)
	}
	start := bytes.Index(body, []byte(`{
            "id": 1422`))
	end := bytes.Index(body, []byte(`,
        "pay_txn_id"`))
	if start < 0 || end < 0 || !bytes.Equal(o.Raw, body[start:end]) {
		t.Errorf("Raw is not the order_info object verbatim:\n%s", o.Raw)
	}
}
