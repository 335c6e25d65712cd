package app

import (
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"time"

	"orderdesk/backend/config"
	"orderdesk/cache"
	"orderdesk/ui/cli"
)

// The damaged-database path of the command line: what every command says
// when the database is damaged, and `orderdesk salvage`.

// writeDamageAdvice says what to do about a damaged database at db.
func writeDamageAdvice(w io.Writer, db string) {
	fmt.Fprintf(w, "Nothing more is written to it. Restore it from a backup, or copy what can still be read into a new database:\n"+
		"  orderdesk salvage NEW.db --db %s\n", db)
}

// openStore opens the database of a command, saying so when Open made the
// file private, and with advice when it is damaged.
func openStore(db string, stderr io.Writer) (*cache.Store, error) {
	st, err := cache.Open(db, cache.Options{Timeout: 2 * time.Second})
	if err != nil {
		fmt.Fprintln(stderr, "orderdesk:", err)
		if errors.Is(err, cache.ErrDamaged) {
			writeDamageAdvice(stderr, db)
		}
		return nil, err
	}
	if was, ok := st.Tightened(); ok {
		fmt.Fprintf(stderr, "orderdesk: %s could be read by other users (mode %04o); it holds customer data, so it is now 0600\n", db, was)
	}
	return st, nil
}

const salvageUsage = "salvage NEW.db [--db FILE]"

// runSalvage is `orderdesk salvage NEW.db [--db SRC]`.
func runSalvage(g *globals, _ *flag.FlagSet, args []string, std streams) int {
	usage := func(format string, a ...any) int {
		fmt.Fprintf(std.err, "orderdesk salvage: "+format+"\n%s(orderdesk salvage --help says more)\n",
			append(a, usageLines("orderdesk "+salvageUsage))...)
		return cli.ExitUsage
	}
	if len(args) != 1 {
		return usage("salvage takes one NEW.db, a file that does not exist yet")
	}
	if g.demo {
		return usage("salvage reads a database file (--db), not the demo")
	}
	src, dst := g.db, args[0]
	if src == "" {
		src = config.DefaultDB()
	}
	if src == "" {
		return usage("no database to read: set XDG_DATA_HOME or HOME, or use --db FILE")
	}
	if fi, err := os.Stat(src); err != nil || !fi.Mode().IsRegular() {
		return usage("no database file at %s", src)
	}
	if a, b := absPath(src), absPath(dst); a == b {
		return usage("NEW.db must be another file than the database it reads (%s)", src)
	}
	rep, err := cache.Salvage(src, dst, cache.Options{})
	switch {
	case errors.Is(err, cache.ErrTargetExists):
		return usage("%v", err)
	case err != nil:
		fmt.Fprintln(std.err, "orderdesk salvage:", err)
		return cli.ExitFailed
	}
	writeSalvageReport(std.out, src, dst, rep)
	return cli.ExitOK
}

func absPath(p string) string {
	if a, err := filepath.Abs(p); err == nil {
		return filepath.Clean(a)
	}
	return p
}

func writeSalvageReport(w io.Writer, src, dst string, r *cache.SalvageReport) {
	fmt.Fprintf(w, "copied from %s into %s:\n", src, dst)
	fmt.Fprintf(w, "  %d orders (%d with the platform's JSON), %d edits, %d audit lines, %d sync cursors\n",
		r.Orders, r.Raw, r.Edits, r.Audit, r.Cursors)
	if r.Loose > 0 {
		fmt.Fprintf(w, "  %d of these records were found outside the file's index (the newest copy of each was taken)\n", r.Loose)
	}
	lost := r.LostOrders+r.LostEdits+r.LostAudit+r.BadPages+r.BadRecords > 0
	if lost {
		fmt.Fprintf(w, "lost: %d orders, %d edits, %d audit lines known to the file's indexes could not be read; "+
			"%d unreadable pages, %d unreadable records\n", r.LostOrders, r.LostEdits, r.LostAudit, r.BadPages, r.BadRecords)
	} else {
		fmt.Fprintln(w, "lost: nothing found missing")
	}
	if r.NoCursors {
		fmt.Fprintln(w, "The sync cursors were not copied: the next sync fetches every order again, which also replaces any older copy taken.")
	}
	fmt.Fprintf(w, "Check it with: orderdesk list --db %s\nThen keep %s aside and put %s in its place (or use --db %s).\n", dst, src, dst, dst)
}
