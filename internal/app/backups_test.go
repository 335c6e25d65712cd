package app

import (
	"os"
	"path/filepath"
	"testing"
	"time"

	"orderdesk/backend/config"
	"orderdesk/cache"
)

// Rotating backups keep the newest keep, touch no other file, and the
// newest sets when the next one is due.
func TestRotatingBackups(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	st, err := cache.Open(filepath.Join(dir, "orderdesk.db"), cache.Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	b := config.Backup{Every: 24 * time.Hour, Keep: 2}
	bdir := backupDir(b, st.Path())
	if bdir != filepath.Join(dir, "backups") {
		t.Fatalf("default dir %s", bdir)
	}
	t0 := time.Date(2026, 12, 1, 3, 0, 0, 0, time.UTC)
	if due := nextBackup(bdir, b.Every, t0); !due.Equal(t0) {
		t.Fatalf("first backup due %v, want now", due)
	}
	if err := os.MkdirAll(bdir, 0o700); err != nil {
		t.Fatal(err)
	}
	mine := filepath.Join(bdir, "orderdesk-keep-me.db")
	if err := os.WriteFile(mine, []byte("x"), 0o600); err != nil {
		t.Fatal(err)
	}
	for i := range 4 {
		if _, _, err := rotateBackup(st, bdir, b.Keep, t0.Add(time.Duration(i)*b.Every)); err != nil {
			t.Fatal(err)
		}
	}
	names, times := backupsIn(bdir)
	want := []string{"orderdesk-20261203T030000Z.db", "orderdesk-20261204T030000Z.db"}
	if len(names) != 2 || filepath.Base(names[0]) != want[0] || filepath.Base(names[1]) != want[1] {
		t.Fatalf("kept %v, want %v", names, want)
	}
	if _, err := os.Stat(mine); err != nil {
		t.Fatal("a file not named like a backup was removed")
	}
	if due := nextBackup(bdir, b.Every, t0); !due.Equal(times[1].Add(b.Every)) {
		t.Fatalf("next due %v", due)
	}
}
