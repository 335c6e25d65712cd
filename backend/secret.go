package backend

import (
	"log/slog"
	"sort"
	"strings"
	"sync"
)

// Secret holds a password or token. Every way of printing it prints
// [REDACTED]; only Reveal, at the header- or form-setting call, returns it.
type Secret struct{ v string }

func NewSecret(s string) Secret { return Secret{v: s} }

const redacted = "[REDACTED]"

func (s Secret) Reveal() string               { return s.v }
func (s Secret) IsZero() bool                 { return s.v == "" }
func (s Secret) String() string               { return redacted }
func (s Secret) GoString() string             { return redacted }
func (s Secret) MarshalJSON() ([]byte, error) { return []byte(`"` + redacted + `"`), nil }
func (s Secret) MarshalText() ([]byte, error) { return []byte(redacted), nil }
func (s Secret) LogValue() slog.Value         { return slog.StringValue(redacted) }

// Redactor knows the secrets of one shop (configured ones and session tokens
// obtained at run time) and scrubs them from any text that leaves the
// adapter: error reasons, causes, log lines.
type Redactor struct {
	mu      sync.RWMutex
	secrets []string
}

// Add registers a secret. Values shorter than 4 characters are ignored: they
// would scrub ordinary text and cannot be meaningful credentials.
func (r *Redactor) Add(s string) {
	if len(s) < 4 {
		return
	}
	r.mu.Lock()
	defer r.mu.Unlock()
	for _, have := range r.secrets {
		if have == s {
			return
		}
	}
	r.secrets = append(r.secrets, s)
	// Longest first, so a secret containing another is scrubbed whole.
	sort.Slice(r.secrets, func(i, j int) bool { return len(r.secrets[i]) > len(r.secrets[j]) })
}

// Scrub replaces every known secret in s.
func (r *Redactor) Scrub(s string) string {
	if r == nil {
		return s
	}
	r.mu.RLock()
	defer r.mu.RUnlock()
	for _, sec := range r.secrets {
		if strings.Contains(s, sec) {
			s = strings.ReplaceAll(s, sec, redacted)
		}
	}
	return s
}

// ScrubErr returns err with every secret removed from its text, keeping the
// chain for errors.Is / errors.As.
func (r *Redactor) ScrubErr(err error) error {
	if err == nil {
		return nil
	}
	msg := err.Error()
	clean := r.Scrub(msg)
	if clean == msg {
		return err
	}
	return &scrubbed{msg: clean, err: err}
}

type scrubbed struct {
	msg string
	err error
}

func (s *scrubbed) Error() string { return s.msg }
func (s *scrubbed) Unwrap() error { return s.err }
