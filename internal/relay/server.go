package relay

import (
	"bytes"
	"context"
	"encoding/binary"
	"fmt"
	"io"
	"net"
	"os"
	"runtime/debug"
	"sync"
)

// Stdio is a relayed command's standard streams.
type Stdio struct {
	In       io.Reader
	Out, Err io.Writer
}

// Handler runs one relayed command and returns its exit code. ctx ends
// when the client is interrupted or goes away.
type Handler func(ctx context.Context, req Request, s Stdio) int

// Server is the holder's end: a listening socket and the commands it runs.
type Server struct {
	ln   *net.UnixListener
	path string
	log  func(string)

	mu      sync.Mutex
	cancels map[*int]context.CancelFunc
	wg      sync.WaitGroup
	closed  bool
	stopped bool // no longer listening
}

// Listen listens on the socket of the database at db. The caller holds
// the database's lock, so a socket already there was left by a process
// that died: it is replaced. Anything else at that path is left alone and
// is an error. log receives a line for each refused connection and each
// recovered panic; nil discards them.
func Listen(db string, log func(string)) (*Server, error) {
	if log == nil {
		log = func(string) {}
	}
	path := SocketPath(db)
	if fi, err := os.Lstat(path); err == nil {
		if fi.Mode()&os.ModeSocket == 0 {
			return nil, fmt.Errorf("relay: %s exists and is not a socket; remove it to let commands reach this process", path)
		}
		if err := os.Remove(path); err != nil {
			return nil, fmt.Errorf("relay: remove stale %s: %w", path, err)
		}
	}
	addr, done, err := socketAddr(path)
	if err != nil {
		return nil, fmt.Errorf("relay: %w", err)
	}
	ln, err := net.ListenUnix("unix", &net.UnixAddr{Name: addr, Net: "unix"})
	done()
	if err != nil {
		return nil, fmt.Errorf("relay: listen on %s: %w", path, err)
	}
	ln.SetUnlinkOnClose(false) // removed by its real path in Close
	// The directory is the database's (0700 when orderdesk made it); the
	// peer check below is what refuses another user in any case.
	if err := os.Chmod(path, 0o600); err != nil {
		ln.Close()
		os.Remove(path)
		return nil, fmt.Errorf("relay: %w", err)
	}
	return &Server{ln: ln, path: path, log: log, cancels: map[*int]context.CancelFunc{}}, nil
}

// Path is the socket's path.
func (s *Server) Path() string { return s.path }

// Serve accepts connections until Close, running each request with h.
func (s *Server) Serve(ctx context.Context, h Handler) {
	for {
		conn, err := s.ln.AcceptUnix()
		if err != nil {
			return
		}
		s.mu.Lock()
		if s.closed || s.stopped {
			s.mu.Unlock()
			conn.Close()
			return
		}
		cctx, cancel := context.WithCancel(ctx)
		key := new(int)
		s.cancels[key] = cancel
		s.wg.Add(1)
		s.mu.Unlock()
		go func() {
			defer s.wg.Done()
			defer func() {
				s.mu.Lock()
				delete(s.cancels, key)
				s.mu.Unlock()
				cancel()
			}()
			s.serveConn(cctx, cancel, conn, h)
		}()
	}
}

// StopListening closes and removes the socket: no new command is
// taken; those running go on until they end or Close cancels them.
func (s *Server) StopListening() {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.stopListeningLocked()
}

func (s *Server) stopListeningLocked() {
	if !s.stopped {
		s.stopped = true
		s.ln.Close()
		os.Remove(s.path)
	}
}

// Close stops listening, removes the socket, cancels the commands running
// and waits for them to end until ctx is done.
func (s *Server) Close(ctx context.Context) {
	s.mu.Lock()
	if s.closed {
		s.mu.Unlock()
		return
	}
	s.closed = true
	s.stopListeningLocked()
	for _, c := range s.cancels {
		c()
	}
	s.mu.Unlock()
	done := make(chan struct{})
	go func() { s.wg.Wait(); close(done) }()
	select {
	case <-done:
	case <-ctx.Done():
	}
}

func (s *Server) serveConn(ctx context.Context, cancel context.CancelFunc, conn *net.UnixConn, h Handler) {
	defer conn.Close()
	fw := &frameWriter{w: conn}
	exit := func(code int) {
		var b [4]byte
		binary.BigEndian.PutUint32(b[:], uint32(int32(code)))
		_ = fw.frame(kindExit, b[:])
	}
	if uid, err := peerUID(conn); err != nil || (uid >= 0 && uid != os.Getuid()) {
		who := "an unknown user"
		if err == nil {
			who = fmt.Sprintf("user id %d", uid)
		}
		s.log(fmt.Sprintf("relay: refused a connection from %s", who))
		fmt.Fprintf(stream{fw, kindStderr}, "orderdesk: %v: it serves only its own user, not %s\n", ErrRefused, who)
		exit(1)
		return
	}
	kind, p, err := readFrame(conn, maxRequest)
	if err != nil || kind != kindRequest {
		return
	}
	req, err := decodeRequest(p)
	if err != nil {
		fmt.Fprintf(stream{fw, kindStderr}, "orderdesk: %v: a request it cannot read (%v); are both the same version?\n", ErrRefused, err)
		exit(1)
		return
	}
	in := newInput(func() { _ = fw.frame(kindStdin, nil) })
	go s.readClient(conn, cancel, in)
	code := s.run(ctx, h, req, Stdio{In: in, Out: stream{fw, kindStdout}, Err: stream{fw, kindStderr}})
	exit(code)
}

// run calls h, turning a panic (a bug) into exit 1 and a log line: a
// relayed command must never bring the desk down.
func (s *Server) run(ctx context.Context, h Handler, req Request, io Stdio) (code int) {
	defer func() {
		if r := recover(); r != nil {
			s.log(fmt.Sprintf("relay: panic in a relayed command: %v\n%s", r, debug.Stack()))
			fmt.Fprintf(io.Err, "orderdesk: internal error: %v\n", r)
			code = 1
		}
	}()
	return h(ctx, req, io)
}

// readClient reads the client's frames after the request: input, its end,
// a cancel. The connection's end (the client went away) cancels too.
func (s *Server) readClient(conn net.Conn, cancel context.CancelFunc, in *input) {
	for {
		kind, p, err := readFrame(conn, maxFrame)
		if err != nil {
			cancel()
			in.close()
			return
		}
		switch kind {
		case kindStdin:
			in.add(p)
		case kindStdinEOF:
			in.close()
		case kindCancel:
			cancel()
		}
	}
}

// input is the command's stdin: the client's input as it arrives. It asks
// the client for it on the first Read, so a command that never reads
// stdin never takes the client's typed-ahead lines. Arriving input is
// buffered, so the reader of the client's frames never waits on the
// command (and a cancel always gets through).
type input struct {
	ask   func()
	mu    sync.Mutex
	cond  *sync.Cond
	asked bool
	buf   bytes.Buffer
	end   error
}

func newInput(ask func()) *input {
	in := &input{ask: ask}
	in.cond = sync.NewCond(&in.mu)
	return in
}

func (in *input) Read(p []byte) (int, error) {
	in.mu.Lock()
	defer in.mu.Unlock()
	if !in.asked {
		in.asked = true
		in.ask()
	}
	for in.buf.Len() == 0 && in.end == nil {
		in.cond.Wait()
	}
	if in.buf.Len() > 0 {
		return in.buf.Read(p)
	}
	return 0, in.end
}

func (in *input) add(p []byte) {
	in.mu.Lock()
	in.buf.Write(p)
	in.mu.Unlock()
	in.cond.Broadcast()
}

func (in *input) close() {
	in.mu.Lock()
	if in.end == nil {
		in.end = io.EOF
	}
	in.mu.Unlock()
	in.cond.Broadcast()
}
