package cache

import (
	"encoding/binary"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
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
	// ErrTooOpen: the database file can be read by other users and its
	// mode could not be set to 0600 (the file is someone else's).
	ErrTooOpen = errors.New("database readable by other users")
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

// Store is the bbolt implementation of storage.Store. It is safe for
// concurrent use; Close it once when done.
type Store struct {
	db       *bolt.DB
	path     string
	now      func() time.Time
	readOnly bool
	// writing is held shared by every write and exclusively by Verify:
	// bbolt's check in a read transaction must not overlap a write.
	writing sync.RWMutex
	// tightened is the mode the file had when Open set it to 0600; 0 when
	// it was private already.
	tightened os.FileMode
	damageMu  sync.Mutex
	damage    *DamagedError // the first damage found; then nothing is written
	// A Scan checks its resident file pages every dropRows rows and drops
	// them when over dropBytes (mapped.go).
	dropRows  int
	dropBytes int64
}

// Open opens (read-write: creating, with its 0700 parent directory and as
// a 0600 file) the database at path. It fails with *LockedError when
// another process keeps it locked for opt.Timeout, with ErrNotDatabase
// when the file is something else, with ErrNewerSchema when a newer
// orderdesk wrote it, and with a *DamagedError when bbolt finds a corrupt
// page or the file is shorter than its pages; in those cases nothing is
// written to the file. An existing file that group or others may read is
// set to 0600 (Tightened reports it), or refused with ErrTooOpen when that
// fails.
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
	s := &Store{path: path, now: opt.Now, readOnly: opt.ReadOnly, dropRows: dropRows, dropBytes: dropBytes}
	var file *os.File
	bopt := &bolt.Options{Timeout: opt.Timeout, ReadOnly: opt.ReadOnly,
		OpenFile: func(name string, flag int, perm os.FileMode) (*os.File, error) {
			f, err := os.OpenFile(name, flag, perm)
			if err != nil {
				return nil, err
			}
			if s.tightened, err = makePrivate(f); err == nil {
				err = checkLength(f)
			}
			if err != nil {
				_ = f.Close()
				return nil, err
			}
			file = f
			return f, nil
		}}
	err := s.guard("open", func() error {
		db, err := bolt.Open(path, 0o600, bopt)
		s.db = db
		return err
	})
	if err != nil {
		if s.db == nil && file != nil && errors.Is(err, ErrDamaged) {
			// bbolt panicked inside Open: release the file and its lock
			// (its mapping stays until the process exits).
			unlock(file)
			_ = file.Close()
		}
		return nil, openError(path, err)
	}
	if err := s.initSchema(); err != nil {
		_ = s.db.Close()
		return nil, err
	}
	if !opt.ReadOnly {
		// Best effort: the pid only improves the message a second opener
		// gets; failing to write it is no reason to refuse the database.
		writePID(pidPath(path))
	}
	return s, nil
}

// makePrivate sets an existing database file that group or others may
// read or write to 0600, returning the mode it had (0 when it was private).
func makePrivate(f *os.File) (os.FileMode, error) {
	fi, err := f.Stat()
	if err != nil || fi.Mode().Perm()&0o077 == 0 || !fi.Mode().IsRegular() {
		return 0, err
	}
	if err := f.Chmod(0o600); err != nil {
		return 0, fmt.Errorf("%w: mode %04o, and it cannot be changed (%w); run chmod 600 on it as its owner",
			ErrTooOpen, fi.Mode().Perm(), err)
	}
	return fi.Mode().Perm(), nil
}

// Tightened returns the mode the file had when Open set it to 0600
// (ok false when it was private already).
func (s *Store) Tightened() (was os.FileMode, ok bool) { return s.tightened, s.tightened != 0 }

func openError(path string, err error) error {
	switch {
	case errors.Is(err, ErrDamaged):
		return err
	case errors.Is(err, ErrTooOpen):
		return fmt.Errorf("open database %s: %w", path, err)
	case errors.Is(err, berrors.ErrTimeout):
		return &LockedError{Path: path, PID: readPID(path)}
	case errors.Is(err, berrors.ErrInvalid), errors.Is(err, berrors.ErrVersionMismatch),
		errors.Is(err, berrors.ErrChecksum), strings.Contains(err.Error(), "file size too small"):
		return fmt.Errorf("open database %s: %w (%v)", path, ErrNotDatabase, err)
	}
	return fmt.Errorf("open database %s: %w", path, err)
}

func pidPath(path string) string { return path + ".pid" }

// initSchema checks the file's length and schema version, and on a new
// (empty) read-write file creates every bucket. A file with a schema but
// without one of its buckets is damaged (this version's buckets are made
// together): nothing is written unless the file is new.
func (s *Store) initSchema() error {
	var version uint64
	var fresh bool
	err := s.guard("open", func() error {
		return s.db.View(func(tx *bolt.Tx) error {
			meta := tx.Bucket([]byte(bMeta))
			if meta == nil {
				empty := true
				_ = tx.ForEach(func([]byte, *bolt.Bucket) error { empty = false; return nil })
				if !empty {
					return fmt.Errorf("database %s: %w (it has no orderdesk schema)", s.path, ErrNotDatabase)
				}
				fresh = true
				return nil
			}
			v := meta.Get([]byte(schemaKey))
			if len(v) != 8 {
				return fmt.Errorf("database %s: %w (unreadable schema version)", s.path, ErrNotDatabase)
			}
			version = binary.BigEndian.Uint64(v)
			if version > SchemaVersion {
				return nil
			}
			_, err := tablesOf(tx)
			return err
		})
	})
	switch {
	case err != nil:
		return err
	case version > SchemaVersion:
		return fmt.Errorf("database %s has schema version %d, this orderdesk reads up to %d: %w; upgrade orderdesk",
			s.path, version, SchemaVersion, ErrNewerSchema)
	case !fresh:
		return nil
	case s.readOnly:
		return fmt.Errorf("database %s is not initialised; open it once without read-only", s.path)
	}
	err = s.guard("create schema", func() error {
		return s.db.Update(func(tx *bolt.Tx) error {
			for _, n := range bucketNames() {
				if _, err := tx.CreateBucketIfNotExists([]byte(n)); err != nil {
					return err
				}
			}
			return tx.Bucket([]byte(bMeta)).Put([]byte(schemaKey), binary.BigEndian.AppendUint64(nil, SchemaVersion))
		})
	})
	if err != nil {
		return fmt.Errorf("database %s: create schema: %w", s.path, err)
	}
	return nil
}

// checkLength finds a truncated file before bbolt maps it: the pages of
// its current meta page reach that meta's high-water mark, which a healthy
// file always covers (bbolt grows the file before it writes the meta);
// bbolt itself would read past the end, a fault.
func checkLength(f *os.File) error {
	pf, err := openPageFile(f)
	if err != nil || len(pf.metas) == 0 {
		return err // a new file, or not a database: bbolt says which
	}
	if want := int64(pf.metas[0].hwm) * pf.pageSize; pf.size < want {
		return damagef("the file is %d bytes, its pages need %d: it was cut short (an interrupted copy?)", pf.size, want)
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
			return nil, damagef("bucket %s missing", n)
		}
	}
	return t, nil
}

// view and update run fn with the buckets, wrapping errors with what and
// the path. A panic of bbolt's becomes a *DamagedError (see guard); once
// damage was found, update writes nothing.
func (s *Store) view(what string, fn func(t *tables) error) error {
	return s.wrap(what, s.guard(what, func() error {
		return s.db.View(withTables(fn))
	}))
}

func (s *Store) update(what string, fn func(t *tables) error) error {
	if s.readOnly {
		return fmt.Errorf("cache %s: %s: database opened read-only", s.path, what)
	}
	if err := s.refuseWrite(what); err != nil {
		return err
	}
	s.writing.RLock()
	defer s.writing.RUnlock()
	return s.wrap(what, s.guard(what, func() error {
		return s.db.Update(withTables(fn))
	}))
}

// withTables is a bbolt transaction function running fn with the buckets.
func withTables(fn func(t *tables) error) func(tx *bolt.Tx) error {
	return func(tx *bolt.Tx) error {
		t, err := tablesOf(tx)
		if err != nil {
			return err
		}
		return fn(t)
	}
}

// wrap adds the path and what to an error; a *DamagedError has them.
func (s *Store) wrap(what string, err error) error {
	if err == nil || errors.Is(err, ErrDamaged) {
		return err
	}
	return fmt.Errorf("cache %s: %s: %w", s.path, what, err)
}
