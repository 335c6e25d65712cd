package ymcart

import (
	"os"
	"path/filepath"
	"testing"
	"time"

	"orderdesk/backend"
	"orderdesk/backend/transport"
)

// FuzzDecodeYMCart feeds arbitrary bytes to every decoder of answers: the
// order list (and detail, the same call), deliveryList and the write
// answers. They never panic: either an error or a result.
func FuzzDecodeYMCart(f *testing.F) {
	files, _ := filepath.Glob(filepath.Join("testdata", "seeds", "*.json"))
	for _, name := range files {
		b, err := os.ReadFile(name)
		if err != nil {
			f.Fatal(err)
		}
		f.Add(b)
		f.Add(b[:len(b)/2])
	}
	for _, s := range []string{
		`{"code":0,"count":"1","data":{"itemno":"A","order_status":"200","currency_code":"JPY","total_amount":"1200.0000"}}`,
		`{"code":0,"count":"1","data":[{"itemno":"A","order_status":"999","currency_code":"USD","total_amount":"1"}]}`,
		`{"code":0,"count":"1","data":[{"itemno":"A","order_status":"200","currency_code":"USD","total_amount":"1","item":{"buy_num":"x"}}]}`,
		`{"code":0,"count":"1","data":[{"itemno":"A","order_status":"200","currency_code":"USD","total_amount":"1","delivery":[{"create_time":"-5"}],"address":[]}]}`,
		`{"code":"0","count":-1,"data":[]}`,
		`{"code":0,"msg":{"itemno":"A","msg":"success"}}`,
		`{"code":0,"msg":[1,2]}`,
		`[]`, `null`, `{"code":0}`, `<html>`,
	} {
		f.Add([]byte(s))
	}
	shop, err := New(backend.ShopConfig{Name: "fuzz", URL: "http://fuzz.invalid", Token: backend.NewSecret("fuzz-token")})
	if err != nil {
		f.Fatal(err)
	}
	f.Fuzz(func(t *testing.T, body []byte) {
		orders, _, err := shop.decodePage(body, time.Unix(0, 0))
		if err == nil {
			for _, o := range orders {
				if o == nil || o.Number == "" || o.Currency == "" {
					t.Fatalf("decoded an order without number or currency: %+v", o)
				}
			}
		} else if be := shop.badResponse("fuzz", err); be.Field == "" {
			t.Fatalf("error without a field: %v", err)
		}
		_, _ = decodeDeliveries(body)
		_, _ = decodeResults(body)
		_ = envelope(&transport.Response{Status: 200, Body: body})
	})
}
