package app

import (
	"errors"
	"fmt"

	"orderdesk/cache"
	"orderdesk/ui/cli"
)

// backup writes `orderdesk backup FILE`: a hot copy of the database.
func (w *wired) backup(path string, force bool) int {
	info, err := w.store.BackupTo(path, force)
	if errors.Is(err, cache.ErrExists) {
		return w.env.Fail(cli.Usagef("%v", err))
	}
	if err != nil {
		return w.env.Fail(err)
	}
	fmt.Fprintf(w.env.Stdout, "wrote %s: %d orders, %d edits in the outbox, %s\n",
		info.Path, info.Orders, info.Open, sizeText(info.Bytes))
	return cli.ExitOK
}

// sizeText writes a byte count for people: 812 KB, 3.4 MB, 1.2 GB.
func sizeText(n int64) string {
	switch {
	case n >= 1<<30:
		return fmt.Sprintf("%.1f GB", float64(n)/(1<<30))
	case n >= 1<<20:
		return fmt.Sprintf("%.1f MB", float64(n)/(1<<20))
	}
	return fmt.Sprintf("%d KB", (n+1023)/1024)
}
