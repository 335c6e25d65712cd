package shopline

import (
	"net/http"
	"net/url"
	"reflect"
	"testing"
	"time"

	"orderdesk/backend"
	"orderdesk/backend/simshop"
)

const simVersion = "v20251201"

// checkHeaders asserts the headers SHOPLINE requires on every request.
func checkHeaders(t *testing.T, srv *simshop.Server, r simshop.Recorded) {
	t.Helper()
	if got := r.Header.Get("Authorization"); got != "Bearer "+srv.Opt.Token {
		t.Errorf("%s %s: Authorization = %q", r.Method, r.Path, got)
	}
	if got := r.Header.Get("Content-Type"); got != "application/json; charset=utf-8" {
		t.Errorf("%s %s: Content-Type = %q", r.Method, r.Path, got)
	}
}

func TestListEveryPageMatchesTheTruth(t *testing.T) {
	t.Parallel()
	srv := startSim(t, simshop.Options{Seed: 1})
	shop := newShop(t, srv.Config("sl"))
	shop.pageSize = 7
	got, totals := listAll(t, shop, backend.ListQuery{})

	want := truth(srv, "sl")
	if len(got) != len(want) || len(want) != 60 {
		t.Fatalf("listed %d orders, truth has %d", len(got), len(want))
	}
	seen := map[string]bool{}
	for _, o := range got {
		if seen[o.Number] {
			t.Fatalf("order %s listed twice", o.Number)
		}
		seen[o.Number] = true
		w, ok := want[o.Number]
		if !ok {
			t.Fatalf("listed unknown order %s", o.Number)
		}
		sameOrder(t, o, w)
		if o.SyncedAt == nil || len(o.Raw) == 0 || o.Raw[0] != '{' {
			t.Fatalf("order %s: SyncedAt %v, Raw %q", o.Number, o.SyncedAt, o.Raw)
		}
	}
	for i, n := range totals {
		if n != 60 {
			t.Fatalf("page %d: Total = %d, want 60 on every page", i+1, n)
		}
	}

	// Exactly: one count, then per pass a first request with the filters
	// and pages that carry only page_info and limit.
	reqs := srv.Requests()
	if r := reqs[0]; r.Path != "/admin/openapi/"+simVersion+"/orders/count.json" || !reflect.DeepEqual(r.Query, url.Values{"status": {"any"}}) {
		t.Fatalf("first request = %s %s?%v, want the count with status=any", r.Method, r.Path, r.Query)
	}
	perPass := map[string]int{}
	for _, o := range want {
		perPass[o.RawStatus["fulfillment_status"]]++
	}
	wantPages := 0
	pass := ""
	pageInfos := map[string]bool{}
	for _, r := range reqs[1:] {
		checkHeaders(t, srv, r)
		if r.Method != http.MethodGet || r.Path != "/admin/openapi/"+simVersion+"/orders.json" {
			t.Fatalf("unexpected request %s %s", r.Method, r.Path)
		}
		if pi := r.Query.Get("page_info"); pi != "" {
			if !reflect.DeepEqual(r.Query, url.Values{"limit": {"7"}, "page_info": {pi}}) || pageInfos[pi] {
				t.Fatalf("next-page query = %v (page_info reused: %v)", r.Query, pageInfos[pi])
			}
			pageInfos[pi] = true
			continue
		}
		pass = r.Query.Get("fulfillment_status")
		want := url.Values{"limit": {"7"}, "status": {"any"}, "fulfillment_status": {pass}}
		if !reflect.DeepEqual(r.Query, want) {
			t.Fatalf("first query of a pass = %v, want %v", r.Query, want)
		}
	}
	for _, p := range []struct{ query, wire string }{{"unshipped", "null"}, {"partial", "partial"}, {"shipped", "fulfilled"}} {
		wantPages += max(1, (perPass[p.wire]+6)/7)
	}
	if len(reqs)-1 != wantPages || pass != "shipped" {
		t.Fatalf("%d list requests (last pass %q), want %d ending with shipped", len(reqs)-1, pass, wantPages)
	}
}

// The generated orders cover every raw status value of the platform.
func TestSimCoversEveryRawStatus(t *testing.T) {
	t.Parallel()
	srv := startSim(t, simshop.Options{Seed: 1})
	seen := map[string]bool{}
	for _, o := range srv.Orders() {
		for k, v := range o.RawStatus {
			if k == "cancelled_at" {
				v = "set"
			}
			seen[k+"="+v] = true
		}
	}
	for _, want := range []string{
		"financial_status=unpaid", "financial_status=pending", "financial_status=authorized",
		"financial_status=partially_paid", "financial_status=paid", "financial_status=partially_refunded",
		"financial_status=refunded", "fulfillment_status=null", "fulfillment_status=partial",
		"fulfillment_status=fulfilled", "hidden_order=true", "hidden_order=false", "cancelled_at=set",
	} {
		if !seen[want] {
			t.Errorf("no generated order has %s", want)
		}
	}
}

func TestListDefaultPageSizeIs100(t *testing.T) {
	t.Parallel()
	srv := startSim(t, simshop.Options{Seed: 2, Orders: 130})
	shop := newShop(t, srv.Config("sl"))
	got, _ := listAll(t, shop, backend.ListQuery{})
	if len(got) != 130 {
		t.Fatalf("listed %d, want 130", len(got))
	}
	for _, r := range srv.Requests()[1:] {
		if r.Query.Get("limit") != "100" {
			t.Fatalf("limit = %q, want 100", r.Query.Get("limit"))
		}
	}
}

// Incremental and created-window filters go on the count and on each pass's
// first request, ISO 8601 with the shop's offset ("+" sent as %2B: a raw "+"
// would arrive as a space and the sim answers 400).
func TestListFiltersByUpdatedAndCreated(t *testing.T) {
	t.Parallel()
	srv := startSim(t, simshop.Options{Seed: 1})
	shop := newShop(t, srv.Config("sl"))
	shop.pageSize = 5
	since := time.Date(2026, 8, 1, 0, 0, 0, 0, time.UTC)
	from := time.Date(2026, 7, 20, 16, 0, 0, 0, time.UTC)
	to := time.Date(2026, 10, 1, 16, 0, 0, 0, time.UTC)
	got, totals := listAll(t, shop, backend.ListQuery{UpdatedSince: since, CreatedFrom: from, CreatedTo: to})

	filters := url.Values{
		"updated_at_min": {"2026-08-01T08:00:00+08:00"},
		"created_at_min": {"2026-07-21T00:00:00+08:00"},
		"created_at_max": {"2026-10-01T23:59:59+08:00"},
	}
	wantCount := url.Values{"status": {"any"}}
	for k, v := range filters {
		wantCount[k] = v
	}
	reqs := srv.Requests()
	if !reflect.DeepEqual(reqs[0].Query, wantCount) {
		t.Fatalf("count query = %v, want %v", reqs[0].Query, wantCount)
	}
	firsts := 0
	for _, r := range reqs[1:] {
		if r.Query.Get("page_info") != "" {
			continue
		}
		firsts++
		want := url.Values{"limit": {"5"}, "status": {"any"}, "fulfillment_status": {r.Query.Get("fulfillment_status")}}
		for k, v := range filters {
			want[k] = v
		}
		if !reflect.DeepEqual(r.Query, want) {
			t.Fatalf("pass query = %v, want %v", r.Query, want)
		}
	}
	if firsts != 3 {
		t.Fatalf("%d pass starts, want 3", firsts)
	}

	var want []string
	for _, o := range srv.Orders() {
		if !o.UpdatedAt.Before(since) && !o.CreatedAt.Before(from) && o.CreatedAt.Before(to) {
			want = append(want, o.Number)
		}
	}
	if len(got) != len(want) || len(want) == 0 || len(want) == 60 {
		t.Fatalf("got %d orders, want %d (of 60)", len(got), len(want))
	}
	for _, n := range totals {
		if n != len(want) {
			t.Fatalf("Total = %d, want %d", n, len(want))
		}
	}
}

func TestGetTriesEachFulfillmentPass(t *testing.T) {
	t.Parallel()
	srv := startSim(t, simshop.Options{Seed: 1})
	shop := newShop(t, srv.Config("sl"))
	var shipped *backend.Order
	for _, o := range truth(srv, "sl") {
		if o.RawStatus["fulfillment_status"] == "fulfilled" {
			shipped = o
			break
		}
	}
	got, err := shop.Get(ctxT(t), shipped.Number)
	must(t, err)
	sameOrder(t, got, shipped)
	reqs := srv.Requests()
	if len(reqs) != 3 {
		t.Fatalf("%d requests, want 3 (unshipped, partial, shipped)", len(reqs))
	}
	for i, pass := range []string{"unshipped", "partial", "shipped"} {
		checkHeaders(t, srv, reqs[i])
		want := url.Values{"name": {shipped.Number}, "status": {"any"}, "fulfillment_status": {pass}}
		if reqs[i].Path != "/admin/openapi/"+simVersion+"/orders.json" || !reflect.DeepEqual(reqs[i].Query, want) {
			t.Fatalf("request %d = %s?%v, want %v", i, reqs[i].Path, reqs[i].Query, want)
		}
	}

	srv.ResetRecord()
	_, err = shop.Get(ctxT(t), "#999999")
	wantErr(t, err, backend.ErrNotFound, `no order named "#999999"`)
	if n := len(srv.Requests()); n != 3 {
		t.Fatalf("%d requests for an unknown order, want 3", n)
	}
}

func TestListRejectsABadCursor(t *testing.T) {
	t.Parallel()
	srv := startSim(t, simshop.Options{Seed: 1})
	shop := newShop(t, srv.Config("sl"))
	_, err := shop.List(ctxT(t), backend.ListQuery{Cursor: "eyJub3BlIjp0cnVlfQ"})
	wantErr(t, err, backend.ErrRefused, "invalid list cursor")
	if len(srv.Requests()) != 0 {
		t.Fatal("a bad cursor sent a request")
	}
}

func TestListWithAnUnservedVersionSaysSo(t *testing.T) {
	t.Parallel()
	srv := startSim(t, simshop.Options{Seed: 1})
	cfg := srv.Config("sl")
	cfg.APIVersion = "v20220901"
	shop := newShop(t, cfg)
	page, err := shop.List(ctxT(t), backend.ListQuery{})
	wantErr(t, err, backend.ErrRejected, "is api_version v20220901 served by this store?")
	if page.Orders != nil {
		t.Fatal("orders returned with an error")
	}
}
