package cache

import (
	"path/filepath"
	"reflect"
	"slices"
	"testing"
	"time"

	"orderdesk/backend"
)

func newEdit(ref string, summary string) *backend.Edit {
	r, _ := backend.ParseRef(ref)
	return &backend.Edit{Ref: r, Platform: backend.Shopline, Action: backend.Action{Kind: backend.ActionStatus, Status: "cancel"},
		Summary: summary, Operator: "ann"}
}

func auditLines(t *testing.T, s *Store, ref string) []string {
	t.Helper()
	var r backend.Ref
	if ref != "" {
		r, _ = backend.ParseRef(ref)
	}
	lines, err := s.AuditLog(r)
	if err != nil {
		t.Fatal(err)
	}
	out := []string{}
	for _, a := range lines {
		out = append(out, a.Operator+" "+a.EditID+" "+a.Ref.String()+" "+a.What+" "+string(a.Result)+" "+a.Detail)
	}
	return out
}

func TestAddEdit(t *testing.T) {
	t.Parallel()
	s := openTest(t)
	e1, e2 := newEdit("eu:1", "status → cancel"), newEdit("us:#7", "ship")
	e2.CreatedAt = time.Date(2026, 1, 2, 3, 4, 5, 0, time.FixedZone("CST", 8*3600))
	e2.State = backend.EditSending
	for _, e := range []*backend.Edit{e1, e2} {
		if err := s.AddEdit(e); err != nil {
			t.Fatal(err)
		}
	}
	if e1.Seq != 1 || e1.ID != "E1" || e2.Seq != 2 || e2.ID != "E2" {
		t.Errorf("seq/ID: %d %s, %d %s", e1.Seq, e1.ID, e2.Seq, e2.ID)
	}
	if e1.State != backend.EditPending || !e1.CreatedAt.Equal(testNow) || !e1.UpdatedAt.Equal(testNow) {
		t.Errorf("defaults: %+v", e1)
	}
	if e2.State != backend.EditSending || e2.CreatedAt.Location() != time.UTC || !e2.UpdatedAt.Equal(e2.CreatedAt) {
		t.Errorf("given values: %+v", e2)
	}
	all, err := s.Edits("")
	if err != nil || len(all) != 2 || !reflect.DeepEqual(all[0], *e1) || !reflect.DeepEqual(all[1], *e2) {
		t.Errorf("Edits = %+v, %v", all, err)
	}
	if got := auditLines(t, s, ""); !slices.Equal(got, []string{
		"ann E1 eu:1 status → cancel pending saved",
		"ann E2 us:#7 ship sending saved",
	}) {
		t.Errorf("audit: %q", got)
	}
	bad := &backend.Edit{Ref: backend.Ref{Number: "1"}}
	if err := s.AddEdit(bad); err == nil || bad.Seq != 0 {
		t.Errorf("edit without a shop: %v, seq %d", err, bad.Seq)
	}
	if err := s.AddEdit(nil); err == nil {
		t.Error("nil edit accepted")
	}
}

// TestSaveEditsAuditOnChange walks an edit through its states and checks
// an audit line is written exactly when State or Error changes.
func TestSaveEditsAuditOnChange(t *testing.T) {
	t.Parallel()
	now := testNow
	s, err := Open(filepath.Join(t.TempDir(), "o.db"), Options{Now: func() time.Time { return now }})
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	e := newEdit("eu:1", "status → cancel")
	other := newEdit("us:2", "remark")
	for _, x := range []*backend.Edit{e, other} {
		if err := s.AddEdit(x); err != nil {
			t.Fatal(err)
		}
	}
	step := func(state backend.EditState, errText string, attempts int) {
		t.Helper()
		now = now.Add(time.Minute)
		c := *e
		c.State, c.Error, c.Attempts, c.ID = state, errText, attempts, ""
		if err := s.SaveEdits(nil, c); err != nil {
			t.Fatal(err)
		}
	}
	step(backend.EditSending, "", 1)
	step(backend.EditSending, "", 1)          // no change: no line
	step(backend.EditUnknown, "timeout", 1)   // state and error
	step(backend.EditUnknown, "read back", 1) // error only
	step(backend.EditUnknown, "read back", 2) // attempts only: no line
	step(backend.EditDone, "", 2)
	want := []string{
		"ann E1 eu:1 status → cancel pending saved",
		"ann E1 eu:1 status → cancel sending ",
		"ann E1 eu:1 status → cancel unknown timeout",
		"ann E1 eu:1 status → cancel unknown read back",
		"ann E1 eu:1 status → cancel done ",
	}
	if got := auditLines(t, s, "eu:1"); !slices.Equal(got, want) {
		t.Errorf("audit of eu:1:\n%q\nwant\n%q", got, want)
	}
	if got := auditLines(t, s, ""); len(got) != len(want)+1 {
		t.Errorf("whole audit log has %d lines, want %d", len(got), len(want)+1)
	}
	lines, _ := s.AuditLog(e.Ref)
	for i, minutes := range []int{0, 1, 3, 4, 6} {
		if at := testNow.Add(time.Duration(minutes) * time.Minute); !lines[i].At.Equal(at) || lines[i].Seq == 0 {
			t.Errorf("audit line %d: seq %d at %v, want at %v", i, lines[i].Seq, lines[i].At, at)
		}
	}
	open, _ := s.Edits("")
	if len(open) != 1 || open[0].ID != "E2" {
		t.Errorf("open edits after done: %+v", open)
	}
	hist, _ := s.History(e.Ref)
	if len(hist) != 1 || hist[0].State != backend.EditDone || hist[0].Attempts != 2 || !hist[0].UpdatedAt.Equal(now) {
		t.Errorf("history: %+v", hist)
	}
	if eu, _ := s.Edits("eu"); len(eu) != 0 {
		t.Errorf("Edits(eu) = %+v", eu)
	}
	if us, _ := s.Edits("us"); len(us) != 1 {
		t.Errorf("Edits(us) = %+v", us)
	}
}

// TestSaveEditsAtomic checks fresh and the edits are written together or
// not at all, and that fresh goes through the index maintenance.
func TestSaveEditsAtomic(t *testing.T) {
	t.Parallel()
	s := openTest(t)
	o := fullOrder("eu", "1")
	put(t, s, o)
	e := newEdit("eu:1", "ship")
	if err := s.AddEdit(e); err != nil {
		t.Fatal(err)
	}
	fresh := fullOrder("eu", "1")
	fresh.Shipments = []backend.Shipment{{Carrier: "UPS", TrackingNumber: "1Z999AA10123456784"}}
	fresh.BuyerNote = "fresh"
	done := *e
	done.State = backend.EditDone
	ghost := *e
	ghost.Seq, ghost.ID = 99, ""
	if err := s.SaveEdits(fresh, done, ghost); err == nil {
		t.Fatal("SaveEdits with an unknown edit succeeded")
	}
	if got, _ := s.Order(o.Ref); got.BuyerNote == "fresh" || len(got.Pending) != 1 {
		t.Errorf("a failed SaveEdits wrote something: note %q pending %v", got.BuyerNote, got.Pending)
	}
	for name, bad := range map[string]func(x *backend.Edit){
		"moved ref": func(x *backend.Edit) { x.Ref.Number = "2" },
		"wrong ID":  func(x *backend.Edit) { x.ID = "E7" },
		"no state":  func(x *backend.Edit) { x.State = "" },
	} {
		x := *e
		bad(&x)
		if err := s.SaveEdits(nil, x); err == nil {
			t.Errorf("%s: accepted", name)
		}
	}
	if err := s.SaveEdits(fresh, done); err != nil {
		t.Fatal(err)
	}
	got, _ := s.Order(o.Ref)
	if got.BuyerNote != "fresh" || len(got.Pending) != 0 {
		t.Errorf("after SaveEdits: note %q pending %v", got.BuyerNote, got.Pending)
	}
	if r, _ := s.ByTracking("EE123456785CN"); len(r) != 0 {
		t.Errorf("fresh order's old tracking still indexed")
	}
	mustVerify(t, s)
}

func TestCursors(t *testing.T) {
	t.Parallel()
	s := openTest(t)
	if c, err := s.Cursor("eu"); err != nil || c != (backend.SyncCursor{}) {
		t.Errorf("unset cursor = %+v, %v", c, err)
	}
	hw := time.Date(2026, 10, 1, 2, 3, 4, 0, time.UTC)
	want := backend.SyncCursor{HighWater: &hw, LastFull: backend.UTC(testNow), LastSync: backend.UTC(testNow), LastError: "offline"}
	if err := s.SetCursor("eu", want); err != nil {
		t.Fatal(err)
	}
	got, err := s.Cursor("eu")
	if err != nil || !got.HighWater.Equal(hw) || !got.LastFull.Equal(testNow) || got.LastError != "offline" {
		t.Errorf("cursor = %+v, %v", got, err)
	}
	if c, _ := s.Cursor("us"); c.HighWater != nil {
		t.Errorf("another shop's cursor leaked: %+v", c)
	}
	if err := s.SetCursor("a:b", want); err == nil {
		t.Error("SetCursor accepted a shop name with ':'")
	}
}
