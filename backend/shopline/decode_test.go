package shopline

import (
	"net/http"
	"strings"
	"testing"
	"time"

	"orderdesk/backend"
	"orderdesk/backend/internal/adapt"
	"orderdesk/backend/transport"
)

func TestExactDecimal(t *testing.T) {
	t.Parallel()
	for _, c := range []struct{ in, want string }{
		{"12.9", "12.9"}, {"1200", "1200"}, {"89.32", "89.32"}, {"1.23456789E7", "12345678.9"},
		{"1.0E7", "10000000"}, {"1e3", "1000"}, {"-2.5e-3", "-0.0025"}, {"5E+2", "500"}, {"123.45e-1", "12.345"},
	} {
		got, err := exactDecimal(c.in)
		if err != nil || got != c.want {
			t.Errorf("exactDecimal(%q) = %q, %v; want %q", c.in, got, err, c.want)
		}
	}
	for _, bad := range []string{"1e999", "1.2.3e4", "e5", "1ex", "abc e2"} {
		if got, err := exactDecimal(bad); err == nil {
			t.Errorf("exactDecimal(%q) = %q, want an error", bad, got)
		}
	}
}

func TestWholeGrams(t *testing.T) {
	t.Parallel()
	for _, c := range []struct {
		in   string
		want int64
	}{{"130.0", 130}, {"300.5", 301}, {"300.49", 300}, {"", 0}, {"2.5E3", 2500}, {"0.45", 0}} {
		got, err := shoplineGrams(c.in)
		if err != nil || got != c.want {
			t.Errorf("shoplineGrams(%q) = %d, %v; want %d", c.in, got, err, c.want)
		}
	}
	if _, err := shoplineGrams("heavy"); err == nil {
		t.Error("shoplineGrams(heavy) accepted")
	}
}

func TestErrorReasonReadsEveryShape(t *testing.T) {
	t.Parallel()
	for _, c := range []struct{ body, want string }{
		{`{"errors":"Too many request"}`, "Too many request"},
		{`{"errors":["Orders that have been shipped cannot be cancelled","try later"]}`, "Orders that have been shipped cannot be cancelled; try later"},
		{`{"errors":{"tags":["is too long"],"id":["is required","must be a string"]}}`, "id: is required; must be a string; tags: is too long"},
		{`{"errors":[{"code":"E1","field":"note","message":"bad"},{"message":"worse"}]}`, "note: bad; worse"},
		{`{"message":"Store is frozen","code":402}`, "Store is frozen (code 402)"},
		{`{"errors":"The product does not exist.","code":"40401"}`, "The product does not exist. (code 40401)"},
		{`<html>bad gateway</html>`, ""},
		{`{"errors":null}`, ""},
	} {
		if got := errorReason([]byte(c.body)); got != c.want {
			t.Errorf("errorReason(%s) = %q, want %q", c.body, got, c.want)
		}
	}
}

func TestNextPageInfo(t *testing.T) {
	t.Parallel()
	next := `<https://open001.myshopline.com/admin/openapi/v20251201/orders.json?limit=50&page_info=eyJzaW5jZUlkIjoiMSJ9>; rel="next"`
	prev := `<https://open001.myshopline.com/admin/openapi/v20251201/orders.json?limit=50&page_info=eyJwcmV2IjoxfQ>; rel="previous"`
	for _, c := range []struct {
		name string
		h    http.Header
		want string
	}{
		{"canonical key", http.Header{"Link": {next}}, "eyJzaW5jZUlkIjoiMSJ9"},
		{"lowercase key", http.Header{"link": {next}}, "eyJzaW5jZUlkIjoiMSJ9"},
		{"previous first", http.Header{"Link": {prev + ", " + next}}, "eyJzaW5jZUlkIjoiMSJ9"},
		{"two header lines", http.Header{"LINK": {prev, next}}, "eyJzaW5jZUlkIjoiMSJ9"},
		{"unquoted rel", http.Header{"Link": {strings.Replace(next, `"next"`, "next", 1)}}, "eyJzaW5jZUlkIjoiMSJ9"},
		{"only previous: last page", http.Header{"Link": {prev}}, ""},
		{"only prev: last page", http.Header{"Link": {strings.Replace(prev, "previous", "prev", 1)}}, ""},
		{"no header: last page", http.Header{}, ""},
	} {
		got, err := nextPageInfo(c.h)
		if err != nil || got != c.want {
			t.Errorf("%s: %q, %v; want %q", c.name, got, err, c.want)
		}
	}
	_, err := nextPageInfo(http.Header{"Link": {`<https://x/orders.json?limit=5>; rel="next"`}})
	if fieldOf(err) != "link" {
		t.Errorf("next without page_info: %v", err)
	}
}

// Every unreadable value fails the page with its field named.
func TestDecodeErrorsNameTheField(t *testing.T) {
	t.Parallel()
	const ok = `"id":"1","currency":"USD"`
	for _, c := range []struct{ body, field string }{
		{`{}`, "orders"},
		{`{"orders":null}`, "orders"},
		{`{"orders":{"id":"1"}}`, "orders"},
		{`{"orders":[{"currency":"USD"}]}`, "orders[0].id"},
		{`{"orders":[{"id":"1"}]}`, "orders[0].currency"},
		{`{"orders":[{` + ok + `},{` + ok + `,"created_at":"yesterday"}]}`, "orders[1].created_at"},
		{`{"orders":[{` + ok + `,"line_items":[{"quantity":"two"}]}]}`, "orders[0].line_items.quantity"},
		{`{"orders":[{` + ok + `,"line_items":[{"grams":"heavy"}]}]}`, "orders[0].line_items[0].grams"},
		{`{"orders":[{` + ok + `,"current_total_price":"12,50"}]}`, "orders[0].current_total_price"},
		{`{"orders":[{` + ok + `,"hidden_order":"maybe"}]}`, "orders[0].hidden_order"},
		{`{"orders":[{` + ok + `,"customer":"bob"}]}`, "orders[0].customer"},
		{`{"orders":[{` + ok + `,"payment_details":[{"pay_amount":"abc"}]}]}`, "orders[0].payment_details[0].pay_amount"},
		{`{"orders":[{` + ok + `,"fulfillments":[{"created_at":"soon"}]}]}`, "orders[0].fulfillments[0].created_at"},
		{`{"orders":[{` + ok + `,"note_attributes":[{"create_time":"later"}]}]}`, "orders[0].note_attributes[0].create_time"},
		{`{"orders":[{` + ok + `,"current_total_price_set":{"shop_money":{"amount":"x"}}}]}`, "orders[0].current_total_price_set.shop_money.amount"},
		{`{"orders":[{` + ok + `}]`, "body"},
	} {
		orders, err := decodeList([]byte(c.body), "x", time.UTC, time.Now())
		if err == nil || orders != nil || fieldOf(err) != c.field {
			t.Errorf("%s: field %q (err %v, %d orders), want %q", c.body, fieldOf(err), err, len(orders), c.field)
		}
	}
}

// Tolerance: numbers as strings and vice versa, [] for an empty object,
// null for lists, a 26-digit id as a JSON number, a double with an exponent.
func TestDecodeIsTolerant(t *testing.T) {
	t.Parallel()
	body := `{"orders":[{"id":21050342939778451436179579,"name":1001,"currency":"jpy","hidden_order":"1",
		"financial_status":"paid","fulfillment_status":null,"billing_address":[],"shipping_address":{},
		"line_items":[{"id":7100000000000000101,"sku":"MUG","title":"Mug","quantity":"2","price":1200,"grams":"420"}],
		"shipping_lines":null,"fulfillments":{},"note_attributes":null,"tags":" a ,, b ",
		"customer":{"first_name":"花子","last_name":"佐藤","email":"h@example.jp","phone":"+81 90"},
		"payment_details":[{"pay_seq":"PS1","pay_amount":1.23456E7,"pay_status":"paid","create_time":"2026-01-02T03:04:05Z"}],
		"current_total_price":"12345600.00","current_total_price_set":{"shop_money":{"amount":"82304.00","currency_code":"USD"}}}]}`
	orders, err := decodeList([]byte(body), "jp", time.UTC, time.Now())
	must(t, err)
	o := orders[0]
	if o.ID != "21050342939778451436179579" || o.Number != "1001" || o.Currency != "JPY" || !o.State.Archived {
		t.Fatalf("identity: %q %q %q %+v", o.ID, o.Number, o.Currency, o.State)
	}
	if o.BillingAddress != nil || o.ShippingAddress != nil || len(o.Shipments) != 0 || len(o.Remarks) != 0 {
		t.Fatalf("empty parts: %+v %+v %v %v", o.BillingAddress, o.ShippingAddress, o.Shipments, o.Remarks)
	}
	if len(o.Items) != 1 || o.Items[0].Qty != 2 || o.Items[0].UnitPrice.String() != "1200" || o.Items[0].RowTotal.String() != "2400" || o.Items[0].WeightG != 420 {
		t.Fatalf("items: %+v", o.Items)
	}
	if o.Payments[0].Amount.String() != "12345600" || o.Payments[0].TransactionID != "PS1" || o.PaidAt == nil {
		t.Fatalf("payments: %+v paid %v", o.Payments, o.PaidAt)
	}
	if o.Customer.Name != "花子 佐藤" || strings.Join(o.Tags, "|") != "a|b" {
		t.Fatalf("customer %+v tags %q", o.Customer, o.Tags)
	}
	if o.Base == nil || o.Base.Currency != "USD" || o.Base.GrandTotal.String() != "82304.00" || o.Totals.GrandTotal.String() != "12345600" {
		t.Fatalf("base %+v total %v", o.Base, o.Totals.GrandTotal)
	}
	if o.Totals.Shipping.String() != "0" || o.Totals.Fee.String() != "0" {
		t.Fatalf("absent amounts must be zero in JPY: %+v", o.Totals)
	}
}

// user_errors in a 200 answer (unarchive) are a rejection; a missing order
// in a write answer is "outcome unknown".
func TestWriteAnswers(t *testing.T) {
	t.Parallel()
	shop := newShop(t, backend.ShopConfig{Name: "sl", URL: "https://open001.myshopline.com", APIVersion: "v20251201", Token: backend.NewSecret("tok-abcdef")})
	_, err := shop.orderAnswer("unarchive #1", &transport.Response{Status: 200,
		Body: []byte(`{"order":null,"user_errors":[{"code":"E1","field":"id","message":"order is not archived"}]}`)}, nil)
	wantErr(t, err, backend.ErrRejected, "id: order is not archived")
	_, err = shop.orderAnswer("archive #1", &transport.Response{Status: 200, Body: []byte(`{"orders":[]}`)}, nil)
	be := wantErr(t, err, backend.ErrOutcomeUnknown, "cannot read the shop's answer")
	if be.Field != "order" {
		t.Fatalf("field %q", be.Field)
	}
}

// fieldOf is the field a bad response for err names.
func fieldOf(err error) string { return adapt.BadResponse("", "", nil, err).Field }
