package cache

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"

	bolt "go.etcd.io/bbolt"

	"orderdesk/backend"
)

// maxProblems bounds how many problems Verify reports.
const maxProblems = 20

// Verify checks the whole file in one read transaction: bbolt's own page
// check, then every index against the orders and edits it describes (each
// entry points at a stored record that produces it, and each record has
// all its entries), and every slim row against its order's JSON. It
// returns nil or an error wrapping ErrDamaged that lists up to 20
// problems. It reads everything and holds off this store's writes while
// it runs: use it in tests and repairs.
func (s *Store) Verify() error {
	s.writing.Lock()
	defer s.writing.Unlock()
	var problems []error
	err := s.guard("verify", func() error {
		return s.db.View(func(tx *bolt.Tx) error {
			for err := range tx.Check() {
				problems = append(problems, fmt.Errorf("bbolt: %w", err))
			}
			t, err := tablesOf(tx)
			if err != nil {
				return err
			}
			v := &verifier{t: t}
			v.orders()
			v.edits()
			problems = append(problems, v.problems...)
			return nil
		})
	})
	if err != nil {
		return s.wrap("verify", err)
	}
	if len(problems) == 0 {
		return nil
	}
	if len(problems) > maxProblems {
		problems = append(problems[:maxProblems], fmt.Errorf("and %d more", len(problems)-maxProblems))
	}
	return s.noteDamage("verify", &DamagedError{Err: errors.Join(problems...)})
}

type verifier struct {
	t        *tables
	problems []error
}

func (v *verifier) bad(format string, args ...any) {
	v.problems = append(v.problems, fmt.Errorf(format, args...))
}

// keySet is the set of keys an index must hold exactly.
type keySet map[string]bool

// orders checks every order's row and index entries, then every index for
// entries no order produces.
func (v *verifier) orders() {
	t := v.t
	want := map[string]keySet{bRows: {}, bCreated: {}, bByNumber: {}, bByTracking: {}, bOpen: {}}
	_ = t.orders.ForEach(func(ref, doc []byte) error {
		var o backend.Order
		if err := json.Unmarshal(doc, &o); err != nil {
			v.bad("order %s: stored JSON: %v", ref, err)
			return nil
		}
		if !bytes.Equal(refKey(o.Ref), ref) {
			v.bad("order %s: stored JSON has ref %s", ref, o.Ref)
		}
		ck := createdKey(o.CreatedAt)
		rk := rowKey(ck, ref)
		want[bCreated][string(ref)] = true
		want[bRows][string(rk)] = true
		if got := t.created.Get(ref); !bytes.Equal(got, ck[:]) {
			v.bad("order %s: created key %x, want %x", ref, got, ck)
		}
		if row := t.rows.Get(rk); row == nil {
			v.bad("order %s: no slim row", ref)
		} else if exp := encodeRow(nil, &o); !bytes.Equal(row, exp) {
			v.bad("order %s: slim row does not match the stored order", ref)
		}
		ik := indexKeysOf(&o)
		want[bByNumber][string(ik.number)] = true
		for _, k := range ik.tracking {
			want[bByTracking][string(k)] = true
		}
		if ik.open != nil {
			want[bOpen][string(ik.open)] = true
		}
		return nil
	})
	for _, ix := range []struct {
		name string
		b    *bolt.Bucket
	}{{bRows, t.rows}, {bCreated, t.created}, {bByNumber, t.byNumber}, {bByTracking, t.byTracking}, {bOpen, t.open}} {
		v.exactly(ix.name, ix.b, want[ix.name])
	}
	_ = t.raw.ForEach(func(ref, _ []byte) error {
		if t.orders.Get(ref) == nil {
			v.bad("raw %s: no such order", ref)
		}
		return nil
	})
}

// exactly reports keys of b not in want, and keys of want not in b.
func (v *verifier) exactly(name string, b *bolt.Bucket, want keySet) {
	seen := 0
	_ = b.ForEach(func(k, _ []byte) error {
		if want[string(k)] {
			seen++
		} else {
			v.bad("%s: entry %q belongs to no stored record", name, k)
		}
		return nil
	})
	if seen != len(want) {
		for k := range want {
			if !has(b, []byte(k)) {
				v.bad("%s: entry %q missing", name, k)
			}
		}
	}
}

// edits checks the outbox and audit indexes.
func (v *verifier) edits() {
	t := v.t
	byRef, open := keySet{}, keySet{}
	_ = t.edits.ForEach(func(k, _ []byte) error {
		e, err := getEdit(t, k)
		if err != nil {
			v.bad("%v", err)
			return nil
		}
		if !bytes.Equal(k, seqKey(e.Seq)) || e.ID != editID(e.Seq) {
			v.bad("edit %x: stored as seq %d, ID %s", k, e.Seq, e.ID)
		}
		byRef[string(joinKey(e.Ref.String(), k))] = true
		if e.State.Open() {
			open[string(k)] = true
		}
		return nil
	})
	v.exactly(bEditsByRef, t.editsByRef, byRef)
	v.exactly(bEditsOpen, t.editsOpen, open)
	auditByRef := keySet{}
	_ = t.audit.ForEach(func(k, val []byte) error {
		var a backend.Audit
		if err := json.Unmarshal(val, &a); err != nil {
			v.bad("audit %x: %v", k, err)
			return nil
		}
		auditByRef[string(joinKey(a.Ref.String(), k))] = true
		return nil
	})
	v.exactly(bAuditByRef, t.auditByRef, auditByRef)
}
