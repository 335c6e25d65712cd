package main

import (
	"errors"
	"os"
	"os/exec"
	"strings"
	"testing"
)

// The test binary plays orderdesk when ORDERDESK_TEST_MAIN is set, with
// that as the version -ldflags "-X main.version=..." would set: these
// tests hold main to its glue (the command line, the version, the exit
// code). The commands are tested in internal/app and, through the real
// binary, in e2e/.
func TestMain(m *testing.M) {
	if v := os.Getenv("ORDERDESK_TEST_MAIN"); v != "" {
		version = v
		main()
	}
	os.Exit(m.Run())
}

// asMain runs the test binary as orderdesk with args.
func asMain(t *testing.T, args ...string) (stdout, stderr string, code int) {
	t.Helper()
	self, err := os.Executable()
	if err != nil {
		t.Fatal(err)
	}
	cmd := exec.Command(self, args...)
	cmd.Env = append(os.Environ(), "ORDERDESK_TEST_MAIN=v9.8.7")
	var o, e strings.Builder
	cmd.Stdout, cmd.Stderr = &o, &e
	var exit *exec.ExitError
	if err := cmd.Run(); errors.As(err, &exit) {
		code = exit.ExitCode()
	} else if err != nil {
		t.Fatal(err)
	}
	return o.String(), e.String(), code
}

func TestMainPassesVersionArgsAndExitCode(t *testing.T) {
	t.Parallel()
	if out, errOut, code := asMain(t, "version"); code != 0 || !strings.HasPrefix(out, "orderdesk v9.8.7") {
		t.Errorf("version: exit %d, stdout %q, stderr %q; want the version main was built with", code, out, errOut)
	}
	if out, errOut, code := asMain(t, "frobnicate"); code != 2 || out != "" || !strings.Contains(errOut, "unknown command") {
		t.Errorf("frobnicate: exit %d, stdout %q, stderr %q; want a usage error, exit 2", code, out, errOut)
	}
}
