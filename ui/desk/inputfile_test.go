//go:build unix

package desk

import (
	"path/filepath"
	"syscall"
	"testing"

	"orderdesk/ui/form"
)

// The import refuses a named pipe (reading one would wait for a writer,
// forever) and a directory at once, with the prompt kept and the reason.
func TestImportRefusesWhatIsNotAFile(t *testing.T) {
	t.Parallel()
	r := newRig(t, 10, 100, 30)
	dir := t.TempDir()
	fifo := filepath.Join(dir, "pipe.csv")
	if err := syscall.Mkfifo(fifo, 0o600); err != nil {
		t.Skipf("no named pipes here: %v", err)
	}
	for _, c := range []struct{ path, want string }{
		{fifo, "is a named pipe (FIFO), not a regular file"},
		{dir, "is a directory, not a regular file"},
	} {
		r.keys("I")
		r.clearInput()
		r.typeText(c.path)
		r.keys("enter")
		r.until("the path is checked", func() bool { return !r.waiting() })
		if _, ok := r.box().(*form.Prompt); !ok || !r.boxSays(c.want) {
			t.Fatalf("%s: want the prompt with %q, modal %T:\n%s", filepath.Base(c.path), c.want, r.box(), r.screen())
		}
		r.keys("esc")
	}
}
