package e2e

import (
	"strings"
	"testing"
)

// Inputs the binary must refuse cleanly (issue 14): broken files, bad
// values and paths that are not files exit 2 with a message, never a panic.

func TestImportTrackingUnclosedQuoteExits2NamingTheLine(t *testing.T) {
	t.Parallel()
	r := newRig(t, fourShops(3)[:1])
	path := r.file("quote.csv", "order,carrier,tracking\n\"abc\n")
	_, errOut, code := r.run("import-tracking", path)
	if code != 2 || !strings.Contains(errOut, "line 2: a quoted field is not closed") || strings.Contains(errOut, "panic") {
		t.Fatalf("exit %d, want 2 and the line named\nstderr:\n%s", code, errOut)
	}
}

func TestDemoFlagsOutOfRangeAreUsageErrors(t *testing.T) {
	t.Parallel()
	for _, args := range [][]string{
		{"--demo", "--demo-orders", "-5", "list"},
		{"--demo", "--demo-orders", "99999999999", "list"},
		{"--demo", "--demo-orders=250001", "list"},
		{"--demo", "--demo-latency", "-1s", "list"},
		{"--demo", "--demo-latency", "1000h", "list"},
	} {
		_, errOut, code := runCLI(t, args...)
		if code != 2 || strings.Contains(errOut, "panic") || !strings.Contains(errOut, "want ") {
			t.Errorf("%v: exit %d, want 2 and the range named\nstderr:\n%s", args, code, errOut)
		}
	}
}

// TestOversizeInputsAreRefusedShortly: a value longer than the desk
// accepts, given on the command line, in a filter, a config file or an
// import file, exits 2 with nothing saved, naming the field, its limit and
// the length given where it is a field, and the message quotes at most the
// start of the bad input.
func TestOversizeInputsAreRefusedShortly(t *testing.T) {
	t.Parallel()
	r := newRig(t, fourShops(4))
	r.must(0, "sync")
	ref := r.listJSON("--shop", "sl")[0].Ref.String()
	huge := strings.Repeat("7", 100<<10) // a single argument may be at most 128 KB
	badConfig := r.file("bad.toml", "[[shops]]\nname = \"x\"\nplatform = \""+huge+"\"\n")
	badKey := r.file("key.toml", "timezone = \"UTC\"\nx"+strings.Repeat("x", 100<<10)+" = 1\n")
	for _, c := range []struct {
		name string
		args []string
		says []string
	}{
		{"tracking", []string{"ship", ref, "--carrier", "UPS", "--tracking", huge, "--yes"}, []string{"tracking number", "102400 characters", "at most 64"}},
		{"carrier", []string{"ship", ref, "--carrier", huge, "--tracking", "1Z999AA10123456784", "--yes"}, []string{"carrier", "102400 characters", "at most 100"}},
		{"url", []string{"ship", ref, "--carrier", "UPS", "--tracking", "1Z999AA10123456784", "--url", "https://t.example/" + huge, "--yes"}, []string{"tracking URL", "102418 characters", "at most 2048"}},
		{"remark", []string{"remark", ref, huge, "--yes"}, []string{"remark", "102400 characters", "at most 1000"}},
		{"status", []string{"status", ref, huge, "--yes"}, []string{"status value", "102400 characters", "at most 64"}},
		{"ref", []string{"ship", huge, "--carrier", "UPS", "--tracking", "1Z999AA10123456784"}, []string{"no cached order"}},
		{"filter", []string{"list", "--filter", "created>" + huge}, []string{"invalid filter", "is not a date"}},
		{"format", []string{"list", "--format", huge}, []string{"--format"}},
		{"arguments", []string{"sync", huge}, []string{"sync takes no arguments"}},
		{"import header", []string{"import-tracking", r.file("wide.csv", strings.Repeat("x", 60<<10)+",b\nSY1,UPS,1\n")}, []string{"it reads"}},
		{"config", []string{"--config", badConfig, "list"}, []string{"unknown platform"}},
		{"config key", []string{"--config", badKey, "list"}, []string{"unknown key"}},
	} {
		out, errOut, code := r.run(c.args...)
		if code != 2 {
			t.Errorf("%s: exit %d, want 2\nstdout: %.300s\nstderr: %.300s", c.name, code, out, errOut)
			continue
		}
		for _, s := range c.says {
			if !strings.Contains(errOut, s) {
				t.Errorf("%s: stderr does not say %q:\n%.500s", c.name, s, errOut)
			}
		}
		// at most ~80 characters of the input: no run of 100 sevens or x's
		if strings.Contains(errOut+out, strings.Repeat("7", 100)) || strings.Contains(errOut+out, strings.Repeat("x", 100)) {
			t.Errorf("%s: the output echoes the bad input (%d bytes):\n%.300s…", c.name, len(errOut+out), errOut)
		}
	}
	if p := r.pending(); len(p) != 0 {
		t.Errorf("%d edits saved, want none: %+v", len(p), p)
	}
}
