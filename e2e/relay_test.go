package e2e

import (
	"bytes"
	"context"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"syscall"
	"testing"
	"time"

	"orderdesk/backend"
	"orderdesk/cache"
	"orderdesk/internal/relay"
)

// besideRig is a rig whose database sits in a directory others may
// traverse (for the other-user check), synced once.
func besideRig(t *testing.T) *rig {
	t.Helper()
	r := newRig(t, fourShops(12))
	pub, err := os.MkdirTemp("", "orderdesk-beside-")
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { os.RemoveAll(pub) })
	if err := os.Chmod(pub, 0o755); err != nil {
		t.Fatal(err)
	}
	r.db = filepath.Join(pub, "data", "orderdesk.db")
	r.must(0, "sync")
	return r
}

// besideCommands are the read commands compared beside a holder and
// alone, after the edits: their output must be the same.
func besideCommands(r *rig, ref backend.Ref) [][]string {
	return [][]string{
		{"list"},
		{"list", "--format", "json", "--filter", "shop:" + ref.Shop},
		{"list", "--format", "csv", "--limit", "5"},
		{"show", ref.String()},
		{"show", ref.String(), "--format", "json"},
		{"show", "no-such-shop:1"},
		{"pending"},
		{"pending", "--format", "json"},
		{"list", "--format", "yaml"},           // a usage error
		{"__complete", "--", "show", ref.Shop}, // a shell's <TAB>
		{"__complete", "--", "show", ref.String()[:len(ref.String())-1]},
	}
}

// offersRef fails unless the completion of shop's REFs among outs offers
// ref: a quiet empty answer would be the same beside and alone.
func offersRef(t *testing.T, outs []string, ref backend.Ref) {
	t.Helper()
	for _, o := range outs {
		if strings.HasPrefix(o, "__complete -- show "+ref.Shop+"\n") && strings.Contains(o, "\n"+ref.String()+"\n") {
			return
		}
	}
	t.Errorf("show %s<TAB> does not offer %s", ref.Shop, ref)
}

// runAll runs each command line and returns "exit N\nstdout\nstderr" of
// each.
func (r *rig) runAll(lines [][]string) []string {
	var out []string
	for _, args := range lines {
		o, e, code := r.run(args...)
		out = append(out, strings.Join(args, " ")+"\nexit "+itoa(code)+"\n"+o+"\n--stderr--\n"+e)
	}
	return out
}

func itoa(n int) string { return strconv.Itoa(n) }

var editID = regexp.MustCompile(`\bE\d+\b`)

// sameShip compares the outputs of two ships of different orders.
func sameShip(t *testing.T, beside, alone string, refBeside, refAlone backend.Ref) {
	t.Helper()
	norm := func(s string, ref backend.Ref) string {
		s = strings.ReplaceAll(s, ref.String(), "REF")
		s = strings.ReplaceAll(s, ref.Number, "NUMBER")
		s = regexp.MustCompile(`SF9\d{12}`).ReplaceAllString(s, "TRACKING")
		return editID.ReplaceAllString(s, "E#")
	}
	if a, b := norm(beside, refBeside), norm(alone, refAlone); a != b {
		t.Errorf("ship beside differs from alone:\nbeside:\n%s\nalone:\n%s", a, b)
	}
}

// TestCommandsBesideDesk: with the desk open in tmux on the database, the
// commands run through it with the output and exit code they have alone;
// a shipment from the shell shows in the desk within a second; backup
// copies every order and pending edit and never overwrites without
// --force; another user cannot use the desk's socket.
func TestCommandsBesideDesk(t *testing.T) {
	needTmux(t)
	t.Parallel()
	r := besideRig(t)
	env := append(isolatedEnv(t.TempDir()), r.env...)
	desk := shellQuote(binary) + " --config " + shellQuote(r.cfg) + " --db " + shellQuote(r.db)
	d := startInTmux(t, "beside", 160, 50, env, desk)
	d.waitFor("the desk's list", 30*time.Second, func(s screen) bool { return len(s.rows()) > 0 })
	waitSocket(t, r.db)

	shipped, other := r.twoShippable("sl")
	d.keys("/number:" + strings.TrimPrefix(shipped.Number, "#"))
	d.waitFor("the filter on "+shipped.String(), smokeStep, func(s screen) bool {
		rows := s.rows()
		return len(rows) == 1 && rows[0].has("unfulfilled")
	})
	d.press("Enter") // leaves the filter line: the list has the keys
	start := time.Now()
	o, e, code := r.run("ship", shipped.String(), "--carrier", "SF Express", "--tracking", "SF9000000000001", "--yes")
	shipBeside := "exit " + itoa(code) + "\n" + o + e
	if code != 0 {
		t.Fatalf("ship beside the desk: %s", shipBeside)
	}
	returned := time.Since(start)
	d.waitFor("the shipment from the shell in the desk", time.Second, func(s screen) bool {
		rows := s.rows()
		return len(rows) == 1 && rows[0].has("fulfilled")
	})
	t.Logf("ship took %v; the desk showed it %v after the command returned", returned, time.Since(start)-returned)

	remarked := r.listJSON("--shop", "ym")[0].Ref
	if _, e, code := r.run("remark", remarked.String(), "checked by phone", "--offline", "--yes"); code != 3 {
		t.Fatalf("remark --offline beside the desk: exit %d, want 3 (queued)\n%s", code, e)
	}
	beside := r.runAll(besideCommands(r, shipped))
	offersRef(t, beside, shipped)

	// backup: a relative FILE is the shell's, not the desk's directory
	work := t.TempDir()
	backupRun := func(args ...string) (string, string, int) {
		cmd := exec.Command(binary, append([]string{"--config", r.cfg, "--db", r.db}, args...)...)
		cmd.Dir, cmd.Env = work, append(os.Environ(), r.env...)
		var o, e bytes.Buffer
		cmd.Stdout, cmd.Stderr = &o, &e
		err := cmd.Run()
		code := 0
		if ee, ok := err.(*exec.ExitError); ok {
			code = ee.ExitCode()
		}
		return o.String(), e.String(), code
	}
	if o, e, code := backupRun("backup", "copy.db"); code != 0 || !strings.Contains(o, "1 edits in the outbox") {
		t.Fatalf("backup beside the desk: exit %d\n%s%s", code, o, e)
	}
	copyPath := filepath.Join(work, "copy.db")
	before, err := os.ReadFile(copyPath)
	if err != nil {
		t.Fatal(err)
	}
	if _, e, code := backupRun("backup", "copy.db"); code != 2 || !strings.Contains(e, "--force") {
		t.Fatalf("backup onto an existing file: exit %d, want 2\n%s", code, e)
	}
	if after, _ := os.ReadFile(copyPath); !bytes.Equal(before, after) {
		t.Fatal("backup without --force changed the existing file")
	}

	if out := r.must(0, "doctor"); !strings.Contains(out, "commands run beside it go through it (orderdesk.db.sock)") {
		t.Errorf("doctor beside the desk does not say commands reach it:\n%s", out)
	}

	// another user: the socket is refused even with the directory open
	otherUser(t, r)

	d.keys("q")
	d.waitFor("the desk to exit", 10*time.Second, func(s screen) bool { return s.has("EXIT=0") })
	if _, err := os.Stat(r.db + ".sock"); !os.IsNotExist(err) {
		t.Errorf("the socket is left after the desk quit: %v", err)
	}

	alone := r.runAll(besideCommands(r, shipped))
	for i := range beside {
		if beside[i] != alone[i] {
			t.Errorf("beside the desk and alone differ:\n%s\n--- alone:\n%s", beside[i], alone[i])
		}
	}
	o, e, code = r.run("ship", other.String(), "--carrier", "SF Express", "--tracking", "SF9000000000002", "--yes")
	sameShip(t, shipBeside, "exit "+itoa(code)+"\n"+o+e, shipped, other)

	// the copy: every order and the pending edit, opened directly
	orders := r.listJSON()
	cr := *r
	cr.db = copyPath
	copied := cr.listJSON()
	if len(copied) != len(orders) {
		t.Errorf("the copy has %d orders, the database %d", len(copied), len(orders))
	}
	if out := cr.must(0, "pending"); !strings.Contains(out, remarked.String()) || !strings.Contains(out, "checked by phone") {
		t.Errorf("the copy's pending edits:\n%s", out)
	}
}

// waitSocket waits for the holder's socket.
func waitSocket(t *testing.T, db string) {
	t.Helper()
	deadline := time.Now().Add(10 * time.Second)
	for {
		if fi, err := os.Lstat(db + ".sock"); err == nil {
			if fi.Mode()&os.ModeSocket == 0 || fi.Mode().Perm() != 0o600 {
				t.Fatalf("%s.sock: mode %v, want a 0600 socket", db, fi.Mode())
			}
			return
		}
		if time.Now().After(deadline) {
			t.Fatal("the holder's socket did not appear")
		}
		time.Sleep(20 * time.Millisecond)
	}
}

// otherUser runs the binary as nobody against the held database, with
// its directory and socket opened to everyone: it must get no order.
func otherUser(t *testing.T, r *rig) {
	t.Helper()
	if os.Getuid() != 0 {
		t.Log("not root: the other-user check needs to run a process as nobody")
		return
	}
	dir := filepath.Dir(r.db)
	sock := r.db + ".sock"
	for _, p := range []string{dir, sock} {
		if err := os.Chmod(p, 0o777); err != nil {
			t.Fatal(err)
		}
	}
	defer os.Chmod(dir, 0o700)
	defer os.Chmod(sock, 0o600)
	// nobody runs the test binary's own orderdesk: its directory opened
	// (a copy written here could be busy, "text file busy", while
	// parallel tests fork and hold the writing descriptor)
	if err := os.Chmod(filepath.Dir(binary), 0o755); err != nil {
		t.Fatal(err)
	}
	bin := binary
	cmd := exec.Command(bin, "--db", r.db, "list", "--format", "json")
	cmd.Env = append(isolatedEnv(filepath.Dir(dir)), "HOME=/nonexistent")
	cmd.SysProcAttr = &syscall.SysProcAttr{Credential: &syscall.Credential{Uid: 65534, Gid: 65534}}
	var o, e bytes.Buffer
	cmd.Stdout, cmd.Stderr = &o, &e
	err := cmd.Run()
	if err == nil || o.Len() > 0 {
		t.Fatalf("another user got an answer: %v\nstdout:\n%s\nstderr:\n%s", err, o.String(), e.String())
	}
	if !strings.Contains(e.String(), "belongs to user id 0, not to you") {
		t.Errorf("another user's message: %s", e.String())
	}
	t.Logf("as nobody: %v: %s", err, e.String())
}

// TestCommandsBesideServe: the same beside `orderdesk serve`, whose log
// keeps its own lines.
func TestCommandsBesideServe(t *testing.T) {
	t.Parallel()
	r := besideRig(t)
	srv := serveBeside(t, r)
	dir := t.TempDir()

	shipped, other := r.twoShippable("ym")
	o, e, code := r.run("ship", shipped.String(), "--carrier", "SF Express", "--tracking", "SF9000000000001", "--yes")
	shipBeside := "exit " + itoa(code) + "\n" + o + e
	if code != 0 {
		t.Fatalf("ship beside serve: %s", shipBeside)
	}
	beside := r.runAll(besideCommands(r, shipped))
	offersRef(t, beside, shipped)
	copyPath := filepath.Join(dir, "copy.db")
	if o, e, code := r.run("backup", copyPath); code != 0 {
		t.Fatalf("backup beside serve: exit %d\n%s%s", code, o, e)
	}
	srv.stop(t)

	alone := r.runAll(besideCommands(r, shipped))
	for i := range beside {
		if beside[i] != alone[i] {
			t.Errorf("beside serve and alone differ:\n%s\n--- alone:\n%s", beside[i], alone[i])
		}
	}
	o, e, code = r.run("ship", other.String(), "--carrier", "SF Express", "--tracking", "SF9000000000002", "--yes")
	sameShip(t, shipBeside, "exit "+itoa(code)+"\n"+o+e, shipped, other)
	cr := *r
	cr.db = copyPath
	if got, want := len(cr.listJSON()), len(r.listJSON()); got != want {
		t.Errorf("the copy has %d orders, the database %d", got, want)
	}
}

// serveBeside starts `orderdesk serve` on the rig's database and waits
// for its socket.
func serveBeside(t *testing.T, r *rig) *server {
	t.Helper()
	dir := t.TempDir()
	key := writeKey(t, dir, "alice", "alice")
	ak := filepath.Join(dir, "authorized_keys")
	if err := os.WriteFile(ak, key.line, 0o600); err != nil {
		t.Fatal(err)
	}
	env := append(isolatedEnv(t.TempDir()), r.env...)
	srv := startServer(t, &r.outputs, env, "--config", r.cfg, "--db", r.db, "serve", "--listen", "127.0.0.1:0",
		"--authorized-keys", ak, "--host-key", filepath.Join(dir, "host_key"))
	waitSocket(t, r.db)
	return srv
}

// twoShippable returns two orders of shop a ship may go to.
func (r *rig) twoShippable(shop string) (backend.Ref, backend.Ref) {
	r.t.Helper()
	two := r.shippable(shop, 2)
	if len(two) < 2 {
		r.t.Fatalf("want two shippable orders in %s, got %v", shop, two)
	}
	a, _ := backend.ParseRef(two[0])
	b, _ := backend.ParseRef(two[1])
	return a, b
}

// A command started while a desk is still opening (the database held,
// its socket not there yet) waits for the socket instead of failing on
// the lock. The holder here is this test process, answering with a
// handler of its own.
func TestCommandWaitsForAStartingHolder(t *testing.T) {
	t.Parallel()
	db := filepath.Join(t.TempDir(), "orderdesk.db")
	st, err := cache.Open(db, cache.Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	go func() {
		time.Sleep(200 * time.Millisecond)
		srv, err := relay.Listen(db, nil)
		if err != nil {
			t.Error(err)
			return
		}
		t.Cleanup(func() { srv.Close(context.Background()) })
		srv.Serve(context.Background(), func(_ context.Context, req relay.Request, s relay.Stdio) int {
			fmt.Fprintf(s.Out, "answered %q\n", req.Args)
			return 0
		})
	}()
	out, errOut, code := runCLI(t, "--db", db, "list")
	if code != 0 || out != "answered [\"--db\" \""+db+"\" \"list\"]\n" {
		t.Fatalf("exit %d\nstdout: %s\nstderr: %s", code, out, errOut)
	}
}
