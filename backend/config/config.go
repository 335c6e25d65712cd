// Package config reads the desk's configuration file: the display time
// zone, the operator's name, the shops with where their secrets come from,
// saved views, key bindings, SSH operators and how CSV files are exported.
//
// Contracts and decisions the spec leaves open:
//
//   - Every mistake is reported as "FILE:LINE: KEY: message", all of them at
//     once, sorted by line. Keys are written as in the file with 1-based
//     array elements: shops[2].platform is the platform of the second
//     [[shops]] table. Unknown keys are errors (a typo must not silently
//     drop a setting), with a "did you mean" for near misses; so are keys
//     that the shop's platform does not use (username on a shopline shop).
//   - Secrets are resolved lazily by Shop.Resolve, only by commands that talk
//     to the shop: Load never runs a *_cmd nor reads a *_env variable, so a
//     broken password manager does not stop `list` or `show`. A secret
//     written in the file is refused at Resolve when the file was readable
//     by group or others at Load (mode & 0o077 != 0, as ssh does with keys).
//   - A *_cmd runs with `sh -c`, stdin from /dev/null, the desk's
//     environment, and a 10 s limit. The secret is the first non-blank line of its
//     stdout, trimmed (the `pass` convention: metadata may follow). Its
//     stdout is never shown; the first line of its stderr is, scrubbed of
//     anything stdout printed. On timeout the shell is killed; a grandchild
//     it started may outlive it (no process group: a command that prompts on
//     the terminal must stay in the foreground group).
//   - A *_env value is used verbatim (a password may have spaces); empty is
//     an error. *_env must be an environment variable name, checked at Load,
//     so a token pasted there by mistake is never echoed in "not set".
//   - A shop without `timezone` uses the top-level one, which defaults to
//     the system's zone: operators usually run shops in their own region.
//     The IANA database is embedded (time/tzdata), so zone names load the
//     same on a bare server as on a laptop.
//   - Shop names are unique ignoring case and may not contain ':' (refs are
//     SHOP:NUMBER) nor begin or end with spaces. View names are unique too.
//   - The `[keys]` table is kept as written (one key or a list of keys per
//     action); the keymap package validates action names and keys, and
//     reports through Config.KeyProblem to name the line.
package config

import (
	"cmp"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"slices"
	"time"
	_ "time/tzdata" // zone names must load on hosts without /usr/share/zoneinfo

	"orderdesk/backend"
	"orderdesk/backend/inputfile"
)

// maxFileSize bounds what Load reads: a config file is a few kilobytes.
const maxFileSize = 1 << 20

// DefaultCommandTimeout bounds a *_cmd.
const DefaultCommandTimeout = 10 * time.Second

// Config is a loaded configuration file.
type Config struct {
	Path     string
	Timezone *time.Location // display zone; time.Local when unset
	Operator string         // "" when unset: the caller uses the OS or SSH user
	// Timeout is the shops' default call limit (backend.DefaultCallLimit
	// when unset); a shop's own timeout overrides it (Shop.Timeout).
	Timeout time.Duration
	// RecheckWindow and RecheckEvery are the shops' defaults (0: the
	// built-in ones); a shop's own keys override them.
	RecheckWindow time.Duration
	RecheckEvery  time.Duration
	Shops         []Shop
	Views         []View
	// Keys maps an action to the keys bound to it, as written in [keys];
	// KeyLines gives the line of each action.
	Keys     map[string][]string
	KeyLines map[string]int
	// Operators maps an SSH key fingerprint ("SHA256:…") to the operator
	// name `orderdesk serve` records for edits made with that key.
	Operators map[string]string
	Export    Export
	Backup    Backup
}

// Backup is the [backup] table: the rotating backups orderdesk serve
// keeps. Every is 0 when the table is absent (no backups); Dir "" means
// "backups" beside the database.
type Backup struct {
	Every time.Duration
	Keep  int
	Dir   string
}

// Export is the [export] table: how the desk's export (X) and `orderdesk
// list --format csv` write CSV files.
type Export struct {
	// BOM starts the file with a UTF-8 byte order mark, so Excel (which
	// otherwise reads CSV in the system's legacy code page) shows 李娜
	// rather than mojibake. Off by default: most other tools do not need
	// it and a few show it.
	BOM bool
}

// View is a saved view: a tab named Name showing the orders matching Query.
type View struct {
	Name  string
	Query string
	Line  int // line of its [[views]] table
}

// Options adjust Load. The zero value is ready to use.
type Options struct {
	// LookupEnv reads *_env variables and XDG_CONFIG_HOME/HOME when the path
	// is empty; nil means os.LookupEnv.
	LookupEnv func(string) (string, bool)
	// CheckQuery validates the query of each [[views]] table; nil skips it.
	CheckQuery func(string) error
	// CommandTimeout bounds each *_cmd; 0 means DefaultCommandTimeout.
	CommandTimeout time.Duration
}

func (o Options) withDefaults() Options {
	if o.LookupEnv == nil {
		o.LookupEnv = os.LookupEnv
	}
	if o.CommandTimeout <= 0 {
		o.CommandTimeout = DefaultCommandTimeout
	}
	return o
}

// Problem is one mistake, located in the config file. Load returns one
// Problem, or several joined with errors.Join (errors.As finds the first).
// Its text never contains a secret.
type Problem struct {
	Path string // the config file
	Line int    // 1-based; 0 when unknown
	Key  string // e.g. "shops[2].platform"; "" for a syntax error
	Msg  string
	Err  error // ErrSecret when a secret could not be obtained; else nil
}

// ErrSecret marks a Problem raised by Shop.Resolve: the shop's password or
// token could not be obtained, the file itself may be fine.
var ErrSecret = errors.New("secret unavailable")

func (p *Problem) Error() string {
	s := p.Path
	if p.Line > 0 {
		s = fmt.Sprintf("%s:%d", s, p.Line)
	}
	if p.Key != "" {
		s += ": " + backend.Excerpt(p.Key) // a key is what the file says: an unknown one may be anything
	}
	return s + ": " + p.Msg
}

func (p *Problem) Unwrap() error { return p.Err }

// MissingError is returned by Load when the config file does not exist. Its
// message says where the file was looked for, shows a minimal config and
// points to --demo. errors.Is(err, fs.ErrNotExist) holds.
type MissingError struct {
	Path    string
	Default bool // Path is the default location, not one given with --config
}

func (e *MissingError) Error() string { return missingMessage(e.Path, e.Default) }
func (e *MissingError) Unwrap() error { return fs.ErrNotExist }

// DefaultPath is $XDG_CONFIG_HOME/orderdesk/config.toml, or
// ~/.config/orderdesk/config.toml when XDG_CONFIG_HOME is unset or not
// absolute; "" when neither it nor $HOME is set (Load("") then says so).
func DefaultPath() string {
	p, _ := DefaultPathFrom(os.LookupEnv)
	return p
}

// DefaultDB is $XDG_DATA_HOME/orderdesk/orderdesk.db, or
// ~/.local/share/orderdesk/orderdesk.db (the outbox is data, not a cache);
// "" when neither it nor $HOME is set.
func DefaultDB() string {
	p, _ := DefaultDBFrom(os.LookupEnv)
	return p
}

// DefaultPathFrom is DefaultPath reading the environment through lookupEnv
// (nil means os.LookupEnv), with an error saying what is missing.
func DefaultPathFrom(lookupEnv func(string) (string, bool)) (string, error) {
	return xdgPath(lookupEnv, "XDG_CONFIG_HOME", ".config", "config.toml")
}

// DefaultDBFrom is DefaultDB reading the environment through lookupEnv.
func DefaultDBFrom(lookupEnv func(string) (string, bool)) (string, error) {
	return xdgPath(lookupEnv, "XDG_DATA_HOME", filepath.Join(".local", "share"), "orderdesk.db")
}

func xdgPath(lookupEnv func(string) (string, bool), xdgVar, homeRel, file string) (string, error) {
	if lookupEnv == nil {
		lookupEnv = os.LookupEnv
	}
	// The XDG spec says a relative value is invalid and must be ignored.
	if dir, _ := lookupEnv(xdgVar); filepath.IsAbs(dir) {
		return filepath.Join(dir, "orderdesk", file), nil
	}
	home, _ := lookupEnv("HOME")
	if home == "" {
		return "", fmt.Errorf("cannot place orderdesk/%s: neither $%s nor $HOME is set", file, xdgVar)
	}
	return filepath.Join(home, homeRel, "orderdesk", file), nil
}

// Load reads and validates the config file at path ("" = DefaultPath). It
// runs no command and reads no secret (see Shop.Resolve). Errors: a
// *MissingError when the file does not exist, one or more *Problem when it
// is wrong, else an I/O error naming the path.
func Load(path string, opt Options) (*Config, error) {
	opt = opt.withDefaults()
	def, defErr := DefaultPathFrom(opt.LookupEnv)
	if path == "" {
		if defErr != nil {
			return nil, fmt.Errorf("config: %w; give one with --config FILE", defErr)
		}
		path = def
	}
	data, perm, err := readFile(path)
	if errors.Is(err, fs.ErrNotExist) {
		return nil, &MissingError{Path: path, Default: path == def}
	}
	if err != nil {
		return nil, fmt.Errorf("config: %w", err)
	}
	return parse(path, data, perm, opt)
}

// readFile reads the file and the permissions it had when read.
func readFile(path string) ([]byte, fs.FileMode, error) {
	f, err := inputfile.Open(path) // a pipe would block the start; a directory is a mistake
	if err != nil {
		return nil, 0, err
	}
	defer f.Close()
	st, err := f.Stat()
	if err != nil {
		return nil, 0, err
	}
	data, err := io.ReadAll(io.LimitReader(f, maxFileSize+1))
	if err != nil {
		return nil, 0, fmt.Errorf("reading %s: %w", path, err)
	}
	if len(data) > maxFileSize {
		return nil, 0, fmt.Errorf("%s is larger than %d bytes: not a config file", path, maxFileSize)
	}
	return data, st.Mode().Perm(), nil
}

// problems collects the mistakes of one file.
type problems struct {
	path string
	ix   *index
	list []*Problem
}

// add records a mistake at key, located at the key's line or, when the key
// is missing, at its table's.
func (ps *problems) add(key, format string, a ...any) {
	ps.list = append(ps.list, &Problem{Path: ps.path, Line: ps.ix.lineOf(key), Key: key, Msg: fmt.Sprintf(format, a...)})
}

func (ps *problems) err() error {
	if len(ps.list) == 0 {
		return nil
	}
	slices.SortStableFunc(ps.list, func(a, b *Problem) int { return cmp.Compare(a.Line, b.Line) })
	if len(ps.list) == 1 {
		return ps.list[0]
	}
	errs := make([]error, len(ps.list))
	for i, p := range ps.list {
		errs[i] = p
	}
	return errors.Join(errs...)
}
