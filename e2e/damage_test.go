package e2e

import (
	"bytes"
	endian "encoding/binary"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	bolt "go.etcd.io/bbolt"
)

// damagedDesk is a real database made by the binary (a sync of four shops,
// queued edits with their audit lines), and its list and outbox.
type damagedDesk struct {
	r            *rig
	list, outbox string
	ship, other  string // refs
}

func newDamagedDesk(t *testing.T) *damagedDesk {
	r := newRig(t, fourShops(15))
	r.must(0, "sync")
	orders := r.listJSON("--shop", "sl")
	d := &damagedDesk{r: r, ship: orders[0].Ref.String(), other: orders[1].Ref.String()}
	r.must(3, "--offline", "ship", d.ship, "--carrier", "DHL", "--tracking", "1234567890", "--yes")
	r.must(3, "--offline", "remark", d.other, "called", "--yes")
	d.list = r.must(0, "list", "--format", "json")
	d.outbox = r.must(0, "pending", "--format", "json")
	return d
}

// copyWith copies the database into a new file and damages it.
func (d *damagedDesk) copyWith(t *testing.T, damage func(b []byte, m fileMeta) []byte) string {
	t.Helper()
	b, err := os.ReadFile(d.r.db)
	if err != nil {
		t.Fatal(err)
	}
	path := filepath.Join(t.TempDir(), "damaged.db")
	if err := os.WriteFile(path, damage(b, readFileMeta(t, b)), 0o600); err != nil {
		t.Fatal(err)
	}
	return path
}

// run runs the binary on the database at db.
func (d *damagedDesk) run(db string, args ...string) (string, string, int) {
	d.r.t.Helper()
	return runEnv(d.r.t, d.r.env, append([]string{"--config", d.r.cfg, "--db", db}, args...)...)
}

// fileMeta is what the test needs of a bbolt file's current meta page.
type fileMeta struct{ pageSize, root, freelist, pages int }

func readFileMeta(t *testing.T, b []byte) fileMeta {
	t.Helper()
	meta := func(off int) (fileMeta, uint64) {
		m := b[off+16:]
		u := endian.NativeEndian.Uint64
		return fileMeta{pageSize: int(endian.NativeEndian.Uint32(m[8:])), root: int(u(m[16:])), freelist: int(u(m[32:])), pages: int(u(m[40:]))}, u(m[48:])
	}
	m0, tx0 := meta(0)
	m1, tx1 := meta(m0.pageSize)
	if tx1 > tx0 {
		return m1
	}
	return m0
}

func zeroed(b []byte, m fileMeta, page int) []byte {
	clear(b[page*m.pageSize : (page+1)*m.pageSize])
	return b
}

// The commands that open the database, each with arguments it takes.
func (d *damagedDesk) commands(t *testing.T) [][]string {
	csv := filepath.Join(t.TempDir(), "tracking.csv")
	if err := os.WriteFile(csv, []byte("order,carrier,tracking\n"+d.other+",DHL,1234567890\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	return [][]string{
		{"list"}, {"list", "--format", "json"}, {"show", d.ship}, {"pending"}, {"pending", "discard", "E2", "--yes"},
		{"--offline", "status", d.other, "cancel", "--yes"},
		{"--offline", "ship", d.other, "--carrier", "DHL", "--tracking", "1234567890", "--yes"},
		{"--offline", "remark", d.other, "hello", "--yes"},
		{"sync"}, {"import-tracking", csv, "--yes"}, {}, // {}: the desk, which prints the list without a terminal
	}
}

func TestDamagedDatabaseEveryCommandExits1(t *testing.T) {
	t.Parallel()
	if testing.Short() {
		t.Skip("-short: every command on every damage takes some 15 s")
	}
	d := newDamagedDesk(t)
	damages := map[string]func(b []byte, m fileMeta) []byte{
		"truncated": func(b []byte, m fileMeta) []byte { return b[:m.pages*2/3*m.pageSize] }, // a cut in its pages
		"freelist page zeroed": func(b []byte, m fileMeta) []byte {
			return zeroed(b, m, m.freelist)
		},
		"root page bytes flipped": func(b []byte, m fileMeta) []byte {
			for i := range 4 { // the page's id and type
				b[m.root*m.pageSize+6+i] ^= 0xA5
			}
			return b
		},
	}
	for name, damage := range damages {
		t.Run(name, func(t *testing.T) {
			db := d.copyWith(t, damage)
			before, _ := os.ReadFile(db)
			for _, args := range d.commands(t) {
				_, errOut, code := d.run(db, args...)
				if code != 1 || !strings.Contains(errOut, "database damaged: "+db) ||
					!strings.Contains(errOut, "orderdesk salvage NEW.db --db "+db) ||
					strings.Contains(errOut, "goroutine ") || strings.Contains(errOut, "panic") {
					t.Errorf("orderdesk %s: exit %d, want 1 saying database damaged and salvage; stderr:\n%s", strings.Join(args, " "), code, errOut)
				}
				if after, _ := os.ReadFile(db); !bytes.Equal(before, after) {
					t.Fatalf("orderdesk %s wrote to the damaged database", strings.Join(args, " "))
				}
			}
			// the demo on a damaged database (its own check opens it first)
			if _, errOut, code := runCLI(t, "--demo", "--db", db, "list"); code != 1 ||
				!strings.Contains(errOut, "database damaged: "+db) || !strings.Contains(errOut, "orderdesk salvage NEW.db --db "+db) {
				t.Errorf("orderdesk --demo list: exit %d, want 1 saying database damaged and salvage; stderr:\n%s", code, errOut)
			}
			dst := filepath.Join(t.TempDir(), "saved.db")
			out, errOut, code := d.run(db, "salvage", dst)
			if code != 0 || !strings.Contains(out, "orders") {
				t.Fatalf("salvage: exit %d\n%s%s", code, out, errOut)
			}
			list, errOut, code := d.run(dst, "list", "--format", "json")
			if code != 0 {
				t.Fatalf("list of the salvaged database: exit %d: %s", code, errOut)
			}
			if name == "truncated" {
				if !strings.Contains(out, "lost:") || len(list) < 100 {
					t.Errorf("salvage of a cut file:\n%s\nlist %.200s", out, list)
				}
				return
			}
			// No record was on the damaged page: everything is back.
			if list != d.list {
				t.Errorf("salvaged orders differ from the original's\nsalvage said:\n%s", out)
			}
			if pending, _, _ := d.run(dst, "pending", "--format", "json"); pending != d.outbox {
				t.Errorf("salvaged outbox differs:\n%s\nwant\n%s", pending, d.outbox)
			}
			if _, errOut, code := d.run(dst, "salvage", filepath.Join(t.TempDir(), "x.db"), "--db", dst); code != 0 {
				t.Errorf("salvage of a salvaged database: exit %d %s", code, errOut)
			}
			if _, _, code := d.run(db, "salvage", dst); code != 2 {
				t.Errorf("salvage into an existing file: exit %d, want 2", code)
			}
		})
	}
}

// A flipped page that `list` never reads: list works, then the first write
// finds the damage, and nothing is written from then on.
func TestDamageFoundMidSyncWritesNothing(t *testing.T) {
	t.Parallel()
	d := newDamagedDesk(t)
	db := d.copyWith(t, func(b []byte, m fileMeta) []byte { return b })
	bdb, err := bolt.Open(db, 0o600, &bolt.Options{ReadOnly: true, Timeout: time.Second})
	if err != nil {
		t.Fatal(err)
	}
	var created int
	_ = bdb.View(func(tx *bolt.Tx) error {
		created = int(tx.Bucket([]byte("created")).Root())
		return nil
	})
	_ = bdb.Close()
	if created == 0 {
		t.Fatal("the created index is inline: no page to damage")
	}
	b, _ := os.ReadFile(db)
	m := readFileMeta(t, b)
	b[created*m.pageSize+8] ^= 0xFF // the page's type
	if err := os.WriteFile(db, b, 0o600); err != nil {
		t.Fatal(err)
	}
	if list, errOut, code := d.run(db, "list", "--format", "json"); code != 0 || list != d.list {
		t.Fatalf("list: exit %d %s", code, errOut)
	}
	before, _ := os.ReadFile(db)
	_, errOut, code := d.run(db, "sync")
	if code != 1 || !strings.Contains(errOut, "database damaged") || strings.Contains(errOut, "goroutine ") {
		t.Errorf("sync: exit %d, want 1 with database damaged:\n%s", code, errOut)
	}
	if after, _ := os.ReadFile(db); !bytes.Equal(before, after) {
		t.Error("sync wrote to the database after finding it damaged")
	}
}
