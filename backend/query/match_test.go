package query

import (
	"fmt"
	"testing"
	"time"

	"orderdesk/backend"
)

type mut func(o *backend.Order)

func withState(s backend.State) mut { return func(o *backend.Order) { o.State = s } }
func withPending(state backend.EditState) mut {
	return func(o *backend.Order) { o.Pending = []backend.PendingEdit{{ID: "E1", State: string(state)}} }
}
func withTotal(amount, cur string) mut {
	return func(o *backend.Order) { o.Currency, o.Totals.GrandTotal = cur, backend.MustAmount(amount, cur) }
}

// matchRows cover every field and operator, each at least once matching
// and once not, against baseOrder (UTC, Now = testNow).
var matchRows = []struct {
	q    string
	mod  mut
	want bool
}{
	// free text: number, names, e-mail, SKU, title, tracking, city, province
	{"1100006600", nil, true},
	{"110000660", nil, true},
	{"999999", nil, false},
	{"王小明", nil, true},
	{"小明", nil, true},
	{"李娜", nil, false},
	{"WANGXM@", nil, true},
	{"example.cn", nil, true},
	{"lc79246s", nil, true},
	{"legging", nil, true},
	{"マグ", nil, true},
	{"有田焼", nil, true},
	{"RR202094584CN", nil, true},
	{"rr2020", nil, true},
	{"york", nil, true},
	{`"new york"`, nil, true},
	{`"york new"`, nil, false},
	{"ny", nil, true}, // province
	{"東京", nil, false},
	{"東京", func(o *backend.Order) { o.ShippingAddress.City, o.ShippingAddress.Province = "渋谷区", "東京都" }, true},
	{"東京", func(o *backend.Order) { o.ShippingAddress.City = "東京" }, true},
	{"ＬＣ７９２", nil, true}, // full-width input
	{"ΟΔΥΣΣΕΎΣ", func(o *backend.Order) { o.Customer.Name = "Οδυσσεύς" }, true}, // final sigma
	{"post", nil, false},           // carriers are not free text
	{"fecshop", nil, false},        // nor the platform
	{"legging\x00mug", nil, false}, // never across two values
	// free text: phones, digits only
	{`"+86 186-6183"`, nil, true},
	{`"+86 186-6183"`, func(o *backend.Order) { o.Customer.Phone = "+86 186-6183-2866" }, true},
	{"186-6183", nil, true},
	{"(186)6183", nil, true},
	{"555-0134", nil, true}, // shipping phone
	{`"+1 212"`, nil, true},
	{"555-0199", nil, false},
	{"12", nil, false},       // fewer than three digits: not a phone search
	{"0186-6183", nil, true}, // trunk 0 typed, not stored
	{"080-9876", func(o *backend.Order) { o.Customer.Phone = "+81 80-9876-5432" }, true},
	{`"+81 80-9876"`, func(o *backend.Order) { o.Customer.Phone = "080-9876-5432" }, true},
	{"0086-18661832866", nil, true},
	{"+44-186-6183", func(o *backend.Order) { o.Customer.Phone = "+86 186-6183-2866" }, false}, // another country
	{"+44-186-6183", nil, true}, // a phone stored without country code matches any
	{"86-186-6183", func(o *backend.Order) { o.Customer.Phone = "+86 186-6183-2866" }, true},
	{"0186-6183", func(o *backend.Order) { o.Customer.Phone = "+86 186-6183-2866" }, true},
	// negation and quotes
	{"-王小明", nil, false},
	{"-李娜", nil, true},
	{`-"new york"`, nil, false},
	{`-"new jersey"`, nil, true},
	{"王小明 legging", nil, true},
	{"王小明 bag", nil, false},
	// shop, platform
	{"shop:eu-store", nil, true},
	{"shop:EU-STORE", nil, true},
	{"shop:eu", nil, false},
	{"shop:other,eu-store", nil, true},
	{"-shop:eu-store", nil, false},
	{"platform:fecshop", nil, true},
	{"platform:shopline", nil, false},
	{"platform:shopify", nil, false},
	// status: axes, raw, label, archived
	{"status:paid", nil, true},
	{"status:open", nil, true},
	{"status:unfulfilled", nil, true},
	{"status:unshipped", nil, true},
	{"status:payment_confirmed", nil, true},
	{"status:PAYMENT_CONFIRMED", nil, true},
	{"status:cancelled", nil, false},
	{"status:canceled", withState(backend.State{Order: backend.OrderCancelled}), true},
	{"status:dispatched", nil, false},
	{"status:dispatched", func(o *backend.Order) { o.RawStatus["order_status"] = "dispatched" }, true},
	{"status:archived", nil, false},
	{"status:archived", withState(backend.State{Archived: true}), true},
	{`status:"200 paid"`, nil, false},
	{`status:"200 paid"`, func(o *backend.Order) { o.StatusLabel = "200 Paid" }, true},
	{"status:200", func(o *backend.Order) { o.RawStatus = map[string]string{"order_status": "200"} }, true},
	{"status:shipped", nil, false},
	{"status:shipped", withState(backend.State{Fulfillment: backend.FulDelivered}), true},
	{"status:hold", withState(backend.State{Order: backend.OrderOnHold}), true},
	{"status:nonsense", nil, false},
	{"status:nonsense,paid", nil, true},
	{"state:paid", nil, true},
	// pay, ship
	{"pay:paid", nil, true},
	{"pay:unpaid", nil, false},
	{"pay:unpaid,paid", nil, true},
	{"payment:paid", nil, true},
	{"pay:open", nil, false}, // an order-axis value on the payment axis
	{"pay:authorised", withState(backend.State{Payment: backend.PayAuthorized}), true},
	{"pay:partly-paid", withState(backend.State{Payment: backend.PayPartiallyPaid}), true},
	{"pay:nonsense", nil, false},
	{"-pay:nonsense", nil, true},
	{"ship:unfulfilled", nil, true},
	{"ship:unshipped", nil, true},
	{"ship:shipped", nil, false},
	{"ship:shipped", withState(backend.State{Fulfillment: backend.FulFulfilled}), true},
	{"ship:shipped", withState(backend.State{Fulfillment: backend.FulDelivered}), true},
	{"ship:shipped", withState(backend.State{Fulfillment: backend.FulPartial}), false},
	{"ship:received", withState(backend.State{Fulfillment: backend.FulDelivered}), true},
	{`ship:"on hold"`, withState(backend.State{Fulfillment: backend.FulOnHold}), true},
	{"ship:on-hold", nil, false},
	{"fulfillment:partially_shipped", withState(backend.State{Fulfillment: backend.FulPartial}), true},
	// country
	{"country:us", nil, true},
	{"country:US", nil, true},
	{`country:"united states"`, nil, true},
	{"country:united", nil, false},
	{"country:cn", nil, false},
	{"country:CN,US", nil, true},
	{"country:us", func(o *backend.Order) { o.ShippingAddress = nil }, false},
	{"-country:us", func(o *backend.Order) { o.ShippingAddress = nil }, true},
	// substring fields
	{"sku:79246", nil, true},
	{"sku:mug-jp", nil, true},
	{"sku:xyz", nil, false},
	{"title:flowery", nil, true},
	{"title:マグ", nil, true},
	{"title:bag", nil, false},
	{"carrier:post", nil, true},
	{"carrier:ups", nil, false},
	{`tracking:"RR-2020 9458"`, nil, true},
	{"tracking:rr2020", nil, true},
	{"tracking:RR999", nil, false},
	{"email:wangxm", nil, true},
	{"email:gmail", nil, false},
	{"name:小明", nil, true},
	{"name:legging", nil, false},
	{"city:york", nil, true},
	{`city:"new york"`, nil, true},
	{"city:ny", nil, false}, // province is not the city
	{"city:paris", nil, false},
	{"number:0066", nil, true},
	{"number:1001", func(o *backend.Order) { o.Number = "#1001" }, true},
	{"number:9999", nil, false},
	{"number:wang", nil, false},
	// phone
	{`phone:"+86 186 6183 2866"`, nil, true},
	{"phone:2866", nil, true},
	{"phone:999", nil, false},
	{"phone:1100006600", nil, false}, // the order number is not a phone
	// tag, currency
	{"tag:vip", nil, true},
	{"tag:VIP", nil, true},
	{"tag:whole", nil, false},
	{"tag:repeat,wholesale", nil, true},
	{"tag:vip", func(o *backend.Order) { o.Tags = nil }, false},
	{"currency:usd", nil, true},
	{"currency:jpy", nil, false},
	{"currency:jpy,usd", nil, true},
	// total
	{"total>12", nil, true},
	{"total>12.93", nil, false},
	{"total>=12.93", nil, true},
	{"total>=12.94", nil, false},
	{"total<13", nil, true},
	{"total<12.93", nil, false},
	{"total<=12.93", nil, true},
	{"total<=12.92", nil, false},
	{"total=12.93", nil, true},
	{"total=12.9300", nil, true},
	{"total:12.93", nil, true},
	{"total:>12", nil, true},
	{"total=12.9", nil, false},
	{"total=12.9", withTotal("12.90", "USD"), true},
	{"total>=12usd", nil, true},
	{`total>="12 USD"`, nil, true},
	{"total>=12eur", nil, false},
	{"total>100USD", withTotal("120", "USD"), true},
	{"total>100usd", withTotal("120", "USD"), true},
	{`total>"100 USD"`, withTotal("120", "USD"), true},
	{"total>100USD", withTotal("1200", "JPY"), false}, // another currency, however large
	{"total>100", withTotal("1200", "JPY"), true},     // a bare amount: each in its own currency
	{"total<100USD", withTotal("20", "EUR"), false},
	{"total>-1", nil, true},
	{"total>1000", withTotal("1200", "JPY"), true},
	{"total<=1200", withTotal("1200", "JPY"), true},
	{"total=1200.00", withTotal("1200", "JPY"), true},
	{"total>1200", withTotal("1200", "JPY"), false},
	{"total>1199.99", withTotal("1200", "JPY"), true},
	{"total=0.125", withTotal("0.125", "USD"), true}, // sub-minor digits are kept
	{"total<0.13", withTotal("0.125", "USD"), true},
	// created, updated: literals (UTC here; zones in TestDateLiteralsInShopZone)
	{"created>2024-03-09", nil, true},
	{"created>2024-03-10", nil, false},
	{"created>=2024-03-10", nil, true},
	{"created<2024-03-10", nil, false},
	{"created<2024-03-11", nil, true},
	{"created<=2024-03-10", nil, true},
	{"created<=2024-03-09", nil, false},
	{"created=2024-03-10", nil, true},
	{"created:2024-03-11", nil, false},
	{"created=2024-03", nil, true},
	{"created>=2024-04", nil, false},
	{"created=2024-03-10T12:00", nil, true},
	{"created=2024-03-10t12:01", nil, false},
	{"created>2024-03-10T11:59:59", nil, true},
	{"created>2024-03-10T12:00:00", nil, false},
	{`created="2024-03-10 12:00"`, nil, true},
	{"created=2024-03-10T12:00:00Z", nil, true},
	{"created<2024-03-10T20:00+08:00", nil, false},
	{"created<=2024-03-10T20:00+08:00", nil, true},
	{"updated>2024-03-10", nil, true},
	{"updated<2024-03-11", nil, false},
	// created, updated: ages (Now is exactly 7 days after created)
	{"created<7d", nil, false},
	{"created<=7d", nil, true},
	{"created>7d", nil, false},
	{"created>=7d", nil, true},
	{"created<8d", nil, true},
	{"created>6d", nil, true},
	{"created<168h", nil, false},
	{"created<169h", nil, true},
	{"created<=1w", nil, true},
	{"created<2w", nil, true},
	{"created>2w", nil, false},
	{"updated<7d", nil, true},
	{"updated>7d", nil, false},
	{"created<8d", func(o *backend.Order) { o.CreatedAt = nil }, false},
	{"-created<8d", func(o *backend.Order) { o.CreatedAt = nil }, true},
	{"updated>2000-01-01", func(o *backend.Order) { o.UpdatedAt = nil }, false},
	// is:
	{"is:pending", nil, false},
	{"is:pending", withPending(backend.EditPending), true},
	{"is:pending", withPending(backend.EditSending), true},
	{"is:pending", withPending(backend.EditUnknown), true},
	{"is:pending", withPending(backend.EditFailed), false},
	{"is:failed", withPending(backend.EditFailed), true},
	{"is:failed", withPending(backend.EditConflict), false},
	{"is:conflict", withPending(backend.EditConflict), true},
	{"is:conflict", nil, false},
	{"is:attention", nil, false},
	{"is:attention", withPending(backend.EditUnknown), true},
	{"is:attention", withPending(backend.EditFailed), true},
	{"is:attention", withPending(backend.EditConflict), true},
	{"is:attention", withPending(backend.EditDone), false},
	{"is:archived", nil, false},
	{"is:archived", withState(backend.State{Order: backend.OrderOpen, Archived: true}), true},
	{"is:open", nil, true},
	{"is:open", withState(backend.State{Order: backend.OrderOnHold}), true},
	{"is:open", withState(backend.State{Order: backend.OrderCompleted}), false},
	{"is:cancelled", nil, false},
	{"is:canceled", withState(backend.State{Order: backend.OrderCancelled}), true},
	{"is:completed", withState(backend.State{Order: backend.OrderCompleted}), true},
	{"is:inferred", nil, false},
	{"is:inferred", withState(backend.State{Inferred: true}), true},
	{"is:failed,conflict", withPending(backend.EditConflict), true},
	{"-is:attention", nil, true},
	// combinations
	{"", nil, true},
	{"   ", nil, true},
	{"country:us pay:paid -is:archived total>10 王", nil, true},
	{"country:us pay:paid -is:archived total>20 王", nil, false},
}

func TestMatch(t *testing.T) {
	t.Parallel()
	for _, r := range matchRows {
		o := baseOrder()
		if r.mod != nil {
			r.mod(o)
		}
		q := mustParse(t, r.q)
		d := NewDoc(o, time.UTC)
		if got := q.Match(&d); got != r.want {
			t.Errorf("%q: Match = %v, want %v", r.q, got, r.want)
		}
		if got := q.MatchOrder(o); got != r.want {
			t.Errorf("%q: MatchOrder = %v, want %v", r.q, got, r.want)
		}
	}
}

// TestConcurrentUse shares one Query and one set of Docs between
// goroutines, as SSH sessions of the desk would (run with -race).
func TestConcurrentUse(t *testing.T) {
	t.Parallel()
	docs := sampleDocs(t)
	q := mustParse(t, "王 pay:paid -is:archived total>1")
	want := q.Filter(docs, nil)
	errs := make(chan string, 8)
	for range 8 {
		go func() {
			got := q.Filter(docs, nil)
			if len(got) != len(want) {
				errs <- fmt.Sprintf("%d matches, want %d", len(got), len(want))
				return
			}
			errs <- ""
		}()
	}
	for range 8 {
		if e := <-errs; e != "" {
			t.Fatal(e)
		}
	}
	if len(want) == 0 {
		t.Fatal("the query matches no sample order")
	}
}
