//go:build unix

package e2e

import (
	"bytes"
	"encoding/csv"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/creack/pty"
)

// exitWait bounds how long a test waits for the binary to end after it was
// told to (a signal) or should never have blocked (a pipe refused): not a
// performance budget, a guard so a hang fails the test instead of CI.
const exitWait = 5 * slowdown * time.Second

// waitExit waits up to exitWait for cmd to end and returns its exit code;
// a process still running then is killed and the test fails.
func waitExit(t *testing.T, cmd *exec.Cmd, what string) int {
	t.Helper()
	done := make(chan error, 1)
	go func() { done <- cmd.Wait() }()
	select {
	case err := <-done:
		if ee, ok := err.(*exec.ExitError); ok {
			return ee.ExitCode()
		} else if err != nil {
			t.Fatalf("%s: %v", what, err)
		}
		return 0
	case <-time.After(exitWait):
		cmd.Process.Kill()
		<-done
		t.Fatalf("%s: still running %s after it should have ended", what, exitWait)
		return -1
	}
}

// readUntil reads the terminal until its output holds want, for at most
// 30 s, and returns the output; the reading goes on aside, dropped.
func readUntil(t *testing.T, term io.Reader, want string) string {
	t.Helper()
	chunks := make(chan []byte, 16)
	go func() {
		buf := make([]byte, 4096)
		for {
			n, err := term.Read(buf)
			if n > 0 {
				select {
				case chunks <- append([]byte(nil), buf[:n]...):
				default: // nobody reads any more
				}
			}
			if err != nil {
				close(chunks)
				return
			}
		}
	}()
	var screen bytes.Buffer
	deadline := time.After(30 * time.Second)
	for !bytes.Contains(screen.Bytes(), []byte(want)) {
		select {
		case c, ok := <-chunks:
			if !ok {
				t.Fatalf("the terminal closed before %q:\n%s", want, screen.String())
			}
			screen.Write(c)
		case <-deadline:
			t.Fatalf("no %q on the terminal:\n%s", want, screen.String())
		}
	}
	return screen.String()
}

// TestSignalEndsACommandWaitingAtAPrompt: SIGINT or SIGTERM while ship
// waits for an answer on a terminal ends it (nothing saved, exit 2) and
// leaves the database free for the next command. The answer used to be
// read with the signals caught and unheeded, so the process stayed,
// holding the database, until someone typed.
func TestSignalEndsACommandWaitingAtAPrompt(t *testing.T) {
	t.Parallel()
	db := filepath.Join(t.TempDir(), "demo.db")
	out, errOut, code := runCLI(t, "--demo", "--db", db, "list", "--filter", smokeShippable, "--format", "csv", "--limit", "1")
	recs, err := csv.NewReader(bytes.NewReader([]byte(out))).ReadAll()
	if code != 0 || err != nil || len(recs) != 2 {
		t.Fatalf("list: exit %d, %v\n%s", code, err, errOut)
	}
	ref := recs[1][0]
	for _, sig := range []syscall.Signal{syscall.SIGTERM, syscall.SIGINT} {
		// a check digit that does not match: a warning, asked on a terminal
		cmd := exec.Command(binary, "--demo", "--db", db, "ship", ref, "--carrier", "UPS", "--tracking", "1Z999AA10123456785")
		term, err := pty.Start(cmd)
		if err != nil {
			t.Fatal(err)
		}
		t.Cleanup(func() { cmd.Process.Kill() }) // ended already, unless the test failed
		screen := readUntil(t, term, "[y/N]")
		if err := cmd.Process.Signal(sig); err != nil {
			t.Fatal(err)
		}
		code := waitExit(t, cmd, "ship at its question, after "+sig.String())
		term.Close()
		if code != 2 {
			t.Errorf("%v: exit %d, want 2 (nothing saved)\n%s", sig, code, screen)
		}
	}
	out, errOut, code = runCLI(t, "--demo", "--db", db, "pending", "--format", "json")
	if code != 0 || string(bytes.TrimSpace([]byte(out))) != "[]" {
		t.Errorf("pending after the interrupts: exit %d, %s\n%s", code, out, errOut)
	}
}

// TestSignalEndsASlowSync: a sync against shops answering 30 s late ends
// soon after SIGTERM, and the database is free afterwards.
func TestSignalEndsASlowSync(t *testing.T) {
	t.Parallel()
	db := filepath.Join(t.TempDir(), "demo.db")
	if _, errOut, code := runCLI(t, "--demo", "--demo-orders", "5", "--db", db, "pending"); code != 0 {
		t.Fatalf("demo: exit %d\n%s", code, errOut)
	}
	cmd := exec.Command(binary, "--demo", "--demo-orders", "5", "--demo-latency", "30s", "--db", db, "sync")
	var stderr bytes.Buffer
	cmd.Stderr = &stderr
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	time.Sleep(1500 * time.Millisecond) // into the sync, or still opening: either way it must end
	cmd.Process.Signal(syscall.SIGTERM)
	waitExit(t, cmd, "sync after SIGTERM")
	// an interrupt is said as one, not as each shop failing on "context canceled"
	if errOut := stderr.String(); strings.Contains(errOut, "context canceled") || strings.Contains(errOut, "failed") {
		t.Errorf("the interrupted sync says:\n%s", errOut)
	}
	if _, errOut, code := runCLI(t, "--demo", "--db", db, "pending"); code != 0 {
		t.Errorf("pending after the interrupted sync: exit %d\n%s", code, errOut)
	}
}

// TestInputsMustBeRegularFiles: import-tracking and --config refuse a
// named pipe (which would block the open until a writer came), a
// directory and a device, at once, exit 2.
func TestInputsMustBeRegularFiles(t *testing.T) {
	t.Parallel()
	r := newRig(t, fourShops(3)[:1])
	fifo := filepath.Join(r.dir, "pipe.csv")
	if err := syscall.Mkfifo(fifo, 0o600); err != nil {
		t.Skipf("no named pipes here: %v", err)
	}
	dir := filepath.Join(r.dir, "adir")
	if err := os.Mkdir(dir, 0o700); err != nil {
		t.Fatal(err)
	}
	for _, c := range []struct {
		args []string
		says string
	}{
		{[]string{"--config", r.cfg, "--db", r.db, "import-tracking", fifo}, "is a named pipe (FIFO), not a regular file"},
		{[]string{"--config", r.cfg, "--db", r.db, "import-tracking", dir}, "is a directory, not a regular file"},
		{[]string{"--config", r.cfg, "--db", r.db, "import-tracking", "/dev/zero"}, "is a device, not a regular file"},
		{[]string{"--config", fifo, "--db", r.db, "list"}, "is a named pipe (FIFO), not a regular file"},
		{[]string{"--config", dir, "--db", r.db, "list"}, "is a directory, not a regular file"},
	} {
		cmd := exec.Command(binary, c.args...)
		cmd.Env = append(os.Environ(), r.env...)
		var stderr bytes.Buffer
		cmd.Stderr = &stderr
		if err := cmd.Start(); err != nil {
			t.Fatal(err)
		}
		code := waitExit(t, cmd, c.args[len(c.args)-2]+" "+c.args[len(c.args)-1])
		if code != 2 || !bytes.Contains(stderr.Bytes(), []byte(c.says)) {
			t.Errorf("%v: exit %d, want 2 saying %q\n%s", c.args, code, c.says, stderr.String())
		}
	}
}

// TestSignalEndsACommandWaitingForTheDatabase: a command waiting for a
// database another process holds (it would wait 2 s, then say the
// database is in use) ends on SIGTERM at once, saying it was
// interrupted, not after its wait.
func TestSignalEndsACommandWaitingForTheDatabase(t *testing.T) {
	t.Parallel()
	r := newRig(t, fourShops(3)[:1])
	r.must(0, "sync")
	st := r.openStore() // held by this process: the command waits for it
	defer st.Close()
	cmd := exec.Command(binary, "--config", r.cfg, "--db", r.db, "list")
	cmd.Env = append(os.Environ(), r.env...)
	var stderr bytes.Buffer
	cmd.Stderr = &stderr
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	time.Sleep(300 * slowdown * time.Millisecond) // waiting for the lock by now
	cmd.Process.Signal(syscall.SIGTERM)
	code := waitExit(t, cmd, "list after SIGTERM")
	if errOut := stderr.String(); code != 1 || !strings.Contains(errOut, "interrupted") || strings.Contains(errOut, "in use") {
		t.Errorf("exit %d, want 1 saying interrupted (not the 2 s wait's end)\nstderr:\n%s", code, errOut)
	}
}
