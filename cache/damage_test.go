package cache

import (
	"bytes"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	bolt "go.etcd.io/bbolt"

	"orderdesk/backend"
)

// damageFixture is a closed database of 300 orders in two shops, with
// raw JSON, five edits (one discarded), their audit lines and a cursor:
// a copy, in the test's own directory, of the one buildDamageFixture made.
func damageFixture(t *testing.T) string {
	t.Helper()
	damageFile.once.Do(func() { damageFile.file = buildDamageFixture(t) })
	if damageFile.file == nil {
		t.Fatal("the damage fixture could not be built (see the first test that used it)")
	}
	path := filepath.Join(t.TempDir(), "orderdesk.db")
	if err := os.WriteFile(path, damageFile.file, 0o600); err != nil {
		t.Fatal(err)
	}
	return path
}

// damageFile holds the fixture's file, built once: the shops alternate, so
// its 300 orders take 300 transactions, each synced to disk, which many
// tests need not repeat. Its page layout differs from build to build
// (bbolt spills sibling buckets in map order).
var damageFile struct {
	once sync.Once
	file []byte
}

func buildDamageFixture(t *testing.T) []byte {
	t.Helper()
	path := filepath.Join(t.TempDir(), "orderdesk.db")
	s, err := Open(path, Options{Now: func() time.Time { return testNow }})
	if err != nil {
		t.Fatal(err)
	}
	var orders []*backend.Order
	for i := range 300 {
		orders = append(orders, fullOrder([]string{"a", "b"}[i%2], fmt.Sprintf("%d", 1000+i)))
	}
	put(t, s, orders...)
	for i := range 5 {
		if err := s.AddEdit(newEdit(fmt.Sprintf("a:%d", 1000+2*i), "status → cancel")); err != nil {
			t.Fatal(err)
		}
	}
	if _, err := s.DiscardEdit("E2", "bo"); err != nil {
		t.Fatal(err)
	}
	if err := s.SetCursor("a", backend.SyncCursor{LastError: "x"}); err != nil {
		t.Fatal(err)
	}
	if err := s.Close(); err != nil {
		t.Fatal(err)
	}
	return mustRead(t, path)
}

// bucketRootPage returns the root page of a bucket (0 when inline), or of
// the root bucket for "".
func bucketRootPage(t *testing.T, path, bucket string) uint64 {
	t.Helper()
	if bucket == "" {
		m, _ := fileMeta(t, path)
		return m.root
	}
	db, err := bolt.Open(path, 0o600, &bolt.Options{ReadOnly: true, Timeout: time.Second})
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	var id uint64
	_ = db.View(func(tx *bolt.Tx) error {
		id = uint64(tx.Bucket([]byte(bucket)).Root())
		return nil
	})
	return id
}

// pageFileOf reads the file at path with the salvage reader.
func pageFileOf(t *testing.T, path string) *pageFile {
	t.Helper()
	f, err := os.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { f.Close() })
	pf, err := openPageFile(f)
	if err != nil || len(pf.metas) != 2 {
		t.Fatalf("meta pages: %v %v", pf, err)
	}
	return pf
}

func fileMeta(t *testing.T, path string) (metaPage, int64) {
	pf := pageFileOf(t, path)
	return pf.metas[0], pf.pageSize
}

// zeroPage overwrites page id of the file with zeros.
func zeroPage(t *testing.T, path string, id uint64) {
	t.Helper()
	_, ps := fileMeta(t, path)
	f, err := os.OpenFile(path, os.O_WRONLY, 0)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	if _, err := f.WriteAt(make([]byte, ps), int64(id)*ps); err != nil {
		t.Fatal(err)
	}
}

func mustDamaged(t *testing.T, what string, err error) {
	t.Helper()
	var de *DamagedError
	if !errors.As(err, &de) || !errors.Is(err, ErrDamaged) || !strings.HasPrefix(err.Error(), "database damaged: ") {
		t.Fatalf("%s: %v, want a *DamagedError", what, err)
	}
}

func TestDamagedPageIsAnErrorAndStopsWrites(t *testing.T) {
	t.Parallel()
	path := damageFixture(t)
	zeroPage(t, path, bucketRootPage(t, path, bCreated))
	before := fileHash(t, path)
	s, err := Open(path, Options{})
	if err != nil {
		t.Fatal(err)
	}
	if n, err := s.Count(""); err != nil || n != 300 {
		t.Fatalf("Count = %d, %v: the orders bucket is intact", n, err)
	}
	err = s.PutOrders("a", []*backend.Order{fullOrder("a", "1000")})
	mustDamaged(t, "PutOrders", err)
	if s.Damaged() == nil {
		t.Error("Damaged() = nil after damage was found")
	}
	// The outbox is intact, but nothing is written any more.
	err = s.AddEdit(newEdit("a:1002", "remark"))
	mustDamaged(t, "AddEdit after damage", err)
	if !strings.Contains(err.Error(), "nothing written") {
		t.Errorf("AddEdit: %v, want it to say nothing was written", err)
	}
	if err := s.Close(); err != nil {
		t.Fatal(err)
	}
	if fileHash(t, path) != before {
		t.Error("the damaged file changed")
	}
}

func TestOpenFindsATruncatedFile(t *testing.T) {
	t.Parallel()
	path := damageFixture(t)
	fi, _ := os.Stat(path)
	if err := os.Truncate(path, fi.Size()/2); err != nil {
		t.Fatal(err)
	}
	before := fileHash(t, path)
	_, err := Open(path, Options{})
	mustDamaged(t, "Open", err)
	if !strings.Contains(err.Error(), "cut short") {
		t.Errorf("Open: %v, want it to say the file was cut short", err)
	}
	if fileHash(t, path) != before {
		t.Error("the damaged file changed")
	}
}

func TestOpenWithAZeroedFreelistIsDamagedAndUnlocks(t *testing.T) {
	t.Parallel()
	path := damageFixture(t)
	m, _ := fileMeta(t, path)
	zeroPage(t, path, m.freelist)
	for i := range 2 { // the second open finds the file unlocked
		_, err := Open(path, Options{Timeout: 200 * time.Millisecond})
		mustDamaged(t, fmt.Sprintf("Open #%d", i+1), err)
	}
}

func TestPIDSidecarFollowsNoLink(t *testing.T) {
	t.Parallel()
	for _, kind := range []string{"symlink", "hardlink"} {
		t.Run(kind, func(t *testing.T) {
			dir := t.TempDir()
			path := filepath.Join(dir, "orderdesk.db")
			victim := filepath.Join(dir, "victim")
			if err := os.WriteFile(victim, []byte("precious\n"), 0o600); err != nil {
				t.Fatal(err)
			}
			link := os.Symlink
			if kind == "hardlink" {
				link = os.Link
			}
			if err := link(victim, pidPath(path)); err != nil {
				t.Fatal(err)
			}
			s, err := Open(path, Options{})
			if err != nil {
				t.Fatal(err)
			}
			if got, _ := os.ReadFile(victim); string(got) != "precious\n" {
				t.Errorf("victim overwritten through the %s: %q", kind, got)
			}
			if err := s.Close(); err != nil {
				t.Fatal(err)
			}
			if got, _ := os.ReadFile(victim); string(got) != "precious\n" {
				t.Errorf("victim changed at Close: %q", got)
			}
		})
	}
}

func TestOpenMakesAnOpenFilePrivate(t *testing.T) {
	t.Parallel()
	path := damageFixture(t)
	if err := os.Chmod(path, 0o644); err != nil {
		t.Fatal(err)
	}
	s, err := Open(path, Options{})
	if err != nil {
		t.Fatal(err)
	}
	if was, ok := s.Tightened(); !ok || was != 0o644 {
		t.Errorf("Tightened = %v, %v; want 0644, true", was, ok)
	}
	_ = s.Close()
	if fi, _ := os.Stat(path); fi.Mode().Perm() != 0o600 {
		t.Errorf("mode %v, want 0600", fi.Mode().Perm())
	}
	s, err = Open(path, Options{})
	if err != nil {
		t.Fatal(err)
	}
	if _, ok := s.Tightened(); ok {
		t.Error("a private file reported as tightened")
	}
	_ = s.Close()
}

// records returns every key+value of the orders, edits and audit buckets
// of an intact database, as the bytes a leaf page holds them.
func records(t *testing.T, path string) map[string][]byte {
	t.Helper()
	db, err := bolt.Open(path, 0o600, &bolt.Options{ReadOnly: true, Timeout: time.Second})
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	out := map[string][]byte{}
	_ = db.View(func(tx *bolt.Tx) error {
		for _, b := range []string{bOrders, bEdits, bAudit} {
			_ = tx.Bucket([]byte(b)).ForEach(func(k, v []byte) error {
				out[b+" "+keyText(k)] = append(bytes.Clone(k), v...)
				return nil
			})
		}
		return nil
	})
	return out
}

func TestSalvageRecoversEveryRecordOnAnIntactPage(t *testing.T) {
	t.Parallel()
	damages := map[string]func(t *testing.T, path string){
		"intact": func(*testing.T, string) {},
		"orders leaf zeroed": func(t *testing.T, path string) {
			zeroPage(t, path, firstChild(t, path, bOrders))
		},
		"orders root zeroed": func(t *testing.T, path string) {
			zeroPage(t, path, bucketRootPage(t, path, bOrders))
		},
		"root bucket zeroed": func(t *testing.T, path string) {
			zeroPage(t, path, bucketRootPage(t, path, ""))
		},
		"truncated": func(t *testing.T, path string) {
			fi, _ := os.Stat(path)
			if err := os.Truncate(path, fi.Size()*2/3); err != nil {
				t.Fatal(err)
			}
		},
		// The file ends inside the edits' leaf page, after its first
		// records: the part of a page before the cut is read too. (The
		// cut of "truncated" falls inside a page as well, but which
		// records that page holds changes with the fixture's layout.)
		"edits leaf cut short": func(t *testing.T, path string) {
			m, ps := fileMeta(t, path)
			id := bucketRootPage(t, path, bEdits)
			if id == 0 || id >= m.hwm {
				t.Fatalf("the edits bucket has no page of its own (root %d)", id)
			}
			if err := os.Truncate(path, int64(id)*ps+ps/4); err != nil {
				t.Fatal(err)
			}
		},
	}
	for name, damage := range damages {
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			path := damageFixture(t)
			orig := records(t, path)
			damage(t, path)
			file, err := os.ReadFile(path)
			if err != nil {
				t.Fatal(err)
			}
			dst := filepath.Join(t.TempDir(), "new.db")
			rep, err := Salvage(path, dst, Options{})
			if err != nil {
				t.Fatal(err)
			}
			if !bytes.Equal(mustRead(t, path), file) {
				t.Error("salvage changed the damaged file")
			}
			got := records(t, dst)
			want := 0
			for k, kv := range orig {
				if !bytes.Contains(file, kv) {
					continue // not on an intact page
				}
				want++
				if g, ok := got[k]; !ok || (strings.HasPrefix(k, bOrders) && !bytes.Equal(g, kv)) {
					t.Errorf("%s: intact in the file, salvaged as %.60q", k, g)
				}
			}
			if len(got) < want || len(got) > len(orig) {
				t.Errorf("salvaged %d records, %d were intact, %d existed", len(got), want, len(orig))
			}
			if want == len(orig) && name != "intact" && name != "orders leaf zeroed" {
				t.Logf("damage %s left every record intact", name)
			}
			s, err := Open(dst, Options{})
			if err != nil {
				t.Fatal(err)
			}
			defer s.Close()
			mustVerify(t, s)
			if name == "intact" {
				if rep.Orders != 300 || rep.Edits != 5 || rep.Audit != 6 || rep.Cursors != 1 || rep.NoCursors || rep.Raw != 300 {
					t.Errorf("report %+v", rep)
				}
				if e, err := s.EditByID("E2"); err != nil || e.State != backend.EditDiscarded {
					t.Errorf("E2 = %+v, %v", e, err)
				}
				e := newEdit("a:1000", "remark")
				if err := s.AddEdit(e); err != nil || e.ID != "E6" {
					t.Errorf("a new edit after salvage: %s, %v", e.ID, err)
				}
			} else if !rep.NoCursors || rep.Cursors != 0 {
				t.Errorf("damaged: cursors copied: %+v", rep)
			}
		})
	}
}

func mustRead(t *testing.T, path string) []byte {
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	return b
}

// firstChild returns the first child page of a bucket whose root is a
// branch page.
func firstChild(t *testing.T, path, bucket string) uint64 {
	t.Helper()
	p, err := pageFileOf(t, path).page(bucketRootPage(t, path, bucket))
	if err != nil || len(p.kids) == 0 {
		t.Fatalf("bucket %s has no branch root: %v", bucket, err)
	}
	return p.kids[0].child
}

func TestSalvageRefusesAnExistingTarget(t *testing.T) {
	t.Parallel()
	path := damageFixture(t)
	dst := filepath.Join(t.TempDir(), "new.db")
	if err := os.WriteFile(dst, []byte("mine"), 0o600); err != nil {
		t.Fatal(err)
	}
	if _, err := Salvage(path, dst, Options{}); !errors.Is(err, ErrTargetExists) {
		t.Errorf("Salvage = %v, want ErrTargetExists", err)
	}
	if got := mustRead(t, dst); string(got) != "mine" {
		t.Errorf("target changed: %q", got)
	}
}
