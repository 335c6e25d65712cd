package e2e

import (
	"bytes"
	"fmt"
	"math/rand/v2"
	"os"
	"os/exec"
	"regexp"
	"strings"
	"syscall"
	"testing"
	"time"

	"orderdesk/backend"
	"orderdesk/cache"
)

// TestCrashSafety kills (SIGKILL) the real binary while it saves edits and
// syncs, at random moments, many times. After every kill the database must
// open, pass bbolt's own check and our index check, and hold every edit the
// process reported as saved. At the end, after syncs run to completion,
// the shops must have applied every edit at most once — exactly once for
// every edit that is done.
func TestCrashSafety(t *testing.T) {
	t.Parallel()
	kills := 120
	if testing.Short() {
		kills = 30
	}
	seed := uint64(time.Now().UnixNano())
	t.Logf("seed %d", seed)
	rng := rand.New(rand.NewPCG(seed, 7))
	r := newRig(t, []rigShop{fourShops(40)[2], fourShops(40)[3]}) // SHOPLINE and YMCart: both take remarks
	r.must(0, "sync")
	orders := map[string][]string{}
	for _, name := range r.names {
		for _, o := range r.shops[name].Orders() {
			orders[name] = append(orders[name], o.Number)
		}
	}
	saved := map[string]backend.Ref{} // edit id → order
	texts := map[string]string{}      // edit id → remark text
	savedLine := regexp.MustCompile(`(?m)^saved (E\d+):`)
	killed, midSend := 0, 0
	for i := 0; killed < kills; i++ {
		var args []string
		var text string
		var ref backend.Ref
		if rng.IntN(4) == 0 {
			args = []string{"sync"}
		} else {
			name := r.names[rng.IntN(len(r.names))]
			ref = backend.Ref{Shop: name, Number: orders[name][rng.IntN(len(orders[name]))]}
			text = fmt.Sprintf("[crash %d #%d]", seed%100000, i)
			args = []string{"remark", ref.String(), text, "--yes"}
		}
		stderr, exited := r.runKilled(time.Duration(rng.IntN(150))*time.Millisecond, args...)
		if !exited {
			killed++
		}
		for _, m := range savedLine.FindAllStringSubmatch(stderr, -1) {
			saved[m[1]] = ref
			texts[m[1]] = text
		}
		midSend += min(1, r.verifyStore(saved))
	}
	// Let everything finish: every edit ends done (none is refused: remarks
	// are always allowed on both platforms).
	for range 3 {
		r.run("sync")
	}
	st := r.openStore()
	defer st.Close()
	doneOn := map[string]int{}
	for id, ref := range saved {
		h, err := st.History(ref)
		if err != nil {
			t.Fatal(err)
		}
		for _, e := range h {
			if e.ID == id && e.State != backend.EditDone {
				t.Errorf("%s on %s ended %s: %s", id, ref, e.State, e.Error)
			}
		}
	}
	// Every edit in the outbox, saved-and-reported or not, counts.
	for _, name := range r.names {
		for _, number := range orders[name] {
			ref := backend.Ref{Shop: name, Number: number}
			h, err := st.History(ref)
			if err != nil {
				t.Fatal(err)
			}
			for _, e := range h {
				if e.State == backend.EditDone {
					doneOn[ref.String()]++
				}
				truth, _ := r.shops[name].Order(number)
				if n := countRemark(truth, e.Action.Remark); n > 1 || (e.State == backend.EditDone && n != 1) {
					t.Errorf("%s %q (%s) shows %d times on the shop", e.ID, e.Action.Remark, e.State, n)
				}
			}
			if got, want := r.shops[name].Applied(number), doneOn[ref.String()]; got != want {
				t.Errorf("%s: the shop applied %d writes for %d done edits", ref, got, want)
			}
		}
	}
	t.Logf("%d runs killed, %d edits reported saved, %d checks found an edit left mid-send (sending or unknown)", killed, len(saved), midSend)
}

func countRemark(o *backend.Order, text string) int {
	n := 0
	for _, r := range o.Remarks {
		n += strings.Count(r.Text, text)
	}
	return n
}

// runKilled starts the binary and SIGKILLs it after d unless it ended
// first. It returns what the process wrote to stderr before it died.
func (r *rig) runKilled(d time.Duration, args ...string) (stderr string, exited bool) {
	r.t.Helper()
	all := append([]string{"--config", r.cfg, "--db", r.db}, args...)
	cmd := exec.Command(binary, all...)
	cmd.Env = append(os.Environ(), r.env...)
	var buf bytes.Buffer
	cmd.Stderr = &buf // Wait returns after everything written is copied
	if err := cmd.Start(); err != nil {
		r.t.Fatal(err)
	}
	done := make(chan error, 1)
	go func() { done <- cmd.Wait() }()
	select {
	case <-done:
		exited = true
	case <-time.After(d):
		cmd.Process.Signal(syscall.SIGKILL)
		<-done
	}
	out := buf.String()
	r.outputs.WriteString(out)
	return out, exited
}

func (r *rig) openStore() *cache.Store {
	r.t.Helper()
	st, err := cache.Open(r.db, cache.Options{Timeout: 2 * time.Second})
	if err != nil {
		r.t.Fatalf("open after kill: %v", err)
	}
	return st
}

// verifyStore opens the database after a kill and checks it. It returns
// how many edits the kill left mid-send (state sending or unknown).
func (r *rig) verifyStore(saved map[string]backend.Ref) int {
	r.t.Helper()
	st := r.openStore()
	defer st.Close()
	if err := st.Verify(); err != nil {
		r.t.Fatalf("database check after kill: %v", err)
	}
	for id, ref := range saved {
		h, err := st.History(ref)
		if err != nil {
			r.t.Fatal(err)
		}
		found := false
		for _, e := range h {
			found = found || e.ID == id
		}
		if !found {
			r.t.Fatalf("edit %s on %s was reported saved and is missing after a kill", id, ref)
		}
	}
	open, err := st.Edits("")
	if err != nil {
		r.t.Fatal(err)
	}
	n := 0
	for _, e := range open {
		if e.State == backend.EditSending || e.State == backend.EditUnknown {
			n++
		}
	}
	return n
}
