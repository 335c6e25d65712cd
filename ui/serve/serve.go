// Package serve is `orderdesk serve`: the desk over SSH (charm.land/wish).
// One process serves every operator of a host, so they share one cache,
// one sync and one outbox, and each edit names the operator whose key made
// it.
//
// Decisions:
//   - Public-key authentication only: no password and no
//     keyboard-interactive handler is installed, so the SSH layer offers
//     neither. The allow-list is an authorized_keys file, re-read when it
//     changes; a server with no key in it refuses to start.
//   - Identity comes from the key the session actually authenticated with
//     (Session.PublicKey, set by the SSH layer only after the signature
//     was verified), looked up again in the allow-list in the session
//     handler; keys merely offered during authentication never count.
//   - The operator's name is the config's [operators] entry for the key's
//     fingerprint, else the key line's comment, else the fingerprint.
//   - A session must ask for a PTY and no command; subsystems (sftp, scp),
//     port forwarding and agent forwarding are not served.
//   - Idle timeout: a session without a key press for IdleTimeout (30 min)
//     is told and closed. The network keeps flowing while the desk shows
//     sync ages, so a connection-level idle timer would never fire. Why a
//     session was closed (idle, shutdown) is printed again after the desk
//     has left the alternate screen, as the last line of the session, so
//     the operator can still read it in the terminal.
//   - A refused public key is logged with its type, SHA256 fingerprint
//     (as ssh-keygen -l prints it), the user name asked for and the remote
//     address, once per key per connection, so an admin can find the key
//     to add. Nothing else of the client's is logged.
//   - New connections are limited per remote address (burst 10, then one
//     a second) before the SSH handshake.
//   - What sessions start on the shops (syncs, sends) runs in the server's
//     work context, not the session's: an edit sent as its operator
//     disconnects still finishes. On shutdown, sessions are told, sends get
//     Grace (10 s) to finish, then are cancelled; the sender records an
//     interrupted send as `unknown`, read back on the next start.
package serve

import (
	"context"
	"errors"
	"fmt"
	"io"
	"net"
	"os"
	stdsync "sync"
	"sync/atomic"
	"time"

	tea "charm.land/bubbletea/v2"
	"charm.land/ssh"
	"charm.land/wish/v2"
	"charm.land/wish/v2/bubbletea"
	gossh "golang.org/x/crypto/ssh"
	"golang.org/x/time/rate"

	"orderdesk/backend/sync"
	"orderdesk/ui/desk"
)

// Options configure a server. Listen, AuthorizedKeys, HostKey, Desk and
// Session are required.
type Options struct {
	Listen         string // host:port
	AuthorizedKeys string // the allow-list, authorized_keys format
	HostKey        string // private host key; created (ed25519, 0600) when missing
	// Operators maps a key fingerprint (SHA256:…) to an operator name.
	Operators map[string]string
	// IdleTimeout closes a session without a key press for this long
	// (0: 30 minutes; negative: never).
	IdleTimeout time.Duration
	// ConnRate and ConnBurst limit new connections per remote address
	// (0: one a second, burst 10).
	ConnRate  rate.Limit
	ConnBurst int
	// Grace is how long in-flight sends may finish on shutdown (0: 10 s).
	Grace time.Duration
	// Desk is the one desk every session shares.
	Desk *sync.Desk
	// Session builds the desk configuration of one session (keys, views,
	// zones); the server sets Operator, Work and SyncOnStart.
	Session func() desk.Config
	// Log receives one line per start, session and refusal (nil: stderr).
	Log io.Writer
}

// Server is a running `orderdesk serve`.
type Server struct {
	opt   Options
	allow *allowList
	srv   *ssh.Server
	ln    net.Listener
	fp    string // the host key's fingerprint

	work     context.Context // what sessions start on the shops
	stopWork context.CancelFunc

	logMu stdsync.Mutex

	mu       stdsync.Mutex
	sessions map[*tea.Program]*session // running programs

	limMu    stdsync.Mutex
	limiters map[string]*addrLimit
}

type addrLimit struct {
	lim  *rate.Limiter
	seen time.Time
}

// New checks the keys (creating the host key when missing) and listens.
func New(opt Options) (*Server, error) {
	if opt.IdleTimeout == 0 {
		opt.IdleTimeout = 30 * time.Minute
	}
	if opt.ConnRate == 0 {
		opt.ConnRate, opt.ConnBurst = 1, 10
	}
	if opt.Grace == 0 {
		opt.Grace = 10 * time.Second
	}
	if opt.Log == nil {
		opt.Log = os.Stderr
	}
	s := &Server{opt: opt, sessions: map[*tea.Program]*session{}, limiters: map[string]*addrLimit{}}
	allow, err := loadAllowList(opt.AuthorizedKeys, s.logf)
	if err != nil {
		return nil, err
	}
	s.allow = allow
	created, err := ensureHostKey(opt.HostKey)
	if err != nil {
		return nil, err
	}
	if created {
		s.logf("created the host key %s (ed25519, mode 0600)", opt.HostKey)
	}
	s.work, s.stopWork = context.WithCancel(context.Background())
	s.srv, err = wish.NewServer(
		wish.WithHostKeyPath(opt.HostKey),
		wish.WithPublicKeyAuth(func(ctx ssh.Context, key ssh.PublicKey) bool {
			if _, ok := s.allow.find(key); ok {
				return true
			}
			s.refusedKey(ctx, key)
			return false
		}),
		func(srv *ssh.Server) error {
			srv.ConnCallback = s.admit
			srv.HandshakeTimeout = 30 * time.Second
			return nil
		},
		// the last runs first
		wish.WithMiddleware(s.deskHandler, s.requirePTY, s.noCommand, s.authorize),
	)
	if err != nil {
		s.stopWork()
		return nil, err
	}
	for _, signer := range s.srv.HostSigners {
		s.fp = gossh.FingerprintSHA256(signer.PublicKey())
	}
	s.ln, err = net.Listen("tcp", opt.Listen)
	if err != nil {
		s.stopWork()
		return nil, err
	}
	return s, nil
}

// Addr is the address the server listens on.
func (s *Server) Addr() net.Addr { return s.ln.Addr() }

// Serve serves sessions until ctx is done, then shuts down cleanly:
// new connections are refused, sessions are told and closed, in-flight
// sends get the grace period, and what is left is cancelled.
func (s *Server) Serve(ctx context.Context) error {
	s.logf("listening on %s (host key %s, %s)", s.ln.Addr(), s.opt.HostKey, s.fp)
	errc := make(chan error, 1)
	go func() { errc <- s.srv.Serve(s.ln) }()
	select {
	case err := <-errc:
		s.stopWork()
		return err
	case <-ctx.Done():
	}
	s.ln.Close() // no new connections
	const bye = "orderdesk is shutting down; your saved edits are kept and sent"
	n := s.broadcast(bye, bye)
	s.logf("shutting down: %d session(s) told; waiting up to %s for sends in flight", n, s.opt.Grace)
	grace, cancel := context.WithTimeout(context.Background(), s.opt.Grace)
	idle := s.opt.Desk.Wait(grace)
	cancel()
	s.stopWork()
	if !idle {
		s.logf("sends still in flight after %s were interrupted; they are marked unknown and read back on the next start", s.opt.Grace)
	}
	// sessions quit shortly after being told; then the connections close
	closing, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	if err := s.srv.Shutdown(closing); err != nil {
		s.srv.Close()
	}
	settle, cancel2 := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel2()
	s.opt.Desk.Wait(settle) // interrupted sends record their state
	s.logf("stopped")
	return nil
}

// admit limits new connections per remote address, before the handshake.
func (s *Server) admit(_ ssh.Context, conn net.Conn) net.Conn {
	host, _, err := net.SplitHostPort(conn.RemoteAddr().String())
	if err != nil {
		host = conn.RemoteAddr().String()
	}
	now := time.Now()
	s.limMu.Lock()
	l := s.limiters[host]
	if l == nil {
		if len(s.limiters) >= 4096 { // forget quiet addresses
			for k, v := range s.limiters {
				if now.Sub(v.seen) > 10*time.Minute {
					delete(s.limiters, k)
				}
			}
		}
		l = &addrLimit{lim: rate.NewLimiter(s.opt.ConnRate, s.opt.ConnBurst)}
		s.limiters[host] = l
	}
	l.seen = now
	ok := l.lim.AllowN(now, 1)
	s.limMu.Unlock()
	if !ok {
		s.logf("refused a connection from %s: too many connections from that address", host)
		return nil
	}
	return conn
}

// sessionKey is where authorize leaves the operator for the handlers after it.
type sessionKey struct{}

// refusedKeys is where a connection's refused key fingerprints are noted,
// so that each is logged once however often the client offers it.
type refusedKeys struct{}

// refusedKey logs a public key the allow-list does not hold: its type and
// fingerprint (what the admin adds or looks for), the user name asked for
// and the address. The key is public; nothing secret is logged.
func (s *Server) refusedKey(ctx ssh.Context, key ssh.PublicKey) {
	if key == nil {
		return
	}
	fp := gossh.FingerprintSHA256(key)
	ctx.Lock() // the handshake asks one key at a time; the lock is for the map's sake
	seen, _ := ctx.Value(refusedKeys{}).(map[string]bool)
	if seen == nil {
		seen = map[string]bool{}
		ctx.SetValue(refusedKeys{}, seen)
	}
	logged := seen[fp]
	seen[fp] = true
	ctx.Unlock()
	if !logged {
		s.logf("refused key %s %s for user %q from %s: not in %s", key.Type(), fp, ctx.User(), ctx.RemoteAddr(), s.opt.AuthorizedKeys)
	}
}

// authorize checks the key the session authenticated with against the
// allow-list and names the operator.
func (s *Server) authorize(next ssh.Handler) ssh.Handler {
	return func(sess ssh.Session) {
		who, ok := s.allow.find(sess.PublicKey())
		if !ok { // removed from the file since the handshake
			key := "no key"
			if k := sess.PublicKey(); k != nil {
				key = k.Type() + " " + gossh.FingerprintSHA256(k)
			}
			s.logf("refused a session from %s: key %s not in %s", sess.RemoteAddr(), key, s.opt.AuthorizedKeys)
			wish.Fatalln(sess, "orderdesk: this key is not allowed")
			return
		}
		op := s.operator(who)
		sess.Context().SetValue(sessionKey{}, op)
		s.logf("%s (%s) connected from %s", op, who.fp, sess.RemoteAddr())
		next(sess)
		s.logf("%s disconnected", op)
	}
}

func (s *Server) operator(a allowed) string {
	if name := s.opt.Operators[a.fp]; name != "" {
		return name
	}
	if a.comment != "" {
		return a.comment
	}
	return a.fp
}

func (s *Server) noCommand(next ssh.Handler) ssh.Handler {
	return func(sess ssh.Session) {
		if len(sess.Command()) > 0 || sess.Subsystem() != "" {
			s.logf("refused a command from %v: %q", sess.Context().Value(sessionKey{}), sess.RawCommand())
			wish.Fatalln(sess, "orderdesk: only the desk is served here; connect without a command (ssh -t HOST)")
			return
		}
		next(sess)
	}
}

func (s *Server) requirePTY(next ssh.Handler) ssh.Handler {
	return func(sess ssh.Session) {
		if _, _, ok := sess.Pty(); !ok {
			s.logf("refused a session of %v without a terminal", sess.Context().Value(sessionKey{}))
			wish.Fatalln(sess, "orderdesk: the desk needs a terminal; connect with ssh -t")
			return
		}
		next(sess)
	}
}

// deskHandler runs one desk program for the session, at its own size,
// with its own colours and background detection.
func (s *Server) deskHandler(ssh.Handler) ssh.Handler {
	return func(sess ssh.Session) {
		op, _ := sess.Context().Value(sessionKey{}).(string)
		cfg := s.opt.Session()
		cfg.Operator, cfg.Work, cfg.SyncOnStart = op, s.work, false
		m := desk.New(sess.Context(), cfg)
		defer m.Close()
		in := &idleReader{r: sess}
		in.touch()
		opts := append(bubbletea.MakeOptions(sess), tea.WithInput(in), tea.WithContext(sess.Context()))
		p := tea.NewProgram(m, opts...)
		ss := &session{p: p, op: op}
		s.track(ss)
		defer s.untrack(ss)
		_, winCh, _ := sess.Pty()
		ctx, cancel := context.WithCancel(sess.Context())
		defer cancel()
		go func() {
			for {
				select {
				case <-ctx.Done():
					return
				case w, ok := <-winCh:
					if !ok {
						return
					}
					p.Send(tea.WindowSizeMsg{Width: w.Width, Height: w.Height})
				}
			}
		}()
		if s.opt.IdleTimeout > 0 {
			go s.watchIdle(ctx, ss, in)
		}
		if _, err := p.Run(); err != nil && !errors.Is(err, tea.ErrProgramKilled) && !errors.Is(err, context.Canceled) {
			s.logf("%s: desk ended with %v", op, err)
		}
		// The program has left the alternate screen: what is printed now
		// stays in the operator's terminal. Why the session was closed
		// comes last, where the eye lands.
		if n := m.OpenEdits(); n > 0 {
			wish.Printf(sess, "%d edit(s) not yet confirmed by the shops are kept in the outbox and sent by the server\r\n", n)
		}
		if why := ss.closedBecause(); why != "" {
			wish.Printf(sess, "%s\r\n", why)
		}
		_ = sess.Exit(0)
	}
}

func (s *Server) watchIdle(ctx context.Context, ss *session, in *idleReader) {
	every := min(s.opt.IdleTimeout/4, 30*time.Second)
	t := time.NewTicker(max(every, 10*time.Millisecond))
	defer t.Stop()
	for {
		select {
		case <-ctx.Done():
			return
		case <-t.C:
			if time.Since(in.last()) >= s.opt.IdleTimeout {
				why := "no key pressed for " + spell(s.opt.IdleTimeout) + "; your saved edits are kept"
				s.logf("%s: closed after %s without a key press", ss.op, spell(s.opt.IdleTimeout))
				ss.close("closing: "+why, "orderdesk: session closed: "+why)
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

// session is one running desk program.
type session struct {
	p  *tea.Program
	op string

	mu  stdsync.Mutex
	why string // printed after the program ends: why it was closed
}

// close tells the desk it is being closed (it shows inDesk, then quits)
// and keeps after to print once the screen is restored. It blocks until
// the program takes the message or has ended.
func (ss *session) close(inDesk, after string) {
	ss.mu.Lock()
	if ss.why == "" {
		ss.why = after
	}
	ss.mu.Unlock()
	ss.p.Send(desk.ClosingMsg{Text: inDesk})
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

// broadcast closes every session; it returns how many were told.
func (s *Server) broadcast(inDesk, after string) int {
	s.mu.Lock()
	defer s.mu.Unlock()
	for _, ss := range s.sessions {
		go ss.close(inDesk, after) // Send blocks until the program takes it
	}
	return len(s.sessions)
}

func (s *Server) logf(format string, args ...any) {
	s.logMu.Lock()
	defer s.logMu.Unlock()
	fmt.Fprintf(s.opt.Log, "orderdesk serve: "+format+"\n", args...)
}

// idleReader is the session's input, noting when a key was last pressed.
type idleReader struct {
	r    io.Reader
	when atomic.Int64
}

func (i *idleReader) Read(b []byte) (int, error) {
	n, err := i.r.Read(b)
	if n > 0 {
		i.touch()
	}
	return n, err
}

func (i *idleReader) touch()          { i.when.Store(time.Now().UnixNano()) }
func (i *idleReader) last() time.Time { return time.Unix(0, i.when.Load()) }
