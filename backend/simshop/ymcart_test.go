package simshop

import (
	"bytes"
	"encoding/json"
	"io"
	"net/http"
	"net/url"
	"os"
	"strings"
	"testing"

	"orderdesk/backend"
)

// ymcartKeys returns an object's keys in wire order and their raw values.
func ymcartKeys(t *testing.T, raw []byte) ([]string, map[string]json.RawMessage) {
	t.Helper()
	dec := json.NewDecoder(bytes.NewReader(raw))
	if tok, err := dec.Token(); err != nil || tok != json.Delim('{') {
		t.Fatalf("not an object: %.60s", raw)
	}
	var keys []string
	vals := map[string]json.RawMessage{}
	for dec.More() {
		k, err := dec.Token()
		if err != nil {
			t.Fatal(err)
		}
		var v json.RawMessage
		if err := dec.Decode(&v); err != nil {
			t.Fatal(err)
		}
		keys = append(keys, k.(string))
		vals[k.(string)] = v
	}
	return keys, vals
}

// ymcartSubsequence reports whether want appears in got in the same order.
func ymcartSubsequence(want, got []string) bool {
	i := 0
	for _, g := range got {
		if i < len(want) && g == want[i] {
			i++
		}
	}
	return i == len(want)
}

func ymcartPost(t *testing.T, s *Server, endpoint string, f url.Values) []byte {
	t.Helper()
	res, err := http.PostForm(s.URL()+"/api-erp-"+endpoint+".html", f)
	if err != nil {
		t.Fatal(err)
	}
	defer res.Body.Close()
	b, _ := io.ReadAll(res.Body)
	return b
}

func ymcartSeed(t *testing.T, name string) []byte {
	b, err := os.ReadFile("../ymcart/testdata/seeds/" + name)
	if err != nil {
		t.Fatal(err)
	}
	return b
}

// The sim's rows have the seed's columns in the seed's order, numeric
// twins included, and its strings are escaped the way the seed's are.
func TestYMCartWireShape(t *testing.T) {
	s, err := New(backend.YMCart, Options{Seed: 1})
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	body := ymcartPost(t, s, "orderList", url.Values{"token": {s.Opt.Token}, "page_size": {"60"}})
	for _, c := range body {
		if c >= 0x80 {
			t.Fatal("raw non-ASCII in the body: the shop sends \\u escapes")
		}
	}
	if !bytes.Contains(body, []byte(`<br />`)) || !bytes.Contains(body, []byte(`https://img.example.com/`)) || !bytes.Contains(body, []byte(`\u`)) {
		t.Error("escaping differs from the seed's (raw <br />, raw slashes, \\u escapes)")
	}
	_, top := ymcartKeys(t, body)
	var orders []json.RawMessage
	_ = json.Unmarshal(top["data"], &orders)
	if string(top["count"]) != `"60"` || len(orders) != 60 {
		t.Fatalf("count %s, %d orders", top["count"], len(orders))
	}
	_, seedTop := ymcartKeys(t, ymcartSeed(t, "orderList_response.json"))
	var seedOrders []json.RawMessage
	_ = json.Unmarshal(seedTop["data"], &seedOrders)
	seedKeys, seedVals := ymcartKeys(t, seedOrders[0])

	shapes := map[string]bool{}
	for _, raw := range orders {
		keys, vals := ymcartKeys(t, raw)
		if !ymcartSubsequence(seedKeys, keys) {
			t.Fatalf("order keys\n got %v\nwant %v in order", keys, seedKeys)
		}
		for _, block := range []string{"item", "address"} {
			want, _ := ymcartKeys(t, ymcartFirst(t, seedVals[block]))
			got, _ := ymcartKeys(t, ymcartFirst(t, vals[block]))
			if !ymcartSubsequence(want, got) {
				t.Errorf("%s keys\n got %v\nwant %v", block, got, want)
			}
		}
		d := vals["delivery"]
		shapes[string(d[:1])] = true
		if d[0] != 'n' {
			_, dl := ymcartKeys(t, ymcartSeed(t, "deliveryList_response.json"))
			want, _ := ymcartKeys(t, ymcartFirst(t, dl["data"]))
			got, _ := ymcartKeys(t, ymcartFirst(t, d))
			if strings.Join(got, " ") != strings.Join(want, " ") {
				t.Errorf("delivery keys\n got %v\nwant %v", got, want)
			}
		}
		if string(vals["act_time"]) == `"0"` {
			shapes["act_time 0"] = true
		}
		if !strings.Contains(string(vals["address"]), `"address_type":"0"`) {
			shapes["billing only"] = true
		}
	}
	for _, want := range []string{"n", "{", "[", "act_time 0", "billing only"} {
		if !shapes[want] {
			t.Errorf("no order shows %q", want)
		}
	}
}

// ymcartFirst is a block's first row: the block itself when it is an object.
func ymcartFirst(t *testing.T, raw json.RawMessage) []byte {
	t.Helper()
	if len(raw) > 0 && raw[0] == '{' {
		return raw
	}
	var rows []json.RawMessage
	if err := json.Unmarshal(raw, &rows); err != nil || len(rows) == 0 {
		t.Fatalf("block %.60s", raw)
	}
	return rows[0]
}

func TestYMCartAuthAndParams(t *testing.T) {
	s, err := New(backend.YMCart, Options{Seed: 1})
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	const bad = `{"code":403,"msg":"token_error"}`
	// The token only counts in the POST form.
	res, err := http.Get(s.URL() + "/api-erp-orderList.html?token=" + url.QueryEscape(s.Opt.Token))
	if err != nil {
		t.Fatal(err)
	}
	b, _ := io.ReadAll(res.Body)
	res.Body.Close()
	if res.StatusCode != 200 || string(b) != bad {
		t.Errorf("token in the query: %d %s", res.StatusCode, b)
	}
	for _, c := range []struct {
		endpoint string
		form     url.Values
		want     string
	}{
		{"orderList", url.Values{"token": {"nope"}}, bad},
		{"orderList", url.Values{"token": {s.Opt.Token}, "page_no": {"x"}}, `{"code":1,"msg":"page_error"}`},
		{"orderList", url.Values{"token": {s.Opt.Token}, "start_time": {"9/9/2016"}}, `{"code":1,"msg":"time_error"}`},
		{"orderList", url.Values{"token": {s.Opt.Token}, "time_type": {"3"}}, `{"code":1,"msg":"time_type_error"}`},
		{"orderList", url.Values{"token": {s.Opt.Token}, "itemno": {"nope"}}, `{"code":0,"count":"0","data":[]}`},
		{"deliveryList", url.Values{"token": {s.Opt.Token}}, `{"code":1,"msg":"page_error"}`},
		{"orderStatus", url.Values{"token": {s.Opt.Token}, "status_res": {"{}"}}, `{"code":1,"msg":"status_res_error"}`},
		{"orderStatus", url.Values{"token": {s.Opt.Token}, "status_res": {`[{"itemno":"x","status":600}]`}}, `{"code":0,"msg":[{"itemno":"x","msg":"order_404"}]}`},
	} {
		if got := string(ymcartPost(t, s, c.endpoint, c.form)); got != c.want {
			t.Errorf("%s %v: %s, want %s", c.endpoint, c.form, got, c.want)
		}
	}
	// Per-order checks of the writes.
	var unpaid, paid string
	for _, o := range s.Orders() {
		switch o.RawStatus["order_status"] {
		case "100":
			unpaid = o.Number
		case "200":
			paid = o.Number
		}
	}
	for _, c := range []struct{ endpoint, field, entry, msg string }{
		{"orderShip", "shipno_res", `{"itemno":"` + unpaid + `","delivery_no":"LN1","shipping_corp_name":"DHL"}`, "order_status_limit"},
		{"orderShip", "shipno_res", `{"itemno":"` + paid + `","delivery_no":"","shipping_corp_name":"DHL"}`, "delivery_no_error"},
		{"orderShip", "shipno_res", `{"itemno":"` + paid + `","delivery_no":"LN1","shipping_corp_codeno":"zz"}`, "shipping_corp_404"},
		{"orderShip", "shipno_res", `{"itemno":"` + paid + `","delivery_no":"LN1"}`, "shipping_corp_error"},
		{"orderStatus", "status_res", `{"itemno":"` + paid + `","status":301}`, "status_error"},
		{"orderRemark", "remark_res", `{"itemno":"` + paid + `","remark":" "}`, "remark_error"},
		{"orderShip", "shipno_res", `{"itemno":"` + paid + `","delivery_no":"LN1","shipping_corp_codeno":"ups"}`, "success"},
	} {
		got := string(ymcartPost(t, s, c.endpoint, url.Values{"token": {s.Opt.Token}, c.field: {"[" + c.entry + "]"}}))
		if !strings.Contains(got, `"msg":"`+c.msg+`"`) {
			t.Errorf("%s %s: %s, want %s", c.endpoint, c.entry, got, c.msg)
		}
	}
	if o, _ := s.Order(paid); s.Applied(paid) != 1 || s.Emails(paid) != 1 || o.Shipments[len(o.Shipments)-1].Carrier != "UPS" || o.State.Fulfillment != backend.FulFulfilled {
		t.Errorf("after the ship by carrier code: applied %d, %+v", s.Applied(paid), o.Shipments)
	}
	if s.Applied(unpaid) != 0 {
		t.Error("a refused write was applied")
	}
}
