package ymcart

import (
	"context"
	"errors"
	"io"
	"maps"
	"net/http"
	"net/url"
	"slices"
	"sort"
	"strings"
	"testing"
	"time"

	"orderdesk/backend"
	"orderdesk/backend/simshop"
)

// assertRead checks one recorded read: a form POST to the endpoint with
// the token in the form only, and exactly the fields want lists.
func assertRead(t *testing.T, srv *simshop.Server, r simshop.Recorded, endpoint string, want url.Values) {
	t.Helper()
	if r.Method != "POST" || r.Path != "/api-erp-"+endpoint+".html" || len(r.Query) != 0 {
		t.Errorf("request %s %s?%s", r.Method, r.Path, r.Query.Encode())
	}
	if ct := r.Header.Get("Content-Type"); ct != "application/x-www-form-urlencoded" {
		t.Errorf("content type %q", ct)
	}
	for k, vs := range r.Header {
		if strings.Contains(strings.Join(vs, " "), srv.Opt.Token) {
			t.Errorf("token in header %s", k)
		}
	}
	want = cloneValues(want)
	want.Set("token", srv.Opt.Token)
	if r.Form.Encode() != want.Encode() {
		t.Errorf("form\n got %s\nwant %s", r.Form.Encode(), want.Encode())
	}
}

func cloneValues(v url.Values) url.Values {
	c := url.Values{}
	for k, vs := range v {
		c[k] = slices.Clone(vs)
	}
	return c
}

func TestListAllMatchesTruth(t *testing.T) {
	t.Parallel()
	srv, s := startSim(t)
	got := listAll(t, s, backend.ListQuery{})
	want := srv.Orders()
	if len(got) != len(want) || len(want) != 60 {
		t.Fatalf("%d orders, truth has %d", len(got), len(want))
	}
	for i, o := range got {
		if o.SyncedAt == nil || len(o.Raw) == 0 || !strings.Contains(string(o.Raw), `"itemno":"`+o.Number+`"`) {
			t.Errorf("%s: synced_at %v, raw %.40s", o.Number, o.SyncedAt, o.Raw)
		}
		if g, w := asTruth(o), truth(srv, want[i].Number); g != w {
			t.Fatalf("order %d differs:\n%s\nwant:\n%s", i, g, w)
		}
	}
	reqs := srv.Requests()
	if len(reqs) != 2 {
		t.Fatalf("%d requests, want 2 pages", len(reqs))
	}
	for i, r := range reqs {
		assertRead(t, srv, r, "orderList", url.Values{"page_no": {[]string{"1", "2"}[i]}, "page_size": {"50"}, "order_by": {"0"}})
	}
	// Every raw status of the platform is covered by the truth.
	seenStatus := map[string]bool{}
	for _, o := range want {
		seenStatus[o.RawStatus["order_status"]] = true
	}
	for code := range orderStatuses {
		if !seenStatus[code] {
			t.Errorf("the sim has no order in %s", code)
		}
	}
}

func TestGet(t *testing.T) {
	t.Parallel()
	srv, s := startSim(t)
	want := srv.Orders()[7]
	o, err := s.Get(context.Background(), want.Number)
	if err != nil {
		t.Fatal(seen(err))
	}
	if g, w := asTruth(o), truth(srv, want.Number); g != w {
		t.Errorf("got:\n%s\nwant:\n%s", g, w)
	}
	assertRead(t, srv, srv.Requests()[0], "orderList", url.Values{"itemno": {want.Number}, "page_no": {"1"}, "page_size": {"50"}})

	for _, n := range []string{"SY20990101-1", "A,B", ""} {
		_, err := s.Get(context.Background(), n)
		if !errors.Is(seen(err), backend.ErrNotFound) {
			t.Errorf("Get(%q): %v, want ErrNotFound", n, err)
		}
	}
	if n := len(srv.Requests()); n != 2 {
		t.Errorf("%d requests: malformed numbers must not be sent", n)
	}
}

// numbers lists the distinct order numbers, sorted.
func numbers(orders []*backend.Order) []string {
	var out []string
	for _, o := range orders {
		if !slices.Contains(out, o.Number) {
			out = append(out, o.Number)
		}
	}
	sort.Strings(out)
	return out
}

func TestListIncremental(t *testing.T) {
	t.Parallel()
	srv, s := startSim(t)
	loc := srv.Opt.Timezone
	since := time.Date(2026, 9, 20, 15, 0, 0, 0, time.UTC)
	got := listAll(t, s, backend.ListQuery{UpdatedSince: since, CreatedFrom: since.AddDate(0, -1, 0)})
	start := time.Date(2026, 9, 19, 0, 0, 0, 0, loc) // the day before, shop zone
	var want []*backend.Order
	for _, o := range srv.Orders() {
		if !o.UpdatedAt.Before(start) {
			want = append(want, o)
		}
	}
	if g, w := numbers(got), numbers(want); !slices.Equal(g, w) || len(w) == 0 || len(w) == 60 {
		t.Errorf("changed since %s:\n got %v\nwant %v", start, g, w)
	}
	for _, o := range got {
		if g, w := asTruth(o), truth(srv, o.Number); g != w {
			t.Errorf("%s differs", o.Number)
		}
	}
	reqs := srv.Requests()
	if len(reqs) != 3 {
		t.Fatalf("%d requests, want one per pass", len(reqs))
	}
	for i, tt := range []string{"", "1", "2"} {
		f := url.Values{"page_no": {"1"}, "page_size": {"50"}, "order_by": {"0"}, "start_time": {"2026-9-19"}}
		if tt != "" {
			f.Set("time_type", tt)
		}
		assertRead(t, srv, reqs[i], "orderList", f)
	}
	// The pass by act_time alone misses orders nobody has touched.
	var untouched int
	for _, o := range got {
		if o.UpdatedAt.Equal(*o.CreatedAt) || o.PaidAt != nil && o.UpdatedAt.Equal(*o.PaidAt) {
			untouched++
		}
	}
	if untouched == 0 {
		t.Error("the window has no untouched order: the test proves nothing about the created/paid passes")
	}
}

func TestListCreatedWindow(t *testing.T) {
	t.Parallel()
	srv, s := startSim(t)
	loc := srv.Opt.Timezone
	from := time.Date(2026, 8, 1, 0, 0, 0, 0, loc)
	to := time.Date(2026, 9, 1, 0, 0, 0, 0, loc)
	got := listAll(t, s, backend.ListQuery{CreatedFrom: from, CreatedTo: to})
	var want []*backend.Order
	for _, o := range srv.Orders() {
		if !o.CreatedAt.Before(from) && o.CreatedAt.Before(to) {
			want = append(want, o)
		}
	}
	if g, w := numbers(got), numbers(want); !slices.Equal(g, w) || len(w) == 0 {
		t.Errorf("created in August:\n got %v\nwant %v", g, w)
	}
	assertRead(t, srv, srv.Requests()[0], "orderList", url.Values{"page_no": {"1"}, "page_size": {"50"}, "order_by": {"0"},
		"start_time": {"2026-8-1"}, "end_time": {"2026-8-31"}})
}

func TestListBadCursor(t *testing.T) {
	t.Parallel()
	srv, s := startSim(t)
	for _, q := range []backend.ListQuery{{Cursor: "x"}, {Cursor: "0"}, {Cursor: "changed:2"}, {Cursor: "3", UpdatedSince: time.Now()}, {Cursor: "bogus:1", UpdatedSince: time.Now()}} {
		if _, err := s.List(context.Background(), q); !errors.Is(seen(err), backend.ErrRefused) {
			t.Errorf("%+v: %v", q, err)
		}
	}
	if len(srv.Requests()) != 0 {
		t.Error("a bad cursor was sent")
	}
}

func TestBadToken(t *testing.T) {
	t.Parallel()
	srv, _ := startSim(t)
	cfg := srv.Config("ym")
	cfg.Token = backend.NewSecret("wrong-token-123456")
	s := newShop(t, cfg)
	_, err := s.List(context.Background(), backend.ListQuery{})
	if !errors.Is(seen(err), backend.ErrAuth) || !strings.Contains(err.Error(), "token_error") {
		t.Errorf("got %v, want ErrAuth token_error", err)
	}
	if n := len(srv.Requests()); n != 1 {
		t.Errorf("%d requests: an auth failure is not retried", n)
	}
}

func TestDeliveries(t *testing.T) {
	t.Parallel()
	srv, s := startSim(t)
	ids := map[string]string{} // internal id → number
	var want []string
	for _, o := range srv.Orders() {
		ids[o.ID] = o.Number
		for _, sh := range o.Shipments {
			want = append(want, o.Number+" "+sh.Carrier+" "+sh.TrackingNumber+" "+sh.ShippedAt.Format(time.RFC3339))
		}
	}
	var got []string
	var lastID string
	for page := 1; ; page++ {
		p, err := s.Deliveries(context.Background(), page, 7, 0)
		if err != nil {
			t.Fatal(seen(err))
		}
		if p.Total != len(want) {
			t.Errorf("total %d, want %d", p.Total, len(want))
		}
		for _, d := range p.Deliveries {
			if lastID != "" && d.ID >= lastID {
				t.Errorf("ids not descending: %s after %s", d.ID, lastID)
			}
			lastID = d.ID
			sh := d.Shipment()
			got = append(got, ids[d.OrderID]+" "+sh.Carrier+" "+sh.TrackingNumber+" "+sh.ShippedAt.Format(time.RFC3339))
		}
		if page*7 >= p.Total {
			break
		}
	}
	sort.Strings(got)
	sort.Strings(want)
	if !slices.Equal(got, want) || len(want) < 10 {
		t.Errorf("deliveries:\n got %v\nwant %v", got, want)
	}
	assertRead(t, srv, srv.Requests()[0], "deliveryList", url.Values{"page_no": {"1"}, "page_size": {"7"}})

	p, err := s.Deliveries(context.Background(), 1, 50, 5005)
	if err != nil {
		t.Fatal(seen(err))
	}
	if len(p.Deliveries) != 5 || p.Deliveries[0].ID != "5005" || p.Deliveries[4].ID != "5001" {
		t.Errorf("max_id 5005: %d records, first %+v", len(p.Deliveries), p.Deliveries)
	}
	last := srv.Requests()[len(srv.Requests())-1]
	assertRead(t, srv, last, "deliveryList", url.Values{"page_no": {"1"}, "page_size": {"50"}, "max_id": {"5005"}})
}

func TestNewValidates(t *testing.T) {
	t.Parallel()
	good := backend.ShopConfig{Name: "ym", URL: "https://shop.example.com", Token: backend.NewSecret("t0ken-abcdef")}
	cases := []struct {
		edit func(*backend.ShopConfig)
		want string
	}{
		{func(c *backend.ShopConfig) { c.Name = "" }, "needs a name"},
		{func(c *backend.ShopConfig) { c.URL = "shop.example.com" }, "url must be the shop's site"},
		{func(c *backend.ShopConfig) { c.URL = "ftp://shop.example.com" }, "url must be the shop's site"},
		{func(c *backend.ShopConfig) { c.URL = "https://shop.example.com/?token=t0ken-abcdef" }, "must not carry credentials"},
		{func(c *backend.ShopConfig) { c.Token = backend.Secret{} }, "token is missing"},
		{func(c *backend.ShopConfig) { c.Platform = backend.Shopline }, "not ymcart"},
	}
	for _, c := range cases {
		cfg := good
		c.edit(&cfg)
		_, err := New(cfg)
		if err == nil || !strings.Contains(seen(err).Error(), c.want) {
			t.Errorf("got %v, want %q", err, c.want)
		}
	}
	remember("t0ken-abcdef")
	if _, err := New(good); err != nil {
		t.Errorf("good config: %v", err)
	}
}

// GetMany: 25 numbers (one unknown, one malformed, one twice) → calls of
// 20 and 4 numbers, each answered in one page; unknown ones are absent.
func TestGetMany(t *testing.T) {
	t.Parallel()
	srv, s := startSim(t)
	orders := srv.Orders()
	var ask []string
	for _, o := range orders[:22] {
		ask = append(ask, o.Number)
	}
	ask = append(ask, "SY20990101-1", "A,B", orders[0].Number, orders[40].Number)
	got, err := s.GetMany(context.Background(), ask)
	if err != nil {
		t.Fatal(seen(err))
	}
	if len(got) != 23 {
		t.Errorf("%d orders, want 23", len(got))
	}
	for _, o := range append(orders[:22:22], orders[40]) {
		if g, w := asTruth(got[o.Number]), truth(srv, o.Number); g != w {
			t.Errorf("%s differs:\n%s\nwant:\n%s", o.Number, g, w)
		}
	}
	if _, ok := got["SY20990101-1"]; ok {
		t.Error("an unknown number is in the answer")
	}
	reqs := srv.Requests()
	if len(reqs) != 2 {
		t.Fatalf("%d requests, want 2", len(reqs))
	}
	first := strings.Join(ask[:20], ",")
	second := strings.Join([]string{ask[20], ask[21], ask[22], orders[40].Number}, ",")
	for i, items := range []string{first, second} {
		assertRead(t, srv, reqs[i], "orderList", url.Values{"itemno": {items}, "page_no": {"1"}, "page_size": {"50"}})
	}
	if got, err := s.GetMany(context.Background(), nil); err != nil || len(got) != 0 || len(srv.Requests()) != 2 {
		t.Errorf("no numbers: %v %v, %d requests", got, err, len(srv.Requests()))
	}
}

// rewrite changes each request's form before the sim sees it: a shop
// that reads orderList's fields its own way.
type rewrite func(url.Values)

func (fn rewrite) RoundTrip(r *http.Request) (*http.Response, error) {
	body, err := io.ReadAll(r.Body)
	if err != nil {
		return nil, err
	}
	f, err := url.ParseQuery(string(body))
	if err != nil {
		return nil, err
	}
	fn(f)
	enc := f.Encode()
	c := r.Clone(r.Context())
	c.Body, c.ContentLength = io.NopCloser(strings.NewReader(enc)), int64(len(enc))
	return http.DefaultTransport.RoundTrip(c)
}

// A chunk the shop answers over several pages (it caps them at 3 rows)
// is read to the end; one with a number the shop lacks stops when count
// is reached.
func TestGetManyFollowsPages(t *testing.T) {
	t.Parallel()
	srv, _ := startSim(t)
	cfg := srv.Config("ym")
	cfg.Transport = rewrite(func(f url.Values) { f.Set("page_size", "3") })
	s := newShop(t, cfg)
	var ask []string
	for _, o := range srv.Orders()[:8] {
		ask = append(ask, o.Number)
	}
	got, err := s.GetMany(context.Background(), append(ask, "SY20990101-1"))
	if err != nil {
		t.Fatal(seen(err))
	}
	if len(got) != 8 {
		t.Errorf("%d orders, want 8", len(got))
	}
	var pages []string
	for _, r := range srv.Requests() {
		pages = append(pages, r.Form.Get("page_no"))
	}
	if strings.Join(pages, " ") != "1 2 3" {
		t.Errorf("pages asked: %v, want 1 2 3", pages)
	}
}

// A shop that ignores itemno answers with every order: GetMany keeps only
// the numbers asked for, reading pages until it has found them all.
func TestGetManyDropsRowsNotAsked(t *testing.T) {
	t.Parallel()
	srv, _ := startSim(t)
	cfg := srv.Config("ym")
	cfg.Transport = rewrite(func(f url.Values) { f.Del("itemno") })
	s := newShop(t, cfg)
	orders := srv.Orders()
	got, err := s.GetMany(context.Background(), []string{orders[55].Number, orders[3].Number})
	if err != nil {
		t.Fatal(seen(err))
	}
	if len(got) != 2 || got[orders[55].Number] == nil || got[orders[3].Number] == nil {
		t.Errorf("got %d orders: %v", len(got), slices.Collect(maps.Keys(got)))
	}
	if n := len(srv.Requests()); n != 2 {
		t.Errorf("%d requests, want 2 pages", n)
	}
}
