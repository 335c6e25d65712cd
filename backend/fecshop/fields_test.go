package fecshop

import (
	"encoding/json"
	"strings"
	"testing"

	"orderdesk/backend/internal/adapt"
)

func TestVariantOf(t *testing.T) {
	t.Parallel()
	tests := []struct {
		spu, custom string
		want        string
		ok          bool
	}{
		{`{"size":"M","color":"red"}`, `{"color":"red"}`, "size:M / color:red", true},
		{`{"size":"M"}`, `{"engraving":"A&B","size":"M"}`, "size:M / engraving:A&B", true},
		{`[]`, `[]`, "", true},
		{`null`, ``, "", true},
		{`{"n":3,"deep":{"a":1}}`, `[]`, `n:3 / deep:{"a":1}`, true},
		{`["red"]`, `[]`, "", false},
		{`"red"`, `[]`, "", false},
	}
	for _, tc := range tests {
		got, err := variantOf(json.RawMessage(tc.spu), json.RawMessage(tc.custom))
		if got != tc.want || (err == nil) != tc.ok {
			t.Errorf("variantOf(%s, %s) = %q, %v; want %q ok=%v", tc.spu, tc.custom, got, err, tc.want, tc.ok)
		}
	}
}

// A value that cannot be understood is an error naming the field, and the
// page fails whole.
func TestDecodeErrorsNameTheField(t *testing.T) {
	t.Parallel()
	order := func(edit string) string {
		return `{"order_id":"1","increment_id":"1100000001","order_status":"processing","order_currency_code":"USD",` +
			`"grand_total":"10.00","subtotal":"10.00",` + edit + `"products":[{"sku":"a","qty":"1","price":"5.00","row_total":"5.00"},` +
			`{"sku":"b","qty":"1","price":"5.00","row_total":"5.00"}]}`
	}
	tests := []struct{ body, field string }{
		{`{"code":200,"data":[` + order(``) + `,` + order(`"created_at":{},`) + `]}`, "data[1].created_at"},
		{`{"code":200,"data":[` + order(`"grand_total":"ten",`) + `]}`, "data[0].grand_total"},
		{`{"code":200,"data":[` + order(`"payment_fee":true,`) + `]}`, "data[0].payment_fee"},
		{`{"code":200,"data":[` + strings.Replace(order(``), `"qty":"1","price":"5.00","row_total":"5.00"}]`, `"qty":"x","price":"5.00","row_total":"5.00"}]`, 1) + `]}`, "data[0].products[1].qty"},
		{`{"code":200,"data":[` + strings.Replace(order(``), `"sku":"a",`, `"sku":"a","spu_options":"red",`, 1) + `]}`, "data[0].products[0].spu_options"},
		{`{"code":200,"data":[` + strings.Replace(order(``), `"grand_total":"10.00",`, ``, 1) + `]}`, "data[0].grand_total"},
		{`{"code":200,"data":{"increment_id":"1"}}`, "data"},
		{`{"code":"x","data":[]}`, "code"},
		{`{"data":[]}`, "code"},
		{`<html>`, "body"},
	}
	for _, tc := range tests {
		orders, err := (&decoder{}).list([]byte(tc.body))
		fe, ok := err.(*adapt.FieldError)
		if !ok || fe.Field != tc.field || orders != nil {
			t.Errorf("list(%.60s…) = %d orders, %v; want field %s", tc.body, len(orders), err, tc.field)
		}
	}
	if _, err := (&decoder{}).list([]byte(`{"code":200,"data":[` + order(``) + `]}`)); err != nil {
		t.Fatalf("the base order does not decode: %v", err)
	}
}
