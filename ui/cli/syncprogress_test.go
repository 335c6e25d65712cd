package cli

import (
	"bytes"
	"strings"
	"testing"
	"time"

	"github.com/charmbracelet/x/ansi"

	"orderdesk/backend"
	"orderdesk/backend/engine"
)

// TestBoardRedrawsInPlace: the bars are redrawn over themselves (the
// cursor goes back up as many lines as were drawn), a line never reaches
// the terminal's last column (no wrap, so the count stays true) even with
// shop names two cells a character, and a line said meanwhile goes above
// the bars.
func TestBoardRedrawsInPlace(t *testing.T) {
	width := 80
	b := newBoard(func() int { return width }, true)
	b.tally.Rate = func(string) float64 { return 2 }
	b.tally.Add("欧洲店铺", "cn")
	now := time.Date(2026, 1, 2, 3, 4, 5, 0, time.UTC)
	b.tally.Note(engine.Event{Shop: "欧洲店铺", Kind: engine.EventPage, Pages: 248, Orders: 1240, Total: 25000}, now)
	b.tally.Note(engine.Event{Shop: "cn", Kind: engine.EventPage, Pages: 3, Orders: 150, Total: -1}, now)
	var w bytes.Buffer
	b.draw(&w)
	first := w.String()
	if strings.Contains(first, "\x1b[2A") {
		t.Errorf("the first draw moves up: %q", first)
	}
	lines := drawn(first)
	if len(lines) != 2 {
		t.Fatalf("%d lines, want 2: %q", len(lines), lines)
	}
	if !strings.HasPrefix(lines[0], "欧洲店铺 █") || !strings.HasSuffix(lines[0], "1,240 of 25,000 orders, page 248, ~40m left") {
		t.Errorf("eu's line: %q", lines[0])
	}
	if !strings.HasPrefix(lines[1], "cn       ⠋    ") || !strings.HasSuffix(lines[1], "150 orders, page 3, ETA unknown") {
		t.Errorf("cn's line (no total: a spinner, no bar): %q", lines[1])
	}
	width = 50
	w.Reset()
	b.draw(&w)
	for _, l := range drawn(w.String()) {
		if ansi.StringWidth(l) > 49 {
			t.Errorf("a line of %d cells at 50 columns: %q", ansi.StringWidth(l), l)
		}
	}
	w.Reset()
	b.draw(&w)
	if !strings.HasPrefix(w.String(), "\r\x1b[2A") {
		t.Errorf("the second draw does not go back up 2 lines: %q", w.String())
	}
	w.Reset()
	b.erase(&w)
	w.WriteString("a line of its own\n")
	b.draw(&w)
	if !strings.HasPrefix(w.String(), "\r\x1b[2A\x1b[Ja line of its own\n\r\x1b[2K") {
		t.Errorf("a said line does not replace the bars: %q", w.String())
	}
}

// drawn is the text of the lines a draw wrote.
func drawn(out string) []string {
	var lines []string
	for _, l := range strings.Split(strings.TrimSuffix(ansi.Strip(out), "\n"), "\n") {
		lines = append(lines, strings.TrimLeft(l, "\r"))
	}
	return lines
}

// TestSyncViewFromParallelShops: progress comes from one goroutine per
// shop, while the view's own timer draws; run with -race.
func TestSyncViewFromParallelShops(t *testing.T) {
	for _, live := range []bool{false, true} {
		var out bytes.Buffer
		e := &Env{Stderr: &out}
		if live {
			e.TermWidth = func() int { return 80 }
		}
		v := e.StartSyncView(t.Context(), nil)
		done := make(chan struct{})
		for _, shop := range []string{"a", "b", "c", "d"} {
			go func() {
				defer func() { done <- struct{}{} }()
				for p := 1; p <= 200; p++ {
					v.Progress(engine.Event{Shop: shop, Kind: engine.EventPage, Pages: p, Orders: p * 5, Total: 1000})
					if p%50 == 0 {
						v.Say(shop + " said something")
					}
				}
				v.Progress(engine.Event{Shop: shop, Kind: engine.EventDone, Pages: 200, Orders: 1000, Total: 1000})
			}()
		}
		time.Sleep(2 * redrawEvery)
		for range 4 {
			<-done
		}
		v.Stop()
		for _, shop := range []string{"a", "b", "c", "d"} {
			if !strings.Contains(out.String(), shop+" said something") || !strings.Contains(ansi.Strip(out.String()), "done: 1,000 orders in 200 pages") {
				t.Errorf("live %v: %s's lines missing:\n%s", live, shop, out.String())
			}
		}
	}
}

// TestSayUnansweredFromParallelCalls: the progress of `edit` and `pending
// retry` sends (sayUnanswered) may be called from several goroutines at
// once (slow-call notices come from timers): each line comes out whole;
// run with -race.
func TestSayUnansweredFromParallelCalls(t *testing.T) {
	var out bytes.Buffer
	say := (&Env{Stderr: &out}).sayUnanswered()
	done := make(chan struct{})
	for _, shop := range []string{"a", "b", "c", "d"} {
		go func() {
			defer func() { done <- struct{}{} }()
			for range 100 {
				say(engine.Event{Shop: shop, Kind: engine.EventSlow, Slow: &backend.Slow{Shop: shop, For: 10 * time.Second, Limit: time.Minute}})
			}
		}()
	}
	for range 4 {
		<-done
	}
	lines := strings.Split(strings.TrimSuffix(out.String(), "\n"), "\n")
	if len(lines) != 400 {
		t.Fatalf("%d lines, want 400", len(lines))
	}
	for _, l := range lines {
		if !strings.HasSuffix(l, ": no answer for 10 s, still trying (gives up after 60 s)") {
			t.Fatalf("a line garbled: %q", l)
		}
	}
}
