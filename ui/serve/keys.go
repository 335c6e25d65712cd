package serve

import (
	"bufio"
	"bytes"
	"crypto/ed25519"
	"crypto/rand"
	"encoding/pem"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	stdsync "sync"
	"time"

	gossh "golang.org/x/crypto/ssh"
)

// allowed is one line of the authorized_keys file.
type allowed struct {
	key     gossh.PublicKey
	comment string
	fp      string // SHA256:… as ssh-keygen -l prints it
}

// allowList is the authorized_keys file, read again when it changes, so
// an operator's key can be added or removed without a restart.
type allowList struct {
	path string

	mu    stdsync.Mutex
	mtime time.Time
	size  int64
	keys  []allowed
	// logf reports a file that became unreadable or invalid; the keys read
	// before stay in force until it is fixed.
	logf func(format string, args ...any)
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

// loadAllowList reads the file; a server with no key to let in refuses to
// start (wish would otherwise let everyone in).
func loadAllowList(path string, logf func(string, ...any)) (*allowList, error) {
	a := &allowList{path: path, logf: logf}
	fi, keys, err := readKeys(path)
	if err != nil {
		return nil, err
	}
	if len(keys) == 0 {
		return nil, &KeysError{Path: path, Msg: "no public key in the file, so nobody could log in; add each operator's key (one `ssh-ed25519 AAAA… name` line per operator)"}
	}
	a.mtime, a.size, a.keys = fi.ModTime(), fi.Size(), keys
	return a, nil
}

func readKeys(path string) (fs.FileInfo, []allowed, error) {
	fi, err := os.Stat(path)
	if err != nil {
		if errors.Is(err, fs.ErrNotExist) {
			return nil, nil, &KeysError{Path: path, Msg: "no such file: create it with each operator's public key (one `ssh-ed25519 AAAA… name` line per operator), or pass --authorized-keys FILE"}
		}
		return nil, nil, err
	}
	data, err := os.ReadFile(path)
	if err != nil {
		return nil, nil, err
	}
	var keys []allowed
	sc := bufio.NewScanner(bytes.NewReader(data))
	sc.Buffer(make([]byte, 64*1024), 1<<20)
	for n := 1; sc.Scan(); n++ {
		line := bytes.TrimSpace(sc.Bytes())
		if len(line) == 0 || line[0] == '#' {
			continue
		}
		key, comment, options, _, err := gossh.ParseAuthorizedKey(line)
		if err != nil {
			return nil, nil, &KeysError{Path: path, Line: n, Msg: "not a public key line: " + err.Error()}
		}
		if len(options) > 0 {
			return nil, nil, &KeysError{Path: path, Line: n, Msg: "key options (from=, command=, …) are not supported: the desk would ignore them; remove them"}
		}
		keys = append(keys, allowed{key: key, comment: comment, fp: gossh.FingerprintSHA256(key)})
	}
	if err := sc.Err(); err != nil {
		return nil, nil, &KeysError{Path: path, Msg: err.Error()}
	}
	return fi, keys, nil
}

// find returns the allowed entry of key, re-reading the file first when it
// changed.
func (a *allowList) find(key gossh.PublicKey) (allowed, bool) {
	if key == nil {
		return allowed{}, false
	}
	a.mu.Lock()
	defer a.mu.Unlock()
	if fi, err := os.Stat(a.path); err == nil && (!fi.ModTime().Equal(a.mtime) || fi.Size() != a.size) {
		if fi, keys, err := readKeys(a.path); err != nil {
			a.logf("authorized keys not re-read, the previous ones stay in force: %v", err)
		} else {
			a.mtime, a.size, a.keys = fi.ModTime(), fi.Size(), keys
		}
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
