package simshop

import (
	"encoding/json"
	"io"
	"net/http"
	"net/url"
	"strings"
	"testing"

	"orderdesk/backend"
)

func fecmallServer(t *testing.T) *Server {
	t.Helper()
	s, err := New(backend.Fecmall, Options{Seed: 1})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(s.Close)
	return s
}

// fecmallGet sends a request and returns the HTTP status and decoded body.
func fecmallGet(t *testing.T, s *Server, method, path string, q url.Values, token string) (int, map[string]any) {
	t.Helper()
	req, err := http.NewRequest(method, s.URL()+path+"?"+q.Encode(), nil)
	if err != nil {
		t.Fatal(err)
	}
	if token != "" {
		req.Header.Set("open-access-token", token)
	}
	res, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer res.Body.Close()
	b, _ := io.ReadAll(res.Body)
	var body map[string]any
	if err := json.Unmarshal(b, &body); err != nil {
		t.Fatalf("%s %s: body %q is not JSON", method, path, b)
	}
	return res.StatusCode, body
}

// TestFecmallStatusCoverage: every raw value of every axis is generated,
// and paid-but-unshipped is the most common status.
func TestFecmallStatusCoverage(t *testing.T) {
	s := fecmallServer(t)
	seen := map[string]bool{}
	count := map[string]int{}
	for _, o := range s.Orders() {
		for k, v := range o.RawStatus {
			seen[k+"="+v] = true
		}
		count[o.StatusLabel]++
	}
	for field, n := range map[string]int{"order_status": 4, "payment_status": 5, "fulfillment_status": 8} {
		for v := 1; v <= n; v++ {
			if k := field + "=" + string(rune('0'+v)); !seen[k] {
				t.Errorf("no generated order has %s", k)
			}
		}
	}
	top := "open, paid, awaiting shipment"
	for label, n := range count {
		if label != top && n >= count[top] {
			t.Errorf("%q (%d) is as common as %q (%d)", label, n, top, count[top])
		}
	}
}

// TestFecmallWireQuirks reads order/info as a client would and checks the
// documented quirks.
func TestFecmallWireQuirks(t *testing.T) {
	s := fecmallServer(t)
	var sawEmptyBilling, sawBillingObject, sawNullTags, sawTags bool
	for _, o := range s.Orders() {
		status, body := fecmallGet(t, s, http.MethodGet, fecmallPrefix+"info", url.Values{"order_number": {o.Number}}, s.Opt.Token)
		if status != 200 || body["code"] != 200.0 || body["message"] != "success" {
			t.Fatalf("info %s: %d %v", o.Number, status, body)
		}
		data := body["data"].(map[string]any)
		if _, ok := data["pay_txn_id"].(string); !ok {
			t.Errorf("pay_txn_id missing beside order_info")
		}
		info := data["order_info"].(map[string]any)
		for _, k := range []string{"curr_grand_total", "base_grand_total", "gram", "payment_fee", "created_at"} {
			if _, ok := info[k].(string); !ok {
				t.Errorf("%s is %T, want a string", k, info[k])
			}
		}
		for _, k := range []string{"id", "order_status", "payment_status", "fulfillment_status", "payed_at", "cancelled_at", "fulfilled_at", "customer_type"} {
			if _, ok := info[k].(float64); !ok {
				t.Errorf("%s is %T, want a number", k, info[k])
			}
		}
		if d, ok := info["discount_set"].([]any); !ok || len(d) != 0 {
			t.Errorf("discount_set %v, want []", info["discount_set"])
		}
		switch b := info["billingAddress"].(type) {
		case []any:
			sawEmptyBilling = sawEmptyBilling || len(b) == 0
		case map[string]any:
			sawBillingObject = true
			if _, has := b["phone"]; has {
				t.Error("billingAddress has a phone")
			}
		}
		sawNullTags = sawNullTags || info["tags"] == nil
		_, isList := info["tags"].([]any)
		sawTags = sawTags || isList
	}
	if !sawEmptyBilling || !sawBillingObject || !sawNullTags || !sawTags {
		t.Errorf("billing [] %v, billing object %v, tags null %v, tags list %v: want all", sawEmptyBilling, sawBillingObject, sawNullTags, sawTags)
	}
}

// TestFecmallErrors: bad token, unknown order, writes, bad parameters.
func TestFecmallErrors(t *testing.T) {
	s := fecmallServer(t)
	cases := []struct {
		method, path string
		q            url.Values
		token        string
		status       int
		code         float64
		message      string
	}{
		{"GET", "info", url.Values{"order_number": {"B1"}}, "wrong", 200, 401, "invalid open-access-token"},
		{"GET", "list", nil, "", 200, 401, "invalid open-access-token"},
		{"GET", "info", url.Values{"order_number": {"B1"}}, s.Opt.Token, 200, 404, "order not found"},
		{"GET", "info", nil, s.Opt.Token, 200, 400, "order_number is required"},
		{"GET", "list", url.Values{"pageNum": {"x"}}, s.Opt.Token, 200, 400, "pageNum must be a positive integer"},
		{"GET", "get-pending-order-list", url.Values{"created_at_begin": {"2026-01-01"}}, s.Opt.Token, 200, 400, "created_at_begin must be YYYY-MM-DD HH:MM:SS"},
		{"POST", "info", nil, s.Opt.Token, 404, 404, "page not found"},
	}
	for _, c := range cases {
		status, body := fecmallGet(t, s, c.method, fecmallPrefix+c.path, c.q, c.token)
		if status != c.status || body["code"] != c.code || body["message"] != c.message {
			t.Errorf("%s %s %v: %d %v, want %d code %v %q", c.method, c.path, c.q, status, body, c.status, c.code, c.message)
		}
	}
	if w := s.Writes(); len(w) != 1 || w[0].Method != "POST" {
		t.Errorf("writes recorded %+v, want the POST", w)
	}
}

// TestFecmallListPaging: the paid list holds payment_status 3-5, newest
// first, totals as strings; pageSize is capped at 100.
func TestFecmallListPaging(t *testing.T) {
	s := fecmallServer(t)
	paid := 0
	for _, o := range s.Orders() {
		if strings.ContainsAny(o.RawStatus["payment_status"], "345") {
			paid++
		}
	}
	_, body := fecmallGet(t, s, "GET", fecmallPrefix+"list", url.Values{"pageNum": {"2"}, "pageSize": {"5"}}, s.Opt.Token)
	data := body["data"].(map[string]any)
	if data["total"] != fecmallItoa(paid) || data["pageSize"] != "5" || data["totalPage"] != fecmallItoa((paid+4)/5) {
		t.Errorf("data %v, want total %d as strings", data, paid)
	}
	rows := data["list"].([]any)
	prev := "9999"
	for _, r := range rows {
		row := r.(map[string]any)
		if ps := row["payment_status"].(float64); ps < 3 {
			t.Errorf("unpaid order in the paid list: %v", ps)
		}
		if c := row["created_at"].(string); c > prev {
			t.Errorf("not newest first: %s after %s", c, prev)
		}
		prev = row["created_at"].(string)
	}
	if len(rows) != 5 {
		t.Errorf("%d rows, want 5", len(rows))
	}
	_, body = fecmallGet(t, s, "GET", fecmallPrefix+"list", url.Values{"pageSize": {"1000"}}, s.Opt.Token)
	if got := body["data"].(map[string]any)["pageSize"]; got != "100" {
		t.Errorf("pageSize %v, want capped at 100", got)
	}
	FecmallSetBareListRows(s, true)
	_, body = fecmallGet(t, s, "GET", fecmallPrefix+"get-pending-order-list", nil, s.Opt.Token)
	row := body["data"].(map[string]any)["list"].([]any)[0].(map[string]any)
	for _, k := range []string{"items", "shippingAddress", "billingAddress", "pay_txn_id"} {
		if _, has := row[k]; has {
			t.Errorf("bare row has %s", k)
		}
	}
}

func fecmallItoa(n int) string { b, _ := json.Marshal(n); return string(b) }
