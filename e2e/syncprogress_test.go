package e2e

import (
	"fmt"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"testing"
	"time"
)

// TestSyncProgressWithoutTerminal: `sync` with stderr redirected tells
// each shop's pass in lines (its first page with orders of the total and
// an ETA where the platform reports a total, then its end), not a line per
// page, then a summary line; the table on stdout keeps its format.
func TestSyncProgressWithoutTerminal(t *testing.T) {
	t.Parallel()
	shops := fourShops(60)
	for i := range shops {
		shops[i].extra = "rate = 50\n" // 12 Fecshop pages in a blink
	}
	r := newRig(t, shops)
	out, progress, code := r.run("sync")
	if code != 0 {
		t.Fatalf("sync: exit %d\n%s\n%s", code, out, progress)
	}
	first := map[string]*regexp.Regexp{
		"eu": regexp.MustCompile(`(?m)^eu: 5 of 60 orders, page 1, ~1s left$`), // Fecshop: pagination headers
		"cn": regexp.MustCompile(`(?m)^cn: \d+ orders, page 1, ETA unknown$`),  // Fecmall: no total
		"sl": regexp.MustCompile(`(?m)^sl: \d+ of 60 orders, page 1, `),        // SHOPLINE: count.json
		"ym": regexp.MustCompile(`(?m)^ym: \d+ of 60 orders, page 1, `),        // YMCart: count
	}
	for name, re := range first {
		if !re.MatchString(progress) {
			t.Errorf("no first-page line for %s (%s):\n%s", name, re, progress)
		}
		if !regexp.MustCompile(`(?m)^` + name + `: done: 60 orders in \d+ pages?$`).MatchString(progress) {
			t.Errorf("no end line for %s:\n%s", name, progress)
		}
		if n := len(regexp.MustCompile(`(?m)^`+name+`: `).FindAllString(progress, -1)); n > 3 {
			t.Errorf("%d lines for %s in a sync of a second or two (a line per page?):\n%s", n, name, progress)
		}
	}
	if !regexp.MustCompile(`(?m)^orderdesk: sync of 4 shops took [0-9.]+m?s: 240 orders in \d+ pages$`).MatchString(progress) {
		t.Errorf("no summary line:\n%s", progress)
	}
	if !regexp.MustCompile(`(?m)^SHOP +PASS +PAGES +ORDERS +EDITS +RESULT$`).MatchString(out) ||
		!regexp.MustCompile(`(?m)^eu +full +12 +60 +- +ok$`).MatchString(out) {
		t.Errorf("the table on stdout changed:\n%s", out)
	}
	if strings.Contains(progress, "\x1b[") {
		t.Errorf("terminal control sequences in redirected output:\n%q", progress)
	}
}

// TestSyncBarsInTerminal: in a terminal (tmux, 80×24) `sync` draws a live
// bar per shop, redrawn in place (one line per shop, not one per page),
// and leaves the bars, the summary and the table on a clean screen.
func TestSyncBarsInTerminal(t *testing.T) {
	needTmux(t)
	t.Parallel()
	shops := fourShops(200)
	for i := range shops {
		shops[i].extra = "rate = 50\n"
	}
	shops[0].extra = "rate = 10\n" // eu: 40 pages in 4 s, to see its bar move
	r := newRig(t, shops)
	cmd := fmt.Sprintf("%s --config %s --db %s sync", shellQuote(binary), shellQuote(r.cfg), shellQuote(r.db))
	d := startInTmux(t, "syncbars", 80, 24, append(isolatedEnv(t.TempDir()), r.env...), cmd)
	bar := regexp.MustCompile(`^eu +█+░+ +\d+% \d+ of 200 orders, page \d+, ~\d+s left$`)
	d.waitFor("eu's bar part filled, with its ETA", 20*time.Second, func(s screen) bool {
		return slices.ContainsFunc(s, bar.MatchString)
	})
	s := d.waitFor("the sync's end", 20*time.Second, func(s screen) bool { return s.has("EXIT=") })
	if !s.has("EXIT=0") || !s.has("orderdesk: sync of 4 shops took") || !s.has("SHOP ") {
		t.Errorf("the sync did not end well:\n%s", s)
	}
	for _, name := range []string{"eu", "cn", "sl", "ym"} {
		lines := 0
		for _, l := range s {
			if strings.HasPrefix(l, name+" ") && strings.Contains(l, "%") {
				lines++
				if !strings.Contains(l, "100% done: 200 orders in ") {
					t.Errorf("%s's bar at the end: %q", name, l)
				}
			}
		}
		if lines != 1 {
			t.Errorf("%d bars of %s on the screen, want 1 (redrawn in place):\n%s", lines, name, s)
		}
	}
}

// TestDemoFirstSyncTellsProgress: the demo's first sync (filling a new
// --demo --db database) tells its passes as `sync` does, without a
// terminal in lines; the next run, with the database full, says nothing.
func TestDemoFirstSyncTellsProgress(t *testing.T) {
	t.Parallel()
	db := filepath.Join(t.TempDir(), "demo.db")
	_, progress := demoRun(t, db, 0, "list", "--limit", "1")
	for _, want := range []string{
		"eu-fecshop: 5 of 20 orders, page 1, ~2s left\n", // 3 pages left at Fecshop's 2 a second
		"eu-fecshop: done: 20 orders in 4 pages\n",
		"cn-fecmall: done: 20 orders in 2 pages\n",
		"demo shop eu-fecshop     20 orders synced\n",
	} {
		if !strings.Contains(progress, want) {
			t.Errorf("the demo's first sync does not say %q:\n%s", want, progress)
		}
	}
	if _, again := demoRun(t, db, 0, "list", "--limit", "1"); strings.Contains(again, "orders, page") {
		t.Errorf("a second run syncs again:\n%s", again)
	}
}
