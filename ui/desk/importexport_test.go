package desk

import (
	"encoding/csv"
	"errors"
	"io"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"

	tea "charm.land/bubbletea/v2"
	"github.com/charmbracelet/x/ansi"
	"github.com/charmbracelet/x/exp/golden"

	"orderdesk/backend"
	"orderdesk/keymap"
	"orderdesk/ui/form"
)

// importFile is a tracking file of the rig's orders: two that will ship
// (a YMCart order, which emails the customer, and a Shopline one), one
// whose tracking number the order already has, one unknown order and one
// on a platform that cannot ship.
type importFile struct {
	path            string
	ym, sl, shipped *backend.Order
	fecmall         *backend.Order
}

func writeImportFile(t *testing.T, r *rig) importFile {
	t.Helper()
	f := importFile{
		ym:      r.find("a paid, unshipped YMCart order", paidUnshipped(backend.YMCart)),
		sl:      r.find("a paid, unshipped Shopline order", paidUnshipped(backend.Shopline)),
		shipped: r.find("a Shopline order with tracking", func(o *backend.Order) bool { return o.Platform == backend.Shopline && len(o.Shipments) > 0 }),
		fecmall: r.find("a Fecmall order", func(o *backend.Order) bool { return o.Platform == backend.Fecmall }),
	}
	sh := f.shipped.Shipments[0]
	lines := []string{
		"order,carrier,tracking",
		f.ym.Ref.String() + ",UPS,1Z999AA10123456784",
		f.sl.Ref.String() + ",UPS,1Z12345E0205271688",
		f.shipped.Ref.String() + "," + sh.Carrier + "," + sh.TrackingNumber,
		"NO-SUCH-9,UPS,1Z12345E6605272234",
		f.fecmall.Ref.String() + ",UPS,1Z12345E0305271640",
	}
	f.path = filepath.Join(t.TempDir(), "track.csv")
	if err := os.WriteFile(f.path, []byte(strings.Join(lines, "\r\n")+"\r\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	return f
}

// find returns the first cached order that ok accepts (any tab).
func (r *rig) find(what string, ok func(o *backend.Order) bool) *backend.Order {
	r.t.Helper()
	for _, o := range r.cached() {
		if ok(o) {
			return o
		}
	}
	r.t.Fatalf("no cached order is %s", what)
	return nil
}

// clearInput empties the focused text input (ctrl+u deletes to the start).
func (r *rig) clearInput() {
	r.send(press(r.t, "end"))
	r.send(tea.KeyPressMsg{Code: 'u', Mod: tea.ModCtrl})
}

// importPlan opens the import, types the path and waits for the plan.
func (r *rig) importPlan(path string) *form.Sheet {
	r.t.Helper()
	r.keys("I")
	if _, ok := r.box().(*form.Prompt); !ok {
		r.t.Fatalf("I opened %T", r.box())
	}
	r.clearInput()
	r.typeText(path)
	r.send(press(r.t, "enter"))
	r.until("the plan shows", func() bool { _, ok := r.box().(*form.Sheet); return ok })
	return r.box().(*form.Sheet)
}

func (r *rig) outbox() []backend.Edit {
	r.t.Helper()
	edits, err := r.store.Edits("")
	if err != nil {
		r.t.Fatal(err)
	}
	return edits
}

func TestImportShowsThePlanAndCancelSavesNothing(t *testing.T) {
	t.Parallel()
	r := newRig(t, 10, 160, 50)
	f := writeImportFile(t, r)
	sheet := r.importPlan(f.path)
	s := r.screen()
	for _, want := range []string{
		"LINE", "ORDER", "TRACKING", "RESULT/REASON",
		"2 will ship, 1 already applied, 2 rejected; 1 emails the customer",
		f.ym.Ref.String(), "will ship · emails the customer",
		"already applied: the order already has this tracking number",
		"✗ rejected: unknown order NO-SUCH-9",
		"✗ rejected: fecmall cannot ship through the desk",
		"1 customer gets an email", "[ Send 2 shipment(s) ]", "[ Cancel ]",
	} {
		if !strings.Contains(s, want) {
			t.Errorf("the plan lacks %q", want)
		}
	}
	if t.Failed() {
		t.Fatalf("screen:\n%s", s)
	}
	if sheet.Confirming() {
		t.Fatal("the focus must start on Cancel")
	}
	r.keys("enter") // on Cancel
	if r.open() {
		t.Fatalf("enter on Cancel kept the sheet:\n%s", r.screen())
	}
	if n := len(r.outbox()); n != 0 {
		t.Fatalf("cancel saved %d edits", n)
	}
	// esc cancels too; the path is offered again
	r.keys("I")
	if p := r.box().(*form.Prompt); p.Value() != f.path {
		t.Fatalf("the prompt offers %q, want the last path %q", p.Value(), f.path)
	}
	r.send(press(t, "enter"))
	r.until("the plan shows", func() bool { _, ok := r.box().(*form.Sheet); return ok })
	r.keys("esc")
	r.settle()
	if r.open() || len(r.outbox()) != 0 || r.sim(f.ym.Shop).Applied(f.ym.Number) != 0 {
		t.Fatalf("esc: modal open %v, %d edits, %d applied", r.open(), len(r.outbox()), r.sim(f.ym.Shop).Applied(f.ym.Number))
	}
}

func TestImportSendsTheReadyRowsAndShowsResults(t *testing.T) {
	t.Parallel()
	r := newRig(t, 10, 160, 50)
	f := writeImportFile(t, r)
	r.importPlan(f.path)
	r.keys("y")
	r.until("the results show", func() bool { return r.importResults() })
	r.settle()
	s := r.screen()
	for _, want := range []string{"results", "2 done, 1 already applied, 2 rejected", "✓ done: E", "✗ rejected: unknown order NO-SUCH-9", "[ Close ]"} {
		if !strings.Contains(s, want) {
			t.Fatalf("the results lack %q:\n%s", want, s)
		}
	}
	for _, o := range []*backend.Order{f.ym, f.sl} {
		if n := r.sim(o.Shop).Applied(o.Number); n != 1 {
			t.Errorf("%s: applied %d times on the shop, want 1", o.Ref, n)
		}
		got, _ := r.sim(o.Shop).Order(o.Number)
		if len(got.Shipments) == 0 {
			t.Errorf("%s: no shipment on the shop", o.Ref)
		}
	}
	if r.sim(f.ym.Shop).Emails(f.ym.Number) != 1 {
		t.Error("the YMCart customer was not emailed once")
	}
	if r.sim(f.shipped.Shop).Applied(f.shipped.Number) != 0 || r.sim(f.fecmall.Shop).Applied(f.fecmall.Number) != 0 {
		t.Error("a row that was not ready was sent")
	}
	if n := len(r.outbox()); n != 0 {
		t.Errorf("%d edits left open", n)
	}
	if !r.screenHas("import track.csv: 2 done") {
		t.Errorf("no outcome in the status bar:\n%s", r.screen())
	}
	r.keys("esc")
	if r.open() {
		t.Fatal("esc did not close the results")
	}
	if r.m.flash.text != "" && strings.Contains(r.m.flash.text, "cancelled") {
		t.Fatalf("closing the results said %q", r.m.flash.text)
	}
}

// With --offline the rows are saved to the outbox and shown as queued;
// the list shows their pending markers.
func TestImportOfflineQueues(t *testing.T) {
	t.Parallel()
	r := newRig(t, 10, 160, 50, func(c *Config) { c.Offline = true })
	f := writeImportFile(t, r)
	r.importPlan(f.path)
	if !r.screenHas("[ Save 2 shipment(s) ]") || !r.screenHas("offline (--offline)") {
		t.Fatalf("the offline plan does not say it only saves:\n%s", r.screen())
	}
	r.keys("y")
	r.until("the results show", func() bool { return r.importResults() })
	r.settle()
	if !r.screenHas("2 queued, 1 already applied, 2 rejected") || !r.screenHas("⇡ queued: saved as E") {
		t.Fatalf("the results do not show the rows queued:\n%s", r.screen())
	}
	if n := len(r.outbox()); n != 2 {
		t.Fatalf("%d edits in the outbox, want 2", n)
	}
	for _, o := range []*backend.Order{f.ym, f.sl} {
		if r.sim(o.Shop).Applied(o.Number) != 0 {
			t.Fatalf("%s was sent while offline", o.Ref)
		}
		r.until(o.Ref.String()+" shows its marker", func() bool {
			return len(r.m.data.order(r.m.data.index[o.Ref]).Pending) == 1
		})
	}
	r.keys("esc")
	r.until("the unsent count", func() bool { return r.screenHas("2 unsent") })
	if !strings.Contains(r.screen(), markPending) {
		t.Fatalf("no pending markers:\n%s", r.screen())
	}
}

// A shop that is down leaves its rows queued; importing the same file
// again once it is back sends them (as the command line does), once.
func TestImportAgainAfterAnOutageSendsTheQueuedRows(t *testing.T) {
	t.Parallel()
	r := newRig(t, 10, 160, 50)
	f := writeImportFile(t, r)
	ym := r.sim(f.ym.Shop)
	if err := ym.SetOffline(true); err != nil {
		t.Fatal(err)
	}
	r.importPlan(f.path)
	r.keys("y")
	r.until("the results show", func() bool { return r.importResults() })
	r.settle()
	if !r.screenHas("1 done, 1 queued") || !r.screenHas("the next sync sends them") {
		t.Fatalf("with ym-erp down:\n%s", r.screen())
	}
	r.keys("esc")
	if err := ym.SetOffline(false); err != nil {
		t.Fatal(err)
	}
	sheet := r.importPlan(f.path)
	if !sheet.Asking() || !r.screenHas("[ Send the 1 already queued ]") || !r.screenHas("already queued: already in the outbox as E") ||
		!r.screenHas("1 customer gets an email") {
		t.Fatalf("the second plan does not offer the queued row:\n%s", r.screen())
	}
	r.keys("y")
	r.until("the results show", func() bool { return r.importResults() })
	r.settle()
	if !r.screenHas("1 done") || ym.Applied(f.ym.Number) != 1 || len(r.outbox()) != 0 {
		t.Fatalf("applied %d, %d open edits:\n%s", ym.Applied(f.ym.Number), len(r.outbox()), r.screen())
	}
	if n := r.sim(f.sl.Shop).Applied(f.sl.Number); n != 1 {
		t.Fatalf("the Shopline row was applied %d times over two runs", n)
	}
}

// A file with no row to send shows its plan and nothing to confirm.
func TestImportNothingToSend(t *testing.T) {
	t.Parallel()
	r := newRig(t, 10, 100, 30)
	shipped := r.find("an order with tracking", func(o *backend.Order) bool { return len(o.Shipments) > 0 })
	sh := shipped.Shipments[0]
	path := filepath.Join(t.TempDir(), "done.csv")
	body := "订单号;物流公司;运单号\n" + shipped.Ref.String() + ";" + sh.Carrier + ";" + sh.TrackingNumber + "\n未知订单;UPS;1Z999AA10123456784\n"
	if err := os.WriteFile(path, []byte(body), 0o600); err != nil {
		t.Fatal(err)
	}
	sheet := r.importPlan(path)
	if sheet.Asking() || !r.screenHas("nothing to send") || !r.screenHas("[ Close ]") || r.screenHas("[ Cancel ]") {
		t.Fatalf("a plan with nothing to send asks:\n%s", r.screen())
	}
	for _, want := range []string{"semicolon-separated", "1 already applied, 1 rejected", "unknown order 未知订单"} {
		if !r.screenHas(want) {
			t.Fatalf("the plan lacks %q:\n%s", want, r.screen())
		}
	}
	r.keys("y") // nothing to confirm
	if !r.open() {
		t.Fatal("y closed the plan")
	}
	r.keys("enter")
	if r.open() || len(r.outbox()) != 0 {
		t.Fatalf("enter: modal open %v, %d edits", r.open(), len(r.outbox()))
	}
}

// A file the importer cannot read keeps the prompt open with the reason;
// nothing is saved.
func TestImportBadFileShowsTheError(t *testing.T) {
	t.Parallel()
	r := newRig(t, 10, 100, 30)
	dir := t.TempDir()
	bad := filepath.Join(dir, "bad.csv")
	if err := os.WriteFile(bad, []byte("name,amount\nx,1\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	for _, c := range []struct{ path, want string }{
		{bad, "the header has no column for"},
		{filepath.Join(dir, "missing.csv"), "no such file"},
	} {
		r.keys("I")
		r.clearInput()
		r.typeText(c.path)
		r.keys("enter")
		r.until("the file is read", func() bool { return !r.waiting() })
		if _, ok := r.box().(*form.Prompt); !ok || !r.boxSays(c.want) {
			t.Fatalf("%s: want the prompt with %q, modal %T:\n%s", filepath.Base(c.path), c.want, r.box(), r.screen())
		}
		r.keys("esc")
	}
	if n := len(r.outbox()); n != 0 {
		t.Fatalf("a bad file saved %d edits", n)
	}
}

// While the import runs, its progress comes as messages; esc hides the
// sheet and the run goes on, the status bar counting; the results wait
// for the import key.
func TestImportProgressAndHiding(t *testing.T) {
	t.Parallel()
	r := newRig(t, 10, 160, 50)
	f := writeImportFile(t, r)
	for _, s := range r.demo.Shops {
		s.SetLatency(300 * time.Millisecond)
	}
	r.importPlan(f.path)
	r.send(press(t, "y"))
	r.until("the sheet counts", func() bool {
		return r.importRunning() && strings.Contains(ansi.Strip(r.box().View(158, 48)), "importing 0/2")
	})
	r.send(press(t, "esc"))
	if r.open() || r.m.imp == nil || r.m.imp.run == nil {
		t.Fatalf("esc should hide the sheet and keep the run: modal %v import %v", r.open(), r.m.imp)
	}
	if !r.screenHas("importing 0/2") && !r.screenHas("importing 1/2") {
		t.Fatalf("the status bar does not count:\n%s", r.screen())
	}
	r.until("the run ends", func() bool { return r.m.imp == nil || r.m.imp.run == nil })
	if r.m.imp == nil || !strings.Contains(r.m.flash.text, "shows the rows") {
		t.Fatalf("results while hidden: kept %v, flash %q", r.m.imp != nil, r.m.flash.text)
	}
	r.keys("I")
	if !r.importResults() || !r.screenHas("2 done") {
		t.Fatalf("I does not show the results:\n%s", r.screen())
	}
}

// The export writes every row of the view (tab, filter, sort), header
// first, and never replaces a file without asking.
func TestExportWritesTheView(t *testing.T) {
	t.Parallel()
	r := newRig(t, 40, 80, 24)
	r.keys("/")
	r.typeText("pay:paid")
	r.keys("enter")
	r.m.Render() // the sort key moves over the columns as drawn
	r.keys("o")  // sort by the next column (shop)
	if r.m.sortCol < 0 {
		t.Fatal("o did not sort by a column")
	}
	want := make([]string, 0, len(r.m.rows))
	for _, o := range r.shown() {
		want = append(want, o.Ref.String())
	}
	if len(want) <= r.m.listHeight() {
		t.Fatalf("the view has %d rows; the test needs more than a page (%d)", len(want), r.m.listHeight())
	}
	r.keys("X")
	p, ok := r.box().(*form.Prompt)
	if !ok || !strings.HasPrefix(p.Value(), "orderdesk-all-20261123-") || !strings.HasSuffix(p.Value(), ".csv") {
		t.Fatalf("X opened %T with %q", r.box(), p.Value())
	}
	path := filepath.Join(t.TempDir(), "view.csv")
	r.clearInput()
	r.typeText(path)
	r.keys("enter")
	r.until("the export ends", func() bool { return !r.open() })
	if !r.screenHas("exported ") || !strings.Contains(r.m.flash.text, "exported "+strconv.Itoa(len(want))+" orders to "+path) {
		t.Fatalf("flash %q", r.m.flash.text)
	}
	if got := readRefs(t, path); !slices.Equal(got, want) {
		t.Fatalf("the file holds %d refs, want the view's %d in order\n got %v\nwant %v", len(got), len(want), got, want)
	}

	// a second export to the same name asks first; Cancel keeps the file
	if err := os.WriteFile(path, []byte("KEEP"), 0o600); err != nil {
		t.Fatal(err)
	}
	r.keys("X")
	r.clearInput()
	r.typeText(path)
	r.keys("enter")
	r.until("the question", func() bool { return r.exportAsks() })
	c := r.box().(*form.Confirm)
	if c.Confirming() || !r.screenHas("Replace view.csv?") {
		t.Fatalf("replace question (focus on confirm %v):\n%s", c.Confirming(), r.screen())
	}
	r.keys("enter") // on Cancel
	if b, _ := os.ReadFile(path); string(b) != "KEEP" {
		t.Fatalf("the file was replaced without confirmation: %.40q", b)
	}
	if _, ok := r.box().(*form.Prompt); !ok || !r.boxSays("exists and was kept") {
		t.Fatalf("after keeping the file:\n%s", r.screen())
	}
	r.keys("enter")
	r.until("the question", func() bool { return r.exportAsks() })
	r.keys("y")
	r.until("the export ends", func() bool { return !r.open() })
	if got := readRefs(t, path); !slices.Equal(got, want) {
		t.Fatalf("after replacing, the file holds %d refs, want %d", len(got), len(want))
	}
	if entries, _ := os.ReadDir(filepath.Dir(path)); len(entries) != 1 {
		t.Fatalf("the directory holds %d files, want only the export", len(entries))
	}
}

// readRefs reads an exported file with encoding/csv: the header, then the
// ref of every row.
func readRefs(t *testing.T, path string) []string {
	t.Helper()
	f, err := os.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	recs, err := csv.NewReader(f).ReadAll()
	if err != nil {
		t.Fatal(err)
	}
	if len(recs) == 0 || recs[0][0] != "ref" || recs[0][1] != "shop" {
		t.Fatalf("no header first: %v", recs[:min(1, len(recs))])
	}
	var refs []string
	for _, rec := range recs[1:] {
		refs = append(refs, rec[0])
	}
	return refs
}

// A write that fails half way (a full disk) leaves neither a half file
// nor the temporary one.
func TestExportFailureLeavesNoFile(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	path := filepath.Join(dir, "x.csv")
	full := errors.New("no space left on device")
	err := writeFileAtomic(path, false, func(w io.Writer) error {
		if _, err := io.WriteString(w, "ref,shop\nsl:1,sl\n"); err != nil {
			return err
		}
		return full
	})
	if !errors.Is(err, full) {
		t.Fatalf("err %v", err)
	}
	if entries, _ := os.ReadDir(dir); len(entries) != 0 {
		t.Fatalf("a failed write left %v", entries)
	}
	// and an existing file is never replaced without overwrite
	if err := os.WriteFile(path, []byte("KEEP"), 0o600); err != nil {
		t.Fatal(err)
	}
	err = writeFileAtomic(path, false, func(w io.Writer) error { _, err := io.WriteString(w, "new"); return err })
	if b, _ := os.ReadFile(path); !errors.Is(err, errFileExists) || string(b) != "KEEP" {
		t.Fatalf("err %v, file %q", err, b)
	}
}

func TestExportName(t *testing.T) {
	t.Parallel()
	at := time.Date(2026, 11, 23, 9, 5, 0, 0, time.UTC)
	for view, want := range map[string]string{
		"All":             "orderdesk-all-20261123-0905.csv",
		"To ship":         "orderdesk-to-ship-20261123-0905.csv",
		"CN to ship":      "orderdesk-cn-to-ship-20261123-0905.csv",
		"待发货 / 顺丰":        "orderdesk-待发货-顺丰-20261123-0905.csv",
		"Needs attention": "orderdesk-needs-attention-20261123-0905.csv",
		"!!!":             "orderdesk-view-20261123-0905.csv",
	} {
		if got := exportName(view, at); got != want {
			t.Errorf("%q: %q, want %q", view, got, want)
		}
	}
}

// The import and export keys can be rebound through [keys]; help lists them.
func TestImportExportKeysRebind(t *testing.T) {
	t.Parallel()
	keys, probs := keymap.Apply(map[string][]string{"import": {"ctrl+o"}, "export": {"E"}})
	if len(probs) > 0 {
		t.Fatal(probs)
	}
	r := newRig(t, 10, 160, 50, func(c *Config) { c.Keys = keys })
	r.keys("?")
	for _, want := range []string{"ctrl+o", "import tracking (CSV)", "E", "export view to CSV"} {
		if !r.screenHas(want) {
			t.Fatalf("help lacks %q:\n%s", want, r.screen())
		}
	}
	r.keys("esc", "I", "X")
	if r.open() {
		t.Fatal("the default keys still open a flow after rebinding")
	}
	r.send(tea.KeyPressMsg{Code: 'o', Mod: tea.ModCtrl})
	if _, ok := r.box().(*form.Prompt); !ok {
		t.Fatal("ctrl+o does not open the import")
	}
	r.keys("esc", "E")
	if _, ok := r.box().(*form.Prompt); !ok || r.exportAsks() {
		t.Fatal("E does not open the export")
	}
}

// The plan at 80×24 (golden: run with -update after an intended change).
func TestGoldenImportPlan(t *testing.T) {
	t.Parallel()
	r := newRig(t, 10, 80, 24)
	f := writeImportFile(t, r)
	r.importPlan(f.path)
	r.settle()
	golden.RequireEqual(t, []byte(r.m.View().Content))
}
