package cache

import (
	"bytes"
	"errors"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"orderdesk/backend"
	"orderdesk/backend/storage"
)

// scanFixture opens a store of more than three chunks of orders: the
// truth of every platform, orders without created_at, and equal created
// times across shops whose names prefix one another (ties go by ref
// text). The store is the test's own copy of a file built once; the
// orders it holds are shared by the tests, which must not change them.
func scanFixture(t *testing.T) (*Store, []*backend.Order) {
	t.Helper()
	scanFile.once.Do(func() { scanFile.file, scanFile.orders = buildScanFixture(t) })
	if scanFile.file == nil {
		t.Fatal("the scan fixture could not be built (see the first test that used it)")
	}
	dir := filepath.Join(t.TempDir(), "desk")
	if err := os.Mkdir(dir, 0o700); err != nil {
		t.Fatal(err)
	}
	path := filepath.Join(dir, "orderdesk.db")
	if err := os.WriteFile(path, scanFile.file, 0o600); err != nil {
		t.Fatal(err)
	}
	s, err := Open(path, Options{Now: func() time.Time { return testNow }})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = s.Close() })
	return s, scanFile.orders
}

// scanFile is scanFixture's file and orders, built once.
var scanFile struct {
	once   sync.Once
	file   []byte
	orders []*backend.Order
}

func buildScanFixture(t *testing.T) ([]byte, []*backend.Order) {
	t.Helper()
	path := filepath.Join(t.TempDir(), "orderdesk.db")
	s, err := Open(path, Options{Now: func() time.Time { return testNow }})
	if err != nil {
		t.Fatal(err)
	}
	orders := truthOrders(t, 400)
	tie := orders[10].CreatedAt
	for _, shop := range []string{"eu", "eu-2", "e"} {
		for _, num := range []string{"10", "1", "2"} {
			o := fullOrder(shop, num)
			o.CreatedAt = tie
			orders = append(orders, o)
		}
		o := fullOrder(shop, "none")
		o.CreatedAt = nil
		orders = append(orders, o)
	}
	put(t, s, orders...)
	if err := s.Close(); err != nil {
		t.Fatal(err)
	}
	return mustRead(t, path), orders
}

// wantOrder sorts like Scan: created newest first, none last, ties by ref.
func wantOrder(orders []*backend.Order, shop string) []backend.Ref {
	sorted := slices.Clone(orders)
	slices.SortStableFunc(sorted, func(a, b *backend.Order) int {
		switch {
		case a.CreatedAt == nil && b.CreatedAt != nil:
			return 1
		case a.CreatedAt != nil && b.CreatedAt == nil:
			return -1
		case a.CreatedAt != nil && !a.CreatedAt.Equal(*b.CreatedAt):
			return b.CreatedAt.Compare(*a.CreatedAt)
		}
		return strings.Compare(a.Ref.String(), b.Ref.String())
	})
	out := []backend.Ref{}
	for _, o := range sorted {
		if shop == "" || o.Shop == shop {
			out = append(out, o.Ref)
		}
	}
	return out
}

func TestScanOrderAndShopFilter(t *testing.T) {
	t.Parallel()
	s, orders := scanFixture(t)
	for _, shop := range []string{"", "eu", "e", shopName(backend.Shopline), "nosuch"} {
		got, want := scanRefs(t, s, shop), wantOrder(orders, shop)
		if !slices.Equal(got, want) {
			i := 0
			for i < min(len(got), len(want)) && got[i] == want[i] {
				i++
			}
			t.Errorf("Scan(%q): %d orders, want %d; first difference at %d", shop, len(got), len(want), i)
		}
	}
}

func TestScanStopAndErrors(t *testing.T) {
	t.Parallel()
	s, _ := scanFixture(t)
	n := 0
	err := s.Scan(storage.ScanQuery{Shop: "", Full: false}, func(*backend.Order, []byte) error {
		if n++; n == 700 {
			return storage.ErrStop
		}
		return nil
	})
	if err != nil || n != 700 {
		t.Errorf("ErrStop: %d calls, err %v; want 700, nil", n, err)
	}
	mine := errors.New("mine")
	n = 0
	err = s.Scan(storage.ScanQuery{Shop: "", Full: false}, func(*backend.Order, []byte) error {
		if n++; n == 3 {
			return mine
		}
		return nil
	})
	if err != mine || n != 3 {
		t.Errorf("fn error: %d calls, err %v; want 3, the error itself", n, err)
	}
}

// TestScanOutsideTransactions checks fn runs with no transaction open (so
// it may write to the store) and that what it keeps is its own copy.
func TestScanOutsideTransactions(t *testing.T) {
	t.Parallel()
	s, orders := scanFixture(t)
	type kept struct {
		o    *backend.Order
		doc  []byte
		snap []byte
	}
	var keep []kept
	calls := 0
	err := s.Scan(storage.ScanQuery{Shop: "", Full: true}, func(o *backend.Order, doc []byte) error {
		if open := s.db.Stats().OpenTxN; open != 0 {
			t.Fatalf("fn called with %d read transactions open", open)
		}
		if calls++; calls%300 == 1 {
			keep = append(keep, kept{o, doc, bytes.Clone(doc)})
			// Writing from fn works: no transaction is held.
			c := fullOrder("written-in-scan", o.Ref.Shop+o.Number)
			if err := s.PutOrders(c.Shop, []*backend.Order{c}); err != nil {
				return err
			}
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	// Overwrite every order, then check what fn kept did not change.
	changed := make([]*backend.Order, len(orders))
	for i, o := range orders {
		c := *o // the fixture's orders are shared
		c.BuyerNote, c.Customer.Name = strings.Repeat("x", 3000), "changed"
		changed[i] = &c
	}
	put(t, s, changed...)
	for _, k := range keep {
		if !bytes.Equal(k.doc, k.snap) || k.o.Customer.Name == "changed" {
			t.Fatalf("kept scan results of %s changed after a write", k.o.Ref)
		}
	}
	mustVerify(t, s)
}

func TestScanPendingOverlay(t *testing.T) {
	t.Parallel()
	s := openTest(t)
	a, b, c := fullOrder("eu", "1"), fullOrder("eu", "2"), fullOrder("eu", "3")
	put(t, s, a, b, c)
	e1 := &backend.Edit{Ref: a.Ref, Action: backend.Action{Kind: backend.ActionRemark, Remark: "hi"}, Summary: `remark "hi"`, Operator: "ann"}
	e2 := &backend.Edit{Ref: b.Ref, Action: backend.Action{Kind: backend.ActionStatus, Status: "cancel"}, Summary: "status → cancel", Operator: "ann"}
	e3 := &backend.Edit{Ref: a.Ref, Action: backend.Action{Kind: backend.ActionShip}, Summary: "ship EMS EE1", State: backend.EditFailed, Error: "no"}
	for _, e := range []*backend.Edit{e1, e2, e3} {
		if err := s.AddEdit(e); err != nil {
			t.Fatal(err)
		}
	}
	check := func(when string, want map[string][]backend.PendingEdit) {
		t.Helper()
		err := s.Scan(storage.ScanQuery{Shop: "", Full: false}, func(o *backend.Order, _ []byte) error {
			if w := want[o.Ref.String()]; !slices.Equal(o.Pending, w) {
				t.Errorf("%s: Scan pending of %s = %+v, want %+v", when, o.Ref, o.Pending, w)
			}
			full, err := s.Order(o.Ref)
			if err != nil {
				return err
			}
			if w := want[o.Ref.String()]; !slices.Equal(full.Pending, w) {
				t.Errorf("%s: Order pending of %s = %+v, want %+v", when, o.Ref, full.Pending, w)
			}
			return nil
		})
		if err != nil {
			t.Fatal(err)
		}
	}
	check("open", map[string][]backend.PendingEdit{
		"eu:1": {e1.Pending(), e3.Pending()},
		"eu:2": {e2.Pending()},
	})
	done := *e1
	done.State = backend.EditDone
	if err := s.SaveEdits(nil, done); err != nil {
		t.Fatal(err)
	}
	check("after done", map[string][]backend.PendingEdit{
		"eu:1": {e3.Pending()},
		"eu:2": {e2.Pending()},
	})
	if e1.ID != "E1" || e3.Pending().State != "failed" || e3.Pending().Error != "no" {
		t.Errorf("edits as saved: %+v %+v", e1, e3)
	}
}
