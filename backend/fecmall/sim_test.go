package fecmall

import (
	"context"
	"strconv"
	"testing"
	"time"

	"orderdesk/backend"
	"orderdesk/backend/simshop"
)

const (
	infoPath    = "/manager/api/apps/openapi/order/info"
	paidPath    = "/manager/api/apps/openapi/order/list"
	pendingPath = "/manager/api/apps/openapi/order/get-pending-order-list"
)

// listAll walks every page and returns the orders and the cursors used.
func listAll(t *testing.T, s *Shop, q backend.ListQuery) ([]*backend.Order, []string) {
	t.Helper()
	var all []*backend.Order
	cursors := []string{q.Cursor}
	for {
		p, err := s.List(context.Background(), q)
		if err != nil {
			t.Fatal(collector.Err(err))
		}
		if p.Total != -1 {
			t.Errorf("Total %d, want -1 (unknown)", p.Total)
		}
		all = append(all, p.Orders...)
		if p.Next == "" {
			return all, cursors
		}
		if len(cursors) > 100 {
			t.Fatal("the walk does not end")
		}
		q.Cursor = p.Next
		cursors = append(cursors, p.Next)
	}
}

func paidCode(o *backend.Order) bool {
	p, _ := strconv.Atoi(o.RawStatus["payment_status"])
	return p >= 3
}

// TestListEveryPageMatchesTruth walks both lists page by page and compares
// every order with the simulated shop's truth, and every request with what
// the adapter must send.
func TestListEveryPageMatchesTruth(t *testing.T) {
	t.Parallel()
	srv := newSim(t, simshop.Options{})
	s := newShop(t, srv)
	s.pageSize = 7
	got, cursors := listAll(t, s, backend.ListQuery{})
	truth := srv.Orders()
	if len(got) != len(truth) {
		t.Fatalf("listed %d orders, the shop has %d", len(got), len(truth))
	}
	byNumber := map[string]*backend.Order{}
	for _, o := range got {
		if byNumber[o.Number] != nil {
			t.Errorf("order %s listed twice", o.Number)
		}
		byNumber[o.Number] = o
		if o.SyncedAt == nil || len(o.Raw) == 0 || o.Ref.String() != shopName+":"+o.Number {
			t.Errorf("order %s: SyncedAt %v, Raw %d bytes, Ref %v", o.Number, o.SyncedAt, len(o.Raw), o.Ref)
		}
	}
	paid := 0
	for _, w := range truth {
		if paidCode(w) {
			paid++
		}
		if o := byNumber[w.Number]; o == nil {
			t.Errorf("order %s not listed", w.Number)
		} else {
			sameOrder(t, o, w)
		}
	}
	// The walk: the paid list page by page, then the unpaid list.
	pages := func(n int) int { return (n + 6) / 7 }
	var want []string
	for p := 1; p <= pages(paid); p++ {
		want = append(want, "paid:"+strconv.Itoa(p))
	}
	for p := 1; p <= pages(len(truth)-paid); p++ {
		want = append(want, "unpaid:"+strconv.Itoa(p))
	}
	want[0] = ""
	if len(cursors) != len(want) {
		t.Fatalf("cursors %q, want %q", cursors, want)
	}
	reqs := srv.Requests()
	if len(reqs) != len(want) {
		t.Fatalf("%d requests for %d pages", len(reqs), len(want))
	}
	for i, c := range want {
		if c != cursors[i] {
			t.Errorf("cursor %d is %q, want %q", i, cursors[i], c)
		}
		path, page := paidPath, i+1
		if i >= pages(paid) {
			path, page = pendingPath, i+1-pages(paid)
		}
		checkRead(t, srv, reqs[i], path, map[string]string{"pageNum": strconv.Itoa(page), "pageSize": "7"})
	}
	for i, o := range got {
		if paidCode(o) != (i < paid) {
			t.Errorf("order %s (payment_status %s) came from the wrong list", o.Number, o.RawStatus["payment_status"])
		}
	}
}

// TestListDefaultPageSize lists with the default page size: one request per list.
func TestListDefaultPageSize(t *testing.T) {
	t.Parallel()
	srv := newSim(t, simshop.Options{})
	got, _ := listAll(t, newShop(t, srv), backend.ListQuery{})
	if len(got) != 60 {
		t.Errorf("listed %d orders, want 60", len(got))
	}
	reqs := srv.Requests()
	if len(reqs) != 2 {
		t.Fatalf("%d requests, want 2", len(reqs))
	}
	checkRead(t, srv, reqs[0], paidPath, map[string]string{"pageNum": "1", "pageSize": "50"})
	checkRead(t, srv, reqs[1], pendingPath, map[string]string{"pageNum": "1", "pageSize": "50"})
}

// TestListCreatedWindow sends the window in shop-local time (end inclusive,
// so one second before CreatedTo) and gets exactly the orders inside.
func TestListCreatedWindow(t *testing.T) {
	t.Parallel()
	srv := newSim(t, simshop.Options{})
	s := newShop(t, srv)
	truth := srv.Orders()
	from, to := *truth[10].CreatedAt, *truth[30].CreatedAt
	got, _ := listAll(t, s, backend.ListQuery{CreatedFrom: from, CreatedTo: to})
	if len(got) != 20 {
		t.Errorf("listed %d orders, want the 20 created in [order 10, order 30)", len(got))
	}
	in := map[string]bool{}
	for _, w := range truth[10:30] {
		in[w.Number] = true
	}
	for _, o := range got {
		if !in[o.Number] {
			t.Errorf("order %s created %v is outside the window", o.Number, o.CreatedAt)
		}
	}
	loc := srv.Opt.Timezone
	want := map[string]string{"pageNum": "1", "pageSize": "50",
		"created_at_begin": from.In(loc).Format("2006-01-02 15:04:05"),
		"created_at_end":   to.Add(-time.Second).In(loc).Format("2006-01-02 15:04:05")}
	reqs := srv.Requests()
	if len(reqs) != 2 {
		t.Fatalf("%d requests, want one per list", len(reqs))
	}
	checkRead(t, srv, reqs[0], paidPath, want)
	checkRead(t, srv, reqs[1], pendingPath, want)
	if want["created_at_begin"] == from.UTC().Format("2006-01-02 15:04:05") {
		t.Error("the window must be sent in the shop's zone, not UTC")
	}

	// Fractions of a second: the shop's times are whole seconds, so
	// [from-0.5s, to+0.5s) holds order 30 too, and nothing before order 10.
	srv.ResetRecord()
	half := 500 * time.Millisecond
	got, _ = listAll(t, s, backend.ListQuery{CreatedFrom: from.Add(-half), CreatedTo: to.Add(half)})
	if len(got) != 21 {
		t.Errorf("listed %d orders, want 21", len(got))
	}
	want["created_at_end"] = to.In(loc).Format("2006-01-02 15:04:05")
	checkRead(t, srv, srv.Requests()[0], paidPath, want)
}

// TestGetMatchesTruth reads one order of each raw status with order/info.
func TestGetMatchesTruth(t *testing.T) {
	t.Parallel()
	srv := newSim(t, simshop.Options{})
	s := newShop(t, srv)
	seen := map[string]bool{}
	for _, w := range srv.Orders() {
		label := w.StatusLabel
		if seen[label] {
			continue
		}
		seen[label] = true
		srv.ResetRecord()
		o, err := s.Get(context.Background(), w.Number)
		if err != nil {
			t.Fatal(collector.Err(err))
		}
		sameOrder(t, o, w)
		reqs := srv.Requests()
		if len(reqs) != 1 {
			t.Fatalf("%d requests, want 1", len(reqs))
		}
		checkRead(t, srv, reqs[0], infoPath, map[string]string{"order_number": w.Number})
	}
	if len(seen) < 10 {
		t.Errorf("only %d different statuses read", len(seen))
	}
}

// TestBareRowsFallBackToInfo: list rows without items are read again with
// order/info, and the result still equals the truth.
func TestBareRowsFallBackToInfo(t *testing.T) {
	t.Parallel()
	srv := newSim(t, simshop.Options{Orders: 12})
	if !simshop.FecmallSetBareListRows(srv, true) {
		t.Fatal("not a fecmall sim")
	}
	s := newShop(t, srv)
	got, _ := listAll(t, s, backend.ListQuery{})
	truth := srv.Orders()
	if len(got) != len(truth) {
		t.Fatalf("listed %d orders, want %d", len(got), len(truth))
	}
	byNumber := map[string]*backend.Order{}
	for _, o := range got {
		byNumber[o.Number] = o
	}
	for _, w := range truth {
		sameOrder(t, byNumber[w.Number], w)
	}
	infos := map[string]int{}
	for _, r := range srv.Requests() {
		if r.Path == infoPath {
			checkRead(t, srv, r, infoPath, map[string]string{"order_number": r.Query.Get("order_number")})
			infos[r.Query.Get("order_number")]++
		}
	}
	if len(infos) != len(truth) {
		t.Errorf("order/info read for %d orders, want all %d", len(infos), len(truth))
	}
	for n, c := range infos {
		if c != 1 {
			t.Errorf("order %s read %d times", n, c)
		}
	}

	// With items in the rows, no order/info at all.
	simshop.FecmallSetBareListRows(srv, false)
	srv.ResetRecord()
	listAll(t, s, backend.ListQuery{})
	for _, r := range srv.Requests() {
		if r.Path == infoPath {
			t.Fatal("order/info read although the rows carry items")
		}
	}
}

func TestGetUnknownOrder(t *testing.T) {
	t.Parallel()
	srv := newSim(t, simshop.Options{})
	_, err := newShop(t, srv).Get(context.Background(), "B000")
	be := wantKind(t, err, backend.ErrNotFound)
	if be.Reason != "code 404: order not found" || be.Shop != shopName {
		t.Errorf("error %v", err)
	}
	if n := len(srv.Requests()); n != 1 {
		t.Errorf("%d requests, want 1 (not retried)", n)
	}
}

// TestBadToken: the shop's HTTP-200 code 401 is ErrAuth, not retried.
func TestBadToken(t *testing.T) {
	t.Parallel()
	srv := newSim(t, simshop.Options{})
	s := newShop(t, srv, func(c *backend.ShopConfig) { c.Token = backend.NewSecret("not-the-token-123") })
	for _, call := range []func() error{
		func() error { _, err := s.Get(context.Background(), srv.Orders()[0].Number); return err },
		func() error { _, err := s.List(context.Background(), backend.ListQuery{}); return err },
	} {
		srv.ResetRecord()
		be := wantKind(t, call(), backend.ErrAuth)
		if be.Reason != "code 401: invalid open-access-token" {
			t.Errorf("reason %q", be.Reason)
		}
		reqs := srv.Requests()
		if len(reqs) != 1 || reqs[0].Header.Get("open-access-token") != "not-the-token-123" {
			t.Errorf("requests %+v, want one with the configured token", reqs)
		}
	}
}
