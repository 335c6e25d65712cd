package main

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
