package app

import (
	"context"
	"errors"
	"fmt"
	"time"

	tea "charm.land/bubbletea/v2"

	"orderdesk/backend/safe"
	"orderdesk/keymap"
	"orderdesk/ui/cli"
	"orderdesk/ui/desk"
)

// runTUI opens the desk (no subcommand): the terminal UI when stdin and
// stdout are a terminal, else the order list as a table (so
// `orderdesk > file` does something useful).
func runTUI(ctx context.Context, g *globals, std streams) int {
	w, code := wire(ctx, g, std, true)
	if w == nil {
		return code
	}
	defer w.close()
	if !isTerminal(std.in) || !isTerminal(std.out) {
		return w.env.List(cli.ListArgs{Format: "table"})
	}
	cfg, err := w.deskConfig(g)
	if err != nil {
		return w.env.Fail(err)
	}
	// A panic recovered in the desk's background work is shown in the
	// desk as an error; its stack is written to stderr once the terminal
	// is restored.
	var panics safe.Later
	defer panics.WriteTo(std.err)
	ctx = safe.WithLog(ctx, panics.Log)
	// Commands in other terminals run in this process while it holds the
	// database (relay.go); what they log is printed once the terminal is
	// restored (with the panics).
	stopRelay, rerr := w.startRelay(panics.Line)
	if rerr != nil {
		panics.Line(fmt.Sprintf("commands in other terminals could not reach this desk: %v", rerr))
	}
	defer stopRelay.close()
	m := desk.New(ctx, cfg)
	defer m.Close()
	p := tea.NewProgram(m, tea.WithContext(ctx), tea.WithInput(std.in), tea.WithOutput(std.out))
	_, err = p.Run()
	stopRelay.listening()
	// The desk ends its work as serve does: edits being sent get
	// deskGrace to finish (Ctrl-C cuts it short), then what is left is
	// cancelled and given a moment to record how far it got: an
	// interrupted sync keeps its last good pass, an interrupted send is
	// read back on the next start.
	if w.env.Desk.Busy() {
		fmt.Fprintf(std.err, "orderdesk: finishing the syncs and sends in flight (at most %s; Ctrl-C stops them)\n", deskGrace)
	}
	if !w.env.Desk.Shutdown(w.ctx, deskGrace, 3*time.Second, func() { m.Close(); stopRelay.close() }) {
		fmt.Fprintln(std.err, "orderdesk: what was still in flight was interrupted; an edit cut short is read back from its shop on the next start")
	}
	if err != nil && !errors.Is(err, tea.ErrProgramKilled) && !errors.Is(err, context.Canceled) {
		fmt.Fprintln(std.err, "orderdesk:", err)
		return cli.ExitFailed
	}
	// counted in the outbox after the grace: the desk's own count stopped
	// when it left the screen, before the sends it let finish
	if open, err := w.env.Desk.Reader().Edits(""); err == nil && len(open) > 0 {
		fmt.Fprintf(std.err, "%d edit(s) not yet confirmed by the shops are kept in the outbox; `orderdesk pending` lists them, `orderdesk sync` (or the desk) sends them\n", len(open))
	}
	return cli.ExitOK
}

// deskGrace is how long the desk's edits in flight have to finish when
// it quits, as serve's Grace when it stops.
const deskGrace = 10 * time.Second

// deskConfig gathers what a desk session needs: key bindings, saved views
// and export settings from the config (a bad [keys] entry is a usage error
// at its line).
func (w *wired) deskConfig(g *globals) (desk.Config, error) {
	c := desk.Config{
		Desk:      w.env.Desk,
		Loc:       w.env.Loc,
		ShopZones: w.env.ShopZones,
		Operator:  w.env.Operator,
		Offline:   g.offline,
		Keys:      keymap.Default(),
		Dark:      true,
		// --demo synced just now; a configured desk syncs when it opens
		SyncOnStart: !g.demo,
	}
	if w.cfg == nil {
		return c, nil
	}
	keys, probs := keymap.Apply(w.cfg.Keys)
	if len(probs) > 0 {
		var errs []error
		for _, p := range probs {
			errs = append(errs, w.cfg.KeyProblem(p.Action, p.Msg))
		}
		return c, cli.Usagef("%v", errors.Join(errs...))
	}
	c.Keys = keys
	c.ExportBOM = w.cfg.Export.BOM
	for _, v := range w.cfg.Views {
		c.Views = append(c.Views, desk.View{Name: v.Name, Query: v.Query})
	}
	return c, nil
}
