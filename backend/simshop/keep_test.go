package simshop

import (
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"net/url"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"orderdesk/backend"
)

// keptStart starts a shop kept in path.
func keptStart(t *testing.T, p backend.Platform, path string, opt Options) *Server {
	t.Helper()
	opt.State = path
	s, err := New(p, opt)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(s.Close)
	return s
}

// keptPick returns the first order matching, failing the test if none.
func keptPick(t *testing.T, s *Server, what string, match func(o *backend.Order) bool) *backend.Order {
	t.Helper()
	if o := shoplinePick(s, match); o != nil {
		return o
	}
	t.Fatalf("no order %s", what)
	return nil
}

// keptTruth is everything about a shop's orders a restart must give back:
// the orders, the platform's own state of each, the counts, the counters.
func keptTruth(t *testing.T, s *Server) string {
	t.Helper()
	s.mu.Lock()
	defer s.mu.Unlock()
	var b strings.Builder
	for i, o := range s.orders {
		ob, err := json.Marshal(o)
		if err != nil {
			t.Fatal(err)
		}
		wb, err := json.Marshal(s.plat.keep(i, o.Number))
		if err != nil {
			t.Fatal(err)
		}
		fmt.Fprintf(&b, "%s\n%s\napplied %d emails %d\n", ob, wb, s.applied[o.Number], s.emails[o.Number])
	}
	fmt.Fprintf(&b, "counters %v\n", s.plat.counters())
	return b.String()
}

// TestKeptShopsSurviveRestart: a status change, a shipment, a remark (and a
// cancellation and an archive on SHOPLINE) are there after Close and a new
// start, with the platform's own state and the applied-write counts; the
// kept seed, order count and reference time win over the options of the
// second start (a demo kept yesterday opens today with its own orders).
func TestKeptShopsSurviveRestart(t *testing.T) {
	day1 := time.Date(2026, 11, 30, 0, 0, 0, 0, time.UTC)
	day2 := day1.Add(24 * time.Hour)
	for _, c := range []struct {
		p      backend.Platform
		writes func(t *testing.T, s *Server) (check func(t *testing.T, s *Server))
	}{
		{backend.YMCart, keptYMCartWrites},
		{backend.Shopline, keptShoplineWrites},
		{backend.Fecshop, keptFecshopWrites},
	} {
		t.Run(string(c.p), func(t *testing.T) {
			path := filepath.Join(t.TempDir(), "shop.json")
			s := keptStart(t, c.p, path, Options{Seed: 3, Orders: 30, Now: day1})
			check := c.writes(t, s)
			check(t, s)
			before := keptTruth(t, s)
			s.Close()

			again := keptStart(t, c.p, path, Options{Seed: 9, Orders: 50, Now: day2})
			if again.Opt.Seed != 3 || again.Opt.Orders != 30 || !again.Opt.Now.Equal(day1) {
				t.Errorf("restarted with seed %d, %d orders, now %s; want the kept 3, 30, %s", again.Opt.Seed, again.Opt.Orders, again.Opt.Now, day1)
			}
			check(t, again)
			if after := keptTruth(t, again); after != before {
				t.Errorf("the shop after a restart differs from before:\n%s", firstDiff(before, after))
			}
		})
	}
}

// firstDiff shows the first line that differs.
func firstDiff(a, b string) string {
	al, bl := strings.Split(a, "\n"), strings.Split(b, "\n")
	for i := range min(len(al), len(bl)) {
		if al[i] != bl[i] {
			return fmt.Sprintf("line %d:\nbefore %.400s\nafter  %.400s", i+1, al[i], bl[i])
		}
	}
	return fmt.Sprintf("%d lines before, %d after", len(al), len(bl))
}

func keptYMCartWrite(t *testing.T, s *Server, endpoint, field, entry string) {
	t.Helper()
	got := string(ymcartPost(t, s, endpoint, url.Values{"token": {s.Opt.Token}, field: {"[" + entry + "]"}}))
	if !strings.Contains(got, `"msg":"success"`) {
		t.Fatalf("%s %s: %s", endpoint, entry, got)
	}
}

func keptYMCartWrites(t *testing.T, s *Server) func(t *testing.T, s *Server) {
	paid := func(o *backend.Order) bool { return o.RawStatus["order_status"] == "200" }
	void := keptPick(t, s, "paid", paid).Number
	keptYMCartWrite(t, s, "orderStatus", "status_res", `{"itemno":"`+void+`","status":600}`)
	ship := keptPick(t, s, "paid", paid).Number
	keptYMCartWrite(t, s, "orderShip", "shipno_res", `{"itemno":"`+ship+`","delivery_no":"1Z999AA10123456784","shipping_corp_codeno":"ups"}`)
	remark := keptPick(t, s, "new", func(o *backend.Order) bool { return o.RawStatus["order_status"] == "100" }).Number
	keptYMCartWrite(t, s, "orderRemark", "remark_res", `{"itemno":"`+remark+`","remark":"call before delivery / 送货前电话"}`)
	return func(t *testing.T, s *Server) {
		t.Helper()
		if o, _ := s.Order(void); o.RawStatus["order_status"] != "600" || o.State.Order != backend.OrderCancelled {
			t.Errorf("%s: %v, want void", void, o.RawStatus)
		}
		o, _ := s.Order(ship)
		if n := len(o.Shipments); n == 0 || o.Shipments[n-1].TrackingNumber != "1Z999AA10123456784" || o.RawStatus["shipping_status"] != "301" || s.Applied(ship) != 1 || s.Emails(ship) != 1 {
			t.Errorf("%s: shipments %+v, applied %d, emails %d", ship, o.Shipments, s.Applied(ship), s.Emails(ship))
		}
		if o, _ := s.Order(remark); len(o.Remarks) == 0 || o.Remarks[len(o.Remarks)-1].Text != "call before delivery / 送货前电话" {
			t.Errorf("%s: remarks %+v", remark, o.Remarks)
		}
	}
}

func keptShoplineWrites(t *testing.T, s *Server) func(t *testing.T, s *Server) {
	open := func(o *backend.Order) bool {
		return o.CancelledAt == nil && o.RawStatus["fulfillment_status"] == "null" && o.RawStatus["hidden_order"] == "false"
	}
	call := func(method, path, body string) {
		t.Helper()
		if status, _, answer := shoplineCall(t, s, method, path, "", body, nil); status != 200 {
			t.Fatalf("%s %s: %d %v", method, path, status, answer)
		}
	}
	cancel := keptPick(t, s, "open", open)
	call("POST", "orders/"+cancel.ID+"/cancel.json", `{"cancel_reason":"customer","email":false}`)
	ship := keptPick(t, s, "open", open)
	_, _, listed := shoplineCall(t, s, "GET", "orders.json", "status=any&name="+url.QueryEscape(ship.Number), "", nil)
	line := listed["orders"].([]any)[0].(map[string]any)["line_items"].([]any)[0].(map[string]any)
	call("POST", "orders/"+ship.ID+"/fulfillments.json", `{"fulfillment":{"line_items":[{"id":`+line["id"].(string)+`,"quantity":1}],"tracking_number":"SF1410289486123","tracking_company":"SF Express"}}`)
	remark := keptPick(t, s, "open", open)
	call("PUT", "orders/"+remark.ID+".json", `{"order":{"id":"`+remark.ID+`","note_attributes":[{"name":"desk","value":"gift wrap"}]}}`)
	archive := keptPick(t, s, "open", open)
	call("PUT", "orders/"+archive.ID+"/hide_mark.json", ``)
	return func(t *testing.T, s *Server) {
		t.Helper()
		if o, _ := s.Order(cancel.Number); o.State.Order != backend.OrderCancelled {
			t.Errorf("%s: %+v, want cancelled", cancel.Number, o.State)
		}
		if o, _ := s.Order(ship.Number); len(o.Shipments) != 1 || o.Shipments[0].TrackingNumber != "SF1410289486123" {
			t.Errorf("%s: shipments %+v", ship.Number, o.Shipments)
		}
		// the fulfilled quantity is kept: the same line cannot be shipped past its quantity
		shipped := "partial"
		if len(ship.Items) == 1 && ship.Items[0].Qty == 1 {
			shipped = "shipped"
		}
		_, _, again := shoplineCall(t, s, "GET", "orders.json", "status=any&fulfillment_status="+shipped+"&name="+url.QueryEscape(ship.Number), "", nil)
		if len(again["orders"].([]any)) != 1 {
			t.Fatalf("%s is not listed as %s", ship.Number, shipped)
		}
		if got := again["orders"].([]any)[0].(map[string]any)["line_items"].([]any)[0].(map[string]any)["fulfillable_quantity"]; fmt.Sprint(got) != fmt.Sprint(ship.Items[0].Qty-1) {
			t.Errorf("%s: fulfillable quantity %v, want %d", ship.Number, got, ship.Items[0].Qty-1)
		}
		if o, _ := s.Order(remark.Number); len(o.Remarks) == 0 || o.Remarks[len(o.Remarks)-1].Text != "gift wrap" {
			t.Errorf("%s: remarks %+v", remark.Number, o.Remarks)
		}
		if o, _ := s.Order(archive.Number); !o.State.Archived {
			t.Errorf("%s: not archived", archive.Number)
		}
	}
}

func keptFecshopWrites(t *testing.T, s *Server) func(t *testing.T, s *Server) {
	_, m := fecshopCall(t, s, "POST", "/v1/account/login", "", "application/json", `{"username":"desk","password":"`+s.Opt.Password+`"}`)
	tok, _ := m["access-token"].(string)
	update := func(body string) {
		t.Helper()
		if _, m := fecshopCall(t, s, "POST", "/v1/order/updateorderstatus", tok, "application/json", body); m["code"] != 200.0 {
			t.Fatalf("update %s: %v", body, m)
		}
	}
	paid := func(o *backend.Order) bool { return o.RawStatus["order_status"] == "payment_confirmed" }
	ship := keptPick(t, s, "paid", paid).Number
	update(`{"increment_id":"` + ship + `","order_status":"dispatched","tracking_number":"1Z999AA10123456784","tracking_company":"UPS"}`)
	hold := keptPick(t, s, "paid", paid).Number
	update(`{"increment_id":"` + hold + `","order_status":"holded"}`)
	return func(t *testing.T, s *Server) {
		t.Helper()
		if o, _ := s.Order(ship); o.RawStatus["order_status"] != "dispatched" || len(o.Shipments) != 1 || o.Shipments[0].Carrier != "UPS" {
			t.Errorf("%s: %v %+v", ship, o.RawStatus, o.Shipments)
		}
		if o, _ := s.Order(hold); o.RawStatus["order_status"] != "holded" {
			t.Errorf("%s: %v", hold, o.RawStatus)
		}
	}
}

// TestKeptYMCartDeliveryIDs: delivery record ids go on from where the
// first run left them (a second run must not hand out an id twice).
func TestKeptYMCartDeliveryIDs(t *testing.T) {
	path := filepath.Join(t.TempDir(), "ym.json")
	s := keptStart(t, backend.YMCart, path, Options{Seed: 1, Orders: 20})
	paid := func(o *backend.Order) bool { return o.RawStatus["order_status"] == "200" }
	first := keptPick(t, s, "paid", paid).Number
	keptYMCartWrite(t, s, "orderShip", "shipno_res", `{"itemno":"`+first+`","delivery_no":"LN1","shipping_corp_codeno":"dhl"}`)
	s.Close()
	s = keptStart(t, backend.YMCart, path, Options{})
	second := keptPick(t, s, "paid", paid).Number
	keptYMCartWrite(t, s, "orderShip", "shipno_res", `{"itemno":"`+second+`","delivery_no":"LN2","shipping_corp_codeno":"dhl"}`)
	ids := map[int]string{}
	for _, o := range s.Orders() {
		y := s.plat.(*ymcartSim)
		s.mu.Lock()
		for _, d := range y.extra[o.Number].dels {
			if other, dup := ids[d.id]; dup {
				t.Errorf("delivery record %d on %s and %s", d.id, other, o.Number)
			}
			ids[d.id] = o.Number
		}
		s.mu.Unlock()
	}
}

// TestKeptSavedBeforeTheAnswer: when the client has the answer, the file
// already holds the write, so a kill -9 right after loses nothing; even a
// write whose answer was lost (applied, connection dropped) is on disk.
func TestKeptSavedBeforeTheAnswer(t *testing.T) {
	dir := t.TempDir()
	path := filepath.Join(dir, "ym.json")
	s := keptStart(t, backend.YMCart, path, Options{Seed: 1, Orders: 20})
	paid := func(o *backend.Order) bool { return o.RawStatus["order_status"] == "200" }
	answered := keptPick(t, s, "paid", paid).Number
	keptYMCartWrite(t, s, "orderStatus", "status_res", `{"itemno":"`+answered+`","status":700}`)
	dropped := keptPick(t, s, "paid", paid).Number
	s.Inject(Fault{Kind: FaultDropAfterApply, On: Writes})
	if _, err := http.PostForm(s.URL()+"/api-erp-orderStatus.html", url.Values{"token": {s.Opt.Token}, "status_res": {`[{"itemno":"` + dropped + `","status":700}]`}}); err == nil {
		t.Fatal("the answer was not dropped")
	}
	// A copy of the file as it is now is what a kill -9 would leave.
	data, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	copyPath := filepath.Join(dir, "copy.json")
	if err := os.WriteFile(copyPath, data, 0o600); err != nil {
		t.Fatal(err)
	}
	after := keptStart(t, backend.YMCart, copyPath, Options{})
	for _, n := range []string{answered, dropped} {
		if o, _ := after.Order(n); o.RawStatus["order_status"] != "700" || after.Applied(n) != 1 {
			t.Errorf("%s after a kill: %v, applied %d; want 700, 1", n, o.RawStatus, after.Applied(n))
		}
	}
	if fi, err := os.Stat(path); err != nil || fi.Mode().Perm() != 0o600 {
		t.Errorf("state file %v %v; want mode 0600", fi, err)
	}
	if left, _ := filepath.Glob(filepath.Join(dir, ".*.tmp")); len(left) > 0 {
		t.Errorf("temporary files left: %v", left)
	}
}

// TestKeptStateRefused: a file that cannot be used is a StateError naming
// it — never a panic, never a silent new start — and it is left as it was.
func TestKeptStateRefused(t *testing.T) {
	dir := t.TempDir()
	good := filepath.Join(dir, "good.json")
	s := keptStart(t, backend.Shopline, good, Options{Seed: 1, Orders: 20})
	o := keptPick(t, s, "open", func(o *backend.Order) bool {
		return o.CancelledAt == nil && o.RawStatus["fulfillment_status"] == "null"
	})
	if status, _, answer := shoplineCall(t, s, "POST", "orders/"+o.ID+"/cancel.json", "", `{}`, nil); status != 200 {
		t.Fatalf("cancel: %d %v", status, answer)
	}
	s.Close()
	data, err := os.ReadFile(good)
	if err != nil {
		t.Fatal(err)
	}
	text := string(data)
	for _, c := range []struct {
		name, content, want string
		p                   backend.Platform
	}{
		{"cut short", text[:len(text)/2], "damaged or cut short", backend.Shopline},
		{"not JSON", "\x00\x01garbage", "damaged or cut short", backend.Shopline},
		{"empty", "", "damaged or cut short", backend.Shopline},
		{"another format", strings.Replace(text, `"format":1`, `"format":2`, 1), "another version of orderdesk (format 2", backend.Shopline},
		{"other orders generated", strings.Replace(text, `"generated":"sha256:`, `"generated":"sha256:0`, 1), "generated other orders", backend.Shopline},
		{"an unknown field", strings.Replace(text, `"format":1`, `"format":1,"extra":true`, 1), "damaged or cut short", backend.Shopline},
		{"an order not of the shop", strings.ReplaceAll(text, `"`+o.Number+`"`, `"#9999"`), "order #9999 is not one of the shop's", backend.Shopline},
		{"another platform's", text, "the state of a shopline shop, not ymcart", backend.YMCart},
	} {
		path := filepath.Join(dir, strings.ReplaceAll(c.name, " ", "-")+".json")
		if err := os.WriteFile(path, []byte(c.content), 0o600); err != nil {
			t.Fatal(err)
		}
		_, err := New(c.p, Options{State: path})
		var se *StateError
		if !errors.As(err, &se) || se.Path != path || !strings.Contains(err.Error(), c.want) || !strings.Contains(err.Error(), path) {
			t.Errorf("%s: %v; want a StateError naming %s and saying %q", c.name, err, path, c.want)
		}
		if after, _ := os.ReadFile(path); string(after) != c.content {
			t.Errorf("%s: the file was changed", c.name)
		}
	}
}

// TestOpenDemoKeepsItsShops: the demo kept in a directory is created whole
// on the first start and continued on the second; a missing shop file is
// refused; StartDemo keeps nothing.
func TestOpenDemoKeepsItsShops(t *testing.T) {
	base := t.TempDir()
	dir := filepath.Join(base, "x.db.demo-shops")
	now := time.Date(2026, 11, 30, 0, 0, 0, 0, time.UTC)
	d, created, err := OpenDemo(dir, 1, 12, now)
	if err != nil || !created {
		t.Fatalf("first open: %v, created %v", err, created)
	}
	files, _ := filepath.Glob(filepath.Join(dir, "*.json"))
	if len(files) != 4 {
		t.Errorf("files %v; want one per shop", files)
	}
	if left, _ := filepath.Glob(filepath.Join(base, ".*")); len(left) > 0 {
		t.Errorf("left behind: %v", left)
	}
	ym := d.Shops[3]
	paid := keptPick(t, ym, "paid", func(o *backend.Order) bool { return o.RawStatus["order_status"] == "200" }).Number
	keptYMCartWrite(t, ym, "orderStatus", "status_res", `{"itemno":"`+paid+`","status":600}`)
	d.Close()

	d, created, err = OpenDemo(dir, 1, 40, now.Add(48*time.Hour))
	if err != nil || created {
		t.Fatalf("second open: %v, created %v", err, created)
	}
	if o, ok := d.Shops[3].Order(paid); !ok || o.RawStatus["order_status"] != "600" || d.Shops[0].Opt.Orders != 12 {
		t.Errorf("after reopening: %s %v, %d orders; want 600 and the kept 12", paid, o.RawStatus, d.Shops[0].Opt.Orders)
	}
	d.Close()

	if err := os.Remove(filepath.Join(dir, "sl-global.json")); err != nil {
		t.Fatal(err)
	}
	var se *StateError
	if _, _, err := OpenDemo(dir, 1, 12, now); !errors.As(err, &se) || !strings.Contains(err.Error(), "sl-global.json") {
		t.Errorf("a missing shop file: %v; want a StateError naming it", err)
	}

	d, err = StartDemo(1, 12, now)
	if err != nil {
		t.Fatal(err)
	}
	d.Close()
	if entries, _ := os.ReadDir(base); len(entries) != 1 {
		t.Errorf("StartDemo wrote files: %v", entries)
	}
}

// BenchmarkKeptSave is one save after one write, with `changed` orders
// already changed, at the demo's 40 orders and at 25 000.
func BenchmarkKeptSave(b *testing.B) {
	for _, c := range []struct{ orders, changed int }{{40, 10}, {25000, 10}, {25000, 500}} {
		b.Run(fmt.Sprintf("orders=%d/changed=%d", c.orders, c.changed), func(b *testing.B) {
			s, err := New(backend.YMCart, Options{Seed: 1, Orders: c.orders, State: filepath.Join(b.TempDir(), "ym.json")})
			if err != nil {
				b.Fatal(err)
			}
			defer s.Close()
			numbers := make([]string, c.changed)
			for i := range numbers {
				numbers[i] = s.orders[i].Number
				s.Mutate(numbers[i], func(o *backend.Order) { o.Tags = append(o.Tags, "x") })
			}
			if err := s.Save(); err != nil {
				b.Fatal(err)
			}
			b.ResetTimer()
			for i := range b.N {
				s.Mutate(numbers[i%len(numbers)], func(o *backend.Order) { o.Tags = append(o.Tags, "y") })
				if err := s.Save(); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}
