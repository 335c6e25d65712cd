package cache

import (
	"bytes"
	"encoding/json"
	"errors"

	bolt "go.etcd.io/bbolt"

	"orderdesk/backend"
	"orderdesk/backend/storage"
)

// Scan reads firstChunk orders in its first read transaction, doubling
// per transaction up to scanChunk: a caller that stops early (the first
// screen of a list) pays for few rows, a full scan for few transactions.
const (
	firstChunk = 64
	scanChunk  = 512
)

type scanned struct {
	o   *backend.Order
	doc []byte
}

// Scan calls fn for cached orders, newest created first (ties by ref,
// orders without created_at last), only shop's when shop is not "". o is
// the slim order with Pending; doc is the stored JSON when full, else nil.
// Both are fresh copies fn may keep. Rows are read in chunks of up to 512
// per read transaction and fn runs between them, outside any transaction.
// fn returning storage.ErrStop ends the scan with nil; any other error ends
// it with that error, unwrapped. A long scan drops the file's pages it
// has read from the process's memory as it goes (dropMapped), so its
// resident set stays flat however many orders it reads.
func (s *Store) Scan(q storage.ScanQuery, fn func(o *backend.Order, doc []byte) error) error {
	pending, err := s.openPending()
	if err != nil {
		return err
	}
	var prefix, after []byte
	if q.Shop != "" {
		prefix = shopPrefix(q.Shop)
	}
	batch := make([]scanned, 0, scanChunk)
	visited := 0 // rows read since the last look at the resident set
	for chunk := firstChunk; ; chunk = min(2*chunk, scanChunk) {
		if visited >= s.dropRows {
			if s.mappedOver() {
				s.dropMapped()
			}
			visited = 0
		}
		batch = batch[:0]
		more := false
		err := s.view("scan", func(t *tables) error {
			c := t.rows.Cursor()
			k, v := c.First()
			if after != nil {
				if k, v = c.Seek(after); bytes.Equal(k, after) {
					k, v = c.Next()
				}
			}
			for ; k != nil; k, v = c.Next() {
				visited++
				if len(k) <= ckeyLen {
					return damagef("row key %s", keyText(k))
				}
				ref := k[ckeyLen:]
				if prefix != nil && !bytes.HasPrefix(ref, prefix) {
					continue
				}
				if len(batch) == chunk {
					more = true
					return nil
				}
				after = append(after[:0], k...)
				it, err := scanRow(t, ref, v, q.Full, q.Match, pending[string(ref)])
				if err != nil {
					return err
				}
				if it.o != nil {
					batch = append(batch, it)
				}
			}
			return nil
		})
		if err != nil {
			return err
		}
		for _, it := range batch {
			if err := fn(it.o, it.doc); err != nil {
				if errors.Is(err, storage.ErrStop) {
					return nil
				}
				return err
			}
		}
		if !more {
			return nil
		}
	}
}

// scanRow decodes one row and, when full, copies its order's JSON. An
// order that match rejects comes back as a zero scanned.
func scanRow(t *tables, ref, row []byte, full bool, match func(*backend.Order) bool, pending []backend.PendingEdit) (scanned, error) {
	o, err := decodeRow(row)
	if err != nil {
		return scanned{}, damagef("row of %s: %w", keyText(ref), err)
	}
	o.Pending = pending
	if match != nil && !match(o) {
		return scanned{}, nil
	}
	var doc []byte
	if full {
		d := t.orders.Get(ref)
		if d == nil {
			return scanned{}, damagef("row of %s has no order", keyText(ref))
		}
		doc = bytes.Clone(d)
	}
	return scanned{o: o, doc: doc}, nil
}

// openPending reads every open edit once: ref → its pending entries in
// Seq order.
func (s *Store) openPending() (map[string][]backend.PendingEdit, error) {
	out := map[string][]backend.PendingEdit{}
	err := s.view("read open edits", func(t *tables) error {
		return eachOpenEdit(t, func(e *backend.Edit) error {
			ref := e.Ref.String()
			out[ref] = append(out[ref], e.Pending())
			return nil
		})
	})
	return out, err
}

// eachOpenEdit calls fn for every open edit, by Seq.
func eachOpenEdit(t *tables, fn func(e *backend.Edit) error) error {
	c := t.editsOpen.Cursor()
	for k, _ := c.First(); k != nil; k, _ = c.Next() {
		e, err := getEdit(t, k)
		if err != nil {
			return err
		}
		if err := fn(e); err != nil {
			return err
		}
	}
	return nil
}

// getEdit reads the edit stored under the seq key k.
func getEdit(t *tables, k []byte) (*backend.Edit, error) {
	v := t.edits.Get(k)
	if v == nil {
		return nil, damagef("edit %s indexed but missing", keyText(k))
	}
	e := &backend.Edit{}
	if err := json.Unmarshal(v, e); err != nil {
		return nil, damagef("edit %s: %w", keyText(k), err)
	}
	return e, nil
}

// pendingOf returns the open edits of one order as pending entries.
func pendingOf(t *tables, ref []byte) ([]backend.PendingEdit, error) {
	var out []backend.PendingEdit
	prefix := joinKey(string(ref), nil)
	c := t.editsByRef.Cursor()
	for k, _ := c.Seek(prefix); k != nil && bytes.HasPrefix(k, prefix); k, _ = c.Next() {
		seq := k[len(prefix):]
		if !has(t.editsOpen, seq) {
			continue
		}
		e, err := getEdit(t, seq)
		if err != nil {
			return nil, err
		}
		out = append(out, e.Pending())
	}
	return out, nil
}

// has reports whether b holds key k (index entries have empty values,
// which Get does not tell from absent ones in every case).
func has(b *bolt.Bucket, k []byte) bool {
	found, _ := b.Cursor().Seek(k)
	return found != nil && bytes.Equal(found, k)
}
