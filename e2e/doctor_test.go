package e2e

import (
	"encoding/json"
	"os"
	"regexp"
	"strconv"
	"strings"
	"testing"

	"orderdesk/cache"
)

// doctorSections splits doctor's table into the block of each shop (its
// line and the check lines under it), by shop name, and the rest.
func doctorSections(t *testing.T, out string, names []string) map[string]string {
	t.Helper()
	blocks := map[string]string{}
	cur := ""
	for line := range strings.Lines(out) {
		if !strings.HasPrefix(line, " ") {
			cur = "other"
			for _, n := range names {
				if f := strings.Fields(line); len(f) > 1 && f[1] == n {
					cur = n
				}
			}
			if _, dup := blocks[cur]; dup && cur != "other" {
				t.Errorf("shop %s has two lines:\n%s", cur, out)
			}
		}
		blocks[cur] += line
	}
	for _, n := range names {
		if blocks[n] == "" {
			t.Errorf("no line for shop %s:\n%s", n, out)
		}
	}
	return blocks
}

// noWrites fails when any shop of the rig received a write.
func (r *rig) noWrites() {
	r.t.Helper()
	for name, srv := range r.shops {
		for _, w := range srv.Writes() {
			r.t.Errorf("doctor sent a write to %s: %s %s", name, w.Method, w.Path)
		}
	}
}

func TestDoctorHealthyShops(t *testing.T) {
	t.Parallel()
	r := newRig(t, fourShops(10))
	r.must(0, "sync")
	for _, srv := range r.shops {
		srv.ResetRecord()
	}
	out := r.must(0, "doctor")
	blocks := doctorSections(t, out, r.names)
	for _, n := range r.names {
		head, _, _ := strings.Cut(blocks[n], "\n")
		if !strings.HasPrefix(head, "✓ "+n+" ") || !strings.HasSuffix(head, " healthy") {
			t.Errorf("shop line %q, want ✓ %s … healthy", head, n)
		}
		if strings.Contains(blocks[n], "✗") || strings.Contains(blocks[n], "!") {
			t.Errorf("a healthy shop's block shows a problem:\n%s", blocks[n])
		}
		if len(r.shops[n].Requests()) == 0 {
			t.Errorf("doctor did not contact %s", n)
		}
	}
	for _, want := range []string{"✓ this machine  healthy", "no problem found in 40 orders", "no other process has it open",
		"from token_env OD_SECRET_SL (line ", "from password_env OD_SECRET_EU (line ", "all 4 shops work; this machine is fine"} {
		if !strings.Contains(out, want) {
			t.Errorf("output lacks %q:\n%s", want, out)
		}
	}
	r.noWrites()

	var doc struct {
		OK    bool
		Shops []struct {
			Shop, Status, Cause string
			Checks              []struct{ ID, Status, Detail string }
		}
		Local []struct{ ID, Status string }
	}
	js := r.must(0, "doctor", "--format", "json", "--shop", "sl", "--shop", "ym")
	if err := json.Unmarshal([]byte(js), &doc); err != nil {
		t.Fatalf("json: %v\n%s", err, js)
	}
	if !doc.OK || len(doc.Shops) != 2 || doc.Shops[0].Shop != "sl" || doc.Shops[1].Shop != "ym" || doc.Shops[0].Status != "ok" {
		t.Errorf("json: %+v", doc)
	}
	if len(doc.Local) == 0 {
		t.Errorf("json has no local checks:\n%s", js)
	}
	r.noWrites()
}

// runVarying is what a doctor line holds that differs from run to run: a
// URL, an address with its port (random, 127.0.0.1:40165), a timing (401 ms).
var runVarying = regexp.MustCompile(`https?://\S+|\b\d{1,3}(\.\d{1,3}){3}(:\d+)?\b|\b\d+ ?ms\b`)

// status401 is 401 as a word of its own, an HTTP status as doctor words it.
var status401 = regexp.MustCompile(`\b401\b`)

// The case: a wrong SHOPLINE token and an offline YMCart shop. Each
// failing shop's line names it and its cause; the healthy shops' blocks
// say nothing of the failures; nothing is written; no secret is printed
// (the rig checks the right ones at cleanup, this test the wrong one).
func TestDoctorNamesEachFailingShop(t *testing.T) {
	t.Parallel()
	r := newRig(t, fourShops(10))
	wrong := "sl-wrong-token-0c9d8e7f6a"
	for i, kv := range r.env {
		if strings.HasPrefix(kv, "OD_SECRET_SL=") {
			r.env[i] = "OD_SECRET_SL=" + wrong
		}
	}
	ym := r.shops["ym"]
	if err := ym.SetOffline(true); err != nil {
		t.Fatal(err)
	}
	out := r.must(1, "doctor")
	t.Logf("orderdesk doctor:\n%s", out)
	blocks := doctorSections(t, out, r.names)
	slHead, _, _ := strings.Cut(blocks["sl"], "\n")
	if want := "failing: SHOPLINE answered 401: the token is wrong or expired — create a new one in the admin's Apps > Develop apps"; !strings.HasPrefix(slHead, "✗ sl ") || !strings.HasSuffix(slHead, want) {
		t.Errorf("sl line %q, want ✗ sl … %s", slHead, want)
	}
	ymHead, _, _ := strings.Cut(blocks["ym"], "\n")
	if want := "failing: connection refused at " + ym.URL() + " — is the URL right, is the shop up?"; !strings.HasPrefix(ymHead, "✗ ym ") || !strings.HasSuffix(ymHead, want) {
		t.Errorf("ym line %q, want ✗ ym … %s", ymHead, want)
	}
	for _, n := range []string{"eu", "cn"} {
		b := blocks[n]
		if !strings.HasPrefix(b, "✓ "+n+" ") {
			t.Errorf("healthy shop %s:\n%s", n, b)
		}
		// the shop's URL, address and timings differ from run to run: a
		// port of 40165 or a read of 401 ms is no answer of 401
		said := runVarying.ReplaceAllString(b, "<varies>")
		for _, bad := range []string{"refused", "SHOPLINE", "failing", "✗"} {
			if strings.Contains(said, bad) {
				t.Errorf("healthy shop %s's block mentions %q:\n%s", n, bad, b)
			}
		}
		if status401.MatchString(said) {
			t.Errorf("healthy shop %s's block mentions 401:\n%s", n, b)
		}
	}
	if !strings.Contains(out, "2 of 4 shops failing (sl, ym)") {
		t.Errorf("summary:\n%s", out)
	}
	if strings.Contains(out, wrong) {
		t.Errorf("the wrong token is printed:\n%s", out)
	}
	r.noWrites()

	js, _, code := r.run("doctor", "--format", "json")
	if code != 1 || !strings.Contains(js, `"ok": false`) || strings.Contains(js, wrong) {
		t.Errorf("json: exit %d\n%s", code, js)
	}
}

// A secret that cannot be obtained fails its shop only.
func TestDoctorMissingSecret(t *testing.T) {
	t.Parallel()
	r := newRig(t, fourShops(5))
	var env []string
	for _, kv := range r.env {
		if !strings.HasPrefix(kv, "OD_SECRET_CN=") {
			env = append(env, kv)
		}
	}
	r.env = env
	out := r.must(1, "doctor")
	blocks := doctorSections(t, out, r.names)
	head, _, _ := strings.Cut(blocks["cn"], "\n")
	if !strings.HasPrefix(head, "✗ cn ") || !strings.Contains(head, "environment variable OD_SECRET_CN is not set") {
		t.Errorf("cn line %q", head)
	}
	for _, n := range []string{"eu", "sl", "ym"} {
		if !strings.HasPrefix(blocks[n], "✓ "+n+" ") {
			t.Errorf("shop %s:\n%s", n, blocks[n])
		}
	}
	if reqs := r.shops["cn"].Requests(); len(reqs) != 1 || reqs[0].Method != "HEAD" {
		t.Errorf("without its token, cn got %d requests (want one HEAD for the clock)", len(reqs))
	}
}

// A database another process has open is information, not a failure:
// Verify is skipped and says why.
func TestDoctorDatabaseInUse(t *testing.T) {
	t.Parallel()
	r := newRig(t, fourShops(3))
	st, err := cache.Open(r.db, cache.Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	out := r.must(0, "doctor", "--shop", "eu")
	for _, want := range []string{"open in pid " + strconv.Itoa(os.Getpid()), "- verify", "not run: Verify reads the database alone"} {
		if !strings.Contains(out, want) {
			t.Errorf("output lacks %q:\n%s", want, out)
		}
	}
}

func TestDoctorUsage(t *testing.T) {
	t.Parallel()
	r := newRig(t, fourShops(1))
	for _, args := range [][]string{
		{"doctor", "--format", "xml"},
		{"doctor", "--shop", "nowhere"},
		{"doctor", "extra"},
		{"doctor", "--offline"},
	} {
		out, errOut, code := r.run(args...)
		if code != 2 || out != "" || !strings.Contains(errOut, "orderdesk doctor:") {
			t.Errorf("%v: exit %d, stdout %q, stderr %q", args, code, out, errOut)
		}
	}
	for _, srv := range r.shops {
		if n := len(srv.Requests()); n > 0 {
			t.Errorf("a usage error contacted %s (%d requests)", srv.Platform, n)
		}
	}
}
