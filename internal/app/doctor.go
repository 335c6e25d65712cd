package app

import (
	"context"
	"flag"
	"fmt"
	"os"
	"os/signal"
	"slices"
	"sync"
	"syscall"

	"orderdesk/backend"
	"orderdesk/backend/config"
	"orderdesk/backend/probe"
	"orderdesk/backend/simshop"
	"orderdesk/ui/cli"
)

// `orderdesk doctor`: checks that each shop can be reached, logged into
// and read, and that this machine's config file, database and disk are
// fine. It runs without the wiring (like salvage): a secret that cannot be
// obtained, or a database another process holds, is something it reports,
// not a reason to stop.

const doctorUsage = "doctor [--shop NAME]... [--format table|json]"

// doctorArgs are doctor's own flags.
type doctorArgs struct {
	shops  multi
	format string
}

// doctorCommand is doctor's entry of commands. Its flags are registered
// on each run's flag set and alone reads them back from it, so runs in one
// process (tests, relayed commands) share nothing.
func doctorCommand() command {
	return command{usage: doctorUsage,
		flags: func(fs *flag.FlagSet) func(*wired, []string) int {
			fs.Var(new(multi), "shop", "only the shop `NAME` (repeatable)")
			fs.String("format", "table", "`FORMAT`: table or json")
			return nil
		},
		alone: func(g *globals, fs *flag.FlagSet, args []string, std streams) int {
			a := doctorArgs{shops: *fs.Lookup("shop").Value.(*multi), format: fs.Lookup("format").Value.String()}
			return runDoctor(g, a, args, std)
		},
	}
}

func runDoctor(g *globals, a doctorArgs, args []string, std streams) int {
	usage := func(format string, v ...any) int {
		fmt.Fprintf(std.err, "orderdesk doctor: "+format+"\n%s(orderdesk doctor --help says more)\n",
			append(v, usageLines("orderdesk "+doctorUsage))...)
		return cli.ExitUsage
	}
	switch {
	case len(args) > 0:
		return usage("doctor takes no arguments, got %s", quoteArgs(args))
	case a.format != "table" && a.format != "json":
		return usage("--format is table or json, not %s", backend.Quote(a.format))
	case g.offline:
		return usage("doctor talks to the shops; it cannot run with --offline")
	}
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()

	var targets []probe.Target
	var local []probe.Check
	db := g.db
	if g.demo {
		demo, err := simshop.StartDemo(1, 12, demoNow())
		if err != nil {
			fmt.Fprintln(std.err, "orderdesk doctor:", err)
			return cli.ExitFailed
		}
		defer demo.Close()
		for _, n := range a.shops {
			if !slices.Contains(demo.Names, n) {
				return usage("no shop named %s (the demo's: %v)", backend.Quote(n), demo.Names)
			}
		}
		for _, c := range demo.Configs() {
			if len(a.shops) == 0 || slices.Contains(a.shops, c.Name) {
				targets = append(targets, probe.Target{Config: c, SecretSource: "the demo (built in)"})
			}
		}
		local = append(local, probe.Check{ID: "config", Name: "config", Status: probe.Skipped, Detail: "not used: --demo"})
	} else {
		path := g.config
		if path == "" {
			path = config.DefaultPath()
		}
		cfg, err := config.Load(path, config.Options{CheckQuery: checkQuery})
		local = append(local, configCheck(path, cfg, err))
		if cfg != nil {
			var ok bool
			if targets, ok = doctorTargets(ctx, cfg, a.shops); !ok {
				return usage("no shop named %s (configured: %s)", unknownShop(cfg, a.shops), shopNames(cfg))
			}
		}
		if db == "" {
			db = config.DefaultDB()
		}
	}

	d := cli.Doctor{Shops: make([]probe.Report, len(targets))}
	var wg sync.WaitGroup
	for i, t := range targets {
		wg.Go(func() { d.Shops[i] = probe.Shop(ctx, t, probe.Options{}) })
	}
	switch {
	case g.demo && db == "":
		local = append(local, probe.Check{ID: "database", Name: "database", Status: probe.Skipped,
			Detail: "not checked: --demo without --db uses a throw-away database"})
	case db == "":
		local = append(local, probe.Check{ID: "database", Name: "database", Status: probe.Fail,
			Detail: "no place for the database", Hint: "set XDG_DATA_HOME or HOME, or use --db FILE"})
	default:
		local = append(local, databaseChecks(db)...)
	}
	wg.Wait()
	d.Local = local
	if err := cli.WriteDoctor(std.out, d, a.format); err != nil {
		fmt.Fprintln(std.err, "orderdesk doctor:", err)
		return cli.ExitFailed
	}
	if d.Failed() {
		return cli.ExitFailed
	}
	return cli.ExitOK
}

// doctorTargets resolves the secrets of the shops named (all when none
// is), one shop after another as every command does (a *_cmd may ask for
// a passphrase). ok is false when a name is not a configured shop.
func doctorTargets(ctx context.Context, cfg *config.Config, only []string) ([]probe.Target, bool) {
	if unknownShop(cfg, only) != "" {
		return nil, false
	}
	var out []probe.Target
	for _, s := range cfg.Shops {
		if len(only) > 0 && !slices.Contains(only, s.Name) {
			continue
		}
		t := probe.Target{SecretSource: secretSource(s)}
		t.Config, t.SecretErr = s.Resolve(ctx)
		if t.SecretErr != nil {
			t.Config = backend.ShopConfig{Name: s.Name, Platform: s.Platform, URL: s.URL, Username: s.Username,
				APIVersion: s.APIVersion, Timezone: s.Timezone, Rate: s.Rate, Burst: s.Burst}
		}
		out = append(out, t)
	}
	return out, true
}

// secretSource says where a shop's secret comes from, never its value nor
// a *_cmd's command line.
func secretSource(s config.Shop) string {
	src := s.Token
	if s.Password.Kind != config.NoSource {
		src = s.Password
	}
	if src.Kind == config.FromFile {
		return fmt.Sprintf("the config file (line %d)", src.Line)
	}
	return src.String()
}

func unknownShop(cfg *config.Config, names []string) string {
	for _, n := range names {
		found := false
		for _, s := range cfg.Shops {
			found = found || s.Name == n
		}
		if !found {
			return backend.Quote(n)
		}
	}
	return ""
}

func shopNames(cfg *config.Config) string {
	var names []string
	for _, s := range cfg.Shops {
		names = append(names, s.Name)
	}
	if len(names) == 0 {
		return "none"
	}
	return fmt.Sprint(names)
}
