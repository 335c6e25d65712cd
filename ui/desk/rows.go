package desk

import (
	"strings"
	"time"

	"orderdesk/backend"
	"orderdesk/backend/query"
)

// The desk keeps every cached order resident, so what it keeps per order
// decides how many orders a desk can hold: a million slim orders would
// take gigabytes. It keeps instead, per order, one orderRow (what the
// list shows and sorts on) and one query.Doc (what filters look at); the
// full order is read from the cache when it is opened, exported or acted
// on. Rows and docs live in blocks of blockSize, so a change copies only
// the blocks it touches.

// orderRow is an order as the list keeps it: 96 bytes, its strings in
// its block's packed text, the values many orders share (shop, platform,
// currency, country, state) in one interned rowKind.
type orderRow struct {
	number, refNumber, name string // Number, Ref.Number, Customer.Name
	createdSec              int64
	total                   backend.Amount // Totals.GrandTotal
	items                   int            // ui.ItemCount
	pending                 *[]backend.PendingEdit
	createdNsec             int32 // -1: no created time
	kind                    uint32
}

// rowKind is what orders share: interned once per snapshot lineage.
type rowKind struct {
	refShop, shop, platform, currency, country string
	state                                      backend.State
}

const (
	blockBits = 12
	blockSize = 1 << blockBits
)

// block is blockSize rows (fewer in the last block) and, once the
// snapshot is ready, their docs. A published block is never written.
type block struct {
	rows []orderRow
	docs []query.Doc
	axes []uint64 // query.AxisWord of each doc, for matchAxes
}

// withDocs sets the block's docs and what matchAxes reads of them.
func (b *block) withDocs(docs []query.Doc) *block {
	b.docs, b.axes = docs, make([]uint64, len(docs))
	for i := range docs {
		b.axes[i] = query.AxisWord(&docs[i])
	}
	return b
}

// kindTable interns rowKinds. A published table is never written: a
// snapshot with new kinds gets a copy (kinds are few: shops × states).
type kindTable struct {
	kinds []rowKind
	index map[rowKind]uint32
}

func (t *kindTable) clone() *kindTable {
	c := &kindTable{kinds: append([]rowKind(nil), t.kinds...), index: make(map[rowKind]uint32, len(t.index))}
	for k, v := range t.index {
		c.index[k] = v
	}
	return c
}

func (t *kindTable) intern(k rowKind) uint32 {
	if i, ok := t.index[k]; ok {
		return i
	}
	i := uint32(len(t.kinds))
	t.kinds = append(t.kinds, k)
	t.index[k] = i
	return i
}

func kindOf(o *backend.Order) rowKind {
	k := rowKind{refShop: o.Ref.Shop, shop: o.Shop, platform: string(o.Platform), currency: o.Currency, state: o.State}
	if o.ShippingAddress != nil {
		k.country = o.ShippingAddress.CountryCode
	}
	return k
}

// makeRows turns orders into rows, their strings packed into one
// allocation; new kinds are added to t.
func makeRows(orders []*backend.Order, t *kindTable) []orderRow {
	n := 0
	for _, o := range orders {
		n += len(o.Number) + len(o.Customer.Name)
		if o.Ref.Number != o.Number {
			n += len(o.Ref.Number)
		}
	}
	var b strings.Builder
	b.Grow(n)
	for _, o := range orders {
		b.WriteString(o.Number)
		if o.Ref.Number != o.Number {
			b.WriteString(o.Ref.Number)
		}
		b.WriteString(o.Customer.Name)
	}
	text := b.String()
	take := func(s string) string {
		out := text[:len(s)]
		text = text[len(s):]
		return out
	}
	rows := make([]orderRow, len(orders))
	for i, o := range orders {
		r := &rows[i]
		r.number = take(o.Number)
		r.refNumber = r.number
		if o.Ref.Number != o.Number {
			r.refNumber = take(o.Ref.Number)
		}
		r.name = take(o.Customer.Name)
		r.createdNsec = -1
		if o.CreatedAt != nil {
			r.createdSec, r.createdNsec = o.CreatedAt.Unix(), int32(o.CreatedAt.Nanosecond())
		}
		r.total = o.Totals.GrandTotal
		for _, it := range o.Items {
			r.items += it.Qty
		}
		if len(o.Pending) > 0 {
			p := o.Pending
			r.pending = &p
		}
		r.kind = t.intern(kindOf(o))
	}
	return rows
}

// listOrder fills o with what the list shows of row r: Ref, Shop,
// Platform, Number, State, CreatedAt, Currency, Totals.GrandTotal,
// Customer.Name, ShippingAddress.CountryCode, Pending, and the item count
// as one item of that quantity. addr, item and created are o's storage
// for its pointers and slices (so a sort fills two orders over and over
// without allocating).
func listOrder(o *backend.Order, addr *backend.Address, item *[1]backend.Item, created *time.Time, r *orderRow, k *rowKind) {
	*o = backend.Order{
		Ref: backend.Ref{Shop: k.refShop, Number: r.refNumber}, Shop: k.shop, Platform: backend.Platform(k.platform),
		Number: r.number, State: k.state, Currency: k.currency, Customer: backend.Customer{Name: r.name},
	}
	o.Totals.GrandTotal = r.total
	if r.createdNsec >= 0 {
		*created = time.Unix(r.createdSec, int64(r.createdNsec)).UTC()
		o.CreatedAt = created
	}
	if k.country != "" {
		*addr = backend.Address{CountryCode: k.country}
		o.ShippingAddress = addr
	}
	if r.items != 0 {
		item[0] = backend.Item{Qty: r.items}
		o.Items = item[:]
	}
	if r.pending != nil {
		o.Pending = *r.pending
	}
}

// orderScratch is the storage of one order filled by listOrder.
type orderScratch struct {
	o       backend.Order
	addr    backend.Address
	item    [1]backend.Item
	created time.Time
}

func (s *orderScratch) fill(r *orderRow, k *rowKind) *backend.Order {
	listOrder(&s.o, &s.addr, &s.item, &s.created, r, k)
	return &s.o
}

// blocksOf cuts rows and docs (nil: not ready) into blocks.
func blocksOf(rows []orderRow, docs []query.Doc) []*block {
	var out []*block
	for lo := 0; lo < len(rows); lo += blockSize {
		hi := min(lo+blockSize, len(rows))
		b := &block{rows: rows[lo:hi:hi]}
		if docs != nil {
			b.withDocs(docs[lo:hi:hi])
		}
		out = append(out, b)
	}
	return out
}

// datasetBuilder turns a scan's slim orders into a snapshot one block at
// a time, so that no more than a block of slim orders is held at once.
type datasetBuilder struct {
	loc     func(string) *time.Location
	kinds   *kindTable
	pending []*backend.Order
	blocks  []*block
	n       int
}

func newDatasetBuilder(loc func(string) *time.Location) *datasetBuilder {
	return &datasetBuilder{loc: loc, kinds: &kindTable{index: map[rowKind]uint32{}}}
}

func (b *datasetBuilder) add(o *backend.Order) {
	b.pending = append(b.pending, o)
	if len(b.pending) == blockSize {
		b.flush()
	}
}

func (b *datasetBuilder) flush() {
	if len(b.pending) == 0 {
		return
	}
	b.blocks = append(b.blocks, (&block{rows: makeRows(b.pending, b.kinds)}).withDocs(query.NewDocs(b.pending, b.loc)))
	b.n += len(b.pending)
	b.pending = b.pending[:0]
}

// finish returns the snapshot of every order added.
func (b *datasetBuilder) finish(version int) *dataset {
	b.flush()
	d := &dataset{version: version, n: b.n, blocks: b.blocks, kinds: b.kinds, docsReady: true}
	d.buildIndex()
	return d
}
