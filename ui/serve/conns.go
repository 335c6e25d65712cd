package serve

import (
	"context"
	"net"
	"sync"
	"time"

	"charm.land/ssh"
	gossh "golang.org/x/crypto/ssh"
	"golang.org/x/time/rate"

	"orderdesk/backend/safe"
)

// Connections pass a gate before the SSH handshake, like sshd's
// PerSourcePenalties, MaxStartups and LoginGraceTime:
//   - failed logins are counted per address (an IPv6 address by its /64),
//     not connections: operators behind one NAT address log in as often
//     as they like, but an address whose logins keep failing is refused
//     until its penalty has run out;
//   - at most MaxUnauthenticated connections may be logging in at once,
//     MaxUnauthenticatedPerAddr of them from one address; more are
//     refused at once;
//   - a connection has LoginGrace to log in, then must run a session: one
//     without any for SessionGrace (ssh -N, or what is left once the
//     desk ended) is closed.
type gate struct {
	opt *Options

	mu       sync.Mutex
	pending  map[string]int // connections logging in, per address
	total    int            // … in all
	open     int            // connections through the gate not closed yet
	failures map[string]*rate.Limiter
}

func newGate(opt *Options) *gate {
	return &gate{opt: opt, pending: map[string]int{}, failures: map[string]*rate.Limiter{}}
}

// enter admits a new connection from addr to log in, or says why not.
func (g *gate) enter(addr string, now time.Time) (refused string) {
	g.mu.Lock()
	defer g.mu.Unlock()
	switch {
	case g.penalised(addr, now):
		return "too many failed logins from that address; try again later"
	case g.total >= g.opt.MaxUnauthenticated:
		return "too many connections logging in at once"
	case g.pending[addr] >= g.opt.MaxUnauthenticatedPerAddr:
		return "too many connections from that address logging in at once"
	}
	g.total++
	g.pending[addr]++
	g.open++
	return ""
}

// closed notes that a connection through the gate has closed.
func (g *gate) closed() {
	g.mu.Lock()
	defer g.mu.Unlock()
	g.open--
}

// waitClosed waits until every connection through the gate has closed,
// or ctx is done; it says whether they all have.
func (g *gate) waitClosed(ctx context.Context) bool {
	t := time.NewTicker(20 * time.Millisecond)
	defer t.Stop()
	for {
		g.mu.Lock()
		open := g.open
		g.mu.Unlock()
		if open == 0 {
			return true
		}
		select {
		case <-ctx.Done():
			return false
		case <-t.C:
		}
	}
}

// leave ends a login from addr: logged in, or failed (the connection
// closed first), which counts towards the address's penalty.
func (g *gate) leave(addr string, failed bool, now time.Time) {
	g.mu.Lock()
	defer g.mu.Unlock()
	g.total--
	if g.pending[addr]--; g.pending[addr] <= 0 {
		delete(g.pending, addr)
	}
	if !failed {
		return
	}
	l := g.failures[addr]
	if l == nil {
		if len(g.failures) >= 4096 {
			g.forgive(now)
		}
		l = rate.NewLimiter(g.opt.FailRate, g.opt.FailBurst)
		g.failures[addr] = l
	}
	l.AllowN(now, 1) // takes a token while there is one
}

// penalised: the address has used up its failed logins.
func (g *gate) penalised(addr string, now time.Time) bool {
	l := g.failures[addr]
	return l != nil && l.TokensAt(now) < 1
}

// forgive forgets the addresses whose penalty has run out completely.
func (g *gate) forgive(now time.Time) {
	for addr, l := range g.failures {
		if l.TokensAt(now) >= float64(l.Burst()) {
			delete(g.failures, addr)
		}
	}
}

// addrOf is the address a connection is counted under: its IP, or for
// IPv6 its /64, which one client typically holds whole.
func addrOf(a net.Addr) string {
	host, _, err := net.SplitHostPort(a.String())
	if err != nil {
		return a.String()
	}
	ip := net.ParseIP(host)
	if ip == nil || ip.To4() != nil {
		return host
	}
	return ip.Mask(net.CIDRMask(64, 128)).String() + "/64"
}

// connKey is where admit leaves a connection's gateConn in its context.
type connKey struct{}

// admit is the gate's ConnCallback, before the handshake.
func (s *Server) admit(ctx ssh.Context, conn net.Conn) net.Conn {
	addr := addrOf(conn.RemoteAddr())
	if why := s.gate.enter(addr, time.Now()); why != "" {
		s.noisy("refused a connection from %s: %s", conn.RemoteAddr(), why)
		return nil
	}
	c := &gateConn{Conn: conn, s: s, ctx: ctx, addr: addr}
	ctx.SetValue(connKey{}, c)
	return c
}

// serverConfig tells a connection's gateConn when it has logged in.
func (s *Server) serverConfig(ctx ssh.Context) *gossh.ServerConfig {
	return &gossh.ServerConfig{
		AuthLogCallback: func(_ gossh.ConnMetadata, _ string, err error) {
			if c, ok := ctx.Value(connKey{}).(*gateConn); ok && err == nil {
				c.loggedIn()
			}
		},
	}
}

// gateConn is a connection that passed the gate: it leaves the gate when
// it logs in or closes, and once logged in is closed after SessionGrace
// without a session.
type gateConn struct {
	net.Conn
	s    *Server
	ctx  ssh.Context
	addr string

	mu       sync.Mutex
	state    connState
	sessions int
	idle     *time.Timer // closes a logged-in connection without sessions
}

type connState int

const (
	loggingIn connState = iota
	loggedIn
	closed
)

func (c *gateConn) loggedIn() {
	c.mu.Lock()
	if c.state != loggingIn {
		c.mu.Unlock()
		return
	}
	c.state = loggedIn
	c.idle = time.AfterFunc(c.s.opt.SessionGrace, safe.Func(c.s.work, c.closeIfIdle, nil))
	c.mu.Unlock()
	c.s.gate.leave(c.addr, false, time.Now())
}

// sessionStarted and sessionEnded bracket each session of the connection.
func (c *gateConn) sessionStarted() {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.sessions++
	if c.idle != nil {
		c.idle.Stop()
	}
}

func (c *gateConn) sessionEnded() {
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.sessions--; c.sessions == 0 && c.idle != nil && c.state == loggedIn {
		c.idle.Reset(c.s.opt.SessionGrace)
	}
}

func (c *gateConn) closeIfIdle() {
	c.mu.Lock()
	idle := c.state == loggedIn && c.sessions == 0
	c.mu.Unlock()
	if idle {
		c.s.noisy("closed a connection from %s: no session for %s after logging in", c.RemoteAddr(), spell(c.s.opt.SessionGrace))
		_ = c.Close()
	}
}

func (c *gateConn) Close() error {
	c.mu.Lock()
	was := c.state
	c.state = closed
	if c.idle != nil {
		c.idle.Stop()
	}
	c.mu.Unlock()
	if was == loggingIn {
		c.s.gate.leave(c.addr, true, time.Now())
	}
	if was != closed {
		c.s.gate.closed()
	}
	return c.Conn.Close()
}

// connOf is the gateConn of a session's connection (nil in none).
func connOf(ctx ssh.Context) *gateConn {
	c, _ := ctx.Value(connKey{}).(*gateConn)
	return c
}
