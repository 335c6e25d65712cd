package e2e

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"orderdesk/backend"
	"orderdesk/backend/simshop"
)

// A shop url with plain http to another machine is refused before
// anything runs (the token would cross the network in clear text), and
// accepted when the shop says insecure_http = true.
func TestPlainHTTPToAnotherHostIsRefused(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	cfg := filepath.Join(dir, "config.toml")
	db := filepath.Join(dir, "orderdesk.db")
	shop := "[[shops]]\nname = \"ym\"\nplatform = \"ymcart\"\nurl = \"http://shop.example.com\"\ntoken_env = \"OD_YM_TOKEN\"\n"
	if err := os.WriteFile(cfg, []byte(shop), 0o600); err != nil {
		t.Fatal(err)
	}
	for _, cmd := range [][]string{{"list"}, {"sync"}} {
		out, errOut, code := runEnv(t, []string{"OD_YM_TOKEN=tok"}, append([]string{"--config", cfg, "--db", db}, cmd...)...)
		if code != 2 || out != "" || !strings.Contains(errOut, "config.toml:4: shops[1].url:") ||
			!strings.Contains(errOut, "clear text") || !strings.Contains(errOut, "insecure_http = true") {
			t.Errorf("%v: exit %d, want 2 naming the url and the way out\nstdout:\n%s\nstderr:\n%s", cmd, code, out, errOut)
		}
	}
	if _, err := os.Stat(db); err == nil {
		t.Errorf("a refused config created the database")
	}
	if err := os.WriteFile(cfg, []byte(shop+"insecure_http = true\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	if out, errOut, code := runEnv(t, nil, "--config", cfg, "--db", db, "list"); code != 0 {
		t.Errorf("with insecure_http = true: exit %d\nstdout:\n%s\nstderr:\n%s", code, out, errOut)
	}
}

// An edit left sending by a process that was killed mid-send reads as
// unknown in `pending` (table and JSON), `pending retry` and `show`: no
// process is sending it any more, and whether the shop applied it is
// unknown until it is read back. Reading it writes nothing; the next sync
// reads the order back and sends it once.
func TestPendingReadsAKilledSendAsUnknown(t *testing.T) {
	t.Parallel()
	r := newRig(t, []rigShop{fourShops(8)[2]})
	r.must(0, "sync")
	o, a, ok := r.candidate("sl", backend.ActionRemark, 1)
	if !ok {
		t.Fatal("no order takes a remark")
	}
	r.must(3, "--offline", "remark", o.Ref.String(), a.Remark)
	// what a process killed between marking the edit sending and the
	// shop's answer leaves in the database
	st := r.openStore()
	open, err := st.Edits("")
	if err != nil || len(open) != 1 {
		t.Fatalf("outbox %v %v", open, err)
	}
	ed := open[0]
	ed.State, ed.Attempts = backend.EditSending, 1
	if err := st.SaveEdits(nil, ed); err != nil {
		t.Fatal(err)
	}
	audit, _ := st.AuditLog(backend.Ref{})
	st.Close()

	table := r.must(0, "pending")
	if strings.Contains(table, "sending") || !strings.Contains(table, ed.ID) || !strings.Contains(table, "unknown") ||
		!strings.Contains(table, "read back from the shop") {
		t.Errorf("pending after a killed send:\n%s", table)
	}
	if got := r.pending(); len(got) != 1 || got[0].State != backend.EditUnknown {
		t.Errorf("pending --format json: %+v", got)
	}
	if show := r.must(0, "show", o.Ref.String()); strings.Contains(show, "sending") || !strings.Contains(show, "unknown") {
		t.Errorf("show after a killed send:\n%s", show)
	}
	if _, errOut, code := r.run("pending", "retry", ed.ID); code != 2 || !strings.Contains(errOut, ed.ID+" is unknown") {
		t.Errorf("pending retry: exit %d, want 2 saying it is unknown:\n%s", code, errOut)
	}

	st = r.openStore()
	now, _ := st.EditByID(ed.ID)
	after, _ := st.AuditLog(backend.Ref{})
	st.Close()
	if now.State != backend.EditSending || len(after) != len(audit) {
		t.Errorf("reading the outbox wrote to it: %s, %d audit lines (were %d)", now.State, len(after), len(audit))
	}

	r.must(0, "sync")
	st = r.openStore()
	defer st.Close()
	if now, _ := st.EditByID(ed.ID); now.State != backend.EditDone {
		t.Errorf("after sync: %s %q", now.State, now.Error)
	}
	if n := r.shops["sl"].Applied(o.Number); n != 1 {
		t.Errorf("the shop applied the remark %d times, want 1", n)
	}
}

// TestSyncOfASilentShop drives the binary against a shop that takes every
// request and never answers, with its timeout set to 1 s: the sync says
// the shop is slow, gives up on it naming it, exits 1, and the other shop
// syncs as usual. An edit whose write the shop takes and never answers
// ends unknown (exit 3), reads so in `pending`, and the next sync sends
// it once.
func TestSyncOfASilentShop(t *testing.T) {
	t.Parallel()
	shops := fourShops(8)
	sl, ym := shops[2], shops[3]
	sl.extra += "timeout = \"1s\"\n"
	r := newRig(t, []rigShop{sl, ym})
	r.must(0, "sync")
	r.shops["sl"].Inject(simshop.Fault{Kind: simshop.FaultHang, Times: 1000})
	start := time.Now()
	out, errOut, code := r.run("sync")
	took := time.Since(start)
	if code != 1 || !strings.Contains(errOut, "sl: no answer for 0.5 s, still trying (gives up after 1 s)\n") ||
		!strings.Contains(errOut, "sl: no answer in 1 s — unreachable\n") || strings.Contains(errOut, "ym: no answer") {
		t.Errorf("sync: exit %d, want 1 naming the silent shop\nstdout:\n%s\nstderr:\n%s", code, out, errOut)
	}
	if took > 30*time.Second { // generous: the shop's limit is 1 s
		t.Errorf("the sync took %v to give up", took)
	}
	for _, line := range strings.Split(out, "\n") {
		if strings.HasPrefix(line, "ym ") && !strings.HasSuffix(line, " ok") {
			t.Errorf("the other shop's sync: %q", line)
		}
	}

	r.shops["sl"].ClearFaults()
	o, a, ok := r.candidate("sl", backend.ActionRemark, 2)
	if !ok {
		t.Fatal("no order takes a remark")
	}
	r.shops["sl"].Inject(simshop.Fault{Kind: simshop.FaultHang, On: simshop.Writes, Times: 1000})
	out, errOut, code = r.run("remark", o.Ref.String(), a.Remark)
	if code != 3 || !strings.Contains(out, " unknown ") || strings.Contains(out, "sending") ||
		!strings.Contains(errOut, "sl: no answer for 0.5 s, still trying (gives up after 1 s)") {
		t.Errorf("remark: exit %d, want 3 with the edit unknown\nstdout:\n%s\nstderr:\n%s", code, out, errOut)
	}
	if got := r.pending(); len(got) != 1 || got[0].State != backend.EditUnknown {
		t.Errorf("pending: %+v", got)
	}
	r.shops["sl"].ClearFaults()
	r.must(0, "sync")
	if got := r.pending(); len(got) != 0 || r.shops["sl"].Applied(o.Number) != 1 {
		t.Errorf("after the shop answers again: pending %+v, applied %d times", got, r.shops["sl"].Applied(o.Number))
	}
}
