package cli

import (
	"context"
	"fmt"
	"io"
	"strings"
	"sync"
	"time"

	"charm.land/bubbles/v2/progress"
	"charm.land/bubbles/v2/spinner"
	"charm.land/lipgloss/v2"
	"github.com/charmbracelet/x/ansi"

	"orderdesk/backend"
	"orderdesk/backend/engine"
	"orderdesk/backend/safe"
	"orderdesk/ui"
)

// How often the live bars are redrawn, and how often a log without a
// terminal looks for a pass not told for ui.ProgressEvery.
const (
	redrawEvery = 150 * time.Millisecond
	dueEvery    = time.Second
)

// SyncView tells the progress of a sync on stderr: in a terminal
// (Env.TermWidth set) a live bar per shop, redrawn in place; without one a
// line per shop at its first page, then every ui.ProgressEvery while its
// pass runs (even when no page came), and at its end. Start it with
// StartSyncView, hand Progress to the sync, and Stop it when the sync
// returned.
type SyncView struct {
	mu   sync.Mutex // one writer of stderr at a time
	w    io.Writer
	log  *ui.ProgressLog // without a terminal
	live *board          // in a terminal

	now func() time.Time

	quit chan struct{}
	done chan struct{}
}

// StartSyncView starts telling the progress of a sync of the shops (all
// configured shops when none).
func (e *Env) StartSyncView(ctx context.Context, shops []string) *SyncView {
	v := &SyncView{w: e.Stderr, now: e.now, quit: make(chan struct{}), done: make(chan struct{})}
	if len(shops) == 0 {
		shops = e.ShopNames
	}
	var known []string // an unknown name fails the sync before it starts
	for _, s := range shops {
		if e.Desk != nil {
			if _, ok := e.Desk.Shop(s); ok {
				known = append(known, s)
			}
		}
	}
	every := dueEvery
	if e.TermWidth != nil {
		v.live = newBoard(e.TermWidth, e.NoColor)
		v.live.tally.Rate = e.rate
		v.live.tally.Add(known...)
		every = redrawEvery
	} else {
		v.log = &ui.ProgressLog{Now: e.now, Print: func(s string) {
			v.mu.Lock()
			defer v.mu.Unlock()
			fmt.Fprintln(v.w, s)
		}}
		v.log.Tally.Rate = e.rate
	}
	safe.Go(ctx, func() {
		defer close(v.done)
		t := time.NewTicker(every)
		defer t.Stop()
		for {
			select {
			case <-v.quit:
				return
			case <-t.C:
				v.tick()
			}
		}
	}, func(error) {}) // a panic in drawing costs the display, not the sync
	return v
}

// rate is the shop's request rate (0: unknown).
func (e *Env) rate(shop string) float64 {
	if e.Desk == nil {
		return 0
	}
	if s, ok := e.Desk.Shop(shop); ok {
		return backend.RequestRate(s)
	}
	return 0
}

// Progress is the sync's progress callback: it takes pass events; other
// events are for the caller (see Say). Like Say, it is safe for concurrent
// use, as an engine.Progress must be.
func (v *SyncView) Progress(ev engine.Event) {
	if v.log != nil {
		v.log.Event(ev)
		return
	}
	v.mu.Lock()
	defer v.mu.Unlock()
	if _, ok := v.live.tally.Note(ev, v.now()); ok && (ev.Kind != engine.EventPage || ev.Pages == 1) {
		v.live.draw(v.w) // the start and the end show at once; pages at the next redraw
	}
}

// Say prints a line of its own (an edit, a call without an answer) above
// the bars.
func (v *SyncView) Say(line string) {
	v.mu.Lock()
	defer v.mu.Unlock()
	if v.live == nil {
		fmt.Fprintln(v.w, line)
		return
	}
	v.live.erase(v.w)
	fmt.Fprintln(v.w, line)
	v.live.draw(v.w)
}

// Stop ends the display: the bars stay as they last were (the lines said
// every end already).
func (v *SyncView) Stop() {
	close(v.quit)
	<-v.done
	v.mu.Lock()
	defer v.mu.Unlock()
	if v.live != nil && v.live.drawn > 0 { // a sync refused at once drew nothing
		v.live.draw(v.w)
	}
}

func (v *SyncView) tick() {
	if v.log != nil {
		v.log.Due()
		return
	}
	v.mu.Lock()
	defer v.mu.Unlock()
	v.live.frame++
	v.live.draw(v.w)
}

// board is the live bars: a line per shop, redrawn in place with ANSI
// cursor moves (nothing is read from the terminal, and the cursor is left
// where it was, below the bars). Lines are cut to the terminal's width so
// none wraps and the cursor moves stay true.
type board struct {
	tally ui.Tally
	width func() int
	bar   progress.Model
	frame int
	drawn int // lines on the screen from the last draw
}

const barWidth = 24 // the bar with its percentage

func newBoard(width func() int, noColor bool) *board {
	opts := []progress.Option{progress.WithWidth(barWidth), progress.WithFillCharacters('█', '░')}
	if !noColor {
		opts = append(opts, progress.WithColors(lipgloss.Color("2")))
	}
	b := &board{width: width, bar: progress.New(opts...)}
	if noColor {
		b.bar.FullColor, b.bar.EmptyColor = lipgloss.NoColor{}, lipgloss.NoColor{}
	} else {
		b.bar.EmptyColor = lipgloss.Color("8")
	}
	return b
}

// erase takes the bars off the screen, leaving the cursor where they began.
func (b *board) erase(w io.Writer) {
	if b.drawn > 0 {
		fmt.Fprintf(w, "\r\x1b[%dA\x1b[J", b.drawn)
		b.drawn = 0
	}
}

// draw writes the bars over the last ones, in one write.
func (b *board) draw(w io.Writer) {
	passes := b.tally.Passes()
	if len(passes) == 0 {
		return
	}
	width := max(20, b.width())
	name := 0
	for _, p := range passes {
		name = max(name, ansi.StringWidth(p.Shop))
	}
	name = min(name, width/4)
	var sb strings.Builder
	if b.drawn > 0 {
		fmt.Fprintf(&sb, "\r\x1b[%dA", b.drawn)
	}
	for _, p := range passes {
		line := pad(ansi.Truncate(p.Shop, name, "…"), name) + " " + b.gauge(p) + " " + p.Status()
		sb.WriteString("\r\x1b[2K")
		sb.WriteString(ansi.Truncate(line, width-1, "…")) // never the last column: no wrap
		sb.WriteString("\n")
	}
	b.drawn = len(passes)
	io.WriteString(w, sb.String())
}

// gauge is a pass's bar: filled as far as its total allows, a spinner
// where the shop reports no total.
func (b *board) gauge(p ui.Pass) string {
	switch {
	case p.End == engine.EventError:
		return pad("✗", barWidth)
	case p.End == engine.EventDone:
		return b.bar.ViewAs(1)
	}
	if f, ok := p.Fraction(); ok && p.Pages > 0 {
		return b.bar.ViewAs(f)
	}
	frames := spinner.MiniDot.Frames
	return pad(frames[b.frame%len(frames)], barWidth)
}

// pad fills s with spaces to width display cells.
func pad(s string, width int) string {
	return s + strings.Repeat(" ", max(0, width-ansi.StringWidth(s)))
}
