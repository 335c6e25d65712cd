package fecshop

import (
	"encoding/json"
	"fmt"
	"os"
	"sync"
	"testing"
	"time"

	"orderdesk/backend"
	"orderdesk/backend/internal/leakcheck"
	"orderdesk/backend/simshop"
	"orderdesk/internal/testpar"
)

// collector gathers every log line and error the tests see; TestMain checks
// that none contains a secret of any simulated shop the tests started.
var (
	collector = leakcheck.New()
	simsMu    sync.Mutex
	sims      []*simshop.Server
	extraSecs []string
)

func TestMain(m *testing.M) {
	// The tests wait on retries, Retry-After and offline shops more than
	// they compute: 8 at once unless -parallel is given.
	testpar.Raise(8)
	code := m.Run()
	simsMu.Lock()
	secrets := append([]string(nil), extraSecs...)
	requests := 0
	for _, s := range sims {
		secrets = append(secrets, s.Secrets()...)
		requests += len(s.Requests())
	}
	simsMu.Unlock()
	if err := collector.Check(secrets...); err != nil {
		fmt.Fprintln(os.Stderr, err)
		code = 1
	}
	if logs, _ := collector.Count(); code == 0 && requests > 0 && logs == 0 {
		fmt.Fprintln(os.Stderr, "leak check saw no log line: the shops are not wired to the collector")
		code = 1
	}
	os.Exit(code)
}

// startSim starts a simulated Fecshop store and registers it for the leak check.
func startSim(t *testing.T, opt simshop.Options) *simshop.Server {
	t.Helper()
	if opt.Seed == 0 {
		opt.Seed = 1
	}
	srv, err := simshop.New(backend.Fecshop, opt)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(srv.Close)
	simsMu.Lock()
	sims = append(sims, srv)
	simsMu.Unlock()
	return srv
}

// newShop builds the adapter for srv, logging into the collector.
func newShop(t *testing.T, srv *simshop.Server, edit ...func(*backend.ShopConfig)) *Shop {
	t.Helper()
	cfg := srv.Config("eu-store")
	cfg.Logger = collector.Logger()
	cfg.Timeout = 5 * time.Second
	cfg.Rate = 1000 // the tests time retries, not the client's limiter
	cfg.Burst = 1000
	for _, e := range edit {
		e(&cfg)
	}
	s, err := New(cfg)
	if err != nil {
		t.Fatal(err)
	}
	return s
}

// addSecret adds a secret a test made up to the leak check.
func addSecret(s string) {
	simsMu.Lock()
	defer simsMu.Unlock()
	extraSecs = append(extraSecs, s)
}

// seen records an error for the leak check and returns it.
func seen(err error) error { return collector.Err(err) }

// asJSON renders orders in the normalised JSON for comparison, after
// filling what only the adapter knows (Shop, Ref) and clearing SyncedAt and
// Raw, as the brief's ground-truth comparison prescribes.
func asJSON(t *testing.T, orders []*backend.Order, shop string) string {
	t.Helper()
	out := make([]*backend.Order, len(orders))
	for i, o := range orders {
		c := *o
		c.Shop, c.Ref = shop, backend.Ref{Shop: shop, Number: o.Number}
		c.SyncedAt, c.Raw = nil, nil
		out[i] = &c
	}
	b, err := json.MarshalIndent(out, "", " ")
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}

// firstDiff shows where two renderings part, for readable failures.
func firstDiff(a, b string) string {
	n := min(len(a), len(b))
	for i := 0; i < n; i++ {
		if a[i] != b[i] {
			lo := max(0, i-300)
			return fmt.Sprintf("got …%s…\nwant …%s…", a[lo:min(len(a), i+200)], b[lo:min(len(b), i+200)])
		}
	}
	return fmt.Sprintf("lengths differ: %d vs %d", len(a), len(b))
}

// logins counts the login requests srv received.
func logins(srv *simshop.Server) int {
	n := 0
	for _, r := range srv.Requests() {
		if r.Path == "/v1/account/login" {
			n++
		}
	}
	return n
}

// orderIn returns the first order of the truth in the raw status.
func orderIn(t *testing.T, srv *simshop.Server, status string) *backend.Order {
	t.Helper()
	for _, o := range srv.Orders() {
		if o.RawStatus["order_status"] == status {
			return o
		}
	}
	t.Fatalf("no order in %s", status)
	return nil
}
