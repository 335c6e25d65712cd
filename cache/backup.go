package cache

import (
	"errors"
	"fmt"
	"os"
	"path/filepath"

	bolt "go.etcd.io/bbolt"

	"orderdesk/backend"
)

// ErrExists is returned by BackupTo when the file is there and replace is
// false: the file is left as it was.
var ErrExists = errors.New("file exists")

// BackupInfo tells what a backup holds: counted in the transaction that
// wrote it, so they match the copy.
type BackupInfo struct {
	Path   string
	Bytes  int64
	Orders int // cached orders
	Open   int // edits in the outbox not yet done or discarded
}

// BackupTo writes a consistent copy of the database to path while it is
// in use (bbolt's Tx.WriteTo in one read transaction: writes go on
// meanwhile). The copy goes to a temporary file beside path, is flushed
// to the disk, and then takes path's place, so path is never half
// written: it is the whole copy or what it was. With replace false an
// existing path is refused with ErrExists and left untouched (a file
// created at path meanwhile is not overwritten either). The copy is
// private (0600) like the database.
func (s *Store) BackupTo(path string, replace bool) (BackupInfo, error) {
	info := BackupInfo{Path: path}
	if _, err := os.Lstat(path); err == nil && !replace {
		return info, fmt.Errorf("backup %s: %w (use --force to replace it)", path, ErrExists)
	}
	dir := filepath.Dir(path)
	tmp, err := os.CreateTemp(dir, "."+filepath.Base(path)+".tmp-*")
	if err != nil {
		return info, fmt.Errorf("backup %s: %w", path, err)
	}
	defer os.Remove(tmp.Name()) // after the rename or link, a no-op or the spare name
	err = s.guard("backup", func() error {
		return s.db.View(func(tx *bolt.Tx) error {
			t, err := tablesOf(tx)
			if err != nil {
				return err
			}
			info.Orders = t.orders.Stats().KeyN
			_ = eachOpenEdit(t, func(*backend.Edit) error { info.Open++; return nil })
			info.Bytes, err = tx.WriteTo(tmp)
			return err
		})
	})
	if err == nil {
		err = tmp.Sync()
	}
	if cerr := tmp.Close(); err == nil {
		err = cerr
	}
	if err == nil {
		err = place(tmp.Name(), path, replace)
	}
	if err == nil {
		err = syncDir(dir)
	}
	if err != nil {
		if errors.Is(err, ErrExists) {
			return info, fmt.Errorf("backup %s: %w (use --force to replace it)", path, ErrExists)
		}
		return info, s.wrap("backup to "+path, err)
	}
	return info, nil
}

// place puts the finished copy at path: a rename when it may replace
// what is there, else a hard link, which fails when path exists (a file
// created since the check is not overwritten).
func place(tmp, path string, replace bool) error {
	if replace {
		return os.Rename(tmp, path)
	}
	err := os.Link(tmp, path)
	switch {
	case err == nil:
		return nil
	case errors.Is(err, os.ErrExist):
		return ErrExists
	}
	// A file system without hard links: check, then rename.
	if _, serr := os.Lstat(path); serr == nil {
		return ErrExists
	}
	return os.Rename(tmp, path)
}

// syncDir flushes a directory's entries (a rename into it), best effort
// where directories cannot be opened for it.
func syncDir(dir string) error {
	d, err := os.Open(dir)
	if err != nil {
		return nil
	}
	defer d.Close()
	if err := d.Sync(); err != nil && !errors.Is(err, os.ErrInvalid) {
		return err
	}
	return nil
}
