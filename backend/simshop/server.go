// Package simshop runs simulated shops: one HTTP server per platform speaking
// that platform's documented wire format, quirks included (SPEC §9). Orders
// are generated deterministically from a seed. Knobs inject faults (offline,
// 5xx, 429 with Retry-After, malformed or truncated bodies, a write applied
// then the connection dropped, a request never answered, token expiry,
// latency, a server-side rate limit); every request is recorded and every
// applied write counted per order. A shop can be kept on disk
// (Options.State, keep.go) so that it survives a restart. Used by --demo,
// by the adapter tests and by the benchmarks.
package simshop

import (
	"encoding/json"
	"fmt"
	"io"
	"net"
	"net/http"
	"slices"
	"strconv"
	"sync"
	"time"

	"golang.org/x/time/rate"

	"orderdesk/backend"
)

// Options configure a simulated shop. Zero values get defaults.
type Options struct {
	Seed     int64
	Orders   int            // generated orders; default 60
	Now      time.Time      // generation reference time; default 2026-11-01T00:00:00Z
	Span     time.Duration  // creation times spread over this long before Now; default 120 days
	Timezone *time.Location // the shop's zone for naive times; default Asia/Shanghai
	// Credentials the server accepts. Defaults are fixed test values.
	Username   string // fecshop
	Password   string // fecshop
	Token      string // fecmall, shopline, ymcart
	APIVersion string // shopline; default v20251201
	// Rate and Burst limit requests server-side (0 = no limit); over the
	// limit the platform's own 429 answer is sent.
	Rate  float64
	Burst int
	// State is a file the shop keeps its state in across restarts (see
	// keep.go). When it exists, its seed, order count, reference time and
	// zone replace Seed, Orders, Now and Timezone, and the orders writes
	// changed are put back; a file that cannot be used is a *StateError.
	// When it does not exist it is created. Every applied write is saved
	// before it is answered. Empty: nothing is kept.
	State string
}

// DefaultNow is the reference time of generated data when Options.Now is zero.
var defaultNow = time.Date(2026, 11, 1, 0, 0, 0, 0, time.UTC)

func (o *Options) defaults(p backend.Platform) {
	if o.Orders == 0 {
		o.Orders = 60
	}
	if o.Now.IsZero() {
		o.Now = defaultNow
	}
	if o.Timezone == nil {
		loc, err := time.LoadLocation("Asia/Shanghai")
		if err != nil {
			loc = time.FixedZone("CST", 8*3600)
		}
		o.Timezone = loc
	}
	if o.Username == "" {
		o.Username = "desk"
	}
	if o.Password == "" {
		o.Password = "sim-password-" + string(p)
	}
	if o.Token == "" {
		o.Token = "sim-token-" + string(p) + "-7f3a9c"
	}
	if o.APIVersion == "" {
		o.APIVersion = "v20251201"
	}
}

// platform is what each wire format implements.
type platform interface {
	// build fills the platform-specific parts of a generated order: number,
	// id, raw status and the state it means, totals as the platform
	// computes them. i is the order's position in creation order.
	build(s *Server, o *backend.Order, i int)
	// routes installs the platform's endpoints.
	routes(s *Server, mux *http.ServeMux)
	// isWrite tells writes from reads, for fault matching and the record.
	isWrite(r *http.Request) bool
	// tooMany writes the platform's rate-limit answer.
	tooMany(w http.ResponseWriter, retryAfter time.Duration)
	// fail writes the platform's answer for an injected HTTP status.
	fail(w http.ResponseWriter, status int)
	// expireTokens invalidates every session token (fecshop); others no-op.
	expireTokens()
	// keep returns what writes change of order i beyond backend.Order, as
	// a JSON value (nil: nothing), for a shop kept on disk; restore puts
	// back what keep returned in an earlier run, after the order itself.
	// The caller holds Server.mu.
	keep(i int, number string) any
	restore(i int, number string, raw json.RawMessage) error
	// counters are the shop-wide numbers writes advance; setCounters puts
	// them back (nil: none kept).
	counters() map[string]int
	setCounters(c map[string]int) error
}

// Server is one simulated shop.
type Server struct {
	Platform backend.Platform
	Opt      Options

	plat platform
	mux  *http.ServeMux

	mu      sync.Mutex
	orders  []*backend.Order // creation order; the truth
	index   map[string]int   // number → position
	faults  []Fault
	record  []Recorded
	applied map[string]int // number → writes applied
	emails  map[string]int // number → customer emails the platform sent
	issued  []string       // session tokens handed out (fecshop), for leak checks
	latency time.Duration
	limiter *rate.Limiter
	// wire holds each order's rendered wire JSON per form until the order
	// changes (lockedChanged drops it), so that list pages splice bytes
	// instead of marshalling every order again; guarded by mu.
	wire map[wireKey][]byte
	// selected holds the positions a list filter selects, by the
	// handler's own text of the filter, until any order changes
	// (lockedChanged clears it): paging through a shop then scans its
	// orders once, not once a page; guarded by mu.
	selected map[string][]int
	// ordered says whether s.orders is in creation-time order: 0 not
	// known (lockedChanged resets it), 1 yes, 2 no; guarded by mu.
	ordered int

	// A shop kept on disk (keep.go). keepMu is taken before mu.
	keepMu    sync.Mutex
	keeping   bool           // Options.State is set; fixed at New
	keepPath  string         // guarded by keepMu
	generated string         // fingerprint of the generated orders
	kept      map[int][]byte // changed orders as last encoded, by index; guarded by keepMu
	unsaved   map[int]bool   // orders changed since the last save; guarded by mu

	lnMu    sync.Mutex
	addr    string
	srv     *http.Server
	ln      net.Listener // closed with srv: Serve may not have taken it yet
	offline bool
	hold    io.Closer // keeps the port while offline (holdPort)
	// closing is closed by Close: requests held by FaultHang end.
	closing   chan struct{}
	closeOnce sync.Once
}

// New generates the shop's orders and starts serving on a loopback port.
func New(p backend.Platform, opt Options) (*Server, error) {
	opt.defaults(p)
	pl, ok := platforms()[p]
	if !ok {
		return nil, fmt.Errorf("simshop: unknown platform %q", p)
	}
	var kept *keptShop
	if opt.State != "" {
		var err error
		if kept, err = readKept(opt.State, p); err != nil {
			return nil, err
		}
		if kept != nil {
			if err := kept.apply(opt.State, &opt); err != nil {
				return nil, err
			}
		}
	}
	s := &Server{Platform: p, Opt: opt, plat: pl(), index: map[string]int{}, applied: map[string]int{}, wire: map[wireKey][]byte{}, selected: map[string][]int{}, emails: map[string]int{},
		keeping: opt.State != "", keepPath: opt.State, kept: map[int][]byte{}, unsaved: map[int]bool{}, closing: make(chan struct{})}
	if opt.Rate > 0 {
		s.limiter = rate.NewLimiter(rate.Limit(opt.Rate), max(1, opt.Burst))
	}
	for i, o := range generate(opt, p) {
		s.plat.build(s, o, i)
		s.orders = append(s.orders, o)
		s.index[o.Number] = i
	}
	if s.keeping {
		s.generated = s.fingerprint()
		var err error
		if kept != nil {
			err = s.restore(opt.State, kept)
		} else {
			err = s.keepNew()
		}
		if err != nil {
			return nil, err
		}
	}
	s.mux = http.NewServeMux()
	s.plat.routes(s, s.mux)
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return nil, err
	}
	s.addr = ln.Addr().String()
	s.serve(ln)
	return s, nil
}

// platforms is the table of wire formats.
func platforms() map[backend.Platform]func() platform {
	return map[backend.Platform]func() platform{
		backend.Fecshop:  func() platform { return newFecshop() },
		backend.Fecmall:  func() platform { return newFecmall() },
		backend.Shopline: func() platform { return newShopline() },
		backend.YMCart:   func() platform { return newYMCart() },
	}
}

func (s *Server) serve(ln net.Listener) {
	srv := &http.Server{Handler: http.HandlerFunc(s.handle), ReadHeaderTimeout: 10 * time.Second}
	s.srv, s.ln = srv, ln
	go func() { _ = srv.Serve(ln) }()
}

// stop closes the listener and every connection. The listener is closed
// here too: a Close before the Serve goroutine has taken it leaves it
// open, taking connections, until that goroutine runs.
func (s *Server) stop() {
	if s.srv != nil {
		_ = s.srv.Close()
		_ = s.ln.Close()
		s.srv, s.ln = nil, nil
	}
}

// URL is the base URL adapters are configured with.
func (s *Server) URL() string { return "http://" + s.addr }

// Close stops the server.
func (s *Server) Close() {
	s.closeOnce.Do(func() { close(s.closing) })
	s.lnMu.Lock()
	defer s.lnMu.Unlock()
	s.stop()
	if s.hold != nil {
		_ = s.hold.Close()
		s.hold = nil
	}
}

// SetOffline(true) closes the listening socket and every connection, so
// clients get "connection refused", and keeps the port bound meanwhile so
// that no other server started in the process (another test's shop) can
// take it; SetOffline(false) listens again on the same address.
func (s *Server) SetOffline(off bool) error {
	s.lnMu.Lock()
	defer s.lnMu.Unlock()
	if off == s.offline {
		return nil
	}
	s.offline = off
	if off {
		s.stop()
		// best effort: without the hold the port is merely free again
		s.hold, _ = holdPort(s.addr)
		return nil
	}
	if s.hold != nil {
		_ = s.hold.Close()
		s.hold = nil
	}
	var ln net.Listener
	var err error
	for range 50 { // the port may linger briefly after close
		if ln, err = net.Listen("tcp", s.addr); err == nil {
			break
		}
		time.Sleep(20 * time.Millisecond)
	}
	if err != nil {
		return err
	}
	s.serve(ln)
	return nil
}

// SetLatency delays every answer by d.
func (s *Server) SetLatency(d time.Duration) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.latency = d
}

// SetRateLimit limits requests server-side (0 removes the limit).
func (s *Server) SetRateLimit(r float64, burst int) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if r <= 0 {
		s.limiter = nil
		return
	}
	s.limiter = rate.NewLimiter(rate.Limit(r), max(1, burst))
}

// ExpireTokens invalidates every session token (Fecshop: the next request
// gets "token is time out").
func (s *Server) ExpireTokens() {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.plat.expireTokens()
}

// Orders returns deep copies of the truth, in creation order.
func (s *Server) Orders() []*backend.Order {
	s.mu.Lock()
	defer s.mu.Unlock()
	out := make([]*backend.Order, len(s.orders))
	for i, o := range s.orders {
		out[i] = clone(o)
	}
	return out
}

// Order returns a deep copy of one order.
func (s *Server) Order(number string) (*backend.Order, bool) {
	s.mu.Lock()
	defer s.mu.Unlock()
	i, ok := s.index[number]
	if !ok {
		return nil, false
	}
	return clone(s.orders[i]), true
}

// Mutate changes an order on the shop side, as another user or the platform
// would (for conflict tests). fn runs under the server lock. A kept shop
// saves the change with the next write or Save.
func (s *Server) Mutate(number string, fn func(o *backend.Order)) bool {
	s.mu.Lock()
	defer s.mu.Unlock()
	i, ok := s.index[number]
	if !ok {
		return false
	}
	fn(s.orders[i])
	s.lockedChanged(i)
	return true
}

// Config is the shop config an adapter needs to talk to this server.
func (s *Server) Config(name string) backend.ShopConfig {
	return backend.ShopConfig{
		Name: name, Platform: s.Platform, URL: s.URL(),
		Username: s.Opt.Username, Password: backend.NewSecret(s.Opt.Password),
		Token: backend.NewSecret(s.Opt.Token), APIVersion: s.Opt.APIVersion,
		Timezone: s.Opt.Timezone,
	}
}

// Secrets lists the credentials of this shop and every session token it
// issued, for leak checks.
func (s *Server) Secrets() []string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return append([]string{s.Opt.Password, s.Opt.Token}, s.issued...)
}

// lockedIssue records a session token handed out; the caller holds s.mu.
func (s *Server) lockedIssue(token string) { s.issued = append(s.issued, token) }

// lockedOrder returns the order for a number; the caller holds s.mu.
func (s *Server) lockedOrder(number string) *backend.Order {
	i, ok := s.index[number]
	if !ok {
		return nil
	}
	return s.orders[i]
}

// lockedApplied counts an applied write; the caller holds s.mu.
func (s *Server) lockedApplied(o *backend.Order, emailed bool) {
	s.lockedChanged(s.index[o.Number])
	s.applied[o.Number]++
	if emailed {
		s.emails[o.Number]++
	}
}

// wireKey names one rendered form of one order: i is its position in
// creation order, form a platform's own small number (below wireForms).
type wireKey struct{ i, form int }

// wireForms bounds the form numbers, so lockedChanged can drop them all.
const wireForms = 8

// lockedWire returns order i's wire JSON in the given form, rendering it
// when it is not kept yet; the caller holds s.mu and must not change the
// bytes.
func (s *Server) lockedWire(i, form int, render func() ([]byte, error)) ([]byte, error) {
	k := wireKey{i, form}
	if b, ok := s.wire[k]; ok {
		return b, nil
	}
	b, err := render()
	if err != nil {
		return nil, err
	}
	s.wire[k] = b
	return b, nil
}

// lockedForget drops every rendered form of order i; the caller holds s.mu.
func (s *Server) lockedForget(i int) {
	for f := range wireForms {
		delete(s.wire, wireKey{i, f})
	}
}

// creationRange returns the positions [lo, hi) of s.orders that can hold
// orders created in a window: from (when set) is the first creation time
// that can match, to (when set) the last one, inclusive when toIncl. It
// narrows by binary search while the orders are in creation-time order
// (generated so; Mutate may change a creation time, then the whole range
// is returned); callers still apply their own filter to every order in the
// range. The caller holds s.mu.
func (s *Server) creationRange(from, to *time.Time, toIncl bool) (lo, hi int) {
	lo, hi = 0, len(s.orders)
	if s.ordered == 0 {
		s.ordered = 2
		if slices.IsSortedFunc(s.orders, func(a, b *backend.Order) int { return compareCreated(a.CreatedAt, b.CreatedAt) }) {
			s.ordered = 1
		}
	}
	if s.ordered != 1 {
		return lo, hi
	}
	search := func(t time.Time, after bool) int {
		i, _ := slices.BinarySearchFunc(s.orders, t, func(o *backend.Order, t time.Time) int {
			if c := compareCreated(o.CreatedAt, &t); c != 0 || !after {
				return c
			}
			return -1
		})
		return i
	}
	if from != nil {
		lo = search(*from, false)
	}
	if to != nil {
		hi = max(lo, search(*to, toIncl))
	}
	return lo, hi
}

// compareCreated orders creation times, unset first.
func compareCreated(a, b *time.Time) int {
	switch {
	case a == nil && b == nil:
		return 0
	case a == nil:
		return -1
	case b == nil:
		return 1
	}
	return a.Compare(*b)
}

// lockedSelect returns the positions of the orders a list filter selects,
// in the handler's order: kept under key (the handler's text of every
// parameter the selection depends on) until an order changes, computed by
// sel otherwise. The caller holds s.mu and must not change the slice.
func (s *Server) lockedSelect(key string, sel func() []int) []int {
	if hits, ok := s.selected[key]; ok {
		return hits
	}
	hits := sel()
	s.selected[key] = hits
	return hits
}

// unixOrNil is an instant for a selection key: "-" when unset.
func unixOrNil(t *time.Time) string {
	if t == nil {
		return "-"
	}
	return strconv.FormatInt(t.UnixNano(), 10)
}
