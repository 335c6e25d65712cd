package shopline

import (
	"bytes"
	"encoding/json"
	"io"
	"net/http"
	"net/http/httptest"
	"os"
	"sync"
	"testing"
	"time"

	"orderdesk/backend"
)

// Seed 002 has no complete JSON example: the fixtures are constructed from
// its field list (see testdata/seeds/README.md); the Authorization example
// is verbatim.
const (
	seedResponse = "testdata/seeds/orders_id_put.response.constructed.json"
	seedRequest  = "testdata/seeds/orders_id_put.request.constructed.json"
	seedOrderID  = "21050342939778451436179579"
)

func readSeed(t testing.TB, path string) []byte {
	t.Helper()
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	return b
}

func utc(s string) *time.Time {
	tm, err := time.Parse(time.RFC3339, s)
	if err != nil {
		panic(err)
	}
	return backend.UTC(tm)
}

func usd(s string) backend.Amount { return backend.MustAmount(s, "USD") }

// seedOrder is what a person reads off the response fixture.
func seedOrder() *backend.Order {
	ship := &backend.Address{Name: "Xiaoming Wang", Line1: "Century Avenue 100", Line2: "25F", City: "Shanghai",
		Province: "Shanghai", ProvinceCode: "SH", Zip: "200120", CountryCode: "CN", Country: "China", Phone: "+86 186-6183-2866"}
	bill := *ship
	bill.Company = "Open001 Trading Ltd."
	return &backend.Order{
		Ref: backend.Ref{Shop: "open001", Number: "#1032"}, Shop: "open001", Platform: backend.Shopline,
		ID: seedOrderID, Number: "#1032",
		State:       backend.State{Order: backend.OrderOpen, Payment: backend.PayPaid, Fulfillment: backend.FulPartial},
		RawStatus:   map[string]string{"financial_status": "paid", "fulfillment_status": "partial", "hidden_order": "false"},
		StatusLabel: "paid, partially shipped",
		CreatedAt:   utc("2023-02-02T06:22:25Z"), UpdatedAt: utc("2023-02-03T02:05:00Z"), PaidAt: utc("2023-02-02T06:23:01Z"),
		Currency: "USD",
		Totals: backend.Totals{Subtotal: usd("84.00"), Shipping: usd("8.00"), Discount: usd("8.00"), Tax: usd("5.32"),
			Fee: usd("0"), GrandTotal: usd("89.32")},
		Customer:        backend.Customer{Name: "Xiaoming Wang", Email: "wangxm@example.cn", Phone: "+86 186-6183-2866"},
		ShippingAddress: ship, BillingAddress: &bill,
		Items: []backend.Item{
			{SKU: "LC79246S", Title: "Low Rise Flowery Legging", Variant: "As shown / S", Qty: 2, UnitPrice: usd("18.00"), RowTotal: usd("36.00"), WeightG: 130},
			{SKU: "sk10002", Title: "Leaves Pattern Waisted Zippered Dress", Variant: "multicolor / M", Qty: 1, UnitPrice: usd("48.00"), RowTotal: usd("48.00"), WeightG: 301},
		},
		Payments: []backend.Payment{{Method: "Paypal", TransactionID: "PAYID-MQ3TZ2A8XK", Amount: usd("89.32"), Currency: "USD",
			Status: "paid", PaidAt: utc("2023-02-02T06:23:01Z")}},
		Shipments: []backend.Shipment{{Carrier: "YunExpress", TrackingNumber: "YT2229521272160001",
			TrackingURL: "https://t.17track.net/en#nums=YT2229521272160001", ShippedAt: utc("2023-02-03T02:05:00Z"), Status: "success"}},
		Remarks: []backend.Remark{
			{Text: "Check stock of sk10002 before shipping", Author: "merchant note", Visibility: backend.Internal},
			{Text: "Customer asked for gift wrap", Author: "staff-anna", At: utc("2023-02-02T07:01:10Z"), Visibility: backend.Internal},
		},
		Tags: []string{"xternal", "Inbound", "Outbound"},
	}
}

func TestSeedResponseDecodes(t *testing.T) {
	t.Parallel()
	body := readSeed(t, seedResponse)
	got, userErrs, err := decodeOne(body, "open001", time.UTC, time.Now())
	must(t, err)
	if len(userErrs) != 0 {
		t.Fatalf("user errors %v", userErrs)
	}
	sameOrder(t, got, seedOrder())
	var env struct{ Order json.RawMessage }
	_ = json.Unmarshal(body, &env)
	if !bytes.Equal(got.Raw, env.Order) {
		t.Fatal("Raw is not the order object verbatim")
	}
}

// seedShop serves the fixture as SHOPLINE v20220901 would: the order is
// found in the "partial" pass; the PUT answer is the response fixture.
type seedShop struct {
	mu      sync.Mutex
	put     *http.Request
	putBody []byte
	gets    []string
}

func (s *seedShop) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	s.mu.Lock()
	defer s.mu.Unlock()
	resp := readSeedNoT(seedResponse)
	switch {
	case r.Method == http.MethodGet && r.URL.Path == "/admin/openapi/v20220901/orders.json":
		s.gets = append(s.gets, r.URL.RawQuery)
		order := []byte("")
		if r.URL.Query().Get("fulfillment_status") == "partial" {
			var env struct{ Order json.RawMessage }
			_ = json.Unmarshal(resp, &env)
			order = env.Order
		}
		_, _ = w.Write([]byte(`{"orders":[` + string(order) + `]}`))
	case r.Method == http.MethodPut && r.URL.Path == "/admin/openapi/v20220901/orders/"+seedOrderID+".json":
		s.put = r
		s.putBody, _ = io.ReadAll(r.Body)
		_, _ = w.Write(resp)
	default:
		w.WriteHeader(http.StatusNotFound)
	}
}

func readSeedNoT(path string) []byte {
	b, err := os.ReadFile(path)
	if err != nil {
		panic(err)
	}
	return b
}

// The remark on the seed order sends exactly the request fixture, with the
// seed's Authorization header verbatim.
func TestSeedRemarkRequest(t *testing.T) {
	t.Parallel()
	fake := &seedShop{}
	srv := httptest.NewServer(fake)
	defer srv.Close()
	shop := newShop(t, backend.ShopConfig{Name: "open001", URL: srv.URL, APIVersion: "v20220901", Token: backend.NewSecret(seedToken())})
	o := seedOrder()
	got, err := shop.Apply(ctxT(t), o, backend.Action{Kind: backend.ActionRemark, Remark: "Gift wrapped; ships Monday"})
	must(t, err)
	sameOrder(t, got, seedOrder())

	var want bytes.Buffer
	if err := json.Compact(&want, readSeed(t, seedRequest)); err != nil {
		t.Fatal(err)
	}
	fake.mu.Lock()
	defer fake.mu.Unlock()
	if fake.put == nil || string(fake.putBody) != want.String() {
		t.Fatalf("PUT body = %s\nwant       %s", fake.putBody, want.String())
	}
	if auth := fake.put.Header.Get("Authorization"); auth != string(readSeed(t, "testdata/seeds/authorization_header.example.txt")) {
		t.Fatalf("Authorization = %q", auth)
	}
	if ct := fake.put.Header.Get("Content-Type"); ct != "application/json; charset=utf-8" {
		t.Fatalf("Content-Type = %q", ct)
	}
	// One fresh read, in the order's own pass first; "#" %-encoded.
	if len(fake.gets) != 1 || fake.gets[0] != "fulfillment_status=partial&name=%231032&status=any" {
		t.Fatalf("reads = %v", fake.gets)
	}
}

// remarkBody builds the request fixture from the decoded response fixture.
func TestSeedRemarkBody(t *testing.T) {
	t.Parallel()
	o, _, err := decodeOne(readSeed(t, seedResponse), "open001", time.UTC, time.Now())
	must(t, err)
	body, err := remarkBody(o, "Gift wrapped; ships Monday")
	must(t, err)
	got, _ := json.Marshal(body)
	var want bytes.Buffer
	_ = json.Compact(&want, readSeed(t, seedRequest))
	if string(got) != want.String() {
		t.Fatalf("body = %s\nwant   %s", got, want.String())
	}
}

// Shipping the seed order sends the unfulfilled line only, its id a JSON
// number.
func TestSeedShipBody(t *testing.T) {
	t.Parallel()
	o, _, err := decodeOne(readSeed(t, seedResponse), "open001", time.UTC, time.Now())
	must(t, err)
	body, err := shipBody(o, backend.Shipment{Carrier: "YunExpress", TrackingNumber: "YT2229521272160002"}, false)
	must(t, err)
	got, _ := json.Marshal(body)
	want := `{"fulfillment":{"line_items":[{"id":7100000000000000102,"quantity":1}],"tracking_number":"YT2229521272160002","tracking_company":"YunExpress","notify_customer":false}}`
	if string(got) != want {
		t.Fatalf("body = %s\nwant   %s", got, want)
	}
}
