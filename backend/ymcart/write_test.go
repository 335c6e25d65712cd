package ymcart

import (
	"context"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"testing"

	"orderdesk/backend"
	"orderdesk/backend/simshop"
	"orderdesk/backend/transport"
)

// assertWrite checks the only write recorded: a form POST to the endpoint
// carrying the token and exactly one JSON field.
func assertWrite(t *testing.T, srv *simshop.Server, endpoint, field, body string) {
	t.Helper()
	w := srv.Writes()
	if len(w) != 1 {
		t.Fatalf("%d writes, want 1", len(w))
	}
	assertRead(t, srv, w[0], endpoint, url.Values{field: {body}})
}

// applyAndReadBack applies a, checks the order read back equals the truth,
// and returns the truth after the write.
func applyAndReadBack(t *testing.T, srv *simshop.Server, s *Shop, o *backend.Order, a backend.Action) *backend.Order {
	t.Helper()
	got, err := s.Apply(context.Background(), o, a)
	if err != nil || got != nil {
		t.Fatalf("apply: %v, %v", got, seen(err))
	}
	after, _ := srv.Order(o.Number)
	back, err := s.Get(context.Background(), o.Number)
	if err != nil {
		t.Fatal(seen(err))
	}
	if g, w := asTruth(back), truth(srv, o.Number); g != w {
		t.Errorf("read back:\n%s\nwant:\n%s", g, w)
	}
	if n := srv.Applied(o.Number); n != 1 {
		t.Errorf("applied %d times", n)
	}
	return after
}

func TestApplyStatus(t *testing.T) {
	t.Parallel()
	srv, s := startSim(t)
	o := pick(t, srv, "100")
	after := applyAndReadBack(t, srv, s, o, backend.Action{Kind: backend.ActionStatus, Status: "600"})
	assertWrite(t, srv, "orderStatus", "status_res", fmt.Sprintf(`[{"itemno":"%s","status":600}]`, o.Number))
	if after.RawStatus["order_status"] != "600" || after.State.Order != backend.OrderCancelled || after.StatusLabel != "600 void" {
		t.Errorf("truth after: %v %+v %q", after.RawStatus, after.State, after.StatusLabel)
	}
	if !after.UpdatedAt.After(*o.UpdatedAt) {
		t.Errorf("updated_at %v not after %v", after.UpdatedAt, o.UpdatedAt)
	}
	if n := srv.Emails(o.Number); n != 1 {
		t.Errorf("%d emails: orderStatus emails the customer", n)
	}
}

func TestApplyStatusPaid(t *testing.T) {
	t.Parallel()
	srv, s := startSim(t)
	o := pick(t, srv, "102")
	after := applyAndReadBack(t, srv, s, o, backend.Action{Kind: backend.ActionStatus, Status: "200"})
	if after.State.Payment != backend.PayPaid || after.PaidAt == nil || after.Payments[0].TransactionID == "" {
		t.Errorf("truth after: %+v paid %v payments %+v", after.State, after.PaidAt, after.Payments)
	}
}

func TestApplyShip(t *testing.T) {
	t.Parallel()
	srv, s := startSim(t)
	o := pick(t, srv, "200")
	ship := backend.Action{Kind: backend.ActionShip, Shipment: backend.Shipment{Carrier: "DHL", TrackingNumber: "1234567890", TrackingURL: "https://dhl.example/1234567890"}}
	after := applyAndReadBack(t, srv, s, o, ship)
	assertWrite(t, srv, "orderShip", "shipno_res", fmt.Sprintf(`[{"itemno":"%s","delivery_no":"1234567890","shipping_corp_codeno":"","shipping_corp_name":"DHL","remark":"","remark_user":""}]`, o.Number))
	if after.RawStatus["order_status"] != "301" || after.RawStatus["shipping_status"] != "301" || after.State.Fulfillment != backend.FulFulfilled {
		t.Errorf("truth after: %v %+v", after.RawStatus, after.State)
	}
	if n := len(after.Shipments); n != 1 || after.Shipments[0].TrackingNumber != "1234567890" || after.Shipments[0].Carrier != "DHL" {
		t.Errorf("shipments: %+v", after.Shipments)
	}
	if n := srv.Emails(o.Number); n != 1 {
		t.Errorf("%d emails: orderShip emails the customer", n)
	}
	// A shipped order takes another tracking number.
	if _, err := s.Apply(context.Background(), after, backend.Action{Kind: backend.ActionShip, Shipment: backend.Shipment{Carrier: "UPS", TrackingNumber: "1Z999AA10123456784"}}); err != nil {
		t.Fatal(seen(err))
	}
	back, err := s.Get(context.Background(), o.Number)
	if err != nil || len(back.Shipments) != 2 || back.Shipments[1].Carrier != "UPS" {
		t.Errorf("second shipment: %+v %v", back, seen(err))
	}
}

func TestApplyRemark(t *testing.T) {
	t.Parallel()
	srv, s := startSim(t)
	o := pick(t, srv, "600")
	text := `Refund <b>sent</b> & "noted"`
	after := applyAndReadBack(t, srv, s, o, backend.Action{Kind: backend.ActionRemark, Remark: text})
	assertWrite(t, srv, "orderRemark", "remark_res", fmt.Sprintf(`[{"itemno":"%s","remark":"Refund <b>sent</b> & \"noted\""}]`, o.Number))
	last := after.Remarks[len(after.Remarks)-1]
	if len(after.Remarks) != len(o.Remarks)+1 || last.Text != text || last.Visibility != backend.Internal || last.At == nil {
		t.Errorf("remarks: %+v", after.Remarks)
	}
	if n := srv.Emails(o.Number); n != 0 {
		t.Errorf("%d emails for a remark", n)
	}
}

// 26 targets: one refused, one unknown, 24 good remarks → calls of 20 and 5
// orders, in input order, one error per target.
func TestApplyBatch(t *testing.T) {
	t.Parallel()
	srv, s := startSim(t)
	orders := srv.Orders()
	var targets []backend.Target
	for i, o := range orders[:24] {
		targets = append(targets, backend.Target{Order: o, Action: backend.Action{Kind: backend.ActionRemark, Remark: fmt.Sprintf("batch %d", i)}})
	}
	ghost := &backend.Order{Number: "SY20990101-9999", RawStatus: map[string]string{"order_status": "200"}}
	targets = append(targets[:3], append([]backend.Target{
		{Order: orders[30], Action: backend.Action{Kind: backend.ActionRemark, Remark: " "}},
		{Order: ghost, Action: backend.Action{Kind: backend.ActionRemark, Remark: "lost"}},
	}, targets[3:]...)...)
	errs := s.ApplyBatch(context.Background(), targets)
	if len(errs) != len(targets) {
		t.Fatalf("%d errors for %d targets", len(errs), len(targets))
	}
	for i, err := range errs {
		seen(err)
		switch {
		case i == 3 && !errors.Is(err, backend.ErrRefused), i == 4 && !errors.Is(err, backend.ErrNotFound), i != 3 && i != 4 && err != nil:
			t.Errorf("target %d (%s): %v", i, targets[i].Order.Number, err)
		}
	}
	w := srv.Writes()
	if len(w) != 2 {
		t.Fatalf("%d calls, want 2", len(w))
	}
	var sent []string
	for _, r := range w {
		sent = append(sent, r.Form.Get("remark_res"))
	}
	if n0, n1 := strings.Count(sent[0], "itemno"), strings.Count(sent[1], "itemno"); n0 != 20 || n1 != 5 {
		t.Errorf("calls carried %d and %d orders", n0, n1)
	}
	all := strings.Join(sent, "")
	prev := -1
	for i, tg := range targets {
		if i == 3 {
			if strings.Contains(all, tg.Order.Number) {
				t.Error("the refused remark was sent")
			}
			continue
		}
		at := strings.Index(all, `"`+tg.Order.Number+`"`)
		if at <= prev {
			t.Errorf("target %d out of order", i)
		}
		prev = at
		if tg.Order != ghost && srv.Applied(tg.Order.Number) != 1 {
			t.Errorf("%s applied %d times", tg.Order.Number, srv.Applied(tg.Order.Number))
		}
	}
}

// One batch of several kinds: one call per kind.
func TestApplyBatchKinds(t *testing.T) {
	t.Parallel()
	srv, s := startSim(t)
	paid, paid2, fresh := pick(t, srv, "200"), pick(t, srv, "200", pick(t, srv, "200").Number), pick(t, srv, "100")
	errs := s.ApplyBatch(context.Background(), []backend.Target{
		{Order: paid, Action: backend.Action{Kind: backend.ActionShip, Shipment: backend.Shipment{Carrier: "EMS", TrackingNumber: "EE123456785CN"}}},
		{Order: fresh, Action: backend.Action{Kind: backend.ActionStatus, Status: "200"}},
		{Order: paid2, Action: backend.Action{Kind: backend.ActionRemark, Remark: "packed"}},
	})
	for i, err := range errs {
		if err != nil {
			t.Errorf("target %d: %v", i, seen(err))
		}
	}
	var paths []string
	for _, w := range srv.Writes() {
		paths = append(paths, w.Path)
	}
	if got := strings.Join(paths, " "); got != "/api-erp-orderShip.html /api-erp-orderStatus.html /api-erp-orderRemark.html" {
		t.Errorf("calls: %s", got)
	}
}

func TestRefusalsSendNothing(t *testing.T) {
	t.Parallel()
	srv, s := startSim(t)
	ship := backend.Action{Kind: backend.ActionShip, Shipment: backend.Shipment{Carrier: "DHL", TrackingNumber: "1234567890"}}
	cases := []struct {
		status string
		action backend.Action
		kind   error
	}{
		{"200", backend.Action{Kind: backend.ActionStatus, Status: "301"}, backend.ErrUnsupported},
		{"200", backend.Action{Kind: backend.ActionStatus, Status: "999"}, backend.ErrUnsupported},
		{"200", backend.Action{Kind: backend.ActionStatus, Status: "700"}, backend.ErrRefused},
		{"600", backend.Action{Kind: backend.ActionStatus, Status: "100"}, backend.ErrRefused},
		{"700", backend.Action{Kind: backend.ActionStatus, Status: "600"}, backend.ErrRefused},
		{"301", backend.Action{Kind: backend.ActionStatus, Status: "600"}, backend.ErrRefused},
		{"100", ship, backend.ErrRefused},
		{"101", ship, backend.ErrRefused},
		{"102", ship, backend.ErrRefused},
		{"600", ship, backend.ErrRefused},
		{"700", ship, backend.ErrRefused},
		{"200", backend.Action{Kind: backend.ActionShip, Shipment: backend.Shipment{Carrier: "DHL"}}, backend.ErrRefused},
		{"200", backend.Action{Kind: backend.ActionRemark}, backend.ErrRefused},
		{"200", backend.Action{Kind: "archive"}, backend.ErrUnsupported},
	}
	for _, c := range cases {
		o := pick(t, srv, c.status)
		_, err := s.Apply(context.Background(), o, c.action)
		if !errors.Is(seen(err), c.kind) || backend.Reason(err) == "" {
			t.Errorf("%s %+v: %v, want %v with a reason", c.status, c.action, err, c.kind)
		}
	}
	if n := len(srv.Writes()); n != 0 {
		t.Errorf("%d writes sent", n)
	}
}

// The sim refuses calls of more than 20 orders as a whole.
func TestSimRefusesOver20(t *testing.T) {
	t.Parallel()
	srv, _ := startSim(t)
	var targets []backend.Target
	for _, o := range srv.Orders()[:21] {
		targets = append(targets, backend.Target{Order: o, Action: backend.Action{Kind: backend.ActionRemark, Remark: "x"}})
	}
	body, _ := encodeBatch(backend.ActionRemark, targets)
	res, err := http.PostForm(srv.URL()+"/api-erp-orderRemark.html", url.Values{"token": {srv.Opt.Token}, "remark_res": {body}})
	if err != nil {
		t.Fatal(err)
	}
	defer res.Body.Close()
	got, _ := io.ReadAll(res.Body)
	if res.StatusCode != 200 || string(got) != `{"code":1,"msg":"remark_res_limit_20"}` {
		t.Errorf("%s %s", res.Status, got)
	}
	for _, tg := range targets {
		if srv.Applied(tg.Order.Number) != 0 {
			t.Fatal("an order of the refused call was applied")
		}
	}
	// The adapter reads such an answer as a rejection.
	err = envelope(&transport.Response{Status: 200, Body: got})
	if !errors.Is(seen(err), backend.ErrRejected) || !strings.Contains(err.Error(), "remark_res_limit_20") {
		t.Errorf("envelope: %v", err)
	}
}

// An answer that leaves an order out: the orderStatus example over HTTP.
func TestAnswerWithoutOrder(t *testing.T) {
	t.Parallel()
	var form url.Values
	hs := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		_ = r.ParseForm()
		form = r.PostForm
		_, _ = w.Write(seed(t, "orderStatus_response.json"))
	}))
	defer hs.Close()
	s := newShop(t, backend.ShopConfig{Name: "ym", URL: hs.URL, Token: backend.NewSecret("seed-token-0002")})
	errs := s.ApplyBatch(context.Background(), []backend.Target{
		{Order: seedOrder("SY20160901-593", "100"), Action: backend.Action{Kind: backend.ActionStatus, Status: "200"}},
		{Order: seedOrder("SY20160912-xxx", "301"), Action: backend.Action{Kind: backend.ActionStatus, Status: "700"}},
	})
	if !errors.Is(seen(errs[0]), backend.ErrOutcomeUnknown) || !errors.Is(seen(errs[1]), backend.ErrNotFound) {
		t.Errorf("errors: %v", errs)
	}
	if form.Get("token") != "seed-token-0002" || form.Get("status_res") != `[{"itemno":"SY20160901-593","status":200},{"itemno":"SY20160912-xxx","status":700}]` {
		t.Errorf("form: %v", form)
	}
}
