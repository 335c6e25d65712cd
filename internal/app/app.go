// Package app is the orderdesk command: its flags and subcommands
// (app.go), the wiring config → shops → store → engine (wire.go), the
// terminal UI (tui.go) and the SSH server (serve.go), and the commands run
// beside them (relay.go). The binary's main.go is only process glue: it hands Main the
// command line, the standard streams and a context that ends on SIGINT or
// SIGTERM.
package app

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"strconv"
	"strings"
	"time"

	"orderdesk/backend"
	"orderdesk/backend/safe"
	"orderdesk/ui/cli"
)

// Main runs the command line args (without the program's name) with the
// process's standard streams and returns the exit code. version is the one
// set at build time (-ldflags "-X main.version=..."), "dev" when none was.
// ctx ends on SIGINT or SIGTERM; stop restores the signals' default
// action (a second signal then ends the process at once).
func Main(ctx context.Context, stop func(), version string, args []string) int {
	done := make(chan int, 1)
	// A panic (a bug) prints its stack and exits 1, a failure, not 2 (usage).
	safe.Go(ctx, func() { done <- run(ctx, args, streams{in: os.Stdin, out: os.Stdout, err: os.Stderr}, version) },
		func(err error) { fmt.Fprintln(os.Stderr, "orderdesk:", err); done <- 1 })
	return awaitExit(ctx, stop, done, args)
}

// interruptGrace is how long a command has after SIGINT or SIGTERM to end
// on its own (cancelled requests recorded, the database closed) before the
// process exits anyway: whatever it waits on (a prompt, a locked
// database), it ends within a second.
const interruptGrace = 800 * time.Millisecond

// awaitExit returns the command's exit code, or 1 when a signal came and
// the command did not end within interruptGrace. The desk and the server
// shut down on their own (the terminal restored, edits in flight given
// their documented time): they are waited for, and a second signal ends
// the process at once (stop restores the default action).
func awaitExit(ctx context.Context, stop func(), done <-chan int, args []string) int {
	select {
	case code := <-done:
		return code
	case <-ctx.Done():
	}
	if name, _ := splitCommand(args); name == "" || name == "serve" {
		stop()
		return <-done
	}
	t := time.NewTimer(interruptGrace)
	defer t.Stop()
	select {
	case code := <-done:
		return code
	case <-t.C:
		fmt.Fprintln(os.Stderr, "orderdesk: interrupted")
		return cli.ExitFailed
	}
}

// streams are a command's standard streams: the process's, or a relayed
// command's carried over the socket.
type streams struct {
	in       io.Reader
	out, err io.Writer
}

// globals are the flags every command accepts, before or after its name.
type globals struct {
	config, db      string
	offline, demo   bool
	demoOrders      int
	demoLatency     time.Duration
	noInteractivity bool
	quiet           bool // not a flag: the command is quiet (wireQuiet)
}

func (g *globals) register(fs *flag.FlagSet) {
	fs.StringVar(&g.config, "config", "", "config `FILE` (default $XDG_CONFIG_HOME/orderdesk/config.toml)")
	fs.StringVar(&g.db, "db", "", "database `FILE` (default $XDG_DATA_HOME/orderdesk/orderdesk.db)")
	fs.BoolVar(&g.offline, "offline", false, "do not contact the shops: edits are saved and sent by a later sync")
	fs.BoolVar(&g.demo, "demo", false, "run against built-in simulated shops of all four platforms (no config, no network; "+
		"a throw-away database unless --db is given)")
	g.demoOrders = 40
	fs.Var(&bounded[int]{v: &g.demoOrders, max: maxDemoOrders, parse: strconv.Atoi,
		want: fmt.Sprintf("a whole number from 0 to %d", maxDemoOrders)}, "demo-orders",
		fmt.Sprintf("with --demo: `N` orders in each simulated shop (0 to %d)", maxDemoOrders))
	fs.Var(&bounded[time.Duration]{v: &g.demoLatency, max: maxDemoLatency, parse: time.ParseDuration,
		want: fmt.Sprintf("a duration from 0s to %s, like 500ms or 2s", maxDemoLatency)}, "demo-latency",
		"with --demo: each simulated shop answers `D` late, e.g. 2s (to watch edits travel; at most 1m)")
}

// Bounds of the demo flags: the simulated shops are generated in memory
// and synced through their HTTP APIs at their rate limits (1,000 orders a
// shop take over a minute to sync), and a shop answering minutes late is a
// hang, not a demo. 250,000 a shop is a million orders in all: the scale
// the cache is measured at, and an absurd value stays a usage error instead
// of an allocation of its size.
const (
	maxDemoOrders  = 250000
	maxDemoLatency = time.Minute
)

// bounded is a flag from 0 to max: a value outside is a usage error
// naming the range (a negative --demo-orders used to panic).
type bounded[T int | time.Duration] struct {
	v     *T
	max   T
	parse func(string) (T, error)
	want  string // the range in words: "a whole number from 0 to 250000"
}

func (b *bounded[T]) String() string {
	if b == nil || b.v == nil {
		var zero T
		return fmt.Sprint(zero)
	}
	return fmt.Sprint(*b.v)
}

func (b *bounded[T]) Set(s string) error {
	v, err := b.parse(s)
	if err != nil || v < 0 || v > b.max {
		return errors.New("want " + b.want)
	}
	*b.v = v
	return nil
}

// command is one subcommand: its flags, its positional arguments, and what
// it needs from the wiring.
type command struct {
	usage string
	flags func(fs *flag.FlagSet) func(w *wired, args []string) int
	shops bool // talks to the shops: adapters (and their secrets) are needed
	// shopsFor, when set, decides shops from the positional arguments
	// (`pending` reads the cache; `pending retry ID` sends).
	shopsFor func(args []string) bool
	// alone, when set, runs the command without the wiring (no config, no
	// opened database): salvage reads a database that cannot be opened. fs
	// holds the command's flags, parsed.
	alone func(g *globals, fs *flag.FlagSet, args []string, std streams) int
	// relay: when a desk or `serve` holds the database, the command runs
	// inside that process (relay.go), with the same output and exit code.
	relay bool
	// paths lists the positional arguments that are file names: a relayed
	// command gets them absolute, as the holder has another directory.
	paths func(args []string) []int
	// hidden keeps the command out of the help (__complete, which the
	// completion scripts run); quiet wires it with wireQuiet.
	hidden, quiet bool
}

var commands = map[string]command{
	"sync": {relay: true, usage: "sync [--shop NAME]...", shops: true, flags: func(fs *flag.FlagSet) func(*wired, []string) int {
		var names multi
		fs.Var(&names, "shop", "only the shop `NAME` (repeatable)")
		return func(w *wired, args []string) int {
			if len(args) > 0 {
				return w.usage("sync takes no arguments, got %s", quoteArgs(args))
			}
			return w.env.Sync(w.ctx, names)
		}
	}},
	"list": {relay: true, usage: "list [--shop NAME] [--filter QUERY] [--limit N] [--format table|json|csv [--bom]]", flags: func(fs *flag.FlagSet) func(*wired, []string) int {
		var a cli.ListArgs
		fs.StringVar(&a.Shop, "shop", "", "only the shop `NAME`")
		fs.StringVar(&a.Filter, "filter", "", "only the orders matching `QUERY`, e.g. 'pay:paid ship:unfulfilled country:CN' (orderdesk help filter)")
		fs.IntVar(&a.Limit, "limit", 0, "at most `N` orders (0: all)")
		fs.StringVar(&a.Format, "format", "table", "`FORMAT`: table, json or csv")
		fs.BoolVar(&a.BOM, "bom", false, "with --format csv: start with a UTF-8 byte order mark, so Excel shows non-Latin names "+
			"right (default: the config's [export] bom; --bom=false turns it off)")
		return func(w *wired, args []string) int {
			if len(args) > 0 {
				return w.usage("list takes no arguments (use --filter), got %s", quoteArgs(args))
			}
			bomGiven := false
			fs.Visit(func(f *flag.Flag) { bomGiven = bomGiven || f.Name == "bom" })
			switch {
			case bomGiven && a.Format != "csv":
				return w.usage("--bom is for --format csv")
			case !bomGiven && w.cfg != nil:
				a.BOM = w.cfg.Export.BOM
			}
			return w.env.List(a)
		}
	}},
	"show": {relay: true, usage: "show REF [--format text|json]", flags: func(fs *flag.FlagSet) func(*wired, []string) int {
		format := fs.String("format", "text", "`FORMAT`: text or json")
		return func(w *wired, args []string) int {
			if len(args) != 1 {
				return w.usage("show takes one REF (SHOP:NUMBER or NUMBER)")
			}
			return w.env.Show(args[0], *format)
		}
	}},
	"fetch": {relay: true, usage: "fetch REF...", shops: true, flags: func(fs *flag.FlagSet) func(*wired, []string) int {
		return func(w *wired, args []string) int {
			if len(args) == 0 {
				return w.usage("fetch takes one or more REFs (SHOP:NUMBER)")
			}
			return w.env.Fetch(w.ctx, args)
		}
	}},
	"status": {relay: true, usage: "status REF VALUE [--yes]", shops: true, flags: func(fs *flag.FlagSet) func(*wired, []string) int {
		yes := fs.Bool("yes", false, "confirm what reaches the customer or cannot be undone (cancel, void, refund, archive); "+
			"needed in a script, which cannot be asked")
		return func(w *wired, args []string) int {
			if len(args) != 2 {
				return w.usage("status takes REF and VALUE")
			}
			return w.env.Edit(w.ctx, cli.EditArgs{Ref: args[0], Yes: *yes,
				Action: backend.Action{Kind: backend.ActionStatus, Status: args[1]}})
		}
	}},
	"ship": {relay: true, usage: "ship REF --carrier NAME --tracking NUMBER [--url URL] [--notify] [--yes]", shops: true, flags: func(fs *flag.FlagSet) func(*wired, []string) int {
		var sh backend.Shipment
		fs.StringVar(&sh.Carrier, "carrier", "", "carrier `NAME`, e.g. UPS, 'SF Express', 顺丰, 'China Post' (required)")
		fs.StringVar(&sh.TrackingNumber, "tracking", "", "tracking `NUMBER` (required)")
		fs.StringVar(&sh.TrackingURL, "url", "", "tracking page `URL` (default: the carrier's)")
		notify := fs.Bool("notify", false, "ask the shop to email the customer, where that is optional (SHOPLINE)")
		yes := fs.Bool("yes", false, "confirm a shipment that emails the customer; needed in a script, which cannot be asked")
		return func(w *wired, args []string) int {
			if len(args) != 1 {
				return w.usage("ship takes one REF")
			}
			return w.env.Edit(w.ctx, cli.EditArgs{Ref: args[0], Yes: *yes,
				Action: backend.Action{Kind: backend.ActionShip, Shipment: sh, Notify: *notify}})
		}
	}},
	"remark": {relay: true, usage: "remark REF TEXT [--yes]", shops: true, flags: func(fs *flag.FlagSet) func(*wired, []string) int {
		yes := fs.Bool("yes", false, "confirm a remark the customer would see; needed in a script, which cannot be asked")
		return func(w *wired, args []string) int {
			if len(args) < 2 {
				return w.usage("remark takes REF and TEXT")
			}
			return w.env.Edit(w.ctx, cli.EditArgs{Ref: args[0], Yes: *yes,
				Action: backend.Action{Kind: backend.ActionRemark, Remark: strings.Join(args[1:], " ")}})
		}
	}},
	"import-tracking": {relay: true, paths: firstArg, usage: "import-tracking FILE.csv [--dry-run] [--notify] [--yes] [--format table|json]", shops: true, flags: func(fs *flag.FlagSet) func(*wired, []string) int {
		var a cli.ImportArgs
		fs.BoolVar(&a.DryRun, "dry-run", false, "print the plan, one line per row; save and send nothing")
		fs.BoolVar(&a.Notify, "notify", false, "ask the shops to email the customers, where that is optional")
		fs.BoolVar(&a.Yes, "yes", false, "confirm without asking (needed in a script when shipments email the customer)")
		fs.StringVar(&a.Format, "format", "table", "`FORMAT` of the plan and results: table or json")
		return func(w *wired, args []string) int {
			if len(args) != 1 {
				return w.usage("import-tracking takes one FILE (CSV: order, carrier, tracking columns)")
			}
			a.Path = args[0]
			return w.env.ImportTracking(w.ctx, a)
		}
	}},
	"serve": {usage: "serve [--listen ADDR] [--authorized-keys FILE] [--host-key FILE] [--idle-timeout D]", shops: true, flags: func(fs *flag.FlagSet) func(*wired, []string) int {
		var o serveFlags
		fs.StringVar(&o.listen, "listen", "127.0.0.1:2222", "listen on `ADDR`, HOST:PORT (loopback unless you say so)")
		fs.StringVar(&o.keys, "authorized-keys", "", "`FILE` of the operators' public keys, authorized_keys format (default $XDG_CONFIG_HOME/orderdesk/authorized_keys)")
		fs.StringVar(&o.hostKey, "host-key", "", "`FILE` of the server's private key, created on first start (default $XDG_DATA_HOME/orderdesk/ssh_host_ed25519_key)")
		fs.DurationVar(&o.idle, "idle-timeout", 30*time.Minute, "close a session after `D` without a key press, e.g. 1h (0: never)")
		return func(w *wired, args []string) int {
			if len(args) > 0 {
				return w.usage("serve takes no arguments, got %s", quoteArgs(args))
			}
			return w.serve(o)
		}
	}},
	"backup": {relay: true, paths: firstArg, usage: "backup FILE [--force]", flags: func(fs *flag.FlagSet) func(*wired, []string) int {
		force := fs.Bool("force", false, "replace FILE when it exists")
		return func(w *wired, args []string) int {
			if len(args) != 1 {
				return w.usage("backup takes one FILE, the copy to write")
			}
			return w.backup(args[0], *force)
		}
	}},
	"salvage": {usage: salvageUsage, alone: runSalvage,
		flags: func(*flag.FlagSet) func(*wired, []string) int { return nil }},
	"doctor": doctorCommand(),
	"completion": {usage: completionUsage, alone: runCompletion,
		flags: func(*flag.FlagSet) func(*wired, []string) int { return nil }},
	"__complete": {usage: "__complete -- WORD... CURRENT", hidden: true, quiet: true, relay: true, flags: completeFlags},
	"pending": {relay: true, usage: "pending [--format table|json] | pending retry ID | pending discard ID [--yes]",
		shopsFor: func(args []string) bool { return len(args) > 0 && args[0] == "retry" }, flags: func(fs *flag.FlagSet) func(*wired, []string) int {
			format := fs.String("format", "table", "`FORMAT` of the list: table or json")
			yes := fs.Bool("yes", false, "pending discard: discard without asking; needed in a script, which cannot be asked")
			return func(w *wired, args []string) int {
				switch {
				case len(args) == 0:
					return w.env.Pending(*format)
				case len(args) == 2 && args[0] == "retry":
					return w.env.PendingRetry(w.ctx, args[1])
				case len(args) == 2 && args[0] == "discard":
					return w.env.PendingDiscard(w.ctx, args[1], *yes)
				}
				return w.usage("pending takes no arguments, or retry ID, or discard ID")
			}
		}},
}

func run(ctx context.Context, args []string, std streams, version string) int {
	name, rest := splitCommand(args)
	if name == "version" {
		fmt.Fprintln(std.out, versionLine(version))
		return cli.ExitOK
	}
	if name == "help" {
		return runHelp(rest, std)
	}
	cmd, known := commands[name]
	if name != "" && !known {
		fmt.Fprintf(std.err, "orderdesk: unknown command %s\n\n", backend.Quote(name))
		writeUsage(std.err)
		return cli.ExitUsage
	}
	p, code, ok := parseCommand(name, rest, std)
	if !ok {
		return code
	}
	if !known {
		if len(p.positional) > 0 {
			fmt.Fprintf(std.err, "orderdesk: unknown command %s\n", backend.Quote(p.positional[0]))
			return cli.ExitUsage
		}
		return runTUI(ctx, &p.g, std)
	}
	if cmd.alone != nil {
		return cmd.alone(&p.g, p.fs, p.positional, std)
	}
	if cmd.quiet {
		p.g.quiet, std.err = true, io.Discard // nothing on the shell's screen
	}
	if cmd.relay {
		if code, ok := forward(ctx, &p.g, name, args, p.positional, std); ok {
			return code
		}
	}
	needShops := cmd.shops
	if cmd.shopsFor != nil {
		needShops = cmd.shopsFor(p.positional)
	}
	w, code := wire(ctx, &p.g, std, needShops)
	if w == nil {
		return code
	}
	defer w.close()
	w.relay = w.startRelay // serve's (a field: the commands table cannot refer to it)
	return p.body(w, p.positional)
}

// parsed is a command line parsed against its command's flags.
type parsed struct {
	g          globals
	fs         *flag.FlagSet // the flags parsed (alone reads its own from it)
	body       func(*wired, []string) int
	positional []string
}

// parseCommand parses the flags of command name (the desk's when name is
// ""). ok is false when the command line is done with: help was printed
// (exit 0) or a usage error (exit 2).
func parseCommand(name string, rest []string, std streams) (p parsed, code int, ok bool) {
	cmd, known := commands[name]
	fs := flag.NewFlagSet("orderdesk "+name, flag.ContinueOnError)
	p.fs = fs
	fs.SetOutput(new(strings.Builder)) // the error is printed below, the help on --help
	fs.Usage = func() {}
	p.g.register(fs)
	if known {
		p.body = cmd.flags(fs)
	}
	positional, err := parseInterspersed(fs, rest)
	switch {
	case err == flag.ErrHelp && known:
		writeCommandHelp(std.out, name)
		return p, cli.ExitOK, false
	case err == flag.ErrHelp:
		writeUsage(std.out)
		return p, cli.ExitOK, false
	case err != nil && known:
		fmt.Fprintf(std.err, "orderdesk %s: %s\n%s(orderdesk %s --help says more)\n", name, flagError(err), usageLines("orderdesk "+cmd.usage), name)
		return p, cli.ExitUsage, false
	case err != nil:
		fmt.Fprintf(std.err, "orderdesk: %s\n\n", flagError(err))
		writeUsage(std.err)
		return p, cli.ExitUsage, false
	}
	p.positional = positional
	return p, cli.ExitOK, true
}

// splitCommand finds the subcommand: the first argument that is neither a
// flag nor the value of a global flag.
func splitCommand(args []string) (string, []string) {
	valued := map[string]bool{"config": true, "db": true, "demo-orders": true, "demo-latency": true}
	for i := 0; i < len(args); i++ {
		a := args[i]
		if a == "--" {
			return "", args
		}
		if strings.HasPrefix(a, "-") {
			n := strings.TrimLeft(a, "-")
			if valued[n] && !strings.Contains(n, "=") {
				i++
			}
			continue
		}
		rest := append(append([]string{}, args[:i]...), args[i+1:]...)
		return a, rest
	}
	return "", args
}

// parseInterspersed parses flags wherever they appear among the positional
// arguments (`ship REF --carrier UPS`); "--" ends the flags.
func parseInterspersed(fs *flag.FlagSet, args []string) ([]string, error) {
	var pos []string
	for {
		if err := fs.Parse(args); err != nil {
			return nil, err
		}
		rest := fs.Args()
		// Parse takes a "--" it meets among flags: the rest is positional
		if n := len(args) - len(rest); n > 0 && args[n-1] == "--" {
			return append(pos, rest...), nil
		}
		if len(rest) == 0 {
			return pos, nil
		}
		pos = append(pos, rest[0])
		args = rest[1:]
	}
}

type multi []string

func (m *multi) String() string     { return strings.Join(*m, ",") }
func (m *multi) Set(v string) error { *m = append(*m, v); return nil }

// quoteArgs shows unexpected arguments in a message, cut like any bad
// input (backend.Quote).
func quoteArgs(args []string) string {
	return backend.Quote(strings.Join(args, " "))
}
