package fecmall

import (
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"os"
	"strings"
	"sync"
	"testing"

	"orderdesk/backend"
	"orderdesk/backend/internal/leakcheck"
	"orderdesk/backend/simshop"
	"orderdesk/internal/testpar"
)

// collector receives every log line and every error the tests see; TestMain
// checks that none holds a secret of any shop the tests started.
var collector = leakcheck.New()

var (
	secretsMu sync.Mutex
	secrets   []string
)

func remember(s ...string) {
	secretsMu.Lock()
	defer secretsMu.Unlock()
	secrets = append(secrets, s...)
}

func TestMain(m *testing.M) {
	// The tests wait on retries, Retry-After and offline shops more than
	// they compute: 8 at once unless -parallel is given.
	testpar.Raise(8)
	code := m.Run()
	secretsMu.Lock()
	defer secretsMu.Unlock()
	if err := collector.Check(secrets...); err != nil {
		fmt.Fprintln(os.Stderr, err)
		code = 1
	}
	os.Exit(code)
}

const shopName = "fm"

// newSim starts a Fecmall simulated shop with seed 1.
func newSim(t *testing.T, opt simshop.Options) *simshop.Server {
	t.Helper()
	if opt.Seed == 0 {
		opt.Seed = 1
	}
	srv, err := simshop.New(backend.Fecmall, opt)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(srv.Close)
	remember(srv.Secrets()...)
	return srv
}

// newShop builds the adapter for srv, logging into the collector; edit
// changes the config first.
func newShop(t *testing.T, srv *simshop.Server, edit ...func(*backend.ShopConfig)) *Shop {
	t.Helper()
	cfg := srv.Config(shopName)
	cfg.Logger = collector.Logger()
	cfg.Rate, cfg.Burst = 1000, 1000 // the default 5/s would only slow the tests
	for _, e := range edit {
		e(&cfg)
	}
	remember(cfg.Token.Reveal(), cfg.Password.Reveal())
	s, err := New(cfg)
	if err != nil {
		t.Fatal(collector.Err(err))
	}
	return s
}

// comparable renders an order as JSON without the fields a copy of the
// truth cannot have (SyncedAt, Raw), with Shop and Ref filled in.
func comparable(t *testing.T, o *backend.Order) string {
	t.Helper()
	c := *o
	c.Shop, c.Ref, c.SyncedAt, c.Raw = shopName, backend.Ref{Shop: shopName, Number: o.Number}, nil, nil
	b, err := json.MarshalIndent(c, "", " ")
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}

func sameOrder(t *testing.T, got, want *backend.Order) {
	t.Helper()
	if g, w := comparable(t, got), comparable(t, want); g != w {
		t.Errorf("order %s differs from the truth:\n got %s\nwant %s", want.Number, g, w)
	}
}

// checkRead asserts one recorded request is an authenticated GET of path
// with exactly the query q and no body.
func checkRead(t *testing.T, srv *simshop.Server, r simshop.Recorded, path string, q map[string]string) {
	t.Helper()
	if r.Method != http.MethodGet || r.Path != path {
		t.Errorf("request %s %s, want GET %s", r.Method, r.Path, path)
	}
	if got := r.Header.Get("open-access-token"); got != srv.Opt.Token {
		t.Errorf("open-access-token header %q, want the shop's token", got)
	}
	if len(r.Body) != 0 {
		t.Errorf("GET with a body: %q", r.Body)
	}
	if len(r.Query) != len(q) {
		t.Errorf("query %v, want %v", r.Query, q)
	}
	for k, v := range q {
		if got := r.Query[k]; len(got) != 1 || got[0] != v {
			t.Errorf("query %s = %v, want %q (query %v)", k, got, v, r.Query)
		}
	}
	if strings.Contains(r.Query.Encode(), srv.Opt.Token) {
		t.Errorf("the token is in the query string")
	}
}

// wantKind fails unless err is a *backend.Error of the kind.
func wantKind(t *testing.T, err error, kind error) *backend.Error {
	t.Helper()
	collector.Err(err)
	var be *backend.Error
	if !errors.As(err, &be) || !errors.Is(err, kind) {
		t.Fatalf("error %v (%T), want a *backend.Error of kind %v", err, err, kind)
	}
	return be
}
