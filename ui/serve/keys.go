package serve

import (
	"bytes"
	"crypto/ed25519"
	"crypto/rand"
	"encoding/pem"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"sync"

	gossh "golang.org/x/crypto/ssh"

	"orderdesk/backend/inputfile"
)

// allowed is one line of the authorized_keys file.
type allowed struct {
	key     gossh.PublicKey
	comment string
	fp      string // SHA256:… as ssh-keygen -l prints it
}

// maxKeysFile bounds what is read of the authorized keys file: a few
// thousand keys.
const maxKeysFile = 1 << 20

// allowList is the authorized_keys file, read again when it changes, so
// an operator's key can be added or removed without a restart.
//
// It fails closed: while the file cannot be read, or anyone but its owner
// could change it (StrictModes, as sshd: the file or its directory
// writable by group or others, or owned by a user other than root and the
// server's), no key is accepted, and that is logged loudly once per
// change. A malformed line is skipped and logged with its number, and the
// rest apply, so that removing a key always takes effect.
type allowList struct {
	path string
	logf func(format string, args ...any)

	mu      sync.Mutex
	data    []byte    // the content keys were read from
	keys    []allowed // in force while problem is ""
	problem string    // why no key is accepted now; "" when the file is in use
}

// KeysError says why the authorized keys cannot be used.
type KeysError struct {
	Path string
	Line int // 0: the file as a whole
	Msg  string
}

func (e *KeysError) Error() string {
	if e.Line > 0 {
		return fmt.Sprintf("%s:%d: %s", e.Path, e.Line, e.Msg)
	}
	return e.Path + ": " + e.Msg
}

// loadAllowList reads the file; a server with no key to let in, or whose
// file others could change, refuses to start (wish would otherwise let
// everyone in).
func loadAllowList(path string, logf func(string, ...any)) (*allowList, error) {
	a := &allowList{path: path, logf: logf}
	data, err := readKeysFile(path)
	if err != nil {
		return nil, err
	}
	keys := a.parse(data)
	if len(keys) == 0 {
		return nil, &KeysError{Path: path, Msg: "no usable public key in the file, so nobody could log in; add each operator's key (one `ssh-ed25519 AAAA… name` line per operator)"}
	}
	a.data, a.keys = data, keys
	return a, nil
}

// readKeysFile reads the file once StrictModes allow it. The checks are
// made on the file opened, so that it cannot be swapped in between.
func readKeysFile(path string) ([]byte, error) {
	f, err := inputfile.Open(path) // a FIFO would block the server
	if err != nil {
		var notFile *inputfile.NotRegularError
		if errors.As(err, &notFile) {
			return nil, &KeysError{Path: path, Msg: "not a regular file"}
		}
		if errors.Is(err, fs.ErrNotExist) {
			return nil, &KeysError{Path: path, Msg: "no such file: create it with each operator's public key (one `ssh-ed25519 AAAA… name` line per operator), or pass --authorized-keys FILE"}
		}
		return nil, &KeysError{Path: path, Msg: err.Error()}
	}
	defer f.Close()
	fi, err := f.Stat()
	if err != nil {
		return nil, &KeysError{Path: path, Msg: err.Error()}
	}
	if err := strictModes(path, fi); err != nil {
		return nil, err
	}
	if !fi.Mode().IsRegular() {
		return nil, &KeysError{Path: path, Msg: "not a regular file"}
	}
	data, err := io.ReadAll(io.LimitReader(f, maxKeysFile+1))
	if err != nil {
		return nil, &KeysError{Path: path, Msg: err.Error()}
	}
	if len(data) > maxKeysFile {
		return nil, &KeysError{Path: path, Msg: "larger than 1 MiB: not an authorized_keys file"}
	}
	return data, nil
}

// strictModes refuses a file that anyone but its owner could change, or
// could swap by changing a directory holding it (that of the name given
// and, for a symbolic link, that of the file it names).
func strictModes(path string, fi fs.FileInfo) *KeysError {
	if why := unsafeOwnerOrMode("the file", path, fi); why != "" {
		return &KeysError{Path: path, Msg: why}
	}
	dirs := []string{filepath.Dir(path)}
	if real, err := filepath.EvalSymlinks(path); err == nil && filepath.Dir(real) != dirs[0] {
		dirs = append(dirs, filepath.Dir(real))
	}
	for _, dir := range dirs {
		di, err := os.Stat(dir)
		if err != nil {
			return &KeysError{Path: path, Msg: err.Error()}
		}
		if why := unsafeOwnerOrMode("its directory", dir, di); why != "" {
			return &KeysError{Path: path, Msg: why}
		}
	}
	return nil
}

// unsafeOwnerOrMode says why others could change what fi describes, or "".
func unsafeOwnerOrMode(what, path string, fi fs.FileInfo) string {
	if m := fi.Mode().Perm(); m&0o022 != 0 {
		return fmt.Sprintf("%s %s is writable by group or others (mode %04o), so they could add a key: run `chmod go-w %s`", what, path, m, path)
	}
	if uid, ok := trustedOwner(fi); !ok {
		return fmt.Sprintf("%s %s is owned by uid %d, neither root nor the server's user (uid %d), so that user could add a key: give it to one of them (chown)", what, path, uid, os.Geteuid())
	}
	return ""
}

// parse reads the keys of data, logging each line skipped with its
// number.
func (a *allowList) parse(data []byte) []allowed {
	var keys []allowed
	n := 0
	for line := range bytes.Lines(data) {
		n++
		line = bytes.TrimSpace(line)
		if len(line) == 0 || line[0] == '#' {
			continue
		}
		key, comment, options, _, err := gossh.ParseAuthorizedKey(line)
		switch {
		case err != nil:
			a.logf("%v", &KeysError{Path: a.path, Line: n, Msg: "skipped: not a public key line: " + err.Error()})
		case len(options) > 0:
			a.logf("%v", &KeysError{Path: a.path, Line: n, Msg: "skipped: key options (from=, command=, …) are not supported, the desk would ignore them; remove them"})
		default:
			keys = append(keys, allowed{key: key, comment: comment, fp: gossh.FingerprintSHA256(key)})
		}
	}
	return keys
}

// refresh reads the file again and puts what it holds in force.
func (a *allowList) refresh() {
	a.mu.Lock()
	defer a.mu.Unlock()
	data, err := readKeysFile(a.path)
	if err != nil {
		if why := err.Error(); why != a.problem {
			a.problem = why
			a.logf("WARNING: no key is accepted, nobody can log in: %s", why)
		}
		return
	}
	if a.problem != "" {
		a.problem = ""
		a.logf("%s is usable again", a.path)
	}
	if bytes.Equal(data, a.data) {
		return
	}
	a.data, a.keys = data, a.parse(data)
	a.logf("%s changed: %d key(s) allowed", a.path, len(a.keys))
	if len(a.keys) == 0 {
		a.logf("WARNING: %s holds no usable key: nobody can log in", a.path)
	}
}

// find returns the allowed entry of key, re-reading the file first. No
// key is found while the file is unusable.
func (a *allowList) find(key gossh.PublicKey) (allowed, bool) {
	if key == nil {
		return allowed{}, false
	}
	a.refresh()
	a.mu.Lock()
	defer a.mu.Unlock()
	if a.problem != "" {
		return allowed{}, false
	}
	return a.lookup(key)
}

// revoked says whether key was taken out of the file as last read. While
// the file is unusable nothing is revoked: sessions that logged in with a
// sound file stay, only new logins are refused.
func (a *allowList) revoked(key gossh.PublicKey) bool {
	a.mu.Lock()
	defer a.mu.Unlock()
	if a.problem != "" {
		return false
	}
	_, ok := a.lookup(key)
	return !ok
}

// unusable says why no key is accepted now ("" when the file is in use).
func (a *allowList) unusable() string {
	a.mu.Lock()
	defer a.mu.Unlock()
	return a.problem
}

func (a *allowList) lookup(key gossh.PublicKey) (allowed, bool) {
	if key == nil {
		return allowed{}, false
	}
	want := key.Marshal()
	for _, k := range a.keys {
		if bytes.Equal(k.key.Marshal(), want) {
			return k, true
		}
	}
	return allowed{}, false
}

// ensureHostKey creates an ed25519 host key at path (mode 0600) unless
// one is there; an existing key readable by others is refused, as sshd
// does.
func ensureHostKey(path string) (created bool, err error) {
	fi, err := os.Stat(path)
	switch {
	case err == nil:
		if fi.Mode().Perm()&0o077 != 0 {
			return false, &KeysError{Path: path, Msg: fmt.Sprintf("the host key is readable by others (mode %04o): run `chmod 600 %s`", fi.Mode().Perm(), path)}
		}
		data, err := os.ReadFile(path)
		if err != nil {
			return false, err
		}
		if _, err := gossh.ParsePrivateKey(data); err != nil {
			return false, &KeysError{Path: path, Msg: "not a usable private key: " + err.Error()}
		}
		return false, nil
	case !errors.Is(err, fs.ErrNotExist):
		return false, err
	}
	_, priv, err := ed25519.GenerateKey(rand.Reader)
	if err != nil {
		return false, err
	}
	block, err := gossh.MarshalPrivateKey(priv, "orderdesk host key")
	if err != nil {
		return false, err
	}
	if err := os.MkdirAll(filepath.Dir(path), 0o700); err != nil {
		return false, err
	}
	f, err := os.OpenFile(path, os.O_WRONLY|os.O_CREATE|os.O_EXCL, 0o600)
	if err != nil {
		return false, err
	}
	if err := pem.Encode(f, block); err != nil {
		f.Close()
		os.Remove(path)
		return false, err
	}
	if err := f.Sync(); err != nil {
		f.Close()
		os.Remove(path)
		return false, err
	}
	return true, f.Close()
}
