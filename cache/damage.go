package cache

import (
	"errors"
	"fmt"
	"runtime/debug"
	"strings"
	"unicode/utf8"

	"orderdesk/backend"
)

// ErrDamaged: the file's pages or records are not what this package
// wrote (bbolt found a corrupt page, a record does not decode, an index
// does not match its records). Every such error is a *DamagedError.
var ErrDamaged = errors.New("database damaged")

// DamagedError says the database at Path is damaged: What was being done
// when Err was found. It matches ErrDamaged. It never holds more than 80
// characters of what the file held.
type DamagedError struct {
	Path string
	What string // the operation, e.g. "read order eu:1001"; may be empty
	Err  error  // what was found
}

func (e *DamagedError) Error() string {
	var b strings.Builder
	b.WriteString("database damaged: ")
	b.WriteString(e.Path)
	if e.What != "" {
		b.WriteString(": " + e.What)
	}
	if e.Err != nil {
		b.WriteString(": " + e.Err.Error())
	}
	return b.String()
}

func (e *DamagedError) Unwrap() []error { return []error{ErrDamaged, e.Err} }

// damagef is a *DamagedError without path and operation; the Store fills
// them in (see noteDamage).
func damagef(format string, args ...any) error {
	return &DamagedError{Err: fmt.Errorf(format, args...)}
}

// guard runs fn, which calls into bbolt, and turns a panic or a memory
// fault on the mapped file (bbolt's answer to a corrupt page) into a
// *DamagedError. Any panic inside a transaction counts: the pages are the
// only input there. A cyclic page reference makes bbolt recurse until the
// stack overflows, which Go cannot recover from; that is left to salvage,
// which walks the file without trusting it.
func (s *Store) guard(what string, fn func() error) (err error) {
	defer debug.SetPanicOnFault(debug.SetPanicOnFault(true))
	defer func() {
		if r := recover(); r != nil {
			err = s.noteDamage(what, panicDamage(r))
		}
	}()
	return s.noteDamage(what, fn())
}

// panicDamage describes a recovered panic in at most 80 characters.
func panicDamage(r any) error {
	return &DamagedError{Err: fmt.Errorf("unreadable page (%s)", backend.Excerpt(fmt.Sprint(r)))}
}

// noteDamage completes a damage error with the path and operation and
// remembers the first one: from then on the Store writes nothing. Other
// errors pass through.
func (s *Store) noteDamage(what string, err error) error {
	var de *DamagedError
	if err == nil || !errors.As(err, &de) {
		return err
	}
	out := &DamagedError{Path: s.path, What: what, Err: de.Err}
	if de.What != "" {
		out.What = strings.TrimPrefix(what+": "+de.What, ": ")
	}
	s.damageMu.Lock()
	if s.damage == nil {
		s.damage = out
	}
	s.damageMu.Unlock()
	return out
}

// Damaged returns the first damage this Store found, or nil. Once it is
// not nil every write is refused.
func (s *Store) Damaged() *DamagedError {
	s.damageMu.Lock()
	defer s.damageMu.Unlock()
	return s.damage
}

// refuseWrite is the error of a write after damage was found.
func (s *Store) refuseWrite(what string) error {
	first := s.Damaged()
	if first == nil {
		return nil
	}
	return &DamagedError{Path: s.path, What: what,
		Err: fmt.Errorf("nothing written: damage was found earlier (%s)", backend.Excerpt(first.Err.Error()))}
}

// keyText shows a key read from the file: printable as it is, else in
// hex, at most 80 characters.
func keyText(k []byte) string {
	if utf8.Valid(k) && !strings.ContainsFunc(string(k), func(r rune) bool { return r < ' ' || r == 0x7f }) {
		return backend.Excerpt(string(k))
	}
	return backend.Excerpt(fmt.Sprintf("%x", k))
}
