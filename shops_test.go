package main

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// A shop url with plain http to another machine is refused before
// anything runs (the token would cross the network in clear text), and
// accepted when the shop says insecure_http = true.
func TestPlainHTTPToAnotherHostIsRefused(t *testing.T) {
	dir := t.TempDir()
	cfg := filepath.Join(dir, "config.toml")
	db := filepath.Join(dir, "orderdesk.db")
	shop := "[[shops]]\nname = \"ym\"\nplatform = \"ymcart\"\nurl = \"http://shop.example.com\"\ntoken_env = \"OD_YM_TOKEN\"\n"
	if err := os.WriteFile(cfg, []byte(shop), 0o600); err != nil {
		t.Fatal(err)
	}
	for _, cmd := range [][]string{{"list"}, {"sync"}} {
		out, errOut, code := runEnv(t, []string{"OD_YM_TOKEN=tok"}, append([]string{"--config", cfg, "--db", db}, cmd...)...)
		if code != 2 || out != "" || !strings.Contains(errOut, "config.toml:4: shops[1].url:") ||
			!strings.Contains(errOut, "clear text") || !strings.Contains(errOut, "insecure_http = true") {
			t.Errorf("%v: exit %d, want 2 naming the url and the way out\nstdout:\n%s\nstderr:\n%s", cmd, code, out, errOut)
		}
	}
	if _, err := os.Stat(db); err == nil {
		t.Errorf("a refused config created the database")
	}
	if err := os.WriteFile(cfg, []byte(shop+"insecure_http = true\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	if out, errOut, code := runEnv(t, nil, "--config", cfg, "--db", db, "list"); code != 0 {
		t.Errorf("with insecure_http = true: exit %d\nstdout:\n%s\nstderr:\n%s", code, out, errOut)
	}
}
