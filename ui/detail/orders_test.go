package detail

import (
	"time"

	"orderdesk/backend"
)

// Test orders, built in Go (no I/O).

var (
	jst = time.FixedZone("JST", 9*3600)
	now = time.Date(2026, 11, 21, 3, 0, 0, 0, time.UTC)
)

func at(s string) *time.Time {
	t, err := time.Parse(time.RFC3339, s)
	if err != nil {
		panic(err)
	}
	return &t
}

func yen(s string) backend.Amount { return backend.MustAmount(s, "JPY") }

const (
	trackingURL  = "https://trackings.post.japanpost.jp/services/srv/search/direct?reqCodeNo1=EJ123456785JP&locale=en"
	failedReason = "SHOPLINE refused: 422 Unprocessable Entity — the order has a fulfilment in progress and cannot be cancelled; cancel the fulfilment in the SHOPLINE admin first, then retry this edit from the desk."
)

// fullOrder has a CJK customer, CJK item titles, both addresses, a payment,
// a shipment with a tracking URL, remarks, tags and a pending edit.
func fullOrder() *backend.Order {
	return &backend.Order{
		Ref: backend.Ref{Shop: "tokyo", Number: "#1042"}, Shop: "tokyo", Platform: backend.Shopline,
		ID: "5012345678901234567890", Number: "#1042",
		State:       backend.State{Order: backend.OrderOpen, Payment: backend.PayPaid, Fulfillment: backend.FulPartial},
		RawStatus:   map[string]string{"status": "open", "financial_status": "paid", "fulfillment_status": "partial"},
		StatusLabel: "open / paid / partial",
		CreatedAt:   at("2026-11-20T01:02:03Z"), UpdatedAt: at("2026-11-21T00:30:00Z"),
		PaidAt: at("2026-11-20T01:05:00Z"), SyncedAt: at("2026-11-21T02:57:00Z"),
		Currency: "JPY",
		Totals: backend.Totals{Subtotal: yen("8400"), Shipping: yen("800"), Discount: yen("-500"),
			Tax: yen("840"), Fee: yen("0"), GrandTotal: yen("9540")},
		Base:     &backend.Base{Currency: "USD", GrandTotal: backend.MustAmount("63.60", "USD")},
		Customer: backend.Customer{Name: "佐藤 花子", Email: "hanako@example.jp", Phone: "+81 90-1234-5678"},
		ShippingAddress: &backend.Address{Name: "佐藤 花子", Line1: "渋谷区神南1-2-3", Line2: "サンプルビル 4F",
			City: "渋谷区", Province: "東京都", ProvinceCode: "JP-13", Zip: "150-0041", CountryCode: "JP",
			Country: "Japan", Phone: "+81 90-1234-5678"},
		BillingAddress: &backend.Address{Name: "Hanako Sato", Company: "Sato Trading K.K.", Line1: "1-1 Marunouchi",
			City: "Chiyoda-ku", Province: "Tokyo", Zip: "100-0005", CountryCode: "JP", Country: "Japan",
			Email: "billing@sato.example"},
		Items: []backend.Item{
			{SKU: "TEA-MATCHA-100", Title: "宇治抹茶 プレミアム 100g 缶入り 特選", Variant: "100g / 缶", Qty: 2,
				UnitPrice: yen("3200"), RowTotal: yen("6400"), WeightG: 130},
			{SKU: "CUP-YUNOMI-BLUE-LARGE-2026", Title: "Hand-thrown yunomi tea cup, cobalt glaze, large", Variant: "Blue / L",
				Qty: 1, UnitPrice: yen("2000"), RowTotal: yen("2000"), WeightG: 420},
		},
		Payments: []backend.Payment{{Method: "credit_card", TransactionID: "ch_3PqLmN2eZvKYlo2C0a1b2c3d",
			Amount: yen("9540"), Currency: "JPY", Status: "paid", PaidAt: at("2026-11-20T01:05:00Z")}},
		Shipments: []backend.Shipment{{Carrier: "Japan Post", TrackingNumber: "EJ123456785JP", TrackingURL: trackingURL,
			ShippedAt: at("2026-11-21T00:30:00Z"), Status: "in_transit"}},
		Remarks: []backend.Remark{
			{Text: "Customer asked to ship the cup separately if the tea is delayed; do not split otherwise.\n包装は簡易でお願いします。",
				Author: "yuki", At: at("2026-11-20T02:00:00Z"), Visibility: backend.Internal},
			{Text: "Thank you for your order!", Author: "shop", At: at("2026-11-20T03:00:00Z"), Visibility: backend.CustomerSide},
		},
		BuyerNote: "配達は午前中希望です。Please deliver in the morning, the office is closed after noon.",
		Tags:      []string{"vip", "gift", "要確認", "repeat-customer"},
		Pending:   []backend.PendingEdit{{ID: "E18", Kind: "remark", State: "pending", Summary: `remark "packed, waiting for pickup"`}},
		Raw: []byte(`{"id":"5012345678901234567890","name":"#1042","financial_status":"paid",` +
			`"line_items":[{"title":"宇治抹茶 プレミアム 100g 缶入り 特選","quantity":2}],` +
			`"note_attributes":[{"name":"gift_message","value":"Happy birthday! A long message that is cut at narrow widths because it runs past the edge of the pane."}]}`),
	}
}

// fullHistory has a done edit, a failed edit and the pending one.
func fullHistory() []backend.Edit {
	return []backend.Edit{
		{ID: "E12", State: backend.EditDone, Operator: "yuki", CreatedAt: *at("2026-11-21T00:20:00Z"),
			Summary: "ship Japan Post EJ123456785JP"},
		{ID: "E15", State: backend.EditFailed, Operator: "kenji", CreatedAt: *at("2026-11-21T01:00:00Z"),
			Summary: "status → cancel", Error: failedReason},
		{ID: "E18", State: backend.EditPending, Operator: "yuki", CreatedAt: *at("2026-11-21T02:50:00Z"),
			Summary: `remark "packed, waiting for pickup"`},
	}
}

// minimalOrder has nothing but its handle: no addresses, items, times.
func minimalOrder() *backend.Order {
	return &backend.Order{Shop: "berlin", Number: "100023", Platform: backend.Fecshop}
}

func fullData() Data {
	return Data{Order: fullOrder(), History: fullHistory(), Loc: jst, Now: now}
}

func minimalData() Data { return Data{Order: minimalOrder(), Loc: jst, Now: now} }
