package fecshop

import (
	"bytes"
	"encoding/json"
	"testing"

	"orderdesk/backend"
	"orderdesk/backend/internal/adapt"
)

// FuzzDecodeFecshop feeds arbitrary bytes to the list, fetchone and
// updateorderstatus decoders: never a panic; either an error or orders that
// carry a number, a currency and a status.
func FuzzDecodeFecshop(f *testing.F) {
	update := readSeed(f, "updateorderstatus_response.json")
	one := readSeed(f, "fetchone_response.json")
	stripped := stripDocAnnotations(one)
	var env struct {
		Data json.RawMessage `json:"data"`
	}
	if err := json.Unmarshal(stripped, &env); err != nil {
		f.Fatal(err)
	}
	list := []byte(`{"code":200,"message":"fetch order success","data":[` + string(env.Data) + `]}`)
	for _, b := range [][]byte{
		update, one, stripped, list,
		readSeed(f, "updateorderstatus_request.json"),
		update[:len(update)/2], list[:len(list)-3],
		bytes.Replace(list, []byte(`"qty": "1"`), []byte(`"qty": "one"`), 1),
		bytes.Replace(list, []byte(`"spu_options": {`), []byte(`"spu_options": [1, {`), 1),
		bytes.Replace(stripped, []byte(`"grand_total": "66.00"`), []byte(`"grand_total": {}`), 1),
		bytes.Replace(stripped, []byte(`"weight": "0.00"`), []byte(`"weight": "9223372036854775807"`), 1),
		[]byte(`{"code":400,"message":"fetch order fail , exceeded the maximum number of pages","data":[]}`),
		[]byte(`{"code":200,"data":{}}`), []byte(`{"code":200,"data":[{}]}`), []byte(`{"code":"200","data":null}`),
		[]byte(`{"code":200,"data":{"updateData":[]}}`), []byte(`[]`), []byte(`null`), []byte(``),
	} {
		f.Add(b)
	}
	f.Fuzz(func(t *testing.T, body []byte) {
		d := &decoder{shop: "fuzz", imageBase: "https://img.example.com"}
		if orders, err := d.list(body); err == nil {
			for _, o := range orders {
				if o == nil || o.Number == "" || o.Currency == "" || o.RawStatus["order_status"] == "" || !o.State.Inferred {
					t.Fatalf("list gave an incomplete order without an error: %+v", o)
				}
			}
		} else if _, ok := err.(*adapt.FieldError); !ok {
			t.Fatalf("list error %T is not a field error: %v", err, err)
		}
		for _, dec := range []func([]byte) (*backend.Order, error){d.one, d.updated} {
			o, err := dec(body)
			if err == nil && (o == nil || o.Number == "" || o.Currency == "") {
				t.Fatalf("incomplete order without an error: %+v", o)
			}
			if err != nil {
				if _, ok := err.(*adapt.FieldError); !ok {
					t.Fatalf("error %T is not a field error: %v", err, err)
				}
			}
		}
	})
}
