package e2e

import (
	"bytes"
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"orderdesk/backend"
	"orderdesk/backend/simshop"
)

// rig is a set of simulated shops, a config file pointing at them with
// secrets from the environment, and a database, for driving the real
// binary end to end. Every output of every command it runs is kept, and at
// cleanup the outputs and the database file are searched for every secret.
type rig struct {
	t       *testing.T
	dir     string
	cfg     string
	db      string
	env     []string
	shops   map[string]*simshop.Server // by shop name
	names   []string
	outputs bytes.Buffer
}

// rigShop is one shop of a rig.
type rigShop struct {
	name  string
	p     backend.Platform
	opt   simshop.Options
	extra string // more lines of the shop's config table (rate = 10)
}

// fourShops is one shop of every platform. The simulated shops take any
// rate, and so does the desk (unlimited): the platforms' default rates
// (Fecshop 2 requests a second) would only make these tests wait. A test
// of the rate limits sets its own extra.
func fourShops(orders int) []rigShop {
	return []rigShop{
		{"eu", backend.Fecshop, simshop.Options{Seed: 11, Orders: orders, Timezone: zone("Europe/Berlin")}, unlimited},
		{"cn", backend.Fecmall, simshop.Options{Seed: 12, Orders: orders, Timezone: zone("Asia/Shanghai")}, unlimited},
		{"sl", backend.Shopline, simshop.Options{Seed: 13, Orders: orders, Timezone: zone("Asia/Singapore")}, unlimited},
		{"ym", backend.YMCart, simshop.Options{Seed: 14, Orders: orders, Timezone: zone("Asia/Shanghai")}, unlimited},
	}
}

// unlimited is a shop's rate far above what a test asks of it.
const unlimited = "rate = 1000\nburst = 100\n"

func zone(name string) *time.Location {
	l, err := time.LoadLocation(name)
	if err != nil {
		panic(err)
	}
	return l
}

func newRig(t *testing.T, shops []rigShop) *rig {
	t.Helper()
	r := &rig{t: t, dir: t.TempDir(), shops: map[string]*simshop.Server{}}
	r.cfg = filepath.Join(r.dir, "config.toml")
	r.db = filepath.Join(r.dir, "data", "orderdesk.db")
	var cfg strings.Builder
	cfg.WriteString("timezone = \"UTC\"\noperator = \"tester\"\n")
	for _, s := range shops {
		srv, err := simshop.New(s.p, s.opt)
		if err != nil {
			t.Fatal(err)
		}
		t.Cleanup(srv.Close)
		r.shops[s.name] = srv
		r.names = append(r.names, s.name)
		sc := srv.Config(s.name)
		env := "OD_SECRET_" + strings.ToUpper(s.name)
		fmt.Fprintf(&cfg, "\n[[shops]]\nname = %q\nplatform = %q\nurl = %q\ntimezone = %q\n", s.name, s.p, sc.URL, s.opt.Timezone.String())
		if s.p == backend.Fecshop {
			fmt.Fprintf(&cfg, "username = %q\npassword_env = %q\n", sc.Username, env)
			r.env = append(r.env, env+"="+sc.Password.Reveal())
		} else {
			fmt.Fprintf(&cfg, "token_env = %q\n", env)
			r.env = append(r.env, env+"="+sc.Token.Reveal())
		}
		if s.p == backend.Shopline {
			fmt.Fprintf(&cfg, "api_version = %q\n", sc.APIVersion)
		}
		cfg.WriteString(s.extra)
	}
	if err := os.WriteFile(r.cfg, []byte(cfg.String()), 0o600); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(r.checkSecrets)
	return r
}

// run runs the binary with the rig's config and database.
func (r *rig) run(args ...string) (stdout, stderr string, code int) {
	r.t.Helper()
	stdout, stderr, code = runEnv(r.t, r.env, append([]string{"--config", r.cfg, "--db", r.db}, args...)...)
	r.outputs.WriteString(stdout)
	r.outputs.WriteString(stderr)
	return stdout, stderr, code
}

// must runs a command that must exit with want.
func (r *rig) must(want int, args ...string) string {
	r.t.Helper()
	out, errOut, code := r.run(args...)
	if code != want {
		r.t.Fatalf("orderdesk %s: exit %d, want %d\nstdout:\n%s\nstderr:\n%s", strings.Join(args, " "), code, want, out, errOut)
	}
	return out
}

// listJSON returns `list --format json` with extra args.
func (r *rig) listJSON(args ...string) []backend.Order {
	r.t.Helper()
	out := r.must(0, append([]string{"list", "--format", "json"}, args...)...)
	var orders []backend.Order
	if err := json.Unmarshal([]byte(out), &orders); err != nil {
		r.t.Fatalf("list json: %v\n%.300s", err, out)
	}
	return orders
}

// truth returns every shop's ground truth with shop names and refs filled in.
func (r *rig) truth() map[string]backend.Order {
	out := map[string]backend.Order{}
	for name, srv := range r.shops {
		for _, o := range srv.Orders() {
			o.Shop = name
			o.Ref = backend.Ref{Shop: name, Number: o.Number}
			out[o.Ref.String()] = *o
		}
	}
	return out
}

// checkSecrets fails when any secret shows in an output or the database.
func (r *rig) checkSecrets() {
	var secrets []string
	for _, srv := range r.shops {
		secrets = append(secrets, srv.Secrets()...)
	}
	db, _ := os.ReadFile(r.db)
	for _, s := range secrets {
		if s == "" {
			continue
		}
		if bytes.Contains(r.outputs.Bytes(), []byte(s)) {
			r.t.Errorf("a secret (%.6s…) appears in command output", s)
		}
		if bytes.Contains(db, []byte(s)) {
			r.t.Errorf("a secret (%.6s…) appears in the database file", s)
		}
	}
}

// comparable renders an order as the truth holds it: no synced_at, no
// pending, no raw.
func comparable(o backend.Order) string {
	o.SyncedAt, o.Raw, o.Pending = nil, nil, nil
	b, err := json.MarshalIndent(o, "", "  ")
	if err != nil {
		panic(err)
	}
	return string(b)
}
