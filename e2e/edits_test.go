package e2e

import (
	"context"
	"encoding/json"
	"fmt"
	"strings"
	"testing"

	"orderdesk/backend"
	"orderdesk/backend/platforms"
	"orderdesk/backend/simshop"
)

// adapter opens the shop's adapter in the test, to pick orders its rules
// allow an action on (the same rules the binary applies).
func (r *rig) adapter(name string) backend.Shop {
	r.t.Helper()
	s, err := platforms.Open(r.shops[name].Config(name))
	if err != nil {
		r.t.Fatal(err)
	}
	return s
}

// candidate finds an order of the shop and an action of the kind that the
// platform's rules allow on it.
func (r *rig) candidate(name string, kind backend.ActionKind, n int) (*backend.Order, backend.Action, bool) {
	shop := r.adapter(name)
	var actions []backend.Action
	switch kind {
	case backend.ActionStatus:
		for _, v := range shop.Capabilities().Status.Values {
			actions = append(actions, backend.Action{Kind: kind, Status: v.Value})
		}
	case backend.ActionShip:
		actions = []backend.Action{{Kind: kind, Shipment: backend.Shipment{Carrier: "UPS", TrackingNumber: fmt.Sprintf("1ZTEST%s%04d", strings.ToUpper(name), n)}}}
	case backend.ActionRemark:
		actions = []backend.Action{{Kind: kind, Remark: fmt.Sprintf("desk test remark %s %d", name, n)}}
	}
	for _, o := range r.shops[name].Orders() {
		o.Shop, o.Ref = name, backend.Ref{Shop: name, Number: o.Number}
		for _, a := range actions {
			if shop.Check(o, a) == nil {
				return o, a, true
			}
		}
	}
	return nil, backend.Action{}, false
}

// editArgs is the command line of an action.
func editArgs(ref string, a backend.Action) []string {
	switch a.Kind {
	case backend.ActionStatus:
		return []string{"status", ref, a.Status, "--yes"}
	case backend.ActionShip:
		return []string{"ship", ref, "--carrier", a.Shipment.Carrier, "--tracking", a.Shipment.TrackingNumber, "--yes"}
	}
	return []string{"remark", ref, a.Remark, "--yes"}
}

// TestEditsOnEveryPlatform: every supported action on every platform is
// applied exactly once and shows on the shop; every unsupported one is
// refused with its reason and sends nothing.
func TestEditsOnEveryPlatform(t *testing.T) {
	t.Parallel()
	r := newRig(t, fourShops(40))
	r.must(0, "sync")
	for _, name := range r.names {
		srv := r.shops[name]
		shop := r.adapter(name)
		for i, kind := range []backend.ActionKind{backend.ActionStatus, backend.ActionShip, backend.ActionRemark} {
			capa := shop.Capabilities().Of(kind)
			if !capa.Supported {
				o := srv.Orders()[0]
				a := backend.Action{Kind: kind, Status: "x", Remark: "x", Shipment: backend.Shipment{Carrier: "UPS", TrackingNumber: "1Z999AA10123456784"}}
				before := len(srv.Writes())
				_, errOut, code := r.run(editArgs(name+":"+o.Number, a)...)
				if code != 2 || !strings.Contains(errOut, capa.Why) {
					t.Errorf("%s %s (unsupported): exit %d, stderr %q; want 2 and %q", name, kind, code, errOut, capa.Why)
				}
				if len(srv.Writes()) != before {
					t.Errorf("%s %s (unsupported): a write was sent", name, kind)
				}
				continue
			}
			o, a, ok := r.candidate(name, kind, i)
			if !ok {
				t.Errorf("%s: no order accepts a %s", name, kind)
				continue
			}
			applied := srv.Applied(o.Number)
			out := r.must(0, editArgs(name+":"+o.Number, a)...)
			if !strings.Contains(out, "done") {
				t.Errorf("%s %s: output %q", name, kind, out)
			}
			after, _ := srv.Order(o.Number)
			if !backend.Shows(shop, after, a) {
				t.Errorf("%s %s on %s: the shop does not show it", name, kind, o.Number)
			}
			if n := srv.Applied(o.Number) - applied; n != 1 {
				t.Errorf("%s %s on %s: applied %d times", name, kind, o.Number, n)
			}
		}
	}
	if out := r.must(0, "pending"); !strings.Contains(out, "no pending edits") {
		t.Errorf("pending after confirmed edits:\n%s", out)
	}
	// The audit log names who made each edit, when, what and how it ended.
	st := r.openStore()
	defer st.Close()
	log, err := st.AuditLog(backend.Ref{})
	if err != nil {
		t.Fatal(err)
	}
	results := map[backend.EditState]int{}
	for _, a := range log {
		if a.Operator != "tester" || a.At.IsZero() || a.What == "" || a.EditID == "" {
			t.Errorf("audit line lacks who/when/what: %+v", a)
		}
		results[a.Result]++
	}
	if results[backend.EditPending] == 0 || results[backend.EditDone] != results[backend.EditPending] {
		t.Errorf("audit results %v: want one saved (pending) and one done line per edit", results)
	}
}

// TestRefusalsSendNothing: wrong state and missing confirmation exit 2 and
// save nothing.
func TestRefusalsSendNothing(t *testing.T) {
	t.Parallel()
	r := newRig(t, fourShops(40))
	r.must(0, "sync")
	for _, name := range []string{"eu", "sl", "ym"} {
		srv := r.shops[name]
		cancelled := pick(t, srv, func(o *backend.Order) bool { return o.State.Order == backend.OrderCancelled })
		before := len(srv.Writes())
		_, errOut, code := r.run("ship", name+":"+cancelled.Number, "--carrier", "UPS", "--tracking", "1Z999AA10123456784", "--yes")
		if code != 2 || errOut == "" {
			t.Errorf("%s: ship a cancelled order: exit %d, stderr %q", name, code, errOut)
		}
		if len(srv.Writes()) != before {
			t.Errorf("%s: a refused ship was sent", name)
		}
	}
	// YMCart emails the customer on ship: without a terminal, --yes is required.
	o, a, _ := r.candidate("ym", backend.ActionShip, 9)
	args := editArgs("ym:"+o.Number, a)
	_, errOut, code := r.run(args[:len(args)-1]...)
	if code != 2 || !strings.Contains(errOut, "--yes") {
		t.Errorf("ym ship without --yes: exit %d, stderr %q", code, errOut)
	}
	if r.shops["ym"].Applied(o.Number) != 0 || pendingCount(r) != 0 {
		t.Error("an unconfirmed edit was saved or sent")
	}
}

func pendingCount(r *rig) int {
	var edits []backend.Edit
	if err := json.Unmarshal([]byte(r.must(0, "pending", "--format", "json")), &edits); err != nil {
		r.t.Fatal(err)
	}
	return len(edits)
}

// TestOfflineEditIsSentByNextSync: shop unreachable → exit 3 and the edit is
// pending; shop back → sync sends it; applied exactly once.
func TestOfflineEditIsSentByNextSync(t *testing.T) {
	t.Parallel()
	r := newRig(t, fourShops(20))
	r.must(0, "sync")
	srv := r.shops["sl"]
	o, a, _ := r.candidate("sl", backend.ActionShip, 1)
	if err := srv.SetOffline(true); err != nil {
		t.Fatal(err)
	}
	r.must(3, editArgs("sl:"+o.Number, a)...)
	pend := r.must(0, "pending")
	if !strings.Contains(pend, "sl:"+o.Number) || !strings.Contains(pend, "pending") {
		t.Errorf("pending does not show the edit:\n%s", pend)
	}
	var shown backend.Order
	json.Unmarshal([]byte(r.must(0, "show", "sl:"+o.Number, "--format", "json")), &shown)
	if len(shown.Pending) != 1 || shown.Pending[0].Kind != "ship" {
		t.Errorf("show: pending %+v", shown.Pending)
	}
	if got := refs(r.listJSON("--filter", "is:pending")); len(got) != 1 || got[0] != "sl:"+o.Number {
		t.Errorf("is:pending: %v", got)
	}
	if err := srv.SetOffline(false); err != nil {
		t.Fatal(err)
	}
	r.must(0, "sync")
	if n := srv.Applied(o.Number); n != 1 {
		t.Errorf("applied %d times, want 1", n)
	}
	r.must(0, "sync")
	if n := srv.Applied(o.Number); n != 1 || pendingCount(r) != 0 {
		t.Errorf("after another sync: applied %d, pending %d", n, pendingCount(r))
	}
}

// TestLostResponseAppliedOnce: the shop applies the write and the answer is
// lost; the desk reads the order back instead of resending.
func TestLostResponseAppliedOnce(t *testing.T) {
	t.Parallel()
	r := newRig(t, fourShops(20))
	r.must(0, "sync")
	for i, name := range []string{"eu", "sl", "ym"} {
		srv := r.shops[name]
		o, a, _ := r.candidate(name, backend.ActionShip, 20+i)
		srv.Inject(simshop.Fault{Kind: simshop.FaultDropAfterApply, On: simshop.Writes})
		_, errOut, code := r.run(editArgs(name+":"+o.Number, a)...)
		if code != 0 && code != 3 {
			t.Errorf("%s: exit %d: %s", name, code, errOut)
		}
		r.must(0, "sync")
		r.must(0, "sync")
		if n := srv.Applied(o.Number); n != 1 {
			t.Errorf("%s: applied %d times, want exactly 1", name, n)
		}
		if pendingCount(r) != 0 {
			t.Errorf("%s: edit still open:\n%s", name, r.must(0, "pending"))
		}
	}
}

// TestConflictSendsNothing: the shop changed the order's status after the
// desk cached it; the edit becomes a conflict and nothing is sent.
func TestConflictSendsNothing(t *testing.T) {
	t.Parallel()
	r := newRig(t, fourShops(30))
	r.must(0, "sync")
	srv := r.shops["ym"]
	shop := r.adapter("ym")
	// Someone else changes the order's status on the shop after the sync.
	var o *backend.Order
	var mine backend.Action
	for _, cand := range srv.Orders() {
		var ok []backend.Action
		for _, v := range shop.Capabilities().Status.Values {
			if a := (backend.Action{Kind: backend.ActionStatus, Status: v.Value}); shop.Check(cand, a) == nil {
				ok = append(ok, a)
			}
		}
		if len(ok) >= 2 {
			if _, err := shop.Apply(context.Background(), cand, ok[0]); err != nil {
				t.Fatal(err)
			}
			o, mine = cand, ok[1]
			break
		}
	}
	if o == nil {
		t.Fatal("no order with two possible status changes")
	}
	a := mine
	before := len(srv.Writes())
	_, errOut, code := r.run(editArgs("ym:"+o.Number, a)...)
	if code != 1 || !strings.Contains(errOut, "conflict") {
		t.Errorf("exit %d, stderr %q; want 1 naming the conflict", code, errOut)
	}
	if len(srv.Writes()) != before {
		t.Error("a conflicting edit was sent")
	}
	if !strings.Contains(r.must(0, "pending"), "conflict") {
		t.Error("pending does not show the conflict")
	}
	r.must(0, "sync")
	if len(srv.Writes()) != before {
		t.Error("sync sent a conflicting edit")
	}
}

// TestMalformedPageKeepsCache: a malformed list page fails the sync naming
// the shop; every order synced before is still listed.
func TestMalformedPageKeepsCache(t *testing.T) {
	t.Parallel()
	r := newRig(t, fourShops(20))
	r.must(0, "sync")
	before := refs(r.listJSON())
	r.shops["sl"].Inject(simshop.Fault{Kind: simshop.FaultMalformed, On: simshop.Reads, Times: 100})
	_, errOut, code := r.run("sync")
	if code != 1 || !strings.Contains(errOut, "sl") {
		t.Errorf("sync with a malformed page: exit %d, stderr %q", code, errOut)
	}
	r.shops["sl"].ClearFaults()
	if after := refs(r.listJSON()); strings.Join(after, ",") != strings.Join(before, ",") {
		t.Errorf("cache changed: %d orders before, %d after", len(before), len(after))
	}
}
