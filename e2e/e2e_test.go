package e2e

import (
	"encoding/csv"
	"encoding/json"
	"fmt"
	"os"
	"slices"
	"strings"
	"testing"
	"time"

	"orderdesk/backend"
	"orderdesk/backend/simshop"
)

// TestSyncThenListEqualsTruth: after a sync of all four platforms, the
// cached listing equals every shop's ground truth field for field; a second
// sync is incremental and changes nothing.
func TestSyncThenListEqualsTruth(t *testing.T) {
	t.Parallel()
	r := newRig(t, fourShops(24))
	out, progress, code := r.run("sync")
	if code != 0 {
		t.Fatalf("sync: exit %d: %s", code, progress)
	}
	for _, name := range r.names {
		if !strings.Contains(out, name) || !strings.Contains(progress, name+": done: 24 orders") {
			t.Errorf("sync summary or progress lacks %s:\n%s\n%s", name, out, progress)
		}
	}
	truth := r.truth()
	got := r.listJSON()
	if len(got) != len(truth) {
		t.Fatalf("list has %d orders, truth %d", len(got), len(truth))
	}
	for i, o := range got {
		want, ok := truth[o.Ref.String()]
		if !ok {
			t.Errorf("listed %s is not in the truth", o.Ref)
			continue
		}
		if g, w := comparable(o), comparable(want); g != w {
			t.Errorf("%s differs from the truth:\ngot  %s\nwant %s", o.Ref, g, w)
		}
		if o.SyncedAt == nil {
			t.Errorf("%s has no synced_at", o.Ref)
		}
		if i > 0 && got[i-1].CreatedAt != nil && o.CreatedAt != nil && got[i-1].CreatedAt.Before(*o.CreatedAt) {
			t.Errorf("list is not newest first at %d: %s before %s", i, got[i-1].Ref, o.Ref)
		}
	}
	out = r.must(0, "sync")
	if !strings.Contains(out, "incremental") {
		t.Errorf("second sync is not incremental:\n%s", out)
	}
	if again := r.listJSON(); len(again) != len(got) {
		t.Errorf("after a second sync %d orders, before %d", len(again), len(got))
	}
	if n := len(r.listJSON("--limit", "5")); n != 5 {
		t.Errorf("--limit 5 gave %d", n)
	}
	if n := len(r.listJSON("--shop", "ym")); n != 24 {
		t.Errorf("--shop ym gave %d", n)
	}
	// CSV: a header, one record per order, the same orders in the same order.
	recs, err := csv.NewReader(strings.NewReader(r.must(0, "list", "--format", "csv"))).ReadAll()
	if err != nil || len(recs) != len(got)+1 || recs[0][0] != "ref" {
		t.Fatalf("csv: %v, %d records", err, len(recs))
	}
	for i, rec := range recs[1:] {
		if rec[0] != got[i].Ref.String() || rec[17] != got[i].Totals.GrandTotal.String() || rec[4] != got[i].CreatedAt.Format(time.RFC3339) {
			t.Errorf("csv row %d: %v", i, rec[:5])
		}
	}
}

// TestShowAndRefs covers show in both formats and every REF form.
func TestShowAndRefs(t *testing.T) {
	t.Parallel()
	shops := fourShops(8)
	shops = append(shops, rigShop{"eu2", backend.Fecshop, shops[0].opt, ""}) // same numbers as eu
	r := newRig(t, shops)
	r.must(0, "sync")
	truth := r.truth()
	sl := r.shops["sl"].Orders()[0]
	// SHOPLINE numbers carry '#': the ref works with and without it.
	for _, ref := range []string{"sl:" + sl.Number, "sl:" + strings.TrimPrefix(sl.Number, "#"), strings.TrimPrefix(sl.Number, "#")} {
		out := r.must(0, "show", ref, "--format", "json")
		var o backend.Order
		if err := json.Unmarshal([]byte(out), &o); err != nil {
			t.Fatal(err)
		}
		if comparable(o) != comparable(truth["sl:"+sl.Number]) {
			t.Errorf("show %s differs from the truth", ref)
		}
	}
	ym := r.shops["ym"].Orders()[0]
	text := r.must(0, "show", "ym:"+ym.Number)
	for _, want := range []string{"ym:" + ym.Number, ym.Customer.Name, ym.Totals.GrandTotal.String(), "Ship to", "Items"} {
		if !strings.Contains(text, want) {
			t.Errorf("show text lacks %q:\n%s", want, text)
		}
	}
	eu := r.shops["eu"].Orders()[0]
	_, errOut, code := r.run("show", eu.Number)
	if code != 2 || !strings.Contains(errOut, "eu:"+eu.Number) || !strings.Contains(errOut, "eu2:"+eu.Number) {
		t.Errorf("ambiguous bare number: exit %d, stderr %q; want 2 listing both", code, errOut)
	}
	for _, bad := range [][]string{
		{"show", "nosuch:1"},         // unknown shop
		{"show", "eu:no-such-order"}, // unknown order
		{"show", ":"},                // malformed
		{"show"},                     // missing
		{"show", "eu:" + eu.Number, "--format", "yaml"},
		{"list", "--filter", "frobnicate:3"},
		{"list", "--filter", "total>abc"},
		{"list", "--shop", "nosuch"},
		{"ship", "nosuch:1", "--carrier", "UPS", "--tracking", "1Z999AA10123456784"},
	} {
		if _, errOut, code := r.run(bad...); code != 2 || errOut == "" {
			t.Errorf("%v: exit %d, stderr %q; want 2 with a message", bad, code, errOut)
		}
	}
}

// TestEveryFilterField runs each filter field of SPEC §7 through the CLI
// and compares the refs with a predicate written here over the truth.
func TestEveryFilterField(t *testing.T) {
	t.Parallel()
	if testing.Short() {
		t.Skip("-short: a list per filter field takes some 10 s")
	}
	r := newRig(t, fourShops(30))
	r.must(0, "sync")
	truth := r.truth()
	var withTag, withShip, withPhone backend.Order
	for _, o := range truth {
		if len(o.Tags) > 0 {
			withTag = o
		}
		if len(o.Shipments) > 0 && o.Shipments[0].Carrier != "" {
			withShip = o
		}
		if len(o.Customer.Phone) > 8 {
			withPhone = o
		}
	}
	lower := strings.ToLower
	cases := []struct {
		filter string
		want   func(o backend.Order) bool
	}{
		{"shop:ym", func(o backend.Order) bool { return o.Shop == "ym" }},
		{"platform:shopline", func(o backend.Order) bool { return o.Platform == backend.Shopline }},
		{"status:cancelled", func(o backend.Order) bool {
			return o.State.Order == "cancelled" || o.State.Fulfillment == "cancelled" || o.State.Payment == "cancelled" || slices.Contains(values(o.RawStatus), "cancelled") || lower(o.StatusLabel) == "cancelled"
		}},
		{"pay:paid", func(o backend.Order) bool { return o.State.Payment == backend.PayPaid }},
		{"ship:unfulfilled", func(o backend.Order) bool { return o.State.Fulfillment == backend.FulUnfulfilled }},
		{"-ship:unfulfilled", func(o backend.Order) bool { return o.State.Fulfillment != backend.FulUnfulfilled }},
		{"country:CN", func(o backend.Order) bool { return o.ShippingAddress != nil && o.ShippingAddress.CountryCode == "CN" }},
		{"currency:JPY", func(o backend.Order) bool { return o.Currency == "JPY" }},
		{"total>100", func(o backend.Order) bool { return o.Totals.GrandTotal.Cmp(backend.MustAmount("100", o.Currency)) > 0 }},
		{"total<=20", func(o backend.Order) bool { return o.Totals.GrandTotal.Cmp(backend.MustAmount("20", o.Currency)) <= 0 }},
		{"tag:" + first(withTag.Tags), func(o backend.Order) bool { return hasFold(o.Tags, first(withTag.Tags)) }},
		{"carrier:" + quoteIfSpace(shipCarrier(withShip)), func(o backend.Order) bool {
			return anyShipment(o, func(s backend.Shipment) bool { return strings.Contains(lower(s.Carrier), lower(shipCarrier(withShip))) })
		}},
		{"tracking:" + shipTracking(withShip), func(o backend.Order) bool {
			return anyShipment(o, func(s backend.Shipment) bool {
				return strings.Contains(lower(s.TrackingNumber), lower(shipTracking(withShip)))
			})
		}},
		{"email:" + withPhone.Customer.Email, func(o backend.Order) bool {
			return strings.Contains(lower(o.Customer.Email), lower(withPhone.Customer.Email))
		}},
		{"phone:" + digits(withPhone.Customer.Phone)[2:8], func(o backend.Order) bool {
			return strings.Contains(digits(o.Customer.Phone), digits(withPhone.Customer.Phone)[2:8])
		}},
		{"sku:" + withShip.Items[0].SKU, func(o backend.Order) bool {
			return anyItem(o, func(it backend.Item) bool { return strings.Contains(lower(it.SKU), lower(withShip.Items[0].SKU)) })
		}},
		{"created>2000-01-01", func(o backend.Order) bool { return o.CreatedAt != nil }},
		{"created<7d", nil}, // checked separately: depends on the clock
		{"is:archived", func(o backend.Order) bool { return o.State.Archived }},
		{"is:pending", func(o backend.Order) bool { return false }},
		{"is:conflict", func(o backend.Order) bool { return false }},
		{quoteIfSpace(withPhone.Customer.Name), func(o backend.Order) bool { return freeText(o, withPhone.Customer.Name) }},
	}
	for _, c := range cases {
		got := refs(r.listJSON("--filter", c.filter))
		if c.want == nil {
			continue
		}
		var want []string
		for ref, o := range truth {
			if c.want(o) {
				want = append(want, ref)
			}
		}
		slices.Sort(want)
		if !slices.Equal(got, want) {
			t.Errorf("--filter %q: got %d orders %v\nwant %d %v", c.filter, len(got), got, len(want), want)
		}
	}
}

func values(m map[string]string) []string {
	var out []string
	for _, v := range m {
		out = append(out, strings.ToLower(v))
	}
	return out
}

func first(s []string) string {
	if len(s) == 0 {
		return ""
	}
	return s[0]
}

func hasFold(list []string, s string) bool {
	for _, l := range list {
		if strings.EqualFold(l, s) {
			return true
		}
	}
	return false
}

func quoteIfSpace(s string) string {
	if strings.ContainsAny(s, " \t") {
		return `"` + s + `"`
	}
	return s
}

func shipCarrier(o backend.Order) string  { return o.Shipments[0].Carrier }
func shipTracking(o backend.Order) string { return o.Shipments[0].TrackingNumber }

func anyShipment(o backend.Order, f func(backend.Shipment) bool) bool {
	return slices.ContainsFunc(o.Shipments, f)
}

func anyItem(o backend.Order, f func(backend.Item) bool) bool { return slices.ContainsFunc(o.Items, f) }

func digits(s string) string {
	return strings.Map(func(r rune) rune {
		if r >= '0' && r <= '9' {
			return r
		}
		return -1
	}, s)
}

// freeText is SPEC §7's free-text rule, written out independently.
func freeText(o backend.Order, term string) bool {
	t := strings.ToLower(term)
	hay := []string{o.Number, o.Customer.Name, o.Customer.Email}
	for _, it := range o.Items {
		hay = append(hay, it.SKU, it.Title)
	}
	for _, s := range o.Shipments {
		hay = append(hay, s.TrackingNumber)
	}
	if o.ShippingAddress != nil { // the recipient counts as a name, the shipping email as an email
		hay = append(hay, o.ShippingAddress.City, o.ShippingAddress.Name, o.ShippingAddress.Email)
	}
	for _, h := range hay {
		if strings.Contains(strings.ToLower(h), t) {
			return true
		}
	}
	return false
}

func refs(orders []backend.Order) []string {
	out := make([]string, len(orders))
	for i, o := range orders {
		out[i] = o.Ref.String()
	}
	slices.Sort(out)
	return out
}

// pick returns a truth order of a shop that satisfies ok.
func pick(t *testing.T, srv *simshop.Server, ok func(o *backend.Order) bool) *backend.Order {
	t.Helper()
	for _, o := range srv.Orders() {
		if ok(o) {
			return o
		}
	}
	t.Fatal("no order in the sim fits")
	return nil
}

// TestSecondProcessGetsAClearMessage: while another process holds the
// database, a command exits 1 within about 2 s saying who holds it.
func TestSecondProcessGetsAClearMessage(t *testing.T) {
	t.Parallel()
	r := newRig(t, fourShops(4))
	r.must(0, "sync")
	st := r.openStore() // this test process holds the database now
	defer st.Close()
	start := time.Now()
	_, errOut, code := r.run("list")
	took := time.Since(start)
	if code != 1 || !strings.Contains(errOut, fmt.Sprintf("already in use by pid %d", os.Getpid())) || !strings.Contains(errOut, "--db") {
		t.Errorf("exit %d, stderr %q", code, errOut)
	}
	if took > 4*slowdown*time.Second {
		t.Errorf("took %v to give up", took)
	}
}
