package e2e

import (
	"bytes"
	"flag"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"orderdesk/internal/testpar"
)

// binary is the real orderdesk, built once for the tests, with the race
// detector when they run with it.
var binary string

func TestMain(m *testing.M) {
	flag.Parse()
	// Most of these tests wait (for a command, a simulated shop's latency,
	// a terminal to redraw) more than they compute: -parallel defaults to
	// the CPUs, 2 in CI, which leaves them idle. 4 at once unless
	// -parallel is given.
	testpar.Raise(4)
	dir, err := os.MkdirTemp("", "orderdesk-cli")
	if err != nil {
		panic(err)
	}
	binary = filepath.Join(dir, "orderdesk")
	args := []string{"build", "-o", binary}
	if raceBuild {
		args = append(args, "-race")
		// A race-built program sleeps 1 s when it exits, for other threads
		// to report (atexit_sleep_ms): a second on each of the hundreds of
		// commands the tests run. Every process they start inherits this.
		os.Setenv("GORACE", strings.TrimSpace("atexit_sleep_ms=0 "+os.Getenv("GORACE")))
	}
	// The package by its path: the tests run in e2e/, not the module root.
	// -buildvcs=auto on the command line overrides a GOFLAGS of
	// -buildvcs=false (CI's), so the binary names its commit and
	// TestVersionNamesTheCommit need not build a clone. Where the build
	// cannot read the repository (no git, not a checkout, a checkout git
	// calls of dubious ownership) it is built again without.
	if out, err := exec.Command("go", append(append(args, "-buildvcs=auto"), "orderdesk")...).CombinedOutput(); err != nil {
		if out2, err2 := exec.Command("go", append(args, "orderdesk")...).CombinedOutput(); err2 != nil {
			os.Stderr.Write(out)
			os.Stderr.Write(out2)
			panic(err2)
		}
	}
	code := m.Run()
	os.RemoveAll(dir)
	os.Exit(code)
}

func runCLI(t *testing.T, args ...string) (stdout, stderr string, code int) {
	t.Helper()
	return runEnv(t, nil, args...)
}

// runEnv runs the binary with extra environment variables and returns its
// outputs and exit code.
func runEnv(t *testing.T, env []string, args ...string) (stdout, stderr string, code int) {
	t.Helper()
	cmd := exec.Command(binary, args...)
	cmd.Env = append(os.Environ(), env...)
	var o, e bytes.Buffer
	cmd.Stdout, cmd.Stderr = &o, &e
	err := cmd.Run()
	if ee, ok := err.(*exec.ExitError); ok {
		code = ee.ExitCode()
	} else if err != nil {
		t.Fatal(err)
	}
	if strings.Contains(e.String(), "WARNING: DATA RACE") {
		t.Errorf("orderdesk %s: the race detector reported:\n%s", strings.Join(args, " "), e.String())
	}
	return o.String(), e.String(), code
}

func TestDemoPrintsOrdersOfAllFourPlatforms(t *testing.T) {
	t.Parallel()
	out, errOut, code := runCLI(t, "--demo", "--demo-orders", "12")
	if code != 0 {
		t.Fatalf("exit %d\nstderr:\n%s", code, errOut)
	}
	lines := strings.Split(strings.TrimSpace(out), "\n")
	if len(lines) != 1+4*12 {
		t.Errorf("want a header and 48 orders, got %d lines:\n%s", len(lines), out)
	}
	for _, shop := range []string{"eu-fecshop", "cn-fecmall", "sl-global", "ym-erp"} {
		if strings.Count(out, shop) != 12 {
			t.Errorf("shop %s: want 12 rows in:\n%s", shop, out)
		}
		if !strings.Contains(errOut, shop) {
			t.Errorf("progress on stderr lacks %s: %s", shop, errOut)
		}
	}
	for _, secret := range []string{"sim-password-", "sim-token-"} {
		if strings.Contains(out+errOut, secret) {
			t.Errorf("output contains a credential (%s…)", secret)
		}
	}
}

func TestUsageErrorsExit2(t *testing.T) {
	t.Parallel()
	for _, args := range [][]string{{"--no-such-flag"}, {"frobnicate"}, {}} {
		if _, errOut, code := runCLI(t, args...); code != 2 || errOut == "" {
			t.Errorf("%v: exit %d, stderr %q; want 2 with a message", args, code, errOut)
		}
	}
	if out, _, code := runCLI(t, "version"); code != 0 || !strings.HasPrefix(out, "orderdesk ") {
		t.Errorf("version: %q %d", out, code)
	}
}
