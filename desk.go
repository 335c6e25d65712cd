package main

import (
	"context"
	"errors"
	"fmt"

	tea "charm.land/bubbletea/v2"

	"orderdesk/keymap"
	"orderdesk/ui/cli"
	"orderdesk/ui/desk"
)

// runDesk opens the desk (no subcommand): the terminal UI when stdin and
// stdout are a terminal, else the order list as a table (so
// `orderdesk > file` does something useful).
func runDesk(ctx context.Context, g *globals, io stdio) int {
	d, code := wire(ctx, g, io, true)
	if d == nil {
		return code
	}
	defer d.close()
	if !isTerminal(io.in) || !isTerminal(io.out) {
		return d.env.List(cli.ListArgs{Format: "table"})
	}
	cfg, err := d.deskConfig(g)
	if err != nil {
		return d.env.Fail(err)
	}
	m := desk.New(ctx, cfg)
	defer m.Close()
	p := tea.NewProgram(m, tea.WithContext(ctx), tea.WithInput(io.in), tea.WithOutput(io.out))
	if _, err := p.Run(); err != nil && !errors.Is(err, tea.ErrProgramKilled) && !errors.Is(err, context.Canceled) {
		fmt.Fprintln(io.err, "orderdesk:", err)
		return cli.ExitFailed
	}
	if n := m.OpenEdits(); n > 0 {
		fmt.Fprintf(io.err, "%d edit(s) not yet confirmed by the shops are kept in the outbox; `orderdesk pending` lists them, `orderdesk sync` (or the desk) sends them\n", n)
	}
	return cli.ExitOK
}

// deskConfig gathers what a desk session needs: key bindings and saved
// views from the config (a bad [keys] entry is a usage error at its line).
func (d *deskEnv) deskConfig(g *globals) (desk.Config, error) {
	c := desk.Config{
		Desk:      d.env.Desk,
		Loc:       d.env.Loc,
		ShopZones: d.env.ShopZones,
		Operator:  d.env.Operator,
		Offline:   g.offline,
		Keys:      keymap.Default(),
		Dark:      true,
		// --demo synced just now; a configured desk syncs when it opens
		SyncOnStart: !g.demo,
	}
	if d.cfg == nil {
		return c, nil
	}
	keys, probs := keymap.Apply(d.cfg.Keys)
	if len(probs) > 0 {
		var errs []error
		for _, p := range probs {
			errs = append(errs, d.cfg.KeyProblem(p.Action, p.Msg))
		}
		return c, cli.Usagef("%v", errors.Join(errs...))
	}
	c.Keys = keys
	for _, v := range d.cfg.Views {
		c.Views = append(c.Views, desk.View{Name: v.Name, Query: v.Query})
	}
	return c, nil
}
