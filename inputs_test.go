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
