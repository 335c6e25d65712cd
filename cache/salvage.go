package cache

import (
	"bytes"
	"encoding/binary"
	"encoding/json"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"slices"
	"time"

	"orderdesk/backend"
)

// ErrTargetExists: Salvage writes only into a file that does not exist.
var ErrTargetExists = errors.New("file exists")

// SalvageReport counts what Salvage copied and what it could not.
type SalvageReport struct {
	Orders, Raw, Edits, Audit, Cursors int // records copied
	// Loose counts the copied orders, edits and audit lines found on pages
	// the file's tree no longer reaches (under a damaged page, or freed):
	// of each such record the newest copy found is taken.
	Loose int
	// LostOrders, LostEdits and LostAudit are records the file's indexes
	// name that could not be read. An index on a damaged page names
	// nothing, so these are lower bounds when BadPages > 0.
	LostOrders, LostEdits, LostAudit int
	BadPages                         int  // pages skipped, with everything under them
	BadRecords                       int  // records that did not decode or check
	NoCursors                        bool // sync cursors not copied: something was lost, so the next sync fetches everything
}

// Salvage copies every order (with its raw JSON), edit, audit line and,
// when nothing was lost, sync cursor that can be read from the database
// file src into a new database dst, and reports what it copied and lost.
// It never writes to src and refuses an existing dst (ErrTargetExists).
//
// src is read page by page without bbolt and without trusting it (see
// pageFile): first the tree of the newest meta page whose root can be
// read, skipping every page that does not hold with what hangs under it;
// then every leaf page of the file the tree did not reach, whose records
// are recognised by their shape (strict JSON of an order, an edit or an
// audit line under its own key). A record read from the tree wins; among
// the others the newest copy (synced_at, updated_at) wins. Each record
// goes through the decoders this package reads with and is written
// through Store's own writes: dst is a consistent database with fresh
// indexes. Edits and audit lines keep their Seq, so E12 stays E12.
// Everything found is held in memory until it is written.
func Salvage(src, dst string, opt Options) (*SalvageReport, error) {
	if _, err := os.Lstat(dst); err == nil {
		return nil, fmt.Errorf("salvage into %s: %w; name a new file", dst, ErrTargetExists)
	} else if !errors.Is(err, fs.ErrNotExist) {
		return nil, fmt.Errorf("salvage into %s: %w", dst, err)
	}
	f, err := os.Open(src)
	if err != nil {
		return nil, fmt.Errorf("salvage %s: %w", src, err)
	}
	defer f.Close()
	pf, err := openPageFile(f)
	if err != nil {
		return nil, fmt.Errorf("salvage %s: %w", src, err)
	}
	sv := &salvage{orders: map[string]*salvagedOrder{}, raw: map[string][]byte{}, edits: map[uint64]*salvagedEdit{},
		audit: map[uint64]*backend.Audit{}, cursors: map[string]backend.SyncCursor{},
		known: map[string]bool{}, knownEdits: map[uint64]bool{}, knownAudit: map[uint64]bool{}}
	t := &tree{pf: pf, seen: map[uint64]bool{}}
	sv.readTree(t)
	sv.readLoose(t)
	sv.rep.BadPages += len(t.bad)
	sv.rep.BadRecords += t.badElems
	if sv.version > SchemaVersion {
		return nil, fmt.Errorf("salvage %s: schema version %d, this orderdesk reads up to %d: %w; use a newer orderdesk",
			src, sv.version, SchemaVersion, ErrNewerSchema)
	}
	st, err := Open(dst, opt)
	if err != nil {
		return nil, err
	}
	err = sv.write(st)
	if cerr := st.Close(); err == nil {
		err = cerr
	}
	if err != nil {
		return nil, fmt.Errorf("salvage into %s: %w", dst, err)
	}
	return &sv.rep, nil
}

type salvagedOrder struct {
	o    *backend.Order
	tree bool
}

type salvagedEdit struct {
	e    *backend.Edit
	tree bool
}

// salvage is what Salvage found so far.
type salvage struct {
	orders     map[string]*salvagedOrder // by ref key
	raw        map[string][]byte         // from the tree only
	edits      map[uint64]*salvagedEdit
	audit      map[uint64]*backend.Audit
	cursors    map[string]backend.SyncCursor // from the tree only
	known      map[string]bool               // refs the tree's created index names
	knownEdits map[uint64]bool               // seqs edits_by_ref names
	knownAudit map[uint64]bool               // seqs audit_by_ref names
	version    uint64
	rep        SalvageReport
}

// readTree walks the tree of the newest meta page whose root page reads.
func (sv *salvage) readTree(t *tree) {
	for _, m := range t.pf.metas {
		if _, err := t.pf.page(m.root); err != nil {
			t.bad = append(t.bad, err)
			continue
		}
		t.walk(m.root, nil, 0, func(e leafElem) {
			if !e.bucket {
				return
			}
			root, _, inline, err := bucketRoot(e.val)
			if err != nil {
				sv.rep.BadRecords++
				return
			}
			name := string(e.key)
			t.walk(root, inline, 1, func(r leafElem) { sv.treeRecord(name, r) })
		})
		return
	}
}

// treeRecord takes one record of the named bucket.
func (sv *salvage) treeRecord(bucket string, r leafElem) {
	if r.bucket {
		return
	}
	k, v := r.key, r.val
	ok := true
	switch bucket {
	case bMeta:
		if string(k) == schemaKey && len(v) == 8 {
			sv.version = binary.BigEndian.Uint64(v)
		}
	case bOrders:
		var o *backend.Order
		if o, ok = decodeOrder(k, v, false); ok {
			sv.orders[string(k)] = &salvagedOrder{o: o, tree: true}
		}
	case bRaw:
		sv.raw[string(k)] = bytes.Clone(v)
	case bEdits:
		var e *backend.Edit
		if e, ok = decodeEdit(k, v, false); ok {
			sv.edits[e.Seq] = &salvagedEdit{e: e, tree: true}
		}
	case bAudit:
		var a *backend.Audit
		if a, ok = decodeAudit(k, v, false); ok {
			sv.audit[a.Seq] = a
		}
	case bCursors:
		var c backend.SyncCursor
		if ok = json.Unmarshal(v, &c) == nil; ok {
			sv.cursors[string(k)] = c
		}
	case bCreated:
		sv.known[string(k)] = true
	case bEditsByRef, bAuditByRef:
		if len(k) < 9 {
			ok = false
			break
		}
		seq := binary.BigEndian.Uint64(k[len(k)-8:])
		if bucket == bEditsByRef {
			sv.knownEdits[seq] = true
		} else {
			sv.knownAudit[seq] = true
		}
	}
	if !ok {
		sv.rep.BadRecords++
	}
}

// readLoose reads every leaf page the tree did not reach (and the inline
// pages of the bucket headers on them).
func (sv *salvage) readLoose(t *tree) {
	for id := uint64(2); id < t.pf.pages(); id++ {
		if t.seen[id] {
			continue
		}
		p, err := t.pf.page(id)
		if err != nil || p.flags != flagLeaf {
			continue // free space, an overflow page, a branch or garbage
		}
		for _, e := range p.leaves {
			if !e.bucket {
				sv.looseRecord(e)
				continue
			}
			if _, _, inline, err := bucketRoot(e.val); err == nil && inline != nil {
				for _, r := range inline.leaves {
					sv.looseRecord(r)
				}
			}
		}
	}
}

// looseRecord takes a record found outside the tree when it is, strictly,
// an order, an edit or an audit line stored under its own key, and newer
// than what was found before.
func (sv *salvage) looseRecord(r leafElem) {
	if r.bucket || len(r.val) == 0 || r.val[0] != '{' {
		return
	}
	k, v := r.key, r.val
	if len(k) == 8 {
		if e, ok := decodeEdit(k, v, true); ok {
			prev := sv.edits[e.Seq]
			if prev == nil || !prev.tree && e.UpdatedAt.After(prev.e.UpdatedAt) {
				sv.edits[e.Seq] = &salvagedEdit{e: e}
			}
		} else if a, ok := decodeAudit(k, v, true); ok && sv.audit[a.Seq] == nil {
			sv.audit[a.Seq] = a
			sv.rep.Loose++
		}
		return
	}
	o, ok := decodeOrder(k, v, true)
	if !ok {
		return
	}
	if prev := sv.orders[string(k)]; prev == nil || !prev.tree && newerOrder(o, prev.o) {
		sv.orders[string(k)] = &salvagedOrder{o: o}
	}
}

// newerOrder reports whether a is a later copy than b.
func newerOrder(a, b *backend.Order) bool {
	later := func(x, y *time.Time) bool { return x != nil && (y == nil || x.After(*y)) }
	switch {
	case later(a.SyncedAt, b.SyncedAt):
		return true
	case later(b.SyncedAt, a.SyncedAt):
		return false
	}
	return later(a.UpdatedAt, b.UpdatedAt)
}

// decodeOrder, decodeEdit and decodeAudit read a record as this package
// stores it and check it belongs under its key. strict refuses unknown
// fields: a loose record must be exactly one of these to be taken.
func decodeOrder(k, v []byte, strict bool) (*backend.Order, bool) {
	o := &backend.Order{}
	if decodeJSON(v, o, strict) != nil || !bytes.Equal(refKey(o.Ref), k) || o.Shop != o.Ref.Shop || o.Number != o.Ref.Number {
		return nil, false
	}
	o.Pending, o.Raw = nil, nil
	return o, true
}

func decodeEdit(k, v []byte, strict bool) (*backend.Edit, bool) {
	e := &backend.Edit{}
	if len(k) != 8 || decodeJSON(v, e, strict) != nil || e.Seq != binary.BigEndian.Uint64(k) || e.ID != editID(e.Seq) ||
		validName("shop name", e.Ref.Shop, false) != nil || validName("order number", e.Ref.Number, true) != nil {
		return nil, false
	}
	return e, true
}

func decodeAudit(k, v []byte, strict bool) (*backend.Audit, bool) {
	a := &backend.Audit{}
	if len(k) != 8 || decodeJSON(v, a, strict) != nil || a.Seq != binary.BigEndian.Uint64(k) {
		return nil, false
	}
	return a, true
}

func decodeJSON(v []byte, dst any, strict bool) error {
	d := json.NewDecoder(bytes.NewReader(v))
	if strict {
		d.DisallowUnknownFields()
	}
	if err := d.Decode(dst); err != nil {
		return err
	}
	if d.More() {
		return errors.New("trailing data")
	}
	return nil
}

// write stores what was found into the new database st.
func (sv *salvage) write(st *Store) error {
	keys := make([]string, 0, len(sv.orders))
	for k := range sv.orders {
		keys = append(keys, k)
	}
	slices.Sort(keys) // one shop's refs are consecutive
	var page []*backend.Order
	flush := func() error {
		if len(page) == 0 {
			return nil
		}
		err := st.PutOrders(page[0].Shop, page)
		page = page[:0]
		return err
	}
	for _, k := range keys {
		so := sv.orders[k]
		if raw := sv.raw[k]; so.tree && len(raw) > 0 {
			so.o.Raw = raw
			sv.rep.Raw++
		}
		if _, err := encodeOrder(so.o.Shop, so.o); err != nil {
			sv.rep.BadRecords++
			continue
		}
		if len(page) > 0 && (page[0].Shop != so.o.Shop || len(page) == 100) {
			if err := flush(); err != nil {
				return err
			}
		}
		page = append(page, so.o)
		sv.rep.Orders++
		if !so.tree {
			sv.rep.Loose++
		}
	}
	if err := flush(); err != nil {
		return err
	}
	for k := range sv.known {
		if sv.orders[k] == nil {
			sv.rep.LostOrders++
		}
	}
	if err := sv.writeOutbox(st); err != nil {
		return err
	}
	sv.rep.NoCursors = sv.rep.Loose > 0 || sv.rep.BadPages > 0 || sv.rep.BadRecords > 0 ||
		sv.rep.LostOrders+sv.rep.LostEdits+sv.rep.LostAudit > 0
	if sv.rep.NoCursors {
		return nil
	}
	for shop, c := range sv.cursors {
		if err := st.SetCursor(shop, c); err != nil {
			return err
		}
		sv.rep.Cursors++
	}
	return nil
}

// writeOutbox stores the edits and audit lines found, under their Seq.
func (sv *salvage) writeOutbox(st *Store) error {
	var edits []*backend.Edit
	for _, se := range sv.edits {
		edits = append(edits, se.e)
		if !se.tree {
			sv.rep.Loose++
		}
	}
	var audit []*backend.Audit
	for _, a := range sv.audit {
		audit = append(audit, a)
	}
	for seq := range sv.knownEdits {
		if sv.edits[seq] == nil {
			sv.rep.LostEdits++
		}
	}
	for seq := range sv.knownAudit {
		if sv.audit[seq] == nil {
			sv.rep.LostAudit++
		}
	}
	slices.SortFunc(edits, func(a, b *backend.Edit) int { return cmpSeq(a.Seq, b.Seq) })
	slices.SortFunc(audit, func(a, b *backend.Audit) int { return cmpSeq(a.Seq, b.Seq) })
	sv.rep.Edits, sv.rep.Audit = len(edits), len(audit)
	return st.restore(edits, audit)
}

func cmpSeq(a, b uint64) int {
	switch {
	case a < b:
		return -1
	case a > b:
		return 1
	}
	return 0
}

// restore writes edits and audit lines under their own Seq (IDs and the
// audit's references stay valid) into a store that has none, and moves
// the sequences past them so new edits get new numbers.
func (s *Store) restore(edits []*backend.Edit, audit []*backend.Audit) error {
	return s.update("restore outbox", func(t *tables) error {
		if k, _ := t.edits.Cursor().First(); k != nil {
			return errors.New("the outbox is not empty")
		}
		if k, _ := t.audit.Cursor().First(); k != nil {
			return errors.New("the audit log is not empty")
		}
		var maxEdit, maxAudit uint64
		for _, e := range edits {
			if err := putEdit(t, e); err != nil {
				return err
			}
			if err := t.editsByRef.Put(joinKey(e.Ref.String(), seqKey(e.Seq)), []byte{}); err != nil {
				return err
			}
			maxEdit = max(maxEdit, e.Seq)
		}
		for _, a := range audit {
			if err := putAudit(t, a); err != nil {
				return err
			}
			maxAudit = max(maxAudit, a.Seq)
		}
		return errors.Join(t.edits.SetSequence(maxEdit), t.audit.SetSequence(maxAudit))
	})
}
