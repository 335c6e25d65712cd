package cache

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"slices"
	"strings"
	"time"

	"orderdesk/backend"
	"orderdesk/backend/storage"
)

// orderRecord is one order encoded for storage, ready before the
// transaction that writes it.
type orderRecord struct {
	ref  []byte
	doc  []byte // normalised JSON
	raw  []byte // platform JSON, may be empty
	row  []byte // slim row
	ckey [ckeyLen]byte
	keys indexKeys
}

// encodeOrder checks o belongs to shop and encodes it.
func encodeOrder(shop string, o *backend.Order) (*orderRecord, error) {
	if o == nil {
		return nil, errors.New("nil order")
	}
	if o.Ref.Shop != shop || o.Shop != shop || o.Ref.Number != o.Number {
		return nil, fmt.Errorf("order %s (shop %q, number %q) does not belong to shop %q as %s:NUMBER",
			o.Ref, o.Shop, o.Number, shop, shop)
	}
	if err := validName("order number", o.Number, true); err != nil {
		return nil, err
	}
	c := *o
	c.Pending, c.Raw = nil, nil
	doc, err := json.Marshal(c)
	if err != nil {
		return nil, fmt.Errorf("order %s: encode: %w", o.Ref, err)
	}
	return &orderRecord{
		ref: refKey(o.Ref), doc: doc, raw: o.Raw, row: encodeRow(nil, o),
		ckey: createdKey(o.CreatedAt), keys: indexKeysOf(o),
	}, nil
}

// PutOrders stores fresh copies of a shop's orders with their raw JSON in
// one transaction, replacing older copies and their index entries. Every
// order must have Shop == shop and Ref == {shop, Number}.
func (s *Store) PutOrders(shop string, orders []*backend.Order) error {
	if err := validName("shop name", shop, false); err != nil {
		return fmt.Errorf("cache: put orders: %w", err)
	}
	if len(orders) == 0 {
		return nil
	}
	recs, err := encodeOrders(shop, orders)
	if err != nil {
		return err
	}
	return s.update("put orders of "+shop, func(t *tables) error {
		for _, r := range recs {
			if err := putOrder(t, r); err != nil {
				return err
			}
		}
		return nil
	})
}

// encodeOrders encodes a shop's orders for putOrder, outside any
// transaction.
func encodeOrders(shop string, orders []*backend.Order) ([]*orderRecord, error) {
	recs := make([]*orderRecord, len(orders))
	for i, o := range orders {
		r, err := encodeOrder(shop, o)
		if err != nil {
			return nil, fmt.Errorf("cache: put orders of %s: %w", shop, err)
		}
		recs[i] = r
	}
	return recs, nil
}

// putOrder writes one record, first removing the index entries of the copy
// it replaces.
func putOrder(t *tables, r *orderRecord) error {
	if old := t.created.Get(r.ref); old != nil {
		if len(old) != ckeyLen {
			return damagef("order %s: bad created key", keyText(r.ref))
		}
		ok := rowKey([ckeyLen]byte(old), r.ref)
		prev, err := decodeRow(t.rows.Get(ok))
		if err != nil || !bytes.Equal(refKey(prev.Ref), r.ref) {
			return damagef("order %s: stored row unreadable", keyText(r.ref))
		}
		if err := deleteIndex(t, indexKeysOf(prev)); err != nil {
			return err
		}
		if err := t.rows.Delete(ok); err != nil {
			return err
		}
	}
	empty := []byte{}
	puts := []struct {
		b    interface{ Put(k, v []byte) error }
		k, v []byte
	}{
		{t.orders, r.ref, r.doc},
		{t.rows, rowKey(r.ckey, r.ref), r.row},
		{t.created, r.ref, r.ckey[:]},
		{t.byNumber, r.keys.number, empty},
	}
	for _, p := range puts {
		if err := p.b.Put(p.k, p.v); err != nil {
			return fmt.Errorf("order %s: %w", r.ref, err)
		}
	}
	var err error
	if len(r.raw) > 0 {
		err = t.raw.Put(r.ref, r.raw)
	} else {
		err = t.raw.Delete(r.ref)
	}
	for _, k := range r.keys.tracking {
		err = errors.Join(err, t.byTracking.Put(k, empty))
	}
	if r.keys.open != nil {
		err = errors.Join(err, t.open.Put(r.keys.open, empty))
	}
	if err != nil {
		return fmt.Errorf("order %s: %w", r.ref, err)
	}
	return nil
}

func deleteIndex(t *tables, ik indexKeys) error {
	err := t.byNumber.Delete(ik.number)
	for _, k := range ik.tracking {
		err = errors.Join(err, t.byTracking.Delete(k))
	}
	if ik.open != nil {
		err = errors.Join(err, t.open.Delete(ik.open))
	}
	return err
}

// Order returns the full cached order with Raw and its open edits as
// Pending. An unknown ref wraps storage.ErrNoOrder.
func (s *Store) Order(ref backend.Ref) (*backend.Order, error) {
	key := refKey(ref)
	var doc, raw []byte
	var pending []backend.PendingEdit
	err := s.view("read order "+ref.String(), func(t *tables) error {
		d := t.orders.Get(key)
		if d == nil {
			return nil
		}
		doc, raw = bytes.Clone(d), bytes.Clone(t.raw.Get(key))
		var err error
		pending, err = pendingOf(t, key)
		return err
	})
	if err != nil {
		return nil, err
	}
	if doc == nil {
		return nil, fmt.Errorf("order %s: %w", ref, storage.ErrNoOrder)
	}
	o := &backend.Order{}
	if err := json.Unmarshal(doc, o); err != nil {
		return nil, s.noteDamage("read order "+ref.String(), damagef("stored JSON: %w", err))
	}
	o.Raw, o.Pending = raw, pending
	return o, nil
}

// Resolve turns SHOP:NUMBER or a bare NUMBER into the refs it names (see
// the package doc); no match is an empty slice.
func (s *Store) Resolve(text string) ([]backend.Ref, error) {
	r, err := backend.ParseRef(text)
	if err != nil {
		return nil, err
	}
	out := []backend.Ref{}
	err = s.view("resolve "+text, func(t *tables) error {
		if r.Shop != "" {
			for _, num := range []string{r.Number, "#" + r.Number} {
				cand := backend.Ref{Shop: r.Shop, Number: num}
				if t.orders.Get(refKey(cand)) != nil && !slices.Contains(out, cand) {
					out = append(out, cand)
				}
				if strings.HasPrefix(r.Number, "#") {
					break
				}
			}
			return nil
		}
		prefix := joinKey(bareNumber(r.Number), nil)
		c := t.byNumber.Cursor()
		for k, _ := c.Seek(prefix); k != nil && bytes.HasPrefix(k, prefix); k, _ = c.Next() {
			ref := parseRefKey(k[len(prefix):])
			if strings.HasPrefix(r.Number, "#") && ref.Number != r.Number {
				continue
			}
			out = append(out, ref)
		}
		return nil
	})
	if err != nil {
		return nil, err
	}
	slices.SortFunc(out, func(a, b backend.Ref) int { return strings.Compare(a.String(), b.String()) })
	return out, nil
}

// ByTracking returns the refs of orders with a shipment carrying number
// (compared without spaces/dashes, case-insensitively), sorted by ref.
func (s *Store) ByTracking(number string) ([]backend.Ref, error) {
	out := []backend.Ref{}
	tk := backend.TrackingKey(number)
	if tk == "" {
		return out, nil
	}
	prefix := joinKey(tk, nil)
	err := s.view("find tracking "+number, func(t *tables) error {
		c := t.byTracking.Cursor()
		for k, _ := c.Seek(prefix); k != nil && bytes.HasPrefix(k, prefix); k, _ = c.Next() {
			out = append(out, parseRefKey(k[len(prefix):]))
		}
		return nil
	})
	return out, err
}

// OldestOpen returns the earliest created_at among the shop's cached
// orders whose order state is neither cancelled nor completed.
func (s *Store) OldestOpen(shop string) (time.Time, bool, error) {
	var at time.Time
	var ok bool
	prefix := shopPrefix(shop)
	err := s.view("oldest open order of "+shop, func(t *tables) error {
		k, _ := t.open.Cursor().Seek(prefix)
		if k != nil && bytes.HasPrefix(k, prefix) && len(k) >= len(prefix)+12 {
			at, ok = readAscTime(k[len(prefix):]), true
		}
		return nil
	})
	return at, ok, err
}

// Count returns how many orders of the shop (all shops for "") are cached.
func (s *Store) Count(shop string) (int, error) {
	n := 0
	var prefix []byte
	if shop != "" {
		prefix = shopPrefix(shop)
	}
	err := s.view("count orders", func(t *tables) error {
		c := t.orders.Cursor()
		for k, _ := c.Seek(prefix); k != nil && bytes.HasPrefix(k, prefix); k, _ = c.Next() {
			n++
		}
		return nil
	})
	return n, err
}
