package simshop

import (
	"encoding/json"
	"io"
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"

	"orderdesk/backend"
)

// shoplineCall sends one raw request to the SHOPLINE sim.
func shoplineCall(t *testing.T, s *Server, method, path, query, body string, hdr map[string]string) (int, http.Header, map[string]any) {
	t.Helper()
	u := s.URL() + "/admin/openapi/" + s.Opt.APIVersion + "/" + path
	if query != "" {
		u += "?" + query
	}
	req, err := http.NewRequest(method, u, strings.NewReader(body))
	if err != nil {
		t.Fatal(err)
	}
	req.Header.Set("Authorization", "Bearer "+s.Opt.Token)
	req.Header.Set("Content-Type", "application/json; charset=utf-8")
	for k, v := range hdr {
		if v == "" {
			req.Header.Del(k)
		} else {
			req.Header.Set(k, v)
		}
	}
	res, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer res.Body.Close()
	b, _ := io.ReadAll(res.Body)
	var m map[string]any
	if err := json.Unmarshal(b, &m); err != nil {
		t.Fatalf("%s %s: body %q is not JSON", method, path, b)
	}
	return res.StatusCode, res.Header, m
}

func shoplineStart(t *testing.T) *Server {
	t.Helper()
	s, err := New(backend.Shopline, Options{Seed: 1})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(s.Close)
	return s
}

func TestShoplineRequestChecks(t *testing.T) {
	s := shoplineStart(t)
	for _, c := range []struct {
		name, path, query string
		hdr               map[string]string
		status            int
		errors            string
	}{
		{"no content type on GET", "orders.json", "", map[string]string{"Content-Type": ""}, 400, "Content-Type must be application/json; charset=utf-8"},
		{"no charset", "orders.json", "", map[string]string{"Content-Type": "application/json"}, 400, "Content-Type must be"},
		{"wrong token, echoed", "orders.json", "", map[string]string{"Authorization": "Bearer nope-123"}, 401, "wrong password): Bearer nope-123"},
		{"limit over 100", "orders.json", "limit=101", nil, 400, "limit must be between 1 and 100"},
		{"list fulfillment any", "orders.json", "fulfillment_status=any", nil, 400, "fulfillment status value is illegal"},
		{"list status hidden", "orders.json", "status=hidden", nil, 400, "status value is illegal"},
		{"time with a raw +", "orders.json", "created_at_min=2026-08-01T08:00:00+08:00", nil, 400, "created_at_min must be ISO 8601"},
		{"bad page_info", "orders.json", "page_info=xyz", nil, 400, "page_info is invalid"},
		{"unknown endpoint", "products.json", "", nil, 404, "Not Found"},
	} {
		status, h, body := shoplineCall(t, s, http.MethodGet, c.path, c.query, "", c.hdr)
		if status != c.status || !strings.Contains(body["errors"].(string), c.errors) || h.Get("traceId") == "" {
			t.Errorf("%s: %d %v (traceId %q), want %d %q", c.name, status, body, h.Get("traceId"), c.status, c.errors)
		}
	}
	req, _ := http.NewRequest(http.MethodGet, s.URL()+"/admin/openapi/v20220901/orders.json", nil)
	req.Header.Set("Authorization", "Bearer "+s.Opt.Token)
	req.Header.Set("Content-Type", "application/json; charset=utf-8")
	if res, err := http.DefaultClient.Do(req); err != nil || res.StatusCode != 404 {
		t.Fatalf("other version: %v %v", res.StatusCode, err)
	}
}

func shoplineNames(body map[string]any) []string {
	var out []string
	for _, o := range body["orders"].([]any) {
		out = append(out, o.(map[string]any)["name"].(string))
	}
	return out
}

func TestShoplineListDefaultsAndCursor(t *testing.T) {
	s := shoplineStart(t)
	want := func(match func(o *backend.Order) bool) []string {
		var out []string
		for _, o := range s.Orders() {
			if match(o) {
				out = append(out, o.Number)
			}
		}
		return out
	}
	unshipped := func(o *backend.Order) bool { return o.RawStatus["fulfillment_status"] == "null" }
	hidden := func(o *backend.Order) bool { return o.RawStatus["hidden_order"] == "true" }
	for _, c := range []struct {
		query string
		match func(o *backend.Order) bool
	}{
		{"limit=100", func(o *backend.Order) bool { return unshipped(o) && o.CancelledAt == nil && !hidden(o) }},
		{"limit=100&status=any", unshipped},
		{"limit=100&status=any&hidden_order=true", func(o *backend.Order) bool { return unshipped(o) && hidden(o) }},
		{"limit=100&status=cancelled&fulfillment_status=unshipped", func(o *backend.Order) bool { return unshipped(o) && o.CancelledAt != nil && !hidden(o) }},
		{"limit=100&status=any&fulfillment_status=shipped&financial_status=paid", func(o *backend.Order) bool {
			return o.RawStatus["fulfillment_status"] == "fulfilled" && o.RawStatus["financial_status"] == "paid"
		}},
	} {
		_, h, body := shoplineCall(t, s, http.MethodGet, "orders.json", c.query, "", nil)
		if got, w := strings.Join(shoplineNames(body), ","), strings.Join(want(c.match), ","); got != w || w == "" || h.Get("Link") != "" {
			t.Errorf("%s: got %s, want %s (link %q)", c.query, got, w, h.Get("Link"))
		}
	}

	// Paging: page 2 ignores the filters sent with page_info and inherits
	// the first request's; the last page has only a rel="previous" link.
	all := want(unshipped)
	_, h, body := shoplineCall(t, s, http.MethodGet, "orders.json", "status=any&limit=20", "", nil)
	next := shoplineLink(t, h, "next")
	if strings.Join(shoplineNames(body), ",") != strings.Join(all[:20], ",") || shoplineLink(t, h, "previous") != "" {
		t.Fatalf("page 1 = %v", shoplineNames(body))
	}
	_, h, body = shoplineCall(t, s, http.MethodGet, "orders.json", "status=cancelled&fulfillment_status=shipped&page_info="+next, "", nil)
	if strings.Join(shoplineNames(body), ",") != strings.Join(all[20:], ",") || shoplineLink(t, h, "next") != "" || shoplineLink(t, h, "previous") == "" {
		t.Fatalf("page 2 = %v, want %v; link %q", shoplineNames(body), all[20:], h.Get("Link"))
	}
	_, _, body = shoplineCall(t, s, http.MethodGet, "orders.json", "page_info="+shoplineLink(t, h, "previous"), "", nil)
	if strings.Join(shoplineNames(body), ",") != strings.Join(all[:20], ",") {
		t.Fatalf("previous page = %v", shoplineNames(body))
	}

	_, _, body = shoplineCall(t, s, http.MethodGet, "orders/count.json", "", "", nil)
	_, _, hid := shoplineCall(t, s, http.MethodGet, "orders/count.json", "status=hidden", "", nil)
	if body["count"].(float64) != 60 || int(hid["count"].(float64)) != len(want(hidden)) {
		t.Fatalf("count any %v, hidden %v", body["count"], hid["count"])
	}
}

func shoplineLink(t *testing.T, h http.Header, rel string) string {
	t.Helper()
	for _, part := range strings.Split(h.Get("Link"), ", ") {
		if strings.HasSuffix(part, `rel="`+rel+`"`) {
			u, err := url.Parse(strings.Trim(strings.SplitN(part, ";", 2)[0], "<>"))
			if err != nil {
				t.Fatal(err)
			}
			return u.Query().Get("page_info")
		}
	}
	return ""
}

func shoplinePick(s *Server, match func(o *backend.Order) bool) *backend.Order {
	for _, o := range s.Orders() {
		if match(o) {
			return o
		}
	}
	return nil
}

func TestShoplineWritesValidate(t *testing.T) {
	s := shoplineStart(t)
	open := shoplinePick(s, func(o *backend.Order) bool {
		return o.CancelledAt == nil && o.RawStatus["fulfillment_status"] == "null"
	})
	shipped := shoplinePick(s, func(o *backend.Order) bool { return o.RawStatus["fulfillment_status"] == "fulfilled" })
	cancelled := shoplinePick(s, func(o *backend.Order) bool { return o.CancelledAt != nil })
	hidden := shoplinePick(s, func(o *backend.Order) bool { return o.RawStatus["hidden_order"] == "true" })
	_, _, listed := shoplineCall(t, s, http.MethodGet, "orders.json", "status=any&name="+url.QueryEscape(open.Number), "", nil)
	line := listed["orders"].([]any)[0].(map[string]any)["line_items"].([]any)[0].(map[string]any)
	for _, c := range []struct {
		name, method, path, body string
		status                   int
	}{
		{"line item id as a string", "POST", "orders/" + open.ID + "/fulfillments.json", `{"fulfillment":{"line_items":[{"id":"` + line["id"].(string) + `","quantity":1}]}}`, 400},
		{"over the fulfillable quantity", "POST", "orders/" + open.ID + "/fulfillments.json", `{"fulfillment":{"line_items":[{"id":` + line["id"].(string) + `,"quantity":99}]}}`, 422},
		{"no line items", "POST", "orders/" + open.ID + "/fulfillments.json", `{"fulfillment":{"tracking_number":"X"}}`, 400},
		{"ship a cancelled order", "POST", "orders/" + cancelled.ID + "/fulfillments.json", `{"fulfillment":{"line_items":[{"id":1,"quantity":1}]}}`, 422},
		{"cancel email as an address", "POST", "orders/" + open.ID + "/cancel.json", `{"email":"buyer@example.com"}`, 400},
		{"cancel a shipped order", "POST", "orders/" + shipped.ID + "/cancel.json", `{}`, 422},
		{"cancel a cancelled order", "POST", "orders/" + cancelled.ID + "/cancel.json", `{}`, 422},
		{"archive an archived order", "PUT", "orders/" + hidden.ID + "/hide_mark.json", ``, 422},
		{"unarchive an open order", "PUT", "orders/" + open.ID + "/cancel_hide_mark.json", ``, 422},
		{"update with another id", "PUT", "orders/" + open.ID + ".json", `{"order":{"id":"` + shipped.ID + `","tags":"a"}}`, 400},
		{"update with a numeric id", "PUT", "orders/" + open.ID + ".json", `{"order":{"id":1,"tags":"a"}}`, 400},
		{"unknown order", "PUT", "orders/123.json", `{"order":{"id":"123"}}`, 404},
	} {
		status, _, body := shoplineCall(t, s, c.method, c.path, "", c.body, nil)
		if status != c.status || body["errors"] == nil {
			t.Errorf("%s: %d %v, want %d with errors", c.name, status, body, c.status)
		}
	}
	for _, o := range []*backend.Order{open, shipped, cancelled, hidden} {
		if s.Applied(o.Number) != 0 {
			t.Fatalf("a refused write was applied to %s", o.Number)
		}
	}
}

// note_attributes are replaced by what is sent; create_time is kept when
// sent, stamped otherwise; tags overwrite.
func TestShoplineUpdateReplacesNotes(t *testing.T) {
	s := shoplineStart(t)
	o := shoplinePick(s, func(o *backend.Order) bool { return len(o.Remarks) == 2 })
	body := `{"order":{"id":"` + o.ID + `","tags":"a, b","note_attributes":[{"name":"x","value":"kept","create_time":"2026-01-02T03:04:05+08:00"},{"name":"y","value":"new"}]}}`
	status, _, _ := shoplineCall(t, s, http.MethodPut, "orders/"+o.ID+".json", "", body, nil)
	after, _ := s.Order(o.Number)
	if status != 200 || len(after.Remarks) != 3 || after.Remarks[0].Author != shoplineNoteAuthor ||
		after.Remarks[1].At.Format(time.RFC3339) != "2026-01-01T19:04:05Z" || after.Remarks[2].At == nil ||
		strings.Join(after.Tags, "|") != "a|b" || s.Applied(o.Number) != 1 {
		t.Fatalf("status %d, remarks %+v, tags %v", status, after.Remarks, after.Tags)
	}
}

func TestShoplineTooManyAndFail(t *testing.T) {
	s := shoplineStart(t)
	s.Inject(Fault{Kind: FaultTooMany})
	status, h, body := shoplineCall(t, s, http.MethodGet, "orders.json", "", "", nil)
	if status != 429 || body["errors"] != "Too many request" || h.Get("Retry-After") != "" || h.Get("traceId") == "" {
		t.Fatalf("429: %d %v %v", status, body, h)
	}
	s.Inject(Fault{Kind: FaultTooMany, RetryAfter: 2 * time.Second})
	if _, h, _ := shoplineCall(t, s, http.MethodGet, "orders.json", "", "", nil); h.Get("Retry-After") != "2" {
		t.Fatalf("Retry-After %q", h.Get("Retry-After"))
	}
	s.Inject(Fault{Kind: FaultStatus, Status: 503})
	if status, _, body := shoplineCall(t, s, http.MethodGet, "orders.json", "", "", nil); status != 503 || body["errors"] != "Service Unavailable" {
		t.Fatalf("503: %d %v", status, body)
	}
}
