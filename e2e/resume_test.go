package e2e

import (
	"bytes"
	"os"
	"os/exec"
	"strings"
	"syscall"
	"testing"
	"time"

	"orderdesk/backend"
	"orderdesk/backend/simshop"
)

// TestFirstSyncSurvivesSIGKILL kills the real binary half-way through the
// first sync of a 200-page Fecshop shop; the next sync goes on where it
// stopped: every order is cached and over both runs the shop was asked for
// at most one uninterrupted pass + 3 list pages.
func TestFirstSyncSurvivesSIGKILL(t *testing.T) {
	t.Parallel()
	const orders, pages = 1000, 200 // Fecshop lists 5 orders a page
	r := newRig(t, []rigShop{{"eu", backend.Fecshop, simshop.Options{Seed: 21, Orders: orders, Timezone: zone("UTC")}, "rate = 1000\nburst = 100\n"}})
	srv := r.shops["eu"]
	srv.SetLatency(5 * time.Millisecond) // ≥ 1 s for the pass: room to kill it in the middle
	lists := func() int {
		n := 0
		for _, q := range srv.Requests() {
			if strings.HasSuffix(q.Path, "/order/list") {
				n++
			}
		}
		return n
	}

	cmd := exec.Command(binary, "--config", r.cfg, "--db", r.db, "sync")
	cmd.Env = append(os.Environ(), r.env...)
	var errOut bytes.Buffer
	cmd.Stderr = &errOut
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	deadline := time.Now().Add(30 * time.Second)
	for lists() < pages/2 && time.Now().Before(deadline) {
		time.Sleep(time.Millisecond)
	}
	cmd.Process.Signal(syscall.SIGKILL)
	cmd.Wait()
	r.outputs.Write(errOut.Bytes())
	first := lists()
	if first >= pages {
		t.Fatalf("the first sync made %d list requests before it was killed: not killed half-way", first)
	}

	srv.ResetRecord()
	out := r.must(0, "sync")
	second := lists()
	t.Logf("killed after %d list requests; the next sync made %d; an uninterrupted pass makes %d", first, second, pages)
	if first+second > pages+3 {
		t.Errorf("%d + %d list requests over both runs, more than one pass (%d) + 3\n%s", first, second, pages, out)
	}
	if got := len(r.listJSON()); got != orders {
		t.Errorf("%d orders cached after the resumed sync, want %d", got, orders)
	}

	// nothing changed: the next sync lists the recent window and a share
	// of the re-check, not the whole history again
	srv.ResetRecord()
	r.must(0, "sync")
	if n := lists(); n*5 > pages {
		t.Errorf("a sync with nothing changed after the first made %d list requests, more than 20%% of %d", n, pages)
	}
}

// TestHistoryHorizonAndFetch: with history = "45d" the first sync caches
// only the orders created since; an older one is not cached, and `fetch`
// reads it from the shop by ref.
func TestHistoryHorizonAndFetch(t *testing.T) {
	t.Parallel()
	r := newRig(t, []rigShop{{"eu", backend.Fecshop, simshop.Options{Seed: 22, Orders: 40, Timezone: zone("UTC")}, "rate = 1000\nhistory = \"45d\"\n"}})
	r.must(0, "sync")
	horizon := time.Now().Add(-45 * 24 * time.Hour)
	var old, recent []string
	for _, o := range r.shops["eu"].Orders() {
		if o.CreatedAt.Before(horizon.Add(-time.Hour)) {
			old = append(old, "eu:"+o.Number)
		} else if o.CreatedAt.After(horizon.Add(time.Hour)) {
			recent = append(recent, "eu:"+o.Number)
		}
	}
	cached := map[string]bool{}
	for _, o := range r.listJSON() {
		cached[o.Ref.String()] = true
	}
	if len(old) == 0 || len(recent) == 0 {
		t.Fatalf("the shop's orders are not on both sides of the horizon: %d older, %d newer", len(old), len(recent))
	}
	for _, ref := range recent {
		if !cached[ref] {
			t.Errorf("%s, created within the history, is not cached", ref)
		}
	}
	for _, ref := range old {
		if cached[ref] {
			t.Errorf("%s, created before the history, was synced", ref)
		}
	}
	if _, errOut, code := r.run("show", old[0]); code != 2 || !strings.Contains(errOut, "orderdesk fetch SHOP:NUMBER") {
		t.Errorf("show of an order older than the history: exit %d, want 2 naming fetch:\n%s", code, errOut)
	}
	out := r.must(0, "fetch", old[0])
	if !strings.HasPrefix(out, old[0]+"  ") {
		t.Errorf("fetch printed %q", out)
	}
	r.must(0, "show", old[0])
	if _, errOut, code := r.run("fetch", "eu:999"); code != 1 || !strings.Contains(errOut, "eu:999: the shop has no order") {
		t.Errorf("fetch of an unknown order: exit %d:\n%s", code, errOut)
	}
}
