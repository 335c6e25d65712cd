package engine_test

import (
	"context"
	"testing"
	"time"

	"orderdesk/backend"
	"orderdesk/backend/engine"
)

// Every feed hears every event of the desk — syncs, saves and sends,
// whoever started them — in order and without loss, even when nobody
// reads for a while; a closed feed hears nothing more.
func TestFeedsHearEveryEventOfTheDesk(t *testing.T) {
	t.Parallel()
	e := newEnv(t, backend.YMCart, 120)
	a, b := e.desk.Subscribe(), e.desk.Subscribe()
	defer a.Close()
	if _, err := e.desk.Sync(context.Background(), nil, nil); err != nil {
		t.Fatal(err)
	}
	o, actions := pickStatus(t, e, 1)
	ed := e.edit(o.Number, actions[0])
	if err := e.send(); err != nil {
		t.Fatal(err)
	}
	read := func(f *engine.Feed) []engine.Event {
		var out []engine.Event
		for {
			ctx, cancel := context.WithTimeout(context.Background(), 200*time.Millisecond)
			ev, ok := f.Next(ctx)
			cancel()
			if !ok {
				return out
			}
			out = append(out, ev)
		}
	}
	ea, eb := read(a), read(b)
	if len(ea) != len(eb) {
		t.Fatalf("feeds disagree: %d and %d events", len(ea), len(eb))
	}
	pages, saved, done := 0, false, false
	for _, ev := range ea {
		switch {
		case ev.Kind == engine.EventPage:
			pages++
		case ev.Kind == engine.EventEdit && ev.Edit.ID == ed.ID && ev.Edit.State == backend.EditPending:
			saved = true
		case ev.Kind == engine.EventEdit && ev.Edit.ID == ed.ID && ev.Edit.State == backend.EditDone:
			done = saved // after the save, never before
		}
	}
	if pages < 2 || !saved || !done {
		t.Fatalf("events: %d pages, saved %v, done after saved %v (of %d events)", pages, saved, done, len(ea))
	}
	b.Close()
	e.edit(o.Number, backend.Action{Kind: backend.ActionRemark, Remark: "after close"})
	if _, ok := b.Next(context.Background()); ok {
		t.Fatal("a closed feed delivered an event")
	}
	if got := read(a); len(got) != 1 || got[0].Kind != engine.EventEdit {
		t.Fatalf("the open feed got %+v, want the one saved edit", got)
	}
}

// A sync that sends the outbox publishes each send event once: the feeds
// hear an edit become done once, as the progress callback does.
func TestSyncPublishesEachSendEventOnce(t *testing.T) {
	t.Parallel()
	e := newEnv(t, backend.YMCart, 40)
	if _, err := e.desk.Sync(context.Background(), nil, nil); err != nil {
		t.Fatal(err)
	}
	o, actions := pickStatus(t, e, 1)
	ed := e.edit(o.Number, actions[0])
	f := e.desk.Subscribe()
	defer f.Close()
	heard := 0
	if _, err := e.desk.Sync(context.Background(), nil, func(ev engine.Event) {
		if ev.Kind == engine.EventEdit && ev.Edit.ID == ed.ID && ev.Edit.State == backend.EditDone {
			heard++
		}
	}); err != nil {
		t.Fatal(err)
	}
	fed := 0
	for {
		ctx, cancel := context.WithTimeout(context.Background(), 200*time.Millisecond)
		ev, ok := f.Next(ctx)
		cancel()
		if !ok {
			break
		}
		if ev.Kind == engine.EventEdit && ev.Edit.ID == ed.ID && ev.Edit.State == backend.EditDone {
			fed++
		}
	}
	if heard != 1 || fed != 1 {
		t.Fatalf("edit %s done: progress heard it %d times, the feed %d; want once each", ed.ID, heard, fed)
	}
}
