package query

import (
	"errors"
	"testing"
	"time"

	"orderdesk/backend"
)

// testNow is the reference time of relative-date tests: exactly 7 days
// after baseOrder's creation.
var testNow = time.Date(2024, 3, 17, 12, 0, 0, 0, time.UTC)

func ptime(t time.Time) *time.Time { return &t }

// baseOrder is a hand-built order that table rows tweak.
func baseOrder() *backend.Order {
	return &backend.Order{
		Ref:         backend.Ref{Shop: "eu-store", Number: "1100006600"},
		Shop:        "eu-store",
		Platform:    backend.Fecshop,
		Number:      "1100006600",
		State:       backend.State{Order: backend.OrderOpen, Payment: backend.PayPaid, Fulfillment: backend.FulUnfulfilled},
		RawStatus:   map[string]string{"order_status": "payment_confirmed"},
		StatusLabel: "paid",
		CreatedAt:   ptime(time.Date(2024, 3, 10, 12, 0, 0, 0, time.UTC)),
		UpdatedAt:   ptime(time.Date(2024, 3, 11, 12, 0, 0, 0, time.UTC)),
		Currency:    "USD",
		Totals:      backend.Totals{GrandTotal: backend.MustAmount("12.93", "USD")},
		Customer:    backend.Customer{Name: "王小明", Email: "WangXM@example.cn", Phone: "18661832866"},
		ShippingAddress: &backend.Address{
			Name: "王小明", City: "New York", Province: "NY", CountryCode: "US", Country: "United States",
			Phone: "+1 212-555-0134", Email: "wangxm@example.cn",
		},
		Items: []backend.Item{
			{SKU: "LC79246S", Title: "Low Rise Flowery Legging", Qty: 1},
			{SKU: "MUG-JP-01", Title: "有田焼 マグカップ", Qty: 2},
		},
		Shipments: []backend.Shipment{{Carrier: "China Post", TrackingNumber: "RR 2020-9458 4CN"}},
		Tags:      []string{"VIP", "wholesale"},
	}
}

func mustParse(t testing.TB, s string) *Query {
	t.Helper()
	q, err := Parse(s, Options{Now: testNow})
	if err != nil {
		t.Fatalf("Parse(%q): %v", s, err)
	}
	return q
}

func asError(t testing.TB, err error) *Error {
	t.Helper()
	var e *Error
	if !errors.As(err, &e) {
		t.Fatalf("error %v (%T) is not a *query.Error", err, err)
	}
	return e
}

func contains(list []string, s string) bool {
	for _, v := range list {
		if v == s {
			return true
		}
	}
	return false
}
