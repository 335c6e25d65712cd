package e2e

import (
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"orderdesk/backend"
	"orderdesk/backend/simshop"
	"orderdesk/cache"
	"orderdesk/internal/scaledb"
)

// bigDesk is a database of 100,000 cached orders (25,000 per platform, from
// the simulated shops' truth) and a config naming their shops. It is built
// once per `go test` process.
type bigDesk struct {
	dir, db, cfg string
	refs         []string
}

func buildBigDesk(b *testing.B) *bigDesk {
	b.Helper()
	dir, err := os.MkdirTemp("", "orderdesk-bench")
	if err != nil {
		b.Fatal(err)
	}
	d := &bigDesk{dir: dir, db: filepath.Join(dir, "big.db"), cfg: filepath.Join(dir, "config.toml")}
	st, err := cache.Open(d.db, cache.Options{})
	if err != nil {
		b.Fatal(err)
	}
	var cfg strings.Builder
	for i, p := range []backend.Platform{backend.Fecshop, backend.Fecmall, backend.Shopline, backend.YMCart} {
		srv, err := simshop.New(p, simshop.Options{Seed: int64(i + 1), Orders: 25000})
		if err != nil {
			b.Fatal(err)
		}
		name := "big-" + string(p)
		orders := srv.Orders()
		srv.Close()
		for _, o := range orders {
			o.Shop, o.Ref = name, backend.Ref{Shop: name, Number: o.Number}
		}
		if err := cache.Fill(st, orders, 500); err != nil {
			b.Fatal(err)
		}
		d.refs = append(d.refs, orders[len(orders)/2].Ref.String())
		cfg.WriteString(scaledb.ShopTable(name, p))
	}
	if err := st.Close(); err != nil {
		b.Fatal(err)
	}
	if err := os.WriteFile(d.cfg, []byte(cfg.String()), 0o600); err != nil {
		b.Fatal(err)
	}
	return d
}

func (d *bigDesk) run(b *testing.B, args ...string) int {
	cmd := exec.Command(binary, append([]string{"--config", d.cfg, "--db", d.db}, args...)...)
	var n countWriter
	var errOut strings.Builder
	cmd.Stdout, cmd.Stderr = &n, &errOut
	if err := cmd.Run(); err != nil {
		b.Fatalf("%v: %v\n%s", args, err, errOut.String())
	}
	return n.n
}

type countWriter struct{ n int }

func (c *countWriter) Write(p []byte) (int, error) { c.n += len(p); return len(p), nil }

// BenchmarkCLI100k: whole processes of the real binary against a database
// of 100,000 orders. Budgets (issue 3): `list --format json` ≤ 1.5 s,
// `show REF` ≤ 100 ms.
func BenchmarkCLI100k(b *testing.B) {
	d := buildBigDesk(b)
	defer os.RemoveAll(d.dir)
	if fi, err := os.Stat(d.db); err == nil {
		b.Logf("database: %d MB", fi.Size()>>20)
	}
	b.Run("list-json", func(b *testing.B) {
		for b.Loop() {
			d.run(b, "list", "--format", "json")
		}
	})
	b.Run("list-json-filter", func(b *testing.B) {
		for b.Loop() {
			d.run(b, "list", "--format", "json", "--filter", "pay:paid ship:unfulfilled total>50")
		}
	})
	b.Run("show", func(b *testing.B) {
		i := 0
		for b.Loop() {
			d.run(b, "show", d.refs[i%len(d.refs)])
			i++
		}
	})
}
