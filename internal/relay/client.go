package relay

import (
	"context"
	"encoding/binary"
	"errors"
	"fmt"
	"io"
	"net"
	"os"
	"syscall"
)

// ErrNoHolder says nobody listens for the database: no socket, or one left
// by a process that is gone. The client then opens the database itself.
var ErrNoHolder = errors.New("no orderdesk process listens for this database")

// Client is a connection to the holder of a database.
type Client struct {
	conn *net.UnixConn
	path string
}

// Dial connects to the holder of the database at db. It returns
// ErrNoHolder when nobody listens, a *NotMineError when the socket or the
// process behind it belongs to another user, and other errors (permission)
// as they are.
func Dial(db string) (*Client, error) {
	path := SocketPath(db)
	fi, err := os.Lstat(path)
	if err != nil || fi.Mode()&os.ModeSocket == 0 {
		return nil, ErrNoHolder
	}
	if uid := fileOwner(fi); uid >= 0 && uid != os.Getuid() {
		return nil, &NotMineError{Path: path, UID: uid}
	}
	addr, done, err := socketAddr(path)
	if err != nil {
		return nil, err
	}
	conn, err := net.DialUnix("unix", nil, &net.UnixAddr{Name: addr, Net: "unix"})
	done()
	if err != nil {
		if errors.Is(err, syscall.ECONNREFUSED) || errors.Is(err, syscall.ENOENT) {
			return nil, ErrNoHolder
		}
		return nil, fmt.Errorf("connect to %s: %w", path, err)
	}
	if uid, err := peerUID(conn); err == nil && uid >= 0 && uid != os.Getuid() {
		conn.Close()
		return nil, &NotMineError{Path: path, UID: uid}
	}
	return &Client{conn: conn, path: path}, nil
}

// Close drops the connection.
func (c *Client) Close() error { return c.conn.Close() }

// HolderGoneError says the connection ended before the command's exit
// code came: the holder exited or crashed mid-command.
type HolderGoneError struct {
	Path string
	Err  error
}

func (e *HolderGoneError) Error() string {
	return fmt.Sprintf("the orderdesk process holding the database went away during the command (%s: %v); "+
		"`orderdesk pending` shows whether an edit was saved", e.Path, e.Err)
}

func (e *HolderGoneError) Unwrap() error { return e.Err }

// Run sends req and carries the streams until the command's exit code
// comes back. When ctx ends (an interrupt) the holder is told to cancel
// the command; Run still waits for its last output and exit code. stdin
// is read only once the command asks for input.
func (c *Client) Run(ctx context.Context, req Request, stdin io.Reader, stdout, stderr io.Writer) (int, error) {
	p, err := encodeRequest(req)
	if err != nil {
		return 1, err
	}
	fw := &frameWriter{w: c.conn}
	if err := fw.frame(kindRequest, p); err != nil {
		return 1, &HolderGoneError{Path: c.path, Err: err}
	}
	stop := context.AfterFunc(ctx, func() { _ = fw.frame(kindCancel, nil) })
	defer stop()
	pumping := false
	for {
		kind, p, err := readFrame(c.conn, maxFrame)
		if err != nil {
			return 1, &HolderGoneError{Path: c.path, Err: err}
		}
		switch kind {
		case kindStdout:
			_, _ = stdout.Write(p)
		case kindStderr:
			_, _ = stderr.Write(p)
		case kindStdin:
			if !pumping {
				pumping = true
				go pumpInput(stdin, fw)
			}
		case kindExit:
			if len(p) != 4 {
				return 1, &HolderGoneError{Path: c.path, Err: errors.New("a malformed exit frame")}
			}
			return int(int32(binary.BigEndian.Uint32(p))), nil
		}
	}
}

// pumpInput sends stdin to the holder until it ends. It is left behind
// when the command ends first (a read of a terminal blocks in the kernel).
func pumpInput(stdin io.Reader, fw *frameWriter) {
	if stdin == nil {
		_ = fw.frame(kindStdinEOF, nil)
		return
	}
	buf := make([]byte, 32<<10)
	for {
		n, err := stdin.Read(buf)
		if n > 0 {
			if fw.frame(kindStdin, buf[:n]) != nil {
				return
			}
		}
		if err != nil {
			_ = fw.frame(kindStdinEOF, nil)
			return
		}
	}
}
