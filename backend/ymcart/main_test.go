package ymcart

import (
	"context"
	"encoding/json"
	"fmt"
	"os"
	"sync"
	"testing"

	"orderdesk/backend"
	"orderdesk/backend/internal/leakcheck"
	"orderdesk/backend/simshop"
	"orderdesk/internal/testpar"
)

// collector receives every log line and error of the package's tests.
var collector = leakcheck.New()

// secrets lists every credential the tests used, for the leak check.
var secrets struct {
	sync.Mutex
	list []string
}

func remember(s ...string) {
	secrets.Lock()
	defer secrets.Unlock()
	secrets.list = append(secrets.list, s...)
}

func TestMain(m *testing.M) {
	// The tests wait on retries, Retry-After and offline shops more than
	// they compute: 8 at once unless -parallel is given.
	testpar.Raise(8)
	code := m.Run()
	secrets.Lock()
	list := secrets.list
	secrets.Unlock()
	// A run that started shops must have collected something, or the check
	// below proves nothing (a -run=NONE fuzz run starts none).
	if logs, errs := collector.Count(); code == 0 && len(list) > 0 && (logs == 0 || errs == 0) {
		fmt.Fprintf(os.Stderr, "leak check saw nothing (%d log bytes, %d errors, %d secrets)\n", logs, errs, len(list))
		code = 1
	}
	if err := collector.Check(list...); err != nil {
		fmt.Fprintln(os.Stderr, err)
		code = 1
	}
	os.Exit(code)
}

// seen records an error's text for the leak check and returns it.
func seen(err error) error { return collector.Err(err) }

// startSim starts a YMCart sim and a shop talking to it.
func startSim(t *testing.T) (*simshop.Server, *Shop) {
	t.Helper()
	srv, err := simshop.New(backend.YMCart, simshop.Options{Seed: 1})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(srv.Close)
	remember(srv.Secrets()...)
	return srv, newShop(t, srv.Config("ym"))
}

// newShop builds a shop that logs into the collector, with a fast limiter.
func newShop(t *testing.T, cfg backend.ShopConfig) *Shop {
	t.Helper()
	remember(cfg.Token.Reveal(), cfg.Password.Reveal())
	cfg.Logger = collector.Logger()
	if cfg.Rate == 0 {
		cfg.Rate = 1000
	}
	s, err := New(cfg)
	if err != nil {
		t.Fatal(seen(err))
	}
	return s
}

// listAll follows the cursor to the end.
func listAll(t *testing.T, s *Shop, q backend.ListQuery) []*backend.Order {
	t.Helper()
	var out []*backend.Order
	for range 100 {
		p, err := s.List(context.Background(), q)
		if err != nil {
			t.Fatal(seen(err))
		}
		out = append(out, p.Orders...)
		if p.Next == "" {
			return out
		}
		q.Cursor = p.Next
	}
	t.Fatal("listing does not end")
	return nil
}

// asTruth is an order as the sim's truth holds it: no SyncedAt or Raw.
func asTruth(o *backend.Order) string {
	c := *o
	c.SyncedAt, c.Raw = nil, nil
	b, err := json.MarshalIndent(c, "", "  ")
	if err != nil {
		panic(err)
	}
	return string(b)
}

// truth is the sim's order with the shop's name filled in, as JSON.
func truth(srv *simshop.Server, number string) string {
	o, ok := srv.Order(number)
	if !ok {
		return "no order " + number
	}
	o.Shop, o.Ref = "ym", backend.Ref{Shop: "ym", Number: number}
	return asTruth(o)
}

// pick returns the first truth order whose raw order_status is status.
func pick(t *testing.T, srv *simshop.Server, status string, skip ...string) *backend.Order {
	t.Helper()
outer:
	for _, o := range srv.Orders() {
		for _, s := range skip {
			if o.Number == s {
				continue outer
			}
		}
		if o.RawStatus["order_status"] == status {
			o.Shop, o.Ref = "ym", backend.Ref{Shop: "ym", Number: o.Number}
			return o
		}
	}
	t.Fatalf("the sim has no order in %s", status)
	return nil
}
