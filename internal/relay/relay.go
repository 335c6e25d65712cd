// Package relay lets a command line run inside the orderdesk process that
// holds the database (a desk or `orderdesk serve`), so `orderdesk show REF`
// works in a second terminal while the desk is open.
//
// The holder listens on a unix socket beside the database ("<db>.sock",
// mode 0600, in the database's directory). A client connects, sends its
// command line and what it knows of its terminal, and the holder runs the
// command with the client's standard streams carried over the connection:
// the output, the prompts and the exit code are the command's own. There
// is no TCP port and nothing secret on the wire: the holder has the
// secrets; the client sends only its arguments.
//
// Who may connect: the socket file is 0600 and both ends check the other's
// user id (SO_PEERCRED on Linux): a process of another user is refused
// even where the file's mode would let it connect, and a client never
// talks to a socket another user planted.
//
// The wire: frames of one kind byte, a 4-byte big-endian length and that
// many bytes. The client sends a request frame first, then stdin frames
// when the holder asks for input, and a cancel frame on an interrupt. The
// holder sends stdout and stderr frames, a stdin request when the command
// first reads its input, and an exit frame last.
package relay

import (
	"encoding/binary"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"os"
	"sync"
)

// Frame kinds.
const (
	kindRequest   = 'q' // client → holder: the Request, JSON
	kindStdin     = 'i' // client → holder: input bytes; holder → client: input wanted
	kindStdinEOF  = 'I' // client → holder: input ended
	kindCancel    = 'c' // client → holder: interrupted (SIGINT, SIGTERM)
	kindStdout    = 'o' // holder → client
	kindStderr    = 'e' // holder → client
	kindExit      = 'x' // holder → client: the exit code, 4 bytes; last frame
	maxFrame      = 1 << 20
	maxRequest    = 64 << 10
	socketSuffix  = ".sock"
	maxSocketPath = 104 // sun_path is 108 on Linux, 104 on the BSDs
)

// Request is what a client asks the holder to run.
type Request struct {
	Args []string `json:"args"` // the command line, without the program name
	// Dir is the client's working directory: a relative file name in the
	// command line (import-tracking FILE, backup FILE) is the client's.
	Dir string `json:"dir"`
	// Interactive: the client's stdin and stderr are a terminal, so the
	// command may ask (a cancel's confirmation).
	Interactive bool `json:"interactive"`
	// Width is the client's terminal width when its stderr is a terminal
	// that draws (progress bars); 0 otherwise.
	Width   int  `json:"width"`
	NoColor bool `json:"no_color"`
}

// SocketPath is where the holder of the database at db listens.
func SocketPath(db string) string { return db + socketSuffix }

// ErrRefused is returned to a client the holder would not serve.
var ErrRefused = errors.New("refused by the orderdesk process holding the database")

// NotMineError says the socket or its other end belongs to another user.
type NotMineError struct {
	Path string
	UID  int
}

func (e *NotMineError) Error() string {
	return fmt.Sprintf("%s belongs to user id %d, not to you: not used", e.Path, e.UID)
}

// frameWriter writes frames; it is safe for concurrent use (a command's
// progress and its output are written from several goroutines).
type frameWriter struct {
	mu  sync.Mutex
	w   io.Writer
	err error
}

func (fw *frameWriter) frame(kind byte, p []byte) error {
	fw.mu.Lock()
	defer fw.mu.Unlock()
	for first := true; first || len(p) > 0; first = false {
		if fw.err != nil {
			return fw.err
		}
		n := min(len(p), maxFrame)
		buf := make([]byte, 5+n)
		buf[0] = kind
		binary.BigEndian.PutUint32(buf[1:5], uint32(n))
		copy(buf[5:], p[:n])
		_, fw.err = fw.w.Write(buf)
		p = p[n:]
	}
	return fw.err
}

// stream is an io.Writer sending one kind of frame.
type stream struct {
	fw   *frameWriter
	kind byte
}

func (s stream) Write(p []byte) (int, error) {
	if len(p) == 0 {
		return 0, nil
	}
	if err := s.fw.frame(s.kind, p); err != nil {
		return 0, err
	}
	return len(p), nil
}

// readFrame reads one frame, at most limit bytes long.
func readFrame(r io.Reader, limit int) (byte, []byte, error) {
	var h [5]byte
	if _, err := io.ReadFull(r, h[:]); err != nil {
		return 0, nil, err
	}
	n := binary.BigEndian.Uint32(h[1:])
	if int64(n) > int64(limit) {
		return 0, nil, fmt.Errorf("relay: a frame of %d bytes (at most %d)", n, limit)
	}
	p := make([]byte, n)
	if _, err := io.ReadFull(r, p); err != nil {
		return 0, nil, err
	}
	return h[0], p, nil
}

func encodeRequest(req Request) ([]byte, error) { return json.Marshal(req) }

func decodeRequest(p []byte) (Request, error) {
	var req Request
	err := json.Unmarshal(p, &req)
	return req, err
}

// socketAddr returns an address for the socket at path that fits sun_path,
// and a function to call once it has been used: a long path is reached
// through a descriptor of its directory (/proc/self/fd/N/name on Linux).
func socketAddr(path string) (string, func(), error) {
	if len(path) < maxSocketPath {
		return path, func() {}, nil
	}
	return longSocketAddr(path)
}

// isSocket reports whether path is a unix socket (not following a link).
func isSocket(path string) bool {
	fi, err := os.Lstat(path)
	return err == nil && fi.Mode()&os.ModeSocket != 0
}
