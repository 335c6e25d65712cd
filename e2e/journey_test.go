package e2e

import (
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"time"

	"orderdesk/backend"
)

// TestOperatorJourney is an operator's session with the real binary in a
// real terminal (tmux), at 80×24 and 160×50. Every text field (the filter,
// the remark, the ship form's carrier, tracking number and URL, the
// import and export paths) takes every printable ASCII character, a CJK
// string and a bracketed paste as text: nothing fires, the field holds
// exactly what was typed, the desk keeps running. Then a mixed bulk ship
// (YMCart and SHOPLINE marked together) counts the emails per platform; a
// cancel asks first with the focus on Cancel; two remarks meet orders
// another operator changed meanwhile: one conflict is retried, the other
// discarded; a sync interrupted by quitting leaves the last good sync in
// the status bar of the next session, with the failure beside it.
//
// The text fields are typed at 80×24 only, in a desk of their own beside
// the journeys: a key reaches a field the same way at any size, and the
// narrow terminal is where the text has the least room to show whole.
// They are most of the keys of the journey, and a race-built desk
// redraws a 160×50 screen some 60 ms a key: typed at both sizes, one
// after the other with the rest, they made the longest test of the
// package (a minute and more under load).
func TestOperatorJourney(t *testing.T) {
	needTmux(t)
	t.Parallel()
	if testing.Short() {
		t.Skip("the operator journey takes about half a minute")
	}
	t.Run("text fields 80x24", func(t *testing.T) {
		t.Parallel()
		start := time.Now()
		home := t.TempDir()
		j := &journey{home: home, db: filepath.Join(home, "desk.db")}
		j.tuiDesk = j.open(t, 80, 24, "fields")
		j.textFields()
		t.Logf("text fields done in %v", time.Since(start).Round(time.Millisecond))
	})
	for _, size := range [][2]int{{80, 24}, {160, 50}} {
		t.Run(fmt.Sprintf("%dx%d", size[0], size[1]), func(t *testing.T) {
			t.Parallel()
			start := time.Now()
			j := startJourney(t, size[0], size[1])
			j.mixedBulkShip()
			j.cancelAsksFirst()
			j.conflictRetried()
			j.conflictDiscarded()
			j.interruptedSyncKeepsLastGood()
			t.Logf("%dx%d done in %v", size[0], size[1], time.Since(start).Round(time.Millisecond))
		})
	}
}

const journeyOrders = "20"

type journey struct {
	*tuiDesk
	home, db  string
	conflicts [2]string // SHOPLINE order numbers another operator changed
	shippedSL string    // the SHOPLINE order number mixedBulkShip shipped
}

// startJourney prepares a demo database whose shops another operator has
// changed behind its back (two SHOPLINE orders got a remark through a copy
// of the database), then opens the desk on it.
func startJourney(t *testing.T, w, h int) *journey {
	home := t.TempDir()
	j := &journey{home: home, db: filepath.Join(home, "desk.db")}
	var picked []string
	for _, o := range demoOrders(t, j.db, "sl-global") {
		// not an order the journey ships or cancels first (those are
		// re-read from the shop, which would show the change)
		toShip := o.State.Payment == backend.PayPaid && o.State.Fulfillment == backend.FulUnfulfilled
		if o.State.Order == backend.OrderOpen && !toShip && len(picked) < 2 {
			picked = append(picked, o.Number)
		}
	}
	if len(picked) < 2 {
		t.Fatal("fewer than two open SHOPLINE orders in the demo")
	}
	j.conflicts = [2]string{picked[0], picked[1]}
	other := filepath.Join(home, "other.db")
	copyFile(t, j.db, other)
	copyDir(t, demoShopsDir(j.db), demoShopsDir(other))
	for _, n := range j.conflicts {
		demoRun(t, other, 0, "remark", "sl-global:"+n, "changed by another operator")
	}
	if err := os.RemoveAll(demoShopsDir(j.db)); err != nil {
		t.Fatal(err)
	}
	copyDir(t, demoShopsDir(other), demoShopsDir(j.db))
	j.tuiDesk = j.open(t, w, h, "journey")
	return j
}

func (j *journey) open(t *testing.T, w, h int, name string) *tuiDesk {
	desk := fmt.Sprintf("%s --demo --demo-orders %s --demo-latency 150ms --db %s", shellQuote(binary), journeyOrders, shellQuote(j.db))
	d := startInTmux(t, fmt.Sprintf("%s-%dx%d", name, w, h), w, h, isolatedEnv(j.home), desk)
	d.waitFor("the list", smokeStart, func(s screen) bool {
		n, _, ok := s.shown()
		return ok && n > 0 && len(s.rows()) > 0
	})
	return d
}

func copyFile(t *testing.T, from, to string) {
	t.Helper()
	b, err := os.ReadFile(from)
	if err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(to, b, 0o600); err != nil {
		t.Fatal(err)
	}
}

func copyDir(t *testing.T, from, to string) {
	t.Helper()
	if out, err := exec.Command("cp", "-R", from, to).CombinedOutput(); err != nil {
		t.Fatalf("cp -R %s %s: %v: %s", from, to, err, out)
	}
}

// journeyChunks are what every field gets typed: all printable ASCII (the
// space in the middle of a chunk, where the screen keeps it), then a CJK
// string; journeyPaste comes as a bracketed paste.
var journeyChunks = []string{
	`!"#$%&'()*+,-./0 123456789:;<=>?@`,
	`ABCDEFGHIJKLMNOPQRSTUVWXYZ[\]^_` + "`",
	`abcdefghijklmnopqrstuvwxyz{|}~ jkq`,
	`李娜 佐藤花子 张伟`,
}

const journeyPaste = "+81 90-1234-5678"

// paste sends text as a bracketed paste (the desk asks the terminal for
// bracketed paste mode; tmux -p wraps the text in its markers).
func (d *tuiDesk) paste(text string) {
	d.t.Helper()
	d.tmux("set-buffer", "-b", "journey", "--", text)
	d.tmux("paste-buffer", "-p", "-b", "journey", "-t", smokeSession)
}

// textField is one text field of the desk: how to open it on an empty
// field, and how its text shows on the screen (prefix + text).
type textField struct {
	name   string
	open   func()
	prefix string
	box    string // a text of the field's box that stays while typing ("" for the filter)
}

func (j *journey) textFields() {
	j.t.Helper()
	fields := []textField{
		{"filter", func() { j.keys("/") }, "/ ", ""},
		{"remark", func() { j.keys("r") }, "│ ", "Remark on sl-global"},
		{"carrier", func() { j.keys("s") }, "Carrier   ", "Ship sl-global"},
		{"tracking", func() { j.keys("s"); j.waitBox("Ship sl-global"); j.press("Tab") }, "Tracking  ", "Ship sl-global"},
		{"url", func() { j.keys("s"); j.waitBox("Ship sl-global"); j.press("Tab"); j.press("Tab") }, "Own URL   ", "Ship sl-global"},
		{"import path", func() { j.keys("I"); j.waitBox("Import tracking"); j.press("C-u") }, "File      ", "Import tracking"},
		{"export path", func() { j.keys("X"); j.waitBox("Export the view"); j.press("C-u") }, "File      ", "Export the view"},
	}
	for i, f := range fields {
		if i == 1 {
			// the other fields are on a SHOPLINE order (it takes remarks and shipments)
			j.filter("shop:sl-global")
		}
		for _, chunk := range append(append([]string{}, journeyChunks...), "") {
			paste := chunk == ""
			f.open()
			if f.box != "" {
				j.waitBox(f.box)
			}
			text := chunk
			if paste {
				text = journeyPaste
				j.paste(text)
			} else {
				j.keys(chunk)
			}
			s := j.waitFor(fmt.Sprintf("%s holding %q", f.name, text), smokeStep, func(s screen) bool { return s.has(f.prefix + text) })
			j.nothingFired(f, text, s)
			// the field closed is esc read alone: the next key cannot
			// join it (escape's wait is not needed)
			j.press("Escape")
			j.waitFor(f.name+" closed by esc", smokeStep, func(s screen) bool {
				return (f.box == "" || !s.has(f.box)) && !s.has(f.prefix+text) && !s.has("╭") && s.hasList()
			})
		}
	}
	if s := j.capture(); s.has("EXIT=") {
		j.t.Fatalf("%dx%d: the desk ended while typing:\n%s", j.w, j.h, s)
	}
	j.escape() // clears the filter
}

// nothingFired: the field's box is still up (the filter: no box, no help,
// the sort unchanged), and the desk still runs.
func (j *journey) nothingFired(f textField, text string, s screen) {
	j.t.Helper()
	bad := s.has("EXIT=") || (f.box != "" && !s.has(f.box)) ||
		(f.box == "" && (s.has("╭") || s.has("Keys  (change") || !strings.HasPrefix(s.line(1), "/ ")))
	if bad {
		j.t.Fatalf("%dx%d: typing %q in the %s fired something:\n%s", j.w, j.h, text, f.name, s)
	}
}

func (j *journey) waitBox(title string) {
	j.t.Helper()
	j.waitFor("the box "+title, smokeStep, func(s screen) bool { return s.has(title) })
}

// filter sets the filter (replacing what was there) and goes to the list.
func (j *journey) filter(q string) {
	j.t.Helper()
	j.keys("/")
	j.press("C-u")
	j.keys(q)
	j.waitFor("the filter "+q, smokeStep, func(s screen) bool {
		n, _, ok := s.shown()
		return ok && n > 0 && strings.Contains(s.line(1), q) && len(s.rows()) > 0
	})
	j.press("Enter")
}

// mixedBulkShip marks a YMCart and a SHOPLINE order and ships both: the
// form and the preview count the emails per platform (YMCart's customer
// only), and both are saved and sent.
func (j *journey) mixedBulkShip() {
	j.t.Helper()
	j.filter("shop:ym-erp is:open pay:paid ship:unfulfilled")
	j.keys(" ")
	j.filter("shop:sl-global is:open pay:paid ship:unfulfilled")
	j.keys(" ")
	s := j.waitFor("2 marked, one of them a sl-global row", smokeStep, func(s screen) bool {
		return s.has("2 marked") && len(markedRows(s, "sl-global")) == 1
	})
	j.shippedSL = markedRows(s, "sl-global")[0]
	j.keys("s")
	s = j.waitFor("the ship form of 2 marked orders", smokeStep, func(s screen) bool { return s.has("Ship 2 marked orders") })
	if !s.has("ymcart emails the customer on every shipment (1 order)") || !s.has("[ ] email the shopline customer (1 order)") {
		j.t.Fatalf("%dx%d: the ship form does not say who is emailed, per platform:\n%s", j.w, j.h, s)
	}
	j.keys("UPS")
	j.press("Tab")
	j.keys(smokeTracking)
	j.waitFor("the tracking number", smokeStep, func(s screen) bool { return s.has("Tracking  " + smokeTracking) })
	for range 3 { // tracking → URL → the switch (left off) → submit
		j.press("Enter")
		time.Sleep(100 * time.Millisecond)
	}
	s = j.waitFor("the confirmation", smokeStep, func(s screen) bool { return s.has("y confirm") })
	if !s.has("1 customer gets an email from the shop (ymcart") || s.has("(shopline sends") || s.has("2 customers") {
		j.t.Fatalf("%dx%d: the preview does not count the emails per platform:\n%s", j.w, j.h, s)
	}
	j.keys("y")
	j.waitFor("the 2 edits saved", smokeStep, func(s screen) bool { return s.has("saved 2 edits") || s.has("done: ship UPS") })
	j.waitFor("both shipments confirmed", smokeEditDone, func(s screen) bool {
		return !s.has("unsent") && !s.has("⇡") && !s.has("marked")
	})
	j.escape() // clears the filter
}

// markedRows are the numbers of the rows of shop marked (✓) on the screen.
func markedRows(s screen, shop string) []string {
	var out []string
	for _, r := range s.rows() {
		if r.shop == shop && r.marker == "✓" {
			out = append(out, r.number)
		}
	}
	return out
}

var savedCancel = regexp.MustCompile(`saved E\d+: status → cancel`)

// cancelAsksFirst: the picker starts on no change (t enter changes
// nothing); cancel asks, naming the order and what cannot be undone, with
// the focus on Cancel (enter keeps the order); y cancels it.
func (j *journey) cancelAsksFirst() {
	j.t.Helper()
	j.filter("shop:sl-global is:open pay:paid ship:unfulfilled")
	// the rows before the filter stay until its answer: wait for the
	// filter's own (every one of the shop, paid and unfulfilled). The
	// order the bulk ship just shipped tells them apart: rows the desk
	// filtered before its data had the shipment (CI saw them, the order
	// shipped on top, "unfulfilled") hold it, the answer cannot.
	s := j.waitFor("the filter's rows, without "+j.shippedSL+" shipped by the bulk ship", smokeStep, func(s screen) bool {
		if !s.onlyShop("sl-global") {
			return false
		}
		for _, r := range s.rows() {
			if (!r.has("unfulfilled") && !r.has("unfulfilled*")) || r.number == j.shippedSL {
				return false
			}
		}
		return true
	})
	ref := "sl-global:" + s.rows()[0].number
	j.keys("t")
	j.waitFor("the status picker on no change", smokeStep, func(s screen) bool { return s.has("› no change") })
	j.press("Enter")
	j.waitFor("enter on no change saving nothing", smokeStep, func(s screen) bool { return s.has("status not changed") && !s.has("╭") })
	j.keys("t")
	j.waitFor("the status picker", smokeStep, func(s screen) bool { return s.has("› no change") })
	j.keys("c")
	j.waitFor("c jumping to cancel", smokeStep, func(s screen) bool { return s.has("› cancel") })
	j.press("Enter")
	s = j.waitFor("the cancel asking first", smokeStep, func(s screen) bool { return s.has("cannot be undone: cancels") })
	if !s.has(ref) || !s.has("cancels the order on SHOPLINE") {
		j.t.Fatalf("%dx%d: the question does not name %s and the consequence:\n%s", j.w, j.h, ref, s)
	}
	j.press("Enter") // the focus is on Cancel
	j.waitFor("enter keeping the order", smokeStep, func(s screen) bool { return s.has("cancelled; nothing saved") && !s.has("╭") })
	j.keys("t")
	j.waitFor("the status picker", smokeStep, func(s screen) bool { return s.has("› no change") })
	j.keys("c")
	j.waitFor("c jumping to cancel", smokeStep, func(s screen) bool { return s.has("› cancel") })
	j.press("Enter")
	j.waitFor("the cancel asking first", smokeStep, func(s screen) bool { return s.has("cannot be undone: cancels") })
	j.keys("y")
	j.waitFor("the cancel saved", smokeStep, func(s screen) bool { return savedCancel.MatchString(s.String()) || s.has("done: status → cancel") })
	j.waitFor("the cancel confirmed", smokeEditDone, func(s screen) bool { return s.has("done: status → cancel") })
	j.escape()
}

// remarkConflict writes a remark on an order another operator changed
// since the desk read it: the shop has a remark the desk never saw.
func (j *journey) remarkConflict(number, text string) {
	j.t.Helper()
	j.filter("number:" + number)
	j.keys("r")
	j.waitBox("Remark on sl-global:" + number)
	j.keys(text)
	j.press("Enter")
	j.waitFor("the remark in conflict", smokeEditDone, func(s screen) bool {
		rows := s.rows()
		return len(rows) == 1 && rows[0].marker == "!" && s.has("conflict")
	})
	j.keys("e")
	s := j.waitFor("the conflict side by side", smokeStep, func(s screen) bool { return s.has("YOU SAW") && s.has("THE SHOP HAS NOW") })
	for i := 0; !s.has("changed by another") && i < 12; i++ {
		j.press("Down") // a small terminal scrolls the dialog
		s, _ = j.poll(300*time.Millisecond, func(now screen) bool { return now.String() != s.String() })
	}
	if !s.has("changed by another") || !s.has(text) {
		j.t.Fatalf("%dx%d: the side-by-side does not show the other operator's change:\n%s", j.w, j.h, s)
	}
}

func (j *journey) conflictRetried() {
	j.t.Helper()
	j.remarkConflict(j.conflicts[0], "journey retried")
	j.keys("r")
	j.waitFor("the retried remark done", smokeEditDone, func(s screen) bool {
		rows := s.rows()
		return s.has("done: remark") && len(rows) == 1 && rows[0].marker == ""
	})
	j.escape()
}

func (j *journey) conflictDiscarded() {
	j.t.Helper()
	j.remarkConflict(j.conflicts[1], "journey discarded")
	j.keys("d")
	j.waitFor("discard asking first", smokeStep, func(s screen) bool { return s.has("Discard E") })
	j.press("Enter") // on Cancel: back to the edit
	j.waitFor("enter keeping the edit", smokeStep, func(s screen) bool { return s.has("YOU SAW") })
	j.keys("d")
	j.waitFor("discard asking first", smokeStep, func(s screen) bool { return s.has("Discard E") })
	j.keys("y")
	j.waitFor("the edit discarded", smokeStep, func(s screen) bool {
		rows := s.rows()
		return s.has("discarded") && len(rows) == 1 && rows[0].marker == ""
	})
	j.escape()
}

// interruptedSyncKeepsLastGood: F then q at once ends a sync part way;
// the next session's status bar keeps the last good sync's age, with the
// failure beside it (it used to say "never").
func (j *journey) interruptedSyncKeepsLastGood() {
	j.t.Helper()
	j.keys("F")
	j.waitFor("the sync running", smokeStep, func(s screen) bool { return s.has("syncing") })
	j.keys("q")
	j.waitFor("the desk ended", smokeStep, func(s screen) bool { return s.has("EXIT=0") })
	again := j.open(j.t, j.w, j.h, "journey-again")
	s := again.waitFor("the last try's failure in the status bar", smokeStep, func(s screen) bool { return s.has("last try failed") })
	if status := strings.Join(s[s.status():], "\n"); strings.Contains(status, "never") || !strings.Contains(status, "interrupted") {
		j.t.Fatalf("%dx%d: after an interrupted sync the status bar reads:\n%s", j.w, j.h, s)
	}
	again.keys("q")
}
