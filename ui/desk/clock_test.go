package desk

import (
	"bytes"
	"runtime"
	"runtime/debug"
	"strconv"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"orderdesk/backend/engine"
)

// goid is the calling goroutine's number, from its stack's first line
// ("goroutine 7 [running]:").
func goid() int64 {
	buf := make([]byte, 64)
	buf = buf[:runtime.Stack(buf, false)]
	f := bytes.Fields(buf)
	if len(f) < 2 {
		return -1
	}
	n, _ := strconv.ParseInt(string(f[1]), 10, 64)
	return n
}

// TestUpdateAndViewTakeTimeFromMessages: once the session is open, the
// clock is read only by commands (on their own goroutines), never by
// Update or View (on the program's): ages, the pace of a pass, date
// filters and the export's name use the time the latest message brought.
// A clock that moved changes nothing on screen until a tick brings it.
func TestUpdateAndViewTakeTimeFromMessages(t *testing.T) {
	t.Parallel()
	var (
		model atomic.Int64 // the goroutine of Update and View, once open
		mu    sync.Mutex
		clock = demoTime
	)
	now := func() time.Time {
		if model.Load() == goid() {
			t.Errorf("Update or View read the clock:\n%s", debug.Stack())
		}
		mu.Lock()
		defer mu.Unlock()
		return clock
	}
	r := newRig(t, 10, 160, 50, func(c *Config) { c.Now = now })
	model.Store(goid())

	h := r.health("eu-fecshop")
	h.lastSync, h.failedTry = demoTime.Add(-5*time.Minute), "timeout"
	if !r.screenHas("last good sync 5m ago") {
		t.Fatalf("the failed try's line:\n%s", r.screen())
	}
	mu.Lock()
	clock = demoTime.Add(2 * time.Hour)
	mu.Unlock()
	if !r.screenHas("last good sync 5m ago") {
		t.Errorf("the screen moved with the clock before a message brought the time:\n%s", r.screen())
	}
	r.send(tickMsg(demoTime.Add(2 * time.Hour)))
	if !r.screenHas("last good sync 2h ago") {
		t.Errorf("a tick 2 h later:\n%s", r.screen())
	}
	r.send(tickMsg(demoTime)) // late: time does not go back
	if !r.screenHas("last good sync 2h ago") {
		t.Errorf("an older tick moved the time back:\n%s", r.screen())
	}

	// the other messages that carry the time, and what reads it
	r.health("sl-global").syncing = true
	r.send(syncEventMsg{Event: engine.Event{Shop: "sl-global", Kind: engine.EventPage, Pages: 1, Orders: 10, Total: 100}, at: demoTime.Add(3 * time.Hour)})
	if r.m.now != demoTime.Add(3*time.Hour) {
		t.Errorf("a sync event's time: now is %s", r.m.now)
	}
	r.send(healthMsg{at: demoTime.Add(4 * time.Hour)})
	r.send(syncDoneMsg{shops: []string{"sl-global"}, at: demoTime.Add(5 * time.Hour)})
	if got := r.health("sl-global").lastSync; !got.Equal(demoTime.Add(5 * time.Hour)) {
		t.Errorf("a sync that ended at the message's time: last sync %s", got)
	}
	r.keys("/")
	r.typeText("created<7d")
	r.keys("esc", "X")
	if name := demoTime.Add(5 * time.Hour).Format("20060102-1504"); !r.screenHas(name) {
		t.Errorf("the export's name is not of the session's time %s:\n%s", name, r.screen())
	}
}
