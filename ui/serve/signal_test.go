//go:build unix

package serve

import (
	"os"
	"os/signal"
	"syscall"
	"testing"
	"time"
)

// A SIGTERM or SIGINT to the server is the server's to handle (tell every
// session, give sends their grace, then close): a session's desk must not
// take it as its own quit. Bubble Tea installs a handler of both in every
// program unless told not to, so each session quit at once and the
// server's shutdown then found nobody to tell (a flaky "0 session(s)
// told").
// The signals go to the whole test binary, so the sessions of the tests
// running beside this one get them too: none may end on them either.
func TestSignalsAreTheServersNotTheSessions(t *testing.T) {
	t.Parallel()
	ts := startTestServer(t, -1)
	tm := ts.open(t, ts.alice, 80, 24)
	tm.WaitFor(t, "the desk", drawn)
	// this test's own handler keeps the signals from ending the test binary
	ours := make(chan os.Signal, 2)
	signal.Notify(ours, syscall.SIGTERM, syscall.SIGINT)
	defer signal.Stop(ours)
	for _, sig := range []syscall.Signal{syscall.SIGTERM, syscall.SIGINT} {
		if err := syscall.Kill(os.Getpid(), sig); err != nil {
			t.Fatal(err)
		}
		select {
		case <-ours:
		case <-time.After(5 * time.Second):
			t.Fatalf("%v was not delivered", sig)
		}
	}
	select {
	case <-tm.Ended():
		t.Fatal("the session ended on a signal meant for the server")
	case <-time.After(time.Second):
	}
}
