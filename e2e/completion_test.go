package e2e

import (
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strings"
	"testing"
)

// The completion scripts run in the real shells against the real binary
// on a small synced database: bash always; zsh and fish when installed
// (under CI they must be: .ci/run installs them).

// complRig is a rig synced once for the completion tests.
type complRig struct {
	*rig
	slRefs []string // the sl shop's refs, sorted
	ymRef  string   // one ref of the ym shop (YMCart)
	cnRef  string   // one ref of the cn shop (Fecmall)
}

func newComplRig(t *testing.T) *complRig {
	t.Helper()
	r := newRig(t, fourShops(12))
	r.must(0, "sync")
	c := &complRig{rig: r}
	for ref := range r.truth() {
		switch {
		case strings.HasPrefix(ref, "sl:"):
			c.slRefs = append(c.slRefs, ref)
		case strings.HasPrefix(ref, "ym:"):
			c.ymRef = ref
		case strings.HasPrefix(ref, "cn:"):
			c.cnRef = ref
		}
	}
	slices.Sort(c.slRefs)
	if len(c.slRefs) != 12 {
		t.Fatalf("sl refs: %v", c.slRefs)
	}
	return c
}

// complete runs `orderdesk __complete` as the scripts do and returns the
// candidates' values (descriptions cut off) and the whole output.
func (c *complRig) complete(words ...string) ([]string, string) {
	c.t.Helper()
	out := c.must(0, append([]string{"__complete", "--"}, words...)...)
	var vals []string
	for line := range strings.Lines(out) {
		v, _, _ := strings.Cut(strings.TrimSuffix(line, "\n"), "\t")
		vals = append(vals, v)
	}
	return vals, out
}

func TestCompleteCandidates(t *testing.T) {
	t.Parallel()
	c := newComplRig(t)
	slNoHash := func(prefix string) []string { // sl refs typed without '#'
		var out []string
		for _, r := range c.slRefs {
			if r = strings.Replace(r, ":#", ":", 1); strings.HasPrefix(r, prefix) {
				out = append(out, r)
			}
		}
		return out
	}
	num := strings.TrimPrefix(c.slRefs[3], "sl:#")
	for _, tc := range []struct {
		words []string
		want  []string
	}{
		{[]string{"li"}, []string{"list"}},
		{[]string{"s"}, []string{"sync", "show", "status", "ship", "serve", "salvage"}},
		{[]string{"d"}, []string{"doctor"}},
		{[]string{"--offline", "sh"}, []string{"show", "ship"}},
		{[]string{"--db", c.db, "sh"}, []string{"show", "ship"}},
		{[]string{"list", "--format", ""}, []string{"table", "json", "csv"}},
		{[]string{"list", "--format", "c"}, []string{"csv"}},
		{[]string{"list", "--format=j"}, []string{"--format=json"}},
		{[]string{"show", "sl:#1", "--format", ""}, []string{"text", "json"}},
		{[]string{"pending", "--format", ""}, []string{"table", "json"}},
		{[]string{"list", "--shop", ""}, []string{"cn", "eu", "sl", "ym"}},
		{[]string{"sync", "--shop", "e"}, []string{"eu"}},
		{[]string{"list", "--fo"}, []string{"--format"}},
		{[]string{"show", "sl"}, c.slRefs},
		{[]string{"show", "sl:"}, c.slRefs},
		{[]string{"show", "sl:#"}, c.slRefs},
		{[]string{"show", "sl:" + num}, slNoHash("sl:" + num)},
		{[]string{"show", "sl:#" + num}, []string{"sl:#" + num}},
		{[]string{"fetch", "sl:#" + num, "sl:#" + num}, []string{"sl:#" + num}},
		{[]string{"status", "sl:#" + num, ""}, []string{"cancel", "archive", "unarchive"}}, // SHOPLINE's
		{[]string{"status", "sl:" + num, "a"}, []string{"archive"}},
		{[]string{"status", strings.TrimPrefix(c.ymRef, "ym:"), "6"}, []string{"600"}}, // a bare number: its shop
		{[]string{"status", c.cnRef, ""}, nil},                                         // Fecmall: read-only
		{[]string{"status", "nosuch:1", ""}, nil},
		{[]string{"show", ""}, []string{"cn:", "eu:", "sl:", "ym:"}},
		{[]string{"show", "x"}, nil},
		{[]string{"show", "nosuch:1"}, nil},
		{[]string{"remark", "sl:#" + num, "te"}, nil},
		{[]string{"pending", ""}, []string{"retry", "discard"}},
		{[]string{"completion", ""}, []string{"bash", "zsh", "fish"}},
		{[]string{"help", "f"}, []string{"fetch", "filter"}},
		{[]string{"import-tracking", ""}, []string{":files"}},
		{[]string{"list", "--db", ""}, []string{":files"}},
		{[]string{"backup", ""}, []string{":files"}},
		{[]string{"doctor", "--shop", "s"}, []string{"sl"}},
		{[]string{"__compl"}, nil}, // hidden
	} {
		got, out := c.complete(tc.words...)
		if !slices.Equal(got, tc.want) {
			t.Errorf("__complete %q:\n got %q\nwant %q\n%s", tc.words, got, tc.want, out)
		}
	}
	// Descriptions: a command's summary, a flag's usage, a shop's platform.
	for words, want := range map[string]string{
		"li":              "list\tprint cached orders as a table, JSON or CSV\n",
		"list --form":     "--format\tFORMAT: table, json or csv\n",
		"list --shop s":   "sl\tshopline\n",
		"show --format t": "text\n",
	} {
		if _, out := c.complete(strings.Fields(words)...); out != want {
			t.Errorf("__complete %s: %q, want %q", words, out, want)
		}
	}
}

// __complete needs no config and no database (it offers commands and
// flags), creates neither, and prints nothing on stderr, whatever fails.
func TestCompleteQuiet(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	db := filepath.Join(dir, "data", "orderdesk.db")
	env := []string{"XDG_CONFIG_HOME=" + filepath.Join(dir, "cfg"), "XDG_DATA_HOME=" + filepath.Join(dir, "data"), "HOME=" + dir}
	for _, args := range [][]string{
		{"__complete", "--", "li"},
		{"--db", db, "__complete", "--", "show", "sl"},
		{"--config", filepath.Join(dir, "nope.toml"), "__complete", "--", "list", "--shop", ""},
		{"--db", dir, "__complete", "--", "show", "sl:1"}, // a directory
		{"__complete", "--"},
		{"__complete", "--", "list", "--format", ""},
	} {
		out, errOut, code := runEnv(t, env, args...)
		if errOut != "" || code > 1 {
			t.Errorf("%q: exit %d, stderr %q", args, code, errOut)
		}
		if args[len(args)-1] == "li" && out != "list\tprint cached orders as a table, JSON or CSV\n" {
			t.Errorf("%q without config or database: %q", args, out)
		}
	}
	if _, err := os.Stat(db); err == nil {
		t.Error("__complete created the database")
	}
	if entries, _ := os.ReadDir(dir); len(entries) != 0 {
		t.Errorf("__complete created files: %v", entries)
	}
}

// The --format values offered are the ones each command accepts: its own
// message for a bad one lists them. The commands are the ones <TAB>
// offers; those whose --help lists a --format flag are checked.
func TestCompleteFormatsAreTheCommands(t *testing.T) {
	t.Parallel()
	c := newComplRig(t)
	csv := filepath.Join(c.dir, "t.csv")
	if err := os.WriteFile(csv, []byte("order,carrier,tracking\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	args := map[string][]string{"show": {c.slRefs[0]}, "import-tracking": {csv, "--dry-run"}}
	names, _ := c.complete("")
	var checked []string
	for _, name := range names {
		help, _, code := runCLI(t, name, "--help")
		if code != 0 || !strings.Contains(help, "\n  --format ") {
			continue
		}
		checked = append(checked, name)
		want, _ := c.complete(name, "--format", "")
		if len(want) == 0 {
			t.Errorf("%s has --format but completion offers no value", name)
			continue
		}
		_, errOut, code := c.run(append([]string{name, "--offline", "--format", "bogus"}, args[name]...)...)
		first, _, _ := strings.Cut(errOut, "\n")
		var named []string // the formats the message names
		for _, f := range []string{"table", "text", "json", "csv", "tsv", "yaml", "markdown"} {
			if strings.Contains(first, f) {
				named = append(named, f)
			}
		}
		if code != 2 || !strings.Contains(first, "bogus") || len(named) != len(want) {
			t.Errorf("%s --format bogus: exit %d, %q names %v; completion offers %v", name, code, first, named, want)
		}
		for _, f := range named {
			if !slices.Contains(want, f) {
				t.Errorf("%s takes --format %s; completion offers %v", name, f, want)
			}
		}
	}
	if len(checked) < 5 { // list, show, pending, import-tracking, doctor
		t.Errorf("commands with --format found: %v (the commands <TAB> offers: %v)", checked, names)
	}
}

// shellCase is a command line at <TAB> and the words a completed line's
// last word may become.
type shellCase struct {
	line  string // after "orderdesk --config CFG --db DB "
	want  []string
	files bool // file names: the shell's own (zsh: _files)
}

func (c *complRig) shellCases() []shellCase {
	num := strings.TrimPrefix(c.slRefs[3], "sl:#")
	return []shellCase{
		{line: "li", want: []string{"list"}},
		{line: "show sl", want: c.slRefs},
		{line: "show sl:", want: c.slRefs},
		{line: "show sl:#" + num, want: []string{"sl:#" + num}},
		{line: "list --format ", want: []string{"table", "json", "csv"}},
		{line: "list --format=c", want: []string{"--format=csv"}},
		{line: "list --format=", want: []string{"--format=table", "--format=json", "--format=csv"}},
		{line: "list --shop ", want: []string{"cn", "eu", "sl", "ym"}},
		{line: "show ", want: []string{"cn:", "eu:", "sl:", "ym:"}},
		{line: "show nosuch:", want: nil},
		{line: "import-tracking " + c.filesDir() + "/tr", want: []string{c.filesDir() + "/tracking-a.csv", c.filesDir() + "/tracking-b.csv"}, files: true},
		{line: "list --db=" + c.filesDir() + "/tracking-a", want: []string{"--db=" + c.filesDir() + "/tracking-a.csv"}, files: true},
	}
}

// filesDir is a directory of two files, for the file name completions.
func (c *complRig) filesDir() string {
	dir := filepath.Join(c.dir, "files")
	if _, err := os.Stat(dir); err != nil {
		for _, f := range []string{"tracking-a.csv", "tracking-b.csv"} {
			if err := os.MkdirAll(dir, 0o700); err != nil {
				c.t.Fatal(err)
			}
			if err := os.WriteFile(filepath.Join(dir, f), nil, 0o600); err != nil {
				c.t.Fatal(err)
			}
		}
	}
	return dir
}

func (c *complRig) prefix() string {
	return fmt.Sprintf("orderdesk --config %s --db %s ", c.cfg, c.db)
}

func writeScript(t *testing.T, shell string) string {
	t.Helper()
	out, _, code := runCLI(t, "completion", shell)
	if code != 0 || out == "" {
		t.Fatalf("completion %s: exit %d", shell, code)
	}
	path := filepath.Join(t.TempDir(), "orderdesk."+shell)
	if err := os.WriteFile(path, []byte(out), 0o600); err != nil {
		t.Fatal(err)
	}
	return path
}

// bashWords splits a line as bash fills COMP_WORDS: at spaces, and at
// ':' and '=' (COMP_WORDBREAKS), each a word of its own; a line ending in
// a space ends in an empty word.
func bashWords(line string) []string {
	var words []string
	fields := strings.Split(line, " ")
	for i, f := range fields {
		if f == "" {
			if i == len(fields)-1 {
				words = append(words, "")
			}
			continue
		}
		start := 0
		for j, r := range f {
			if r == ':' || r == '=' {
				if j > start {
					words = append(words, f[start:j])
				}
				words, start = append(words, f[j:j+1]), j+1
			}
		}
		if start < len(f) {
			words = append(words, f[start:])
		}
	}
	return words
}

func TestCompletionBash(t *testing.T) {
	t.Parallel()
	c := newComplRig(t)
	script := writeScript(t, "bash")
	for _, tc := range c.shellCases() {
		line := c.prefix() + tc.line
		words := bashWords(line)
		words[0] = binary
		line = binary + strings.TrimPrefix(line, "orderdesk")
		var quoted []string
		for _, w := range words {
			quoted = append(quoted, shellQuote(w))
		}
		prog := fmt.Sprintf(`source %s
COMP_WORDS=(%s)
COMP_CWORD=%d
COMP_LINE=%s
COMP_POINT=${#COMP_LINE}
_orderdesk
for c in "${COMPREPLY[@]}"; do printf '%%s\n' "$c"; done
`, shellQuote(script), strings.Join(quoted, " "), len(words)-1, shellQuote(line))
		cmd := exec.Command("bash", "--norc", "--noprofile", "-c", prog)
		cmd.Env = append(os.Environ(), c.env...)
		out, err := cmd.CombinedOutput()
		if err != nil {
			t.Fatalf("bash: %v\n%s", err, out)
		}
		// readline replaces the text after the last word break (':' or
		// '=', even when the line ends in it, where COMP_WORDS ends in
		// the break itself): the word becomes what precedes it, then the
		// reply.
		last := tc.line[strings.LastIndex(tc.line, " ")+1:]
		head := last[:strings.LastIndexAny(last, ":=")+1]
		var got []string
		for l := range strings.Lines(string(out)) {
			got = append(got, head+strings.TrimSuffix(l, "\n"))
		}
		if !slices.Equal(got, tc.want) {
			t.Errorf("bash: %s<TAB>:\n got %q\nwant %q", tc.line, got, tc.want)
		}
	}
}

// needShell finds a shell, skipping the test when it is missing, or
// failing it under CI (.ci/run installs zsh and fish).
func needShell(t *testing.T, shell string) string {
	t.Helper()
	path, err := exec.LookPath(shell)
	if err != nil {
		if os.Getenv("CI") == "" {
			t.Skipf("%s is not installed, so its completion cannot be tested (it fails instead when CI is set; .ci/run installs it)", shell)
		}
		t.Fatalf("CI=%q is set but %s is not installed: .ci/run installs it", os.Getenv("CI"), shell)
	}
	return path
}

// zsh: the script's function runs with zsh's completion variables set
// (words, CURRENT, PREFIX) and compadd and _files recording what they get.
func TestCompletionZsh(t *testing.T) {
	t.Parallel()
	zsh := needShell(t, "zsh")
	c := newComplRig(t)
	script := writeScript(t, "zsh")
	for _, tc := range c.shellCases() {
		words := strings.Split(c.prefix()+tc.line, " ")
		words[0] = binary
		var quoted []string
		for _, w := range words {
			quoted = append(quoted, shellQuote(w))
		}
		prog := fmt.Sprintf(`compdef() { :; }
compadd() {
  local arr= suffix=' '
  while (( $# )); do
    case $1 in
      -a) arr=$2; shift 2 ;;
      -S) suffix=$2; shift 2 ;;
      -d|-V|-J|-X) shift 2 ;;
      --) shift; break ;;
      -*) shift ;;
      *) break ;;
    esac
  done
  local v
  for v in "${(@P)arr}"; do print -r -- "$v${suffix/ /}"; done
}
_files() { print -r -- FILES; }
compset() { :; }
source %s
words=(%s)
CURRENT=%d
PREFIX=${words[CURRENT]}
_orderdesk
`, shellQuote(script), strings.Join(quoted, " "), len(words))
		cmd := exec.Command(zsh, "-f", "-c", prog)
		cmd.Env = append(os.Environ(), c.env...)
		out, err := cmd.CombinedOutput()
		if err != nil && len(tc.want) > 0 {
			t.Fatalf("zsh: %v\n%s", err, out)
		}
		var got []string
		for l := range strings.Lines(string(out)) {
			got = append(got, strings.TrimSuffix(l, "\n"))
		}
		// zsh's own matching filters by the word typed; the function's
		// candidates are already filtered by prefix
		slices.Sort(got)
		want := slices.Sorted(slices.Values(tc.want))
		if tc.files {
			want = []string{"FILES"} // _files, zsh's own, is not loaded here
		}
		if !slices.Equal(got, want) {
			t.Errorf("zsh: %s<TAB>:\n got %q\nwant %q", tc.line, got, want)
		}
	}
}

// fish completes a whole command line itself: complete -C.
func TestCompletionFish(t *testing.T) {
	t.Parallel()
	fish := needShell(t, "fish")
	c := newComplRig(t)
	script := writeScript(t, "fish")
	bin := t.TempDir()
	if err := os.Symlink(binary, filepath.Join(bin, "orderdesk")); err != nil {
		t.Fatal(err)
	}
	for _, tc := range c.shellCases() {
		prog := fmt.Sprintf("source %s; complete -C %s", shellQuote(script), shellQuote(c.prefix()+tc.line))
		cmd := exec.Command(fish, "--no-config", "-c", prog)
		cmd.Env = append(os.Environ(), append(c.env, "PATH="+bin+string(os.PathListSeparator)+os.Getenv("PATH"))...)
		out, err := cmd.CombinedOutput()
		if err != nil {
			t.Fatalf("fish: %v\n%s", err, out)
		}
		var got []string
		for l := range strings.Lines(string(out)) {
			v, _, _ := strings.Cut(strings.TrimSuffix(l, "\n"), "\t")
			got = append(got, v)
		}
		slices.Sort(got)
		want := slices.Sorted(slices.Values(tc.want))
		if !slices.Equal(got, want) {
			t.Errorf("fish: %s<TAB>:\n got %q\nwant %q", tc.line, got, want)
		}
	}
}

// Beside `orderdesk serve`, which holds the database (locked), a <TAB>
// gets its REFs through the server's socket, the same as alone.
func TestCompleteBesideServe(t *testing.T) {
	t.Parallel()
	r := besideRig(t)
	c := &complRig{rig: r}
	alone, _ := c.complete("show", "sl")
	if len(alone) != 12 {
		t.Fatalf("show sl<TAB> alone: %q", alone)
	}
	srv := serveBeside(t, r)
	beside, out := c.complete("show", "sl")
	if !slices.Equal(beside, alone) {
		t.Errorf("show sl<TAB> beside serve: %q, alone %q\n%s", beside, alone, out)
	}
	if got, _ := c.complete("list", "--shop", ""); !slices.Equal(got, []string{"cn", "eu", "sl", "ym"}) {
		t.Errorf("list --shop <TAB> beside serve: %q", got)
	}
	srv.stop(t)
}

// pending retry|discard <TAB> offers the edits waiting in the outbox.
func TestCompletePendingIDs(t *testing.T) {
	t.Parallel()
	c := newComplRig(t)
	if got, _ := c.complete("pending", "retry", ""); len(got) != 0 {
		t.Errorf("pending retry <TAB> with an empty outbox: %q", got)
	}
	ref := strings.Replace(c.slRefs[0], ":#", ":", 1)
	c.must(3, "--offline", "remark", ref, "call the customer", "--yes")
	for _, op := range []string{"retry", "discard"} {
		got, out := c.complete("pending", op, "")
		if len(got) != 1 || !strings.HasPrefix(got[0], "E") || !strings.Contains(out, "pending "+c.slRefs[0]) {
			t.Errorf("pending %s <TAB>: %q", op, out)
		}
		if got, _ := c.complete("pending", op, "X"); len(got) != 0 {
			t.Errorf("pending %s X<TAB>: %q", op, got)
		}
	}
	if got, _ := c.complete("pending", "list", ""); len(got) != 0 {
		t.Errorf("pending list <TAB>: %q", got)
	}
}
