package cache

import (
	"errors"
	"slices"
	"strings"
	"testing"

	"orderdesk/backend"
)

// editsInStates saves one edit per state on its own order (eu:1, eu:2, …)
// and returns them by state.
func editsInStates(t *testing.T, s *Store, states ...backend.EditState) map[backend.EditState]backend.Edit {
	t.Helper()
	out := map[backend.EditState]backend.Edit{}
	for i, st := range states {
		e := newEdit("eu:"+string(rune('1'+i)), "status → cancel")
		if err := s.AddEdit(e); err != nil {
			t.Fatal(err)
		}
		if st != backend.EditPending {
			c := *e
			c.State, c.Error = st, "why "+string(st)
			if err := s.SaveEdits(nil, c); err != nil {
				t.Fatal(err)
			}
			e = &c
		}
		got, err := s.EditByID(e.ID)
		if err != nil || got.State != st {
			t.Fatalf("EditByID(%s) = %+v, %v", e.ID, got, err)
		}
		out[st] = got
	}
	return out
}

var everyState = []backend.EditState{backend.EditPending, backend.EditSending, backend.EditUnknown,
	backend.EditFailed, backend.EditConflict, backend.EditDone, backend.EditDiscarded}

// TestRetryAndDiscardCheckTheState: retry and discard change only a
// pending, failed or conflicting edit; any other state is refused with a
// typed error and nothing is written (no state change, no audit line).
func TestRetryAndDiscardCheckTheState(t *testing.T) {
	t.Parallel()
	for _, op := range []string{backend.OpRetry, backend.OpDiscard} {
		t.Run(op, func(t *testing.T) {
			s := openTest(t)
			// a discarded edit to start from: discard a pending one
			all := editsInStates(t, s, everyState[:6]...)
			gone := newEdit("eu:9", "remark")
			if err := s.AddEdit(gone); err != nil {
				t.Fatal(err)
			}
			if _, err := s.DiscardEdit(gone.ID, "ann"); err != nil {
				t.Fatal(err)
			}
			all[backend.EditDiscarded], _ = s.EditByID(gone.ID)
			do := s.RetryEdit
			if op == backend.OpDiscard {
				do = s.DiscardEdit
			}
			for _, st := range everyState {
				e := all[st]
				before := auditLines(t, s, e.Ref.String())
				got, err := do(e.ID, "bob")
				after := auditLines(t, s, e.Ref.String())
				stored, _ := s.EditByID(e.ID)
				if !st.Allows(op) {
					var se *backend.EditStateError
					if !errors.As(err, &se) || se.ID != e.ID || se.State != st || se.Op != op {
						t.Errorf("%s %s: err %v, want an EditStateError", op, st, err)
					}
					if stored.State != st || stored.Retry || len(after) != len(before) {
						t.Errorf("%s %s refused but written: %+v, audit %q", op, st, stored, after)
					}
					continue
				}
				if err != nil {
					t.Errorf("%s %s: %v", op, st, err)
					continue
				}
				want, note := backend.EditPending, "retry asked by bob"
				if op == backend.OpDiscard {
					want, note = backend.EditDiscarded, "discarded by bob"
				}
				if got.State != want || got.Error != note || got.Retry != (op == backend.OpRetry) || stored.State != want || stored.Retry != got.Retry {
					t.Errorf("%s %s: returned %+v, stored %+v", op, st, got, stored)
				}
				if got.Operator != "ann" {
					t.Errorf("%s %s: the edit's author became %q", op, st, got.Operator)
				}
				if line := "bob " + e.ID + " " + e.Ref.String() + " status → cancel " + string(want) + " " + note; !slices.Equal(after, append(before, line)) {
					t.Errorf("%s %s: audit %q, want one more line %q", op, st, after, line)
				}
			}
			open, _ := s.Edits("")
			for _, e := range open {
				if e.State == backend.EditDiscarded {
					t.Errorf("a discarded edit is open: %+v", e)
				}
			}
			if op == backend.OpDiscard {
				if h, _ := s.History(all[backend.EditConflict].Ref); len(h) != 1 || h[0].State != backend.EditDiscarded {
					t.Errorf("history lost the discarded edit: %+v", h)
				}
				if o := len(open); o != 2 { // sending, unknown
					t.Errorf("%d open edits after discarding, want 2: %+v", o, open)
				}
			}
			mustVerify(t, s)
		})
	}
}

// TestEditByID: IDs as operators type them; anything else is ErrNoEdit.
func TestEditByID(t *testing.T) {
	t.Parallel()
	s := openTest(t)
	e := newEdit("eu:1", "x")
	if err := s.AddEdit(e); err != nil {
		t.Fatal(err)
	}
	for _, id := range []string{"E1", "e1", " E1 "} {
		if got, err := s.EditByID(id); err != nil || got.Seq != 1 {
			t.Errorf("EditByID(%q) = %+v, %v", id, got, err)
		}
	}
	for _, id := range []string{"E2", "E0", "1", "", "E", "Ex", "E-1", "eu:1"} {
		if _, err := s.EditByID(id); !errors.Is(err, backend.ErrNoEdit) {
			t.Errorf("EditByID(%q): %v, want ErrNoEdit", id, err)
		}
		if _, err := s.DiscardEdit(id, "bob"); !errors.Is(err, backend.ErrNoEdit) {
			t.Errorf("DiscardEdit(%q): %v, want ErrNoEdit", id, err)
		}
	}
}

// TestSaveEditsKeepsTheOperatorsWord: a sender that read an edit before an
// operator discarded it cannot mark it sending (nothing of the call is
// written); one that read it before a retry cannot turn it into a
// conflict, but may move it on.
func TestSaveEditsKeepsTheOperatorsWord(t *testing.T) {
	t.Parallel()
	s := openTest(t)
	o := fullOrder("eu", "1")
	put(t, s, o)
	e := newEdit("eu:1", "ship")
	other := newEdit("eu:1", "remark")
	for _, x := range []*backend.Edit{e, other} {
		if err := s.AddEdit(x); err != nil {
			t.Fatal(err)
		}
	}
	read := *e // what a sender read
	if _, err := s.DiscardEdit(e.ID, "bob"); err != nil {
		t.Fatal(err)
	}
	fresh := fullOrder("eu", "1")
	fresh.BuyerNote = "fresh"
	sending, moved := read, *other
	sending.State, sending.Attempts = backend.EditSending, 1
	moved.Error = "a note"
	before := auditLines(t, s, "eu:1")
	if err := s.SaveEdits(fresh, moved, sending); !errors.Is(err, backend.ErrEditChanged) {
		t.Fatalf("a discarded edit saved as sending: %v", err)
	}
	if got, _ := s.EditByID(e.ID); got.State != backend.EditDiscarded || got.Attempts != 0 {
		t.Errorf("after the refused save: %+v", got)
	}
	if got, _ := s.EditByID(other.ID); got.Error != "" {
		t.Errorf("the other edit of the refused call was written: %+v", got)
	}
	if got, _ := s.Order(o.Ref); got.BuyerNote == "fresh" {
		t.Error("the fresh order of the refused call was written")
	}
	if after := auditLines(t, s, "eu:1"); !slices.Equal(after, before) {
		t.Errorf("audit lines written by a refused save: %q", after[len(before):])
	}
	for _, st := range []backend.EditState{backend.EditPending, backend.EditDone, backend.EditFailed} {
		x := read
		x.State = st
		if err := s.SaveEdits(nil, x); !errors.Is(err, backend.ErrEditChanged) {
			t.Errorf("a discarded edit saved as %s: %v", st, err)
		}
	}

	// retry: a decision taken without it is refused, moving on is not
	stale := *other
	if _, err := s.RetryEdit(other.ID, "bob"); err != nil {
		t.Fatal(err)
	}
	for _, st := range []backend.EditState{backend.EditConflict, backend.EditPending} {
		x := stale
		x.State, x.Error = st, "saw something else"
		if err := s.SaveEdits(nil, x); !errors.Is(err, backend.ErrEditChanged) {
			t.Errorf("a retried edit saved as %s without Retry: %v", st, err)
		}
	}
	if got, _ := s.EditByID(other.ID); !got.Retry || got.State != backend.EditPending {
		t.Errorf("the retry was lost: %+v", got)
	}
	x := stale
	x.State = backend.EditSending
	if err := s.SaveEdits(nil, x); err != nil {
		t.Errorf("a retried edit moved on to sending: %v", err)
	}
	mustVerify(t, s)
}

// TestDiscardFreesTheEditsBehind: the later edits of the order lose their
// "waits for" note; other notes and other orders are left alone.
func TestDiscardFreesTheEditsBehind(t *testing.T) {
	t.Parallel()
	s := openTest(t)
	first, behind, other, elsewhere := newEdit("eu:1", "a"), newEdit("eu:1", "b"), newEdit("eu:1", "c"), newEdit("eu:2", "d")
	for _, x := range []*backend.Edit{first, behind, other, elsewhere} {
		if err := s.AddEdit(x); err != nil {
			t.Fatal(err)
		}
	}
	first.State, first.Error = backend.EditConflict, "saw x, now y"
	note := backend.WaitsFor(*first)
	behind.Error, other.Error, elsewhere.Error = note, "waits for the shop", note
	if err := s.SaveEdits(nil, *first, *behind, *other, *elsewhere); err != nil {
		t.Fatal(err)
	}
	if _, err := s.DiscardEdit(first.ID, "bob"); err != nil {
		t.Fatal(err)
	}
	for _, c := range []struct {
		e    *backend.Edit
		want string
	}{{behind, ""}, {other, "waits for the shop"}, {elsewhere, note}} {
		if got, _ := s.EditByID(c.e.ID); got.Error != c.want || got.State != backend.EditPending {
			t.Errorf("%s after the discard: %s %q, want %q", c.e.ID, got.State, got.Error, c.want)
		}
	}
	if !strings.Contains(note, first.ID) {
		t.Errorf("note %q", note)
	}
	mustVerify(t, s)
}
