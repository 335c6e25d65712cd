package config

import (
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// env is a fake environment for Options.LookupEnv.
func env(kv ...string) func(string) (string, bool) {
	m := map[string]string{}
	for i := 0; i+1 < len(kv); i += 2 {
		m[kv[i]] = kv[i+1]
	}
	return func(k string) (string, bool) {
		v, ok := m[k]
		return v, ok
	}
}

// writeConfig writes text to a config.toml with the given mode in a fresh
// directory and returns its path.
func writeConfig(t *testing.T, text string, mode os.FileMode) string {
	t.Helper()
	path := filepath.Join(t.TempDir(), "config.toml")
	if err := os.WriteFile(path, []byte(text), mode); err != nil {
		t.Fatal(err)
	}
	if err := os.Chmod(path, mode); err != nil { // umask may have narrowed it
		t.Fatal(err)
	}
	return path
}

// problemsOf returns every *Problem in err (one, or several joined).
func problemsOf(err error) []*Problem {
	var out []*Problem
	if j, ok := err.(interface{ Unwrap() []error }); ok {
		for _, e := range j.Unwrap() {
			out = append(out, problemsOf(e)...)
		}
		return out
	}
	var p *Problem
	if errors.As(err, &p) {
		out = append(out, p)
	}
	return out
}

// wantProblem asserts that err reports a problem at path:line for key whose
// text contains every one of want.
func wantProblem(t *testing.T, err error, path string, line int, key string, want ...string) {
	t.Helper()
	if err == nil {
		t.Fatalf("no error; want %s:%d: %s", path, line, key)
	}
	prefix := fmt.Sprintf("%s:%d: %s: ", path, line, key)
	if key == "" {
		prefix = fmt.Sprintf("%s:%d: ", path, line)
	}
	for _, p := range problemsOf(err) {
		msg := p.Error()
		if p.Line != line || p.Key != key || !strings.HasPrefix(msg, prefix) {
			continue
		}
		for _, w := range want {
			if !strings.Contains(msg, w) {
				t.Fatalf("problem %q\ndoes not say %q", msg, w)
			}
		}
		if !strings.Contains(err.Error(), msg) {
			t.Fatalf("error text %q lacks %q", err.Error(), msg)
		}
		return
	}
	t.Fatalf("error:\n%v\nwant a problem starting %q", err, prefix)
}
