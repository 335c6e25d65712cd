package serve

import (
	"bytes"
	"encoding/binary"

	"charm.land/ssh"
	gossh "golang.org/x/crypto/ssh"

	"orderdesk/backend/safe"
)

// The largest terminal a session is drawn at. The desk's frame costs
// memory per cell (about half a kilobyte with the renderer's buffers), so
// the size a client asks for is clamped before the SSH library, Bubble Tea
// or the desk see it: a pty-req of 10000×10000 would otherwise cost
// gigabytes. A bigger terminal shows the desk in its top-left corner.
const (
	maxCols = 400
	maxRows = 150
)

// sessionChannel serves a "session" channel with the SSH library's own
// handler, its requests filtered first (filterRequests).
func (s *Server) sessionChannel(srv *ssh.Server, conn *gossh.ServerConn, nc gossh.NewChannel, ctx ssh.Context) {
	ssh.DefaultSessionHandler(srv, conn, filteredChannel{NewChannel: nc, s: s, ctx: ctx}, ctx)
}

// filteredChannel is a new session channel whose requests, once it is
// accepted, pass through filterRequests.
type filteredChannel struct {
	gossh.NewChannel
	s   *Server
	ctx ssh.Context
}

func (f filteredChannel) Accept() (gossh.Channel, <-chan *gossh.Request, error) {
	ch, reqs, err := f.NewChannel.Accept()
	if err != nil {
		return ch, reqs, err
	}
	out := make(chan *gossh.Request)
	safe.Go(f.s.work, func() { f.s.filterRequests(f.ctx, reqs, out) }, func(error) { _ = ch.Close() })
	return ch, out, nil
}

// filterRequests passes a session's requests on, except that it answers
// agent forwarding no (the desk has no use for the operator's agent, and
// the SSH library would say yes) and clamps the terminal size of a
// pty-req or window-change to maxCols×maxRows.
func (s *Server) filterRequests(ctx ssh.Context, in <-chan *gossh.Request, out chan<- *gossh.Request) {
	defer close(out)
	for req := range in {
		switch req.Type {
		case "auth-agent-req@openssh.com":
			_ = req.Reply(false, nil)
			continue
		case "pty-req":
			var clamped bool
			if req.Payload, clamped = clampSize(req.Payload, ptySizeAt(req.Payload)); clamped {
				s.noisy("a terminal larger than %d×%d from %s is drawn at that size", maxCols, maxRows, ctx.RemoteAddr())
			}
		case "window-change":
			req.Payload, _ = clampSize(req.Payload, 0)
		}
		out <- req
	}
}

// ptySizeAt is where a pty-req payload holds its columns and rows: after
// the TERM string (-1 when the payload is too short for it).
func ptySizeAt(b []byte) int {
	if len(b) < 4 {
		return -1
	}
	n := binary.BigEndian.Uint32(b)
	if uint64(n) > uint64(len(b)-4) {
		return -1
	}
	return 4 + int(n)
}

// clampSize returns b with the columns and rows (two uint32 at off) at
// most maxCols and maxRows, in a copy when it changes them, and whether
// it did. A payload too short is returned as it is, for the SSH library
// to refuse.
func clampSize(b []byte, off int) ([]byte, bool) {
	if off < 0 || len(b) < off+8 {
		return b, false
	}
	cols, rows := binary.BigEndian.Uint32(b[off:]), binary.BigEndian.Uint32(b[off+4:])
	if cols <= maxCols && rows <= maxRows {
		return b, false
	}
	c := bytes.Clone(b)
	binary.BigEndian.PutUint32(c[off:], min(cols, maxCols))
	binary.BigEndian.PutUint32(c[off+4:], min(rows, maxRows))
	return c, true
}
