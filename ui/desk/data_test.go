package desk

import (
	"fmt"
	"reflect"
	"testing"
	"time"

	"orderdesk/backend"
	"orderdesk/backend/query"
)

// scanOrdered makes n orders in the cache's scan order (newest first),
// over more than one block of rows.
func scanOrdered(n int) []*backend.Order {
	out := make([]*backend.Order, n)
	for i := range out {
		created := demoTime.Add(-time.Duration(i) * time.Minute)
		shop := []string{"eu-fecshop", "jp-shopline"}[i%2]
		num := fmt.Sprintf("%d", 100000+i)
		out[i] = &backend.Order{
			Ref: backend.Ref{Shop: shop, Number: num}, Shop: shop, Platform: backend.Fecshop, Number: num,
			State:     backend.State{Order: backend.OrderOpen, Payment: backend.PayPaid, Fulfillment: backend.FulUnfulfilled},
			CreatedAt: &created, Currency: "EUR", Customer: backend.Customer{Name: fmt.Sprintf("Customer %d", i)},
			ShippingAddress: &backend.Address{CountryCode: "DE"},
			Items:           []backend.Item{{SKU: "SKU-1", Qty: 1 + i%3}, {SKU: "SKU-2", Qty: 2}},
			Totals:          backend.Totals{GrandTotal: backend.MustAmount(fmt.Sprintf("%d.50", i), "EUR")},
		}
	}
	return out
}

// sameDataset fails unless d holds exactly the orders of want, in order,
// as the list shows them and as filters see them.
func sameDataset(t *testing.T, d *dataset, want []*backend.Order) {
	t.Helper()
	w := newDataset(1, want, nil)
	if d.len() != w.len() {
		t.Fatalf("%d orders, want %d", d.len(), w.len())
	}
	for i := range w.len() {
		if got, want := d.order(i), w.order(i); !reflect.DeepEqual(got, want) {
			t.Fatalf("order %d is %+v, want %+v", i, got, want)
		}
		if got := d.index[w.ref(i)]; got != i {
			t.Fatalf("index of %s is %d, want %d", w.ref(i), got, i)
		}
	}
	for _, f := range []string{"customer", "ivy", "sku-2", "total>4000", "created<2h"} {
		q, err := query.Parse(f, query.Options{Now: demoTime})
		if err != nil {
			t.Fatal(err)
		}
		got, wantRows := selectRows(d, []*query.Query{q}, nil, -1, true), selectRows(w, []*query.Query{q}, nil, -1, true)
		if !reflect.DeepEqual(got, wantRows) {
			t.Fatalf("%q selects %d rows, want %d", f, len(got), len(wantRows))
		}
	}
}

func TestDatasetChangesCopyOnlyTheirBlocks(t *testing.T) {
	t.Parallel()
	orders := scanOrdered(2*blockSize + 10)
	d := newDataset(1, orders, nil)
	sameDataset(t, d, orders)

	// a change in the second block: the others are shared, d stays as it was
	i := blockSize + 7
	fresh := *orders[i]
	fresh.Customer.Name, fresh.Items = "Ivy Changed", []backend.Item{{SKU: "NEW", Qty: 9}}
	nd := d.withChanges([]*backend.Order{&fresh}, nil)
	if nd.version != d.version+1 || nd.blocks[0] != d.blocks[0] || nd.blocks[2] != d.blocks[2] || nd.blocks[1] == d.blocks[1] {
		t.Fatal("a change in one block copied other blocks, or none")
	}
	sameDataset(t, d, orders)
	after := append([]*backend.Order(nil), orders...)
	after[i] = &fresh
	sameDataset(t, nd, after)

	// new orders take their places in the scan order
	mid := *orders[5]
	mid.Number, mid.Ref.Number, mid.Customer.Name = "X-MID", "X-MID", "Ivy Inserted"
	undated := *orders[0]
	undated.Number, undated.Ref.Number, undated.CreatedAt = "X-NODATE", "X-NODATE", nil
	nd2 := nd.withChanges([]*backend.Order{&undated, &mid}, nil)
	want := append([]*backend.Order(nil), after[:6]...)
	want = append(want, &mid)
	want = append(want, after[6:]...)
	want = append(want, &undated)
	sameDataset(t, nd2, want)
	sameDataset(t, nd, after)
}
