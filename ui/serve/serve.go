// Package serve is `orderdesk serve`: the desk over SSH (charm.land/wish).
// One process serves every operator of a host, so they share one cache,
// one sync and one outbox, and each edit names the operator whose key made
// it.
//
// Decisions:
//   - Public-key authentication only: no password and no
//     keyboard-interactive handler is installed, so the SSH layer offers
//     neither. The allow-list is an authorized_keys file, re-read when it
//     changes (keys.go: StrictModes, malformed lines skipped); a server
//     with no key in it refuses to start.
//   - Identity comes from the key the session actually authenticated with
//     (Session.PublicKey, set by the SSH layer only after the signature
//     was verified), looked up again in the allow-list in the session
//     handler; keys merely offered during authentication never count. A
//     key taken out of the file ends its sessions within KeysCheck.
//   - The operator's name is the config's [operators] entry for the key's
//     fingerprint, else the key line's comment, else the fingerprint.
//   - A session must ask for a PTY and no command; subsystems (sftp, scp),
//     port forwarding and agent forwarding are not served (channel.go
//     answers agent forwarding no, and clamps terminal sizes).
//   - Idle timeout: a session without a key press for IdleTimeout (30 min)
//     is told and closed. The network keeps flowing while the desk shows
//     sync ages, so a connection-level idle timer would never fire. Why a
//     session was closed (idle, shutdown, key removed, a bug) is printed
//     again after the desk has left the alternate screen, as the last line
//     of the session, so the operator can still read it in the terminal.
//   - A refused public key is logged with its type, SHA256 fingerprint
//     (as ssh-keygen -l prints it), the user name asked for and the remote
//     address, once per key per connection, so an admin can find the key
//     to add. Nothing else of the client's is logged. Refusals are logged
//     at most a few a second (noisy), so that a flood cannot fill the disk.
//   - Connections pass a gate before the handshake (conns.go): failed
//     logins are penalised per address, logins in progress are capped, a
//     login has LoginGrace, and a connection without a session is closed
//     after SessionGrace.
//   - One session's panic never reaches another: wish's recover
//     middleware guards the handlers, Bubble Tea recovers the program,
//     and every goroutine is started through backend/safe, whose log here
//     is the server's log.
//   - Sync progress is logged from the desk's feed, whoever runs the
//     sync: each shop's first page, a line at most every 10 s per shop
//     while its pass runs, and its end (ui.ProgressLog).
//   - What sessions start on the shops (syncs, sends) runs in the server's
//     work context, not the session's: an edit sent as its operator
//     disconnects still finishes. On shutdown, sessions are told, sends get
//     Grace (10 s) to finish, then are cancelled; the sender records an
//     interrupted send as `unknown`, read back on the next start.
package serve

import (
	"bytes"
	"context"
	"fmt"
	"io"
	"net"
	"os"
	"runtime/debug"
	"sync"
	"time"

	tea "charm.land/bubbletea/v2"
	"charm.land/ssh"
	"charm.land/wish/v2"
	"charm.land/wish/v2/bubbletea"
	wishrecover "charm.land/wish/v2/recover"
	gossh "golang.org/x/crypto/ssh"
	"golang.org/x/time/rate"

	"orderdesk/backend"
	"orderdesk/backend/engine"
	"orderdesk/backend/safe"
	"orderdesk/ui"
	"orderdesk/ui/desk"
)

// Options configure a server. Listen, AuthorizedKeys, HostKey, Desk and
// Session are required; a zero limit takes its default.
type Options struct {
	Listen         string // host:port
	AuthorizedKeys string // the allow-list, authorized_keys format
	HostKey        string // private host key; created (ed25519, 0600) when missing
	// Operators maps a key fingerprint (SHA256:…) to an operator name.
	Operators map[string]string
	// IdleTimeout closes a session without a key press for this long
	// (0: 30 minutes; negative: never).
	IdleTimeout time.Duration
	// AllocatePTY gives each session a real pseudo-terminal on the
	// server (the desk reads and writes its slave side) instead of the
	// terminal emulated over the SSH channel, which is the default.
	AllocatePTY bool
	// LoginGrace is how long a connection has to log in (0: 30 s).
	LoginGrace time.Duration
	// SessionGrace closes a logged-in connection that runs no session for
	// this long (0: 30 s).
	SessionGrace time.Duration
	// MaxUnauthenticated caps the connections logging in at once, in all
	// (0: 64) and from one address (MaxUnauthenticatedPerAddr, 0: 10).
	MaxUnauthenticated        int
	MaxUnauthenticatedPerAddr int
	// FailBurst failed logins from one address refuse its connections
	// until FailRate has given some back (0: 10, and one every 10 s).
	FailRate  rate.Limit
	FailBurst int
	// KeysCheck is how often the authorized keys file is read for keys
	// taken out (0: 2 s).
	KeysCheck time.Duration
	// Grace is how long in-flight sends may finish on shutdown (0: 10 s).
	Grace time.Duration
	// Desk is the one desk every session shares.
	Desk *engine.Desk
	// Session builds the desk configuration of one session (keys, views,
	// zones); the server sets Operator, Work and SyncOnStart.
	Session func() desk.Config
	// Log receives one line per start, session and refusal, and the stack
	// of a recovered panic (nil: stderr).
	Log io.Writer
}

// withDefaults fills in the zero fields.
func (o Options) withDefaults() Options {
	def := func(d *time.Duration, v time.Duration) {
		if *d == 0 {
			*d = v
		}
	}
	def(&o.IdleTimeout, 30*time.Minute)
	def(&o.LoginGrace, 30*time.Second)
	def(&o.SessionGrace, 30*time.Second)
	def(&o.KeysCheck, 2*time.Second)
	def(&o.Grace, 10*time.Second)
	if o.MaxUnauthenticated == 0 {
		o.MaxUnauthenticated = 64
	}
	if o.MaxUnauthenticatedPerAddr == 0 {
		o.MaxUnauthenticatedPerAddr = 10
	}
	if o.FailBurst == 0 {
		o.FailRate, o.FailBurst = rate.Every(10*time.Second), 10
	}
	if o.Log == nil {
		o.Log = os.Stderr
	}
	return o
}

// Server is a running `orderdesk serve`.
type Server struct {
	opt   Options
	allow *allowList
	gate  *gate
	srv   *ssh.Server
	ln    net.Listener
	fp    string // the host key's fingerprint

	work     context.Context // what sessions start on the shops
	stopWork context.CancelFunc

	logMu   sync.Mutex
	noise   *rate.Limiter // lines of refusals
	dropped int           // refusals not logged since the last one logged

	mu       sync.Mutex
	sessions map[*tea.Program]*session // running programs
}

// New checks the keys (creating the host key when missing) and listens.
func New(opt Options) (*Server, error) {
	opt = opt.withDefaults()
	s := &Server{opt: opt, sessions: map[*tea.Program]*session{}, noise: rate.NewLimiter(2, 20)}
	s.gate = newGate(&s.opt)
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
	s.work, s.stopWork = context.WithCancel(s.WithLog(context.Background()))
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
			srv.ServerConfigCallback = s.serverConfig
			srv.HandshakeTimeout = opt.LoginGrace
			srv.ChannelHandlers = map[string]ssh.ChannelHandler{"session": s.sessionChannel}
			return nil
		},
		func(srv *ssh.Server) error {
			if opt.AllocatePTY {
				return ssh.AllocatePty()(srv)
			}
			return nil
		},
		// the last runs first
		wish.WithMiddleware(wishrecover.MiddlewareWithLogger(recoverLog{s}, s.deskMiddleware, s.requirePTY, s.noCommand, s.authorize)),
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
	feed := opt.Desk.Subscribe() // from now: a sync started before Serve is logged too
	safe.Go(s.work, func() { s.logSyncs(feed) }, nil)
	return s, nil
}

// logSyncs logs the progress of every sync pass on the desk (the one at
// start, and those the sessions run): a shop's first page, then a line at
// most every ui.ProgressEvery, and its end. It returns when the server's
// work ends.
func (s *Server) logSyncs(feed *engine.Feed) {
	defer feed.Close()
	log := &ui.ProgressLog{Now: time.Now, Print: func(line string) { s.logf("sync %s", line) }}
	log.Tally.Rate = func(shop string) float64 {
		if sh, ok := s.opt.Desk.Shop(shop); ok {
			return backend.RequestRate(sh)
		}
		return 0
	}
	for {
		e, ok := feed.Next(s.work)
		if !ok {
			return
		}
		log.Event(e)
	}
}

// Addr is the address the server listens on.
func (s *Server) Addr() net.Addr { return s.ln.Addr() }

// WithLog returns ctx whose recovered panics go to the server's log.
func (s *Server) WithLog(ctx context.Context) context.Context {
	return safe.WithLog(ctx, func(p *safe.PanicError) { s.logPanic("the server", p) })
}

// Serve serves sessions until ctx is done, then shuts down cleanly:
// new connections are refused, sessions are told and closed, in-flight
// sends get the grace period, and what is left is cancelled.
func (s *Server) Serve(ctx context.Context) error {
	s.logf("listening on %s (host key %s, %s)", s.ln.Addr(), s.opt.HostKey, s.fp)
	errc := make(chan error, 1)
	safe.Go(s.work, func() { errc <- s.srv.Serve(s.ln) }, func(err error) { errc <- err })
	safe.Go(s.work, func() { s.watchKeys(ctx) }, nil)
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
	idle := s.opt.Desk.Shutdown(context.Background(), s.opt.Grace, 0, s.stopWork) // the settle wait comes below, once the sessions are closed
	if !idle {
		s.logf("sends still in flight after %s were interrupted; they are marked unknown and read back on the next start", s.opt.Grace)
	}
	// Sessions quit shortly after being told; then their clients close
	// the connections. (Not the SSH library's Shutdown: its wait races
	// with a login that completes meanwhile.)
	closing, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	s.gate.waitClosed(closing)
	s.srv.Close()
	settle, cancel2 := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel2()
	s.opt.Desk.Wait(settle) // interrupted sends record their state
	s.logf("stopped")
	return nil
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
	if logged {
		return
	}
	why := "not in " + s.opt.AuthorizedKeys
	if s.allow.unusable() != "" {
		why = "no key is accepted while " + s.opt.AuthorizedKeys + " is unusable (see above)"
	}
	s.noisy("refused key %s %s for user %s from %s: %s", key.Type(), fp, backend.Quote(ctx.User()), ctx.RemoteAddr(), why)
}

// authorize checks the key the session authenticated with against the
// allow-list and names the operator.
func (s *Server) authorize(next ssh.Handler) ssh.Handler {
	return func(sess ssh.Session) {
		if c := connOf(sess.Context()); c != nil {
			c.sessionStarted()
			defer c.sessionEnded()
		}
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
			s.logf("refused a command from %v: %s", sess.Context().Value(sessionKey{}), backend.Quote(sess.RawCommand()))
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

// deskMiddleware runs the session's desk through wish's Bubble Tea
// middleware, as it is meant to be used: the middleware picks the
// program's input and output for the session's kind of terminal (one
// emulated over the channel, or a real pty allocated on the server:
// Options.AllocatePTY), forwards window changes and ends the program
// with the session. The server adds the operator's desk at its own size
// (clamped by filterRequests before anything sees it), the idle timeout
// (key presses seen by a message filter, not by reading the input
// aside), the session's place among the running ones, a panic in the
// desk contained to its session, and the lines printed once the desk has
// left the screen (afterDesk).
func (s *Server) deskMiddleware(next ssh.Handler) ssh.Handler {
	return bubbletea.MiddlewareWithProgramHandler(s.program)(s.afterDesk)
}

// deskRun is a session's desk while it runs; afterDesk finds it in the
// session's context.
type deskRun struct {
	m      *desk.Model
	ss     *session
	cancel context.CancelFunc
}

type deskRunKey struct{}

// program makes the session's desk program.
func (s *Server) program(sess ssh.Session) *tea.Program {
	op, _ := sess.Context().Value(sessionKey{}).(string)
	cfg := s.opt.Session()
	cfg.Operator, cfg.Work, cfg.SyncOnStart = op, s.work, false
	ctx, cancel := context.WithCancel(safe.WithLog(sess.Context(), func(p *safe.PanicError) { s.logPanic(op, p) }))
	run := &deskRun{m: desk.New(ctx, cfg), cancel: cancel}
	keys := &keyClock{}
	keys.touch()
	model := &guarded{Model: run.m}
	// The process's signals are the server's (Serve's shutdown tells
	// every session): without WithoutSignalHandler each session's
	// program would quit on SIGTERM/SIGINT itself, before it is told.
	opts := append(bubbletea.MakeOptions(sess), tea.WithContext(sess.Context()), tea.WithoutSignalHandler(),
		tea.WithFilter(keys.filter)) // replaces MakeOptions' filter, which keys.filter does too
	p := tea.NewProgram(model, opts...)
	run.ss = &session{p: p, op: op, key: sess.PublicKey()}
	model.crashed = func(r any) {
		s.logPanic(op, &safe.PanicError{Value: r, Stack: debug.Stack()})
		s.logf("%s: the desk stopped on a panic", op)
		run.ss.ended("orderdesk: the desk stopped on an internal error (a bug, logged for the administrator); your saved edits are kept")
		go p.Quit()
	}
	s.track(run.ss)
	sess.Context().SetValue(deskRunKey{}, run)
	if s.opt.IdleTimeout > 0 {
		safe.Go(ctx, func() { s.watchIdle(ctx, run.ss, keys) }, nil)
	}
	return p
}

// afterDesk runs once the session's desk has ended and left the
// alternate screen: what it prints stays in the operator's terminal, why
// the session was closed last, where the eye lands.
func (s *Server) afterDesk(sess ssh.Session) {
	run, _ := sess.Context().Value(deskRunKey{}).(*deskRun)
	if run == nil {
		return
	}
	s.untrack(run.ss)
	if n := run.m.OpenEdits(); n > 0 {
		wish.Printf(sess, "%d edit(s) not yet confirmed by the shops are kept in the outbox and sent by the server\r\n", n)
	}
	if why := run.ss.closedBecause(); why != "" {
		wish.Printf(sess, "%s\r\n", why)
	}
	run.m.Close()
	run.cancel()
	_ = sess.Exit(0)
}

// guarded is the desk with its Update and View contained: a panic there
// (a bug) ends this session's desk, logged with its stack, instead of
// reaching the program (whose own recovery writes to the process's
// stderr).
type guarded struct {
	*desk.Model
	crashed func(r any)
}

func (g *guarded) Update(msg tea.Msg) (_ tea.Model, cmd tea.Cmd) {
	defer func() {
		if r := recover(); r != nil {
			g.crashed(r)
			cmd = nil
		}
	}()
	_, cmd = g.Model.Update(msg)
	return g, cmd
}

func (g *guarded) View() (v tea.View) {
	defer func() {
		if r := recover(); r != nil {
			g.crashed(r)
			v = tea.NewView("")
		}
	}()
	return g.Model.View()
}

func (s *Server) logf(format string, args ...any) {
	s.logMu.Lock()
	defer s.logMu.Unlock()
	s.writeLocked(fmt.Sprintf(format, args...))
}

func (s *Server) writeLocked(line string) {
	fmt.Fprintf(s.opt.Log, "orderdesk serve: %s\n", line)
}

// logPanic writes a recovered panic of who's with its stack.
func (s *Server) logPanic(who string, p *safe.PanicError) {
	s.logf("%s: recovered a panic: %v\n%s", who, p.Value, bytes.TrimRight(p.Stack, "\n"))
}

// noisy logs a line of what clients can cause at will (a refused
// connection or key): at most 20 at once, then two a second. The lines
// left out are counted in the next one, or by flushNoisy.
func (s *Server) noisy(format string, args ...any) {
	s.logMu.Lock()
	defer s.logMu.Unlock()
	if !s.noise.Allow() {
		s.dropped++
		return
	}
	line := fmt.Sprintf(format, args...)
	if s.dropped > 0 {
		line += fmt.Sprintf(" (%d similar line(s) before this one not logged: too many)", s.dropped)
		s.dropped = 0
	}
	s.writeLocked(line)
}

// flushNoisy logs how many lines noisy left out, if any.
func (s *Server) flushNoisy() {
	s.logMu.Lock()
	defer s.logMu.Unlock()
	if s.dropped > 0 && s.noise.Allow() {
		s.writeLocked(fmt.Sprintf("%d similar line(s) not logged: too many refusals", s.dropped))
		s.dropped = 0
	}
}

// recoverLog is the server's log for wish's recover middleware.
type recoverLog struct{ s *Server }

func (l recoverLog) Printf(format string, args ...any) { l.s.logf(format, args...) }

// Log writes a line to the server's log, as its own lines are written:
// for what runs beside the sessions (relayed commands, backups).
func (s *Server) Log(line string) { s.logf("%s", line) }
