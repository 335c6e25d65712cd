package query

import (
	"strings"
	"testing"
	"time"

	"orderdesk/backend"
	"orderdesk/backend/simshop"
)

// simShops are the simulated shops tests and benchmarks draw orders from.
var simShops = []struct {
	name string
	p    backend.Platform
	tz   string
}{
	{"eu-fecshop", backend.Fecshop, "Europe/Berlin"},
	{"cn-fecmall", backend.Fecmall, "Asia/Shanghai"},
	{"sl-global", backend.Shopline, "Asia/Singapore"},
	{"ym-erp", backend.YMCart, "Asia/Shanghai"},
}

// simNow is simshop's default generation time.
var simNow = time.Date(2026, 11, 1, 0, 0, 0, 0, time.UTC)

// simOrders returns the truth of n orders per simulated shop, with shop
// and ref set as the cache would, and every shop's zone.
func simOrders(t testing.TB, n int) ([]*backend.Order, map[string]*time.Location) {
	t.Helper()
	var out []*backend.Order
	zones := map[string]*time.Location{}
	for _, s := range simShops {
		loc := loadLoc(t, s.tz)
		srv, err := simshop.New(s.p, simshop.Options{Orders: n, Seed: 1, Timezone: loc})
		if err != nil {
			t.Fatal(err)
		}
		for _, o := range srv.Orders() {
			o.Shop, o.Ref = s.name, backend.Ref{Shop: s.name, Number: o.Number}
			out = append(out, o)
		}
		srv.Close()
		zones[s.name] = loc
	}
	return out, zones
}

func anyOf[T any](list []T, f func(T) bool) bool {
	for _, v := range list {
		if f(v) {
			return true
		}
	}
	return false
}

func ship(o *backend.Order) backend.Address {
	if o.ShippingAddress == nil {
		return backend.Address{}
	}
	return *o.ShippingAddress
}

func phoneDigits(o *backend.Order) []string {
	return []string{digits(o.Customer.Phone), digits(ship(o).Phone), digits(addressPhone(o.BillingAddress))}
}

// TestSimshopTruth runs queries over 800 generated orders and compares
// each result with the same condition written directly against the
// order. Every query must match some orders and not all of them.
func TestSimshopTruth(t *testing.T) {
	t.Parallel()
	orders, zones := simOrders(t, 200)
	hundred := backend.MustAmount("100", "USD")
	rows := []struct {
		q    string
		want func(o *backend.Order) bool
	}{
		{"pay:paid", func(o *backend.Order) bool { return o.State.Payment == backend.PayPaid }},
		{"ship:shipped", func(o *backend.Order) bool {
			return o.State.Fulfillment == backend.FulFulfilled || o.State.Fulfillment == backend.FulDelivered
		}},
		{"ship:unshipped pay:paid", func(o *backend.Order) bool {
			return o.State.Fulfillment == backend.FulUnfulfilled && o.State.Payment == backend.PayPaid
		}},
		{"-status:cancelled", func(o *backend.Order) bool { return o.State.Order != backend.OrderCancelled }},
		{"status:dispatched", func(o *backend.Order) bool { return o.RawStatus["order_status"] == "dispatched" }},
		{"status:200", func(o *backend.Order) bool {
			return anyOf([]string{"order_status", "payment_status"}, func(k string) bool { return o.RawStatus[k] == "200" })
		}},
		{"platform:shopline,ymcart", func(o *backend.Order) bool {
			return o.Platform == backend.Shopline || o.Platform == backend.YMCart
		}},
		{"shop:cn-fecmall", func(o *backend.Order) bool { return o.Shop == "cn-fecmall" }},
		{"country:cn", func(o *backend.Order) bool { return ship(o).CountryCode == "CN" }},
		// Names match only where the platform sent one (Fecmall sends codes only).
		{"country:japan", func(o *backend.Order) bool { return ship(o).Country == "Japan" }},
		{"currency:jpy", func(o *backend.Order) bool { return o.Currency == "JPY" }},
		{"tag:vip", func(o *backend.Order) bool {
			return anyOf(o.Tags, func(s string) bool { return strings.EqualFold(s, "vip") })
		}},
		{"is:archived", func(o *backend.Order) bool { return o.State.Archived }},
		{"is:inferred", func(o *backend.Order) bool { return o.State.Inferred }},
		{"total>100", func(o *backend.Order) bool { return o.Totals.GrandTotal.Cmp(hundred) > 0 }},
		{"total<=100usd", func(o *backend.Order) bool { return o.Currency == "USD" && o.Totals.GrandTotal.Cmp(hundred) <= 0 }},
		{"created<30d", func(o *backend.Order) bool { return o.CreatedAt.After(simNow.Add(-30 * 24 * time.Hour)) }},
		{"updated>60d", func(o *backend.Order) bool { return o.UpdatedAt.Before(simNow.Add(-60 * 24 * time.Hour)) }},
		{"created>=2026-09-01", func(o *backend.Order) bool {
			return !o.CreatedAt.In(zones[o.Shop]).Before(time.Date(2026, 9, 1, 0, 0, 0, 0, zones[o.Shop]))
		}},
		{"王小明", func(o *backend.Order) bool { return o.Customer.Name == "王小明" }},
		{"渋谷", func(o *backend.Order) bool { return ship(o).City == "渋谷区" }},
		{"東京", func(o *backend.Order) bool { return ship(o).Province == "東京都" }},
		{"москва", func(o *backend.Order) bool { return ship(o).City == "Москва" }},
		{`"+86 186-6183"`, func(o *backend.Order) bool {
			return anyOf(phoneDigits(o), func(p string) bool { return strings.Contains(p, "1866183") })
		}},
		{"+81 90-1234-5678", func(o *backend.Order) bool { // pasted as copied
			return anyOf(phoneDigits(o), func(p string) bool { return strings.HasSuffix(p, "9012345678") })
		}},
		{"(090) 1234-5678", func(o *backend.Order) bool {
			return anyOf(phoneDigits(o), func(p string) bool { return strings.HasSuffix(p, "9012345678") })
		}},
		{"sku:lc79", func(o *backend.Order) bool {
			return anyOf(o.Items, func(it backend.Item) bool { return it.SKU == "LC79246S" })
		}},
		{"龙井", func(o *backend.Order) bool {
			return anyOf(o.Items, func(it backend.Item) bool { return strings.Contains(it.Title, "龙井") })
		}},
		{"carrier:express", func(o *backend.Order) bool {
			return anyOf(o.Shipments, func(s backend.Shipment) bool { return strings.Contains(s.Carrier, "Express") })
		}},
		{"tracking:rr2", func(o *backend.Order) bool {
			return anyOf(o.Shipments, func(s backend.Shipment) bool { return strings.HasPrefix(s.TrackingNumber, "RR2") })
		}},
		{"number:#10", func(o *backend.Order) bool { return strings.Contains(o.Number, "#10") }},
		{"email:example.jp", func(o *backend.Order) bool { return strings.HasSuffix(o.Customer.Email, "example.jp") }},
		{`city:"new york" -pay:paid`, func(o *backend.Order) bool {
			return ship(o).City == "New York" && o.State.Payment != backend.PayPaid
		}},
	}
	docs := make([]Doc, len(orders))
	for i, o := range orders {
		docs[i] = NewDoc(o, zones[o.Shop])
	}
	opt := Options{Now: simNow, Loc: func(shop string) *time.Location { return zones[shop] }}
	for _, r := range rows {
		q, err := Parse(r.q, opt)
		if err != nil {
			t.Fatal(err)
		}
		n := 0
		for i, o := range orders {
			want := r.want(o)
			if got := q.Match(&docs[i]); got != want {
				t.Errorf("%q on %s: Match = %v, want %v", r.q, o.Ref, got, want)
			}
			if got := q.MatchOrder(o); got != want {
				t.Errorf("%q on %s: MatchOrder = %v, want %v", r.q, o.Ref, got, want)
			}
			if want {
				n++
			}
		}
		if n == 0 || n == len(orders) {
			t.Errorf("%q matches %d of %d orders: the row tests nothing", r.q, n, len(orders))
		}
	}
}
