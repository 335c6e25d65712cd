package desk

import (
	"errors"
	"fmt"
	"math/rand/v2"
	"strings"
	"time"

	tea "charm.land/bubbletea/v2"

	"orderdesk/backend"
	"orderdesk/backend/engine"
	"orderdesk/ui"
)

// shopHealth is what the status bar says about one shop, and when it is
// next synced in the background.
type shopHealth struct {
	name     string
	platform backend.Platform
	state    shopState
	lastSync time.Time // last good (complete) pass, from the cursor, then from syncs
	lastErr  string
	// failedTry is why the latest sync (this session's or an earlier
	// run's) did not finish; "" once one does
	failedTry string
	syncing   bool
	sending   bool
	slow      string  // a call of the running sync or send has no answer yet: for how long
	pass      ui.Pass // progress of the shop's latest sync pass, whoever runs it
	open      int     // open edits in the outbox
	failures  int     // consecutive failed syncs
	nextSync  time.Time
}

// passing says the shop's sync pass runs: this session's (until its pass
// ends; the sync then sends the shop's edits) or another's.
func (h *shopHealth) passing() bool {
	return h.pass.Running() || h.syncing && h.pass.End == ""
}

type shopState uint8

const (
	shopUnknown shopState = iota
	shopOnline
	shopOffline
	shopLimited
	shopFailing
	shopUnreachable // the shop left a call unanswered until the desk gave up
)

// noteErr records the outcome of talking to the shop.
func (h *shopHealth) noteErr(err error) {
	switch {
	case err == nil:
		h.state, h.lastErr = shopOnline, ""
	case engine.Unreachable(err):
		h.state, h.lastErr = shopUnreachable, backend.Reason(err)
	case errors.Is(err, backend.ErrRateLimited):
		h.state, h.lastErr = shopLimited, backend.Reason(err)
	case errors.Is(err, backend.ErrUnavailable), errors.Is(err, backend.ErrOutcomeUnknown):
		h.state, h.lastErr = shopOffline, backend.Reason(err)
	default:
		h.state, h.lastErr = shopFailing, backend.Reason(err)
	}
}

// backoff schedules the next background sync: the regular interval after
// a success, a doubling wait with jitter (30 s up to 30 min) after
// failures, so a shop that is down sees no request storm.
func (h *shopHealth) backoff(ok bool, every time.Duration, now time.Time) {
	if ok {
		h.failures = 0
		h.nextSync = now.Add(every)
		return
	}
	h.failures++
	wait := 30 * time.Second << min(h.failures-1, 6)
	wait = min(wait, 30*time.Minute)
	wait += time.Duration(rand.Int64N(int64(wait / 5)))
	h.nextSync = now.Add(wait)
}

func (m *Model) health(shop string) *shopHealth {
	for i := range m.shops {
		if m.shops[i].name == shop {
			return &m.shops[i]
		}
	}
	return nil
}

// flash is the status bar's message: the latest error or outcome.
type flash struct {
	id   int
	kind flashKind
	text string
}

type flashKind uint8

const (
	flashInfo flashKind = iota
	flashOK
	flashWarn
	flashError
)

// setFlash shows a message; errors stay until the next message, others
// fade after a few seconds.
func (m *Model) setFlash(k flashKind, text string) tea.Cmd {
	m.flash.id++
	m.flash.kind, m.flash.text = k, text
	if k == flashError {
		return nil
	}
	return flashTimeout(m.flash.id, 6*time.Second)
}

// onHealth takes the cursors and outbox counts read from the store.
func (m *Model) onHealth(msg healthMsg) {
	m.at(msg.at)
	now := m.now
	for i := range m.shops {
		h := &m.shops[i]
		h.open = msg.open[h.name]
		c, ok := msg.cursors[h.name]
		if !ok {
			continue
		}
		// the last good sync is the last complete pass: a failed or
		// interrupted try after it never erases it
		if c.LastFull != nil && (h.lastSync.IsZero() || c.LastFull.After(h.lastSync)) {
			h.lastSync = *c.LastFull
		}
		if c.LastError != "" && c.LastSync != nil && (c.LastFull == nil || c.LastSync.After(*c.LastFull)) &&
			!h.syncing && h.failedTry == "" && h.lastSync.Before(*c.LastSync) {
			h.failedTry = trimShop(h.name, c.LastError)
		}
		if h.nextSync.IsZero() {
			h.nextSync = now
			if c.LastFull != nil && c.LastError == "" {
				h.nextSync = c.LastFull.Add(m.cfg.SyncEvery)
			}
		}
	}
}

// onSyncEvent updates a shop's progress and re-reads the orders a page
// stored, so the list follows the engine.
func (m *Model) onSyncEvent(e syncEventMsg) tea.Cmd {
	m.at(e.at)
	h := m.health(e.Shop)
	if h == nil {
		return nil
	}
	if e.Kind != engine.EventEdit && e.Kind != engine.EventOrders {
		h.slow = "" // the shop answered, or the desk gave up on it
	}
	// the pass's progress; when its events come in is its pace (the ETA)
	h.pass = h.pass.Next(e.Event, m.now)
	switch e.Kind {
	case engine.EventSlow:
		if e.Slow != nil {
			h.slow = "no answer for " + backend.Seconds(e.Slow.For)
		}
	case engine.EventPage:
		h.state = shopOnline
		if len(e.Refs) > 0 {
			return reread(m.cfg.Desk.Reader(), e.Refs)
		}
	case engine.EventDone:
		h.state, h.lastErr, h.failedTry = shopOnline, "", ""
		h.lastSync = m.now
		if m.cfg.SyncEvery > 0 {
			h.nextSync = h.lastSync.Add(m.cfg.SyncEvery) // whoever ran it, the shop is fresh
		}
	case engine.EventError:
		h.noteErr(e.Err)
	case engine.EventEdit:
		if e.Edit != nil {
			return tea.Batch(reread(m.cfg.Desk.Reader(), []backend.Ref{e.Edit.Ref}), m.refreshHealth())
		}
	case engine.EventOrders:
		return reread(m.cfg.Desk.Reader(), e.Refs)
	}
	return nil
}

// startSync syncs the named shops (all when names is empty) unless they
// are syncing already.
func (m *Model) startSync(names []string) tea.Cmd {
	if m.cfg.Offline {
		return m.setFlash(flashWarn, "offline (--offline): not syncing")
	}
	if len(names) == 0 {
		names = m.shopNames()
	}
	var run []string
	for _, n := range names {
		h := m.health(n)
		if h == nil || h.syncing {
			continue
		}
		h.syncing, h.pass = true, ui.NewPass(h.name, h.pass.Rate)
		run = append(run, n)
	}
	if len(run) == 0 {
		return nil
	}
	m.syncing += len(run)
	return runSync(m.work(), m.cfg.Desk, run, m.cfg.Now)
}

func (m *Model) onSyncDone(msg syncDoneMsg) tea.Cmd {
	m.at(msg.at)
	now := m.now
	var failed []string
	for i, name := range msg.shops {
		h := m.health(name)
		if h == nil {
			continue
		}
		h.syncing, h.slow = false, ""
		m.syncing--
		var err error
		if i < len(msg.reports) {
			err = msg.reports[i].Err()
		} else {
			err = msg.err
		}
		h.noteErr(err)
		if err == nil {
			h.lastSync, h.failedTry = now, ""
		} else {
			h.failedTry = shortReason(err)
			failed = append(failed, fmt.Sprintf("%s: %s", name, h.failedTry))
		}
		h.backoff(err == nil, m.cfg.SyncEvery, now)
	}
	cmds := []tea.Cmd{m.refreshHealth()}
	if len(failed) > 0 {
		cmds = append(cmds, m.setFlash(flashError, "sync failed: "+strings.Join(failed, "; ")))
	}
	return tea.Batch(cmds...)
}

// onTick moves the session's time to the tick's and starts the background
// syncs that are due.
func (m *Model) onTick(t tickMsg) tea.Cmd {
	m.at(time.Time(t))
	if m.cfg.Offline || m.cfg.SyncEvery < 0 {
		return tickEvery(m.cfg.Now)
	}
	now := m.now
	var due []string
	for _, h := range m.shops {
		if !h.syncing && !h.nextSync.IsZero() && !now.Before(h.nextSync) {
			due = append(due, h.name)
		}
	}
	if len(due) == 0 {
		return tickEvery(m.cfg.Now) // (startSync with no names syncs every shop)
	}
	return tea.Batch(tickEvery(m.cfg.Now), m.startSync(due))
}

// age says how long ago, shortly: "now", "5m", "3h", "2d".
func age(t, now time.Time) string {
	if t.IsZero() {
		return "never"
	}
	d := now.Sub(t)
	switch {
	case d < time.Minute:
		return "now"
	case d < time.Hour:
		return fmt.Sprintf("%dm", int(d.Minutes()))
	case d < 48*time.Hour:
		return fmt.Sprintf("%dh", int(d.Hours()))
	}
	return fmt.Sprintf("%dd", int(d.Hours()/24))
}

// refreshHealth reloads every shop's sync cursor and open-edit count. At
// most one load is in flight: asking while one runs asks for one more
// after it, so a burst of edit events costs two reads of the outbox, not
// one per event, and answers cannot arrive out of order.
func (m *Model) refreshHealth() tea.Cmd {
	if m.healthLoading {
		m.healthAgain = true
		return nil
	}
	m.healthLoading = true
	return loadHealth(m.cfg.Desk.Reader(), m.shopNames(), m.cfg.Now)
}

// shortReason says why talking to a shop failed, in a few words: the
// shop's or the desk's reason when there is one, else the kind of failure
// and its root cause ("shop unavailable: connection refused"), without
// the URL and address in between.
func shortReason(err error) string {
	if na := (*backend.NoAnswerError)(nil); errors.As(err, &na) {
		return "no answer in " + backend.Seconds(na.Limit) // the state says unreachable
	}
	var e *backend.Error
	if !errors.As(err, &e) {
		return err.Error()
	}
	if e.Reason != "" {
		return e.Reason
	}
	out := "failed"
	if e.Kind != nil {
		out = e.Kind.Error()
	}
	if e.Err != nil {
		cause := e.Err.Error()
		if i := strings.LastIndex(cause, ": "); i >= 0 {
			cause = cause[i+2:]
		}
		out += ": " + cause
	}
	return out
}

// trimShop takes the shop's name off the front of an error saved in its
// cursor ("cn-fecmall: page 1: cn-fecmall: list…" → "page 1: list…").
func trimShop(shop, text string) string {
	return strings.ReplaceAll(text, shop+": ", "")
}
