package app

import (
	"context"
	"flag"
	"slices"
	"strings"
	"testing"
)

// runCLI runs a command line in this process, as the binary's main does
// (without its signal handling, which the binary's tests in e2e/ cover),
// and returns its outputs and exit code. For the commands that need no
// config, database or terminal: help, usage errors.
func runCLI(t *testing.T, args ...string) (stdout, stderr string, code int) {
	t.Helper()
	var out, errOut strings.Builder
	code = run(context.Background(), args, streams{in: strings.NewReader(""), out: &out, err: &errOut}, "dev")
	return out.String(), errOut.String(), code
}

// "--" ends the flags wherever it comes: what follows is positional, even
// words that look like flags (the completion scripts pass the line so).
func TestParseInterspersedDashDash(t *testing.T) {
	for _, tc := range []struct {
		args, want []string
	}{
		{[]string{"a", "--x", "1", "b"}, []string{"a", "b"}},
		{[]string{"--", "a", "--x", "b"}, []string{"a", "--x", "b"}},
		{[]string{"--x", "1", "--", "--x", "-y"}, []string{"--x", "-y"}},
		{[]string{"a", "--", "--x", "--"}, []string{"a", "--x", "--"}},
		{[]string{"a", "--x=2", "--", "b", "--x", "c"}, []string{"a", "b", "--x", "c"}},
	} {
		fs := flag.NewFlagSet("t", flag.ContinueOnError)
		fs.String("x", "", "")
		got, err := parseInterspersed(fs, tc.args)
		if err != nil || !slices.Equal(got, tc.want) {
			t.Errorf("parseInterspersed(%q) = %q, %v; want %q", tc.args, got, err, tc.want)
		}
	}
}
