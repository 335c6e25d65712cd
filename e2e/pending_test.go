package e2e

import (
	"bytes"
	"context"
	"encoding/json"
	"strings"
	"testing"
	"time"

	"orderdesk/backend"
	"orderdesk/backend/engine"
	"orderdesk/backend/platforms"
	"orderdesk/ui/cli"
)

// twoRemarkShops is a SHOPLINE shop (edits replayed one at a time) and a
// YMCart one (replayed in batch rounds), both taking remarks.
func twoRemarkShops() []rigShop {
	shops := fourShops(12)
	ym := shops[3]
	ym.extra = "rate = 20\nburst = 20\n"
	return []rigShop{shops[2], ym}
}

// conflict saves a remark on a cached order while offline, has someone
// else remark the order on the shop, and syncs: the edit ends in conflict
// and the sync exits 1. It returns the edit's ID.
func (r *rig) conflict(shop string, n int) (number, text, id string) {
	r.t.Helper()
	o, a, ok := r.candidate(shop, backend.ActionRemark, n)
	if !ok {
		r.t.Fatalf("%s: no order takes a remark", shop)
	}
	ref := shop + ":" + o.Number
	r.must(3, "--offline", "remark", ref, a.Remark)
	cur, _ := r.shops[shop].Order(o.Number)
	if _, err := r.adapter(shop).Apply(context.Background(), cur, backend.Action{Kind: backend.ActionRemark, Remark: "someone else's note " + ref}); err != nil {
		r.t.Fatal(err)
	}
	_, errOut, code := r.run("sync")
	if code != 1 || !strings.Contains(errOut, "this sync left 1 edit(s) failed or in conflict") {
		r.t.Fatalf("sync that makes a conflict: exit %d, want 1:\n%s", code, errOut)
	}
	for _, e := range r.pending() {
		if e.Ref.String() == ref && e.State == backend.EditConflict {
			return o.Number, a.Remark, e.ID
		}
	}
	r.t.Fatalf("no conflict on %s in the outbox:\n%s", ref, r.must(0, "pending"))
	return
}

// pending returns `pending --format json`.
func (r *rig) pending() []backend.Edit {
	r.t.Helper()
	var edits []backend.Edit
	if err := json.Unmarshal([]byte(r.must(0, "pending", "--format", "json")), &edits); err != nil {
		r.t.Fatal(err)
	}
	return edits
}

// TestPendingRetryAndDiscard drives `orderdesk pending retry|discard`
// through the real binary: a conflict made by someone else's change is
// shown side by side, retried and applied exactly once; another is
// discarded (a script needs --yes), leaves the outbox, stays in the
// order's history and is never sent by a later engine. A sync exits 1 only
// when it makes a new failure or conflict.
func TestPendingRetryAndDiscard(t *testing.T) {
	t.Parallel()
	r := newRig(t, twoRemarkShops())
	r.must(0, "sync")

	// retry, on SHOPLINE
	num, text, id := r.conflict("sl", 1)
	table := r.must(0, "pending")
	for _, want := range []string{id, "conflict", "YOU SAW", "THE SHOP HAS NOW", "pending retry " + id} {
		if !strings.Contains(table, want) {
			t.Errorf("pending lacks %q:\n%s", want, table)
		}
	}
	if out := r.must(0, "sync"); !strings.Contains(out, "sl") { // the conflict is not new: exit 0
		t.Errorf("sync: %s", out)
	}
	srv := r.shops["sl"]
	applied := srv.Applied(num)
	out := r.must(0, "pending", "retry", id)
	if !strings.Contains(out, "YOU SAW") || !strings.Contains(out, id+" done") {
		t.Errorf("pending retry output:\n%s", out)
	}
	r.must(0, "sync")
	truth, _ := srv.Order(num)
	if n, k := srv.Applied(num)-applied, countRemark(truth, text); n != 1 || k != 1 {
		t.Errorf("retried remark: %d writes, shows %d times; want exactly once", n, k)
	}

	// discard, on YMCart
	num, text, id = r.conflict("ym", 2)
	ym := r.shops["ym"]
	applied = ym.Applied(num)
	out, errOut, code := r.run("pending", "discard", id)
	if code != 2 || !strings.Contains(errOut, "--yes") || !strings.Contains(out, "YOU SAW") {
		t.Errorf("discard without --yes and without a terminal: exit %d\n%s\n%s", code, out, errOut)
	}
	if p := r.pending(); len(p) != 1 || p[0].ID != id || p[0].State != backend.EditConflict {
		t.Errorf("a discard without --yes changed the outbox: %+v", p)
	}
	if out := r.must(0, "pending", "discard", id, "--yes"); !strings.Contains(out, id+" discarded") {
		t.Errorf("pending discard output:\n%s", out)
	}
	if p := r.pending(); len(p) != 0 {
		t.Errorf("still in the outbox after the discard: %+v", p)
	}
	if show := r.must(0, "show", "ym:"+num); !strings.Contains(show, id+" discarded") || !strings.Contains(show, "discarded by tester") {
		t.Errorf("show lost the discarded edit:\n%s", show)
	}
	r.must(0, "sync")
	r.must(0, "sync")
	truth, _ = ym.Order(num)
	if n, k := ym.Applied(num)-applied, countRemark(truth, text); n != 0 || k != 0 {
		t.Errorf("a discarded remark was sent: %d writes, shows %d times", n, k)
	}

	// refusals: nothing changes, exit 2
	if _, errOut, code := r.run("pending", "retry", "E999"); code != 2 || !strings.Contains(errOut, "E999") || !strings.Contains(errOut, "orderdesk pending") {
		t.Errorf("retry of an unknown ID: exit %d, %q", code, errOut)
	}
	if _, errOut, code := r.run("pending", "discard", id, "--yes"); code != 2 || !strings.Contains(errOut, id+" is discarded") {
		t.Errorf("discard of a discarded edit: exit %d, %q", code, errOut)
	}
}

// TestIrreversibleStatusNeedsYes: in a script, a status change the
// platform cannot undo (SHOPLINE cancel, Fecshop refunded) exits 2 without
// --yes, says what it does, and saves nothing; with --yes it is applied;
// a reversible one needs no --yes.
func TestIrreversibleStatusNeedsYes(t *testing.T) {
	t.Parallel()
	shops := fourShops(30)
	r := newRig(t, []rigShop{shops[0], shops[2]})
	r.must(0, "sync")
	for i, c := range []struct {
		shop, value, says string
	}{
		{"sl", "cancel", "cannot be reopened"},
		{"eu", "refunded", "it is final"},
	} {
		o := r.takes(c.shop, func(v backend.StatusValue) bool { return v.Value == c.value }, i)
		ref := c.shop + ":" + o.Number
		srv := r.shops[c.shop]
		_, errOut, code := r.run("status", ref, c.value)
		if code != 2 || !strings.Contains(errOut, c.says) || !strings.Contains(errOut, "--yes") || !strings.Contains(errOut, ref) {
			t.Errorf("%s %s without --yes: exit %d, stderr %q", ref, c.value, code, errOut)
		}
		if srv.Applied(o.Number) != 0 || len(r.pending()) != 0 {
			t.Errorf("%s: an unconfirmed irreversible change was saved or sent", ref)
		}
		r.must(0, "status", ref, c.value, "--yes")
		if n := srv.Applied(o.Number); n != 1 {
			t.Errorf("%s %s --yes: applied %d times", ref, c.value, n)
		}
	}
	o := r.takes("eu", func(v backend.StatusValue) bool { return v.Irreversible == "" }, 3)
	var value string
	for _, v := range r.adapter("eu").Capabilities().Status.Values {
		if v.Irreversible == "" && r.adapter("eu").Check(o, backend.Action{Kind: backend.ActionStatus, Status: v.Value}) == nil {
			value = v.Value
			break
		}
	}
	r.must(0, "status", "eu:"+o.Number, value)
}

// takes returns the n-th order of the shop (by the sim's order) on which
// the platform allows a status value that ok accepts.
func (r *rig) takes(shop string, ok func(v backend.StatusValue) bool, n int) *backend.Order {
	r.t.Helper()
	s := r.adapter(shop)
	for _, o := range r.shops[shop].Orders() {
		o.Shop, o.Ref = shop, backend.Ref{Shop: shop, Number: o.Number}
		for _, v := range s.Capabilities().Status.Values {
			if ok(v) && s.Check(o, backend.Action{Kind: backend.ActionStatus, Status: v.Value}) == nil {
				if n == 0 {
					return o
				}
				n--
				break
			}
		}
	}
	r.t.Fatalf("%s: no order takes such a status", shop)
	return nil
}

// terminal is the CLI in this process, as on a terminal: answers are what
// the operator types.
type terminal struct {
	env         *cli.Env
	out, errOut *bytes.Buffer
}

// terminal opens the rig's database and shops for an in-process CLI on a
// terminal; close the store (returned) before the binary runs again.
func (r *rig) terminal(answers string) (*terminal, func()) {
	r.t.Helper()
	st := r.openStore()
	var shops []backend.Shop
	for _, name := range r.names {
		s, err := platforms.Open(r.shops[name].Config(name))
		if err != nil {
			r.t.Fatal(err)
		}
		shops = append(shops, s)
	}
	term := &terminal{out: &bytes.Buffer{}, errOut: &bytes.Buffer{}}
	term.env = &cli.Env{Stdout: term.out, Stderr: term.errOut, Stdin: strings.NewReader(answers), Interactive: true,
		Loc: time.UTC, ShopNames: r.names, Operator: "ann", Desk: engine.NewDesk(st, shops, time.Now)}
	return term, func() { st.Close() }
}

// TestTerminalAsksBeforeIrreversible: on a terminal, an irreversible
// status change and a discard ask first, naming the order and what cannot
// be undone; anything but y changes nothing.
func TestTerminalAsksBeforeIrreversible(t *testing.T) {
	t.Parallel()
	r := newRig(t, []rigShop{fourShops(20)[2]})
	r.must(0, "sync")
	o := r.takes("sl", func(v backend.StatusValue) bool { return v.Value == "cancel" }, 0)
	ref := "sl:" + o.Number
	cancel := cli.EditArgs{Ref: ref, Action: backend.Action{Kind: backend.ActionStatus, Status: "cancel"}}
	ctx := context.Background()

	term, done := r.terminal("n\n")
	code := term.env.Edit(ctx, cancel)
	edits, _ := term.env.Desk.Reader().Edits("")
	done()
	if code != 2 || !strings.Contains(term.errOut.String(), "Set "+ref+" to cancel? [y/N]") ||
		!strings.Contains(term.errOut.String(), "cannot be reopened") {
		t.Errorf("cancel answered n: exit %d, stderr %q", code, term.errOut)
	}
	if len(edits) != 0 || r.shops["sl"].Applied(o.Number) != 0 {
		t.Errorf("cancel answered n saved or sent: %+v", edits)
	}
	term, done = r.terminal("y\n")
	code = term.env.Edit(ctx, cancel)
	done()
	if code != 0 || r.shops["sl"].Applied(o.Number) != 1 {
		t.Errorf("cancel answered y: exit %d, applied %d\n%s", code, r.shops["sl"].Applied(o.Number), term.errOut)
	}

	other, a, _ := r.candidate("sl", backend.ActionRemark, 4)
	r.must(3, "--offline", "remark", "sl:"+other.Number, a.Remark)
	id := r.pending()[0].ID
	term, done = r.terminal("\n")
	code = term.env.PendingDiscard(ctx, id, false)
	done()
	if code != 2 || !strings.Contains(term.errOut.String(), "Discard "+id+" (remark") || len(r.pending()) != 1 {
		t.Errorf("discard answered with enter: exit %d, stderr %q, outbox %+v", code, term.errOut, r.pending())
	}
	term, done = r.terminal("yes\n")
	code = term.env.PendingDiscard(ctx, id, false)
	done()
	if code != 0 || len(r.pending()) != 0 {
		t.Errorf("discard answered yes: exit %d, outbox %+v\n%s", code, r.pending(), term.errOut)
	}
}
