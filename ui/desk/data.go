package desk

import (
	"cmp"
	"context"
	"errors"
	"runtime"
	"slices"
	"sync"
	"time"

	"orderdesk/backend"
	"orderdesk/backend/query"
	"orderdesk/backend/safe"
)

// dataset is an immutable snapshot of the cached orders, newest first
// (the cache's scan order): each order's row (what the list shows) and,
// once ready, its prepared filter doc, in blocks (rows.go). Background
// work reads a snapshot while Update swaps in newer ones; a snapshot is
// never written after it is published.
type dataset struct {
	version   int
	n         int
	blocks    []*block
	kinds     *kindTable
	docsReady bool
	// early is the first screenful of slim orders, while the rest is read
	// (docsReady false): filters match them with MatchOrder.
	early []*backend.Order
	index map[backend.Ref]int
}

// emptyDataset is version -1, so the first rows (version 0) get fresh
// column widths.
func emptyDataset() *dataset {
	return &dataset{version: -1, kinds: &kindTable{index: map[rowKind]uint32{}}, index: map[backend.Ref]int{}}
}

// newEarlyDataset is the snapshot of the first screenful (version 0),
// shown while the rest of the cache is read.
func newEarlyDataset(orders []*backend.Order) *dataset {
	kinds := &kindTable{index: map[rowKind]uint32{}}
	d := &dataset{n: len(orders), blocks: blocksOf(makeRows(orders, kinds), nil), kinds: kinds, early: orders}
	d.buildIndex()
	return d
}

// newDataset is the ready snapshot of orders (in scan order).
func newDataset(version int, orders []*backend.Order, loc func(string) *time.Location) *dataset {
	b := newDatasetBuilder(loc)
	for _, o := range orders {
		b.add(o)
	}
	return b.finish(version)
}

func (d *dataset) buildIndex() {
	d.index = make(map[backend.Ref]int, d.n)
	for i := range d.n {
		d.index[d.ref(i)] = i
	}
}

func (d *dataset) ready() bool { return d.docsReady }

// len is the number of orders.
func (d *dataset) len() int { return d.n }

func (d *dataset) row(i int) *orderRow { return &d.blocks[i>>blockBits].rows[i&(blockSize-1)] }

func (d *dataset) doc(i int) *query.Doc { return &d.blocks[i>>blockBits].docs[i&(blockSize-1)] }

// ref is order i's ref.
func (d *dataset) ref(i int) backend.Ref {
	r := d.row(i)
	return backend.Ref{Shop: d.kinds.kinds[r.kind].refShop, Number: r.refNumber}
}

// order is order i as the list shows it (listOrder): a fresh copy the
// caller may keep. The full order is in the cache.
func (d *dataset) order(i int) *backend.Order {
	var s orderScratch
	r := d.row(i)
	return s.fill(r, &d.kinds.kinds[r.kind])
}

// fill is order i as the list shows it, in s's storage.
func (d *dataset) fill(s *orderScratch, i int) *backend.Order {
	r := d.row(i)
	return s.fill(r, &d.kinds.kinds[r.kind])
}

// withChanges returns a new snapshot with the changed orders (new ones
// placed by created time) and their docs rebuilt; d is left as it was.
// Only the blocks holding changed orders are copied.
func (d *dataset) withChanges(changed []*backend.Order, loc func(string) *time.Location) *dataset {
	kinds := d.kinds.clone()
	rows := makeRows(changed, kinds)
	var docs []query.Doc
	if d.docsReady {
		docs = query.NewDocs(changed, loc)
	}
	nd := &dataset{version: d.version + 1, n: d.n, blocks: slices.Clone(d.blocks), kinds: kinds,
		docsReady: d.docsReady, index: d.index}
	copied := map[int]bool{}
	var added []int // indices into changed
	for k, o := range changed {
		i, ok := d.index[o.Ref]
		if !ok {
			added = append(added, k)
			continue
		}
		bi := i >> blockBits
		if !copied[bi] {
			copied[bi] = true
			old := nd.blocks[bi]
			nd.blocks[bi] = &block{rows: slices.Clone(old.rows), docs: slices.Clone(old.docs), axes: slices.Clone(old.axes)}
		}
		b := nd.blocks[bi]
		b.rows[i&(blockSize-1)] = rows[k]
		if docs != nil {
			b.docs[i&(blockSize-1)] = docs[k]
			b.axes[i&(blockSize-1)] = query.AxisWord(&docs[k])
		}
	}
	if len(added) == 0 {
		return nd
	}
	// restore the scan order: newest created first, ties by ref, no date
	// last; the new orders' rows and docs are placed among the others
	type entry struct {
		row *orderRow
		doc *query.Doc
	}
	all := make([]entry, 0, d.n+len(added))
	for i := range nd.n {
		e := entry{row: nd.row(i)}
		if docs != nil {
			e.doc = nd.doc(i)
		}
		all = append(all, e)
	}
	for _, k := range added {
		e := entry{row: &rows[k]}
		if docs != nil {
			e.doc = &docs[k]
		}
		all = append(all, e)
	}
	slices.SortStableFunc(all, func(a, b entry) int { return scanOrder(a.row, b.row, kinds) })
	sr := make([]orderRow, len(all))
	var sd []query.Doc
	if docs != nil {
		sd = make([]query.Doc, len(all))
	}
	for i, e := range all {
		sr[i] = *e.row
		if sd != nil {
			sd[i] = *e.doc
		}
	}
	out := &dataset{version: d.version + 1, n: len(all), blocks: blocksOf(sr, sd), kinds: kinds, docsReady: d.docsReady}
	out.buildIndex()
	return out
}

// newDatasetShared is a snapshot whose refs sit where they sat in d.
func newDatasetShared(d *dataset) *dataset {
	nd := *d
	nd.version++
	return &nd
}

// scanOrder is the cache's order: created newest first, ties by ref,
// orders without a created time last.
func scanOrder(a, b *orderRow, kinds *kindTable) int {
	switch {
	case a.createdNsec < 0 && b.createdNsec < 0:
	case a.createdNsec < 0:
		return 1
	case b.createdNsec < 0:
		return -1
	default:
		if c := cmp.Or(cmp.Compare(b.createdSec, a.createdSec), cmp.Compare(b.createdNsec, a.createdNsec)); c != 0 {
			return c
		}
	}
	ra := backend.Ref{Shop: kinds.kinds[a.kind].refShop, Number: a.refNumber}
	rb := backend.Ref{Shop: kinds.kinds[b.kind].refShop, Number: b.refNumber}
	return cmp.Compare(ra.String(), rb.String())
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
		rows := make([]int32, 0, d.n)
		for i, o := range d.early {
			if matchAll(active, o) {
				rows = append(rows, int32(i))
			}
		}
		sortRows(d, rows, sortCol, desc)
		return rows
	}
	var rows []int32
	if ax, ok := query.AxesOf(active...); ok {
		rows = matchAxes(d, &ax)
	} else {
		rows = matchParallel(d, active, nil, d.n)
	}
	sortRows(d, rows, sortCol, desc)
	return rows
}

// matchAxes is matchParallel over every row for queries of state-axis
// terms only: a tight pass over each block's docs, the blocks split over
// the CPUs.
func matchAxes(d *dataset, ax *query.Axes) []int32 {
	nb := len(d.blocks)
	parts := 1
	if d.n >= 20000 {
		parts = min(runtime.GOMAXPROCS(0), nb)
	}
	// Two passes over the 8-byte words: count, then fill a slice of
	// exactly the matches, each part its own span of it (a fresh slice
	// costs page faults: the smaller the better, and nothing to close up).
	found := make([]int, parts)
	var rows []int32
	err := onParts(parts, nb, func(p, lo, hi int) {
		for bi := lo; bi < hi; bi++ {
			found[p] += ax.Count(d.blocks[bi].axes)
		}
	})
	if err == nil {
		total := 0
		for _, n := range found {
			total += n
		}
		rows = make([]int32, total)
		err = onParts(parts, nb, func(p, lo, hi int) {
			w := 0
			for _, n := range found[:p] {
				w += n
			}
			// Filter writes a slot for every word it reads: a block's
			// worth of scratch, then the matches into the part's span
			var scratch [blockSize]int32
			for bi := lo; bi < hi; bi++ {
				k := ax.Filter(d.blocks[bi].axes, int32(bi<<blockBits), scratch[:])
				w += copy(rows[w:], scratch[:k])
			}
		})
	}
	if err != nil {
		panic(err) // as in matchParallel: never a partial list
	}
	return rows
}

// onParts runs fn for parts spans of n (rows or blocks) at once and
// returns their panics, if any.
func onParts(parts, n int, fn func(p, lo, hi int)) error {
	panics := make([]error, parts)
	var wg sync.WaitGroup
	for p := range parts {
		lo, hi := n*p/parts, n*(p+1)/parts
		wg.Go(safe.Func(context.Background(), func() { fn(p, lo, hi) }, func(err error) { panics[p] = err }))
	}
	wg.Wait()
	return errors.Join(panics...)
}

func matchDoc(d *dataset, qs []*query.Query, i int) bool {
	for _, q := range qs {
		if !q.Match(d.doc(i)) {
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
	err := onParts(parts, n, func(p, lo, hi int) {
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
	})
	if err != nil {
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
	var active []*query.Query
	for _, q := range qs {
		if q != nil && !q.Empty() {
			active = append(active, q)
		}
	}
	n := 0
	if ax, ok := query.AxesOf(active...); ok { // the tabs: their state words only
		for _, b := range d.blocks {
			n += ax.Count(b.axes)
		}
		return n
	}
docs:
	for i := range d.n {
		for _, q := range active {
			if !q.Match(d.doc(i)) {
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
	var sa, sb orderScratch // each order as the list shows it, filled per comparison
	slices.SortStableFunc(rows, func(a, b int32) int {
		c := less(d.fill(&sa, int(a)), d.fill(&sb, int(b)))
		if desc {
			return -c
		}
		return c
	})
}
