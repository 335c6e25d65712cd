package app

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"time"

	"orderdesk/backend/config"
	"orderdesk/cache"
)

// Rotating backups of `orderdesk serve` (the config's [backup] table):
// every Every a hot copy named orderdesk-YYYYMMDDTHHMMSSZ.db in Dir
// ("backups" beside the database by default), keeping the newest Keep.
// The newest backup already there sets when the next is due, so a
// restarted server does not write one at every start. Only files of that
// name pattern are ever removed.

const (
	backupPrefix = "orderdesk-"
	backupSuffix = ".db"
	backupStamp  = "20060102T150405Z"
)

// backupDir is where rotating backups of the database at db go.
func backupDir(b config.Backup, db string) string {
	if b.Dir != "" {
		return b.Dir
	}
	return filepath.Join(filepath.Dir(db), "backups")
}

// backupsIn lists the rotating backups in dir, oldest first, with their
// times (from their names).
func backupsIn(dir string) ([]string, []time.Time) {
	ents, err := os.ReadDir(dir)
	if err != nil {
		return nil, nil
	}
	var names []string
	var times []time.Time
	for _, e := range ents {
		n := e.Name()
		stamp, ok := strings.CutPrefix(n, backupPrefix)
		stamp, ok2 := strings.CutSuffix(stamp, backupSuffix)
		if !ok || !ok2 || !e.Type().IsRegular() {
			continue
		}
		t, err := time.Parse(backupStamp, stamp)
		if err != nil {
			continue
		}
		names = append(names, filepath.Join(dir, n))
		times = append(times, t)
	}
	// the stamps sort as the names do
	return names, times
}

// nextBackup is when the next backup is due: at once without one, else
// Every after the newest.
func nextBackup(dir string, every time.Duration, now time.Time) time.Time {
	_, times := backupsIn(dir)
	if len(times) == 0 {
		return now
	}
	return slices.MaxFunc(times, time.Time.Compare).Add(every)
}

// rotateBackup writes one backup into dir and removes the oldest beyond
// keep. It returns what it wrote and removed.
func rotateBackup(st *cache.Store, dir string, keep int, now time.Time) (cache.BackupInfo, []string, error) {
	if err := os.MkdirAll(dir, 0o700); err != nil {
		return cache.BackupInfo{}, nil, fmt.Errorf("backup: %w", err)
	}
	path := filepath.Join(dir, backupPrefix+now.UTC().Format(backupStamp)+backupSuffix)
	info, err := st.BackupTo(path, false)
	if err != nil {
		return info, nil, err
	}
	names, _ := backupsIn(dir)
	var removed []string
	for len(names) > keep {
		if err := os.Remove(names[0]); err == nil {
			removed = append(removed, names[0])
		}
		names = names[1:]
	}
	return info, removed, nil
}

// keepBackups writes rotating backups until ctx ends. A failed backup is
// logged and tried again in an hour (or at Every when that is sooner).
func keepBackups(ctx context.Context, st *cache.Store, b config.Backup, now func() time.Time, log func(string)) {
	dir := backupDir(b, st.Path())
	due := nextBackup(dir, b.Every, now())
	log(fmt.Sprintf("backups: every %s into %s, keeping %d; next at %s", b.Every, dir, b.Keep, due.UTC().Format(time.RFC3339)))
	for {
		t := time.NewTimer(max(due.Sub(now()), 0))
		select {
		case <-ctx.Done():
			t.Stop()
			return
		case <-t.C:
		}
		info, removed, err := rotateBackup(st, dir, b.Keep, now())
		if err != nil {
			log(fmt.Sprintf("backups: %v; trying again later", err))
			due = now().Add(min(b.Every, time.Hour))
			continue
		}
		log(fmt.Sprintf("backups: wrote %s (%d orders, %d edits in the outbox, %s); removed %d old", info.Path, info.Orders, info.Open, sizeText(info.Bytes), len(removed)))
		due = now().Add(b.Every)
	}
}
