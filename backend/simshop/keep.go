package simshop

// A shop kept on disk (Options.State) survives a restart: `orderdesk --demo
// --db FILE` run twice continues the same shops. The file holds what the
// seed cannot give back:
//
//   - the generation parameters (seed, order count, reference time, zone),
//     so the same orders are generated again on another day;
//   - a fingerprint of the generated orders, so a file written by a version
//     of the generator that made other orders is refused, not misapplied;
//   - every order a write (or Mutate) has changed, whole, with its
//     platform-only state (SHOPLINE's fulfilled quantities, YMCart's
//     delivery records…) and its applied-write and e-mail counts;
//   - the shop-wide counters writes advance (YMCart's delivery record ids).
//
// Unchanged orders are not written: a save costs what the changed orders
// cost, not the shop's size (a shop of 25 000 orders would take seconds to
// encode). The file is replaced through a synced temporary file and a
// rename before the write is answered, so a client told "done" finds the
// change after a kill -9. The request record (Requests, Writes) is not
// kept: it is for tests, and it holds credentials.

import (
	"bytes"
	"crypto/rand"
	"crypto/sha256"
	"encoding/binary"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"slices"
	"time"

	"orderdesk/backend"
)

// keptFormat is the version of the file layout; a file of another version
// is refused with a StateError.
const keptFormat = 1

// keptShop is the file. Changed is written one order a line, oldest first.
type keptShop struct {
	Format    int               `json:"format"`
	Platform  backend.Platform  `json:"platform"`
	Seed      int64             `json:"seed"`
	Orders    int               `json:"orders"`
	Now       time.Time         `json:"now"`
	Timezone  string            `json:"timezone"`
	Generated string            `json:"generated"`
	Counters  map[string]int    `json:"counters,omitempty"`
	Changed   []json.RawMessage `json:"changed"`
}

// keptOrder is one changed order.
type keptOrder struct {
	Number  string          `json:"number"`
	Order   *backend.Order  `json:"order"`
	Wire    json.RawMessage `json:"wire,omitempty"` // the platform's keep()
	Applied int             `json:"applied,omitempty"`
	Emails  int             `json:"emails,omitempty"`
}

// StateError says why a shop's kept state cannot be used. The file is left
// as it is.
type StateError struct {
	Path string
	Err  error
}

func (e *StateError) Error() string { return e.Path + ": " + e.Err.Error() }
func (e *StateError) Unwrap() error { return e.Err }

// readKept reads a shop's file; a missing file is (nil, nil).
func readKept(path string, p backend.Platform) (*keptShop, error) {
	data, err := os.ReadFile(path)
	if errors.Is(err, fs.ErrNotExist) {
		return nil, nil
	}
	if err != nil {
		return nil, &StateError{path, err}
	}
	var k keptShop
	if err := keptDecode(data, &k); err != nil {
		return nil, &StateError{path, fmt.Errorf("not a simulated shop's state (damaged or cut short?): %w", err)}
	}
	switch {
	case k.Format != keptFormat:
		return nil, &StateError{path, fmt.Errorf("written by another version of orderdesk (format %d; this one reads %d)", k.Format, keptFormat)}
	case k.Platform != p:
		return nil, &StateError{path, fmt.Errorf("the state of a %s shop, not %s", k.Platform, p)}
	case k.Orders < 1 || k.Now.IsZero() || k.Generated == "":
		return nil, &StateError{path, errors.New("incomplete: no order count, reference time or fingerprint")}
	}
	return &k, nil
}

// keptDecode decodes strictly: a field this version does not know means
// the file is not what it expects.
func keptDecode(data []byte, v any) error {
	dec := json.NewDecoder(bytes.NewReader(data))
	dec.DisallowUnknownFields()
	if err := dec.Decode(v); err != nil {
		return err
	}
	if dec.More() {
		return errors.New("data after the end")
	}
	return nil
}

// apply sets the generation parameters of opt from the file.
func (k *keptShop) apply(path string, opt *Options) error {
	opt.Seed, opt.Orders, opt.Now = k.Seed, k.Orders, k.Now
	if opt.Timezone != nil && opt.Timezone.String() == k.Timezone {
		return nil
	}
	loc, err := time.LoadLocation(k.Timezone)
	if err != nil {
		return &StateError{path, fmt.Errorf("the shop's time zone: %w", err)}
	}
	opt.Timezone = loc
	return nil
}

// fingerprint sums what identifies the generated orders (numbers, ids,
// times, raw statuses, totals, counts) and the shop counters: cheap
// enough for 25 000 orders (encoding them whole would take seconds).
func (s *Server) fingerprint() string {
	h := sha256.New()
	var n [8]byte
	num := func(v int64) {
		binary.LittleEndian.PutUint64(n[:], uint64(v))
		h.Write(n[:])
	}
	str := func(v string) {
		num(int64(len(v)))
		h.Write([]byte(v))
	}
	for _, o := range s.orders {
		str(o.Number)
		str(o.ID)
		if o.CreatedAt != nil {
			num(o.CreatedAt.Unix())
		}
		keys := make([]string, 0, len(o.RawStatus))
		for k := range o.RawStatus {
			keys = append(keys, k)
		}
		slices.Sort(keys)
		for _, k := range keys {
			str(k)
			str(o.RawStatus[k])
		}
		str(o.Totals.GrandTotal.String())
		num(int64(len(o.Items)))
		num(int64(len(o.Shipments)))
		num(int64(len(o.Remarks)))
	}
	c := s.plat.counters()
	keys := make([]string, 0, len(c))
	for k := range c {
		keys = append(keys, k)
	}
	slices.Sort(keys)
	for _, k := range keys {
		str(k)
		num(int64(c[k]))
	}
	return "sha256:" + hex.EncodeToString(h.Sum(nil))
}

// restore puts the kept orders and counters back over the generated ones.
func (s *Server) restore(path string, k *keptShop) error {
	if s.generated != k.Generated {
		return &StateError{path, errors.New("written by a version of orderdesk that generated other orders")}
	}
	if err := s.plat.setCounters(k.Counters); err != nil {
		return &StateError{path, err}
	}
	for _, raw := range k.Changed {
		var ko keptOrder
		if err := keptDecode(raw, &ko); err != nil {
			return &StateError{path, fmt.Errorf("a changed order: %w", err)}
		}
		i, ok := s.index[ko.Number]
		switch {
		case !ok:
			return &StateError{path, fmt.Errorf("order %s is not one of the shop's", ko.Number)}
		case ko.Order == nil || ko.Order.Number != ko.Number:
			return &StateError{path, fmt.Errorf("order %s: no order, or another number", ko.Number)}
		}
		if ko.Order.RawStatus == nil {
			ko.Order.RawStatus = map[string]string{}
		}
		s.orders[i] = ko.Order
		if err := s.plat.restore(i, ko.Number, ko.Wire); err != nil {
			return &StateError{path, fmt.Errorf("order %s: %w", ko.Number, err)}
		}
		if ko.Applied > 0 {
			s.applied[ko.Number] = ko.Applied
		}
		if ko.Emails > 0 {
			s.emails[ko.Number] = ko.Emails
		}
		s.kept[i] = raw
	}
	return nil
}

// noWire is restore for a platform that keeps nothing beyond the order.
func noWire(raw json.RawMessage) error {
	if len(raw) > 0 {
		return fmt.Errorf("unexpected platform state %.40s", raw)
	}
	return nil
}

// noCounters is setCounters for a platform without shop-wide counters.
func noCounters(c map[string]int) error {
	if len(c) > 0 {
		return fmt.Errorf("unexpected shop counters %v", c)
	}
	return nil
}

// lockedChanged notes that order i changed; the caller holds s.mu.
func (s *Server) lockedChanged(i int) {
	s.lockedForget(i)
	s.ordered = 0
	clear(s.selected)
	if s.keeping {
		s.unsaved[i] = true
	}
}

// Save writes the shop's state to its file (Options.State) when something
// changed since the last save. Applied writes are saved before they are
// answered; Mutate's changes wait for the next write or Save.
func (s *Server) Save() error {
	if !s.keeping {
		return nil
	}
	s.keepMu.Lock()
	defer s.keepMu.Unlock()
	s.mu.Lock()
	if len(s.unsaved) == 0 {
		s.mu.Unlock()
		return nil
	}
	unsaved := s.unsaved
	s.unsaved = map[int]bool{}
	err := s.lockedEncode(unsaved)
	counters := s.plat.counters()
	s.mu.Unlock()
	if err == nil {
		err = s.write(s.keepPath, counters)
	}
	if err != nil {
		s.mu.Lock()
		for i := range unsaved { // saved with the next write
			s.unsaved[i] = true
		}
		s.mu.Unlock()
		return fmt.Errorf("simshop %s: save %s: %w", s.Platform, s.keepPath, err)
	}
	return nil
}

// keepNew writes the file of a shop just generated.
func (s *Server) keepNew() error {
	s.keepMu.Lock()
	defer s.keepMu.Unlock()
	s.mu.Lock()
	counters := s.plat.counters()
	s.mu.Unlock()
	if err := s.write(s.keepPath, counters); err != nil {
		return fmt.Errorf("simshop %s: save %s: %w", s.Platform, s.keepPath, err)
	}
	return nil
}

// moveKept points the shop at its file's new place (the demo creates its
// directory under a temporary name).
func (s *Server) moveKept(path string) {
	s.keepMu.Lock()
	defer s.keepMu.Unlock()
	s.keepPath = path
}

// lockedEncode encodes the given orders into s.kept; the caller holds
// s.mu and s.keepMu.
func (s *Server) lockedEncode(orders map[int]bool) error {
	for i := range orders {
		o := s.orders[i]
		wire, err := json.Marshal(s.plat.keep(i, o.Number))
		if err != nil {
			return err
		}
		if string(wire) == "null" {
			wire = nil
		}
		b, err := json.Marshal(keptOrder{Number: o.Number, Order: o, Wire: wire, Applied: s.applied[o.Number], Emails: s.emails[o.Number]})
		if err != nil {
			return err
		}
		s.kept[i] = b
	}
	return nil
}

// write writes the file at path from s.kept; the caller holds s.keepMu.
func (s *Server) write(path string, counters map[string]int) error {
	head, err := json.Marshal(keptShop{
		Format: keptFormat, Platform: s.Platform, Seed: s.Opt.Seed, Orders: s.Opt.Orders, Now: s.Opt.Now,
		Timezone: s.Opt.Timezone.String(), Generated: s.generated, Counters: counters,
	})
	if err != nil {
		return err
	}
	// head ends in "changed":null}: the orders go in its place, one a line.
	head, ok := bytes.CutSuffix(head, []byte("null}"))
	if !ok {
		return errors.New("unexpected encoding of the state header")
	}
	idx := make([]int, 0, len(s.kept))
	for i := range s.kept {
		idx = append(idx, i)
	}
	slices.Sort(idx)
	var b bytes.Buffer
	b.Write(head)
	b.WriteString("[")
	for k, i := range idx {
		if k > 0 {
			b.WriteString(",")
		}
		b.WriteString("\n")
		b.Write(s.kept[i])
	}
	b.WriteString("\n]}\n")
	return writeSynced(path, b.Bytes())
}

// writeSynced replaces path with data through a synced temporary file in
// the same directory and a rename, then syncs the directory, so that after
// a crash path holds either the old or the new content, whole. The file is
// private (0600).
func writeSynced(path string, data []byte) (err error) {
	dir := filepath.Dir(path)
	tmp, err := os.OpenFile(filepath.Join(dir, "."+filepath.Base(path)+"."+rand.Text()[:10]+".tmp"), os.O_WRONLY|os.O_CREATE|os.O_EXCL, 0o600)
	if err != nil {
		return err
	}
	defer func() {
		if err != nil {
			tmp.Close()
			os.Remove(tmp.Name())
		}
	}()
	if _, err := tmp.Write(data); err != nil {
		return err
	}
	if err := tmp.Sync(); err != nil {
		return err
	}
	if err := tmp.Close(); err != nil {
		return err
	}
	if err := os.Rename(tmp.Name(), path); err != nil {
		return err
	}
	return syncDir(dir)
}

// syncDir makes a rename or creation in dir survive a crash.
func syncDir(dir string) error {
	d, err := os.Open(dir)
	if err != nil {
		return err
	}
	defer d.Close()
	return d.Sync()
}
