package cache

import (
	"encoding/binary"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	stdsync "sync"
	"time"

	bolt "go.etcd.io/bbolt"
	berrors "go.etcd.io/bbolt/errors"
)

// SchemaVersion is the layout this package reads and writes.
const SchemaVersion = 1

var (
	// ErrNotDatabase: the file is not an orderdesk database (another bbolt
	// file, another kind of file, or one damaged beyond opening).
	ErrNotDatabase = errors.New("not an orderdesk database")
	// ErrNewerSchema: the file was written by a newer orderdesk; nothing
	// was written to it.
	ErrNewerSchema = errors.New("database written by a newer orderdesk")
	// ErrDamaged: an index or row does not match the orders it describes.
	ErrDamaged = errors.New("cache damaged")
)

// LockedError says another process holds the database. PID is 0 when the
// holder's pid could not be read.
type LockedError struct {
	Path string
	PID  int
}

func (e *LockedError) Error() string {
	who := "another process"
	if e.PID > 0 {
		who = "pid " + strconv.Itoa(e.PID)
	}
	return fmt.Sprintf("database %s is already in use by %s; use --db, or the SSH server for shared use", e.Path, who)
}

// Options configure Open. Zero values get defaults.
type Options struct {
	Timeout  time.Duration    // how long to wait for the file lock; default 2 s
	Now      func() time.Time // the clock for audit lines and edit times; default time.Now
	ReadOnly bool             // shared lock, no writes; the file must exist and be initialised
}

// Store is the bbolt implementation of sync.Store. It is safe for
// concurrent use; Close it once when done.
type Store struct {
	db       *bolt.DB
	path     string
	now      func() time.Time
	readOnly bool
	// writing is held shared by every write and exclusively by Verify:
	// bbolt's check in a read transaction must not overlap a write.
	writing stdsync.RWMutex
}

// Open opens (read-write: creating, with its 0700 parent directory and as
// a 0600 file) the database at path. It fails with *LockedError when
// another process keeps it locked for opt.Timeout, with ErrNotDatabase
// when the file is something else, and with ErrNewerSchema when a newer
// orderdesk wrote it; in those cases nothing is written to the file.
func Open(path string, opt Options) (*Store, error) {
	if opt.Timeout <= 0 {
		opt.Timeout = 2 * time.Second
	}
	if opt.Now == nil {
		opt.Now = time.Now
	}
	if !opt.ReadOnly {
		if err := os.MkdirAll(filepath.Dir(path), 0o700); err != nil {
			return nil, fmt.Errorf("open database %s: %w", path, err)
		}
	}
	db, err := bolt.Open(path, 0o600, &bolt.Options{Timeout: opt.Timeout, ReadOnly: opt.ReadOnly})
	if err != nil {
		return nil, openError(path, err)
	}
	s := &Store{db: db, path: path, now: opt.Now, readOnly: opt.ReadOnly}
	if err := s.initSchema(); err != nil {
		_ = db.Close()
		return nil, err
	}
	if !opt.ReadOnly {
		// Best effort: the pid only improves the message a second opener
		// gets; failing to write it is no reason to refuse the database.
		_ = os.WriteFile(pidPath(path), []byte(strconv.Itoa(os.Getpid())+"\n"), 0o600)
	}
	return s, nil
}

func openError(path string, err error) error {
	switch {
	case errors.Is(err, berrors.ErrTimeout):
		return &LockedError{Path: path, PID: readPID(path)}
	case errors.Is(err, berrors.ErrInvalid), errors.Is(err, berrors.ErrVersionMismatch),
		errors.Is(err, berrors.ErrChecksum), strings.Contains(err.Error(), "file size too small"):
		return fmt.Errorf("open database %s: %w (%v)", path, ErrNotDatabase, err)
	}
	return fmt.Errorf("open database %s: %w", path, err)
}

func pidPath(path string) string { return path + ".pid" }

// readPID returns the pid in the sidecar file, or 0.
func readPID(path string) int {
	b, err := os.ReadFile(pidPath(path))
	if err != nil {
		return 0
	}
	pid, err := strconv.Atoi(strings.TrimSpace(string(b)))
	if err != nil || pid <= 0 {
		return 0
	}
	return pid
}

// initSchema checks the schema version, and on a new (empty) read-write
// file creates every bucket. Nothing is written unless the file is new or
// lacks a bucket of this version.
func (s *Store) initSchema() error {
	var version uint64
	var missing bool
	err := s.db.View(func(tx *bolt.Tx) error {
		meta := tx.Bucket([]byte(bMeta))
		if meta == nil {
			empty := true
			_ = tx.ForEach(func([]byte, *bolt.Bucket) error { empty = false; return nil })
			if !empty {
				return fmt.Errorf("database %s: %w (it has no orderdesk schema)", s.path, ErrNotDatabase)
			}
			missing = true
			return nil
		}
		v := meta.Get([]byte(schemaKey))
		if len(v) != 8 {
			return fmt.Errorf("database %s: %w (unreadable schema version)", s.path, ErrNotDatabase)
		}
		version = binary.BigEndian.Uint64(v)
		for _, n := range bucketNames() {
			missing = missing || tx.Bucket([]byte(n)) == nil
		}
		return nil
	})
	switch {
	case err != nil:
		return err
	case version > SchemaVersion:
		return fmt.Errorf("database %s has schema version %d, this orderdesk reads up to %d: %w; upgrade orderdesk",
			s.path, version, SchemaVersion, ErrNewerSchema)
	case !missing:
		return nil
	case s.readOnly:
		return fmt.Errorf("database %s is not initialised; open it once without read-only", s.path)
	}
	err = s.db.Update(func(tx *bolt.Tx) error {
		for _, n := range bucketNames() {
			if _, err := tx.CreateBucketIfNotExists([]byte(n)); err != nil {
				return err
			}
		}
		return tx.Bucket([]byte(bMeta)).Put([]byte(schemaKey), binary.BigEndian.AppendUint64(nil, SchemaVersion))
	})
	if err != nil {
		return fmt.Errorf("database %s: create schema: %w", s.path, err)
	}
	return nil
}

// Path is the database file.
func (s *Store) Path() string { return s.path }

// Close releases the file and its lock, and removes the pid sidecar when
// it still names this process.
func (s *Store) Close() error {
	err := s.db.Close()
	if !s.readOnly && readPID(s.path) == os.Getpid() {
		_ = os.Remove(pidPath(s.path))
	}
	if err != nil {
		return fmt.Errorf("close database %s: %w", s.path, err)
	}
	return nil
}

// tables are the buckets of one transaction.
type tables struct {
	meta, orders, raw, rows, created, byNumber, byTracking, open *bolt.Bucket
	edits, editsByRef, editsOpen, audit, auditByRef, cursors     *bolt.Bucket
}

func tablesOf(tx *bolt.Tx) (*tables, error) {
	t := &tables{}
	dst := []**bolt.Bucket{&t.meta, &t.orders, &t.raw, &t.rows, &t.created, &t.byNumber, &t.byTracking, &t.open,
		&t.edits, &t.editsByRef, &t.editsOpen, &t.audit, &t.auditByRef, &t.cursors}
	for i, n := range bucketNames() {
		if *dst[i] = tx.Bucket([]byte(n)); *dst[i] == nil {
			return nil, fmt.Errorf("bucket %s missing: %w", n, ErrDamaged)
		}
	}
	return t, nil
}

// view and update run fn with the buckets, wrapping errors with what and
// the path.
func (s *Store) view(what string, fn func(t *tables) error) error {
	return s.wrap(what, s.db.View(func(tx *bolt.Tx) error {
		t, err := tablesOf(tx)
		if err != nil {
			return err
		}
		return fn(t)
	}))
}

func (s *Store) update(what string, fn func(t *tables) error) error {
	if s.readOnly {
		return fmt.Errorf("cache %s: %s: database opened read-only", s.path, what)
	}
	s.writing.RLock()
	defer s.writing.RUnlock()
	return s.wrap(what, s.db.Update(func(tx *bolt.Tx) error {
		t, err := tablesOf(tx)
		if err != nil {
			return err
		}
		return fn(t)
	}))
}

func (s *Store) wrap(what string, err error) error {
	if err == nil {
		return nil
	}
	return fmt.Errorf("cache %s: %s: %w", s.path, what, err)
}
