package app

import (
	"errors"
	"fmt"
	"path/filepath"
	"time"

	"orderdesk/backend/config"
	"orderdesk/backend/safe"
	"orderdesk/ui/cli"
	"orderdesk/ui/desk"
	"orderdesk/ui/serve"
)

// serveFlags are the flags of `orderdesk serve`.
type serveFlags struct {
	listen, keys, hostKey string
	idle                  time.Duration
}

// serve runs the desk over SSH until SIGTERM or SIGINT: every session
// shares this process's database, sync and outbox.
func (w *wired) serve(o serveFlags) int {
	g := w.g
	if _, err := w.deskConfig(g); err != nil { // a bad [keys] entry stops the server, not each session
		return w.env.Fail(err)
	}
	if o.keys == "" {
		o.keys = filepath.Join(filepath.Dir(config.DefaultPath()), "authorized_keys")
	}
	if o.hostKey == "" {
		o.hostKey = filepath.Join(filepath.Dir(config.DefaultDB()), "ssh_host_ed25519_key")
	}
	if o.idle == 0 {
		o.idle = -1 // never
	}
	var operators map[string]string
	if w.cfg != nil {
		operators = w.cfg.Operators
	}
	srv, err := serve.New(serve.Options{
		Listen: o.listen, AuthorizedKeys: o.keys, HostKey: o.hostKey, Operators: operators,
		IdleTimeout: o.idle, Desk: w.env.Desk, Log: w.env.Stderr,
		Session: func() desk.Config {
			c, _ := w.deskConfig(g) // checked above
			return c
		},
	})
	if err != nil {
		var ke *serve.KeysError
		if errors.As(err, &ke) {
			return w.env.Fail(cli.Usagef("%v", err))
		}
		return w.env.Fail(fmt.Errorf("serve: %w", err))
	}
	stopRelay, err := w.relay(srv.Log)
	if err != nil {
		srv.Log(fmt.Sprintf("commands beside the server cannot reach it: %v", err))
	}
	defer stopRelay.close()
	if w.cfg != nil && w.cfg.Backup.Every > 0 {
		safe.Go(srv.WithLog(w.ctx), func() {
			keepBackups(w.ctx, w.store, w.cfg.Backup, time.Now, srv.Log)
		}, nil)
	}
	if !g.demo && !g.offline {
		ctx := srv.WithLog(w.ctx)
		safe.Go(ctx, func() { w.env.Desk.Sync(ctx, nil, nil) }, nil) // sessions see its progress on the desk's feed
	}
	if err := srv.Serve(w.ctx); err != nil {
		return w.env.Fail(fmt.Errorf("serve: %w", err))
	}
	return cli.ExitOK
}
