package cache

import (
	"errors"
	"fmt"
	"strings"
	"testing"

	bolt "go.etcd.io/bbolt"

	"orderdesk/backend"
)

// TestVerifyDetectsBrokenIndexes damages one index at a time directly
// through bbolt and checks Verify names the problem, then repairs it.
func TestVerifyDetectsBrokenIndexes(t *testing.T) {
	t.Parallel()
	s := openTest(t)
	put(t, s, truthOrders(t, 20)...)
	o := fullOrder("eu", "1001")
	put(t, s, o)
	e := newEdit("eu:1001", "ship")
	if err := s.AddEdit(e); err != nil {
		t.Fatal(err)
	}
	mustVerify(t, s)
	ref := []byte("eu:1001")
	ck := createdKey(o.CreatedAt)
	cases := []struct {
		name   string
		bucket string
		key    []byte
		value  []byte // nil: delete the key
		want   string
	}{
		{"stray number entry", bByNumber, joinKey("1001", []byte("eu:9999")), []byte{}, `by_number: entry "1001\x00eu:9999" belongs to no stored record`},
		{"missing number entry", bByNumber, joinKey("1001", ref), nil, `by_number: entry "1001\x00eu:1001" missing`},
		{"missing tracking entry", bByTracking, joinKey("EE123456785CN", ref), nil, "by_tracking: entry"},
		{"stray open entry", bOpen, []byte("eu:\x00\x00"), []byte{}, "open_by_created: entry"},
		{"missing row", bRows, rowKey(ck, ref), nil, "eu:1001: no slim row"},
		{"row of another order", bRows, rowKey(ck, ref), encodeRow(nil, fullOrder("eu", "1002")), "slim row does not match"},
		{"created key wrong", bCreated, ref, make([]byte, ckeyLen), "created key"},
		{"open edit not indexed", bEditsOpen, seqKey(e.Seq), nil, "edits_open: entry"},
		{"edit index dangling", bEditsByRef, joinKey("eu:1", seqKey(42)), []byte{}, "edits_by_ref: entry"},
		{"raw without order", bRaw, []byte("eu:404"), []byte("{}"), "raw eu:404: no such order"},
	}
	for _, c := range cases {
		var old []byte
		write := func(k, v []byte) {
			err := s.db.Update(func(tx *bolt.Tx) error {
				b := tx.Bucket([]byte(c.bucket))
				if v == nil {
					return b.Delete(k)
				}
				return b.Put(k, v)
			})
			if err != nil {
				t.Fatal(err)
			}
		}
		_ = s.db.View(func(tx *bolt.Tx) error {
			if v := tx.Bucket([]byte(c.bucket)).Get(c.key); v != nil {
				old = append([]byte{}, v...)
			}
			return nil
		})
		write(c.key, c.value)
		err := s.Verify()
		if !errors.Is(err, ErrDamaged) || !strings.Contains(err.Error(), c.want) {
			t.Errorf("%s: Verify = %v\nwant ErrDamaged mentioning %q", c.name, err, c.want)
		}
		write(c.key, old)
		if err := s.Verify(); err != nil {
			t.Fatalf("%s: not repaired: %v", c.name, err)
		}
	}
}

// TestVerifyWhileWriting runs Verify while another goroutine writes; under
// -race an overlap of bbolt's check with a commit shows as a data race.
func TestVerifyWhileWriting(t *testing.T) {
	t.Parallel()
	s := openTest(t)
	put(t, s, truthOrders(t, 10)...)
	done := make(chan error)
	go func() {
		var err error
		for i := range 30 {
			if err = s.PutOrders("w", []*backend.Order{fullOrder("w", fmt.Sprint(i))}); err != nil {
				break
			}
		}
		done <- err
	}()
	for range 5 {
		mustVerify(t, s)
	}
	if err := <-done; err != nil {
		t.Fatal(err)
	}
	mustVerify(t, s)
}
