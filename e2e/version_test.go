package e2e

import (
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
)

// `orderdesk version` of a binary built from a git checkout names the
// commit (git rev-parse HEAD), never "dev". TestMain builds the binary in
// this checkout with -buildvcs=auto (over a GOFLAGS of -buildvcs=false),
// so it names the commit, "+dirty" after it when the checkout has
// uncommitted changes. Only when it carries no VCS information (a git
// worktree, whose .git is a file go build does not read, or a checkout the
// build could not read) is a clone of HEAD built with -buildvcs=true: a
// full build of every dependency again, some 40 s.
func TestVersionNamesTheCommit(t *testing.T) {
	t.Parallel()
	out, _, code := runCLI(t, "version")
	if code != 0 || !strings.HasPrefix(out, "orderdesk ") || strings.Contains(out, " dev ") || strings.TrimSpace(out) == "orderdesk dev" {
		t.Fatalf("version: exit %d, %q", code, out)
	}
	if !strings.Contains(out, "go1.") {
		t.Errorf("version does not name the Go release: %q", out)
	}
	git, err := exec.LookPath("git")
	if err != nil {
		t.Skip("git is not installed: the commit cannot be checked")
	}
	head, err := exec.Command(git, "rev-parse", "HEAD").Output()
	if err != nil {
		t.Skipf("not a git checkout (%v): the commit cannot be checked", err)
	}
	rev := strings.TrimSpace(string(head))
	bin := binary
	if !strings.Contains(out, "commit ") {
		if testing.Short() {
			t.Skip("-short: the binary names no commit, and building a clone to check is slow")
		}
		top, err := exec.Command(git, "rev-parse", "--show-toplevel").Output()
		if err != nil {
			t.Fatal(err)
		}
		clone := filepath.Join(t.TempDir(), "src")
		if msg, err := exec.Command(git, "clone", "-q", strings.TrimSpace(string(top)), clone).CombinedOutput(); err != nil {
			t.Fatalf("git clone: %v\n%s", err, msg)
		}
		if msg, err := exec.Command(git, "-C", clone, "checkout", "-q", rev).CombinedOutput(); err != nil {
			t.Fatalf("git checkout: %v\n%s", err, msg)
		}
		bin = filepath.Join(t.TempDir(), "orderdesk")
		build := exec.Command("go", "build", "-buildvcs=true", "-o", bin, ".")
		build.Dir = clone
		if msg, err := build.CombinedOutput(); err != nil {
			t.Fatalf("go build in a clone: %v\n%s", err, msg)
		}
		o, err := exec.Command(bin, "version").Output()
		if err != nil {
			t.Fatal(err)
		}
		out = string(o)
	}
	if !strings.Contains(out, rev) {
		t.Errorf("%s version = %q, want commit %s", bin, out, rev)
	}
	if strings.Contains(out, " dev ") {
		t.Errorf("version says dev: %q", out)
	}
}
