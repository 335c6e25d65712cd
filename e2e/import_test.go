package e2e

import (
	"encoding/csv"
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"testing"
	"time"

	"golang.org/x/text/encoding/simplifiedchinese"

	"orderdesk/backend"
	"orderdesk/backend/simshop"
)

var longNumber = regexp.MustCompile(`[0-9]{6,}`)

// importRow is one row of `import-tracking --format json`.
type importRow struct {
	Line     int      `json:"line"`
	Order    string   `json:"order"`
	Ref      string   `json:"ref"`
	Carrier  string   `json:"carrier"`
	Tracking string   `json:"tracking"`
	Result   string   `json:"result"`
	Edit     string   `json:"edit"`
	Reason   string   `json:"reason"`
	Warnings []string `json:"warnings"`
}

func (r *rig) importJSON(want int, args ...string) []importRow {
	r.t.Helper()
	out := r.must(want, append([]string{"import-tracking", "--format", "json"}, args...)...)
	var rows []importRow
	if err := json.Unmarshal([]byte(out), &rows); err != nil {
		r.t.Fatalf("import json: %v\n%.300s", err, out)
	}
	return rows
}

func (r *rig) file(name, content string) string {
	r.t.Helper()
	p := filepath.Join(r.dir, name)
	if err := os.WriteFile(p, []byte(content), 0o600); err != nil {
		r.t.Fatal(err)
	}
	return p
}

// shippable returns up to n cached refs of a shop that a ship may go to,
// as the desk's own dry run says: each row of a file naming every order of
// the shop is planned, and the ready ones are kept.
func (r *rig) shippable(shop string, n int) []string {
	r.t.Helper()
	var b strings.Builder
	b.WriteString("order,carrier,tracking\n")
	for i, o := range r.listJSON("--shop", shop) {
		fmt.Fprintf(&b, "%s,SF Express,SF%013d\n", o.Ref, 9000000000000+i)
	}
	var out []string
	for _, row := range r.importJSON(1, r.file("probe-"+shop+".csv", b.String()), "--dry-run") {
		if row.Result == "ready" && len(out) < n {
			out = append(out, row.Ref)
		}
	}
	return out
}

func TestImportTrackingThroughTheBinary(t *testing.T) {
	t.Parallel()
	r := newRig(t, fourShops(40))
	r.must(0, "sync")
	ym := r.shippable("ym", 2)
	sl := r.shippable("sl", 1)
	cn := r.listJSON("--shop", "cn")[0]
	// GB18030, tab-separated, CRLF: what a spreadsheet on Chinese Windows saves
	text := "订单号\t物流公司\t快递单号\r\n" +
		ym[0] + "\t顺丰速运\tSF1234567890123\r\n" +
		"\r\n" +
		sl[0] + "\tUPS\t1Z999AA10123456785\r\n" + // check digit wrong: a warning, not a refusal
		"cn:" + cn.Number + "\tUPS\t1Z999AA10123456784\r\n" +
		"ym:NOPE\tUPS\t1Z12345E0205271688\r\n" +
		ym[0] + "\t顺丰速运\tSF1234567890123\r\n"
	gb, err := simplifiedchinese.GB18030.NewEncoder().String(text)
	if err != nil {
		t.Fatal(err)
	}
	path := r.file("today.csv", gb)

	plan := r.importJSON(1, path, "--dry-run")
	want := []struct {
		line          int
		result, about string
	}{
		{2, "ready", ""},
		{4, "ready", "check digit"},
		{5, "rejected", "fecmall cannot ship"},
		{6, "rejected", "unknown order ym:NOPE"},
		{7, "rejected", "duplicate of line 2"},
	}
	check := func(what string, rows []importRow, results map[string]string) {
		t.Helper()
		if len(rows) != len(want) {
			t.Fatalf("%s: %d rows, want %d: %+v", what, len(rows), len(want), rows)
		}
		for i, w := range want {
			row := rows[i]
			says := row.Reason + " " + strings.Join(row.Warnings, " ")
			res := w.result
			if results[res] != "" {
				res = results[res]
			}
			if row.Line != w.line || row.Result != res || !strings.Contains(says, w.about) {
				t.Errorf("%s line %d: %s %q, want line %d %s about %q", what, row.Line, row.Result, says, w.line, res, w.about)
			}
		}
	}
	check("plan", plan, nil)
	if len(r.shops["ym"].Writes())+len(r.shops["sl"].Writes()) != 0 {
		t.Fatal("the dry run wrote to a shop")
	}
	if plan[0].Carrier != "SF Express" {
		t.Errorf("carrier 顺丰速运 not recognised as SF Express: %q", plan[0].Carrier)
	}

	// a script: YMCart's ship emails the customer, so --yes is required
	_, errOut, code := r.run("import-tracking", path)
	if code != 2 || !strings.Contains(errOut, "--yes") {
		t.Fatalf("without --yes: exit %d\n%s", code, errOut)
	}
	if pendingCount(r) != 0 {
		t.Fatal("a refused import saved edits")
	}
	done := r.importJSON(1, path, "--yes")
	check("import", done, map[string]string{"ready": "done"})
	ymNumber := strings.TrimPrefix(ym[0], "ym:")
	slNumber := strings.TrimPrefix(sl[0], "sl:")
	if r.shops["ym"].Applied(ymNumber) != 1 || r.shops["sl"].Applied(slNumber) != 1 {
		t.Fatalf("applied ym %d, sl %d", r.shops["ym"].Applied(ymNumber), r.shops["sl"].Applied(slNumber))
	}
	if o, _ := r.shops["ym"].Order(ymNumber); len(o.Shipments) == 0 || o.Shipments[len(o.Shipments)-1].TrackingNumber != "SF1234567890123" {
		t.Fatalf("YMCart's order has no shipment SF1234567890123: %+v", o.Shipments)
	}

	// the same file again: nothing is sent; the good rows are already applied
	writes := len(r.shops["ym"].Writes()) + len(r.shops["sl"].Writes())
	again := r.importJSON(1, path, "--yes")
	check("again", again, map[string]string{"ready": "applied"})
	if w := len(r.shops["ym"].Writes()) + len(r.shops["sl"].Writes()); w != writes {
		t.Fatalf("the second import wrote %d times", w-writes)
	}
	// the table names every row's outcome
	out, _, _ := r.run("import-tracking", path, "--yes")
	for _, s := range []string{"already applied", "duplicate of line 2", "unknown order ym:NOPE"} {
		if !strings.Contains(out, s) {
			t.Errorf("table output lacks %q:\n%s", s, out)
		}
	}
	// a file it cannot read: exit 2, the problem named
	_, errOut, code = r.run("import-tracking", r.file("bad.csv", "order,carrier\nx,y\n"))
	if code != 2 || !strings.Contains(errOut, "no column for tracking") {
		t.Fatalf("bad header: exit %d\n%s", code, errOut)
	}
	_, errOut, code = r.run("import-tracking", filepath.Join(r.dir, "missing.csv"))
	if code != 2 || !strings.Contains(errOut, "cannot read the tracking file") {
		t.Fatalf("missing file: exit %d\n%s", code, errOut)
	}
}

// TestImportTracking500Rows imports 500 rows across three shops whose
// simulated servers enforce rate limits (answering 429 beyond them), with
// the desk configured just under each limit.
func TestImportTracking500Rows(t *testing.T) {
	t.Parallel()
	if testing.Short() {
		t.Skip("-short: 500 rows at the shops' rate limits take some 20 s")
	}
	shops := []rigShop{
		{"eu", backend.Fecshop, simshop.Options{Seed: 21, Orders: 70, Timezone: zone("Europe/Berlin"), Rate: 40, Burst: 40}, "rate = 35\nburst = 35\n"},
		{"sl", backend.Shopline, simshop.Options{Seed: 22, Orders: 320, Timezone: zone("Asia/Singapore"), Rate: 60, Burst: 60}, "rate = 55\nburst = 55\n"},
		{"ym", backend.YMCart, simshop.Options{Seed: 23, Orders: 640, Timezone: zone("Asia/Shanghai"), Rate: 10, Burst: 10}, "rate = 8\nburst = 8\n"},
	}
	r := newRig(t, shops)
	r.must(0, "sync")
	refs := append(append(r.shippable("eu", 20), r.shippable("sl", 180)...), r.shippable("ym", 300)...)
	if len(refs) != 500 {
		t.Fatalf("only %d shippable orders", len(refs))
	}
	var b strings.Builder
	b.WriteString("order,carrier,tracking\n")
	number := map[string]string{}
	for i, ref := range refs {
		number[ref] = fmt.Sprintf("SF%013d", 1000000000000+i)
		fmt.Fprintf(&b, "%s,SF Express,%s\n", ref, number[ref])
	}
	path := r.file("500.csv", b.String())
	for _, s := range r.shops {
		s.ResetRecord()
	}
	start := time.Now()
	rows := r.importJSON(0, path, "--yes")
	took := time.Since(start)
	for _, row := range rows {
		if row.Result != "done" {
			t.Errorf("line %d %s: %s %s", row.Line, row.Ref, row.Result, row.Reason)
		}
	}
	for _, ref := range refs {
		shop, n, _ := strings.Cut(ref, ":")
		if got := r.shops[shop].Applied(n); got != 1 {
			t.Errorf("%s applied %d times", ref, got)
		}
	}
	// YMCart: every orderShip call carries at most 20 orders, all 300 rows in 15 calls
	calls, shipped := 0, 0
	for _, w := range r.shops["ym"].Writes() {
		var entries []map[string]any
		if err := json.Unmarshal([]byte(w.Form.Get("shipno_res")), &entries); err != nil {
			t.Fatalf("%s: %v", w.Path, err)
		}
		calls++
		shipped += len(entries)
		if len(entries) > 20 {
			t.Errorf("orderShip with %d orders", len(entries))
		}
	}
	if shipped != 300 || calls != 15 {
		t.Errorf("YMCart: %d orders in %d calls, want 300 in 15", shipped, calls)
	}
	// within every shop's limit: no 429, and no second holds more than rate+burst requests
	for _, s := range shops {
		reqs := r.shops[s.name].Requests()
		for i, q := range reqs {
			if q.Status == 429 {
				t.Errorf("%s answered 429 to %s %s", s.name, q.Method, q.Path)
			}
			j := i
			for j < len(reqs) && reqs[j].Time.Sub(q.Time) < time.Second {
				j++
			}
			if j-i > int(s.opt.Rate)+s.opt.Burst {
				t.Errorf("%s: %d requests within a second from %s", s.name, j-i, q.Time)
				break
			}
		}
		byPath := map[string]int{}
		for _, q := range reqs {
			byPath[q.Method+" "+longNumber.ReplaceAllString(q.Path, ":id")]++
		}
		t.Logf("%s: %d requests %v", s.name, len(reqs), byPath)
	}
	t.Logf("500 rows imported in %s", took.Round(time.Millisecond))

	// the same file again applies nothing
	for _, s := range r.shops {
		s.ResetRecord()
	}
	for _, row := range r.importJSON(0, path, "--yes") {
		if row.Result != "applied" {
			t.Errorf("again: line %d %s: %s %s", row.Line, row.Ref, row.Result, row.Reason)
		}
	}
	for name, s := range r.shops {
		if n := len(s.Writes()); n != 0 {
			t.Errorf("%s: the second import wrote %d times", name, n)
		}
	}
}

func TestImportTrackingOfflineShopIsQueuedThenSynced(t *testing.T) {
	t.Parallel()
	r := newRig(t, fourShops(40))
	r.must(0, "sync")
	ym := r.shippable("ym", 2)
	sl := r.shippable("sl", 2)
	path := r.file("t.csv", "order,carrier,tracking\n"+
		ym[0]+",UPS,1Z999AA10123456784\n"+ym[1]+",UPS,1Z12345E0205271688\n"+
		sl[0]+",UPS,1Z12345E6605272234\n"+sl[1]+",UPS,1Z12345E0305271640\n")
	if err := r.shops["sl"].SetOffline(true); err != nil {
		t.Fatal(err)
	}
	rows := r.importJSON(3, path, "--yes")
	got := []string{}
	for _, row := range rows {
		got = append(got, row.Result)
	}
	if !slices.Equal(got, []string{"done", "done", "queued", "queued"}) {
		t.Fatalf("results %v\n%+v", got, rows)
	}
	if err := r.shops["sl"].SetOffline(false); err != nil {
		t.Fatal(err)
	}
	r.must(0, "sync")
	for _, ref := range append(ym, sl...) {
		shop, n, _ := strings.Cut(ref, ":")
		if a := r.shops[shop].Applied(n); a != 1 {
			t.Errorf("%s applied %d times", ref, a)
		}
	}
	if pendingCount(r) != 0 {
		t.Error("edits left in the outbox after the sync")
	}
}

// TestListCSVRoundTrips reads `list --format csv` back with encoding/csv,
// as a spreadsheet would, and finds every value of the JSON output.
func TestListCSVRoundTrips(t *testing.T) {
	t.Parallel()
	r := newRig(t, fourShops(40))
	r.must(0, "sync")
	filter := "-status:cancelled total>10"
	orders := r.listJSON("--filter", filter)
	out := r.must(0, "list", "--format", "csv", "--filter", filter)
	recs, err := csv.NewReader(strings.NewReader(out)).ReadAll()
	if err != nil {
		t.Fatal(err)
	}
	if len(orders) < 20 || len(recs) != len(orders)+1 {
		t.Fatalf("%d CSV records for %d orders", len(recs), len(orders))
	}
	col := map[string]int{}
	for i, h := range recs[0] {
		col[h] = i
	}
	for _, h := range []string{"ref", "created_at", "customer", "email", "status_label", "grand_total", "currency", "tracking_number", "tags"} {
		if _, ok := col[h]; !ok {
			t.Fatalf("no column %q in %v", h, recs[0])
		}
	}
	tricky := 0
	for i, o := range orders {
		rec := recs[i+1]
		var tracking []string
		for _, s := range o.Shipments {
			tracking = append(tracking, s.TrackingNumber)
		}
		want := map[string]string{
			"ref": o.Ref.String(), "created_at": o.CreatedAt.UTC().Format(time.RFC3339),
			"customer": o.Customer.Name, "email": o.Customer.Email, "status_label": o.StatusLabel,
			"grand_total": o.Totals.GrandTotal.String(), "currency": o.Currency,
			"tracking_number": strings.Join(tracking, "; "), "tags": strings.Join(o.Tags, "; "),
		}
		for h, w := range want {
			if rec[col[h]] != w {
				t.Errorf("%s %s: CSV %q, JSON %q", o.Ref, h, rec[col[h]], w)
			}
			if strings.ContainsAny(w, ",\"") || strings.ContainsFunc(w, func(r rune) bool { return r > 0x2E80 }) {
				tricky++
			}
		}
	}
	if tricky == 0 {
		t.Error("no value with a comma, a quote or CJK: the round trip proves little")
	}
}

// TestImportTrackingAsksOnATerminal runs import-tracking in a real
// terminal (tmux): the plan is shown with the warning, the question names
// the count; "n" saves nothing (exit 2), "y" ships (exit 0).
func TestImportTrackingAsksOnATerminal(t *testing.T) {
	t.Parallel()
	needTmux(t)
	out, errOut, code := runCLI(t, "--demo", "--demo-orders", "40", "list", "--filter", smokeShippable, "--format", "csv", "--limit", "2")
	if code != 0 {
		t.Fatalf("list: exit %d\n%s", code, errOut)
	}
	recs, err := csv.NewReader(strings.NewReader(out)).ReadAll()
	if err != nil || len(recs) != 3 {
		t.Fatalf("list: %v %v", err, recs)
	}
	dir := t.TempDir()
	path := filepath.Join(dir, "today.csv")
	data := "order,carrier,tracking\n" + recs[1][0] + ",UPS,1Z999AA10123456784\n" + recs[2][0] + ",UPS,1Z999AA10123456785\n"
	if err := os.WriteFile(path, []byte(data), 0o600); err != nil {
		t.Fatal(err)
	}
	for _, c := range []struct {
		answer, exit, after string
	}{{"n", "EXIT=2", "not confirmed; nothing saved"}, {"y", "EXIT=0", "2 done"}} {
		cmd := fmt.Sprintf("%s --demo --demo-orders 40 import-tracking %s", shellQuote(binary), shellQuote(path))
		d := startInTmux(t, "import-"+c.answer, 150, 30, isolatedEnv(t.TempDir()), cmd)
		d.waitFor("the plan and the question", smokeStart, func(s screen) bool {
			return s.has("Save and send 2 shipment(s), 1 with warnings? [y/N]") && s.has("will ship") &&
				s.has("looks like UPS 1Z") && s.has("2 of the shipments email the customer")
		})
		d.keys(c.answer)
		d.press("Enter")
		d.waitFor(c.after, smokeEditDone, func(s screen) bool { return s.has(c.exit) && s.has(c.after) })
	}
}
