//go:build unix

package desk

import (
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"syscall"
	"testing"
)

// An export gets the mode any program's new file gets: 0666 less the umask
// (not owner-only whatever the umask says), written new or over a file.
func TestExportFileModeFollowsUmask(t *testing.T) {
	// Reading the umask sets it: fine in a test binary, never in the desk.
	// Not parallel: the umask is the process's, and the parallel tests
	// create files while it is briefly 022.
	umask := syscall.Umask(0o022)
	syscall.Umask(umask)
	want := fs.FileMode(0o666 &^ umask)

	dir := t.TempDir()
	write := func(w io.Writer) error { _, err := io.WriteString(w, "ref,shop\n"); return err }
	fresh := filepath.Join(dir, "fresh.csv")
	if err := writeFileAtomic(fresh, false, write); err != nil {
		t.Fatal(err)
	}
	replaced := filepath.Join(dir, "replaced.csv")
	if err := os.WriteFile(replaced, []byte("old"), 0o600); err != nil {
		t.Fatal(err)
	}
	if err := writeFileAtomic(replaced, true, write); err != nil {
		t.Fatal(err)
	}
	for _, p := range []string{fresh, replaced} {
		fi, err := os.Stat(p)
		if err != nil {
			t.Fatal(err)
		}
		if got := fi.Mode().Perm(); got != want {
			t.Errorf("%s: mode %v, want %v (0666 less umask %03o)", filepath.Base(p), got, want, umask)
		}
	}
	if entries, _ := os.ReadDir(dir); len(entries) != 2 {
		t.Errorf("temporary files left: %v", entries)
	}
}
