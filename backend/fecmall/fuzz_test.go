package fecmall

import (
	"bytes"
	"errors"
	"testing"

	"orderdesk/backend"
)

// FuzzDecodeFecmall feeds arbitrary bytes to the detail and list decoders:
// never a panic; either orders or a *backend.Error.
func FuzzDecodeFecmall(f *testing.F) {
	seed := readSeed(f, "order_info.json")
	f.Add(seed)
	start := bytes.Index(seed, []byte(`"order_info": `)) + len(`"order_info": `)
	end := bytes.Index(seed, []byte(`,
        "pay_txn_id"`))
	row := seed[start:end]
	f.Add([]byte(`{"code":200,"message":"success","data":{"total":"1","pageSize":"20","totalPage":"1","list":[` + string(row) + `]}}`))
	f.Add(seed[:len(seed)/2])
	f.Add(bytes.Replace(seed, []byte(`"billingAddress": []`), []byte(`"billingAddress": [1]`), 1))
	f.Add(bytes.Replace(seed, []byte(`"code": 200`), []byte(`"code": "401"`), 1))
	f.Add(bytes.Replace(seed, []byte(`"qty": 1`), []byte(`"qty": "1.5"`), 1))
	f.Add(bytes.Replace(seed, []byte(`"created_at": "2023-02-03 17:09:19"`), []byte(`"created_at": 99999999999999`), 1))
	f.Add([]byte(`{"code":200,"data":{"list":{"0":{}}}}`))
	f.Add([]byte(`null`))
	f.Add([]byte(``))
	f.Fuzz(func(t *testing.T, body []byte) {
		d := testDecoder()
		o, err := d.decodeDetail("get", body)
		checkDecoded(t, err, o)
		p, err := d.decodeList("list", body)
		if err == nil && len(p.orders) != len(p.bare) {
			t.Fatalf("%d orders, %d bare flags", len(p.orders), len(p.bare))
		}
		for _, o := range p.orders {
			checkDecoded(t, err, o)
		}
		if err != nil {
			checkDecoded(t, err, nil)
		}
	})
}

func checkDecoded(t *testing.T, err error, o *backend.Order) {
	var be *backend.Error
	switch {
	case err != nil && !errors.As(err, &be):
		t.Fatalf("error %v is not a *backend.Error", err)
	case err == nil && (o == nil || o.Number == "" || o.Currency == "" || o.RawStatus == nil || len(o.Raw) == 0):
		t.Fatalf("no error and an incomplete order: %+v", o)
	}
}
