//go:build unix

package inputfile

import (
	"errors"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
)

func TestOpenReadsRegularFilesOnly(t *testing.T) {
	dir := t.TempDir()
	file := filepath.Join(dir, "f.csv")
	if err := os.WriteFile(file, []byte("order,carrier,tracking\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	link := filepath.Join(dir, "link.csv")
	if err := os.Symlink(file, link); err != nil {
		t.Fatal(err)
	}
	for _, p := range []string{file, link} {
		f, err := Open(p)
		if err != nil {
			t.Fatalf("%s: %v", p, err)
		}
		b, err := io.ReadAll(f)
		f.Close()
		if err != nil || string(b) != "order,carrier,tracking\n" {
			t.Errorf("%s: read %q, %v", p, b, err)
		}
	}
	fifo := filepath.Join(dir, "pipe")
	if err := syscall.Mkfifo(fifo, 0o600); err != nil {
		t.Skipf("no named pipes here: %v", err)
	}
	for p, says := range map[string]string{
		dir:         "is a directory",
		fifo:        "is a named pipe (FIFO)",
		"/dev/null": "is a device",
	} {
		f, err := Open(p) // must not block on the pipe: it has no writer
		var nr *NotRegularError
		if !errors.As(err, &nr) || !strings.Contains(err.Error(), says) {
			t.Errorf("%s: %v, want a NotRegularError saying %q", p, err, says)
		}
		if f != nil {
			f.Close()
		}
	}
	if _, err := Open(filepath.Join(dir, "missing")); !errors.Is(err, fs.ErrNotExist) {
		t.Errorf("missing: %v", err)
	}
}
