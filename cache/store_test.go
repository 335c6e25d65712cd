package cache

import (
	"bufio"
	"bytes"
	"crypto/sha256"
	"encoding/binary"
	"errors"
	"fmt"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	bolt "go.etcd.io/bbolt"

	"orderdesk/backend"
)

const holdEnv = "ORDERDESK_CACHE_TEST_HOLD"

// TestHelperHolder is not a test: TestLockedBySecondProcess runs the test
// binary again with only this function and the path in holdEnv, so that a
// real second process holds the database until its stdin closes.
func TestHelperHolder(t *testing.T) {
	path := os.Getenv(holdEnv)
	if path == "" {
		t.Skip("helper process of TestLockedBySecondProcess")
	}
	s, err := Open(path, Options{})
	if err != nil {
		fmt.Println("error:", err)
		os.Exit(1)
	}
	fmt.Println("ready")
	_, _ = io.Copy(io.Discard, os.Stdin)
	if err := s.Close(); err != nil {
		fmt.Println("error:", err)
		os.Exit(1)
	}
}

// holdInOtherProcess starts the helper process on path and returns its pid
// and a function that makes it close the database and exit.
func holdInOtherProcess(t *testing.T, path string) (int, func()) {
	cmd := exec.Command(os.Args[0], "-test.run=^TestHelperHolder$")
	cmd.Env = append(os.Environ(), holdEnv+"="+path)
	stdin, err := cmd.StdinPipe()
	if err != nil {
		t.Fatal(err)
	}
	stdout, err := cmd.StdoutPipe()
	if err != nil {
		t.Fatal(err)
	}
	cmd.Stderr = os.Stderr
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	release := func() {
		_ = stdin.Close()
		_ = cmd.Wait()
	}
	t.Cleanup(release)
	ready := make(chan string, 1)
	go func() {
		sc := bufio.NewScanner(stdout)
		for sc.Scan() {
			if line := sc.Text(); line == "ready" || strings.HasPrefix(line, "error:") {
				ready <- line
			}
		}
		close(ready)
	}()
	select {
	case line := <-ready:
		if line != "ready" {
			t.Fatalf("helper process: %q", line)
		}
	case <-time.After(30 * time.Second):
		t.Fatal("helper process did not open the database")
	}
	return cmd.Process.Pid, release
}

func TestLockedBySecondProcess(t *testing.T) {
	t.Parallel()
	path := filepath.Join(t.TempDir(), "orderdesk.db")
	pid, release := holdInOtherProcess(t, path)

	start := time.Now()
	_, err := Open(path, Options{})
	waited := time.Since(start)
	var le *LockedError
	if !errors.As(err, &le) || le.PID != pid || le.Path != path {
		t.Fatalf("Open while held: %v (%#v), want *LockedError for pid %d", err, le, pid)
	}
	want := fmt.Sprintf("database %s is already in use by pid %d; use --db, or the SSH server for shared use", path, pid)
	if err.Error() != want {
		t.Errorf("message:\n got %s\nwant %s", err, want)
	}
	if waited < 1900*time.Millisecond || waited > 3500*time.Millisecond {
		t.Errorf("Open gave up after %v, want about the 2 s default", waited)
	}

	// Without a readable pid file the message still makes sense.
	if err := os.WriteFile(path+".pid", []byte("garbage"), 0o600); err != nil {
		t.Fatal(err)
	}
	_, err = Open(path, Options{Timeout: 100 * time.Millisecond})
	if err == nil || !strings.Contains(err.Error(), "in use by another process; use --db") {
		t.Errorf("Open with an unreadable pid file: %v", err)
	}

	release()
	s, err := Open(path, Options{Timeout: 5 * time.Second})
	if err != nil {
		t.Fatalf("Open after the holder exited: %v", err)
	}
	if got := readPID(path); got != os.Getpid() {
		t.Errorf("pid file names %d, want %d", got, os.Getpid())
	}
	if err := s.Close(); err != nil {
		t.Fatal(err)
	}
}

func TestOpenCreatesPrivateFilesAndReopens(t *testing.T) {
	t.Parallel()
	dir := filepath.Join(t.TempDir(), "a", "b")
	path := filepath.Join(dir, "orderdesk.db")
	s, err := Open(path, Options{})
	if err != nil {
		t.Fatal(err)
	}
	for p, want := range map[string]os.FileMode{dir: 0o700 | os.ModeDir, path: 0o600, path + ".pid": 0o600} {
		if fi, err := os.Stat(p); err != nil || fi.Mode() != want {
			t.Errorf("%s: mode %v, %v; want %v", p, fi.Mode(), err, want)
		}
	}
	put(t, s, fullOrder("eu", "1"))
	if err := s.Close(); err != nil {
		t.Fatal(err)
	}
	if _, err := os.Stat(path + ".pid"); !os.IsNotExist(err) {
		t.Errorf("pid file left after Close: %v", err)
	}
	s, err = Open(path, Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	if n, _ := s.Count(""); n != 1 {
		t.Errorf("reopened store has %d orders", n)
	}
	mustVerify(t, s)
}

func fileHash(t *testing.T, path string) [32]byte {
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	return sha256.Sum256(b)
}

// boltWrite changes a closed database directly.
func boltWrite(t *testing.T, path string, fn func(tx *bolt.Tx) error) {
	t.Helper()
	db, err := bolt.Open(path, 0o600, &bolt.Options{Timeout: time.Second})
	if err != nil {
		t.Fatal(err)
	}
	if err := db.Update(fn); err != nil {
		t.Fatal(err)
	}
	if err := db.Close(); err != nil {
		t.Fatal(err)
	}
}

func TestNewerSchemaRefusedWithoutWrites(t *testing.T) {
	t.Parallel()
	path := filepath.Join(t.TempDir(), "orderdesk.db")
	s, err := Open(path, Options{})
	if err != nil {
		t.Fatal(err)
	}
	put(t, s, fullOrder("eu", "1"))
	_ = s.Close()
	boltWrite(t, path, func(tx *bolt.Tx) error {
		return tx.Bucket([]byte(bMeta)).Put([]byte(schemaKey), binary.BigEndian.AppendUint64(nil, SchemaVersion+1))
	})
	before := fileHash(t, path)
	for _, ro := range []bool{false, true} {
		_, err = Open(path, Options{ReadOnly: ro})
		if !errors.Is(err, ErrNewerSchema) || !strings.Contains(err.Error(), path) || !strings.Contains(err.Error(), "version 2") {
			t.Errorf("read-only %t: Open of a newer schema: %v", ro, err)
		}
	}
	if fileHash(t, path) != before {
		t.Error("refusing a newer schema wrote to the file")
	}
	if _, err := os.Stat(path + ".pid"); !os.IsNotExist(err) {
		t.Error("refused open left a pid file")
	}
}

func TestNotDatabaseNamesThePath(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	cases := map[string]func(path string){
		"text": func(p string) { _ = os.WriteFile(p, bytes.Repeat([]byte("not a database\n"), 1000), 0o600) },
		"tiny": func(p string) { _ = os.WriteFile(p, []byte("orderdesk"), 0o600) },
		"other bbolt": func(p string) {
			boltWrite(t, p, func(tx *bolt.Tx) error { _, err := tx.CreateBucket([]byte("something")); return err })
		},
		"bad schema value": func(p string) {
			s, err := Open(p, Options{})
			if err != nil {
				t.Fatal(err)
			}
			_ = s.Close()
			boltWrite(t, p, func(tx *bolt.Tx) error { return tx.Bucket([]byte(bMeta)).Put([]byte(schemaKey), []byte("v1")) })
		},
	}
	for name, make := range cases {
		path := filepath.Join(dir, strings.ReplaceAll(name, " ", "-")+".db")
		make(path)
		before := fileHash(t, path)
		_, err := Open(path, Options{Timeout: time.Second})
		if !errors.Is(err, ErrNotDatabase) || !strings.Contains(err.Error(), path) {
			t.Errorf("%s: Open = %v, want ErrNotDatabase naming %s", name, err, path)
		}
		if fileHash(t, path) != before {
			t.Errorf("%s: Open changed the file", name)
		}
	}
}

func TestReadOnly(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	if _, err := Open(filepath.Join(dir, "missing", "x.db"), Options{ReadOnly: true}); err == nil {
		t.Error("read-only Open of a missing file succeeded")
	}
	if _, err := os.Stat(filepath.Join(dir, "missing")); !os.IsNotExist(err) {
		t.Error("read-only Open created a directory")
	}
	path := filepath.Join(dir, "orderdesk.db")
	s, err := Open(path, Options{})
	if err != nil {
		t.Fatal(err)
	}
	o := fullOrder("eu", "1")
	put(t, s, o)
	_ = s.Close()
	r1, err := Open(path, Options{ReadOnly: true})
	if err != nil {
		t.Fatal(err)
	}
	defer r1.Close()
	r2, err := Open(path, Options{ReadOnly: true}) // readers share the lock
	if err != nil {
		t.Fatal(err)
	}
	defer r2.Close()
	if got, err := r2.Order(o.Ref); err != nil || got.Number != "1" {
		t.Errorf("read-only Order = %v, %v", got, err)
	}
	if err := r1.PutOrders("eu", []*backend.Order{o}); err == nil {
		t.Error("read-only store accepted a write")
	}
	if err := r1.AddEdit(newEdit("eu:1", "x")); err == nil {
		t.Error("read-only store accepted an edit")
	}
	_, err = Open(path, Options{Timeout: 100 * time.Millisecond})
	var le *LockedError
	if !errors.As(err, &le) {
		t.Errorf("writer Open while readers hold it: %v", err)
	}
}
