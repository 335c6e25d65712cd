// Package scaledb builds the large databases the scale benchmarks read:
// n cached orders, a quarter from each platform's simulated shop (its
// truth, stored a page per transaction with cache.Fill), and a config
// naming their shops. Each size is built once and kept under
// $TMPDIR/orderdesk-scale/, keyed by size and by the fixture and schema
// versions, so a second benchmark run reuses it.
package scaledb

import (
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"time"

	"orderdesk/backend"
	"orderdesk/backend/simshop"
	"orderdesk/cache"
)

// Version names what a fixture holds; bump it when the content or the
// way it is stored changes, so old fixtures are not reused.
const Version = 1

// ScalesEnv lists the sizes the scale benchmarks run at (comma
// separated); DefaultScales when unset.
const ScalesEnv = "ORDERDESK_SCALES"

// DefaultScales keeps a plain `go test -bench Scale` short.
var DefaultScales = []int{10000, 100000}

// Scales reads ScalesEnv: every size must be a positive multiple of 4.
func Scales() ([]int, error) {
	v := strings.TrimSpace(os.Getenv(ScalesEnv))
	if v == "" {
		return DefaultScales, nil
	}
	var out []int
	for _, f := range strings.Split(v, ",") {
		n, err := strconv.Atoi(strings.TrimSpace(f))
		if err != nil || n <= 0 || n%4 != 0 {
			return nil, fmt.Errorf("%s: %q is not a positive multiple of 4", ScalesEnv, f)
		}
		out = append(out, n)
	}
	return out, nil
}

// Fixture is one built database.
type Fixture struct {
	N      int
	Dir    string
	DB     string   // the database file
	Config string   // a config naming the four shops (their URLs lead nowhere)
	Refs   []string // one order ref per shop, from the middle of its orders
	Built  time.Duration
}

// Platforms are the four platforms, in the order their shops are built.
var platforms = []backend.Platform{backend.Fecshop, backend.Fecmall, backend.Shopline, backend.YMCart}

// ShopName is the name of the fixture's shop of platform p.
func ShopName(p backend.Platform) string { return "scale-" + string(p) }

// Dir is where the fixture of n orders lives.
func Dir(n int) string {
	return filepath.Join(os.TempDir(), "orderdesk-scale",
		fmt.Sprintf("f%d-s%d-n%d", Version, cache.SchemaVersion, n))
}

// Open returns the fixture of n orders, building it first when it is not
// on disk yet (logf hears how long that took). A build goes to a
// temporary directory renamed into place at the end, so an interrupted
// build is never reused.
func Open(n int, logf func(format string, args ...any)) (*Fixture, error) {
	if n <= 0 || n%len(platforms) != 0 {
		return nil, fmt.Errorf("scaledb: %d orders: want a positive multiple of %d", n, len(platforms))
	}
	dir := Dir(n)
	f := &Fixture{N: n, Dir: dir, DB: filepath.Join(dir, "orderdesk.db"), Config: filepath.Join(dir, "config.toml")}
	refs, err := os.ReadFile(filepath.Join(dir, "refs"))
	if err == nil {
		f.Refs = strings.Fields(string(refs))
		return f, nil
	}
	if !errors.Is(err, os.ErrNotExist) {
		return nil, err
	}
	if err := os.MkdirAll(filepath.Dir(dir), 0o700); err != nil {
		return nil, err
	}
	tmp, err := os.MkdirTemp(filepath.Dir(dir), filepath.Base(dir)+".build-")
	if err != nil {
		return nil, err
	}
	defer os.RemoveAll(tmp)
	start := time.Now()
	if err := build(tmp, n, logf); err != nil {
		return nil, fmt.Errorf("scaledb: build %d orders: %w", n, err)
	}
	if err := os.Rename(tmp, dir); err != nil {
		return nil, err
	}
	f.Built = time.Since(start)
	if logf != nil {
		logf("scaledb: built %d orders in %v at %s", n, f.Built.Round(time.Second), dir)
	}
	built := f.Built
	f, err = Open(n, nil)
	if f != nil {
		f.Built = built
	}
	return f, err
}

func build(dir string, n int, logf func(string, ...any)) error {
	st, err := cache.Open(filepath.Join(dir, "orderdesk.db"), cache.Options{})
	if err != nil {
		return err
	}
	var cfg strings.Builder
	var refs []string
	for i, p := range platforms {
		start := time.Now()
		srv, err := simshop.New(p, simshop.Options{Seed: int64(i + 1), Orders: n / len(platforms)})
		if err != nil {
			_ = st.Close()
			return err
		}
		name := ShopName(p)
		orders := srv.Orders()
		srv.Close()
		for _, o := range orders {
			o.Shop, o.Ref = name, backend.Ref{Shop: name, Number: o.Number}
		}
		generated := time.Since(start)
		if err := cache.Fill(st, orders, fillPage); err != nil {
			_ = st.Close()
			return err
		}
		if logf != nil {
			logf("scaledb: %s: generated %d orders in %v, stored in %v", name, len(orders),
				generated.Round(time.Millisecond), (time.Since(start) - generated).Round(time.Millisecond))
		}
		refs = append(refs, orders[len(orders)/2].Ref.String())
		cfg.WriteString(ShopTable(name, p))
	}
	if err := st.Close(); err != nil {
		return err
	}
	if err := os.WriteFile(filepath.Join(dir, "config.toml"), []byte(cfg.String()), 0o600); err != nil {
		return err
	}
	// refs last: its presence marks a finished fixture.
	return os.WriteFile(filepath.Join(dir, "refs"), []byte(strings.Join(refs, "\n")+"\n"), 0o600)
}

// fillPage is the orders per transaction of a build: a sync's page is
// smaller, but the build only has to produce the same file content.
const fillPage = 1000

// ShopTable is a config's [[shops]] table for a shop of the fixture: an
// address nothing listens on and a secret from an unset variable, so
// commands that read the cache run and none reaches a shop.
func ShopTable(name string, p backend.Platform) string {
	secret := "token_env = \"UNUSED\""
	switch p {
	case backend.Fecshop:
		secret = "username = \"x\"\npassword_env = \"UNUSED\""
	case backend.Shopline:
		secret += "\napi_version = \"v20251201\""
	}
	return fmt.Sprintf("[[shops]]\nname = %q\nplatform = %q\nurl = \"http://127.0.0.1:9\"\n%s\n\n", name, p, secret)
}
