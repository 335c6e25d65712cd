package desk

import (
	"cmp"
	"context"
	"errors"
	"runtime"
	"slices"
	stdsync "sync"
	"time"

	"orderdesk/backend"
	"orderdesk/backend/query"
	"orderdesk/backend/safe"
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

// narrows reports whether every order matching next also matches prev,
// so that next's rows can be found among prev's, in the same order.
func narrows(prev, next *query.Query) bool {
	if next == nil {
		return prev == nil
	}
	return next.Narrows(prev)
}

// recentRows keeps the last few selections of a session, newest first,
// so that a backspace or a tab visited again shows its rows at once and
// a term typed further searches the smallest known superset. Rows are
// never written after they are computed, so they can be shared.
type recentRows struct{ list []selection }

const recentMax = 8

// same reports whether a and b ask for the same rows.
func (a rowsKey) same(b rowsKey) bool {
	return a.version == b.version && a.tab == b.tab && a.sortCol == b.sortCol && a.sortDesc == b.sortDesc && sameQuery(a.filter, b.filter)
}

func sameQuery(a, b *query.Query) bool {
	if a == nil || b == nil {
		return a == b
	}
	return a.String() == b.String()
}

func (r *recentRows) get(k rowsKey) ([]int32, bool) {
	for i, s := range r.list {
		if s.key.same(k) {
			copy(r.list[1:i+1], r.list[:i]) // most recently used first
			r.list[0] = s
			return s.rows, true
		}
	}
	return nil, false
}

func (r *recentRows) put(k rowsKey, rows []int32) {
	for i, s := range r.list {
		if s.key.same(k) {
			r.list = append(r.list[:i], r.list[i+1:]...)
			break
		}
	}
	if len(r.list) >= recentMax {
		r.list = r.list[:recentMax-1]
	}
	r.list = append([]selection{{key: k, rows: rows}}, r.list...)
}

// base returns the fewest known rows that hold every row of k: a recent
// selection of the same data, tab and sort whose filter k narrows.
func (r *recentRows) base(k rowsKey) []int32 {
	var best []int32
	found := false
	for _, s := range r.list {
		p := s.key
		if p.version != k.version || p.tab != k.tab || p.sortCol != k.sortCol || p.sortDesc != k.sortDesc || !narrows(p.filter, k.filter) {
			continue
		}
		if !found || len(s.rows) < len(best) {
			best, found = s.rows, true
		}
	}
	if found && best == nil {
		return []int32{} // known to be empty: nothing to search
	}
	return best
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
		return matchParallel(d, active, base, len(base))
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
	rows := matchParallel(d, active, nil, len(d.docs))
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

// matchParallel returns, in order, the rows among base (every row 0 … n-1
// when base is nil) whose docs match every query, split over the CPUs
// when there are many. Each part writes its matches at the start of its
// own span of one buffer; the spans are then closed up.
func matchParallel(d *dataset, qs []*query.Query, base []int32, n int) []int32 {
	parts := 1
	if n >= 20000 {
		parts = runtime.GOMAXPROCS(0)
	}
	buf := make([]int32, n)
	found := make([]int, parts)
	panics := make([]error, parts)
	var wg stdsync.WaitGroup
	for p := range parts {
		lo, hi := n*p/parts, n*(p+1)/parts
		wg.Go(safe.Func(context.Background(), func() {
			w := lo
			for k := lo; k < hi; k++ {
				i := int32(k)
				if base != nil {
					i = base[k]
				}
				if matchDoc(d, qs, int(i)) {
					buf[w] = i
					w++
				}
			}
			found[p] = w - lo
		}, func(err error) { panics[p] = err }))
	}
	wg.Wait()
	if err := errors.Join(panics...); err != nil {
		// A part of the rows is missing: never show a partial list.
		// Raised again on the caller's goroutine (a command, which Bubble
		// Tea recovers: the session ends, the others go on).
		panic(err)
	}
	total := found[0]
	for p := 1; p < parts; p++ {
		lo := n * p / parts
		total += copy(buf[total:], buf[lo:lo+found[p]])
	}
	return buf[:total:total]
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
