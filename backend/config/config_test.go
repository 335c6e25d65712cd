package config

import (
	"context"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"orderdesk/backend"
)

// A valid ymcart shop, lines 1-5.
const ymShop = `[[shops]]
name = "ym"
platform = "ymcart"
url = "https://shop.example.com"
token_env = "YM_TOKEN"
`

func TestLoadMinimal(t *testing.T) {
	t.Parallel()
	path := writeConfig(t, ymShop, 0o644)
	c, err := Load(path, Options{LookupEnv: env()})
	if err != nil {
		t.Fatal(err)
	}
	if c.Path != path || c.Timezone != time.Local || c.Operator != "" || len(c.Views) != 0 || len(c.Keys) != 0 {
		t.Fatalf("config = %+v", c)
	}
	if len(c.Shops) != 1 {
		t.Fatalf("shops = %d", len(c.Shops))
	}
	s := c.Shops[0]
	if s.Name != "ym" || s.Platform != backend.YMCart || s.URL != "https://shop.example.com" || s.Line != 1 || s.Key != "shops[1]" ||
		s.Timezone != time.Local || s.Rate != 0 || s.Burst != 0 {
		t.Fatalf("shop = %+v", s)
	}
	if s.Token.Kind != FromEnv || s.Token.Ref != "YM_TOKEN" || s.Token.Line != 5 || s.Password.Kind != NoSource {
		t.Fatalf("sources: token %+v, password %+v", s.Token, s.Password)
	}
	if got, ok := c.Shop("YM"); !ok || got.Name != "ym" {
		t.Fatalf("Shop(YM) = %v, %v", got.Name, ok)
	}
	if _, ok := c.Shop("nope"); ok {
		t.Fatal("Shop(nope) found")
	}
}

func TestShopTimezoneDefaultsToDisplayZone(t *testing.T) {
	t.Parallel()
	path := writeConfig(t, "timezone = \"Asia/Tokyo\"\n"+ymShop+"[[shops]]\nname = \"b\"\nplatform = \"fecmall\"\n"+
		"url = \"https://b.example.com\"\ntoken_env = \"B\"\ntimezone = \"UTC\"\n", 0o600)
	c, err := Load(path, Options{LookupEnv: env()})
	if err != nil {
		t.Fatal(err)
	}
	if c.Timezone.String() != "Asia/Tokyo" || c.Shops[0].Timezone != c.Timezone || c.Shops[1].Timezone.String() != "UTC" {
		t.Fatalf("zones: display %v, shops %v %v", c.Timezone, c.Shops[0].Timezone, c.Shops[1].Timezone)
	}
}

// Every mistake names the file, the line and the key.
func TestProblems(t *testing.T) {
	t.Parallel()
	badQuery := func(q string) error {
		if strings.Contains(q, "bogus:") {
			return errors.New(`unknown field "bogus:" at column 1`)
		}
		return nil
	}
	cases := []struct {
		name, text string
		line       int
		key        string
		want       []string
	}{
		{"syntax", "timezone = \"UTC\"\n[[shops]\nname = \"a\"\n", 2, "", []string{"TOML syntax", "]]"}},
		{"syntax in value", ymShop + "rate = \n", 6, "", []string{"TOML syntax"}},
		{"unknown top key", "timezon = \"UTC\"\n" + ymShop, 1, "timezon", []string{"unknown key", "did you mean timezone?"}},
		{"unknown shop key", ymShop + "tokne_cmd = \"x\"\n", 6, "shops[1].tokne_cmd", []string{"unknown key", "token_cmd"}},
		{"unknown key far off", ymShop + "colour = \"red\"\n", 6, "shops[1].colour", []string{"unknown key"}},
		{"unknown key second shop", ymShop + ymShop + "rtae = 1\n", 11, "shops[2].rtae", []string{"did you mean rate?"}},
		{"unknown table", ymShop + "[shop]\nname = \"x\"\n", 6, "shop", []string{"did you mean shops?"}},
		{"unknown subtable", ymShop + "[shops.extra]\nx = 1\n", 6, "shops[1].extra", []string{"unknown key"}},
		{"unknown key inline", "shops = [\n  {name = \"a\", platform = \"ymcart\", url = \"https://a.example.com\", token_env = \"A\"},\n" +
			"  {name = \"b\", platform = \"ymcart\", url = \"https://b.example.com\", token_env = \"B\", urll = \"x\"},\n]\n",
			3, "shops[2].urll", []string{"did you mean url?"}},
		{"unknown view key", ymShop + "[[views]]\nname = \"v\"\nquery = \"pay:paid\"\nfilter = \"x\"\n", 9, "views[1].filter", []string{"unknown key"}},
		{"type error", ymShop + "rate = \"fast\"\n", 6, "shops[1].rate", []string{"must be a number"}},
		{"type error burst", ymShop + "burst = 1.5\n", 6, "shops[1].burst", []string{"whole number"}},
		{"duplicate key", ymShop + "name = \"again\"\n", 6, "shops[1].name", []string{"already defined"}},
		{"missing name", "[[shops]]\nplatform = \"ymcart\"\nurl = \"https://a.example.com\"\ntoken_env = \"A\"\n", 1, "shops[1].name", []string{"needs a name"}},
		{"missing platform", "[[shops]]\nname = \"a\"\nurl = \"https://a.example.com\"\ntoken_env = \"A\"\n", 1, "shops[1].platform", []string{"platform is required"}},
		{"unknown platform", ymShop + "[[shops]]\nname = \"s\"\nplatform = \"shopify\"\n", 8, "shops[2].platform",
			[]string{`unknown platform "shopify" (want fecshop, fecmall, shopline or ymcart)`}},
		{"missing url", "[[shops]]\nname = \"a\"\nplatform = \"ymcart\"\ntoken_env = \"A\"\n", 1, "shops[1].url", []string{"url is required"}},
		{"bad url", strings.Replace(ymShop, "https://shop.example.com", "shop.example.com", 1), 4, "shops[1].url", []string{"http:// or https://"}},
		{"url with credentials", strings.Replace(ymShop, "https://", "https://u:hunter2pass@", 1), 4, "shops[1].url", []string{"credentials"}},
		{"shopline url with path", "[[shops]]\nname = \"sl\"\nplatform = \"shopline\"\nurl = \"https://a.myshopline.com/admin\"\n" +
			"api_version = \"v20251201\"\ntoken_env = \"T\"\n", 4, "shops[1].url", []string{"store address only"}},
		{"plain http to another host", strings.Replace(ymShop, "https://", "http://", 1), 4, "shops[1].url",
			[]string{"clear text", "token", "https://", "insecure_http = true"}},
		{"plain http to an address", strings.Replace(ymShop, "https://shop.example.com", "http://10.0.0.7:8080", 1), 4, "shops[1].url",
			[]string{"clear text"}},
		{"plain http fecshop", "[[shops]]\nname = \"f\"\nplatform = \"fecshop\"\nurl = \"http://appapi.example.com\"\nusername = \"u\"\n" +
			"password_env = \"P\"\n", 4, "shops[1].url", []string{"password", "clear text"}},
		{"insecure_http on https", ymShop + "insecure_http = true\n", 6, "shops[1].insecure_http", []string{"only for an http:// url"}},
		{"bad timeout", "timeout = \"soon\"\n" + ymShop, 1, "timeout", []string{"duration from 1s to 1h", "60s"}},
		{"timeout too short", ymShop + "timeout = \"200ms\"\n", 6, "shops[1].timeout", []string{"from 1s to 1h"}},
		{"timeout a number", ymShop + "timeout = 60\n", 6, "shops[1].timeout", []string{"quoted string"}},
		{"colon in name", strings.Replace(ymShop, `"ym"`, `"eu:1"`, 1), 2, "shops[1].name", []string{"contains ':'"}},
		{"spaces around name", strings.Replace(ymShop, `"ym"`, `" ym"`, 1), 2, "shops[1].name", []string{"spaces"}},
		{"duplicate shop", ymShop + strings.Replace(ymShop, `"ym"`, `"YM"`, 1), 7, "shops[2].name",
			[]string{`duplicate shop name "YM" (also shops[1], line 1)`}},
		{"unknown timezone", "timezone = \"Mars/Olympus\"\n" + ymShop, 1, "timezone", []string{`unknown time zone "Mars/Olympus"`}},
		{"empty timezone", "timezone = \"\"\n" + ymShop, 1, "timezone", []string{"empty time zone"}},
		{"unknown shop timezone", ymShop + "timezone = \"Europe/Nowhere\"\n", 6, "shops[1].timezone", []string{"unknown time zone"}},
		{"negative rate", ymShop + "rate = -1\n", 6, "shops[1].rate", []string{"positive"}},
		{"nan rate", ymShop + "rate = nan\n", 6, "shops[1].rate", []string{"positive"}},
		{"negative burst", ymShop + "burst = -3\n", 6, "shops[1].burst", []string{"positive"}},
		{"view without name", ymShop + "[[views]]\nquery = \"pay:paid\"\n", 6, "views[1].name", []string{"needs a name"}},
		{"view without query", ymShop + "[[views]]\nname = \"v\"\n", 6, "views[1].query", []string{"needs a query"}},
		{"duplicate view", ymShop + "[[views]]\nname = \"V\"\nquery = \"a\"\n[[views]]\nname = \"v\"\nquery = \"b\"\n",
			10, "views[2].name", []string{`duplicate view name "v" (also views[1])`}},
		{"bad query", ymShop + "[[views]]\nname = \"v\"\nquery = \"bogus:1\"\n", 8, "views[1].query", []string{`unknown field "bogus:" at column 1`}},
		{"two sources", ymShop + "token_cmd = \"pass show ym\"\n", 6, "shops[1].token_cmd",
			[]string{"also given by token_env (line 5)", "exactly one"}},
		{"no source", "[[shops]]\nname = \"a\"\nplatform = \"fecmall\"\nurl = \"https://a.example.com\"\n", 1, "shops[1]",
			[]string{"no token", "token_env", "token_cmd"}},
		{"password on token platform", ymShop + "password_env = \"P\"\n", 6, "shops[1].password_env",
			[]string{"ymcart shops use a token, not a password"}},
		{"token on fecshop", "[[shops]]\nname = \"f\"\nplatform = \"fecshop\"\nurl = \"https://a.example.com\"\nusername = \"u\"\n" +
			"password_env = \"P\"\ntoken_env = \"T\"\n", 7, "shops[1].token_env", []string{"fecshop shops use a password, not a token"}},
		{"fecshop without username", "[[shops]]\nname = \"f\"\nplatform = \"fecshop\"\nurl = \"https://a.example.com\"\npassword_env = \"P\"\n",
			1, "shops[1].username", []string{"username is required"}},
		{"username on ymcart", ymShop + "username = \"u\"\n", 6, "shops[1].username", []string{"only used by fecshop"}},
		{"shopline without version", "[[shops]]\nname = \"sl\"\nplatform = \"shopline\"\nurl = \"https://a.myshopline.com\"\ntoken_env = \"T\"\n",
			1, "shops[1].api_version", []string{"v20251201"}},
		{"shopline bad version", "[[shops]]\nname = \"sl\"\nplatform = \"shopline\"\nurl = \"https://a.myshopline.com\"\ntoken_env = \"T\"\n" +
			"api_version = \"2025-12\"\n", 6, "shops[1].api_version", []string{"vYYYYMMDD"}},
		{"version on ymcart", ymShop + "api_version = \"v20251201\"\n", 6, "shops[1].api_version", []string{"only used by shopline"}},
		{"env name", strings.Replace(ymShop, `"YM_TOKEN"`, `"ym-token"`, 1), 5, "shops[1].token_env", []string{"name of an environment variable"}},
		{"empty literal", strings.Replace(ymShop, `token_env = "YM_TOKEN"`, `token = ""`, 1), 5, "shops[1].token", []string{"empty"}},
		{"empty command", strings.Replace(ymShop, `token_env = "YM_TOKEN"`, `token_cmd = "  "`, 1), 5, "shops[1].token_cmd", []string{"empty command"}},
		{"bad binding", ymShop + "[keys]\nquit = [\"q\", 3]\n", 7, "keys.quit", []string{"list of keys"}},
		{"empty binding", ymShop + "[keys]\nquit = \"\"\n", 7, "keys.quit", []string{"must be a key"}},
		{"export bom not a bool", ymShop + "[export]\nbom = \"yes\"\n", 7, "export.bom", []string{"must be true or false", "not a TOML string"}},
		{"export bom a number", ymShop + "\n[export]\nbom = 1\n", 8, "export.bom", []string{"must be true or false"}},
		{"unknown export key", ymShop + "[export]\nbon = true\n", 7, "export.bon", []string{"unknown key", "did you mean bom?"}},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			path := writeConfig(t, tc.text, 0o600)
			c, err := Load(path, Options{LookupEnv: env(), CheckQuery: badQuery})
			if c != nil {
				t.Errorf("got a config with the error")
			}
			wantProblem(t, err, path, tc.line, tc.key, tc.want...)
		})
	}
}

// All mistakes come at once, in file order.
func TestProblemsAllAtOnce(t *testing.T) {
	t.Parallel()
	text := "timezone = \"Nowhere/X\"\n" + // 1
		"[[shops]]\n" + // 2
		"name = \"a:b\"\n" + // 3
		"platform = \"ymcart\"\n" + // 4
		"url = \"https://a.example.com\"\n" + // 5
		"token_env = \"A\"\n" + // 6
		"rate = -2\n" + // 7
		"colour = 1\n" // 8
	path := writeConfig(t, text, 0o600)
	_, err := Load(path, Options{LookupEnv: env()})
	ps := problemsOf(err)
	var got []string
	for _, p := range ps {
		got = append(got, fmt.Sprintf("%d %s", p.Line, p.Key))
	}
	want := []string{"1 timezone", "3 shops[1].name", "7 shops[1].rate", "8 shops[1].colour"}
	if strings.Join(got, ",") != strings.Join(want, ",") {
		t.Fatalf("problems %v, want %v\n%v", got, want, err)
	}
	if n := strings.Count(err.Error(), "\n"); n != len(want)-1 {
		t.Fatalf("want one problem per line:\n%v", err)
	}
}

func TestMissingFile(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	lookup := env("XDG_CONFIG_HOME", dir, "HOME", "/nonexistent")
	for _, tc := range []struct {
		path      string
		isDefault bool
	}{{"", true}, {filepath.Join(dir, "orderdesk", "config.toml"), true}, {filepath.Join(dir, "other.toml"), false}} {
		_, err := Load(tc.path, Options{LookupEnv: lookup})
		var me *MissingError
		if !errors.As(err, &me) || !errors.Is(err, fs.ErrNotExist) {
			t.Fatalf("Load(%q) = %v, want a *MissingError", tc.path, err)
		}
		wantPath := tc.path
		if wantPath == "" {
			wantPath = filepath.Join(dir, "orderdesk", "config.toml")
		}
		msg := err.Error()
		for _, w := range []string{"no config file at " + wantPath, "[[shops]]", "platform", "token_env", "orderdesk --demo"} {
			if !strings.Contains(msg, w) {
				t.Errorf("message lacks %q:\n%s", w, msg)
			}
		}
		if me.Default != tc.isDefault || strings.Contains(msg, "$XDG_CONFIG_HOME") != tc.isDefault {
			t.Errorf("Load(%q): Default = %v, want %v:\n%s", tc.path, me.Default, tc.isDefault, msg)
		}
	}
}

// The example in the missing-file message is itself a valid config.
func TestMissingFileExampleLoads(t *testing.T) {
	t.Parallel()
	path := writeConfig(t, minimalExample, 0o644)
	c, err := Load(path, Options{LookupEnv: env()})
	if err != nil || len(c.Shops) != 1 || c.Shops[0].Token.Kind != FromEnv {
		t.Fatalf("Load(minimal example) = %+v, %v", c, err)
	}
}

func TestLoadDirectory(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	_, err := Load(dir, Options{})
	if err == nil || !strings.Contains(err.Error(), "is a directory") {
		t.Fatalf("Load(dir) = %v", err)
	}
}

func TestDefaultPaths(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct {
		env        []string
		conf, data string
	}{
		{[]string{"XDG_CONFIG_HOME", "/x/conf", "XDG_DATA_HOME", "/x/data", "HOME", "/home/u"}, "/x/conf/orderdesk/config.toml", "/x/data/orderdesk/orderdesk.db"},
		{[]string{"HOME", "/home/u"}, "/home/u/.config/orderdesk/config.toml", "/home/u/.local/share/orderdesk/orderdesk.db"},
		{[]string{"XDG_CONFIG_HOME", "rel", "XDG_DATA_HOME", "", "HOME", "/home/u"}, "/home/u/.config/orderdesk/config.toml", "/home/u/.local/share/orderdesk/orderdesk.db"},
	} {
		conf, err1 := DefaultPathFrom(env(tc.env...))
		data, err2 := DefaultDBFrom(env(tc.env...))
		if err1 != nil || err2 != nil || conf != tc.conf || data != tc.data {
			t.Errorf("env %v: DefaultPath = %q, %v; DefaultDB = %q, %v", tc.env, conf, err1, data, err2)
		}
	}
	if p, err := DefaultPathFrom(env()); err == nil || p != "" {
		t.Errorf("DefaultPathFrom without HOME = %q, %v; want an error", p, err)
	}
	if p, err := DefaultDBFrom(env()); err == nil || p != "" {
		t.Errorf("DefaultDBFrom without HOME = %q, %v; want an error", p, err)
	}
	if _, err := Load("", Options{LookupEnv: env()}); err == nil || !strings.Contains(err.Error(), "--config") {
		t.Errorf("Load(\"\") without HOME = %v", err)
	}
	// The real environment: the same rule as the testable form.
	want, _ := DefaultPathFrom(os.LookupEnv)
	wantDB, _ := DefaultDBFrom(os.LookupEnv)
	if DefaultPath() != want || DefaultDB() != wantDB {
		t.Errorf("DefaultPath() = %q, DefaultDB() = %q; want %q, %q", DefaultPath(), DefaultDB(), want, wantDB)
	}
}

func TestKeysAndKeyProblem(t *testing.T) {
	t.Parallel()
	path := writeConfig(t, ymShop+"[keys]\nquit = [\"q\", \"ctrl+c\"]\nfilter = \"/\"\n", 0o600)
	c, err := Load(path, Options{LookupEnv: env()})
	if err != nil {
		t.Fatal(err)
	}
	if fmt.Sprint(c.Keys["quit"]) != "[q ctrl+c]" || fmt.Sprint(c.Keys["filter"]) != "[/]" || c.KeyLines["quit"] != 7 || c.KeyLines["filter"] != 8 {
		t.Fatalf("keys %v lines %v", c.Keys, c.KeyLines)
	}
	wantProblem(t, c.KeyProblem("filter", "unknown key name"), path, 8, "keys.filter", "unknown key name")
}

func TestEditDistance(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct {
		a, b string
		d    int
	}{{"", "abc", 3}, {"rate", "rate", 0}, {"rtae", "rate", 2}, {"tokne_env", "token_env", 2}, {"url", "urll", 1}, {"kitten", "sitting", 3}} {
		if d := editDistance(tc.a, tc.b); d != tc.d {
			t.Errorf("editDistance(%q, %q) = %d, want %d", tc.a, tc.b, d, tc.d)
		}
	}
	if s := suggest("colour", newSchema().shop); s != "" {
		t.Errorf("suggest(colour) = %q, want none", s)
	}
}

func TestOperatorsNameSSHKeys(t *testing.T) {
	t.Parallel()
	good := "\n[operators]\n\"SHA256:2r8pUPlEXV1uK5xb3vA1YQ9yAZ3sVbq6QfGmz4wN0cE\" = \" alice \"\n"
	load := func(text string) (*Config, error) {
		return Load(writeConfig(t, text, 0o600), Options{})
	}
	c, err := load(good)
	if err != nil {
		t.Fatal(err)
	}
	if got := c.Operators["SHA256:2r8pUPlEXV1uK5xb3vA1YQ9yAZ3sVbq6QfGmz4wN0cE"]; got != "alice" {
		t.Fatalf("operator %q, want alice", got)
	}
	for _, bad := range []string{
		"\n[operators]\nalice = \"SHA256:2r8pUPlEXV1uK5xb3vA1YQ9yAZ3sVbq6QfGmz4wN0cE\"\n", // the wrong way round
		"\n[operators]\n\"SHA256:2r8pUPlEXV1uK5xb3vA1YQ9yAZ3sVbq6QfGmz4wN0cE\" = 7\n",
	} {
		if _, err := load(bad); err == nil || !strings.Contains(err.Error(), "operators.") {
			t.Errorf("%q: error %v, want one naming the operators entry", bad, err)
		}
	}
}

// [export] bom: off unless the file says true.
func TestExportBOM(t *testing.T) {
	t.Parallel()
	for text, want := range map[string]bool{
		ymShop:                               false,
		ymShop + "[export]\n":                false,
		ymShop + "[export]\nbom = false\n":   false,
		ymShop + "[export]\nbom = true\n":    true,
		"export = { bom = true }\n" + ymShop: true,
	} {
		c, err := Load(writeConfig(t, text, 0o600), Options{LookupEnv: env()})
		if err != nil {
			t.Fatalf("%q: %v", text, err)
		}
		if c.Export.BOM != want {
			t.Errorf("%q: BOM %v, want %v", text, c.Export.BOM, want)
		}
	}
}

// Plain http is allowed to this machine (the demo, tests, a tunnel) and,
// when the shop says insecure_http = true, to another host.
func TestPlainHTTP(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct{ url, extra string }{
		{"http://127.0.0.1:8080", ""},
		{"http://127.1.2.3", ""},
		{"http://localhost:9000", ""},
		{"http://LOCALHOST", ""},
		{"http://[::1]:8080", ""},
		{"http://shop.example.com", "insecure_http = true\n"},
		{"http://10.0.0.7", "insecure_http = true\n"},
	} {
		path := writeConfig(t, strings.Replace(ymShop, "https://shop.example.com", tc.url, 1)+tc.extra, 0o600)
		c, err := Load(path, Options{LookupEnv: env()})
		if err != nil {
			t.Errorf("%s %q: %v", tc.url, tc.extra, err)
			continue
		}
		if got := c.Shops[0]; got.URL != tc.url || got.InsecureHTTP != (tc.extra != "") {
			t.Errorf("%s: shop %+v", tc.url, got)
		}
	}
	// a host that only starts like a loopback one is not one
	for _, u := range []string{"http://localhost.example.com", "http://127.0.0.1.nip.io", "http://[::2]"} {
		path := writeConfig(t, strings.Replace(ymShop, "https://shop.example.com", u, 1), 0o600)
		if _, err := Load(path, Options{LookupEnv: env()}); err == nil || !strings.Contains(err.Error(), "clear text") {
			t.Errorf("%s: %v, want a refusal", u, err)
		}
	}
}

// A shop's timeout is its own, else the top-level one, else 60 s; it
// reaches the adapter's config as the call limit.
func TestTimeouts(t *testing.T) {
	t.Parallel()
	two := ymShop + strings.Replace(ymShop, `"ym"`, `"b"`, 1) + "timeout = \"5s\"\n"
	for _, tc := range []struct {
		top        string
		ym, b, res time.Duration
	}{
		{"", 60 * time.Second, 5 * time.Second, 60 * time.Second},
		{"timeout = \"90s\"\n", 90 * time.Second, 5 * time.Second, 90 * time.Second},
	} {
		path := writeConfig(t, tc.top+two, 0o600)
		c, err := Load(path, Options{LookupEnv: env("YM_TOKEN", "t")})
		if err != nil {
			t.Fatal(err)
		}
		if c.Shops[0].Timeout != tc.ym || c.Shops[1].Timeout != tc.b {
			t.Errorf("%q: timeouts %v, %v; want %v, %v", tc.top, c.Shops[0].Timeout, c.Shops[1].Timeout, tc.ym, tc.b)
		}
		sc, err := c.Shops[0].Resolve(context.Background())
		if err != nil || sc.CallLimit != tc.res {
			t.Errorf("%q: resolved call limit %v (%v), want %v", tc.top, sc.CallLimit, err, tc.res)
		}
	}
}

// history, recheck_window and recheck_every: days or Go durations, a
// shop's own beating the top level's, bad ones named with what they do.
func TestHistoryKeys(t *testing.T) {
	t.Parallel()
	two := ymShop + "history = \"365d\"\nrecheck_every = \"12h\"\n" + strings.Replace(ymShop, `"ym"`, `"b"`, 1)
	path := writeConfig(t, "recheck_window = \"7d\"\nrecheck_every = \"36h\"\n"+two, 0o600)
	c, err := Load(path, Options{LookupEnv: env("YM_TOKEN", "t")})
	if err != nil {
		t.Fatal(err)
	}
	day := 24 * time.Hour
	for i, want := range [][3]time.Duration{{365 * day, 7 * day, 12 * time.Hour}, {0, 7 * day, 36 * time.Hour}} {
		s := c.Shops[i]
		if got := [3]time.Duration{s.History, s.RecheckWindow, s.RecheckEvery}; got != want {
			t.Errorf("shop %s: history, recheck_window, recheck_every = %v, want %v", s.Name, got, want)
		}
	}
	for _, bad := range []string{`history = "forever"`, `history = "2h"`, `history = "-3d"`, `recheck_every = "1m"`} {
		path := writeConfig(t, ymShop+bad+"\n", 0o600)
		_, err := Load(path, Options{LookupEnv: env("YM_TOKEN", "t")})
		key := "shops[1]." + strings.Fields(bad)[0]
		wantProblem(t, err, path, strings.Count(ymShop, "\n")+1, key, "must be a duration from", "like")
	}
}
