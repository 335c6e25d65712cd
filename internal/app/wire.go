package app

import (
	"context"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"os/user"
	"path/filepath"
	"time"

	"golang.org/x/term"

	"orderdesk/backend"
	"orderdesk/backend/config"
	"orderdesk/backend/engine"
	"orderdesk/backend/platforms"
	"orderdesk/backend/query"
	"orderdesk/backend/simshop"
	"orderdesk/cache"
	"orderdesk/ui/cli"
)

// wired is what wire returns and every wired command runs with: the
// opened database, the engine over the shops (in env.Desk), the CLI
// environment, and what closing it gives back (the demo shops, their
// throw-away directory).
type wired struct {
	ctx     context.Context
	env     *cli.Env
	store   *cache.Store
	demo    *simshop.Demo
	tempDir string
	cfg     *config.Config // nil with --demo
	g       *globals
	// relay starts answering commands run beside this process (relay.go).
	relay func(log func(string)) (relayStop, error)
}

func (w *wired) close() {
	if w.store != nil {
		if w.store.Damaged() != nil {
			writeDamageAdvice(w.env.Stderr, w.store.Path())
		}
		w.store.Close()
	}
	if w.demo != nil {
		w.demo.Close()
	}
	if w.tempDir != "" {
		os.RemoveAll(w.tempDir)
	}
}

func (w *wired) usage(format string, args ...any) int {
	return w.env.Fail(cli.Usagef(format, args...))
}

// wire opens the config (or starts the demo shops), the database and, when
// the command talks to the shops, the adapters. On failure it prints why and
// returns nil and the exit code.
func wire(ctx context.Context, g *globals, std streams, needShops bool) (*wired, int) {
	if g.quiet {
		return wireQuiet(ctx, g, std)
	}
	w := &wired{ctx: ctx, g: g, env: &cli.Env{
		Stdout: std.out, Stderr: std.err, Stdin: std.in,
		Interactive: isTerminal(std.in) && isTerminal(std.err),
		Offline:     g.offline,
		ShopZones:   map[string]*time.Location{},
		TermWidth:   termWidth(std.err),
		NoColor:     os.Getenv("NO_COLOR") != "",
	}}
	fail := func(code int, err error) (*wired, int) {
		fmt.Fprintln(std.err, "orderdesk:", err)
		w.close()
		return nil, code
	}
	var cfgs []backend.ShopConfig
	operator := ""
	// the database: --db, the default place, or the demo's throw-away
	// file; g.db stays as the command line gave it
	db := g.db
	if g.demo {
		ds, err := openDemo(g, std.err)
		if err != nil {
			fmt.Fprintln(std.err, "orderdesk:", err)
			if errors.Is(err, cache.ErrDamaged) {
				writeDamageAdvice(std.err, g.db)
			}
			return nil, cli.ExitFailed
		}
		w.demo, w.tempDir = ds.shops, ds.tempDir
		cfgs, db = ds.configs, ds.db
		w.env.Loc = time.Local
	} else {
		path := g.config
		if path == "" {
			path = config.DefaultPath()
		}
		cfg, err := config.Load(path, config.Options{CheckQuery: checkQuery})
		if err != nil {
			return fail(cli.ExitUsage, err) // the message says what to fix (a missing file: a minimal example and --demo)
		}
		w.env.Loc = cfg.Timezone
		w.cfg = cfg
		operator = cfg.Operator
		for _, s := range cfg.Shops {
			if !needShops {
				cfgs = append(cfgs, backend.ShopConfig{Name: s.Name, Platform: s.Platform, Timezone: s.Timezone})
				continue
			}
			sc, err := s.Resolve(ctx)
			if err != nil {
				return fail(cli.ExitUsage, err)
			}
			cfgs = append(cfgs, sc)
		}
		if db == "" {
			db = config.DefaultDB()
		}
		if db == "" {
			return fail(cli.ExitUsage, errors.New("no place for the database: set XDG_DATA_HOME or HOME, or use --db FILE"))
		}
	}
	w.env.Operator = operatorName(operator)
	st, err := openStore(db, std.err)
	if err != nil {
		w.close()
		return nil, cli.ExitFailed
	}
	w.store = st
	var shops []backend.Shop
	for _, c := range cfgs {
		w.env.ShopZones[c.Name] = c.Loc()
		w.env.ShopNames = append(w.env.ShopNames, c.Name)
		if !needShops && !g.demo {
			continue // list, show, pending read the cache only: no secrets needed
		}
		s, err := platforms.Open(c)
		if err != nil {
			return fail(cli.ExitUsage, err)
		}
		shops = append(shops, s)
	}
	w.env.Desk = engine.NewDesk(st, shops, time.Now)
	if w.cfg != nil {
		for _, s := range w.cfg.Shops {
			w.env.Desk.SetPlan(s.Name, engine.Plan{History: s.History, RecheckWindow: s.RecheckWindow, RecheckEvery: s.RecheckEvery})
		}
	}
	if g.demo && !g.offline {
		if code := w.demoSync(); code != cli.ExitOK {
			w.close()
			return nil, code
		}
	}
	if w.demo != nil {
		for _, s := range w.demo.Shops {
			s.SetLatency(g.demoLatency) // after the first sync: the desk opens at once
		}
	}
	return w, cli.ExitOK
}

// demoSync fills a fresh demo database before the command runs, so
// `orderdesk --demo list` has orders to show. Its progress shows as a
// sync's does (bars in a terminal, lines without): thousands of demo
// orders take minutes at the shops' rate limits.
func (w *wired) demoSync() int {
	n, err := w.store.Count("")
	if err != nil || n > 0 {
		return cli.ExitOK
	}
	view := w.env.StartSyncView(w.ctx, nil)
	reports, err := w.env.Desk.Sync(w.ctx, nil, view.Progress)
	view.Stop()
	if err != nil {
		fmt.Fprintln(w.env.Stderr, "orderdesk: demo sync:", err)
		return cli.ExitFailed
	}
	for _, r := range reports {
		if err := r.Err(); err != nil {
			fmt.Fprintln(w.env.Stderr, "orderdesk: demo sync:", err)
			return cli.ExitFailed
		}
		fmt.Fprintf(w.env.Stderr, "demo shop %-12s %4d orders synced\n", r.Pull.Shop, r.Pull.Orders)
	}
	return cli.ExitOK
}

// demoSetup is what --demo wires in place of a config: the simulated
// shops, the configs that point at them, and the database to use.
type demoSetup struct {
	shops   *simshop.Demo
	configs []backend.ShopConfig
	db      string // --db, or demo.db in tempDir
	tempDir string // a throw-away directory for the database ("" with --db)
}

// openDemo starts the demo shops (startDemo) and chooses their database:
// --db when given, else a throw-away file in a new temporary directory. It
// changes nothing in g: the caller opens the database it returns, and
// stops the shops and removes tempDir when done (wired.close).
func openDemo(g *globals, stderr io.Writer) (demoSetup, error) {
	shops, err := startDemo(g, stderr)
	if err != nil {
		return demoSetup{}, err
	}
	ds := demoSetup{shops: shops, configs: shops.Configs(), db: g.db}
	if ds.db == "" {
		dir, err := os.MkdirTemp("", "orderdesk-demo-")
		if err != nil {
			shops.Close()
			return demoSetup{}, err
		}
		ds.tempDir, ds.db = dir, filepath.Join(dir, "demo.db")
	}
	return ds, nil
}

// demoShopsDir is where `--demo --db FILE` keeps its simulated shops: one
// JSON file per shop in FILE.demo-shops/ (see backend/simshop/keep.go).
func demoShopsDir(db string) string { return db + ".demo-shops" }

// startDemo starts the demo shops. Without --db they are throw-away, the
// same shops on every start. With --db they are kept beside the database,
// so a second run continues the first: orders as the edits left them. The
// kept shops keep their reference time and order count (a demo kept
// yesterday opens today with the same orders).
func startDemo(g *globals, stderr io.Writer) (*simshop.Demo, error) {
	if g.db == "" {
		return simshop.StartDemo(1, g.demoOrders, demoNow())
	}
	dir := demoShopsDir(g.db)
	if _, err := os.Stat(dir); errors.Is(err, fs.ErrNotExist) {
		if err := demoEditsWithoutShops(g.db, dir); err != nil {
			return nil, err
		}
	}
	demo, created, err := simshop.OpenDemo(dir, 1, g.demoOrders, demoNow())
	if se := (*simshop.StateError)(nil); errors.As(err, &se) {
		return nil, fmt.Errorf("the demo shops kept in %s cannot be used: %w\nTo start the demo over, delete %s and the database %s", dir, err, dir, g.db)
	}
	if err != nil {
		return nil, err
	}
	switch kept := demo.Shops[0].Opt.Orders; {
	case created:
		fmt.Fprintf(stderr, "demo shops kept in %s (delete it and %s to start the demo over)\n", dir, g.db)
	case kept != g.demoOrders:
		fmt.Fprintf(stderr, "demo shops kept in %s have %d orders each, not %d (delete it and %s to start the demo over)\n", dir, kept, g.demoOrders, g.db)
	}
	return demo, nil
}

// demoEditsWithoutShops refuses a demo database whose edits reached the
// shops (done, or possibly applied) when the shops' state is missing: the
// shops would start over from the seed while the database says the edits
// were made (a database from an orderdesk that did not keep its shops, or
// a deleted directory).
func demoEditsWithoutShops(db, dir string) error {
	if _, err := os.Stat(db); errors.Is(err, fs.ErrNotExist) {
		return nil
	}
	st, err := cache.Open(db, cache.Options{Timeout: 2 * time.Second})
	if err != nil {
		return err
	}
	defer st.Close()
	lines, err := st.AuditLog(backend.Ref{})
	if err != nil {
		return err
	}
	for _, a := range lines {
		switch a.Result {
		case backend.EditDone, backend.EditSending, backend.EditUnknown:
			return fmt.Errorf("%s holds edits made on the demo shops (%s %s on %s), but the shops' state %s is missing, so they would start over without them\nTo start the demo over, delete %s", db, a.EditID, a.Result, a.Ref, dir, db)
		}
	}
	return nil
}

// demoNow is the reference time of new demo shops' orders: the start of
// today (UTC). Shops kept with --db keep the reference time they were
// created with, so their orders keep their dates on later days.
func demoNow() time.Time { return time.Now().UTC().Truncate(24 * time.Hour) }

func checkQuery(q string) error {
	_, err := query.Parse(q, query.Options{Now: time.Now()})
	return err
}

func operatorName(configured string) string {
	if configured != "" {
		return configured
	}
	if u := os.Getenv("USER"); u != "" {
		return u
	}
	if u, err := user.Current(); err == nil {
		return u.Username
	}
	return "unknown"
}

func isTerminal(f any) bool {
	if x, ok := f.(interface{ Fd() uintptr }); ok {
		return term.IsTerminal(int(x.Fd()))
	}
	return false
}

// termWidth, when f is a terminal that draws (not TERM=dumb), returns
// how to read its width (80 when it cannot be read); else nil.
func termWidth(f any) func() int {
	x, ok := f.(interface{ Fd() uintptr })
	if !ok || !term.IsTerminal(int(x.Fd())) || os.Getenv("TERM") == "dumb" {
		return nil
	}
	return func() int {
		if w, _, err := term.GetSize(int(x.Fd())); err == nil && w > 0 {
			return w
		}
		return 80
	}
}
