package app

import (
	"context"
	_ "embed"
	"flag"
	"fmt"
	"io"
	"maps"
	"os"
	"slices"
	"strings"
	"time"

	"orderdesk/backend"
	"orderdesk/backend/config"
	"orderdesk/backend/platforms"
	"orderdesk/cache"
	"orderdesk/ui/cli"
)

// Shell completion. `orderdesk completion bash|zsh|fish` prints a script;
// the script is thin: at each <TAB> it runs the hidden command
//
//	orderdesk [--config FILE] [--db FILE] __complete -- WORD... CURRENT
//
// with the words of the command line after "orderdesk" (CURRENT is the
// word being completed, maybe empty), and offers what it prints: one
// candidate a line, optionally a tab and a description (zsh and fish show
// it). A last line ":files" asks the shell for file names instead. A
// candidate ending in ':' or '=' is unfinished: the shell adds no space.
//
// __complete is a wired command (it reads the shop names from the config
// and REFs from the cache) but a quiet one (wireQuiet): no config or no
// database is no error, it never creates or writes the database, never
// waits for its lock more than an instant, and never prints an error: a
// failure offers nothing.

//go:embed completion/orderdesk.bash
var bashCompletion string

//go:embed completion/orderdesk.zsh
var zshCompletion string

//go:embed completion/orderdesk.fish
var fishCompletion string

// completionScripts are the scripts of `orderdesk completion SHELL`.
var completionScripts = map[string]string{"bash": bashCompletion, "zsh": zshCompletion, "fish": fishCompletion}

const completionUsage = "completion bash|zsh|fish"

// runCompletion is `orderdesk completion SHELL`: it needs no config and no
// database.
func runCompletion(_ *globals, _ *flag.FlagSet, args []string, std streams) int {
	if len(args) == 1 && completionScripts[args[0]] != "" {
		fmt.Fprint(std.out, completionScripts[args[0]])
		return cli.ExitOK
	}
	fmt.Fprintf(std.err, "orderdesk completion: want one of bash, zsh, fish\n%s(orderdesk completion --help says more)\n",
		usageLines("orderdesk "+completionUsage))
	return cli.ExitUsage
}

var completionDoc = commandDoc{
	summary: "print a shell completion script (bash, zsh or fish)",
	about: "Prints the completion script of the shell: it completes commands, flags, shop names, formats, " +
		"order REFs from the local database (orderdesk show eu-store:10<TAB>), status values and the IDs of " +
		"pending retry and discard. Load it in the shell's " +
		"startup file or save it where the shell looks for completions; each TAB runs orderdesk, which " +
		"reads the config and the database but never contacts a shop.",
	examples: []string{
		"orderdesk completion bash > ~/.local/share/bash-completion/completions/orderdesk",
		"source <(orderdesk completion bash)   # or this line in ~/.bashrc",
		"orderdesk completion zsh > ~/.zfunc/_orderdesk   # with fpath+=(~/.zfunc) before compinit",
		"orderdesk completion fish > ~/.config/fish/completions/orderdesk.fish",
	},
}

// maxRefCandidates bounds the REFs one <TAB> offers.
const maxRefCandidates = 200

// completeFlags is __complete's entry in commands: no flags of its own
// (the words come after "--"); the body prints the candidates.
func completeFlags(*flag.FlagSet) func(*wired, []string) int {
	return func(w *wired, words []string) int {
		if len(words) == 0 {
			return cli.ExitFailed
		}
		var b strings.Builder
		cands, files := w.complete(words)
		for _, c := range cands {
			b.WriteString(c.value)
			if c.desc != "" {
				b.WriteString("\t" + c.desc)
			}
			b.WriteByte('\n')
		}
		if files {
			b.WriteString(":files\n")
		}
		fmt.Fprint(w.env.Stdout, b.String())
		return cli.ExitOK
	}
}

// candidate is one completion: the word and what it is.
type candidate struct{ value, desc string }

// completionFormats are the --format values of each command that has one
// (a test holds them to the commands' own checks).
var completionFormats = map[string][]string{
	"list":            {"table", "json", "csv"},
	"show":            {"text", "json"},
	"pending":         {"table", "json"},
	"import-tracking": {"table", "json"},
	"doctor":          {"table", "json"},
}

// fileFlags are the flags whose value is a file.
var fileFlags = map[string]bool{"config": true, "db": true, "authorized-keys": true, "host-key": true}

// refCommands are the commands whose positional argument at an index is a
// REF (-1: every one).
var refCommands = map[string]int{"show": 0, "fetch": -1, "status": 0, "ship": 0, "remark": 0}

// complete returns the candidates for the last of words (the words after
// "orderdesk"), or files true when the shell should offer file names.
func (w *wired) complete(words []string) (cands []candidate, files bool) {
	cur := words[len(words)-1]
	name, known := "", false
	fs := completionFlagSet("")
	var positional []string
	valueOf := "" // the flag whose value cur is
	dashdash := false
	for _, word := range words[:len(words)-1] {
		switch {
		case valueOf != "":
			valueOf = ""
		case !dashdash && word == "--":
			dashdash = true
		case !dashdash && len(word) > 1 && word[0] == '-':
			n, _, eq := strings.Cut(strings.TrimLeft(word, "-"), "=")
			if f := fs.Lookup(n); f != nil && !eq && !isBool(f) {
				valueOf = n
			}
		case name == "" && !known:
			name, known = word, true
			fs = completionFlagSet(name)
		default:
			positional = append(positional, word)
		}
	}
	switch {
	case valueOf != "":
		return w.completeValue(name, valueOf, cur)
	case !dashdash && strings.HasPrefix(cur, "-"):
		if n, v, eq := strings.Cut(strings.TrimLeft(cur, "-"), "="); eq {
			vals, files := w.completeValue(name, n, v)
			for i := range vals {
				vals[i].value = cur[:len(cur)-len(v)] + vals[i].value
			}
			return vals, files
		}
		fs.VisitAll(func(f *flag.Flag) {
			if c := "--" + f.Name; strings.HasPrefix(c, cur) {
				_, usage := flag.UnquoteUsage(f)
				cands = append(cands, candidate{c, shortDesc(usage)})
			}
		})
		return cands, false
	case !known:
		for _, n := range commandOrder {
			cands = append(cands, candidate{n, commandDocs[n].summary})
		}
		cands = append(cands, candidate{"help", "help on a command or topic"}, candidate{"version", "print the version"})
		return withPrefix(cands, cur), false
	}
	i := len(positional)
	switch name {
	case "help":
		if i > 0 {
			return nil, false
		}
		for _, n := range commandOrder {
			cands = append(cands, candidate{n, commandDocs[n].summary})
		}
		for _, t := range slices.Sorted(maps.Keys(helpTopics)) {
			cands = append(cands, candidate{t, "topic"})
		}
		return withPrefix(cands, cur), false
	case "completion":
		if i == 0 {
			return withPrefix([]candidate{{"bash", ""}, {"zsh", ""}, {"fish", ""}}, cur), false
		}
	case "pending":
		if i == 0 {
			return withPrefix([]candidate{{"retry", "send a failed or conflicting edit again"},
				{"discard", "drop an edit: it is never sent"}}, cur), false
		}
		if i == 1 {
			return withPrefix(w.editIDs(positional[0]), cur), false
		}
	case "status":
		if i == 1 {
			return withPrefix(w.statusValues(positional[0]), cur), false
		}
	case "import-tracking", "salvage", "backup":
		return nil, i == 0
	}
	if at, ok := refCommands[name]; ok && (at == -1 || at == i) {
		return w.completeRef(cur), false
	}
	return nil, false
}

// completeValue completes the value of the flag name of the command.
func (w *wired) completeValue(command, name, cur string) ([]candidate, bool) {
	var cands []candidate
	switch {
	case fileFlags[name]:
		return nil, true
	case name == "format":
		for _, f := range completionFormats[command] {
			cands = append(cands, candidate{f, ""})
		}
	case name == "shop":
		for _, s := range w.shopNames(cur) {
			cands = append(cands, candidate{s.value, s.desc})
		}
	}
	return withPrefix(cands, cur), false
}

// completeRef completes a REF: SHOP:NUMBER from the cache, by prefix.
// Before the ':' it offers the shops ("eu-store:"), or the one shop's
// REFs when a single shop starts so.
func (w *wired) completeRef(cur string) []candidate {
	shop, number, colon := strings.Cut(cur, ":")
	if !colon {
		shops := w.shopNames(cur)
		if len(shops) != 1 {
			for i := range shops {
				shops[i].value += ":"
			}
			return shops
		}
		shop = shops[0].value
	}
	if w.store == nil {
		if colon {
			return nil
		}
		return []candidate{{shop + ":", ""}}
	}
	refs, err := w.store.RefsWithPrefix(shop, number, maxRefCandidates)
	if err != nil {
		return nil
	}
	var cands []candidate
	for _, r := range refs {
		if number != "" && !strings.HasPrefix(number, "#") {
			// typed without '#': offered as typed (Resolve finds the '#')
			r.Number = strings.TrimPrefix(r.Number, "#")
		}
		c := candidate{value: r.String()}
		if n := len(cands); n == 0 || cands[n-1] != c {
			cands = append(cands, c)
		}
	}
	if len(cands) == 0 && !colon {
		return []candidate{{shop + ":", ""}}
	}
	return cands
}

// statusValues are the values the platform of ref's shop can set (the
// platform from the config, else from the cached order).
func (w *wired) statusValues(text string) []candidate {
	r, err := backend.ParseRef(text)
	if err != nil {
		return nil
	}
	if r.Shop == "" && w.store != nil {
		if refs, err := w.store.Resolve(text); err == nil && len(refs) == 1 {
			r = refs[0]
		}
	}
	var p backend.Platform
	if w.cfg != nil {
		for _, s := range w.cfg.Shops {
			if s.Name == r.Shop {
				p = s.Platform
			}
		}
	}
	if p == "" && w.store != nil && r.Shop != "" {
		if refs, err := w.store.Resolve(r.String()); err == nil && len(refs) == 1 {
			if o, err := w.store.Order(refs[0]); err == nil {
				p = o.Platform
			}
		}
	}
	var out []candidate
	for _, v := range platforms.StatusValues(p) {
		out = append(out, candidate{v.Value, v.Label})
	}
	return out
}

// editIDs are the edits of the outbox that op (retry, discard) may take,
// described by their state, order and summary.
func (w *wired) editIDs(op string) []candidate {
	if w.store == nil || (op != backend.OpRetry && op != backend.OpDiscard) {
		return nil
	}
	edits, err := w.store.Edits("")
	if err != nil {
		return nil
	}
	var out []candidate
	for _, e := range edits {
		if e.State.Allows(op) {
			out = append(out, candidate{e.ID, string(e.State) + " " + e.Ref.String() + " " + e.Summary})
		}
	}
	return out
}

// shopNames are the shops of the config and of the cache whose name
// starts with prefix, sorted, with their platform where the config says.
func (w *wired) shopNames(prefix string) []candidate {
	platform := map[string]string{}
	if w.cfg != nil {
		for _, s := range w.cfg.Shops {
			platform[s.Name] = string(s.Platform)
		}
	}
	for _, n := range w.env.ShopNames {
		if _, ok := platform[n]; !ok {
			platform[n] = ""
		}
	}
	if w.store != nil {
		if names, err := w.store.ShopsWithPrefix(prefix); err == nil {
			for _, n := range names {
				if _, ok := platform[n]; !ok {
					platform[n] = ""
				}
			}
		}
	}
	var out []candidate
	for _, n := range slices.Sorted(maps.Keys(platform)) {
		if strings.HasPrefix(n, prefix) {
			out = append(out, candidate{n, platform[n]})
		}
	}
	return out
}

// commandTable is commands, read through a variable: commands holds
// __complete, which reads commands (an initialisation cycle otherwise).
var commandTable map[string]command

func init() { commandTable = commands }

// completionFlagSet is the flags a command accepts: the global ones and
// its own ("" is the desk: the global ones).
func completionFlagSet(name string) *flag.FlagSet {
	fs := globalFlags()
	if cmd, ok := commandTable[name]; ok && !cmd.hidden {
		cmd.flags(fs)
	}
	return fs
}

func isBool(f *flag.Flag) bool {
	b, ok := f.Value.(interface{ IsBoolFlag() bool })
	return ok && b.IsBoolFlag()
}

// shortDesc is a flag's description up to its first aside, on one line.
func shortDesc(usage string) string {
	usage = strings.Join(strings.Fields(usage), " ")
	for _, sep := range []string{" (", "; ", ", e.g."} {
		if i := strings.Index(usage, sep); i > 0 {
			usage = usage[:i]
		}
	}
	return usage
}

func withPrefix(cands []candidate, prefix string) []candidate {
	return slices.DeleteFunc(cands, func(c candidate) bool { return !strings.HasPrefix(c.value, prefix) })
}

// quietLockWait is how long __complete waits for the database's lock:
// while another process writes it (a sync), a <TAB> offers no REFs
// rather than hang.
const quietLockWait = 100 * time.Millisecond

// wireQuiet is wire for a quiet command (__complete): the config's shop
// names without their secrets or zones, and the database read-only when it
// exists and is not locked. Nothing is created, nothing written, nothing
// printed; what cannot be read is left out (no config: no shop names; no
// database: no REFs). --demo starts no shops: it reads --db if given.
func wireQuiet(ctx context.Context, g *globals, std streams) (*wired, int) {
	w := &wired{ctx: ctx, g: g, env: &cli.Env{Stdout: std.out, Stderr: io.Discard, Stdin: std.in,
		ShopZones: map[string]*time.Location{}}}
	db := g.db
	if !g.demo {
		if cfg, err := config.Load(g.config, config.Options{}); err == nil {
			w.cfg = cfg
			for _, s := range cfg.Shops {
				w.env.ShopNames = append(w.env.ShopNames, s.Name)
			}
		}
		if db == "" {
			db = config.DefaultDB()
		}
	}
	if fi, err := os.Stat(db); db != "" && err == nil && fi.Mode().IsRegular() {
		if st, err := cache.Open(db, cache.Options{ReadOnly: true, Timeout: quietLockWait}); err == nil {
			w.store = st
		}
	}
	return w, cli.ExitOK
}
