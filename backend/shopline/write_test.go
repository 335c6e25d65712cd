package shopline

import (
	"encoding/json"
	"fmt"
	"net/http"
	"net/url"
	"reflect"
	"strings"
	"testing"
	"time"

	"orderdesk/backend"
	"orderdesk/backend/simshop"
)

// pick returns the adapter's copy (via Get) of the first sim order that
// matches, then clears the sim's request record.
func pick(t *testing.T, srv *simshop.Server, shop *Shop, match func(o *backend.Order) bool) *backend.Order {
	t.Helper()
	for _, o := range srv.Orders() {
		if match(o) {
			got, err := shop.Get(ctxT(t), o.Number)
			must(t, err)
			srv.ResetRecord()
			return got
		}
	}
	t.Fatal("no generated order matches")
	return nil
}

func jsonText(t *testing.T, v any) string {
	t.Helper()
	b, err := json.Marshal(v)
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}

// checkRead asserts the fresh read of a read-modify-write.
func checkRead(t *testing.T, srv *simshop.Server, r simshop.Recorded, number, pass string) {
	t.Helper()
	checkHeaders(t, srv, r)
	want := url.Values{"name": {number}, "status": {"any"}, "fulfillment_status": {pass}}
	if r.Method != http.MethodGet || r.Path != "/admin/openapi/"+simVersion+"/orders.json" || !reflect.DeepEqual(r.Query, want) {
		t.Fatalf("read = %s %s?%v, want GET orders.json?%v", r.Method, r.Path, r.Query, want)
	}
}

// checkWrite asserts one write request exactly.
func checkWrite(t *testing.T, srv *simshop.Server, r simshop.Recorded, method, path, body string) {
	t.Helper()
	checkHeaders(t, srv, r)
	if r.Method != method || r.Path != "/admin/openapi/"+simVersion+path || len(r.Query) != 0 || string(r.Body) != body {
		t.Fatalf("write = %s %s?%v %s\nwant %s %s %s", r.Method, r.Path, r.Query, r.Body, method, path, body)
	}
}

func shopTime(t *testing.T, tm *time.Time) string {
	t.Helper()
	loc, err := time.LoadLocation("Asia/Shanghai")
	if err != nil {
		t.Fatal(err)
	}
	return tm.In(loc).Format("2006-01-02T15:04:05-07:00")
}

// A note added on the shop side after the desk synced survives the remark:
// the adapter re-reads the order and sends the full list (the sim replaces
// note_attributes with what it receives).
func TestRemarkKeepsEveryNoteAttribute(t *testing.T) {
	t.Parallel()
	srv := startSim(t, simshop.Options{Seed: 1})
	shop := newShop(t, srv.Config("sl"))
	o := pick(t, srv, shop, func(o *backend.Order) bool {
		return len(o.Remarks) == 1 && o.Remarks[0].Author == "staff-anna" && o.State.Fulfillment == backend.FulFulfilled
	})
	bobAt := time.Date(2026, 10, 30, 10, 0, 0, 0, time.UTC)
	srv.Mutate(o.Number, func(x *backend.Order) {
		x.Remarks = append(x.Remarks, backend.Remark{Text: "Called the buyer", Author: "staff-bob", At: &bobAt, Visibility: backend.Internal})
	})

	got, err := shop.Apply(ctxT(t), o, backend.Action{Kind: backend.ActionRemark, Remark: "  Gift wrapped <ok> & done  "})
	must(t, err)

	reqs := srv.Requests()
	if len(reqs) != 2 {
		t.Fatalf("%d requests, want a read and a write", len(reqs))
	}
	checkRead(t, srv, reqs[0], o.Number, "shipped") // the order's own pass first
	anna := o.Remarks[0]
	body := fmt.Sprintf(`{"order":{"id":%q,"note_attributes":[{"name":"staff-anna","value":%s,"create_time":%q},`+
		`{"name":"staff-bob","value":"Called the buyer","create_time":"2026-10-30T18:00:00+08:00"},`+
		`{"name":"orderdesk","value":"Gift wrapped \u003cok\u003e \u0026 done"}]}}`,
		o.ID, jsonText(t, anna.Text), shopTime(t, anna.At))
	checkWrite(t, srv, reqs[1], http.MethodPut, "/orders/"+o.ID+".json", body)

	after, _ := srv.Order(o.Number)
	var authors []string
	for _, r := range after.Remarks {
		authors = append(authors, r.Author)
	}
	if strings.Join(authors, ",") != "staff-anna,staff-bob,orderdesk" || after.Remarks[2].Text != "Gift wrapped <ok> & done" || after.Remarks[2].At == nil {
		t.Fatalf("remarks after = %+v", after.Remarks)
	}
	if srv.Applied(o.Number) != 1 || srv.Emails(o.Number) != 0 {
		t.Fatalf("applied %d, emails %d", srv.Applied(o.Number), srv.Emails(o.Number))
	}
	sameOrder(t, got, truth(srv, "sl")[o.Number])
}

// lineItems reads (id, fulfillable quantity) pairs off an order's raw JSON.
func lineItems(t *testing.T, o *backend.Order) [][2]string {
	t.Helper()
	var w struct {
		LineItems []struct {
			ID          string      `json:"id"`
			Fulfillable json.Number `json:"fulfillable_quantity"`
		} `json:"line_items"`
	}
	if err := json.Unmarshal(o.Raw, &w); err != nil {
		t.Fatal(err)
	}
	var out [][2]string
	for _, l := range w.LineItems {
		if l.Fulfillable != "0" {
			out = append(out, [2]string{l.ID, l.Fulfillable.String()})
		}
	}
	return out
}

func TestShipFulfilsEveryUnshippedItem(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct {
		name, wire string
		pass       string
		notify     bool
	}{
		{"unshipped, customer notified", "null", "unshipped", true},
		{"partially shipped, silently", "partial", "partial", false},
	} {
		t.Run(tc.name, func(t *testing.T) {
			srv := startSim(t, simshop.Options{Seed: 1})
			shop := newShop(t, srv.Config("sl"))
			o := pick(t, srv, shop, func(o *backend.Order) bool {
				return o.RawStatus["fulfillment_status"] == tc.wire && o.CancelledAt == nil
			})
			before := len(o.Shipments)
			sh := backend.Shipment{Carrier: "EMS", TrackingNumber: "EE123456785CN", TrackingURL: "https://www.ems.com.cn/?q=EE123456785CN"}
			got, err := shop.Apply(ctxT(t), o, backend.Action{Kind: backend.ActionShip, Shipment: sh, Notify: tc.notify})
			must(t, err)
			// SHOPLINE answers with the fulfillment only; the adapter reads
			// the order back where shipped orders are listed
			if got == nil || len(got.Shipments) != before+1 || got.Shipments[before].TrackingNumber != sh.TrackingNumber {
				t.Fatalf("ship returned %+v, want the order read back with the new shipment", got)
			}

			var lines []string
			for _, l := range lineItems(t, o) {
				lines = append(lines, fmt.Sprintf(`{"id":%s,"quantity":%s}`, l[0], l[1]))
			}
			body := fmt.Sprintf(`{"fulfillment":{"line_items":[%s],"tracking_number":"EE123456785CN","tracking_company":"EMS",`+
				`"tracking_url":"https://www.ems.com.cn/?q=EE123456785CN","notify_customer":%t}}`, strings.Join(lines, ","), tc.notify)
			reqs := srv.Requests()
			if len(reqs) != 3 || len(lines) == 0 {
				t.Fatalf("%d requests, %d lines", len(reqs), len(lines))
			}
			checkRead(t, srv, reqs[0], o.Number, tc.pass)
			checkWrite(t, srv, reqs[1], http.MethodPost, "/orders/"+o.ID+"/fulfillments.json", body)
			checkRead(t, srv, reqs[2], o.Number, "shipped")

			after, _ := srv.Order(o.Number)
			last := after.Shipments[len(after.Shipments)-1]
			if len(after.Shipments) != before+1 || last.Carrier != "EMS" || last.TrackingNumber != sh.TrackingNumber || last.TrackingURL != sh.TrackingURL {
				t.Fatalf("shipments after = %+v", after.Shipments)
			}
			if after.State.Fulfillment != backend.FulFulfilled || after.RawStatus["fulfillment_status"] != "fulfilled" {
				t.Fatalf("state after = %+v %v", after.State, after.RawStatus)
			}
			wantEmails := map[bool]int{true: 1, false: 0}[tc.notify]
			if srv.Applied(o.Number) != 1 || srv.Emails(o.Number) != wantEmails {
				t.Fatalf("applied %d, emails %d (want 1, %d)", srv.Applied(o.Number), srv.Emails(o.Number), wantEmails)
			}
		})
	}
}

func TestStatusWrites(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct {
		name   string
		match  func(o *backend.Order) bool
		action backend.Action
		method string
		path   string // after /orders/{id}
		body   string
		emails int
		check  func(o *backend.Order) bool
	}{
		{"cancel", func(o *backend.Order) bool {
			return o.CancelledAt == nil && o.State.Fulfillment == backend.FulUnfulfilled && o.State.Payment == backend.PayUnpaid
		}, backend.Action{Kind: backend.ActionStatus, Status: "cancel"}, http.MethodPost, "/cancel.json",
			`{"cancel_reason":"other","restock":true,"email":false}`, 0,
			func(o *backend.Order) bool { return o.CancelledAt != nil && o.State.Order == backend.OrderCancelled }},
		{"cancel with reason, mailing the buyer", func(o *backend.Order) bool {
			return o.CancelledAt == nil && o.State.Fulfillment == backend.FulUnfulfilled && o.State.Payment == backend.PayPaid
		}, backend.Action{Kind: backend.ActionStatus, Status: "cancel", Remark: "Out of stock", Notify: true}, http.MethodPost, "/cancel.json",
			`{"cancel_reason":"Out of stock","restock":true,"email":true}`, 1,
			func(o *backend.Order) bool { return o.CancelledAt != nil && o.State.Order == backend.OrderCancelled }},
		{"archive", func(o *backend.Order) bool { return !o.State.Archived }, backend.Action{Kind: backend.ActionStatus, Status: "archive"},
			http.MethodPut, "/hide_mark.json", "", 0,
			func(o *backend.Order) bool { return o.State.Archived && o.RawStatus["hidden_order"] == "true" }},
		{"unarchive", func(o *backend.Order) bool { return o.State.Archived }, backend.Action{Kind: backend.ActionStatus, Status: "unarchive"},
			http.MethodPut, "/cancel_hide_mark.json", "", 0,
			func(o *backend.Order) bool { return !o.State.Archived && o.RawStatus["hidden_order"] == "false" }},
	} {
		t.Run(tc.name, func(t *testing.T) {
			srv := startSim(t, simshop.Options{Seed: 1})
			shop := newShop(t, srv.Config("sl"))
			o := pick(t, srv, shop, tc.match)
			got, err := shop.Apply(ctxT(t), o, tc.action)
			must(t, err)
			reqs := srv.Requests()
			if len(reqs) != 1 {
				t.Fatalf("%d requests, want exactly the write", len(reqs))
			}
			checkWrite(t, srv, reqs[0], tc.method, "/orders/"+o.ID+tc.path, tc.body)
			after := truth(srv, "sl")[o.Number]
			if !tc.check(after) {
				t.Fatalf("truth after %s: %+v %v", tc.name, after.State, after.RawStatus)
			}
			if srv.Applied(o.Number) != 1 || srv.Emails(o.Number) != tc.emails {
				t.Fatalf("applied %d, emails %d", srv.Applied(o.Number), srv.Emails(o.Number))
			}
			sameOrder(t, got, after)
		})
	}
}
