package app

import (
	"flag"
	"slices"
	"strings"
	"testing"
	"time"

	"orderdesk/backend/config"
	"orderdesk/backend/query"
	"orderdesk/keymap"
	"orderdesk/ui"
)

// helpOut runs a help command line that must print on stdout only, with
// exit 0, and returns stdout with its white space collapsed (descriptions
// wrap) and as printed.
func helpOut(t *testing.T, args ...string) (flat, raw string) {
	t.Helper()
	out, errOut, code := runCLI(t, args...)
	if code != 0 || errOut != "" || out == "" {
		t.Fatalf("orderdesk %s: exit %d, stderr %q, %d bytes on stdout; want help on stdout, exit 0",
			strings.Join(args, " "), code, errOut, len(out))
	}
	noSpec(t, args, out)
	return strings.Join(strings.Fields(out), " "), out
}

// noSpec fails when output points to a document users do not have.
func noSpec(t *testing.T, args []string, out string) {
	t.Helper()
	for _, bad := range []string{"SPEC", "§", "STYLE.md", "/work/"} {
		if strings.Contains(out, bad) {
			t.Errorf("orderdesk %s cites %q:\n%s", strings.Join(args, " "), bad, out)
		}
	}
}

func TestHelpGoesToStdout(t *testing.T) {
	for _, args := range [][]string{{"--help"}, {"-h"}, {"help"}, {"--demo", "--help"}} {
		flat, _ := helpOut(t, args...)
		for _, want := range []string{"Usage:", "--demo-orders N", "--demo-latency D", "--config FILE", "help filter"} {
			if !strings.Contains(flat, want) {
				t.Errorf("%v: usage lacks %q", args, want)
			}
		}
		for name, cmd := range commands {
			if listed := strings.Contains(flat, " "+name+" "); listed == cmd.hidden {
				t.Errorf("%v: usage lists %s: %t, hidden: %t", args, name, listed, cmd.hidden)
			}
		}
	}
	// A usage error still goes to stderr, with a message and the usage.
	for _, args := range [][]string{{"--no-such-flag"}, {"frobnicate"}, {"list", "--bogus"}, {"help", "frobnicate"}} {
		out, errOut, code := runCLI(t, args...)
		if code != 2 || out != "" || !strings.Contains(errOut, "orderdesk") {
			t.Errorf("%v: exit %d, stdout %q, stderr %q; want a message on stderr, exit 2", args, code, out, errOut)
		}
		if args[0] != "help" && !strings.Contains(errOut, "Usage:") {
			t.Errorf("%v: stderr lacks the usage:\n%s", args, errOut)
		}
		noSpec(t, args, errOut)
	}
}

// Every command's --help (and `help COMMAND`) shows its synopsis, each of
// its flags with its description, and an example.
func TestCommandHelp(t *testing.T) {
	shown := 0
	for name, cmd := range commands {
		if cmd.hidden {
			if _, ok := commandDocs[name]; ok || slices.Contains(commandOrder, name) {
				t.Errorf("%s is hidden, but has help (commandDocs, commandOrder)", name)
			}
			continue
		}
		shown++
		if _, ok := commandDocs[name]; !ok || !slices.Contains(commandOrder, name) {
			t.Errorf("%s: no help written (commandDocs, commandOrder)", name)
		}
	}
	if len(commandOrder) != shown || len(commandDocs) != shown {
		t.Errorf("commandOrder %d, commandDocs %d, commands shown %d", len(commandOrder), len(commandDocs), shown)
	}
	for name, cmd := range commands {
		if cmd.hidden {
			continue
		}
		fs := flag.NewFlagSet(name, flag.ContinueOnError)
		cmd.flags(fs)
		for _, args := range [][]string{{name, "--help"}, {"help", name}, {name, "-h", "--demo"}} {
			flat, raw := helpOut(t, args...)
			if !strings.HasPrefix(raw, "Usage: orderdesk "+name) {
				t.Errorf("%v: no synopsis first:\n%s", args, raw)
			}
			fs.VisitAll(func(f *flag.Flag) {
				_, usage := flag.UnquoteUsage(f)
				if !strings.Contains(flat, "--"+f.Name) || !strings.Contains(flat, strings.Join(strings.Fields(usage), " ")) {
					t.Errorf("%v: flag --%s or its description %q missing:\n%s", args, f.Name, usage, raw)
				}
			})
			if !strings.Contains(flat, "Global flags:") || !strings.Contains(flat, "--demo-latency D") {
				t.Errorf("%v: global flags not named", args)
			}
			_, examples, ok := strings.Cut(raw, "\nExamples:\n")
			if !ok || !strings.HasPrefix(examples, "  orderdesk "+name) {
				t.Errorf("%v: no example of orderdesk %s:\n%s", args, name, raw)
			}
			if len(commandDocs[name].about) < 40 {
				t.Errorf("%s: say what it does", name)
			}
		}
	}
	// Where the doubts are: what --yes confirms, what * means in the table,
	// the exit codes of an edit, pending's own subcommands.
	for args, wants := range map[string][]string{
		"status --help":  {"cannot be undone (cancel, void, refund, archive)", "Exit codes:", "3 saved in the outbox"},
		"list --help":    {"ends in * when the order is archived", "--bom", "+08:00"},
		"pending --help": {"orderdesk pending retry ID", "orderdesk pending discard ID [--yes]", "a script must say --yes"},
		"sync --help":    {"Exit codes:", "1 a shop failed"},
	} {
		flat, _ := helpOut(t, strings.Fields(args)...)
		for _, want := range wants {
			if !strings.Contains(flat, want) {
				t.Errorf("%s lacks %q", args, want)
			}
		}
	}
}

func TestHelpTopics(t *testing.T) {
	flat, _ := helpOut(t, "help", "filter")
	for _, want := range []string{"total>", "total>100usd", "own currency", "-status:cancelled", "created<7d", "is:attention"} {
		if !strings.Contains(flat, want) {
			t.Errorf("help filter lacks %q", want)
		}
	}
	for _, f := range query.Fields() {
		if !strings.Contains(flat, " "+f.Name+" ") {
			t.Errorf("help filter lacks the field %s", f.Name)
		}
	}

	flat, _ = helpOut(t, "help", "keys")
	for _, a := range keymap.Actions() {
		if !strings.Contains(flat, a.Help+" "+a.Name) {
			t.Errorf("help keys lacks %q (%s)", a.Help, a.Name)
		}
	}
	if !strings.Contains(flat, "/ filter filter") || !strings.Contains(flat, "q/ctrl+c quit quit") {
		t.Errorf("help keys does not show the keys:\n%s", flat)
	}

	if _, raw := helpOut(t, "help", "config"); raw != config.Example || !strings.Contains(raw, "[export]") {
		t.Errorf("help config is not the example config")
	}

	flat, _ = helpOut(t, "help", "json")
	for _, want := range []string{"state.order", "items[].sku", "shipments[].tracking_number", "totals.grand_total money", "created_at time"} {
		if !strings.Contains(flat, want) {
			t.Errorf("help json lacks %q", want)
		}
	}

	flat, _ = helpOut(t, "help", "desk")
	for _, want := range []string{"--demo-orders N", "--demo-latency D", "orderdesk --demo"} {
		if !strings.Contains(flat, want) {
			t.Errorf("help desk lacks %q", want)
		}
	}
}

// help filter's examples are queries the parser takes, and what it says
// about comparisons holds.
func TestHelpFilterExamplesParse(t *testing.T) {
	_, raw := helpOut(t, "help", "filter")
	_, examples, ok := strings.Cut(raw, "\nExamples:\n")
	if !ok {
		t.Fatal("help filter has no examples")
	}
	n := 0
	for line := range strings.Lines(examples) {
		q, _, _ := strings.Cut(strings.TrimSpace(line), "   ")
		if q == "" {
			continue
		}
		n++
		if _, err := query.Parse(q, query.Options{Now: time.Now()}); err != nil {
			t.Errorf("help filter example %q: %v", q, err)
		}
	}
	forms := []string{"total:>100", "total:100", `total>"100 USD"`, "total=12.9", "created<=2026-11-30",
		"created=2026-11", "created>2026-11-30T12:00Z", "created>2026-11-30T12:00+08:00", `created<"2026-11-30 12:00"`,
		"created<2026-11-30T12:00:05", "payment:paid", "fulfillment:shipped", "fulfilment:partial", "state:hold",
		`city:"new york"`, `"a \" b"`, "10:30", "eu-store:1001", "ship:received", "ship:partially_shipped",
		"pay:awaiting_payment", "status:complete"}
	for _, q := range forms {
		if _, err := query.Parse(q, query.Options{Now: time.Now()}); err != nil {
			t.Errorf("help filter says %q works: %v", q, err)
		}
	}
	for _, q := range []string{"foo:bar", "created=7d"} {
		if _, err := query.Parse(q, query.Options{Now: time.Now()}); err == nil {
			t.Errorf("help filter says %q is an error", q)
		}
	}
	if n < 5 {
		t.Errorf("help filter: %d examples", n)
	}
}

// help json names every CSV column, each with what it holds.
func TestHelpJSONHasCSVColumns(t *testing.T) {
	flat, _ := helpOut(t, "help", "json")
	cols := ui.CSVColumns()
	for _, c := range cols {
		if csvNotes[c] == "" || !strings.Contains(flat, c+" "+csvNotes[c]) {
			t.Errorf("help json: CSV column %s not described", c)
		}
	}
	if len(csvNotes) != len(cols) {
		t.Errorf("csvNotes has %d entries, the CSV %d columns", len(csvNotes), len(cols))
	}
	if !strings.Contains(flat, "--format csv") {
		t.Error("help json does not name --format csv")
	}
}
