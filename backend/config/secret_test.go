package config

import (
	"context"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

// shopWith is a ymcart shop whose token comes from the line given (line 5).
func shopWith(secretLine string) string {
	return strings.Replace(ymShop, `token_env = "YM_TOKEN"`, secretLine, 1)
}

// loadShop loads text (mode 0600) and returns its first shop and the path.
func loadShop(t *testing.T, text string, mode os.FileMode, opt Options) (Shop, string) {
	t.Helper()
	path := writeConfig(t, text, mode)
	c, err := Load(path, opt)
	if err != nil {
		t.Fatal(err)
	}
	return c.Shops[0], path
}

func TestResolveEnv(t *testing.T) {
	t.Parallel()
	s, path := loadShop(t, ymShop, 0o644, Options{LookupEnv: env("YM_TOKEN", "ENV-SECRET-1 with spaces ")})
	cfg, err := s.Resolve(context.Background())
	if err != nil || cfg.Token.Reveal() != "ENV-SECRET-1 with spaces " || !cfg.Password.IsZero() {
		t.Fatalf("Resolve = %q, %v", cfg.Token.Reveal(), err)
	}
	for _, tc := range []struct {
		lookup func(string) (string, bool)
		want   string
	}{{env(), "environment variable YM_TOKEN is not set"}, {env("YM_TOKEN", " "), "environment variable YM_TOKEN is empty"}} {
		s, path = loadShop(t, ymShop, 0o644, Options{LookupEnv: tc.lookup})
		_, err := s.Resolve(context.Background())
		wantProblem(t, err, path, 5, "shops[1].token_env", tc.want, `shop "ym"`)
		if !errors.Is(err, ErrSecret) {
			t.Errorf("%v is not ErrSecret", err)
		}
	}
}

func TestResolveCommand(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct{ cmd, want string }{
		{`printf 'CMD-SECRET-1\nurl: https://x\n'`, "CMD-SECRET-1"}, // pass: the secret is the first line
		{`printf '\n  CMD-SECRET-2  \n'`, "CMD-SECRET-2"},
		{`echo "$HOME" >/dev/null; echo CMD-SECRET-3`, "CMD-SECRET-3"},
	} {
		s, _ := loadShop(t, shopWith(fmt.Sprintf("token_cmd = '''%s'''", tc.cmd)), 0o644, Options{})
		cfg, err := s.Resolve(context.Background())
		if err != nil || cfg.Token.Reveal() != tc.want {
			t.Errorf("%s: Resolve = %q, %v; want %q", tc.cmd, cfg.Token.Reveal(), err, tc.want)
		}
	}
}

func TestResolveCommandFailures(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct {
		name, cmd string
		want      []string
		not       []string
	}{
		{"exit status", `echo CMD-SECRET-9; echo "gpg: decryption failed" >&2; echo second line >&2; exit 3`,
			[]string{"exit status 3", "gpg: decryption failed"}, []string{"second line", "CMD-SECRET-9"}},
		{"stderr echoes the secret", `echo CMD-SECRET-8; echo "token CMD-SECRET-8 refused" >&2; exit 1`,
			[]string{"exit status 1", "token [REDACTED] refused"}, []string{"CMD-SECRET-8"}},
		{"no output", `true`, []string{"printed nothing on stdout"}, nil},
		{"not found", `no-such-command-orderdesk`, []string{"exit status 127", "not found"}, nil},
	} {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			s, path := loadShop(t, shopWith(fmt.Sprintf("token_cmd = '''%s'''", tc.cmd)), 0o644, Options{})
			_, err := s.Resolve(context.Background())
			wantProblem(t, err, path, 5, "shops[1].token_cmd", tc.want...)
			for _, n := range tc.not {
				if strings.Contains(err.Error(), n) {
					t.Errorf("error says %q: %v", n, err)
				}
			}
			if !errors.Is(err, ErrSecret) {
				t.Errorf("%v is not ErrSecret", err)
			}
		})
	}
}

func TestResolveCommandTimeout(t *testing.T) {
	t.Parallel()
	for _, cmd := range []string{`sleep 10`, `(sleep 10; echo late); echo never`} { // the second leaves a grandchild on the pipe
		s, path := loadShop(t, shopWith(fmt.Sprintf("token_cmd = '''%s'''", cmd)), 0o644, Options{CommandTimeout: 200 * time.Millisecond})
		start := time.Now()
		_, err := s.Resolve(context.Background())
		if d := time.Since(start); d > 3*time.Second {
			t.Errorf("%s: Resolve took %v", cmd, d)
		}
		wantProblem(t, err, path, 5, "shops[1].token_cmd", "did not finish within 200ms")
	}
}

func TestResolveCommandCancelled(t *testing.T) {
	t.Parallel()
	marker := filepath.Join(t.TempDir(), "ran")
	s, path := loadShop(t, shopWith(fmt.Sprintf("token_cmd = 'touch %s; echo x'", marker)), 0o644, Options{})
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	_, err := s.Resolve(ctx)
	if !errors.Is(err, context.Canceled) {
		t.Fatalf("Resolve(cancelled) = %v", err)
	}
	wantProblem(t, err, path, 5, "shops[1].token_cmd", "interrupted")
	if _, err := os.Stat(marker); err == nil {
		t.Fatal("the command ran under a cancelled context")
	}
}

// Load never runs a command: list and show must work with a broken
// password manager.
func TestLoadDoesNotRunCommands(t *testing.T) {
	t.Parallel()
	marker := filepath.Join(t.TempDir(), "ran")
	s, path := loadShop(t, shopWith(fmt.Sprintf("token_cmd = 'touch %s; exit 1'", marker)), 0o644, Options{})
	if _, err := os.Stat(marker); err == nil {
		t.Fatal("Load ran token_cmd")
	}
	_, err := s.Resolve(context.Background())
	wantProblem(t, err, path, 5, "shops[1].token_cmd", "exit status 1")
	if _, err := os.Stat(marker); err != nil {
		t.Fatal("Resolve did not run token_cmd")
	}
}

func TestResolveLiteral(t *testing.T) {
	t.Parallel()
	text := shopWith(`token = "LITERAL-SECRET-1"`)
	s, _ := loadShop(t, text, 0o600, Options{})
	cfg, err := s.Resolve(context.Background())
	if err != nil || cfg.Token.Reveal() != "LITERAL-SECRET-1" {
		t.Fatalf("0600: Resolve = %q, %v", cfg.Token.Reveal(), err)
	}
	for _, mode := range []os.FileMode{0o644, 0o640, 0o604} {
		s, path := loadShop(t, text, mode, Options{})
		_, err = s.Resolve(context.Background())
		wantProblem(t, err, path, 5, "shops[1].token", fmt.Sprintf("%04o", mode), "chmod 600 "+path, "token_env", "token_cmd")
	}
	// fecshop's password, likewise.
	s, path := loadShop(t, "[[shops]]\nname = \"f\"\nplatform = \"fecshop\"\nurl = \"https://a.example.com\"\nusername = \"u\"\n"+
		"password = \"LITERAL-SECRET-2\"\n", 0o644, Options{})
	_, err = s.Resolve(context.Background())
	wantProblem(t, err, path, 6, "shops[1].password", "chmod 600", "password_env", "password_cmd")
}

// No error and no printed form ever contains a secret.
func TestNoSecretInErrorsOrOutput(t *testing.T) {
	t.Parallel()
	secrets := []string{"S3CRET-ENV-1", "S3CRET-CMD-2", "S3CRET-LIT-3", "S3CRET-SYN-4", "S3CRET-ARR-5", "S3CRET-NAME-6", "S3CRET-URL-7", "S3CRET-LIT-8"}
	var texts []string
	collect := func(err error) {
		if err == nil {
			t.Errorf("want an error")
			return
		}
		texts = append(texts, err.Error(), fmt.Sprintf("%+v %#v", err, err))
	}
	// Errors from Load.
	for _, text := range []string{
		shopWith(`token = "S3CRET-SYN-4`),
		shopWith(`token = ["S3CRET-ARR-5"]`),
		shopWith(`token_env = "sk-S3CRET-NAME-6"`),
		strings.Replace(ymShop, "https://", "https://user:S3CRET-URL-7@", 1),
		shopWith(`token = "S3CRET-LIT-3"`) + `token_env = "YM_TOKEN"` + "\n",
	} {
		_, err := Load(writeConfig(t, text, 0o600), Options{LookupEnv: env()})
		collect(err)
	}
	// Errors from Resolve.
	s, _ := loadShop(t, ymShop, 0o600, Options{LookupEnv: env("YM_TOKEN", "")})
	_, err := s.Resolve(context.Background())
	collect(err)
	s, _ = loadShop(t, shopWith(`token_cmd = 'echo S3CRET-CMD-2; echo S3CRET-CMD-2 >&2; exit 2'`), 0o600, Options{})
	_, err = s.Resolve(context.Background())
	collect(err)
	s, _ = loadShop(t, shopWith(`token = "S3CRET-LIT-3"`), 0o644, Options{})
	_, err = s.Resolve(context.Background())
	collect(err)
	// Printed forms of what Load and Resolve return.
	path := writeConfig(t, shopWith(`token = "S3CRET-LIT-8"`), 0o600)
	c, err := Load(path, Options{})
	if err != nil {
		t.Fatal(err)
	}
	cfg, err := c.Shops[0].Resolve(context.Background())
	if err != nil || cfg.Token.Reveal() != "S3CRET-LIT-8" {
		t.Fatalf("Resolve = %v", err)
	}
	texts = append(texts, fmt.Sprintf("%v %+v %#v %v %+v %#v %s", c, c, c, c.Shops[0], c.Shops[0], c.Shops[0], c.Shops[0].Token),
		fmt.Sprintf("%v %+v %#v", cfg, cfg, cfg))
	s, _ = loadShop(t, ymShop, 0o600, Options{LookupEnv: env("YM_TOKEN", "S3CRET-ENV-1")})
	cfg, _ = s.Resolve(context.Background())
	texts = append(texts, fmt.Sprintf("%v %+v %#v", cfg, cfg, cfg))

	for _, text := range texts {
		for _, sec := range secrets {
			if strings.Contains(text, sec) {
				t.Errorf("%q leaks in:\n%s", sec, text)
			}
		}
	}
}
