package fecshop

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"net/http"
	"net/url"
	"reflect"
	"strconv"
	"strings"
	"testing"
	"time"

	"orderdesk/backend"
	"orderdesk/backend/simshop"
)

// listAll walks every page of q.
func listAll(t *testing.T, s *Shop, q backend.ListQuery) ([]*backend.Order, int) {
	t.Helper()
	var all []*backend.Order
	pages := 0
	for {
		p, err := s.List(context.Background(), q)
		if err != nil {
			t.Fatalf("list page %d: %v", pages+1, seen(err))
		}
		pages++
		all = append(all, p.Orders...)
		if p.Next == "" {
			return all, pages
		}
		if pages > 100 {
			t.Fatal("list never ends")
		}
		q.Cursor = p.Next
	}
}

// assertLogin checks a recorded login: JSON credentials, no token header.
func assertLogin(t *testing.T, r simshop.Recorded, srv *simshop.Server) {
	t.Helper()
	if r.Method != http.MethodPost || r.Path != "/v1/account/login" {
		t.Fatalf("first request %s %s, want the login", r.Method, r.Path)
	}
	if r.Header.Get("access-token") != "" || len(r.Query) != 0 {
		t.Errorf("login carried a token or a query: %v %v", r.Header, r.Query)
	}
	want, _ := json.Marshal(map[string]string{"username": srv.Opt.Username, "password": srv.Opt.Password})
	var got, w map[string]string
	if json.Unmarshal(r.Body, &got) != nil || json.Unmarshal(want, &w) != nil || !reflect.DeepEqual(got, w) {
		t.Errorf("login body %s", r.Body)
	}
	if !strings.HasPrefix(r.Header.Get("Content-Type"), "application/json") {
		t.Errorf("login Content-Type %q", r.Header.Get("Content-Type"))
	}
}

// token is the session token the shop holds (the last one issued).
func token(srv *simshop.Server) string { s := srv.Secrets(); return s[len(s)-1] }

func TestListEveryPageEqualsTruth(t *testing.T) {
	t.Parallel()
	srv := startSim(t, simshop.Options{Seed: 1})
	s := newShop(t, srv)
	got, pages := listAll(t, s, backend.ListQuery{})
	truth := srv.Orders()
	if len(got) != 60 || pages != 12 {
		t.Fatalf("got %d orders in %d pages, want 60 in 12", len(got), pages)
	}
	if g, w := asJSON(t, got, "eu-store"), asJSON(t, truth, "eu-store"); g != w {
		t.Fatalf("list differs from the truth:\n%s", firstDiff(g, w))
	}
	for _, o := range got {
		if o.Shop != "eu-store" || o.Ref.String() != "eu-store:"+o.Number || o.SyncedAt == nil || !json.Valid(o.Raw) {
			t.Fatalf("order %s: shop %q ref %v synced %v raw valid %v", o.Number, o.Shop, o.Ref, o.SyncedAt, json.Valid(o.Raw))
		}
	}
	reqs := srv.Requests()
	if len(reqs) != 13 {
		t.Fatalf("%d requests, want 1 login + 12 pages", len(reqs))
	}
	assertLogin(t, reqs[0], srv)
	for i, r := range reqs[1:] {
		want := url.Values{"page": {strconv.Itoa(i + 1)}}
		if r.Method != http.MethodGet || r.Path != "/v1/order/list" || !reflect.DeepEqual(r.Query, want) || len(r.Body) != 0 {
			t.Errorf("page %d: %s %s %v body %q", i+1, r.Method, r.Path, r.Query, r.Body)
		}
		if r.Header.Get("access-token") != token(srv) || r.Header.Get("Accept") != "application/json" {
			t.Errorf("page %d: headers %v", i+1, r.Header)
		}
	}
}

// Every raw status the sim generates is covered, so the comparison above
// exercises the whole status table.
func TestSimCoversEveryStatus(t *testing.T) {
	t.Parallel()
	srv := startSim(t, simshop.Options{Seed: 1})
	have := map[string]bool{}
	for _, o := range srv.Orders() {
		have[o.RawStatus["order_status"]] = true
	}
	for _, r := range statuses {
		if !have[r.raw] {
			t.Errorf("no generated order in %s", r.raw)
		}
	}
}

func TestListCreatedWindow(t *testing.T) {
	t.Parallel()
	srv := startSim(t, simshop.Options{Seed: 1})
	s := newShop(t, srv)
	truth := srv.Orders()
	from, to := *truth[10].CreatedAt, *truth[23].CreatedAt // [10, 23)
	got, _ := listAll(t, s, backend.ListQuery{CreatedFrom: from, CreatedTo: to})
	if g, w := asJSON(t, got, "eu-store"), asJSON(t, truth[10:23], "eu-store"); g != w {
		t.Fatalf("window differs:\n%s", firstDiff(g, w))
	}
	loc := srv.Opt.Timezone
	r := srv.Requests()[1]
	want := url.Values{"page": {"1"}, "begin_date": {from.In(loc).Format("2006-01-02 15:04:05")}, "end_date": {to.In(loc).Format("2006-01-02 15:04:05")}}
	if !reflect.DeepEqual(r.Query, want) {
		t.Errorf("query %v, want %v", r.Query, want)
	}
}

func TestListEmptyResultIsNotAnError(t *testing.T) {
	t.Parallel()
	srv := startSim(t, simshop.Options{Seed: 1})
	s := newShop(t, srv)
	far := time.Date(2001, 1, 1, 0, 0, 0, 0, time.UTC)
	p, err := s.List(context.Background(), backend.ListQuery{CreatedFrom: far, CreatedTo: far.Add(time.Hour)})
	if err != nil || len(p.Orders) != 0 || p.Next != "" || p.Total != 0 {
		t.Fatalf("page %+v err %v, want an empty last page with total 0", p, seen(err))
	}
	// Past the last page of a non-empty list: the end, not an error.
	p, err = s.List(context.Background(), backend.ListQuery{Cursor: "13"})
	if err != nil || len(p.Orders) != 0 || p.Next != "" || p.Total != 60 {
		t.Fatalf("page 13: %+v err %v", p, seen(err))
	}
	if _, err := s.List(context.Background(), backend.ListQuery{Cursor: "x"}); !isKind(seen(err), backend.ErrRefused) {
		t.Errorf("bad cursor: %v", err)
	}
}

func TestGetEqualsTruth(t *testing.T) {
	t.Parallel()
	srv := startSim(t, simshop.Options{Seed: 1})
	s := newShop(t, srv)
	truth := srv.Orders()[17]
	o, err := s.Get(context.Background(), truth.Number)
	if err != nil {
		t.Fatal(seen(err))
	}
	// Before any list the shop cannot know the image host: fetchone's
	// relative paths are kept as sent.
	for k, it := range o.Items {
		if it.Image != strings.TrimPrefix(truth.Items[k].Image, "https://img.fecshop-sim.example/media/catalog/product") {
			t.Errorf("item %d image %q", k, it.Image)
		}
	}
	if _, err := s.List(context.Background(), backend.ListQuery{}); err != nil {
		t.Fatal(seen(err))
	}
	o, err = s.Get(context.Background(), truth.Number)
	if err != nil {
		t.Fatal(seen(err))
	}
	if g, w := asJSON(t, []*backend.Order{o}, "eu-store"), asJSON(t, []*backend.Order{truth}, "eu-store"); g != w {
		t.Fatalf("get differs:\n%s", firstDiff(g, w))
	}
	r := srv.Requests()[len(srv.Requests())-1]
	if r.Method != http.MethodGet || r.Path != "/v1/order/fetchone" || !reflect.DeepEqual(r.Query, url.Values{"increment_id": {truth.Number}}) ||
		len(r.Body) != 0 || r.Header.Get("access-token") != token(srv) {
		t.Errorf("fetchone request %s %s %v %q %v", r.Method, r.Path, r.Query, r.Body, r.Header)
	}
	if _, err := s.Get(context.Background(), "1199999999"); !isKind(seen(err), backend.ErrNotFound) {
		t.Errorf("unknown order: %v", err)
	}
}

func isKind(err, kind error) bool {
	var be *backend.Error
	return err != nil && errors.As(err, &be) && be.Kind == kind
}

func TestApplyStatus(t *testing.T) {
	t.Parallel()
	srv := startSim(t, simshop.Options{Seed: 1})
	s := newShop(t, srv)
	before := orderIn(t, srv, "payment_confirmed")
	o, err := s.Get(context.Background(), before.Number)
	if err != nil {
		t.Fatal(seen(err))
	}
	srv.ResetRecord()
	if _, err := s.Apply(context.Background(), o, backend.Action{Kind: backend.ActionStatus, Status: "processing"}); err != nil {
		t.Fatal(seen(err))
	}
	w := srv.Writes()
	if len(w) != 1 {
		t.Fatalf("%d writes", len(w))
	}
	if w[0].Method != http.MethodPost || w[0].Path != "/v1/order/updateorderstatus" || len(w[0].Query) != 0 ||
		w[0].Header.Get("access-token") != token(srv) || !strings.HasPrefix(w[0].Header.Get("Content-Type"), "application/json") {
		t.Errorf("write %s %s %v %v", w[0].Method, w[0].Path, w[0].Query, w[0].Header)
	}
	if want := `{"increment_id":"` + o.Number + `","order_status":"processing"}`; string(w[0].Body) != want {
		t.Errorf("body %s, want %s", w[0].Body, want)
	}
	after, _ := srv.Order(o.Number)
	wantState := backend.State{Order: backend.OrderOpen, Payment: backend.PayPaid, Fulfillment: backend.FulInProgress, Inferred: true}
	if after.RawStatus["order_status"] != "processing" || after.State != wantState || srv.Applied(o.Number) != 1 {
		t.Errorf("truth after: %v %+v applied %d", after.RawStatus, after.State, srv.Applied(o.Number))
	}
	got, err := s.Get(context.Background(), o.Number)
	if err != nil || got.RawStatus["order_status"] != "processing" || got.State != wantState {
		t.Errorf("read back: %v %v", got, seen(err))
	}
}

// Shipping order 1100006617 sends exactly the seed's request example.
func TestApplyShipSendsSeedBody(t *testing.T) {
	t.Parallel()
	srv := startSim(t, simshop.Options{Seed: 1})
	s := newShop(t, srv)
	srv.Mutate("1100006617", func(o *backend.Order) {
		o.RawStatus = map[string]string{"order_status": "processing"}
		o.Shipments = nil
	})
	o, err := s.Get(context.Background(), "1100006617")
	if err != nil {
		t.Fatal(seen(err))
	}
	srv.ResetRecord()
	a := backend.Action{Kind: backend.ActionShip, Shipment: backend.Shipment{Carrier: "sf", TrackingNumber: "SF1410289486215"}}
	if _, err := s.Apply(context.Background(), o, a); err != nil {
		t.Fatal(seen(err))
	}
	var want bytes.Buffer
	_ = json.Compact(&want, readSeed(t, "updateorderstatus_request.json"))
	w := srv.Writes()
	if len(w) != 1 || !bytes.Equal(w[0].Body, want.Bytes()) || w[0].Header.Get("access-token") != token(srv) {
		t.Fatalf("writes %d, body %s, want %s", len(w), w[0].Body, want.Bytes())
	}
	after, _ := srv.Order("1100006617")
	if after.RawStatus["order_status"] != "dispatched" || after.State.Fulfillment != backend.FulFulfilled ||
		len(after.Shipments) != 1 || after.Shipments[0].Carrier != "sf" || after.Shipments[0].TrackingNumber != "SF1410289486215" ||
		after.Shipments[0].ShippedAt != nil || srv.Applied("1100006617") != 1 {
		t.Errorf("truth after ship: %v %+v %+v applied %d", after.RawStatus, after.State, after.Shipments, srv.Applied("1100006617"))
	}
	got, err := s.Get(context.Background(), "1100006617")
	if err != nil || len(got.Shipments) != 1 || got.Shipments[0] != after.Shipments[0] {
		t.Errorf("read back shipments %+v err %v", got.Shipments, seen(err))
	}
}
