package desk

import (
	"cmp"
	"runtime"
	"slices"
	"strings"
	stdsync "sync"
	"time"

	"orderdesk/backend"
	"orderdesk/backend/query"
)

// dataset is an immutable snapshot of the cached orders: the slim orders
// newest first (the cache's scan order) and their prepared filter docs.
// Background work reads a snapshot while Update swaps in newer ones; a
// snapshot is never written after it is published.
type dataset struct {
	version int
	orders  []*backend.Order
	docs    []query.Doc // len(orders) once built; nil while the first rows show
	index   map[backend.Ref]int
}

// emptyDataset is version -1, so the first rows (version 0) get fresh
// column widths.
func emptyDataset() *dataset { return &dataset{version: -1, index: map[backend.Ref]int{}} }

func newDataset(version int, orders []*backend.Order, docs []query.Doc) *dataset {
	d := &dataset{version: version, orders: orders, docs: docs, index: make(map[backend.Ref]int, len(orders))}
	for i, o := range orders {
		d.index[o.Ref] = i
	}
	return d
}

func (d *dataset) ready() bool { return d.docs != nil }

// withChanges returns a new snapshot with the changed orders (new ones
// placed by created time) and their docs rebuilt; d is left as it was.
func (d *dataset) withChanges(changed []*backend.Order, loc func(string) *time.Location) *dataset {
	orders := slices.Clone(d.orders)
	var docs []query.Doc
	if d.docs != nil {
		docs = slices.Clone(d.docs)
	}
	var added []*backend.Order
	for _, o := range changed {
		i, ok := d.index[o.Ref]
		if !ok {
			added = append(added, o)
			continue
		}
		orders[i] = o
		if docs != nil {
			docs[i] = query.NewDoc(o, loc(o.Shop))
		}
	}
	if len(added) == 0 {
		nd := newDatasetShared(d, orders, docs)
		return nd
	}
	orders = append(orders, added...)
	if docs != nil {
		for _, o := range added {
			docs = append(docs, query.NewDoc(o, loc(o.Shop)))
		}
	}
	// restore the scan order: newest created first, ties by ref, no date last
	perm := make([]int, len(orders))
	for i := range perm {
		perm[i] = i
	}
	slices.SortStableFunc(perm, func(a, b int) int { return scanOrder(orders[a], orders[b]) })
	so := make([]*backend.Order, len(orders))
	var sd []query.Doc
	if docs != nil {
		sd = make([]query.Doc, len(docs))
	}
	for i, p := range perm {
		so[i] = orders[p]
		if sd != nil {
			sd[i] = docs[p]
		}
	}
	return newDataset(d.version+1, so, sd)
}

// newDatasetShared is a snapshot whose refs sit where they sat in d.
func newDatasetShared(d *dataset, orders []*backend.Order, docs []query.Doc) *dataset {
	return &dataset{version: d.version + 1, orders: orders, docs: docs, index: d.index}
}

// scanOrder is the cache's order: created newest first, ties by ref,
// orders without a created time last.
func scanOrder(a, b *backend.Order) int {
	switch {
	case a.CreatedAt == nil && b.CreatedAt == nil:
	case a.CreatedAt == nil:
		return 1
	case b.CreatedAt == nil:
		return -1
	default:
		if c := b.CreatedAt.Compare(*a.CreatedAt); c != 0 {
			return c
		}
	}
	return cmp.Compare(a.Ref.String(), b.Ref.String())
}

// selection is what the list shows: the rows matching the view and the
// filter, in the chosen order. It is computed off the Update path.
type selection struct {
	gen  int
	key  rowsKey
	rows []int32
}

// rowsKey is what a selection was computed for.
type rowsKey struct {
	version  int
	tab      int
	sortCol  int
	sortDesc bool
	filter   *query.Query
}

// narrows reports whether every order matching next also matches prev:
// the same terms, with the last one possibly extended (a positive
// free-text term typed further) and more terms after it. Then next's rows
// can be found among prev's, in the same order.
func narrows(prev, next *query.Query) bool {
	if prev == nil || next == nil {
		return prev == nil && next == nil
	}
	a, b := prev.Terms(), next.Terms()
	if len(a) == 0 || len(b) < len(a) {
		return false
	}
	for i := range a[:len(a)-1] {
		if !sameTerm(a[i], b[i]) {
			return false
		}
	}
	last, ext := a[len(a)-1], b[len(a)-1]
	if sameTerm(last, ext) {
		return true
	}
	return last.Field == "" && ext.Field == "" && !last.Neg && !ext.Neg && strings.Contains(strings.ToLower(ext.Value), strings.ToLower(last.Value))
}

func sameTerm(a, b query.Term) bool {
	return a.Neg == b.Neg && a.Field == b.Field && a.Op == b.Op && a.Value == b.Value
}

// selectRows returns the indices of d's orders matching every query, in
// the order of sortCol (-1: scan order) and direction. When base is not
// nil, only those rows (already in that order) are considered.
func selectRows(d *dataset, qs []*query.Query, base []int32, sortCol int, desc bool) []int32 {
	var active []*query.Query
	for _, q := range qs {
		if q != nil && !q.Empty() {
			active = append(active, q)
		}
	}
	switch {
	case base != nil:
		rows := make([]int32, 0, len(base))
		for _, i := range base {
			if matchDoc(d, active, int(i)) {
				rows = append(rows, i)
			}
		}
		return rows
	case !d.ready():
		rows := make([]int32, 0, len(d.orders))
		for i, o := range d.orders {
			if matchAll(active, o) {
				rows = append(rows, int32(i))
			}
		}
		sortRows(d, rows, sortCol, desc)
		return rows
	}
	rows := matchParallel(d, active)
	sortRows(d, rows, sortCol, desc)
	return rows
}

func matchDoc(d *dataset, qs []*query.Query, i int) bool {
	for _, q := range qs {
		if !q.Match(&d.docs[i]) {
			return false
		}
	}
	return true
}

// matchParallel matches every doc, split over the CPUs for big caches.
func matchParallel(d *dataset, qs []*query.Query) []int32 {
	n := len(d.docs)
	parts := 1
	if n >= 20000 {
		parts = runtime.GOMAXPROCS(0)
	}
	out := make([][]int32, parts)
	var wg stdsync.WaitGroup
	for p := range parts {
		lo, hi := n*p/parts, n*(p+1)/parts
		wg.Go(func() {
			rows := make([]int32, 0, (hi-lo)/2)
			for i := lo; i < hi; i++ {
				if matchDoc(d, qs, i) {
					rows = append(rows, int32(i))
				}
			}
			out[p] = rows
		})
	}
	wg.Wait()
	if parts == 1 {
		return out[0]
	}
	total := 0
	for _, r := range out {
		total += len(r)
	}
	rows := make([]int32, 0, total)
	for _, r := range out {
		rows = append(rows, r...)
	}
	return rows
}

func matchAll(qs []*query.Query, o *backend.Order) bool {
	for _, q := range qs {
		if !q.MatchOrder(o) {
			return false
		}
	}
	return true
}

// countRows counts d's orders matching every query.
func countRows(d *dataset, qs ...*query.Query) int {
	n := 0
docs:
	for i := range d.docs {
		for _, q := range qs {
			if q != nil && !q.Empty() && !q.Match(&d.docs[i]) {
				continue docs
			}
		}
		n++
	}
	return n
}

// sortRows orders rows by a column. The scan order is created newest
// first, so that sort (the default) costs nothing; other columns sort
// stably, ties keeping the scan order.
func sortRows(d *dataset, rows []int32, col int, desc bool) {
	if col < 0 || columns[col].less == nil {
		if !desc {
			slices.Reverse(rows)
		}
		return
	}
	less := columns[col].less
	slices.SortStableFunc(rows, func(a, b int32) int {
		c := less(d.orders[a], d.orders[b])
		if desc {
			return -c
		}
		return c
	})
}
