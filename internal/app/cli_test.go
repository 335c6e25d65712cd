package app

import (
	"encoding/csv"
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"orderdesk/backend"
	"orderdesk/backend/platforms"
	"orderdesk/backend/simshop"
	"orderdesk/ui/cli"
)

// The commands of ui/cli driven through run(), in this process, against
// simulated shops: what the binary's tests in e2e/ do, without building
// and starting it, so each test takes a fraction of a second. Every rig
// has its own shops, config and database, so the tests run in parallel.

// cliRig is simulated shops, a config file pointing at them (secrets
// inline, the file 0600) and a database file.
type cliRig struct {
	t        *testing.T
	cfg, db  string
	dir      string
	shops    map[string]*simshop.Server // by shop name
	platform map[string]backend.Platform
}

// rigShops are the shops a rig can have, one per platform, by name.
var rigShops = map[string]backend.Platform{
	"eu": backend.Fecshop, "cn": backend.Fecmall, "sl": backend.Shopline, "ym": backend.YMCart,
}

// newCLIRig starts the named shops (of rigShops, in that order in the
// config) with orders orders each.
func newCLIRig(t *testing.T, orders int, names ...string) *cliRig {
	t.Helper()
	r := &cliRig{t: t, dir: t.TempDir(), shops: map[string]*simshop.Server{}, platform: map[string]backend.Platform{}}
	r.cfg = filepath.Join(r.dir, "config.toml")
	r.db = filepath.Join(r.dir, "orderdesk.db")
	var cfg strings.Builder
	cfg.WriteString("timezone = \"UTC\"\noperator = \"tester\"\n")
	for i, name := range names {
		p, ok := rigShops[name]
		if !ok {
			t.Fatalf("no rig shop %q", name)
		}
		srv, err := simshop.New(p, simshop.Options{Seed: int64(20 + i), Orders: orders, Timezone: time.UTC})
		if err != nil {
			t.Fatal(err)
		}
		t.Cleanup(srv.Close)
		r.shops[name], r.platform[name] = srv, p
		sc := srv.Config(name)
		fmt.Fprintf(&cfg, "\n[[shops]]\nname = %q\nplatform = %q\nurl = %q\ntimezone = \"UTC\"\nrate = 1000\nburst = 100\n", name, p, sc.URL)
		if p == backend.Fecshop {
			fmt.Fprintf(&cfg, "username = %q\npassword = %q\n", sc.Username, sc.Password.Reveal())
		} else {
			fmt.Fprintf(&cfg, "token = %q\n", sc.Token.Reveal())
		}
		if p == backend.Shopline {
			fmt.Fprintf(&cfg, "api_version = %q\n", sc.APIVersion)
		}
	}
	if err := os.WriteFile(r.cfg, []byte(cfg.String()), 0o600); err != nil {
		t.Fatal(err)
	}
	return r
}

// run runs a command line with the rig's config and database.
func (r *cliRig) run(args ...string) (stdout, stderr string, code int) {
	r.t.Helper()
	return runCLI(r.t, append([]string{"--config", r.cfg, "--db", r.db}, args...)...)
}

// must runs a command line that must exit with want, and returns its
// outputs.
func (r *cliRig) must(want int, args ...string) (stdout, stderr string) {
	r.t.Helper()
	stdout, stderr, code := r.run(args...)
	if code != want {
		r.t.Fatalf("orderdesk %s: exit %d, want %d\nstdout:\n%s\nstderr:\n%s", strings.Join(args, " "), code, want, stdout, stderr)
	}
	return stdout, stderr
}

// fails runs a command line that must exit with want and say wantErr on
// stderr.
func (r *cliRig) fails(want int, wantErr string, args ...string) (stdout, stderr string) {
	r.t.Helper()
	stdout, stderr = r.must(want, args...)
	if !strings.Contains(stderr, wantErr) {
		r.t.Errorf("orderdesk %s: stderr does not say %q:\n%s", strings.Join(args, " "), wantErr, stderr)
	}
	return stdout, stderr
}

// listJSON returns `list --format json` with more args.
func (r *cliRig) listJSON(args ...string) []backend.Order {
	r.t.Helper()
	out, _ := r.must(cli.ExitOK, append([]string{"list", "--format", "json"}, args...)...)
	var orders []backend.Order
	if err := json.Unmarshal([]byte(out), &orders); err != nil {
		r.t.Fatalf("list --format json: %v\n%.300s", err, out)
	}
	return orders
}

// outbox returns `pending --format json`.
func (r *cliRig) outbox() []backend.Edit {
	r.t.Helper()
	out, _ := r.must(cli.ExitOK, "pending", "--format", "json")
	var edits []backend.Edit
	if err := json.Unmarshal([]byte(out), &edits); err != nil {
		r.t.Fatalf("pending --format json: %v\n%.300s", err, out)
	}
	return edits
}

// pick returns an order of shop that its adapter accepts a for (as the
// shop has it; the cache has the same after a sync), and its REF.
func (r *cliRig) pick(shop string, a backend.Action) (*backend.Order, string) {
	r.t.Helper()
	srv := r.shops[shop]
	adapter, err := platforms.Open(srv.Config(shop))
	if err != nil {
		r.t.Fatal(err)
	}
	for _, o := range srv.Orders() {
		if adapter.Check(o, a) == nil {
			return o, shop + ":" + o.Number
		}
	}
	r.t.Fatalf("no order of %s takes %+v", shop, a)
	return nil, ""
}

// writes is how many write requests shop received.
func (r *cliRig) writes(shop string) int { return len(r.shops[shop].Writes()) }

// shopOrder is the shop's own copy of order number.
func (r *cliRig) shopOrder(shop, number string) *backend.Order {
	r.t.Helper()
	o, ok := r.shops[shop].Order(number)
	if !ok {
		r.t.Fatalf("%s has no order %s", shop, number)
	}
	return o
}

func hasRemark(o *backend.Order, text string) bool {
	return slices.ContainsFunc(o.Remarks, func(rm backend.Remark) bool { return strings.Contains(rm.Text, text) })
}

// list prints the cached orders as a table, JSON and CSV, each holding
// every synced order; --limit, --shop and --filter narrow them; bad
// values are usage errors (exit 2) that say what is wrong.
func TestCLIListFormats(t *testing.T) {
	t.Parallel()
	r := newCLIRig(t, 5, "eu", "sl", "ym")
	if got := r.listJSON(); len(got) != 0 {
		t.Fatalf("list before any sync: %d orders, want none", len(got))
	}
	r.must(cli.ExitOK, "sync")

	truth := map[string]*backend.Order{}
	for name, srv := range r.shops {
		for _, o := range srv.Orders() {
			truth[name+":"+o.Number] = o
		}
	}
	orders := r.listJSON()
	if len(orders) != len(truth) {
		t.Fatalf("list --format json: %d orders, want %d", len(orders), len(truth))
	}
	for i, o := range orders {
		want, ok := truth[o.Ref.String()]
		switch {
		case !ok:
			t.Errorf("list --format json has %s, which no shop has", o.Ref)
		case o.Totals.GrandTotal != want.Totals.GrandTotal || o.Customer.Name != want.Customer.Name:
			t.Errorf("%s: total %s, customer %q; the shop has %s, %q", o.Ref, o.Totals.GrandTotal, o.Customer.Name,
				want.Totals.GrandTotal, want.Customer.Name)
		}
		if i > 0 && o.CreatedAt.After(*orders[i-1].CreatedAt) {
			t.Errorf("list is not newest first: %s (%s) after %s (%s)", o.Ref, o.CreatedAt, orders[i-1].Ref, orders[i-1].CreatedAt)
		}
	}

	table, _ := r.must(cli.ExitOK, "list")
	lines := strings.Split(strings.TrimRight(table, "\n"), "\n")
	if len(lines) != len(truth)+1 || !strings.Contains(lines[0], "SHOP") || !strings.Contains(lines[0], "NUMBER") {
		t.Errorf("list (table): %d lines, want a header and %d rows:\n%s", len(lines), len(truth), table)
	}
	for ref, o := range truth {
		if !strings.Contains(table, o.Number) {
			t.Errorf("list (table) lacks %s", ref)
		}
	}

	for _, bom := range []bool{false, true} {
		args := []string{"list", "--format", "csv"}
		if bom {
			args = append(args, "--bom")
		}
		out, _ := r.must(cli.ExitOK, args...)
		if got := strings.HasPrefix(out, "\uFEFF"); got != bom {
			t.Errorf("%s: starts with a byte order mark: %v, want %v", strings.Join(args, " "), got, bom)
		}
		rows, err := csv.NewReader(strings.NewReader(strings.TrimPrefix(out, "\uFEFF"))).ReadAll()
		if err != nil {
			t.Fatalf("%s: %v", strings.Join(args, " "), err)
		}
		if len(rows) != len(truth)+1 {
			t.Errorf("%s: %d rows, want a header and %d", strings.Join(args, " "), len(rows), len(truth))
		}
	}

	if got := r.listJSON("--limit", "3"); len(got) != 3 || got[0].Ref != orders[0].Ref {
		t.Errorf("list --limit 3: %d orders, want the first 3 of the list", len(got))
	}
	sl := r.listJSON("--shop", "sl")
	if len(sl) != 5 || slices.ContainsFunc(sl, func(o backend.Order) bool { return o.Ref.Shop != "sl" }) {
		t.Errorf("list --shop sl: %d orders, some not sl's: %v", len(sl), sl)
	}
	paid := r.listJSON("--filter", "pay:paid")
	wantPaid := 0
	for _, o := range truth {
		if o.State.Payment == backend.PayPaid {
			wantPaid++
		}
	}
	if len(paid) != wantPaid || slices.ContainsFunc(paid, func(o backend.Order) bool { return o.State.Payment != backend.PayPaid }) {
		t.Errorf("list --filter pay:paid: %d orders, want the %d paid ones", len(paid), wantPaid)
	}

	r.fails(cli.ExitUsage, `--format "xml": want table, json, csv`, "list", "--format", "xml")
	r.fails(cli.ExitUsage, "nope", "list", "--shop", "nope")
	r.fails(cli.ExitUsage, "--bom is for --format csv", "list", "--bom")
	r.fails(cli.ExitUsage, "--limit must be 0", "list", "--limit", "-1")
	r.fails(cli.ExitUsage, "list takes no arguments", "list", "extra")
	if out, _ := r.fails(cli.ExitUsage, "orderdesk:", "list", "--filter", "pay:"); out != "" {
		t.Errorf("list with a bad filter printed %q", out)
	}
}

// show prints one cached order as text or JSON; an order not cached, a
// shop not configured, a bad format are usage errors that say so.
func TestCLIShow(t *testing.T) {
	t.Parallel()
	r := newCLIRig(t, 4, "sl", "ym")
	r.must(cli.ExitOK, "sync")
	o := r.shops["ym"].Orders()[0]
	ref := "ym:" + o.Number

	text, _ := r.must(cli.ExitOK, "show", ref)
	for _, want := range []string{ref, "(ymcart, id " + o.ID + ")", "Customer", o.Customer.Name, o.Totals.GrandTotal.String(), "Synced"} {
		if !strings.Contains(text, want) {
			t.Errorf("show %s lacks %q:\n%s", ref, want, text)
		}
	}
	if alone, _ := r.must(cli.ExitOK, "show", o.Number); alone != text {
		t.Errorf("show %s (no shop) differs from show %s:\n%s", o.Number, ref, alone)
	}
	out, _ := r.must(cli.ExitOK, "show", ref, "--format", "json")
	var got backend.Order
	if err := json.Unmarshal([]byte(out), &got); err != nil {
		t.Fatalf("show --format json: %v\n%s", err, out)
	}
	if got.Ref.String() != ref || got.ID != o.ID || got.Totals.GrandTotal != o.Totals.GrandTotal {
		t.Errorf("show --format json: %s id %s total %s; the shop has %s id %s total %s", got.Ref, got.ID, got.Totals.GrandTotal,
			ref, o.ID, o.Totals.GrandTotal)
	}

	if out, _ := r.fails(cli.ExitUsage, `no cached order "ym:SY-NOPE"`, "show", "ym:SY-NOPE"); out != "" {
		t.Errorf("show of an unknown order printed %q", out)
	}
	r.fails(cli.ExitUsage, "zz", "show", "zz:1")
	r.fails(cli.ExitUsage, "show takes one REF", "show")
	r.fails(cli.ExitUsage, `--format "yaml": want text, json`, "show", ref, "--format", "yaml")
}

// fetch reads orders from their shops into the cache, without a sync; an
// order the shop does not have fails (exit 1) and names it; --offline and
// a number without its shop are usage errors.
func TestCLIFetch(t *testing.T) {
	t.Parallel()
	r := newCLIRig(t, 4, "eu", "ym")
	o := r.shops["eu"].Orders()[1]
	ref := "eu:" + o.Number
	r.fails(cli.ExitUsage, "no cached order", "show", ref)
	out, _ := r.must(cli.ExitOK, "fetch", ref)
	if !strings.HasPrefix(out, ref+"  ") || strings.Count(out, "\n") != 1 {
		t.Errorf("fetch %s: %q, want one line for it", ref, out)
	}
	r.must(cli.ExitOK, "show", ref)
	if n := len(r.listJSON()); n != 1 {
		t.Errorf("after one fetch the cache has %d orders, want 1", n)
	}

	out, _ = r.fails(cli.ExitFailed, `fetch eu:99999999 failed: eu:99999999: the shop has no order "99999999"`, "fetch", ref, "eu:99999999")
	if !strings.HasPrefix(out, ref) {
		t.Errorf("fetch of a good and a missing order: stdout %q, want the good one's line", out)
	}
	r.fails(cli.ExitUsage, "cannot run with --offline", "--offline", "fetch", ref)
	r.fails(cli.ExitUsage, "say which shop", "fetch", "123")
	r.fails(cli.ExitUsage, "fetch takes one or more REFs", "fetch")
}

// An edit on each platform: what the shop receives, and what the command
// says and exits with. Fecmall is read-only and Fecshop has no remarks:
// the refusal is exit 2, and nothing reaches the shop.
func TestCLIEditOnEachPlatform(t *testing.T) {
	t.Parallel()
	t.Run("fecshop ship", func(t *testing.T) {
		t.Parallel()
		r := newCLIRig(t, 8, "eu")
		r.must(cli.ExitOK, "sync")
		const tracking = "1Z999AA10123456784"
		o, ref := r.pick("eu", backend.Action{Kind: backend.ActionShip, Shipment: backend.Shipment{Carrier: "UPS", TrackingNumber: tracking}})
		r.fails(cli.ExitUsage, "ship needs --carrier and --tracking", "ship", ref, "--carrier", "UPS")
		out, stderr := r.must(cli.ExitOK, "ship", ref, "--carrier", "UPS", "--tracking", tracking)
		if !strings.Contains(out, " done  "+ref) || !strings.Contains(stderr, "saved ") {
			t.Errorf("ship: stdout %q, stderr %q; want saved, then done", out, stderr)
		}
		if n := r.writes("eu"); n != 1 {
			t.Errorf("the shop received %d writes, want 1", n)
		}
		if got := r.shopOrder("eu", o.Number); !slices.ContainsFunc(got.Shipments, func(s backend.Shipment) bool { return s.TrackingNumber == tracking }) {
			t.Errorf("the shop's order has shipments %+v, want tracking %s", got.Shipments, tracking)
		}
		r.fails(cli.ExitUsage, "Fecshop", "remark", ref, "a note")
		if n := r.writes("eu"); n != 1 {
			t.Errorf("a refused remark reached the shop: %d writes", n)
		}
	})
	t.Run("fecmall read-only", func(t *testing.T) {
		t.Parallel()
		r := newCLIRig(t, 3, "cn")
		r.must(cli.ExitOK, "sync")
		ref := "cn:" + r.shops["cn"].Orders()[0].Number
		r.fails(cli.ExitUsage, "no write endpoints", "remark", ref, "a note")
		if n := r.writes("cn"); n != 0 {
			t.Errorf("a refused remark reached the shop: %d writes", n)
		}
		if edits := r.outbox(); len(edits) != 0 {
			t.Errorf("a refused remark was saved: %+v", edits)
		}
	})
	t.Run("shopline remark", func(t *testing.T) {
		t.Parallel()
		r := newCLIRig(t, 4, "sl")
		r.must(cli.ExitOK, "sync")
		o, ref := r.pick("sl", backend.Action{Kind: backend.ActionRemark, Remark: "checked"})
		out, _ := r.must(cli.ExitOK, "remark", ref, "packed", "twice")
		if !strings.Contains(out, " done  "+ref) {
			t.Errorf("remark: stdout %q, want done", out)
		}
		if got := r.shopOrder("sl", o.Number); !hasRemark(got, "packed twice") {
			t.Errorf("the shop's order has remarks %+v, want %q", got.Remarks, "packed twice")
		}
		if n := r.writes("sl"); n != 1 {
			t.Errorf("the shop received %d writes, want 1", n)
		}
	})
	t.Run("ymcart status and remark", func(t *testing.T) {
		t.Parallel()
		r := newCLIRig(t, 8, "ym")
		r.must(cli.ExitOK, "sync")
		adapter, err := platforms.Open(r.shops["ym"].Config("ym"))
		if err != nil {
			t.Fatal(err)
		}
		var ref, value string
		for _, v := range adapter.Capabilities().Status.Values {
			for _, o := range r.shops["ym"].Orders() {
				if ref == "" && adapter.Check(o, backend.Action{Kind: backend.ActionStatus, Status: v.Value}) == nil {
					ref, value = "ym:"+o.Number, v.Value
				}
			}
		}
		if ref == "" {
			t.Fatal("no order of ym takes a status")
		}
		// YMCart emails the customer on a status change: a script says --yes
		if out, _ := r.fails(cli.ExitUsage, "add --yes to confirm", "status", ref, value); out != "" {
			t.Errorf("status without --yes printed %q", out)
		}
		if n := r.writes("ym"); n != 0 {
			t.Errorf("status without --yes reached the shop: %d writes", n)
		}
		r.must(cli.ExitOK, "status", ref, value, "--yes")
		o, rref := r.pick("ym", backend.Action{Kind: backend.ActionRemark, Remark: "x"})
		r.must(cli.ExitOK, "remark", rref, "call", "first")
		if got := r.shopOrder("ym", o.Number); !hasRemark(got, "call first") {
			t.Errorf("the shop's order has remarks %+v, want %q", got.Remarks, "call first")
		}
		if n := r.writes("ym"); n != 2 {
			t.Errorf("the shop received %d writes, want 2 (status, remark)", n)
		}
		if edits := r.outbox(); len(edits) != 0 {
			t.Errorf("confirmed edits left in the outbox: %+v", edits)
		}
	})
}

// An edit made offline is saved and not sent (exit 3); pending lists it;
// the next sync sends it (exit 0) and empties the outbox.
func TestCLIOfflineEditQueued(t *testing.T) {
	t.Parallel()
	r := newCLIRig(t, 4, "sl")
	r.must(cli.ExitOK, "sync")
	o, ref := r.pick("sl", backend.Action{Kind: backend.ActionRemark, Remark: "x"})
	out, _ := r.must(cli.ExitQueued, "--offline", "remark", ref, "gift wrap")
	if !strings.Contains(out, " queued  "+ref) || !strings.Contains(out, "offline") {
		t.Errorf("offline remark: stdout %q, want queued (offline)", out)
	}
	if n := r.writes("sl"); n != 0 {
		t.Fatalf("an offline edit reached the shop: %d writes", n)
	}
	edits := r.outbox()
	if len(edits) != 1 || edits[0].State != backend.EditPending || edits[0].Ref.String() != ref || edits[0].Operator != "tester" {
		t.Fatalf("pending --format json: %+v, want one pending edit on %s by tester", edits, ref)
	}
	table, _ := r.must(cli.ExitOK, "pending")
	if !strings.Contains(table, edits[0].ID) || !strings.Contains(table, "pending") {
		t.Errorf("pending (table) lacks %s:\n%s", edits[0].ID, table)
	}
	r.fails(cli.ExitUsage, "cannot run with --offline", "--offline", "sync")

	out, stderr := r.must(cli.ExitOK, "sync")
	if !strings.Contains(out, "1 done") || !strings.Contains(stderr, edits[0].ID+" done") {
		t.Errorf("sync: stdout %q, stderr %q; want the edit done", out, stderr)
	}
	if got := r.shopOrder("sl", o.Number); !hasRemark(got, "gift wrap") || r.writes("sl") != 1 {
		t.Errorf("after the sync the shop has remarks %+v after %d writes, want %q after 1", got.Remarks, r.writes("sl"), "gift wrap")
	}
	if out, _ := r.must(cli.ExitOK, "pending"); out != "no pending edits\n" {
		t.Errorf("pending after the sync: %q", out)
	}
}

// An edit the shop rejects fails (exit 1) and stays in the outbox with
// the shop's reason; pending retry sends it again (exit 0); a retry of a
// done or unknown edit is a usage error.
func TestCLIPendingRetry(t *testing.T) {
	t.Parallel()
	r := newCLIRig(t, 4, "sl")
	r.must(cli.ExitOK, "sync")
	o, ref := r.pick("sl", backend.Action{Kind: backend.ActionRemark, Remark: "x"})
	r.shops["sl"].Inject(simshop.Fault{Kind: simshop.FaultStatus, Status: 422, On: simshop.Writes})
	out, _ := r.fails(cli.ExitFailed, "kept in the outbox", "remark", ref, "fragile")
	if !strings.Contains(out, " failed  "+ref) {
		t.Errorf("rejected remark: stdout %q, want failed", out)
	}
	if hasRemark(r.shopOrder("sl", o.Number), "fragile") {
		t.Fatal("the shop has a remark it rejected")
	}
	edits := r.outbox()
	if len(edits) != 1 || edits[0].State != backend.EditFailed || !strings.Contains(edits[0].Error, "422") {
		t.Fatalf("pending --format json: %+v, want one failed edit with the shop's 422", edits)
	}
	id := edits[0].ID

	out, stderr := r.must(cli.ExitOK, "pending", "retry", id)
	if !strings.Contains(out, id+" done  "+ref) || !strings.Contains(stderr, "retry asked") {
		t.Errorf("pending retry: stdout %q, stderr %q; want it done", out, stderr)
	}
	if !hasRemark(r.shopOrder("sl", o.Number), "fragile") || r.writes("sl") != 2 {
		t.Errorf("after the retry: remarks %+v after %d writes, want %q after 2", r.shopOrder("sl", o.Number).Remarks, r.writes("sl"), "fragile")
	}
	if edits := r.outbox(); len(edits) != 0 {
		t.Errorf("the outbox after the retry: %+v", edits)
	}
	r.fails(cli.ExitUsage, "nothing changed", "pending", "retry", id)
	r.fails(cli.ExitUsage, "`orderdesk pending` lists the open edits", "pending", "retry", "E-NOPE")
	r.fails(cli.ExitUsage, "pending takes no arguments, or retry ID, or discard ID", "pending", "resend", id)
	r.fails(cli.ExitUsage, `--format "csv": want table, json`, "pending", "--format", "csv")
}

// pending discard drops an edit from the outbox: never sent, kept in the
// order's history. A script needs --yes (without it nothing changes).
func TestCLIPendingDiscard(t *testing.T) {
	t.Parallel()
	r := newCLIRig(t, 4, "ym")
	r.must(cli.ExitOK, "sync")
	_, ref := r.pick("ym", backend.Action{Kind: backend.ActionRemark, Remark: "x"})
	r.must(cli.ExitQueued, "--offline", "remark", ref, "wrong order")
	edits := r.outbox()
	if len(edits) != 1 {
		t.Fatalf("outbox: %+v, want one edit", edits)
	}
	id := edits[0].ID

	r.fails(cli.ExitUsage, "add --yes to confirm", "pending", "discard", id)
	if edits := r.outbox(); len(edits) != 1 || edits[0].State != backend.EditPending {
		t.Fatalf("a discard without --yes changed the outbox: %+v", edits)
	}
	out, _ := r.must(cli.ExitOK, "pending", "discard", id, "--yes")
	if !strings.Contains(out, id+" discarded  "+ref) {
		t.Errorf("pending discard: stdout %q, want discarded", out)
	}
	if edits := r.outbox(); len(edits) != 0 {
		t.Errorf("the outbox after the discard: %+v", edits)
	}
	r.must(cli.ExitOK, "sync")
	if n := r.writes("ym"); n != 0 {
		t.Errorf("a discarded edit reached the shop: %d writes", n)
	}
	if show, _ := r.must(cli.ExitOK, "show", ref); !strings.Contains(show, id+" discarded") {
		t.Errorf("show %s does not keep the discarded edit in its history:\n%s", ref, show)
	}
	r.fails(cli.ExitUsage, "nothing changed", "pending", "discard", id, "--yes")
}

// A sync where one shop fails: the others are synced, the failing one is
// named on stderr and in the table, and the exit code is 1 (cron can
// tell); a later sync of a good shop alone exits 0.
func TestCLISyncOneShopFailing(t *testing.T) {
	t.Parallel()
	r := newCLIRig(t, 3, "eu", "cn", "sl", "ym")
	r.shops["cn"].Inject(simshop.Fault{Kind: simshop.FaultStatus, Status: 403, On: simshop.Reads, Times: 1000})
	out, stderr := r.must(cli.ExitFailed, "sync")
	if !strings.Contains(stderr, "orderdesk: sync cn failed") || !strings.Contains(stderr, "(1 failed)") {
		t.Errorf("sync stderr does not name cn failing:\n%s", stderr)
	}
	rows := strings.Split(strings.TrimRight(out, "\n"), "\n")
	if len(rows) != 5 {
		t.Fatalf("sync table: %d lines, want a header and 4 shops:\n%s", len(rows), out)
	}
	for _, row := range rows[1:] {
		failed := strings.Contains(row, "FAILED")
		if strings.HasPrefix(row, "cn ") != failed {
			t.Errorf("sync table row %q: failed %v", row, failed)
		}
	}
	for name := range r.shops {
		want := 3
		if name == "cn" {
			want = 0
		}
		if n := len(r.listJSON("--shop", name)); n != want {
			t.Errorf("after the sync %s has %d cached orders, want %d", name, n, want)
		}
	}
	out, _ = r.must(cli.ExitOK, "sync", "--shop", "eu")
	if strings.Count(out, "\n") != 2 || !strings.Contains(out, "eu ") {
		t.Errorf("sync --shop eu: %q, want eu's row alone", out)
	}
	r.fails(cli.ExitUsage, "nope", "sync", "--shop", "nope")
	r.fails(cli.ExitUsage, "sync takes no arguments", "sync", "now")
}

// import-tracking plans every row of a file (a dry run saves and sends
// nothing), then ships the rows it can: the shop receives one write per
// shipped row, and a row naming no cached order makes the exit 1.
func TestCLIImportTracking(t *testing.T) {
	t.Parallel()
	r := newCLIRig(t, 12, "eu")
	r.must(cli.ExitOK, "sync")
	adapter, err := platforms.Open(r.shops["eu"].Config("eu"))
	if err != nil {
		t.Fatal(err)
	}
	tracking := []string{"1Z999AA10123456784", "1Z999AA10123456785"}
	var numbers []string
	for _, o := range r.shops["eu"].Orders() {
		a := backend.Action{Kind: backend.ActionShip, Shipment: backend.Shipment{Carrier: "UPS", TrackingNumber: tracking[0]}}
		if len(numbers) < 2 && adapter.Check(o, a) == nil {
			numbers = append(numbers, o.Number)
		}
	}
	if len(numbers) < 2 {
		t.Fatal("fewer than 2 orders of eu can be shipped")
	}
	file := filepath.Join(r.dir, "tracking.csv")
	content := fmt.Sprintf("order,carrier,tracking\n%s,UPS,%s\n%s,UPS,%s\n99999999,UPS,1Z999AA10123456786\n",
		numbers[0], tracking[0], numbers[1], tracking[1])
	if err := os.WriteFile(file, []byte(content), 0o600); err != nil {
		t.Fatal(err)
	}
	type row struct {
		Line   int    `json:"line"`
		Ref    string `json:"ref"`
		Result string `json:"result"`
	}
	results := func(out string) []row {
		t.Helper()
		var rows []row
		if err := json.Unmarshal([]byte(out), &rows); err != nil {
			t.Fatalf("import-tracking --format json: %v\n%s", err, out)
		}
		return rows
	}

	out, stderr := r.must(cli.ExitFailed, "import-tracking", file, "--dry-run", "--format", "json")
	if rows := results(out); len(rows) != 3 || rows[2].Result == rows[0].Result {
		t.Errorf("dry run: %+v, want 3 rows, the last one rejected", rows)
	}
	if !strings.Contains(stderr, "nothing saved or sent") || r.writes("eu") != 0 || len(r.outbox()) != 0 {
		t.Fatalf("the dry run saved or sent something: %d writes; stderr %q", r.writes("eu"), stderr)
	}

	table, _ := r.must(cli.ExitFailed, "import-tracking", file, "--dry-run")
	if lines := strings.Split(strings.TrimRight(table, "\n"), "\n"); len(lines) != 4 || !strings.Contains(table, numbers[0]) || !strings.Contains(table, "99999999") {
		t.Errorf("dry run (table): want a header and 3 rows:\n%s", table)
	}

	out, _ = r.must(cli.ExitFailed, "import-tracking", file, "--format", "json")
	rows := results(out)
	if len(rows) != 3 || rows[0].Ref != "eu:"+numbers[0] || rows[1].Ref != "eu:"+numbers[1] {
		t.Errorf("import: %+v, want rows for eu:%s and eu:%s", rows, numbers[0], numbers[1])
	}
	if n := r.writes("eu"); n != 2 {
		t.Errorf("the shop received %d writes, want 2", n)
	}
	for i, n := range numbers {
		if got := r.shopOrder("eu", n); !slices.ContainsFunc(got.Shipments, func(s backend.Shipment) bool { return s.TrackingNumber == tracking[i] }) {
			t.Errorf("eu:%s has shipments %+v, want tracking %s", n, got.Shipments, tracking[i])
		}
	}
	r.fails(cli.ExitUsage, "import-tracking takes one FILE", "import-tracking")
	r.fails(cli.ExitUsage, `--format "csv": want table, json`, "import-tracking", file, "--format", "csv")
}

// An edit whose send gets no usable answer (HTTP 500: the shop may have
// applied it) is not confirmed: exit 3. The desk reads the order back at
// once and, the remark not there, keeps the edit queued to be sent again;
// the next sync sends it (exit 0) and the shop has it once.
func TestCLIEditLostAnswer(t *testing.T) {
	t.Parallel()
	r := newCLIRig(t, 4, "sl")
	r.must(cli.ExitOK, "sync")
	o, ref := r.pick("sl", backend.Action{Kind: backend.ActionRemark, Remark: "x"})
	r.shops["sl"].Inject(simshop.Fault{Kind: simshop.FaultStatus, Status: 500, On: simshop.Writes})
	out, _ := r.fails(cli.ExitQueued, "not yet confirmed by the shop; `orderdesk sync` sends it", "remark", ref, "leave at door")
	if !strings.Contains(out, " queued  "+ref) || !strings.Contains(out, "not applied") {
		t.Errorf("remark answered 500: stdout %q, want queued, read back not applied", out)
	}
	if edits := r.outbox(); len(edits) != 1 || edits[0].State != backend.EditPending {
		t.Fatalf("outbox: %+v, want one pending edit", edits)
	}
	r.must(cli.ExitOK, "sync")
	n := 0
	for _, rm := range r.shopOrder("sl", o.Number).Remarks {
		if strings.Contains(rm.Text, "leave at door") {
			n++
		}
	}
	if n != 1 || len(r.outbox()) != 0 {
		t.Errorf("after the sync the shop has the remark %d times (want 1), the outbox %d edits (want 0)", n, len(r.outbox()))
	}
}

// An offline edit whose order someone else changed on the shop ends in
// conflict at the next sync (exit 1); pending shows what the operator saw
// beside what the shop has now, and pending retry (which shows them too)
// decides it on the shop's order and sends it.
func TestCLIConflictRetry(t *testing.T) {
	t.Parallel()
	r := newCLIRig(t, 4, "ym")
	r.must(cli.ExitOK, "sync")
	o, ref := r.pick("ym", backend.Action{Kind: backend.ActionRemark, Remark: "x"})
	r.must(cli.ExitQueued, "--offline", "remark", ref, "ours")
	adapter, err := platforms.Open(r.shops["ym"].Config("ym"))
	if err != nil {
		t.Fatal(err)
	}
	if _, err := adapter.Apply(t.Context(), r.shopOrder("ym", o.Number), backend.Action{Kind: backend.ActionRemark, Remark: "theirs"}); err != nil {
		t.Fatal(err)
	}
	writes := r.writes("ym")
	if orders := r.listJSON("--shop", "ym"); !slices.ContainsFunc(orders, func(c backend.Order) bool {
		return c.Ref.String() == ref && len(c.Pending) == 1
	}) {
		t.Errorf("list --format json does not show the pending edit on %s", ref)
	}
	r.fails(cli.ExitFailed, "this sync left 1 edit(s) failed or in conflict", "sync")
	if r.writes("ym") != writes || hasRemark(r.shopOrder("ym", o.Number), "ours") {
		t.Fatal("an edit in conflict was sent")
	}
	edits := r.outbox()
	if len(edits) != 1 || edits[0].State != backend.EditConflict {
		t.Fatalf("outbox: %+v, want one edit in conflict", edits)
	}
	id := edits[0].ID
	table, _ := r.must(cli.ExitOK, "pending")
	for _, want := range []string{id, "conflict", "YOU SAW", "THE SHOP HAS NOW", "pending retry " + id} {
		if !strings.Contains(table, want) {
			t.Errorf("pending lacks %q:\n%s", want, table)
		}
	}
	// the conflict is not new: a sync exits 0 (it says the edit waits)
	r.fails(cli.ExitOK, "1 edit(s) failed or in conflict wait for you", "sync")

	out, _ := r.must(cli.ExitOK, "pending", "retry", id)
	if !strings.Contains(out, "YOU SAW") || !strings.Contains(out, id+" done  "+ref) {
		t.Errorf("pending retry of a conflict: stdout %q, want the sides, then done", out)
	}
	if got := r.shopOrder("ym", o.Number); !hasRemark(got, "ours") || !hasRemark(got, "theirs") {
		t.Errorf("after the retry the shop has remarks %+v, want ours and theirs", got.Remarks)
	}
}

// doctor checks the config, the database and every shop, and writes its
// report as a table or as JSON. Two doctors run at once in this process
// keep their own flags (they once shared them: one run a process).
func TestCLIDoctor(t *testing.T) {
	t.Parallel()
	r := newCLIRig(t, 2, "sl", "ym")
	r.must(cli.ExitOK, "sync")
	type result struct {
		out, errOut string
		code        int
	}
	var jsonRun, tableRun result
	var wg sync.WaitGroup
	wg.Go(func() { jsonRun.out, jsonRun.errOut, jsonRun.code = r.run("doctor", "--format", "json") })
	wg.Go(func() { tableRun.out, tableRun.errOut, tableRun.code = r.run("doctor", "--shop", "ym") })
	wg.Wait()

	var report struct {
		Shops []struct {
			Shop string `json:"shop"`
		} `json:"shops"`
	}
	if err := json.Unmarshal([]byte(jsonRun.out), &report); err != nil || jsonRun.code != cli.ExitOK {
		t.Fatalf("doctor --format json: exit %d, %v\n%s%s", jsonRun.code, err, jsonRun.out, jsonRun.errOut)
	}
	if len(report.Shops) != 2 {
		t.Errorf("doctor --format json: %d shops, want 2:\n%s", len(report.Shops), jsonRun.out)
	}
	if tableRun.code != cli.ExitOK || !strings.Contains(tableRun.out, "ym") || strings.Contains(tableRun.out, "sl ") ||
		strings.HasPrefix(tableRun.out, "{") {
		t.Errorf("doctor --shop ym: exit %d, want 0 and a table of ym alone:\n%s%s", tableRun.code, tableRun.out, tableRun.errOut)
	}
	r.fails(cli.ExitUsage, "no shop named", "doctor", "--shop", "nope")
	r.fails(cli.ExitUsage, "cannot run with --offline", "--offline", "doctor")
}
