package simshop

import (
	"bytes"
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"net/url"
	"slices"
	"strconv"
	"testing"
	"time"

	"orderdesk/backend"
	"orderdesk/backend/internal/adapt"
)

// wireServe runs one request through the shop's own handler (faults,
// auth and all) and returns the recorded answer.
func wireServe(t *testing.T, s *Server, path string, hdr map[string]string) *httptest.ResponseRecorder {
	t.Helper()
	req := httptest.NewRequest(http.MethodGet, path, nil)
	for k, v := range hdr {
		req.Header.Set(k, v)
	}
	rec := httptest.NewRecorder()
	s.handle(rec, req)
	if rec.Code != http.StatusOK {
		t.Fatalf("GET %s: status %d, body %s", path, rec.Code, rec.Body)
	}
	return rec
}

// wireNumbers returns the order numbers of a list answer's rows.
func wireNumbers(t *testing.T, body []byte, list func(map[string]json.RawMessage) json.RawMessage, key string) []string {
	t.Helper()
	var env map[string]json.RawMessage
	if err := json.Unmarshal(body, &env); err != nil {
		t.Fatalf("answer %q: %v", body, err)
	}
	var rows []map[string]any
	if err := json.Unmarshal(list(env), &rows); err != nil {
		t.Fatalf("rows of %q: %v", body, err)
	}
	var out []string
	for _, r := range rows {
		n, _ := r[key].(string)
		out = append(out, n)
	}
	return out
}

// encoded is what writeJSON answers with for v.
func encoded(v any) []byte {
	rec := httptest.NewRecorder()
	writeJSON(rec, http.StatusOK, v)
	return rec.Body.Bytes()
}

// TestListsSpliceWhatTheEncoderWrites: a list page built from kept rows is
// byte for byte what encoding the page's rows afresh gives, and a row
// changed by Mutate is rendered again, not served from the kept bytes.
func TestListsSpliceWhatTheEncoderWrites(t *testing.T) {
	fresh := map[backend.Platform]struct {
		path string
		hdr  map[string]string
		rows func(map[string]json.RawMessage) json.RawMessage
		key  string
		// want encodes the page's orders the way the list did before rows were kept.
		want func(s *Server, orders []*backend.Order, body []byte) []byte
	}{
		backend.Fecmall: {
			path: fecmallPrefix + "list?pageNum=2&pageSize=7", hdr: map[string]string{"open-access-token": "sim-token-fecmall-7f3a9c"},
			rows: func(env map[string]json.RawMessage) json.RawMessage {
				var d map[string]json.RawMessage
				_ = json.Unmarshal(env["data"], &d)
				return d["list"]
			},
			key: "order_number",
			want: func(s *Server, orders []*backend.Order, body []byte) []byte {
				var env struct {
					Data map[string]any `json:"data"`
				}
				_ = json.Unmarshal(body, &env)
				f := s.plat.(*fecmallSim)
				rows := []fecmallWireOrder{}
				for _, o := range orders {
					rows = append(rows, f.wire(s, o, true))
				}
				return encoded(fecmallOK{Code: 200, Message: "success", Data: map[string]any{
					"total": env.Data["total"], "pageSize": env.Data["pageSize"], "totalPage": env.Data["totalPage"], "list": rows}})
			},
		},
		backend.Shopline: {
			path: "/admin/openapi/v20251201/orders.json?limit=9&status=any", hdr: map[string]string{"Authorization": "Bearer sim-token-shopline-7f3a9c", "Content-Type": "application/json; charset=utf-8"},
			rows: func(env map[string]json.RawMessage) json.RawMessage { return env["orders"] },
			key:  "name",
			want: func(s *Server, orders []*backend.Order, _ []byte) []byte {
				p := s.plat.(*shoplineSim)
				page := []any{}
				for _, o := range orders {
					page = append(page, p.render(o))
				}
				return encoded(map[string]any{"orders": page})
			},
		},
	}
	for p, c := range fresh {
		t.Run(string(p), func(t *testing.T) {
			s, err := New(p, Options{Seed: 3, Orders: 40})
			if err != nil {
				t.Fatal(err)
			}
			t.Cleanup(s.Close)
			check := func(what string) {
				t.Helper()
				body := wireServe(t, s, c.path, c.hdr).Body.Bytes()
				var orders []*backend.Order
				s.mu.Lock()
				for _, n := range wireNumbers(t, body, c.rows, c.key) {
					orders = append(orders, s.lockedOrder(n))
				}
				want := c.want(s, orders, body)
				s.mu.Unlock()
				if len(orders) < 2 {
					t.Fatalf("%s: page has %d orders", what, len(orders))
				}
				if !bytes.Equal(body, want) {
					k := 0
					for k < min(len(body), len(want)) && body[k] == want[k] {
						k++
					}
					t.Fatalf("%s: answer differs from a fresh encoding at byte %d: %q, want %q", what, k, body[max(0, k-40):min(len(body), k+40)], want[max(0, k-40):min(len(want), k+40)])
				}
				if what == "first" {
					s.Mutate(orders[1].Number, func(o *backend.Order) { o.Customer.Email = "changed@example.test" })
				} else if !bytes.Contains(body, []byte("changed@example.test")) {
					t.Fatalf("%s: the mutated order is served as it was", what)
				}
			}
			check("first")
			check("after Mutate")
		})
	}
}

// TestFecshopListWindowAndKeptRows: the created-date window found by binary
// search selects what checking every order selects, also once Mutate has
// put an order out of creation-time order, and the rows are the rendered
// orders, Mutate's change included.
func TestFecshopListWindowAndKeptRows(t *testing.T) {
	s, tok := fecshopStart(t)
	all := s.Orders()
	loc := s.Opt.Timezone
	naive := func(tm time.Time) string { return url.QueryEscape(tm.In(loc).Format(adapt.NaiveLayout)) }
	paid := []string{"payment_confirmed", "holded", "processing", "dispatched", "received", "completed"}
	count := func(orders []*backend.Order, from, to time.Time) int {
		n := 0
		for _, o := range orders {
			if !o.CreatedAt.Before(from) && o.CreatedAt.Before(to) && slices.Contains(paid, o.RawStatus["order_status"]) {
				n++
			}
		}
		return n
	}
	from, to := *all[10].CreatedAt, *all[40].CreatedAt
	late := all[55].Number
	ask := func(what string) []byte {
		t.Helper()
		rec := wireServe(t, s, "/v1/order/list?is_payed=1&page=1&begin_date="+naive(from)+"&end_date="+naive(to), map[string]string{"access-token": tok})
		want := count(s.Orders(), from, to)
		if got := rec.Header().Get("X-Pagination-Total-Count"); got != strconv.Itoa(want) || want == 0 {
			t.Fatalf("%s: total count %s, checking every order finds %d", what, got, want)
		}
		return rec.Body.Bytes()
	}
	ask("generated")
	// The late order now claims a creation time inside the window.
	s.Mutate(late, func(o *backend.Order) {
		c := from.Add(time.Second)
		o.CreatedAt = &c
		o.RawStatus["order_status"] = "processing"
		o.Customer.Email = "moved@example.test"
	})
	ask("after Mutate")
	body := wireServe(t, s, "/v1/order/list?is_payed=1&page=1&begin_date="+naive(from.Add(time.Second))+"&end_date="+naive(from.Add(2*time.Second)),
		map[string]string{"access-token": tok}).Body.Bytes()
	f := s.plat.(*fecshopSim)
	s.mu.Lock()
	i := s.index[late]
	want := encoded(fecshopAnswer{Code: 200, Message: "fetch order success", Data: []json.RawMessage{f.render(s.orders[i], i, fecshopWireList)}})
	s.mu.Unlock()
	if !bytes.Equal(body, want) || !bytes.Contains(body, []byte("moved@example.test")) {
		t.Fatalf("window holding the moved order answers %s, want %s", body, want)
	}
}
