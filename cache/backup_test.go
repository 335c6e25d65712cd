package cache

import (
	"bytes"
	"errors"
	"os"
	"path/filepath"
	"testing"

	"orderdesk/backend"
)

// A backup taken while orders are being written opens as a database with
// every order and open edit of its moment; an existing file is refused
// and left byte for byte, or replaced with replace.
func TestBackupTo(t *testing.T) {
	t.Parallel()
	s := openTest(t)
	orders := truthOrders(t, 30)
	put(t, s, orders[:60]...)
	e := newEdit(orders[0].Ref.String(), "ship UPS 1Z")
	if err := s.AddEdit(e); err != nil {
		t.Fatal(err)
	}
	done := make(chan struct{})
	go func() { // writes go on while the copy is taken
		defer close(done)
		for _, o := range orders[60:] {
			if err := s.PutOrders(o.Shop, []*backend.Order{o}); err != nil {
				t.Error(err)
				return
			}
		}
	}()
	dir := t.TempDir()
	path := filepath.Join(dir, "copy.db")
	info, err := s.BackupTo(path, false)
	<-done
	if err != nil {
		t.Fatal(err)
	}
	if info.Orders < 60 || info.Open != 1 || info.Bytes == 0 {
		t.Fatalf("info = %+v", info)
	}
	if fi, err := os.Stat(path); err != nil || fi.Mode().Perm() != 0o600 || fi.Size() != info.Bytes {
		t.Fatalf("copy: %v %v, want 0600 of %d bytes", fi, err, info.Bytes)
	}
	c, err := Open(path, Options{ReadOnly: true})
	if err != nil {
		t.Fatal(err)
	}
	mustVerify(t, c)
	n, _ := c.Count("")
	edits, _ := c.Edits("")
	c.Close()
	if n != info.Orders || len(edits) != 1 || edits[0].ID != e.ID {
		t.Errorf("the copy has %d orders and %v; info says %+v", n, edits, info)
	}
	if left, _ := filepath.Glob(filepath.Join(dir, ".copy.db.tmp-*")); len(left) > 0 {
		t.Errorf("temp files left: %v", left)
	}

	before, _ := os.ReadFile(path)
	put(t, s, orders[70:80]...)
	if _, err := s.BackupTo(path, false); !errors.Is(err, ErrExists) {
		t.Fatalf("over an existing file: %v, want ErrExists", err)
	}
	if after, _ := os.ReadFile(path); !bytes.Equal(before, after) {
		t.Fatal("the existing file was changed")
	}
	if _, err := s.BackupTo(path, true); err != nil {
		t.Fatal(err)
	}
	if after, _ := os.ReadFile(path); bytes.Equal(before, after) {
		t.Fatal("replace did not replace")
	}
	if _, err := s.BackupTo(filepath.Join(dir, "no", "such", "dir.db"), false); err == nil {
		t.Fatal("a backup into a missing directory succeeded")
	}
}
