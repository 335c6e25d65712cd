package desk

import (
	"fmt"
	"slices"
	"testing"
	"time"

	"orderdesk/backend"
	"orderdesk/backend/query"
	"orderdesk/backend/simshop"
)

// The state-axis pass (matchAxes) selects exactly the rows the general
// pass (matchParallel) does, over many blocks and both CPUs' spans, and
// countRows (the tabs' counts) counts them.
//
// The rows are 1500 simulated orders of each platform, four times over
// (copies under other numbers): as many platform and state combinations
// as 6000 of each have (47), at a quarter of the cost of making them
// (their deep copies are most of this test's time under -race).
func TestMatchAxesAgreesWithMatchParallel(t *testing.T) {
	t.Parallel()
	var sample []*backend.Order
	for i, p := range []backend.Platform{backend.Fecshop, backend.Fecmall, backend.Shopline, backend.YMCart} {
		srv, err := simshop.New(p, simshop.Options{Seed: int64(i + 1), Orders: 1500})
		if err != nil {
			t.Fatal(err)
		}
		sample = append(sample, srv.Orders()...)
		srv.Close()
	}
	var orders []*backend.Order
	for c := range 4 {
		for _, o := range sample {
			cp := *o
			cp.Number = fmt.Sprintf("%s-%d", o.Number, c)
			cp.Ref.Number = cp.Number
			orders = append(orders, &cp)
		}
	}
	d := newDataset(0, orders, func(string) *time.Location { return time.UTC })
	if len(d.blocks) < 4 || d.n < 20000 {
		t.Fatalf("%d orders in %d blocks: too few to split", d.n, len(d.blocks))
	}
	for _, text := range []string{"pay:paid", "pay:paid ship:unfulfilled -is:cancelled", "-is:open", "ship:fulfilled,delivered is:archived", "is:attention"} {
		q, err := query.Parse(text, query.Options{})
		if err != nil {
			t.Fatal(err)
		}
		ax, ok := query.AxesOf(q)
		if !ok {
			t.Fatalf("%q: no Axes", text)
		}
		got, want := matchAxes(d, &ax), matchParallel(d, []*query.Query{q}, nil, d.n)
		if text != "is:attention" && (len(want) == 0 || len(want) == d.n) { // (no simulated order needs attention)
			t.Errorf("%q selects %d of %d rows: the comparison would not tell the passes apart", text, len(want), d.n)
		}
		if !slices.Equal(got, want) {
			t.Errorf("%q: matchAxes %d rows, matchParallel %d", text, len(got), len(want))
		}
		if n := countRows(d, q, nil); n != len(want) {
			t.Errorf("%q: countRows %d, matchParallel %d rows", text, n, len(want))
		}
	}
}
