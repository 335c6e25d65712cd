package cache

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"strconv"
	"strings"
	"time"

	"orderdesk/backend"
)

func editID(seq uint64) string { return "E" + strconv.FormatUint(seq, 10) }

// AddEdit saves a new edit in one transaction with its "saved" audit line:
// it assigns Seq and ID, sets State to pending when empty and
// CreatedAt/UpdatedAt to Now when zero. On nil the edit is durable and *e
// holds what was stored; on error nothing was stored and *e is unchanged.
func (s *Store) AddEdit(e *backend.Edit) error {
	if e == nil {
		return errors.New("cache: save edit: nil edit")
	}
	if err := errors.Join(validName("shop name", e.Ref.Shop, false), validName("order number", e.Ref.Number, true)); err != nil {
		return fmt.Errorf("cache: save edit: order reference %q is not SHOP:NUMBER: %w", e.Ref, err)
	}
	now := s.now().UTC()
	c := *e
	if c.State == "" {
		c.State = backend.EditPending
	}
	if c.CreatedAt.IsZero() {
		c.CreatedAt = now
	}
	if c.UpdatedAt.IsZero() {
		c.UpdatedAt = c.CreatedAt
	}
	c.CreatedAt, c.UpdatedAt = c.CreatedAt.UTC(), c.UpdatedAt.UTC()
	err := s.update("save edit for "+e.Ref.String(), func(t *tables) error {
		seq, err := t.edits.NextSequence()
		if err != nil {
			return err
		}
		c.Seq, c.ID = seq, editID(seq)
		if err := putEdit(t, &c); err != nil {
			return err
		}
		if err := t.editsByRef.Put(joinKey(c.Ref.String(), seqKey(seq)), []byte{}); err != nil {
			return err
		}
		return addAudit(t, now, &c, c.Operator, "saved")
	})
	if err != nil {
		return err
	}
	*e = c
	return nil
}

// SaveEdits stores new states of existing edits (by Seq) and, when fresh
// is not nil, the order as just read from the shop, in one transaction.
// Each edit whose State or Error differs from the stored one gets an audit
// line at Now, and UpdatedAt = Now when the caller left it as stored. A
// save that would undo an operator's discard or retry is refused (see
// operatorChanged): nothing of the call is written.
func (s *Store) SaveEdits(fresh *backend.Order, edits ...backend.Edit) error {
	if fresh == nil && len(edits) == 0 {
		return nil
	}
	var rec *orderRecord
	if fresh != nil {
		if err := validName("shop name", fresh.Ref.Shop, false); err != nil {
			return fmt.Errorf("cache: save edits: %w", err)
		}
		var err error
		if rec, err = encodeOrder(fresh.Ref.Shop, fresh); err != nil {
			return fmt.Errorf("cache: save edits: %w", err)
		}
	}
	now := s.now().UTC()
	return s.update("save edits", func(t *tables) error {
		for _, e := range edits {
			if err := saveEdit(t, now, e); err != nil {
				return err
			}
		}
		if rec != nil {
			return putOrder(t, rec)
		}
		return nil
	})
}

func saveEdit(t *tables, now time.Time, e backend.Edit) error {
	key := seqKey(e.Seq)
	if !has(t.edits, key) {
		return fmt.Errorf("edit %s (seq %d) is not in the outbox", e.ID, e.Seq)
	}
	prev, err := getEdit(t, key)
	if err != nil {
		return err
	}
	if e.ID == "" {
		e.ID = prev.ID
	}
	switch {
	case e.ID != prev.ID:
		return fmt.Errorf("edit seq %d has ID %s, not %s", e.Seq, prev.ID, e.ID)
	case e.Ref != prev.Ref:
		return fmt.Errorf("edit %s belongs to %s, not %s", e.ID, prev.Ref, e.Ref)
	case e.State == "":
		return fmt.Errorf("edit %s: empty state", e.ID)
	}
	if err := operatorChanged(prev, &e); err != nil {
		return err
	}
	changed := e.State != prev.State || e.Error != prev.Error
	if changed && e.UpdatedAt.Equal(prev.UpdatedAt) {
		e.UpdatedAt = now
	}
	e.CreatedAt, e.UpdatedAt = e.CreatedAt.UTC(), e.UpdatedAt.UTC()
	if err := putEdit(t, &e); err != nil {
		return err
	}
	if changed {
		return addAudit(t, now, &e, e.Operator, e.Error)
	}
	return nil
}

// operatorChanged refuses a save that would undo what an operator did
// after the caller read the edit: a discarded edit never becomes anything
// else (a sender that read it before the discard must not mark it sending),
// and a retry asked for is not dropped by a decision taken without it (a
// conflict, or a note on a pending edit).
func operatorChanged(prev, e *backend.Edit) error {
	switch {
	case prev.State == backend.EditDiscarded && e.State != backend.EditDiscarded:
		return fmt.Errorf("edit %s was discarded; not saved as %s: %w", e.ID, e.State, backend.ErrEditChanged)
	case prev.Retry && !e.Retry && (e.State == backend.EditConflict || e.State == backend.EditPending):
		return fmt.Errorf("edit %s was asked to retry; not saved as %s: %w", e.ID, e.State, backend.ErrEditChanged)
	}
	return nil
}

// EditByID returns the edit with this ID ("E3", or "e3"), in any state.
// An ID not in the outbox wraps backend.ErrNoEdit.
func (s *Store) EditByID(id string) (backend.Edit, error) {
	var out backend.Edit
	err := s.view("read edit "+id, func(t *tables) error {
		e, err := editByID(t, id)
		if err != nil {
			return err
		}
		out = *e
		return nil
	})
	return out, err
}

func editByID(t *tables, id string) (*backend.Edit, error) {
	n, ok := strings.CutPrefix(strings.ToUpper(strings.TrimSpace(id)), "E")
	seq, err := strconv.ParseUint(n, 10, 64)
	if !ok || err != nil || seq == 0 || !has(t.edits, seqKey(seq)) {
		return nil, fmt.Errorf("edit %q: %w", id, backend.ErrNoEdit)
	}
	return getEdit(t, seqKey(seq))
}

// RetryEdit marks edit id, when its state allows a retry (pending, failed,
// conflict), to be decided again by the next send on the shop's current
// order: pending with Retry set and the note "retry asked by OPERATOR",
// with its audit line naming operator. It checks and writes in one
// transaction. Another state is a *backend.EditStateError, an unknown ID
// wraps backend.ErrNoEdit; then nothing was written.
func (s *Store) RetryEdit(id, operator string) (backend.Edit, error) {
	return s.operate(id, operator, backend.OpRetry, func(e *backend.Edit) {
		e.State, e.Retry, e.Error = backend.EditPending, true, "retry asked by "+operator
	})
}

// DiscardEdit drops edit id from the outbox, when its state allows it
// (pending, failed, conflict): it becomes discarded with the note
// "discarded by OPERATOR" and an audit line naming operator; it stays in
// History and the audit log. Later open edits of the order that noted they
// wait for it lose that note. It checks and writes in one transaction;
// errors as RetryEdit's.
func (s *Store) DiscardEdit(id, operator string) (backend.Edit, error) {
	return s.operate(id, operator, backend.OpDiscard, func(e *backend.Edit) {
		e.State, e.Retry, e.Error = backend.EditDiscarded, false, "discarded by "+operator
	})
}

// operate is RetryEdit and DiscardEdit: compare (the state allows op), then
// set, in one transaction.
func (s *Store) operate(id, operator, op string, set func(e *backend.Edit)) (backend.Edit, error) {
	var out backend.Edit
	now := s.now().UTC()
	err := s.update(op+" edit "+id, func(t *tables) error {
		e, err := editByID(t, id)
		if err != nil {
			return err
		}
		if !e.State.Allows(op) {
			return &backend.EditStateError{ID: e.ID, State: e.State, Op: op}
		}
		set(e)
		e.UpdatedAt = now
		if err := putEdit(t, e); err != nil {
			return err
		}
		if err := addAudit(t, now, e, operator, e.Error); err != nil {
			return err
		}
		if op == backend.OpDiscard {
			if err := dropWaitNotes(t, e); err != nil {
				return err
			}
		}
		out = *e
		return nil
	})
	return out, err
}

// dropWaitNotes clears the "waits for" note naming gone on the later open
// edits of its order: nothing holds them back any more. The note is the
// sender's, not an outcome, so no audit line is written.
func dropWaitNotes(t *tables, gone *backend.Edit) error {
	prefix := joinKey(gone.Ref.String(), nil)
	c := t.editsByRef.Cursor()
	for k, _ := c.Seek(joinKey(gone.Ref.String(), seqKey(gone.Seq+1))); k != nil && bytes.HasPrefix(k, prefix); k, _ = c.Next() {
		seq := k[len(prefix):]
		if !has(t.editsOpen, seq) {
			continue
		}
		e, err := getEdit(t, seq)
		if err != nil {
			return err
		}
		if backend.WaitsOn(e.Error, gone.ID) {
			e.Error = ""
			if err := putEdit(t, e); err != nil {
				return err
			}
		}
	}
	return nil
}

// putEdit writes an edit and keeps edits_open in step with its state.
func putEdit(t *tables, e *backend.Edit) error {
	b, err := json.Marshal(e)
	if err != nil {
		return fmt.Errorf("edit %s: encode: %w", e.ID, err)
	}
	key := seqKey(e.Seq)
	if err := t.edits.Put(key, b); err != nil {
		return err
	}
	if e.State.Open() {
		return t.editsOpen.Put(key, []byte{})
	}
	return t.editsOpen.Delete(key)
}

// addAudit appends one audit line about e: operator did it.
func addAudit(t *tables, now time.Time, e *backend.Edit, operator, detail string) error {
	seq, err := t.audit.NextSequence()
	if err != nil {
		return err
	}
	return putAudit(t, &backend.Audit{Seq: seq, At: now, Operator: operator, EditID: e.ID, Ref: e.Ref,
		What: e.Summary, Result: e.State, Detail: detail})
}

// putAudit writes an audit line under its Seq, with its index entry.
func putAudit(t *tables, a *backend.Audit) error {
	b, err := json.Marshal(a)
	if err != nil {
		return fmt.Errorf("audit of %s: encode: %w", a.EditID, err)
	}
	if err := t.audit.Put(seqKey(a.Seq), b); err != nil {
		return err
	}
	return t.auditByRef.Put(joinKey(a.Ref.String(), seqKey(a.Seq)), []byte{})
}

// Edits returns the open edits (every state but done and discarded) of
// shop, or of every shop for "", by Seq.
func (s *Store) Edits(shop string) ([]backend.Edit, error) {
	out := []backend.Edit{}
	err := s.view("read outbox", func(t *tables) error {
		return eachOpenEdit(t, func(e *backend.Edit) error {
			if shop == "" || e.Ref.Shop == shop {
				out = append(out, *e)
			}
			return nil
		})
	})
	return out, err
}

// History returns every edit of one order, done and discarded ones
// included, by Seq.
func (s *Store) History(ref backend.Ref) ([]backend.Edit, error) {
	out := []backend.Edit{}
	prefix := joinKey(ref.String(), nil)
	err := s.view("read history of "+ref.String(), func(t *tables) error {
		c := t.editsByRef.Cursor()
		for k, _ := c.Seek(prefix); k != nil && bytes.HasPrefix(k, prefix); k, _ = c.Next() {
			e, err := getEdit(t, k[len(prefix):])
			if err != nil {
				return err
			}
			out = append(out, *e)
		}
		return nil
	})
	return out, err
}

// AuditLog returns audit lines by Seq: one order's, or all for a zero ref.
func (s *Store) AuditLog(ref backend.Ref) ([]backend.Audit, error) {
	out := []backend.Audit{}
	err := s.view("read audit log", func(t *tables) error {
		add := func(v []byte) error {
			var a backend.Audit
			if v == nil {
				return damagef("audit line indexed but missing")
			}
			if err := json.Unmarshal(v, &a); err != nil {
				return damagef("audit line: %w", err)
			}
			out = append(out, a)
			return nil
		}
		if ref.IsZero() {
			return t.audit.ForEach(func(_, v []byte) error { return add(v) })
		}
		prefix := joinKey(ref.String(), nil)
		c := t.auditByRef.Cursor()
		for k, _ := c.Seek(prefix); k != nil && bytes.HasPrefix(k, prefix); k, _ = c.Next() {
			if err := add(t.audit.Get(k[len(prefix):])); err != nil {
				return err
			}
		}
		return nil
	})
	return out, err
}

// Cursor returns where the shop's last sync left off (zero when never).
func (s *Store) Cursor(shop string) (backend.SyncCursor, error) {
	var c backend.SyncCursor
	err := s.view("read cursor of "+shop, func(t *tables) error {
		v := t.cursors.Get([]byte(shop))
		if v == nil {
			return nil
		}
		if err := json.Unmarshal(v, &c); err != nil {
			return damagef("stored cursor: %w", err)
		}
		return nil
	})
	return c, err
}

// SetCursor stores the shop's sync cursor.
func (s *Store) SetCursor(shop string, c backend.SyncCursor) error {
	if err := validName("shop name", shop, false); err != nil {
		return fmt.Errorf("cache: set cursor: %w", err)
	}
	b, err := json.Marshal(c)
	if err != nil {
		return fmt.Errorf("cache: set cursor of %s: %w", shop, err)
	}
	return s.update("set cursor of "+shop, func(t *tables) error {
		return t.cursors.Put([]byte(shop), b)
	})
}
