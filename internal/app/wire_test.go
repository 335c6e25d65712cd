package app

import (
	"encoding/json"
	"io"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"orderdesk/backend"
	"orderdesk/ui/cli"
)

// openDemo chooses the demo's database without touching the globals:
// a throw-away file in its own directory, or --db (the shops then kept
// beside it).
func TestOpenDemoLeavesGlobals(t *testing.T) {
	t.Parallel()
	g := &globals{demo: true, demoOrders: 2}
	ds, err := openDemo(g, io.Discard)
	if err != nil {
		t.Fatal(err)
	}
	defer ds.shops.Close()
	defer os.RemoveAll(ds.tempDir)
	if g.db != "" {
		t.Errorf("openDemo set g.db to %q", g.db)
	}
	if ds.tempDir == "" || ds.db != filepath.Join(ds.tempDir, "demo.db") || len(ds.configs) != 4 {
		t.Errorf("openDemo without --db: db %q in %q, %d shops; want demo.db in a temporary directory, 4 shops", ds.db, ds.tempDir, len(ds.configs))
	}

	db := filepath.Join(t.TempDir(), "kept.db")
	g = &globals{demo: true, demoOrders: 2, db: db}
	kept, err := openDemo(g, io.Discard)
	if err != nil {
		t.Fatal(err)
	}
	defer kept.shops.Close()
	if kept.db != db || kept.tempDir != "" || g.db != db {
		t.Errorf("openDemo --db %s: db %q, tempDir %q, g.db %q", db, kept.db, kept.tempDir, g.db)
	}
	if _, err := os.Stat(demoShopsDir(db)); err != nil {
		t.Errorf("the demo shops are not kept beside --db: %v", err)
	}
}

// `orderdesk --demo list` in process: the demo shops are synced into a
// throw-away database first, then listed.
func TestDemoList(t *testing.T) {
	t.Parallel()
	out, errOut, code := runCLI(t, "--demo", "--demo-orders", "2", "list", "--format", "json")
	if code != cli.ExitOK {
		t.Fatalf("--demo list: exit %d\n%s", code, errOut)
	}
	var orders []backend.Order
	if err := json.Unmarshal([]byte(out), &orders); err != nil || len(orders) != 8 {
		t.Fatalf("--demo list --format json: %d orders (%v), want 8", len(orders), err)
	}
	if n := strings.Count(errOut, "orders synced"); n != 4 {
		t.Errorf("--demo list: %d shops said synced, want 4:\n%s", n, errOut)
	}
}
