package main

import (
	"strings"
	"testing"
)

// Inputs the binary must refuse cleanly (issue 14): broken files, bad
// values and paths that are not files exit 2 with a message, never a panic.

func TestImportTrackingUnclosedQuoteExits2NamingTheLine(t *testing.T) {
	r := newRig(t, fourShops(3)[:1])
	path := r.file("quote.csv", "order,carrier,tracking\n\"abc\n")
	_, errOut, code := r.run("import-tracking", path)
	if code != 2 || !strings.Contains(errOut, "line 2: a quoted field is not closed") || strings.Contains(errOut, "panic") {
		t.Fatalf("exit %d, want 2 and the line named\nstderr:\n%s", code, errOut)
	}
}

func TestDemoFlagsOutOfRangeAreUsageErrors(t *testing.T) {
	for _, args := range [][]string{
		{"--demo", "--demo-orders", "-5", "list"},
		{"--demo", "--demo-orders", "99999999999", "list"},
		{"--demo", "--demo-orders=10001", "list"},
		{"--demo", "--demo-latency", "-1s", "list"},
		{"--demo", "--demo-latency", "1000h", "list"},
	} {
		_, errOut, code := runCLI(t, args...)
		if code != 2 || strings.Contains(errOut, "panic") || !strings.Contains(errOut, "want ") {
			t.Errorf("%v: exit %d, want 2 and the range named\nstderr:\n%s", args, code, errOut)
		}
	}
}
