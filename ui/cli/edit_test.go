package cli_test

import (
	"bytes"
	"context"
	"os"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"time"

	"orderdesk/backend"
	"orderdesk/backend/engine"
	"orderdesk/backend/platforms"
	"orderdesk/backend/simshop"
	"orderdesk/cache"
	"orderdesk/ui/cli"
)

// fullDisk is the real store whose saves of an edit in one state fail as
// on a full disk.
type fullDisk struct {
	*cache.Store
	failing backend.EditState
}

func (f *fullDisk) SaveEdits(fresh *backend.Order, edits ...backend.Edit) error {
	for _, e := range edits {
		if e.State == f.failing {
			return &os.PathError{Op: "write", Path: "orderdesk.db", Err: syscall.ENOSPC}
		}
	}
	return f.Store.SaveEdits(fresh, edits...)
}

// editRig is a simulated shop, its orders cached in a real database, and
// a command line whose store fails saves of one state.
type editRig struct {
	srv            *simshop.Server
	st             *cache.Store
	env            *cli.Env
	stdout, stderr bytes.Buffer
	number         string
}

func newEditRig(t *testing.T, p backend.Platform, failing backend.EditState) *editRig {
	t.Helper()
	srv, err := simshop.New(p, simshop.Options{Seed: 3, Orders: 8})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(srv.Close)
	shop, err := platforms.Open(srv.Config("s"))
	if err != nil {
		t.Fatal(err)
	}
	st, err := cache.Open(filepath.Join(t.TempDir(), "orderdesk.db"), cache.Options{})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { st.Close() })
	if r := engine.Pull(context.Background(), st, shop, time.Now, nil); r.Err != nil {
		t.Fatal(r.Err)
	}
	r := &editRig{srv: srv, st: st}
	for _, o := range srv.Orders() {
		if shop.Check(o, backend.Action{Kind: backend.ActionRemark, Remark: "x"}) == nil {
			r.number = o.Number
			break
		}
	}
	desk := engine.NewDesk(&fullDisk{Store: st, failing: failing}, []backend.Shop{shop}, time.Now)
	r.env = &cli.Env{Stdout: &r.stdout, Stderr: &r.stderr, ShopNames: []string{"s"}, Operator: "tester", Loc: time.UTC, Desk: desk}
	return r
}

func (r *editRig) remark(text string) int {
	return r.env.Edit(context.Background(), cli.EditArgs{Ref: "s:" + r.number, Yes: true,
		Action: backend.Action{Kind: backend.ActionRemark, Remark: text}})
}

// TestEditReportsAFailedFinalSave: the shop applies the edit and saving
// "done" fails (a full disk): the command says the shop has it and the
// record failed, exits 1, and never says done or sending; the outbox
// holds what was saved last (sending, read as unknown), and the next send
// records it done without sending it again.
func TestEditReportsAFailedFinalSave(t *testing.T) {
	for _, p := range []backend.Platform{backend.Shopline, backend.YMCart} {
		t.Run(string(p), func(t *testing.T) {
			r := newEditRig(t, p, backend.EditDone)
			if code := r.remark("recorded or not"); code != cli.ExitFailed {
				t.Errorf("exit %d, want 1", code)
			}
			out, errOut := r.stdout.String(), r.stderr.String()
			if strings.Contains(out, "done") || strings.Contains(out+errOut, "sending") ||
				!strings.Contains(errOut, "E1 applied by the shop, but recording it failed: write orderdesk.db: no space left on device") ||
				!strings.Contains(errOut, "read back from the shop") {
				t.Errorf("report:\nstdout:\n%s\nstderr:\n%s", out, errOut)
			}
			if n := r.srv.Applied(r.number); n != 1 {
				t.Fatalf("the shop applied it %d times", n)
			}
			saved, err := r.st.EditByID("E1")
			if err != nil || saved.State != backend.EditSending {
				t.Fatalf("saved: %s %v", saved.State, err)
			}
			r.stdout.Reset()
			if code := r.env.Pending("table"); code != cli.ExitOK || strings.Contains(r.stdout.String(), "sending") || !strings.Contains(r.stdout.String(), "unknown") {
				t.Errorf("pending: exit %d\n%s", code, r.stdout.String())
			}
			// the disk has room again
			desk := engine.NewDesk(r.st, r.env.Desk.Shops(), time.Now)
			if _, err := desk.Send(context.Background(), "s", backend.Ref{}, nil); err != nil {
				t.Fatal(err)
			}
			if saved, _ := r.st.EditByID("E1"); saved.State != backend.EditDone || r.srv.Applied(r.number) != 1 {
				t.Errorf("after the next send: %s, applied %d times", saved.State, r.srv.Applied(r.number))
			}
		})
	}
}

// TestEditReportsAFailedSendingSave: saving "sending" fails before the
// write: nothing is sent, the command says so and exits 1, and never
// prints sending; the edit stays pending.
func TestEditReportsAFailedSendingSave(t *testing.T) {
	for _, p := range []backend.Platform{backend.Shopline, backend.YMCart} {
		t.Run(string(p), func(t *testing.T) {
			r := newEditRig(t, p, backend.EditSending)
			if code := r.remark("never sent"); code != cli.ExitFailed {
				t.Errorf("exit %d, want 1", code)
			}
			out, errOut := r.stdout.String(), r.stderr.String()
			if strings.Contains(out, "sending") || !strings.Contains(out, "E1 queued") ||
				!strings.Contains(errOut, "E1 was not sent") || !strings.Contains(errOut, "no space left on device") {
				t.Errorf("report:\nstdout:\n%s\nstderr:\n%s", out, errOut)
			}
			if saved, _ := r.st.EditByID("E1"); saved.State != backend.EditPending || r.srv.Applied(r.number) != 0 {
				t.Errorf("saved %s, applied %d times", saved.State, r.srv.Applied(r.number))
			}
		})
	}
}
