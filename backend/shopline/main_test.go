package shopline

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"strings"
	"sync"
	"testing"
	"time"

	"orderdesk/backend"
	"orderdesk/backend/internal/leakcheck"
	"orderdesk/backend/simshop"
	"orderdesk/internal/testpar"
)

// leaks collects every log line of every shop built in tests and every error
// a test receives; TestMain checks none of them holds a secret.
var leaks = leakcheck.New()

var (
	secretsMu sync.Mutex
	secrets   []string // every credential of every sim and config used
)

func addSecrets(s ...string) {
	secretsMu.Lock()
	defer secretsMu.Unlock()
	secrets = append(secrets, s...)
}

func TestMain(m *testing.M) {
	// The tests wait on retries, Retry-After and offline shops more than
	// they compute: 8 at once unless -parallel is given.
	testpar.Raise(8)
	code := m.Run()
	addSecrets(seedToken())
	secretsMu.Lock()
	all := append([]string(nil), secrets...)
	secretsMu.Unlock()
	if err := leaks.Check(all...); err != nil {
		fmt.Fprintln(os.Stderr, err)
		code = 1
	}
	os.Exit(code)
}

// seedToken is the JWT of seed 002's Authorization example.
func seedToken() string {
	b, err := os.ReadFile("testdata/seeds/authorization_header.example.txt")
	if err != nil {
		panic(err)
	}
	return strings.TrimPrefix(string(b), "Bearer ")
}

// startSim starts a SHOPLINE simshop and records its secrets.
func startSim(t *testing.T, opt simshop.Options) *simshop.Server {
	t.Helper()
	srv, err := simshop.New(backend.Shopline, opt)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(srv.Close)
	addSecrets(srv.Secrets()...)
	return srv
}

// newShop builds the adapter, logging into the leak collector.
func newShop(t *testing.T, cfg backend.ShopConfig) *Shop {
	t.Helper()
	cfg.Logger = leaks.Logger()
	addSecrets(cfg.Token.Reveal())
	s, err := New(cfg)
	if err != nil {
		t.Fatal(leaks.Err(err))
	}
	return s
}

func ctxT(t *testing.T) context.Context {
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	t.Cleanup(cancel)
	return ctx
}

// wantErr checks err's kind and that its reason contains want.
func wantErr(t *testing.T, err error, kind error, want string) *backend.Error {
	t.Helper()
	leaks.Err(err)
	var be *backend.Error
	if !errors.Is(err, kind) || !errors.As(err, &be) {
		t.Fatalf("err = %v, want kind %v", err, kind)
	}
	if !strings.Contains(err.Error(), want) {
		t.Fatalf("err = %q, want it to contain %q", err, want)
	}
	return be
}

func must(t *testing.T, err error) {
	t.Helper()
	if leaks.Err(err) != nil {
		t.Fatal(err)
	}
}

// listAll pages through a listing and returns the orders and page totals.
func listAll(t *testing.T, shop *Shop, q backend.ListQuery) ([]*backend.Order, []int) {
	t.Helper()
	var out []*backend.Order
	var totals []int
	for range 100 {
		page, err := shop.List(ctxT(t), q)
		must(t, err)
		out = append(out, page.Orders...)
		totals = append(totals, page.Total)
		if page.Next == "" {
			return out, totals
		}
		q.Cursor = page.Next
	}
	t.Fatal("listing never ended")
	return nil, nil
}

// truth returns the sim's orders by number as the adapter should read them.
func truth(srv *simshop.Server, shop string) map[string]*backend.Order {
	m := map[string]*backend.Order{}
	for _, o := range srv.Orders() {
		o.Shop, o.Ref = shop, backend.Ref{Shop: shop, Number: o.Number}
		m[o.Number] = o
	}
	return m
}

// canon is an order's JSON without SyncedAt and Raw, for comparisons.
func canon(t *testing.T, o *backend.Order) string {
	t.Helper()
	c := *o
	c.SyncedAt, c.Raw = nil, nil
	b, err := json.MarshalIndent(c, "", " ")
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}

// sameOrder fails with the first differing line.
func sameOrder(t *testing.T, got, want *backend.Order) {
	t.Helper()
	g, w := canon(t, got), canon(t, want)
	if g == w {
		return
	}
	gl, wl := strings.Split(g, "\n"), strings.Split(w, "\n")
	for i := range min(len(gl), len(wl)) {
		if gl[i] != wl[i] {
			t.Fatalf("order %s differs at line %d:\n got: %s\nwant: %s\n(full got:\n%s)", want.Number, i+1, gl[i], wl[i], g)
		}
	}
	t.Fatalf("order %s differs in length:\n got %s\nwant %s", want.Number, g, w)
}
