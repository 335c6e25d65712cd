package relay

import (
	"bufio"
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"net"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync/atomic"
	"syscall"
	"testing"
	"time"
)

// listen starts a server for a database at dir/name with handler h.
func listen(t *testing.T, db string, h Handler) *Server {
	t.Helper()
	srv, err := Listen(db, func(line string) { t.Log(line) })
	if err != nil {
		t.Fatal(err)
	}
	go srv.Serve(context.Background(), h)
	t.Cleanup(func() { srv.Close(context.Background()) })
	return srv
}

func dial(t *testing.T, db string) *Client {
	t.Helper()
	c, err := Dial(db)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { c.Close() })
	return c
}

// The command gets the arguments; its output, its input when it reads
// it, and its exit code travel as they are.
func TestRunCarriesStreamsAndExitCode(t *testing.T) {
	db := filepath.Join(t.TempDir(), "o.db")
	srv := listen(t, db, func(ctx context.Context, req Request, s Stdio) int {
		fmt.Fprintf(s.Out, "args %q dir %s width %d interactive %v\n", req.Args, req.Dir, req.Width, req.Interactive)
		fmt.Fprint(s.Err, "question? ")
		line, _ := bufio.NewReader(s.In).ReadString('\n')
		fmt.Fprintf(s.Out, "answer %q\n", strings.TrimSpace(line))
		s.Out.Write(bytes.Repeat([]byte("x"), 3<<20)) // more than a frame
		return 3
	})
	fi, err := os.Stat(srv.Path())
	if err != nil || fi.Mode().Perm() != 0o600 || fi.Mode()&os.ModeSocket == 0 {
		t.Fatalf("socket %s: %v %v, want a 0600 socket", srv.Path(), fi.Mode(), err)
	}
	var out, errb bytes.Buffer
	code, err := dial(t, db).Run(context.Background(),
		Request{Args: []string{"show", "sl:1"}, Dir: "/somewhere", Width: 120, Interactive: true},
		strings.NewReader("yes\nmore\n"), &out, &errb)
	if err != nil || code != 3 {
		t.Fatalf("Run = %d, %v; want 3, nil", code, err)
	}
	want := "args [\"show\" \"sl:1\"] dir /somewhere width 120 interactive true\nanswer \"yes\"\n"
	if got := out.String(); !strings.HasPrefix(got, want) || len(got) != len(want)+3<<20 {
		t.Errorf("stdout %q… (%d bytes), want %q and 3 MB", got[:min(len(got), 200)], len(got), want)
	}
	if errb.String() != "question? " {
		t.Errorf("stderr %q", errb.String())
	}
}

// A command that never reads its input never takes the client's: the
// client's stdin is not read at all.
func TestInputIsReadOnlyWhenAsked(t *testing.T) {
	db := filepath.Join(t.TempDir(), "o.db")
	listen(t, db, func(ctx context.Context, req Request, s Stdio) int { return 0 })
	var reads atomic.Int32
	in := readerFunc(func(p []byte) (int, error) { reads.Add(1); return 0, io.EOF })
	code, err := dial(t, db).Run(context.Background(), Request{}, in, io.Discard, io.Discard)
	if err != nil || code != 0 {
		t.Fatal(code, err)
	}
	if n := reads.Load(); n != 0 {
		t.Errorf("stdin read %d times by a command that never reads it", n)
	}
}

type readerFunc func([]byte) (int, error)

func (f readerFunc) Read(p []byte) (int, error) { return f(p) }

// An interrupt of the client cancels the command, whose last words and
// exit code still arrive.
func TestCancelReachesTheCommand(t *testing.T) {
	db := filepath.Join(t.TempDir(), "o.db")
	listen(t, db, func(ctx context.Context, req Request, s Stdio) int {
		fmt.Fprintln(s.Out, "started")
		<-ctx.Done()
		fmt.Fprintln(s.Err, "interrupted; kept what was saved")
		return 1
	})
	ctx, cancel := context.WithCancel(context.Background())
	var out, errb bytes.Buffer
	go func() {
		for !strings.Contains(syncRead(&out), "started") {
			time.Sleep(time.Millisecond)
		}
		cancel()
	}()
	code, err := dial(t, db).Run(ctx, Request{}, nil, lockedWriter{&out}, &errb)
	if err != nil || code != 1 || errb.String() != "interrupted; kept what was saved\n" {
		t.Fatalf("Run = %d, %v, stderr %q", code, err, errb.String())
	}
}

var outMu = make(chan struct{}, 1)

type lockedWriter struct{ b *bytes.Buffer }

func (w lockedWriter) Write(p []byte) (int, error) {
	outMu <- struct{}{}
	defer func() { <-outMu }()
	return w.b.Write(p)
}

func syncRead(b *bytes.Buffer) string {
	outMu <- struct{}{}
	defer func() { <-outMu }()
	return b.String()
}

// A client that goes away cancels its command; a panicking command is an
// exit 1 for its client, and the server goes on serving.
func TestClientGoneAndPanic(t *testing.T) {
	db := filepath.Join(t.TempDir(), "o.db")
	ended := make(chan error, 1)
	listen(t, db, func(ctx context.Context, req Request, s Stdio) int {
		switch req.Args[0] {
		case "panic":
			panic("a bug")
		case "wait":
			fmt.Fprintln(s.Out, "waiting")
			<-ctx.Done()
			ended <- ctx.Err()
		}
		return 0
	})
	var errb bytes.Buffer
	code, err := dial(t, db).Run(context.Background(), Request{Args: []string{"panic"}}, nil, io.Discard, &errb)
	if err != nil || code != 1 || !strings.Contains(errb.String(), "internal error: a bug") {
		t.Fatalf("panic: Run = %d, %v, stderr %q", code, err, errb.String())
	}
	c := dial(t, db)
	p, _ := encodeRequest(Request{Args: []string{"wait"}})
	fw := &frameWriter{w: c.conn}
	if err := fw.frame(kindRequest, p); err != nil {
		t.Fatal(err)
	}
	if _, _, err := readFrame(c.conn, maxFrame); err != nil { // "waiting"
		t.Fatal(err)
	}
	c.Close()
	select {
	case err := <-ended:
		if !errors.Is(err, context.Canceled) {
			t.Fatal(err)
		}
	case <-time.After(10 * time.Second):
		t.Fatal("the command of a client that went away was not cancelled")
	}
}

// Nobody listening (no socket; a socket left by a dead process) is
// ErrNoHolder; the next holder replaces a stale socket but never another
// kind of file.
func TestNoHolderAndStaleSocket(t *testing.T) {
	dir := t.TempDir()
	db := filepath.Join(dir, "o.db")
	if _, err := Dial(db); !errors.Is(err, ErrNoHolder) {
		t.Fatalf("no socket: %v", err)
	}
	ln, err := net.ListenUnix("unix", &net.UnixAddr{Name: SocketPath(db), Net: "unix"})
	if err != nil {
		t.Fatal(err)
	}
	ln.SetUnlinkOnClose(false)
	ln.Close() // a socket file nobody listens on
	if _, err := Dial(db); !errors.Is(err, ErrNoHolder) {
		t.Fatalf("stale socket: %v", err)
	}
	listen(t, db, func(context.Context, Request, Stdio) int { return 7 })
	if code, err := dial(t, db).Run(context.Background(), Request{}, nil, io.Discard, io.Discard); code != 7 || err != nil {
		t.Fatalf("after replacing the stale socket: %d, %v", code, err)
	}

	other := filepath.Join(dir, "p.db")
	if err := os.WriteFile(SocketPath(other), []byte("keep me"), 0o600); err != nil {
		t.Fatal(err)
	}
	if _, err := Listen(other, nil); err == nil || !strings.Contains(err.Error(), "not a socket") {
		t.Fatalf("Listen over a regular file: %v", err)
	}
	if b, _ := os.ReadFile(SocketPath(other)); string(b) != "keep me" {
		t.Fatalf("the file was changed: %q", b)
	}
}

// A database path too long for a socket address still gets its socket.
func TestLongPath(t *testing.T) {
	dir := filepath.Join(t.TempDir(), strings.Repeat("d", 60), strings.Repeat("e", 60))
	if err := os.MkdirAll(dir, 0o700); err != nil {
		t.Fatal(err)
	}
	db := filepath.Join(dir, "orderdesk.db")
	srv, err := Listen(db, nil)
	if err != nil {
		t.Skipf("no long socket paths here: %v", err)
	}
	go srv.Serve(context.Background(), func(context.Context, Request, Stdio) int { return 5 })
	defer srv.Close(context.Background())
	if code, err := dial(t, db).Run(context.Background(), Request{}, nil, io.Discard, io.Discard); code != 5 || err != nil {
		t.Fatalf("Run = %d, %v", code, err)
	}
}

// A process of another user is refused by the server even when the
// socket's mode would let it connect, and the command never runs. The
// child is this test binary run as nobody (root only: it takes
// CAP_SETUID); it connects and prints what it was answered.
func TestAnotherUserIsRefused(t *testing.T) {
	if os.Getuid() != 0 {
		t.Skip("needs root to run a process as another user")
	}
	dir, err := os.MkdirTemp("", "relay-uid-") // t.TempDir's parent is closed to others
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { os.RemoveAll(dir) })
	if err := os.Chmod(dir, 0o755); err != nil {
		t.Fatal(err)
	}
	db := filepath.Join(dir, "o.db")
	var ran atomic.Bool
	srv := listen(t, db, func(context.Context, Request, Stdio) int { ran.Store(true); return 0 })
	if err := os.Chmod(srv.Path(), 0o777); err != nil { // only the peer check is left
		t.Fatal(err)
	}
	exe, err := os.Executable()
	if err != nil {
		t.Fatal(err)
	}
	bin := filepath.Join(dir, "relay.test")
	b, err := os.ReadFile(exe)
	if err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(bin, b, 0o755); err != nil {
		t.Fatal(err)
	}
	cmd := exec.Command(bin, "-test.run=^TestChildConnects$")
	cmd.Env = append(os.Environ(), "RELAY_CHILD_SOCKET="+srv.Path())
	cmd.SysProcAttr = &syscall.SysProcAttr{Credential: &syscall.Credential{Uid: 65534, Gid: 65534}}
	out, err := cmd.CombinedOutput()
	t.Logf("child: %s", out)
	if err != nil {
		t.Fatalf("child failed: %v", err)
	}
	if !strings.Contains(string(out), "exit 1") || !strings.Contains(string(out), "serves only its own user, not user id 65534") {
		t.Errorf("the other user was not refused: %s", out)
	}
	if ran.Load() {
		t.Error("the command ran for another user")
	}
}

// TestChildConnects is the other user's side of TestAnotherUserIsRefused.
func TestChildConnects(t *testing.T) {
	path := os.Getenv("RELAY_CHILD_SOCKET")
	if path == "" {
		t.Skip("run by TestAnotherUserIsRefused")
	}
	conn, err := net.Dial("unix", path)
	if err != nil {
		fmt.Println("connect:", err)
		return
	}
	defer conn.Close()
	p, _ := encodeRequest(Request{Args: []string{"list"}})
	_ = (&frameWriter{w: conn}).frame(kindRequest, p)
	for {
		kind, p, err := readFrame(conn, maxFrame)
		if err != nil {
			fmt.Println("read:", err)
			return
		}
		switch kind {
		case kindStderr, kindStdout:
			fmt.Printf("%c %s", kind, p)
		case kindExit:
			fmt.Printf("exit %d\n", p[3])
			return
		}
	}
}

// A holder that dies mid-command (the connection ends without an exit
// frame) is an error naming what to check, not a silent exit 0.
func TestHolderGoneMidCommand(t *testing.T) {
	db := filepath.Join(t.TempDir(), "o.db")
	ln, err := net.Listen("unix", SocketPath(db))
	if err != nil {
		t.Fatal(err)
	}
	defer ln.Close()
	go func() {
		conn, err := ln.Accept()
		if err != nil {
			return
		}
		readFrame(conn, maxRequest)
		(&frameWriter{w: conn}).frame(kindStdout, []byte("half"))
		conn.Close() // killed
	}()
	var out bytes.Buffer
	code, err := dial(t, db).Run(context.Background(), Request{}, nil, &out, io.Discard)
	var gone *HolderGoneError
	if code != 1 || !errors.As(err, &gone) || out.String() != "half" || !strings.Contains(err.Error(), "orderdesk pending") {
		t.Fatalf("Run = %d, %v, stdout %q", code, err, out.String())
	}
}
