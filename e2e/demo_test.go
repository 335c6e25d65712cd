package e2e

import (
	"encoding/json"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"orderdesk/backend"
)

// demoShopsDir is where `--demo --db FILE` keeps its simulated shops,
// FILE.demo-shops/, the directory its messages name.
func demoShopsDir(db string) string { return db + ".demo-shops" }

// demoRun runs `orderdesk --demo --demo-orders 20 --db DB args…` and
// fails the test unless it exits with want.
func demoRun(t *testing.T, db string, want int, args ...string) (stdout, stderr string) {
	t.Helper()
	stdout, stderr, code := runCLI(t, append([]string{"--demo", "--demo-orders", "20", "--db", db}, args...)...)
	if code != want {
		t.Fatalf("orderdesk --demo --db %s %s: exit %d, want %d\nstdout:\n%s\nstderr:\n%s", db, strings.Join(args, " "), code, want, stdout, stderr)
	}
	return stdout, stderr
}

// demoOrders returns `list --format json` of one demo shop.
func demoOrders(t *testing.T, db, shop string) []backend.Order {
	t.Helper()
	out, _ := demoRun(t, db, 0, "list", "--shop", shop, "--format", "json")
	var orders []backend.Order
	if err := json.Unmarshal([]byte(out), &orders); err != nil {
		t.Fatalf("list json: %v\n%.300s", err, out)
	}
	return orders
}

// demoShow returns `show REF --format json`.
func demoShow(t *testing.T, db, ref string) backend.Order {
	t.Helper()
	out, _ := demoRun(t, db, 0, "show", ref, "--format", "json")
	var o backend.Order
	if err := json.Unmarshal([]byte(out), &o); err != nil {
		t.Fatalf("show json: %v\n%.300s", err, out)
	}
	return o
}

// TestDemoKeepsItsShops: `--demo --db X` keeps its shops beside the
// database. A cancel, a ship and a remark made in one run are the shops'
// own state in the next: after a sync the order shows cancelled and
// shipped, and a database started fresh on a copy of the kept shops reads
// the same from the shops alone.
func TestDemoKeepsItsShops(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	db := filepath.Join(dir, "demo.db")
	var cancel, ship string
	for _, o := range demoOrders(t, db, "sl-global") {
		if o.State.Order == backend.OrderOpen && o.State.Fulfillment == backend.FulUnfulfilled && !o.State.Archived && o.State.Payment == backend.PayPaid {
			cancel = o.Ref.String()
			break
		}
	}
	for _, o := range demoOrders(t, db, "ym-erp") {
		if o.RawStatus["order_status"] == "200" {
			ship = o.Ref.String()
			break
		}
	}
	if cancel == "" || ship == "" {
		t.Fatalf("no SHOPLINE order to cancel (%q) or YMCart order to ship (%q)", cancel, ship)
	}
	if fi, err := os.Stat(demoShopsDir(db)); err != nil || !fi.IsDir() {
		t.Fatalf("the demo shops are not kept in %s: %v", demoShopsDir(db), err)
	}
	demoRun(t, db, 0, "status", cancel, "cancel", "--yes")
	demoRun(t, db, 0, "ship", ship, "--carrier", "UPS", "--tracking", "1Z999AA10123456784", "--yes")
	demoRun(t, db, 0, "remark", ship, "left at the back door", "--yes")

	check := func(db, how string) {
		t.Helper()
		if o := demoShow(t, db, cancel); o.State.Order != backend.OrderCancelled || o.CancelledAt == nil {
			t.Errorf("%s: %s is %+v, want cancelled", how, cancel, o.State)
		}
		o := demoShow(t, db, ship)
		if len(o.Shipments) == 0 || o.Shipments[len(o.Shipments)-1].TrackingNumber != "1Z999AA10123456784" || o.State.Fulfillment != backend.FulFulfilled {
			t.Errorf("%s: %s has shipments %+v (%s), want the UPS one", how, ship, o.Shipments, o.State.Fulfillment)
		}
		if len(o.Remarks) == 0 || o.Remarks[len(o.Remarks)-1].Text != "left at the back door" {
			t.Errorf("%s: %s has remarks %+v", how, ship, o.Remarks)
		}
	}
	// the same database, synced in a second run
	if _, errOut := demoRun(t, db, 0, "sync"); strings.Contains(errOut, "cannot be used") {
		t.Fatalf("second run: %s", errOut)
	}
	check(db, "after a sync in a second run")

	// a new database on a copy of the kept shops: what the shops say
	fresh := filepath.Join(dir, "fresh.db")
	if out, err := exec.Command("cp", "-r", demoShopsDir(db), demoShopsDir(fresh)).CombinedOutput(); err != nil {
		t.Fatalf("copy the kept shops: %v %s", err, out)
	}
	check(fresh, "a fresh database synced from the kept shops")
}

// TestDemoKeptStateRefused: kept shops that cannot be read stop the demo
// with a message naming the file and what to do, and so does a database
// whose edits reached shops that are no longer kept; nothing is started
// over behind the operator's back.
func TestDemoKeptStateRefused(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	db := filepath.Join(dir, "demo.db")
	var ref string
	for _, o := range demoOrders(t, db, "ym-erp") {
		if o.RawStatus["order_status"] == "200" {
			ref = o.Ref.String()
			break
		}
	}
	demoRun(t, db, 0, "remark", ref, "kept?", "--yes")
	shop := filepath.Join(demoShopsDir(db), "ym-erp.json")
	data, err := os.ReadFile(shop)
	if err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(shop, data[:len(data)/2], 0o600); err != nil {
		t.Fatal(err)
	}
	_, errOut := demoRun(t, db, 1, "list")
	if !strings.Contains(errOut, shop) || !strings.Contains(errOut, "To start the demo over, delete "+demoShopsDir(db)) || strings.Contains(errOut, "panic") {
		t.Errorf("a damaged shop file: stderr %q; want it named, and how to start over", errOut)
	}
	if after, _ := os.ReadFile(shop); len(after) != len(data)/2 {
		t.Error("the damaged file was rewritten")
	}

	if err := os.RemoveAll(demoShopsDir(db)); err != nil {
		t.Fatal(err)
	}
	_, errOut = demoRun(t, db, 1, "list")
	if !strings.Contains(errOut, db+" holds edits made on the demo shops") || !strings.Contains(errOut, "To start the demo over, delete "+db) {
		t.Errorf("edits without kept shops: stderr %q; want a refusal naming the database", errOut)
	}
	if _, err := os.Stat(demoShopsDir(db)); err == nil {
		t.Error("the refused run created new demo shops")
	}
}
