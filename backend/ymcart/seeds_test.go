package ymcart

import (
	"bytes"
	"encoding/json"
	"errors"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"
	"time"

	"orderdesk/backend"
	"orderdesk/backend/transport"
)

func seed(t testing.TB, name string) []byte {
	t.Helper()
	b, err := os.ReadFile(filepath.Join("testdata", "seeds", name))
	if err != nil {
		t.Fatal(err)
	}
	return b
}

func seedShop(t *testing.T) *Shop {
	return newShop(t, backend.ShopConfig{Name: "ym", URL: "http://shop.invalid", Token: backend.NewSecret("seed-token-0001"), Timezone: time.FixedZone("CST", 8*3600)})
}

func at(s string) *time.Time {
	t, err := time.Parse(time.RFC3339, s)
	if err != nil {
		panic(err)
	}
	return &t
}

func usd(s string) backend.Amount { return backend.MustAmount(s, "USD") }

// The orderList example: one new order, its only address a billing row.
func TestSeedOrderList(t *testing.T) {
	t.Parallel()
	body := seed(t, "orderList_response.json")
	synced := time.Date(2026, 1, 2, 3, 4, 5, 0, time.UTC)
	orders, count, err := seedShop(t).decodePage(body, synced)
	if err != nil {
		t.Fatal(seen(err))
	}
	if count != 400 || len(orders) != 1 {
		t.Fatalf("count %d, %d orders; want 400 and 1", count, len(orders))
	}
	addr := &backend.Address{Name: "cqz", Line1: "tian rui 99", City: "xiamen", Province: "fujian", Zip: "361004",
		CountryCode: "CN", Country: "China", Phone: "1541441", Email: "1602279268@qq.com"}
	want := &backend.Order{
		Ref: backend.Ref{Shop: "ym", Number: "SY20160902-595"}, Shop: "ym", Platform: backend.YMCart,
		ID: "595", Number: "SY20160902-595",
		State:       backend.State{Order: backend.OrderOpen, Payment: backend.PayUnpaid, Fulfillment: backend.FulUnfulfilled},
		RawStatus:   map[string]string{"order_status": "100", "payment_status": "100", "shipping_status": "0"},
		StatusLabel: "100 new",
		CreatedAt:   at("2016-09-02T04:03:52Z"),
		UpdatedAt:   at("2016-09-02T04:03:52Z"), // act_time "0", never paid: the creation
		Currency:    "USD",
		Totals: backend.Totals{Subtotal: usd("1.80"), Shipping: usd("10.00"), Discount: usd("0.00"), Tax: usd("0.00"),
			Fee: usd("1.13"), GrandTotal: usd("12.93")},
		Customer:        backend.Customer{Name: "cqz", Email: "1602279268@qq.com", Phone: "1541441"},
		ShippingAddress: addr,
		BillingAddress:  addr,
		Items: []backend.Item{{SKU: "LC79246S", Title: "Low Rise Flowery Legging", Variant: "Color:As shown, Size:S", Qty: 1,
			UnitPrice: usd("1.80"), RowTotal: usd("1.80"), WeightG: 130,
			Image: "http://cn01.imgcdn.ymcart.com/24073/2016/07/18/a/a/aae1d529a581e72a.jpg"}},
		Payments: []backend.Payment{{Method: "Amazon Payment", Amount: usd("12.93"), Currency: "USD", Status: "unpaid"}},
		SyncedAt: &synced,
	}
	o := orders[0]
	if got, exp := asTruth(o), asTruth(want); got != exp {
		t.Errorf("order:\n%s\nwant:\n%s", got, exp)
	}
	if !o.SyncedAt.Equal(synced) {
		t.Errorf("synced_at %v", o.SyncedAt)
	}
	if !bytes.HasPrefix(o.Raw, []byte(`{"0":"595","id":"595"`)) || !bytes.HasSuffix(o.Raw, []byte(`"country_name":"China"}]}`)) || !bytes.Contains(body, o.Raw) {
		t.Errorf("raw is not the order object verbatim: %.80s", o.Raw)
	}
	if s := o.Totals.GrandTotal.String(); s != "12.93" {
		t.Errorf("grand total %q, want 12.93 (not 12.9300)", s)
	}
}

func TestSeedDeliveryList(t *testing.T) {
	t.Parallel()
	got, err := decodeDeliveries(seed(t, "deliveryList_response.json"))
	if err != nil {
		t.Fatal(seen(err))
	}
	want := []Delivery{
		{ID: "55", OrderID: "479", UserID: "107", TrackingNumber: "UPS95338", CarrierID: "28", Carrier: "UPS",
			Cost: backend.MustAmount("0", ""), CreatedAt: at("2016-08-24T07:45:33Z"), Remark: "ups尽快发货"},
		{ID: "54", OrderID: "454", UserID: "63", TrackingNumber: "test123", CarrierID: "30", Carrier: "EMS",
			Cost: backend.MustAmount("0", ""), CreatedAt: at("2016-08-24T06:19:50Z"), Remark: "666"},
	}
	if got.Total != 32 || len(got.Deliveries) != 2 {
		t.Fatalf("total %d, %d rows", got.Total, len(got.Deliveries))
	}
	for i := range want {
		d := got.Deliveries[i]
		if !bytes.HasPrefix(d.Raw, []byte(`{"0":"5`)) {
			t.Errorf("row %d raw %.40s", i, d.Raw)
		}
		d.Raw = nil
		if !reflect.DeepEqual(d, want[i]) {
			t.Errorf("row %d:\n got %+v\nwant %+v", i, d, want[i])
		}
		if sh := d.Shipment(); sh.Carrier != want[i].Carrier || sh.TrackingNumber != want[i].TrackingNumber || !sh.ShippedAt.Equal(*want[i].CreatedAt) {
			t.Errorf("row %d as shipment: %+v", i, sh)
		}
	}
	if c := got.Deliveries[0].Cost.String(); c != "0.00" {
		t.Errorf("cost %q", c)
	}
}

func seedOrder(number, status string) *backend.Order {
	return &backend.Order{Number: number, RawStatus: map[string]string{"order_status": status}}
}

// The three write answers, read against the orders the docs' requests name.
func TestSeedWriteAnswers(t *testing.T) {
	t.Parallel()
	s := seedShop(t)
	status := func(n, v string) backend.Target {
		return backend.Target{Order: seedOrder(n, "100"), Action: backend.Action{Kind: backend.ActionStatus, Status: v}}
	}
	remark := func(n, text string) backend.Target {
		return backend.Target{Order: seedOrder(n, "200"), Action: backend.Action{Kind: backend.ActionRemark, Remark: text}}
	}
	ship := func(n, no, carrier string) backend.Target {
		return backend.Target{Order: seedOrder(n, "200"), Action: backend.Action{Kind: backend.ActionShip, Shipment: backend.Shipment{TrackingNumber: no, Carrier: carrier}}}
	}
	cases := []struct {
		file    string
		targets []backend.Target
		want    []error  // kinds, nil = success
		reasons []string // substring of each error's reason
	}{
		// Lists only the failure: the other order is unconfirmed, not "success".
		{"orderStatus_response.json", []backend.Target{status("SY20160901-593", "200"), status("SY20160912-xxx", "700")},
			[]error{backend.ErrOutcomeUnknown, backend.ErrNotFound}, []string{"does not mention", "order_404"}},
		{"orderRemark_response.json", []backend.Target{remark("SY20160901-593", "remark test 001"), remark("SY20160912-xxx", "remark test 002")},
			[]error{nil, backend.ErrNotFound}, []string{"", "order_404"}},
		{"orderShip_response.json", []backend.Target{ship("SY20160901-593", "LN00000000", "DHL"), ship("SY20160912-596", "LN00111111", "FEDEX")},
			[]error{nil, backend.ErrRejected}, []string{"", "order_status_limit"}},
	}
	for _, c := range cases {
		t.Run(c.file, func(t *testing.T) {
			res, err := decodeResults(seed(t, c.file))
			if err != nil {
				t.Fatal(seen(err))
			}
			for i, tg := range c.targets {
				err := seen(s.resultError(tg, res))
				if c.want[i] == nil && err != nil || c.want[i] != nil && !errors.Is(err, c.want[i]) {
					t.Errorf("%s: got %v, want %v", tg.Order.Number, err, c.want[i])
				}
				if c.reasons[i] != "" && !strings.Contains(backend.Reason(err), c.reasons[i]) {
					t.Errorf("%s: reason %q lacks %q", tg.Order.Number, backend.Reason(err), c.reasons[i])
				}
			}
		})
	}
}

// The documented request bodies, built by the adapter for the same actions.
func TestSeedWriteRequests(t *testing.T) {
	t.Parallel()
	// remark_res: the desk's two remarks produce the example byte for byte.
	got, err := encodeBatch(backend.ActionRemark, []backend.Target{
		{Order: seedOrder("SY20160901-593", "200"), Action: backend.Action{Kind: backend.ActionRemark, Remark: "remark test 001"}},
		{Order: seedOrder("SY20160912-xxx", "600"), Action: backend.Action{Kind: backend.ActionRemark, Remark: "remark test 002"}},
	})
	if want := string(seed(t, "orderRemark_remark_res.json")); err != nil || got != want {
		t.Errorf("remark_res:\n got %s\nwant %s (%v)", got, want, err)
	}

	// status_res: the desk sends itemno and status (a number); the payment
	// fields of the first example entry are optional and the entry type
	// writes them in the documented order when set.
	got, err = encodeBatch(backend.ActionStatus, []backend.Target{
		{Order: seedOrder("SY20160901-593", "100"), Action: backend.Action{Kind: backend.ActionStatus, Status: "200"}},
		{Order: seedOrder("SY20160912-xxx", "301"), Action: backend.Action{Kind: backend.ActionStatus, Status: "700"}},
	})
	example := seed(t, "orderStatus_status_res.json")
	if want := `[{"itemno":"SY20160901-593","status":200},{"itemno":"SY20160912-xxx","status":700}]`; err != nil || got != want {
		t.Errorf("status_res: got %s, want %s (%v)", got, want, err)
	}
	if !strings.HasSuffix(string(example), `{"itemno":"SY20160912-xxx","status":700}]`) {
		t.Errorf("the example's second entry is not what the desk sends")
	}
	full, _ := json.Marshal([]statusRes{
		{Itemno: "SY20160901-593", Status: 200, TransactionID: "SD3232323DD", ReceiveAccount: "test@paypal.com", PaymentMethod: "paypal"},
		{Itemno: "SY20160912-xxx", Status: 700},
	})
	if string(full) != string(example) {
		t.Errorf("status_res entry type:\n got %s\nwant %s", full, example)
	}

	// shipno_res: the first entry byte for byte; the second example entry
	// omits the optional remarks, which the desk sends empty.
	got, err = encodeBatch(backend.ActionShip, []backend.Target{
		{Order: seedOrder("SY20160901-593", "200"), Action: backend.Action{Kind: backend.ActionShip, Shipment: backend.Shipment{TrackingNumber: "LN00000000", Carrier: "DHL"}}},
		{Order: seedOrder("SY20160912-596", "301"), Action: backend.Action{Kind: backend.ActionShip, Shipment: backend.Shipment{TrackingNumber: "LN00111111", Carrier: "FEDEX", TrackingURL: "https://fedex.example/LN00111111"}}},
	})
	if err != nil {
		t.Fatal(err)
	}
	var gotList, wantList []map[string]any
	if err := json.Unmarshal([]byte(got), &gotList); err != nil {
		t.Fatal(err)
	}
	ex := seed(t, "orderShip_shipno_res.json")
	if err := json.Unmarshal(ex, &wantList); err != nil {
		t.Fatal(err)
	}
	first := ex[1 : bytes.Index(ex, []byte("},{"))+1]
	if !strings.HasPrefix(got, "["+string(first)+",") {
		t.Errorf("shipno_res first entry:\n got %s\nwant %s", got, first)
	}
	wantList[1]["remark"], wantList[1]["remark_user"] = "", ""
	if !reflect.DeepEqual(gotList, wantList) {
		t.Errorf("shipno_res:\n got %v\nwant %v", gotList, wantList)
	}
}

// orderEdit is not a desk action; its three request payloads are checked
// to carry exactly the documented fields, and its answer reads as success.
func TestSeedOrderEdit(t *testing.T) {
	t.Parallel()
	strict := func(name string, v any) {
		d := json.NewDecoder(bytes.NewReader(seed(t, name)))
		d.DisallowUnknownFields()
		d.UseNumber()
		if err := d.Decode(v); err != nil {
			t.Fatalf("%s: %v", name, err)
		}
	}
	var o struct {
		CostShipping  json.Number `json:"cost_shipping"`
		CostInsurance json.Number `json:"cost_insurance"`
		CostOffer     json.Number `json:"cost_offer"`
	}
	strict("orderEdit_order.json", &o)
	if o.CostShipping != "10" || o.CostInsurance != "2.5" || o.CostOffer != "0" {
		t.Errorf("order: %+v", o)
	}
	var items []struct {
		SKU    string `json:"sku_codeno"`
		BuyNum int    `json:"buy_num"`
	}
	strict("orderEdit_order_item.json", &items)
	if len(items) != 3 || items[0].SKU != "LC27768-9S" || items[0].BuyNum != 3 || items[1].BuyNum != 10 || items[2].SKU != "LC22248-3" {
		t.Errorf("order_item: %+v", items)
	}
	var addr struct {
		First   string `json:"first_name"`
		Last    string `json:"last_name"`
		Country string `json:"country_code_2"`
		State   string `json:"state"`
		City    string `json:"city"`
		Address string `json:"address"`
		Post    string `json:"postcode"`
		Mobile  string `json:"mobilephone"`
		Tel     string `json:"telephone"`
		Email   string `json:"email"`
	}
	strict("orderEdit_order_address.json", &addr)
	if addr.First != "noven" || addr.Last != "hong" || addr.Country != "MX" || addr.Mobile != "18649942017" || addr.Email != "527305988@qq.com" {
		t.Errorf("order_address: %+v", addr)
	}
	ans := seed(t, "orderEdit_response.json")
	if err := envelope(&transport.Response{Status: 200, Body: ans}); err != nil {
		t.Errorf("envelope: %v", seen(err))
	}
	if res, err := decodeResults(ans); err != nil || len(res) != 0 {
		t.Errorf("answer: %v, %v", res, seen(err))
	}
}
