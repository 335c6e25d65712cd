package arch

import (
	"os/exec"
	"path"
	"slices"
	"strings"
	"testing"
)

// golist runs go list with args and returns its lines.
func golist(t *testing.T, args ...string) []string {
	t.Helper()
	out, err := exec.Command("go", append([]string{"list"}, args...)...).Output()
	if err != nil {
		t.Fatalf("go list %v: %v", args, err)
	}
	return strings.Fields(string(out))
}

// deps returns the module's packages pkg depends on, itself included.
func deps(t *testing.T, pkg string) []string {
	var out []string
	for _, p := range golist(t, "-deps", pkg) {
		if p == "orderdesk" || strings.HasPrefix(p, "orderdesk/") {
			out = append(out, p)
		}
	}
	return out
}

// The storage contract is a leaf: the database implements it without
// knowing the engine that uses it.
func TestCacheImportsNoEngine(t *testing.T) {
	got := deps(t, "orderdesk/cache")
	want := []string{"orderdesk/backend", "orderdesk/backend/storage", "orderdesk/cache"}
	slices.Sort(got)
	if !slices.Equal(got, want) {
		t.Errorf("cache depends on %v, want only %v", got, want)
	}
	if got := deps(t, "orderdesk/backend/storage"); !slices.Equal(got, []string{"orderdesk/backend", "orderdesk/backend/storage"}) {
		t.Errorf("storage depends on %v, want only backend", got)
	}
}

// Front ends read the stored state through engine.Desk.Reader, which
// has no method that writes: every write goes through the engine, its
// feeds and its audit log. So no front end may reach the database's own
// package, whose Store writes.
func TestFrontEndsCannotWriteTheStore(t *testing.T) {
	for _, pkg := range golist(t, "orderdesk/ui/...") {
		if slices.Contains(deps(t, pkg), "orderdesk/cache") {
			t.Errorf("%s depends on orderdesk/cache: a front end could write behind the engine's back", pkg)
		}
	}
}

// No package of ours is named like a standard library package (a
// backend/sync once had ten files import the standard one as stdsync).
func TestNoStandardLibraryNames(t *testing.T) {
	std := map[string]bool{}
	for _, p := range golist(t, "std") {
		if !strings.Contains(p, "internal") && !strings.HasPrefix(p, "vendor/") {
			std[path.Base(p)] = true
		}
	}
	for _, p := range golist(t, "orderdesk/...") {
		if base := path.Base(p); std[base] && base != "internal" {
			t.Errorf("package %s is named like the standard library's %s", p, base)
		}
	}
}
