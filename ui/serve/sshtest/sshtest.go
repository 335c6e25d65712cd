// Package sshtest is a desk session as the tests of `orderdesk serve` see
// it: an SSH client session with a terminal of any size, its input, and
// what the server wrote. Only tests import it.
package sshtest

import (
	"io"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/charmbracelet/x/ansi"
	gossh "golang.org/x/crypto/ssh"
)

// Term is a desk session of a test client.
type Term struct {
	Sess *gossh.Session
	In   io.Writer

	mu  sync.Mutex
	out []byte
	eof chan struct{} // closed when the server closed the session
}

// Open starts a desk session on client (a terminal of cols×rows, no
// command), closed at the end of the test.
func Open(t *testing.T, client *gossh.Client, cols, rows int) *Term {
	t.Helper()
	sess, err := client.NewSession()
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { sess.Close() })
	if err := sess.RequestPty("xterm-256color", rows, cols, gossh.TerminalModes{}); err != nil {
		t.Fatal(err)
	}
	tm := &Term{Sess: sess, eof: make(chan struct{})}
	if tm.In, err = sess.StdinPipe(); err != nil {
		t.Fatal(err)
	}
	out, err := sess.StdoutPipe()
	if err != nil {
		t.Fatal(err)
	}
	if err := sess.Shell(); err != nil {
		t.Fatal(err)
	}
	go func() {
		defer close(tm.eof)
		b := make([]byte, 32*1024)
		for {
			n, err := out.Read(b)
			tm.mu.Lock()
			tm.out = append(tm.out, b[:n]...)
			tm.mu.Unlock()
			if err != nil {
				return
			}
		}
	}()
	return tm
}

// Raw is everything written so far; Text is it without escape sequences.
func (tm *Term) Raw() string {
	tm.mu.Lock()
	defer tm.mu.Unlock()
	return string(tm.out)
}

func (tm *Term) Text() string { return ansi.Strip(tm.Raw()) }

// Ended is closed once the server has closed the session.
func (tm *Term) Ended() <-chan struct{} { return tm.eof }

// WaitFor waits (15 s at most) until the session has shown token.
func (tm *Term) WaitFor(t *testing.T, what, token string) {
	t.Helper()
	for deadline := time.Now().Add(15 * time.Second); !strings.Contains(tm.Text(), token); time.Sleep(20 * time.Millisecond) {
		if time.Now().After(deadline) {
			t.Fatalf("%s: %q not shown in 15 s; the session shows:\n%q", what, token, Tail(tm.Text()))
		}
	}
}

// Types types text a key at a time, waiting (10 s at most) for the desk
// to show each key: the renderer draws only what changed, so a word
// typed may come out in pieces.
func (tm *Term) Types(t *testing.T, what, text string) {
	t.Helper()
	for _, r := range text {
		before := len(tm.Raw())
		if _, err := io.WriteString(tm.In, string(r)); err != nil {
			t.Fatal(err)
		}
		for deadline := time.Now().Add(10 * time.Second); !strings.ContainsRune(ansi.Strip(tm.Raw()[before:]), r); time.Sleep(10 * time.Millisecond) {
			if time.Now().After(deadline) {
				t.Fatalf("%s: %q typed, not shown in 10 s; the session shows:\n%q", what, r, Tail(tm.Text()))
			}
		}
	}
}

// WaitEnd waits (15 s at most) until the server has closed the session.
func (tm *Term) WaitEnd(t *testing.T, what string) {
	t.Helper()
	select {
	case <-tm.eof:
	case <-time.After(15 * time.Second):
		t.Fatalf("%s: the session is still open after 15 s", what)
	}
}

// Tail is the end of s, for a failure message.
func Tail(s string) string { return s[max(0, len(s)-600):] }
