package config

import (
	"bytes"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"time"

	"github.com/pelletier/go-toml/v2"

	"orderdesk/backend"
)

// rawFile is the file as decoded; its toml tags are also the schema of
// known keys (see index.go).
type rawFile struct {
	Timezone *string `toml:"timezone"`
	Operator string  `toml:"operator"`
	Timeout  *string `toml:"timeout"`
	// defaults of the shops' recheck_window and recheck_every
	RecheckWindow *string        `toml:"recheck_window"`
	RecheckEvery  *string        `toml:"recheck_every"`
	Shops         []rawShop      `toml:"shops"`
	Views         []rawView      `toml:"views"`
	Keys          map[string]any `toml:"keys"`
	// Operators names the operator behind each SSH key of `orderdesk
	// serve`: "SHA256:…" fingerprint = "name".
	Operators map[string]any `toml:"operators"`
	Export    rawExport      `toml:"export"`
	Backup    rawBackup      `toml:"backup"`
}

// rawBackup is the [backup] table: the backups orderdesk serve keeps.
type rawBackup struct {
	Every *string `toml:"every"`
	Keep  *int    `toml:"keep"`
	Dir   string  `toml:"dir"`
}

// rawExport is the [export] table: how CSV files are written.
type rawExport struct {
	BOM bool `toml:"bom"`
}

type rawShop struct {
	Name       string  `toml:"name"`
	Platform   string  `toml:"platform"`
	URL        string  `toml:"url"`
	Username   string  `toml:"username"`
	APIVersion string  `toml:"api_version"`
	Timezone   *string `toml:"timezone"`
	Timeout    *string `toml:"timeout"`
	// how much history syncs look at (see backend/engine.Plan)
	History       *string `toml:"history"`
	RecheckWindow *string `toml:"recheck_window"`
	RecheckEvery  *string `toml:"recheck_every"`
	Rate          float64 `toml:"rate"`
	Burst         int     `toml:"burst"`
	Password      string  `toml:"password"`
	PasswordEnv   string  `toml:"password_env"`
	PasswordCmd   string  `toml:"password_cmd"`
	Token         string  `toml:"token"`
	TokenEnv      string  `toml:"token_env"`
	TokenCmd      string  `toml:"token_cmd"`
	// InsecureHTTP lets an http:// url reach a host other than this
	// machine (the secret then travels in clear text).
	InsecureHTTP bool `toml:"insecure_http"`
}

type rawView struct {
	Name  string `toml:"name"`
	Query string `toml:"query"`
}

// parse validates data, read from path with permissions perm.
func parse(path string, data []byte, perm fs.FileMode, opt Options) (*Config, error) {
	ix, perr := buildIndex(data)
	ps := &problems{path: path, ix: ix}
	var raw rawFile
	derr := toml.NewDecoder(bytes.NewReader(data)).Decode(&raw)
	if perr != nil || derr != nil {
		if derr == nil { // the parser alone saw it; should not happen
			derr = perr
		}
		return nil, decodeProblem(path, ix, derr, perr != nil)
	}
	ps.list = append(ps.list, ix.unknownKeys(path)...)

	c := &Config{Path: path, Timezone: time.Local, Operator: strings.TrimSpace(raw.Operator)}
	if raw.Timezone != nil {
		c.Timezone = ps.zone("timezone", *raw.Timezone, time.Local)
	}
	c.Timeout = backend.DefaultCallLimit
	if raw.Timeout != nil {
		c.Timeout = ps.callLimit("timeout", *raw.Timeout, c.Timeout)
	}
	if raw.RecheckWindow != nil {
		c.RecheckWindow = ps.span("recheck_window", *raw.RecheckWindow, recheckWindowBounds)
	}
	if raw.RecheckEvery != nil {
		c.RecheckEvery = ps.span("recheck_every", *raw.RecheckEvery, recheckEveryBounds)
	}
	res := resolver{path: path, perm: perm, lookupEnv: opt.LookupEnv, timeout: opt.CommandTimeout}
	for i, rs := range raw.Shops {
		s := ps.shop(i, rs, c.Timezone, c.Timeout, res)
		s.RecheckWindow, s.RecheckEvery = c.RecheckWindow, c.RecheckEvery
		key := fmt.Sprintf("shops[%d].", i+1)
		if rs.History != nil {
			s.History = ps.span(key+"history", *rs.History, historyBounds)
		}
		if rs.RecheckWindow != nil {
			s.RecheckWindow = ps.span(key+"recheck_window", *rs.RecheckWindow, recheckWindowBounds)
		}
		if rs.RecheckEvery != nil {
			s.RecheckEvery = ps.span(key+"recheck_every", *rs.RecheckEvery, recheckEveryBounds)
		}
		c.Shops = append(c.Shops, s)
	}
	ps.uniqueShops(c.Shops)
	c.Views = ps.views(raw.Views, opt.CheckQuery)
	c.Keys, c.KeyLines = ps.keys(raw.Keys)
	c.Operators = ps.operators(raw.Operators)
	c.Export = Export{BOM: raw.Export.BOM}
	c.Backup = ps.backup(raw.Backup, path)
	if err := ps.err(); err != nil {
		return nil, err
	}
	return c, nil
}

// decodeProblem turns a syntax or type error of the decoder into a Problem.
// Only the decoder's short message is used: its long form quotes the file,
// which may hold a secret.
func decodeProblem(path string, ix *index, err error, syntax bool) error {
	var de *toml.DecodeError
	if !errors.As(err, &de) {
		return &Problem{Path: path, Msg: "cannot read: " + err.Error()}
	}
	line, _ := de.Position()
	msg := strings.TrimPrefix(de.Error(), "toml: ")
	if syntax {
		return &Problem{Path: path, Line: line, Msg: "TOML syntax: " + msg}
	}
	key := ""
	if k := de.Key(); len(k) > 0 {
		key = ix.keyAt(line, k[len(k)-1])
		if key == "" {
			key = strings.Join(k, ".")
		}
	}
	return &Problem{Path: path, Line: line, Key: key, Msg: typeMessage(msg)}
}

// typeMessage rewrites "cannot decode TOML string into struct field
// config.rawShop.Rate of type float64" in the operator's words.
func typeMessage(msg string) string {
	from, rest, ok := strings.Cut(strings.TrimPrefix(msg, "cannot decode TOML "), " into ")
	if !ok || !strings.HasPrefix(msg, "cannot decode TOML ") {
		return msg
	}
	want := rest[strings.LastIndex(rest, " ")+1:]
	switch {
	case strings.HasPrefix(want, "float"):
		want = "a number"
	case strings.HasPrefix(want, "int"):
		want = "a whole number"
	case want == "string" || want == "*string":
		want = "a quoted string"
	case strings.HasPrefix(want, "[]"):
		want = "a list of tables ([[...]])"
	case want == "bool":
		want = "true or false (no quotes)"
	default:
		return msg
	}
	return fmt.Sprintf("must be %s, not a TOML %s", want, from)
}

func (ps *problems) zone(key, name string, def *time.Location) *time.Location {
	if strings.TrimSpace(name) == "" {
		ps.add(key, "empty time zone: give an IANA name like \"Europe/Berlin\", or leave the key out")
		return def
	}
	loc, err := time.LoadLocation(name)
	if err != nil {
		ps.add(key, "unknown time zone %s (want an IANA name like \"Europe/Berlin\", \"UTC\" or \"Local\")", backend.Quote(name))
		return def
	}
	return loc
}

// Bounds of a timeout: shorter than a second gives up on a shop that is
// merely busy; longer than an hour is no limit at all.
const (
	minTimeout = time.Second
	maxTimeout = time.Hour
)

// callLimit reads a timeout: how long one call to a shop may go without
// an answer, retries included.
func (ps *problems) callLimit(key, text string, def time.Duration) time.Duration {
	d, err := time.ParseDuration(strings.TrimSpace(text))
	if err != nil || d < minTimeout || d > maxTimeout {
		ps.add(key, "timeout must be a duration from 1s to 1h, like \"60s\" or \"2m\" (how long a shop may leave a call unanswered)")
		return def
	}
	return d
}

// spanBounds are the limits of a span of time in the config and what it
// is for, as its message says.
type spanBounds struct {
	min, max time.Duration
	what     string
}

var (
	historyBounds       = spanBounds{24 * time.Hour, 100 * 365 * 24 * time.Hour, "how far back the first sync goes, like \"365d\"; leave it out for everything"}
	recheckWindowBounds = spanBounds{time.Hour, 365 * 24 * time.Hour, "every sync lists the orders created this recently, like \"14d\""}
	recheckEveryBounds  = spanBounds{time.Hour, 90 * 24 * time.Hour, "older open orders are listed again this often, like \"24h\""}
	backupEveryBounds   = spanBounds{time.Hour, 365 * 24 * time.Hour, "orderdesk serve writes a backup this often, like \"24h\""}
)

// span reads a span of time: a Go duration ("36h", "90m") or whole days
// ("14d").
func (ps *problems) span(key, text string, b spanBounds) time.Duration {
	d, ok := parseSpan(text)
	if !ok || d < b.min || d > b.max {
		ps.add(key, "%s must be a duration from %s to %s: %s", key[strings.LastIndex(key, ".")+1:], days(b.min), days(b.max), b.what)
		return 0
	}
	return d
}

// parseSpan reads "14d" (whole days) or a Go duration.
func parseSpan(text string) (time.Duration, bool) {
	text = strings.TrimSpace(text)
	if n, ok := strings.CutSuffix(text, "d"); ok {
		v, err := strconv.Atoi(n)
		if err != nil || v < 0 || v > 100*366 {
			return 0, false
		}
		return time.Duration(v) * 24 * time.Hour, true
	}
	d, err := time.ParseDuration(text)
	return d, err == nil
}

// days writes a bound the way the config takes it.
func days(d time.Duration) string {
	if d%(24*time.Hour) == 0 {
		return strconv.Itoa(int(d/(24*time.Hour))) + "d"
	}
	return strings.TrimSuffix(strings.TrimSuffix(d.String(), "0s"), "0m")
}

func (ps *problems) views(raw []rawView, check func(string) error) []View {
	var out []View
	seen := map[string]string{}
	for i, rv := range raw {
		key := fmt.Sprintf("views[%d]", i+1)
		v := View{Name: strings.TrimSpace(rv.Name), Query: strings.TrimSpace(rv.Query), Line: ps.ix.lineOf(key)}
		switch {
		case v.Name == "":
			ps.add(key+".name", "a view needs a name (the tab's title)")
		case seen[strings.ToLower(v.Name)] != "":
			ps.add(key+".name", "duplicate view name %s (also %s)", backend.Quote(v.Name), seen[strings.ToLower(v.Name)])
		default:
			seen[strings.ToLower(v.Name)] = key
		}
		if v.Query == "" {
			ps.add(key+".query", "a view needs a query, e.g. \"pay:paid ship:unfulfilled\"")
		} else if check != nil {
			if err := check(v.Query); err != nil {
				ps.add(key+".query", "%v", err)
			}
		}
		out = append(out, v)
	}
	return out
}

// operators checks [operators]: SSH key fingerprints as `ssh-keygen -l`
// prints them (SHA256:…), each naming an operator.
func (ps *problems) operators(raw map[string]any) map[string]string {
	out := map[string]string{}
	for fp, v := range raw {
		key := "operators." + fp
		name, ok := v.(string)
		switch {
		case !strings.HasPrefix(fp, "SHA256:") || len(fp) < 20:
			ps.add(key, "must be a key fingerprint as `ssh-keygen -lf KEY.pub` prints it, like \"SHA256:2r8p…\"")
		case !ok || strings.TrimSpace(name) == "":
			ps.add(key, "must be the operator's name, like \"alice\"")
		default:
			out[fp] = strings.TrimSpace(name)
		}
	}
	return out
}

// keys checks only the shape of [keys]: each action is bound to a key or a
// list of keys. What the names mean is the keymap package's business.
func (ps *problems) keys(raw map[string]any) (map[string][]string, map[string]int) {
	keys := map[string][]string{}
	lines := map[string]int{}
	for action, v := range raw {
		key := "keys." + action
		lines[action] = ps.ix.lineOf(key)
		list, ok := keyList(v)
		if !ok {
			ps.add(key, "must be a key like \"q\" or a list of keys like [\"q\", \"ctrl+c\"]")
			continue
		}
		keys[action] = list
	}
	return keys, lines
}

func keyList(v any) ([]string, bool) {
	switch v := v.(type) {
	case string:
		return []string{v}, v != ""
	case []any:
		out := make([]string, 0, len(v))
		for _, k := range v {
			s, ok := k.(string)
			if !ok || s == "" {
				return nil, false
			}
			out = append(out, s)
		}
		return out, true
	}
	return nil, false
}

// Shop returns the shop named name (ignoring case).
func (c *Config) Shop(name string) (Shop, bool) {
	for _, s := range c.Shops {
		if strings.EqualFold(s.Name, name) {
			return s, true
		}
	}
	return Shop{}, false
}

// KeyProblem builds the error for a bad binding of action in [keys], at
// its line: the keymap package reports through it.
func (c *Config) KeyProblem(action, msg string) error {
	return &Problem{Path: c.Path, Line: c.KeyLines[action], Key: "keys." + action, Msg: msg}
}

// backup reads the [backup] table. A relative dir is taken from the
// config file's directory.
func (ps *problems) backup(raw rawBackup, path string) Backup {
	var b Backup
	if raw.Every != nil {
		b.Every = ps.span("backup.every", *raw.Every, backupEveryBounds)
	}
	b.Keep = 7
	if raw.Keep != nil {
		if *raw.Keep < 1 || *raw.Keep > 1000 {
			ps.add("backup.keep", "keep must be a whole number from 1 to 1000: how many backups orderdesk serve keeps")
		} else {
			b.Keep = *raw.Keep
		}
	}
	if b.Dir = strings.TrimSpace(raw.Dir); b.Dir != "" && !filepath.IsAbs(b.Dir) {
		if strings.HasPrefix(b.Dir, "~/") {
			if home, err := os.UserHomeDir(); err == nil {
				b.Dir = filepath.Join(home, b.Dir[2:])
			}
		} else {
			b.Dir = filepath.Join(filepath.Dir(path), b.Dir)
		}
	}
	if raw.Every == nil && (raw.Keep != nil || raw.Dir != "") {
		ps.add("backup.every", "[backup] needs every, like \"24h\": how often orderdesk serve writes a backup")
	}
	return b
}
