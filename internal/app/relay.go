package app

import (
	"context"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"time"

	"orderdesk/backend/config"
	"orderdesk/cache"
	"orderdesk/internal/relay"
	"orderdesk/ui/cli"
)

// Commands beside a running desk or server. The process holding the
// database (the desk or `orderdesk serve`) listens on "<db>.sock"; a
// command marked relay in the commands table first tries that socket and,
// when someone answers, runs inside the holder: parsed there by the same
// code, wired to the holder's store, shops, outbox and feeds, with this
// process's streams carried over the socket. So its output and exit code
// are those it has alone, and an edit shows in the open desk (and every
// SSH session) at once. When nobody listens the command opens the
// database itself, as it always has. See internal/relay for the wire and
// who may connect.
//
// Decisions:
//   - The holder's config and shops serve the command; the client's
//     --config, --demo flags are not used (the database is the holder's).
//   - A holder started with --offline keeps relayed edits offline too; a
//     client's --offline makes its own edit offline.
//   - Usage errors and --help are answered by the client, before anything
//     is sent.

// holderWait is how long a command waits for the socket of a process
// that holds the database but does not answer yet: a desk or server
// listens within milliseconds of opening it. A holder that never listens
// (another command, a sync) costs this on top of the lock's wait.
const holderWait = 500 * time.Millisecond

// forward runs the command in the process holding the database, when
// there is one. ok is false when nobody listens: the caller opens the
// database itself.
func forward(ctx context.Context, g *globals, name string, args, positional []string, std streams) (code int, ok bool) {
	db := g.db
	if db == "" {
		if g.demo {
			return 0, false // a throw-away demo database: nobody else holds it
		}
		db = config.DefaultDB()
	}
	if db == "" {
		return 0, false
	}
	c, err := relay.Dial(db)
	if errors.Is(err, relay.ErrNoHolder) && cache.HolderPID(db) > 0 {
		// a desk or server may be starting: its socket comes once it
		// has the database open (a sync, which never listens, is waited
		// for by the lock as before)
		deadline := time.Now().Add(holderWait)
		for errors.Is(err, relay.ErrNoHolder) && time.Now().Before(deadline) && ctx.Err() == nil {
			time.Sleep(50 * time.Millisecond)
			c, err = relay.Dial(db)
		}
	}
	if errors.Is(err, relay.ErrNoHolder) {
		return 0, false
	}
	if err != nil {
		fmt.Fprintf(std.err, "orderdesk: not asking the process holding the database: %v\n", err)
		return 0, false
	}
	defer c.Close()
	dir, _ := os.Getwd()
	req := relay.Request{Args: args, Dir: dir, Interactive: isTerminal(std.in) && isTerminal(std.err),
		NoColor: os.Getenv("NO_COLOR") != ""}
	if w := termWidth(std.err); w != nil {
		req.Width = w()
	}
	code, err = c.Run(ctx, req, std.in, std.out, std.err)
	if err != nil {
		fmt.Fprintln(std.err, "orderdesk:", err)
		return cli.ExitFailed, true
	}
	return code, true
}

// relayStop ends the commands run beside this process: listening stops
// the socket (commands running go on), close cancels what is left and
// gives it a moment to record how far it got.
type relayStop struct{ listening, close func() }

// startRelay lets commands run in this process while it holds the
// database (the desk, `serve`). log receives refusals and recovered
// panics. The commands are not cancelled by the process's interrupt:
// they end as the holder's own work does, through relayStop.
func (w *wired) startRelay(log func(string)) (relayStop, error) {
	srv, err := relay.Listen(w.store.Path(), log)
	if err != nil {
		return relayStop{listening: func() {}, close: func() {}}, err
	}
	go srv.Serve(context.WithoutCancel(w.ctx), w.runRelayed)
	return relayStop{listening: srv.StopListening, close: func() {
		ctx, cancel := context.WithTimeout(context.Background(), 3*time.Second)
		defer cancel()
		srv.Close(ctx)
	}}, nil
}

// runRelayed runs one relayed command line with the client's streams.
func (w *wired) runRelayed(ctx context.Context, req relay.Request, s relay.Stdio) int {
	std := streams{in: s.In, out: s.Out, err: s.Err}
	name, rest := splitCommand(req.Args)
	cmd, known := commands[name]
	if !known || !cmd.relay {
		fmt.Fprintf(std.err, "orderdesk: %s does not run beside a desk or server holding the database\n", commandName(name))
		return cli.ExitUsage
	}
	p, code, ok := parseCommand(name, rest, std)
	if !ok {
		return code
	}
	if cmd.paths != nil {
		for _, i := range cmd.paths(p.positional) {
			if !filepath.IsAbs(p.positional[i]) && req.Dir != "" {
				p.positional[i] = filepath.Join(req.Dir, p.positional[i])
			}
		}
	}
	env := *w.env
	env.Stdout, env.Stderr, env.Stdin = s.Out, s.Err, s.In
	env.Interactive = req.Interactive
	env.Offline = w.env.Offline || p.g.offline
	env.NoColor = req.NoColor
	env.TermWidth = nil
	if width := req.Width; width > 0 {
		env.TermWidth = func() int { return width }
	}
	relayed := &wired{ctx: ctx, env: &env, store: w.store, cfg: w.cfg, g: &p.g}
	return p.body(relayed, p.positional)
}

func commandName(name string) string {
	if name == "" {
		return "the desk"
	}
	return "orderdesk " + name
}

// firstArg is the paths of a command whose first argument is a file.
func firstArg(args []string) []int {
	if len(args) == 0 {
		return nil
	}
	return []int{0}
}
