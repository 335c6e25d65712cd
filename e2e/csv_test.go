package e2e

import (
	"encoding/csv"
	"os"
	"slices"
	"strings"
	"testing"
	"time"
)

// `list --format csv` for spreadsheets: a byte order mark with --bom or
// the config's [export] bom (and none with --bom=false), times in the
// config's display zone with their offset.
func TestListCSVForSpreadsheets(t *testing.T) {
	t.Parallel()
	const bom = "\xEF\xBB\xBF"
	r := newRig(t, fourShops(6)[1:2]) // cn: Fecmall, in Asia/Shanghai
	cfg, err := os.ReadFile(r.cfg)
	if err != nil {
		t.Fatal(err)
	}
	setConfig := func(text string) {
		if err := os.WriteFile(r.cfg, []byte(text), 0o600); err != nil {
			t.Fatal(err)
		}
	}
	setConfig(strings.Replace(string(cfg), `timezone = "UTC"`, `timezone = "Asia/Shanghai"`, 1))
	r.must(0, "sync")
	want := map[string]time.Time{} // ref → created_at, from the JSON output
	for _, o := range r.listJSON() {
		if o.CreatedAt != nil {
			want[o.Ref.String()] = *o.CreatedAt
		}
	}

	out := r.must(0, "list", "--format", "csv", "--bom")
	if !strings.HasPrefix(out, bom+"ref,") {
		t.Fatalf("--bom: output starts %q, want the byte order mark then the header", out[:min(len(out), 10)])
	}
	recs, err := csv.NewReader(strings.NewReader(strings.TrimPrefix(out, bom))).ReadAll()
	if err != nil {
		t.Fatal(err)
	}
	col := slices.Index(recs[0], "created_at")
	if len(recs) != 7 || col < 0 {
		t.Fatalf("want a header and 6 rows with created_at, got %d rows, header %v", len(recs), recs[0])
	}
	for _, rec := range recs[1:] {
		got, err := time.Parse(time.RFC3339, rec[col])
		if err != nil || !strings.HasSuffix(rec[col], "+08:00") {
			t.Errorf("%s: created_at %q: want RFC 3339 with +08:00 (the config's zone)", rec[0], rec[col])
			continue
		}
		if !got.Equal(want[rec[0]]) {
			t.Errorf("%s: created_at %v, the JSON says %v", rec[0], got, want[rec[0]])
		}
	}
	if out := r.must(0, "list", "--format", "csv"); strings.HasPrefix(out, bom) {
		t.Error("a byte order mark without --bom or [export] bom")
	}

	// [export] bom = true is the default for list; --bom=false overrides it.
	setConfig(strings.Replace(string(cfg), `timezone = "UTC"`, `timezone = "Asia/Shanghai"`, 1) + "\n[export]\nbom = true\n")
	if out := r.must(0, "list", "--format", "csv"); !strings.HasPrefix(out, bom+"ref,") {
		t.Errorf("[export] bom = true: output starts %q", out[:min(len(out), 10)])
	}
	if out := r.must(0, "list", "--format", "csv", "--bom=false"); !strings.HasPrefix(out, "ref,") {
		t.Errorf("--bom=false: output starts %q", out[:min(len(out), 10)])
	}
	if out := r.must(0, "list"); strings.Contains(out, bom) {
		t.Error("the table got a byte order mark")
	}
	if _, errOut, code := r.run("list", "--bom"); code != 2 || !strings.Contains(errOut, "--format csv") {
		t.Errorf("--bom with the table: exit %d, %q; want a usage error", code, errOut)
	}
}
