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

// fecshopCall sends one raw request and decodes the JSON answer.
func fecshopCall(t *testing.T, srv *Server, method, path, token, ctype, body string) (*http.Response, map[string]any) {
	t.Helper()
	req, err := http.NewRequest(method, srv.URL()+path, strings.NewReader(body))
	if err != nil {
		t.Fatal(err)
	}
	if token != "" {
		req.Header.Set("access-token", token)
	}
	if ctype != "" {
		req.Header.Set("Content-Type", ctype)
	}
	res, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer res.Body.Close()
	raw, _ := io.ReadAll(res.Body)
	var m map[string]any
	if err := json.Unmarshal(raw, &m); err != nil {
		t.Fatalf("%s %s: not JSON: %s", method, path, raw)
	}
	return res, m
}

func fecshopStart(t *testing.T) (*Server, string) {
	t.Helper()
	srv, err := New(backend.Fecshop, Options{Seed: 1})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(srv.Close)
	_, m := fecshopCall(t, srv, "POST", "/v1/account/login", "", "application/json", `{"username":"desk","password":"sim-password-fecshop"}`)
	tok, _ := m["access-token"].(string)
	if len(tok) != 32 || m["code"] != 200.0 || m["status"] != "success" {
		t.Fatalf("login answer %v", m)
	}
	return srv, tok
}

func TestFecshopLoginQuirks(t *testing.T) {
	srv, tok := fecshopStart(t)
	// A valid token header gets the same token back, credentials unchecked.
	res, m := fecshopCall(t, srv, "POST", "/v1/account/login", tok, "application/x-www-form-urlencoded", "username=desk&password=wrong")
	if m["access-token"] != tok || res.Header.Get("access-token") != tok {
		t.Errorf("login with a valid token: %v", m)
	}
	_, m = fecshopCall(t, srv, "POST", "/v1/account/login", "", "application/json", `{"username":"desk","password":"wrong"}`)
	if m["access-token"] != "" || m["status"] != "error" || m["code"] != 401.0 {
		t.Errorf("bad login: %v", m)
	}
	// A new login replaces the token: the old one times out.
	_, m = fecshopCall(t, srv, "POST", "/v1/account/login", "", "application/x-www-form-urlencoded", "username=desk&password=sim-password-fecshop")
	fresh, _ := m["access-token"].(string)
	if fresh == tok || len(fresh) != 32 {
		t.Fatalf("a fresh login gave %q", fresh)
	}
	res, m = fecshopCall(t, srv, "GET", "/v1/order/list", tok, "", "")
	if res.StatusCode != 200 || m["code"] != 1100003.0 || m["message"] != "token is time out" || res.Header.Get("X-Pagination-Total-Count") != "" {
		t.Errorf("old token: %d %v", res.StatusCode, m)
	}
	srv.ExpireTokens()
	if _, m = fecshopCall(t, srv, "GET", "/v1/order/list", fresh, "", ""); m["code"] != 1100003.0 {
		t.Errorf("expired token accepted: %v", m)
	}
}

func TestFecshopNumbersStringsInReadsNativeInUpdate(t *testing.T) {
	srv, tok := fecshopStart(t)
	res, m := fecshopCall(t, srv, "GET", "/v1/order/list?page=2", tok, "", "")
	data := m["data"].([]any)
	first := data[0].(map[string]any)
	if len(data) != 5 || first["order_id"] != "6605" || first["created_at"] == nil || first["products"] == nil || first["customer_address_country_name"] == nil {
		t.Fatalf("list page 2: %d orders, first %v", len(data), first["order_id"])
	}
	if _, isStr := first["created_at"].(string); !isStr {
		t.Errorf("list created_at %T, want a string", first["created_at"])
	}
	for h, want := range map[string]string{"X-Pagination-Total-Count": "60", "X-Pagination-Page-Count": "12", "X-Pagination-Current-Page": "2", "X-Pagination-Per-Page": "5"} {
		if got := res.Header.Get(h); got != want {
			t.Errorf("%s = %q, want %q", h, got, want)
		}
	}
	num := first["increment_id"].(string)
	_, m = fecshopCall(t, srv, "POST", "/v1/order/updateorderstatus", tok, "application/json", `{"increment_id":"`+num+`","order_status":"holded"}`)
	up := m["data"].(map[string]any)["updateData"].(map[string]any)
	if m["code"] != 200.0 || up["order_id"] != 6605.0 || up["order_status"] != "holded" || up["products"] != nil || up["customer_address_state_name"] != nil {
		t.Errorf("updateData %v", up)
	}
	if _, isNum := up["created_at"].(float64); !isNum {
		t.Errorf("updateData created_at %T, want a number", up["created_at"])
	}
	if srv.Applied(num) != 1 {
		t.Errorf("applied %d", srv.Applied(num))
	}
}

func TestFecshopListEnds(t *testing.T) {
	srv, tok := fecshopStart(t)
	res, m := fecshopCall(t, srv, "GET", "/v1/order/list?page=13", tok, "", "")
	if m["code"] != 400.0 || !strings.Contains(m["message"].(string), "exceeded the maximum number of pages") {
		t.Errorf("page 13: %v", m)
	}
	q := url.Values{"begin_date": {"2001-01-01 00:00:00"}, "end_date": {"2001-02-01 00:00:00"}}
	res, m = fecshopCall(t, srv, "GET", "/v1/order/list?"+q.Encode(), tok, "", "")
	if m["code"] != 400.0 || res.Header.Get("X-Pagination-Total-Count") != "0" || len(m["data"].([]any)) != 0 {
		t.Errorf("empty result page 1: %v %v", res.Header, m)
	}
}

func TestFecshopFetchoneReadsTheQueryOnly(t *testing.T) {
	srv, tok := fecshopStart(t)
	num := srv.Orders()[4].Number
	_, m := fecshopCall(t, srv, "GET", "/v1/order/fetchone", tok, "application/json", `{"increment_id":"`+num+`"}`)
	if m["code"] != 400.0 || m["message"] != "request param [increment_id] can not empty" {
		t.Errorf("body-only fetchone: %v", m)
	}
	_, m = fecshopCall(t, srv, "GET", "/v1/order/fetchone?increment_id="+num, tok, "", "")
	if d := m["data"].(map[string]any); m["code"] != 200.0 || d["increment_id"] != num || d["products"] == nil {
		t.Errorf("fetchone: %v", m)
	}
	if _, m = fecshopCall(t, srv, "GET", "/v1/order/fetchone?increment_id=1", tok, "", ""); m["message"] != "can not find order by id or url_key" {
		t.Errorf("unknown: %v", m)
	}
}

func TestFecshopUpdateValidation(t *testing.T) {
	srv, tok := fecshopStart(t)
	_, m := fecshopCall(t, srv, "POST", "/v1/order/updateorderstatus", tok, "application/json", `{"order_status":"received"}`)
	errs, _ := m["data"].(map[string]any)["error"].([]any)
	if m["code"] != 400.0 || m["message"] != "data param format error" || len(errs) != 2 ||
		errs[0] != "[increment_id] can not empty" || !strings.HasPrefix(errs[1].(string), "[order_status] value must be in array [payment_pending,") {
		t.Errorf("validation: %v", m)
	}
	if _, m = fecshopCall(t, srv, "POST", "/v1/order/updateorderstatus", tok, "application/x-www-form-urlencoded", "increment_id=1&order_status=completed"); m["message"] != "can not find order by increment_id:1" {
		t.Errorf("unknown order: %v", m)
	}
	// Form body; tracking written only when non-empty; no transition check.
	var o *backend.Order
	for _, c := range srv.Orders() {
		if len(c.Shipments) > 0 {
			o = c
			break
		}
	}
	_, m = fecshopCall(t, srv, "POST", "/v1/order/updateorderstatus", tok, "application/x-www-form-urlencoded",
		url.Values{"increment_id": {o.Number}, "order_status": {"payment_pending"}, "tracking_number": {""}}.Encode())
	after, _ := srv.Order(o.Number)
	if m["code"] != 200.0 || after.RawStatus["order_status"] != "payment_pending" || len(after.Shipments) != 1 ||
		after.Shipments[0].TrackingNumber != o.Shipments[0].TrackingNumber {
		t.Errorf("form update: %v, shipments %+v", m, after.Shipments)
	}
	if srv.Applied(o.Number) != 1 || len(srv.Writes()) != 3 {
		t.Errorf("applied %d, writes %d", srv.Applied(o.Number), len(srv.Writes()))
	}
}

func TestFecshopErrorAnswers(t *testing.T) {
	srv, tok := fecshopStart(t)
	srv.SetRateLimit(0.5, 1)
	res, _ := fecshopCall(t, srv, "GET", "/v1/order/list", tok, "", "")
	if res.Header.Get("X-Rate-Limit-Limit") != "1" || res.Header.Get("X-Rate-Limit-Remaining") == "" {
		t.Errorf("limit headers on success: %v", res.Header)
	}
	res, m := fecshopCall(t, srv, "GET", "/v1/order/list", tok, "", "")
	if res.StatusCode != 200 || m["code"] != 429.0 || m["error_no"] == "" || res.Header.Get("X-Rate-Limit-Reset") != "1" {
		t.Errorf("over the limit: %d %v %v", res.StatusCode, m, res.Header)
	}
	srv.SetRateLimit(0, 0)
	srv.Inject(Fault{Kind: FaultStatus, Status: 503})
	res, m = fecshopCall(t, srv, "GET", "/v1/order/list", tok, "", "")
	if res.StatusCode != 503 || m["code"] != 503.0 || m["error_no"] == nil {
		t.Errorf("injected 503: %d %v", res.StatusCode, m)
	}
	srv.Inject(Fault{Kind: FaultTooMany, RetryAfter: 1500 * time.Millisecond})
	res, m = fecshopCall(t, srv, "GET", "/v1/order/list", tok, "", "")
	if res.StatusCode != 200 || m["code"] != 429.0 || res.Header.Get("X-Rate-Limit-Reset") != "2" {
		t.Errorf("injected 429: %d %v %v", res.StatusCode, m, res.Header)
	}
	if res, m = fecshopCall(t, srv, "GET", "/v1/order/updateorderstatus", tok, "", ""); res.StatusCode != 405 || m["code"] != 405.0 {
		t.Errorf("GET on a POST endpoint: %d %v", res.StatusCode, m)
	}
}

// Every raw status appears, paid-and-unshipped most often.
func TestFecshopStatusMix(t *testing.T) {
	srv, _ := fecshopStart(t)
	n := map[string]int{}
	for _, o := range srv.Orders() {
		n[o.RawStatus["order_status"]]++
		if o.BillingAddress != nil || o.PaidAt != nil || !o.State.Inferred {
			t.Errorf("order %s: billing %v paid_at %v inferred %v", o.Number, o.BillingAddress, o.PaidAt, o.State.Inferred)
		}
	}
	for raw := range fecshopStatuses {
		if n[raw] == 0 {
			t.Errorf("no order in %s", raw)
		}
	}
	if n["payment_confirmed"]+n["processing"] < 15 {
		t.Errorf("only %d paid-and-unshipped orders", n["payment_confirmed"]+n["processing"])
	}
}
