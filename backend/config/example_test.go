package config

import (
	"context"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"testing"
	"time"

	"orderdesk/backend"
)

func TestExampleLoads(t *testing.T) {
	t.Parallel()
	path := writeConfig(t, Example, 0o600)
	var checked []string
	c, err := Load(path, Options{
		LookupEnv:  env("EU_STORE_PASSWORD", "eu-pass", "MALL_TOKEN", "mall-token", "YM_TOKEN", "ym-token"),
		CheckQuery: func(q string) error { checked = append(checked, q); return nil },
	})
	if err != nil {
		t.Fatal(err)
	}
	if c.Timezone.String() != "Asia/Shanghai" || c.Operator != "anna" {
		t.Errorf("timezone %v operator %q", c.Timezone, c.Operator)
	}
	var names []string
	for _, s := range c.Shops {
		names = append(names, s.Name+"/"+string(s.Platform))
	}
	if strings.Join(names, " ") != "eu-store/fecshop mall/fecmall sl/shopline ym/ymcart" {
		t.Fatalf("shops %v", names)
	}
	eu, sl := c.Shops[0], c.Shops[2]
	if eu.Timezone.String() != "Europe/Berlin" || eu.Rate != 2 || eu.Burst != 4 || eu.Username != "desk" || eu.Password.Kind != FromEnv {
		t.Errorf("eu-store = %+v", eu)
	}
	if sl.APIVersion != "v20251201" || sl.Rate != 4 || sl.Token.Kind != FromCmd || sl.Token.Ref != "pass show shops/sl" ||
		sl.Timezone.String() != "Asia/Shanghai" {
		t.Errorf("sl = %+v", sl)
	}
	if len(c.Views) != 2 || c.Views[0].Name != "CN to ship" || len(checked) != 2 {
		t.Errorf("views %+v, checked %v", c.Views, checked)
	}
	if !c.Export.BOM {
		t.Error("[export] bom = true was not read")
	}
	if !slices.Equal(c.Keys["quit"], []string{"q", "ctrl+c"}) || !slices.Equal(c.Keys["filter"], []string{"/"}) {
		t.Errorf("keys %v", c.Keys)
	}
	// The shops whose secrets are in the (fake) environment resolve; sl's
	// token_cmd is not run here.
	for _, i := range []int{0, 1, 3} {
		cfg, err := c.Shops[i].Resolve(context.Background())
		if err != nil {
			t.Fatal(err)
		}
		if cfg.Password.IsZero() == cfg.Token.IsZero() {
			t.Errorf("%s: want exactly one secret, got password %v token %v", cfg.Name, !cfg.Password.IsZero(), !cfg.Token.IsZero())
		}
	}
	cfg, _ := c.Shops[0].Resolve(context.Background())
	if cfg.Password.Reveal() != "eu-pass" || cfg.Username != "desk" || cfg.URL != "https://appapi.example.com" ||
		cfg.Platform != backend.Fecshop || cfg.Loc().String() != "Europe/Berlin" || cfg.Rate != 2 || cfg.Burst != 4 {
		t.Errorf("resolved eu-store = %+v", cfg)
	}
}

// Every key the file may hold appears in the example, set or commented
// out, and every key the example shows is known.
func TestExampleCoversEveryKey(t *testing.T) {
	t.Parallel()
	keyLine := regexp.MustCompile(`(?m)^#?\s*([a-z_]+)\s*=`)
	shown := map[string]bool{}
	for _, m := range keyLine.FindAllStringSubmatch(Example, -1) {
		shown[m[1]] = true
	}
	sc := newSchema()
	all := slices.Concat(sc.top, sc.shop, sc.view, sc.export, sc.backup)
	for _, k := range all {
		if k == "shops" || k == "views" || k == "keys" || k == "operators" || k == "export" || k == "backup" {
			if !strings.Contains(Example, "[["+k+"]]") && !strings.Contains(Example, "["+k+"]") {
				t.Errorf("example has no [%s] table", k)
			}
			continue
		}
		if !shown[k] {
			t.Errorf("example does not show %q", k)
		}
	}
	for k := range shown {
		if !slices.Contains(all, k) && k != "quit" && k != "filter" {
			t.Errorf("example shows unknown key %q", k)
		}
	}
}

// The [backup] table: the example's values, a relative dir from the
// config's directory, and each bad value named.
func TestBackupTable(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	load := func(body string) (*Config, error) {
		path := filepath.Join(dir, "c.toml")
		if err := os.WriteFile(path, []byte(body), 0o600); err != nil {
			t.Fatal(err)
		}
		return Load(path, Options{LookupEnv: func(string) (string, bool) { return "", false }})
	}
	c, err := load("[backup]\nevery = \"6h\"\nkeep = 3\ndir = \"bk\"\n")
	if err != nil {
		t.Fatal(err)
	}
	if c.Backup.Every != 6*time.Hour || c.Backup.Keep != 3 || c.Backup.Dir != filepath.Join(dir, "bk") {
		t.Errorf("backup = %+v", c.Backup)
	}
	if c, err := load(""); err != nil || c.Backup.Every != 0 {
		t.Errorf("no [backup]: %+v, %v", c, err)
	}
	for body, want := range map[string]string{
		"[backup]\nevery = \"5m\"\n":            "backup.every",
		"[backup]\nevery = \"1d\"\nkeep = 0\n":  "backup.keep",
		"[backup]\nkeep = 3\n":                  "[backup] needs every",
		"[backup]\nevery = \"1d\"\ncount = 3\n": "backup.count: unknown key",
	} {
		if _, err := load(body); err == nil || !strings.Contains(err.Error(), want) {
			t.Errorf("%q: %v, want %q", body, err, want)
		}
	}
}
