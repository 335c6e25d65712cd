package engine

import (
	"context"
	"sync"
)

// Feed delivers every event of a Desk (pages stored by any sync, edits
// saved or sent by any session) to one subscriber, in order. It never
// drops an event and never blocks the publisher: events wait in the
// feed's queue until Next takes them. A front end that lives long (a TUI
// session, an SSH session) reads its feed to learn what others changed.
type Feed struct {
	mu     sync.Mutex
	queue  []Event
	ready  chan struct{} // holds a token while queue is not empty
	closed bool
	desk   *Desk
}

// Subscribe starts a feed of the desk's events from now on. Close it when
// done, or it keeps every later event.
func (d *Desk) Subscribe() *Feed {
	f := &Feed{ready: make(chan struct{}, 1), desk: d}
	d.feedMu.Lock()
	d.feeds[f] = struct{}{}
	d.feedMu.Unlock()
	return f
}

// Next waits for the next event. ok is false once the feed is closed or
// ctx is done.
func (f *Feed) Next(ctx context.Context) (e Event, ok bool) {
	for {
		f.mu.Lock()
		if f.closed {
			f.mu.Unlock()
			return Event{}, false
		}
		if len(f.queue) > 0 {
			e = f.queue[0]
			f.queue[0] = Event{}
			f.queue = f.queue[1:]
			if len(f.queue) > 0 {
				f.signal()
			}
			f.mu.Unlock()
			return e, true
		}
		f.mu.Unlock()
		select {
		case <-f.ready:
		case <-ctx.Done():
			return Event{}, false
		}
	}
}

// Close ends the feed: Next returns false and no more events are kept.
func (f *Feed) Close() {
	f.desk.feedMu.Lock()
	delete(f.desk.feeds, f)
	f.desk.feedMu.Unlock()
	f.mu.Lock()
	f.closed, f.queue = true, nil
	f.mu.Unlock()
	f.signal()
}

func (f *Feed) push(e Event) {
	f.mu.Lock()
	if !f.closed {
		f.queue = append(f.queue, e)
	}
	f.mu.Unlock()
	f.signal()
}

// signal leaves a token for a waiting Next (at most one is kept).
func (f *Feed) signal() {
	select {
	case f.ready <- struct{}{}:
	default:
	}
}

// publish hands e to every feed.
func (d *Desk) publish(e Event) {
	d.feedMu.Lock()
	defer d.feedMu.Unlock()
	for f := range d.feeds {
		f.push(e)
	}
}

// fanOut is progress that also publishes each event to the desk's feeds.
func (d *Desk) fanOut(progress Progress) Progress {
	return func(e Event) {
		progress.emit(e)
		d.publish(e)
	}
}
