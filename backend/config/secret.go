package config

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io/fs"
	"os/exec"
	"strings"
	"time"
	"unicode/utf8"

	"orderdesk/backend"
)

// SourceKind says where a secret comes from.
type SourceKind int

const (
	NoSource SourceKind = iota // the platform does not use this secret
	FromEnv                    // *_env: an environment variable
	FromCmd                    // *_cmd: a command printing it
	FromFile                   // written in the config file itself
)

// Source is where one secret of a shop comes from. It never holds a
// resolved value; a secret written in the file is held redacted.
type Source struct {
	Kind SourceKind
	Key  string // the config key that set it: "token_env", "password_cmd", "token"
	Ref  string // FromEnv: the variable's name; FromCmd: the command line
	Line int

	literal backend.Secret
}

// String describes the source without its value or command, e.g.
// "token_env SL_TOKEN (line 14)", for status displays.
func (s Source) String() string {
	switch s.Kind {
	case NoSource:
		return "none"
	case FromEnv:
		return fmt.Sprintf("%s %s (line %d)", s.Key, s.Ref, s.Line)
	}
	return fmt.Sprintf("%s (line %d)", s.Key, s.Line)
}

// GoString keeps %#v from printing a secret written in the file.
func (s Source) GoString() string { return "config.Source{" + s.String() + "}" }

// resolver is what Resolve needs from Load: where the file is, how open it
// was, how to read the environment, how long a command may take.
type resolver struct {
	path      string
	perm      fs.FileMode
	lookupEnv func(string) (string, bool)
	timeout   time.Duration
}

// Resolve obtains the shop's secrets and returns what its adapter needs
// (Logger, Transport and Timeout left for the caller). It may run a *_cmd:
// call it only when the shop is about to be contacted. An error is a
// *Problem wrapping ErrSecret (or the context's error); it names the file,
// line, key and, for *_env, the variable, never the secret.
func (s Shop) Resolve(ctx context.Context) (backend.ShopConfig, error) {
	cfg := backend.ShopConfig{
		Name: s.Name, Platform: s.Platform, URL: s.URL, Username: s.Username,
		APIVersion: s.APIVersion, Timezone: s.Timezone, Rate: s.Rate, Burst: s.Burst,
		CallLimit: s.Timeout,
	}
	var err error
	if cfg.Password, err = s.secret(ctx, s.Password); err != nil {
		return backend.ShopConfig{}, err
	}
	if cfg.Token, err = s.secret(ctx, s.Token); err != nil {
		return backend.ShopConfig{}, err
	}
	return cfg, nil
}

func (s Shop) secret(ctx context.Context, src Source) (backend.Secret, error) {
	fail := func(format string, a ...any) *Problem {
		return &Problem{Path: s.res.path, Line: src.Line, Key: s.Key + "." + src.Key,
			Msg: fmt.Sprintf("shop %s: ", backend.Quote(s.Name)) + fmt.Sprintf(format, a...), Err: ErrSecret}
	}
	switch src.Kind {
	case FromEnv:
		v, ok := s.res.lookupEnv(src.Ref)
		switch {
		case !ok:
			return backend.Secret{}, fail("environment variable %s is not set", src.Ref)
		case strings.TrimSpace(v) == "":
			return backend.Secret{}, fail("environment variable %s is empty", src.Ref)
		}
		return backend.NewSecret(v), nil
	case FromCmd:
		v, err := runCommand(ctx, src.Ref, s.res.timeout)
		if ctx.Err() != nil {
			p := fail("command interrupted")
			p.Err = ctx.Err()
			return backend.Secret{}, p
		}
		if err != nil {
			return backend.Secret{}, fail("%v", err)
		}
		return backend.NewSecret(v), nil
	case FromFile:
		if s.res.perm&0o077 != 0 {
			return backend.Secret{}, fail("the %s is written in the file, whose permissions %04o let others read it: "+
				"run `chmod 600 %s`, or move it to %s_env or %s_cmd", src.Key, s.res.perm, s.res.path, src.Key, src.Key)
		}
		return src.literal, nil
	}
	return backend.Secret{}, nil
}

// maxOutput bounds what is kept of a command's stdout and stderr.
const maxOutput = 64 << 10

// runCommand runs command with sh -c and returns the first non-blank line
// of its stdout, trimmed. Errors never contain stdout.
func runCommand(ctx context.Context, command string, timeout time.Duration) (string, error) {
	if err := ctx.Err(); err != nil {
		return "", err
	}
	cctx, cancel := context.WithTimeout(ctx, timeout)
	defer cancel()
	cmd := exec.CommandContext(cctx, "sh", "-c", command)
	var stdout, stderr capped
	cmd.Stdout, cmd.Stderr = &stdout, &stderr
	cmd.WaitDelay = time.Second // a grandchild holding the pipes must not hang us
	err := cmd.Run()
	secret := firstLine(stdout.String())
	if err == nil && secret != "" {
		return secret, nil
	}
	// stderr may echo what stdout printed: scrub it before showing it.
	red := &backend.Redactor{}
	red.Add(secret)
	red.Add(strings.TrimSpace(stdout.String()))
	detail := red.Scrub(shorten(firstLine(stderr.String()), 200))
	var msg string
	var exit *exec.ExitError
	switch {
	case ctx.Err() != nil:
		return "", ctx.Err()
	case errors.Is(cctx.Err(), context.DeadlineExceeded):
		msg = fmt.Sprintf("command did not finish within %s", timeout)
	case errors.As(err, &exit):
		msg = fmt.Sprintf("command failed (exit status %d)", exit.ExitCode())
	case err != nil:
		msg = "command could not be run: " + err.Error()
	default:
		msg = "command printed nothing on stdout"
	}
	if detail != "" {
		msg += ": " + detail
	}
	return "", errors.New(msg)
}

// firstLine returns the first non-blank line of s, trimmed.
func firstLine(s string) string {
	for line := range strings.Lines(s) {
		if t := strings.TrimSpace(line); t != "" {
			return t
		}
	}
	return ""
}

func shorten(s string, n int) string {
	if utf8.RuneCountInString(s) <= n {
		return s
	}
	r := []rune(s)
	return string(r[:n]) + "…"
}

// capped keeps the first maxOutput bytes written to it and discards the
// rest, so a runaway command cannot fill memory.
type capped struct{ buf bytes.Buffer }

func (c *capped) Write(p []byte) (int, error) {
	if room := maxOutput - c.buf.Len(); room > 0 {
		c.buf.Write(p[:min(len(p), room)])
	}
	return len(p), nil
}

func (c *capped) String() string { return c.buf.String() }
