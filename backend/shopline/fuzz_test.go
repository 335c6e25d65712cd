package shopline

import (
	"encoding/json"
	"net/http"
	"testing"
	"time"
)

// FuzzDecodeShopline feeds arbitrary bytes to the list and write-answer
// decoders and the header/error readers: never a panic, and an order that
// decodes always has an id and a currency.
func FuzzDecodeShopline(f *testing.F) {
	resp := readSeed(f, seedResponse)
	var env struct{ Order json.RawMessage }
	if err := json.Unmarshal(resp, &env); err != nil {
		f.Fatal(err)
	}
	list := []byte(`{"orders":[` + string(env.Order) + `]}`)
	for _, b := range [][]byte{
		resp, list, readSeed(f, seedRequest), list[:len(list)/2], resp[:len(resp)-3],
		[]byte(`{"orders":[{"id":21050342939778451436179579,"currency":"JPY","payment_details":[{"pay_amount":1e400}]}]}`),
		[]byte(`{"orders":[{"id":"1","currency":"USD","line_items":{"quantity":"x","grams":"9e99999"}}]}`),
		[]byte(`{"orders":null}`), []byte(`[]`), []byte(`{"order":{}}`), []byte(`null`),
		[]byte(`{"order":{"id":"1","currency":"KWD","total_line_items_price":"99999999999999999999"}}`),
		[]byte(`<https://x/orders.json?page_info=abc>; rel="next"`),
	} {
		f.Add(b)
	}
	now := time.Date(2026, 11, 1, 0, 0, 0, 0, time.UTC)
	f.Fuzz(func(t *testing.T, b []byte) {
		orders, err := decodeList(b, "fz", time.UTC, now)
		if err == nil {
			for _, o := range orders {
				if o == nil || o.ID == "" || o.Currency == "" || o.Number == "" {
					t.Fatalf("decoded an order without identity: %+v", o)
				}
			}
		} else if orders != nil {
			t.Fatal("orders returned with an error")
		}
		if o, _, err := decodeOne(b, "fz", time.UTC, now); err == nil && o != nil && o.ID == "" {
			t.Fatal("decoded an order without an id")
		}
		_, _ = nextPageInfo(http.Header{"Link": {string(b)}})
		_ = errorReason(b)
		_, _ = exactDecimal(string(b))
		_, _ = shoplineGrams(string(b))
	})
}
