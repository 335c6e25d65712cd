package engine

import (
	"context"
	"testing"
	"time"
)

// Work in flight gets the grace before it is cancelled; work that
// outlives it is cancelled, then given the settle time to record itself.
func TestShutdownGivesGraceThenCancels(t *testing.T) {
	t.Parallel()
	d := NewDesk(nil, nil, time.Now)
	done := d.working()
	go func() { time.Sleep(50 * time.Millisecond); done() }()
	cancelled := false
	if !d.Shutdown(context.Background(), 5*time.Second, time.Second, func() { cancelled = true }) || !cancelled {
		t.Fatalf("a send ending within the grace: idle false or not cancelled after")
	}

	d2 := NewDesk(nil, nil, time.Now)
	done2 := d2.working()
	var cancelledAt time.Time
	start := time.Now()
	idle := d2.Shutdown(context.Background(), 100*time.Millisecond, 5*time.Second, func() {
		cancelledAt = time.Now()
		go func() { time.Sleep(20 * time.Millisecond); done2() }() // records itself once cancelled
	})
	if idle || cancelledAt.Sub(start) < 100*time.Millisecond || d2.Busy() {
		t.Fatalf("a send outliving the grace: idle %v, cancelled after %v, still busy %v", idle, cancelledAt.Sub(start), d2.Busy())
	}
}
