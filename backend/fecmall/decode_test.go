package fecmall

import (
	"encoding/json"
	"errors"
	"fmt"
	"strings"
	"testing"

	"orderdesk/backend"
)

// seedInfo returns the seed's order_info object as a map to edit.
func seedInfo(t *testing.T) map[string]any {
	t.Helper()
	var env struct {
		Data struct {
			OrderInfo map[string]any `json:"order_info"`
		} `json:"data"`
	}
	if err := json.Unmarshal(readSeed(t, "order_info.json"), &env); err != nil {
		t.Fatal(err)
	}
	return env.Data.OrderInfo
}

func detailBody(t *testing.T, info any) []byte {
	t.Helper()
	b, err := json.Marshal(map[string]any{"code": 200, "message": "success", "data": map[string]any{"order_info": info, "pay_txn_id": "TXN-1"}})
	if err != nil {
		t.Fatal(err)
	}
	return b
}

func listBody(t *testing.T, rows ...any) []byte {
	t.Helper()
	b, err := json.Marshal(map[string]any{"code": 200, "message": "success",
		"data": map[string]any{"total": fmt.Sprint(len(rows)), "pageSize": 20, "totalPage": "1", "list": rows}})
	if err != nil {
		t.Fatal(err)
	}
	return b
}

// TestDecodeTolerant: numbers as strings and strings as numbers, {} and []
// for empty objects, tags as a string, unix times as strings, a billing
// address of its own.
func TestDecodeTolerant(t *testing.T) {
	t.Parallel()
	info := seedInfo(t)
	info["id"], info["order_status"], info["payment_status"], info["fulfillment_status"] = "1422", "3", 3, "5"
	info["curr_grand_total"], info["curr_subtotal"], info["base_grand_total"] = 12.42, 12.42, "80.00"
	info["currency_code"], info["base_currency_code"] = "jpy", "CNY"
	info["curr_grand_total"], info["curr_subtotal"] = "1200.00", 1200
	info["payed_at"], info["fulfilled_at"], info["cancelled_at"] = "1675415367", 1675415400, "0"
	info["tags"] = "vip, wholesale,"
	info["note"] = "请尽快发货"
	info["billing_is_use_shipping_address"] = "2"
	info["billingAddress"] = map[string]any{"first_name": "小明", "last_name": "王", "company": "ACME", "city": "上海", "country_code": "CN"}
	info["shippingAddress"] = []any{}
	item := info["items"].([]any)[0].(map[string]any)
	item["qty"], item["gram"], item["curr_price"], item["curr_row_price"] = "2", 250.4, "600.00", nil

	o, _, err := testDecoder().order(mustJSON(t, info), "")
	if err != nil {
		t.Fatal(collector.Err(err))
	}
	checks := []struct {
		what      string
		got, want any
	}{
		{"id", o.ID, "1422"},
		{"state", o.State, backend.State{Order: backend.OrderOpen, Archived: true, Payment: backend.PayPaid, Fulfillment: backend.FulFulfilled}},
		{"label", o.StatusLabel, "archived, paid, shipped"},
		{"currency", o.Currency, "JPY"},
		{"grand total", o.Totals.GrandTotal.String(), "1200"},
		{"subtotal", o.Totals.Subtotal.String(), "1200"},
		{"base", *o.Base, backend.Base{Currency: "CNY", GrandTotal: backend.MustAmount("80", "CNY")}},
		{"paid at", o.PaidAt.Format("2006-01-02T15:04:05Z07:00"), "2023-02-03T09:09:27Z"},
		{"cancelled at", o.CancelledAt, (*struct{})(nil)},
		{"shipments", len(o.Shipments), 1},
		{"shipped at", o.Shipments[0].ShippedAt.Unix(), int64(1675415400)},
		{"tags", strings.Join(o.Tags, "|"), "vip|wholesale"},
		{"buyer note", o.BuyerNote, "请尽快发货"},
		{"shipping address", o.ShippingAddress, (*backend.Address)(nil)},
		{"billing name", o.BillingAddress.Name, "王小明"},
		{"customer name", o.Customer.Name, "王小明"},
		{"qty", o.Items[0].Qty, 2},
		{"weight", o.Items[0].WeightG, int64(250)},
		{"row total", o.Items[0].RowTotal.String(), "1200"},
		{"payment", o.Payments[0].Status + " " + o.Payments[0].Amount.String(), "paid 1200"},
	}
	for _, c := range checks {
		if fmt.Sprint(c.got) != fmt.Sprint(c.want) {
			t.Errorf("%s: %v, want %v", c.what, c.got, c.want)
		}
	}
}

func mustJSON(t *testing.T, v any) []byte {
	t.Helper()
	b, err := json.Marshal(v)
	if err != nil {
		t.Fatal(err)
	}
	return b
}

// TestDecodeErrorsNameTheField: a value that cannot be understood fails the
// order with ErrBadResponse naming the field.
func TestDecodeErrorsNameTheField(t *testing.T) {
	t.Parallel()
	cases := []struct {
		field string
		edit  func(m map[string]any)
	}{
		{"data.order_info.curr_grand_total", func(m map[string]any) { m["curr_grand_total"] = "12,42" }},
		{"data.order_info.curr_grand_total", func(m map[string]any) { delete(m, "curr_grand_total") }},
		{"data.order_info.curr_subtotal", func(m map[string]any) { m["curr_subtotal"] = map[string]any{"v": 1} }},
		{"data.order_info.base_grand_total", func(m map[string]any) { m["base_grand_total"] = "abc" }},
		{"data.order_info.currency_code", func(m map[string]any) { m["currency_code"] = "" }},
		{"data.order_info.order_number", func(m map[string]any) { m["order_number"] = nil }},
		{"data.order_info.order_status", func(m map[string]any) { m["order_status"] = 7 }},
		{"data.order_info.payment_status", func(m map[string]any) { m["payment_status"] = "paid" }},
		{"data.order_info.created_at", func(m map[string]any) { m["created_at"] = "yesterday" }},
		{"data.order_info.payed_at", func(m map[string]any) { m["payed_at"] = -5 }},
		{"data.order_info.billingAddress", func(m map[string]any) { m["billingAddress"] = []any{1} }},
		{"data.order_info.items.qty", func(m map[string]any) { m["items"].([]any)[0].(map[string]any)["qty"] = "one" }},
		{"data.order_info.items[0].qty", func(m map[string]any) { delete(m["items"].([]any)[0].(map[string]any), "qty") }},
		{"data.order_info.items[0].curr_price", func(m map[string]any) { m["items"].([]any)[0].(map[string]any)["curr_price"] = "1.2.3" }},
		{"data.order_info.items.gram", func(m map[string]any) { m["items"].([]any)[0].(map[string]any)["gram"] = "heavy" }},
		{"data.order_info.tags", func(m map[string]any) { m["tags"] = []any{map[string]any{}} }},
	}
	for _, c := range cases {
		info := seedInfo(t)
		c.edit(info)
		_, err := testDecoder().decodeDetail("get B1", detailBody(t, info))
		be := wantKind(t, err, backend.ErrBadResponse)
		if be.Field != c.field || be.Shop != shopName || be.Op != "get B1" {
			t.Errorf("field %q (shop %q, op %q), want %q: %v", be.Field, be.Shop, be.Op, c.field, err)
		}
	}
	// The envelope itself.
	for body, field := range map[string]string{`{"code":{"v":1}}`: "code", `[1]`: "body", `{"code":200,"data":"x"}`: "data"} {
		_, err := testDecoder().decodeDetail("get B1", []byte(body))
		if be := wantKind(t, err, backend.ErrBadResponse); be.Field != field {
			t.Errorf("%s: field %q, want %q", body, be.Field, field)
		}
	}
	// In a list the row is named, and the page fails whole.
	bad := seedInfo(t)
	bad["curr_grand_total"] = "x"
	_, err := testDecoder().decodeList("list paid page 1", listBody(t, seedInfo(t), bad))
	if be := wantKind(t, err, backend.ErrBadResponse); be.Field != "data.list[1].curr_grand_total" {
		t.Errorf("field %q", be.Field)
	}
}

// TestEnvelopeCodes maps every body code the desk decides on.
func TestEnvelopeCodes(t *testing.T) {
	t.Parallel()
	cases := []struct {
		body string
		kind error
	}{
		{`{"code":401,"message":"invalid open-access-token","data":null}`, backend.ErrAuth},
		{`{"code":"403","message":"no permission"}`, backend.ErrAuth},
		{`{"code":404,"message":"order not found"}`, backend.ErrNotFound},
		{`{"code":429,"message":"slow down"}`, backend.ErrRateLimited},
		{`{"code":500,"message":"db error"}`, backend.ErrUnavailable},
		{`{"code":503,"message":"maintenance"}`, backend.ErrUnavailable},
		{`{"code":400,"message":{"order_number":["required"]}}`, backend.ErrRejected},
		{`{"code":200,"message":"success","data":{"order_info":null,"pay_txn_id":""}}`, backend.ErrNotFound},
		{`{"code":200,"message":"success","data":[]}`, backend.ErrNotFound},
		{`{"message":"success","data":{}}`, backend.ErrBadResponse},
		{`<html>`, backend.ErrBadResponse},
	}
	for _, c := range cases {
		_, err := testDecoder().decodeDetail("get B1", []byte(c.body))
		if !errors.Is(err, c.kind) {
			t.Errorf("%s: %v, want %v", c.body, collector.Err(err), c.kind)
		}
		collector.Err(err)
	}
	_, err := testDecoder().decodeDetail("get B1", []byte(`{"code":400,"message":{"order_number":["required"]}}`))
	if r := backend.Reason(err); r != `code 400: {"order_number":["required"]}` {
		t.Errorf("reason %q", r)
	}
}

// TestDecodeListShapes: totals as numbers or strings, an empty data, rows
// without items marked for a detail read.
func TestDecodeListShapes(t *testing.T) {
	t.Parallel()
	bare := seedInfo(t)
	delete(bare, "items")
	p, err := testDecoder().decodeList("list", listBody(t, seedInfo(t), bare))
	if err != nil {
		t.Fatal(collector.Err(err))
	}
	if len(p.orders) != 2 || p.bare[0] || !p.bare[1] || !p.totalPage.Set || p.totalPage.V != 1 {
		t.Errorf("page %+v", p)
	}
	for _, body := range []string{
		`{"code":200,"message":"success","data":null}`,
		`{"code":200,"message":"success","data":[]}`,
		`{"code":200,"message":"success","data":{"total":0,"pageSize":20,"totalPage":0,"list":[]}}`,
	} {
		p, err := testDecoder().decodeList("list", []byte(body))
		if err != nil || len(p.orders) != 0 {
			t.Errorf("%s: %+v %v", body, p, collector.Err(err))
		}
	}
}
