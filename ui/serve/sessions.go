package serve

import (
	"context"
	"fmt"
	"sync"
	"sync/atomic"
	"time"

	tea "charm.land/bubbletea/v2"
	gossh "golang.org/x/crypto/ssh"

	"orderdesk/backend/safe"
	"orderdesk/ui/desk"
)

// session is one running desk program.
type session struct {
	p   *tea.Program
	op  string
	key gossh.PublicKey // the key it logged in with

	mu      sync.Mutex
	closing bool
	why     string // printed after the program ends: why it was closed
}

// close tells the desk it is being closed (it shows inDesk, then quits)
// and keeps after to print once the screen is restored; a session told
// already is not told again. It blocks until the program takes the
// message or has ended.
func (ss *session) close(inDesk, after string) {
	if ss.mark(after) {
		ss.p.Send(desk.ClosingMsg{Text: inDesk})
	}
}

// mark notes that the session is being closed and why (after); false
// when it was already.
func (ss *session) mark(after string) bool {
	ss.mu.Lock()
	defer ss.mu.Unlock()
	if ss.closing {
		return false
	}
	ss.closing, ss.why = true, after
	return true
}

// ended notes why the session ended, unless it was closed for a reason.
func (ss *session) ended(why string) {
	ss.mu.Lock()
	defer ss.mu.Unlock()
	if ss.why == "" {
		ss.why = why
	}
}

func (ss *session) closedBecause() string {
	ss.mu.Lock()
	defer ss.mu.Unlock()
	return ss.why
}

func (s *Server) track(ss *session) {
	s.mu.Lock()
	s.sessions[ss.p] = ss
	s.mu.Unlock()
}

func (s *Server) untrack(ss *session) {
	s.mu.Lock()
	delete(s.sessions, ss.p)
	s.mu.Unlock()
}

// running is a copy of the running sessions.
func (s *Server) running() []*session {
	s.mu.Lock()
	defer s.mu.Unlock()
	out := make([]*session, 0, len(s.sessions))
	for _, ss := range s.sessions {
		out = append(out, ss)
	}
	return out
}

// broadcast closes every session; it returns how many were told.
func (s *Server) broadcast(inDesk, after string) int {
	all := s.running()
	for _, ss := range all {
		safe.Go(s.work, func() { ss.close(inDesk, after) }, nil) // Send blocks until the program takes it
	}
	return len(all)
}

// watchKeys reads the authorized keys file every KeysCheck and closes the
// sessions of keys taken out of it; it also writes the count of refusals
// the log left out.
func (s *Server) watchKeys(ctx context.Context) {
	every(ctx, s.opt.KeysCheck, func() bool {
		s.allow.refresh()
		for _, ss := range s.running() {
			const why = "your key is no longer allowed on this server"
			if !s.allow.revoked(ss.key) || !ss.mark("orderdesk: session closed: "+why) {
				continue
			}
			s.logf("%s: closed: key %s was taken out of %s", ss.op, gossh.FingerprintSHA256(ss.key), s.opt.AuthorizedKeys)
			safe.Go(s.work, func() { ss.p.Send(desk.ClosingMsg{Text: "closing: " + why}) }, nil)
		}
		s.flushNoisy()
		return true
	})
}

// watchIdle closes the session after IdleTimeout without a key press.
func (s *Server) watchIdle(ctx context.Context, ss *session, in *keyClock) {
	every(ctx, max(min(s.opt.IdleTimeout/4, 30*time.Second), 10*time.Millisecond), func() bool {
		if time.Since(in.last()) < s.opt.IdleTimeout {
			return true
		}
		why := "no key pressed for " + spell(s.opt.IdleTimeout) + "; your saved edits are kept"
		s.logf("%s: closed after %s without a key press", ss.op, spell(s.opt.IdleTimeout))
		ss.close("closing: "+why, "orderdesk: session closed: "+why)
		return false
	})
}

// every calls fn every d until ctx is done or fn returns false.
func every(ctx context.Context, d time.Duration, fn func() bool) {
	t := time.NewTicker(d)
	defer t.Stop()
	for {
		select {
		case <-ctx.Done():
			return
		case <-t.C:
			if !fn() {
				return
			}
		}
	}
}

// spell writes a duration as an operator reads it: "30 minutes", "1 hour",
// else Go's form ("90s", "200ms").
func spell(d time.Duration) string {
	plural := func(n int64, unit string) string {
		if n == 1 {
			return "1 " + unit
		}
		return fmt.Sprintf("%d %ss", n, unit)
	}
	switch {
	case d >= time.Hour && d%time.Hour == 0:
		return plural(int64(d/time.Hour), "hour")
	case d >= time.Minute && d%time.Minute == 0:
		return plural(int64(d/time.Minute), "minute")
	}
	return d.String()
}

// keyClock notes when the session's operator last pressed a key (or
// pasted, or used the mouse), from the program's messages.
type keyClock struct{ when atomic.Int64 }

// filter is the program's message filter: it notes key presses, and
// answers a suspend with a resume (a session cannot be suspended; wish's
// own filter does the same).
func (k *keyClock) filter(_ tea.Model, msg tea.Msg) tea.Msg {
	switch msg.(type) {
	case tea.SuspendMsg:
		return tea.ResumeMsg{}
	case tea.KeyMsg, tea.MouseMsg, tea.PasteMsg:
		k.touch()
	}
	return msg
}

func (k *keyClock) touch()          { k.when.Store(time.Now().UnixNano()) }
func (k *keyClock) last() time.Time { return time.Unix(0, k.when.Load()) }
