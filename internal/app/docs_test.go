package app

import (
	"bytes"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// docs/ holds the help the binary prints, one page a topic and one for the
// commands, so the README can link it. `make docs` writes the pages (this
// test with ORDERDESK_WRITE_DOCS set); otherwise the test fails when a page
// is not what the binary prints now.

// moduleRoot is where README.md and docs/ are: go test runs a package's
// tests in its directory, internal/app.
var moduleRoot = filepath.Join("..", "..")

// docPage is one generated page: its sections, each the output of one
// orderdesk command line.
type docPage struct {
	file, title, intro string
	sections           [][]string // orderdesk arguments
	fence              string     // the code block's language
}

func docPages() []docPage {
	cmds := [][]string{{"--help"}, {"help", "desk"}}
	for _, name := range commandOrder {
		cmds = append(cmds, []string{name, "--help"})
	}
	cmds = append(cmds, []string{"help", "version"})
	return []docPage{
		{"filter.md", "The filter language", "What `orderdesk help filter` prints: the language of `orderdesk list --filter`, of `/` in the desk and of saved views.",
			[][]string{{"help", "filter"}}, "text"},
		{"json.md", "JSON fields and CSV columns", "What `orderdesk help json` prints: every field of `--format json` and every column of `--format csv`.",
			[][]string{{"help", "json"}}, "text"},
		{"config.md", "The config file", "What `orderdesk help config` prints: a commented config file.",
			[][]string{{"help", "config"}}, "toml"},
		{"keys.md", "The desk's keys", "What `orderdesk help keys` prints: the desk's keys and the names that rebind them in the config's `[keys]` table.",
			[][]string{{"help", "keys"}}, "text"},
		{"commands.md", "Commands", "What `orderdesk --help`, `orderdesk help desk` and each `orderdesk COMMAND --help` print.",
			cmds, "text"},
	}
}

// render is the page's Markdown: a heading, where it comes from, and each
// section's output in a code block.
func (p docPage) render(t *testing.T) string {
	t.Helper()
	var b strings.Builder
	fmt.Fprintf(&b, "# orderdesk: %s\n\n%s Generated from the program by `make docs`: do not edit.\n", p.title, p.intro)
	for _, args := range p.sections {
		out, errOut, code := runCLI(t, args...)
		if code != 0 || out == "" || errOut != "" {
			t.Fatalf("orderdesk %s: exit %d, stderr %q", strings.Join(args, " "), code, errOut)
		}
		if strings.Contains(out, "```") {
			t.Fatalf("orderdesk %s prints a code fence", strings.Join(args, " "))
		}
		if len(p.sections) > 1 {
			fmt.Fprintf(&b, "\n## orderdesk %s\n", strings.Join(args, " "))
		}
		fmt.Fprintf(&b, "\n```%s\n%s```\n", p.fence, out)
	}
	return b.String()
}

func TestDocs(t *testing.T) {
	write := os.Getenv("ORDERDESK_WRITE_DOCS") != ""
	readme, err := os.ReadFile(filepath.Join(moduleRoot, "README.md"))
	if err != nil {
		t.Fatal(err)
	}
	for _, p := range docPages() {
		want := p.render(t)
		noSpec(t, []string{"docs/" + p.file}, want)
		path := filepath.Join(moduleRoot, "docs", p.file)
		if write {
			if err := os.WriteFile(path, []byte(want), 0o644); err != nil {
				t.Fatal(err)
			}
			continue
		}
		got, err := os.ReadFile(path)
		if err != nil || !bytes.Equal(got, []byte(want)) {
			t.Errorf("docs/%s is not what the binary prints now (%v): run make docs", p.file, err)
		}
		if !bytes.Contains(readme, []byte("(docs/"+p.file+")")) {
			t.Errorf("README.md does not link docs/%s", p.file)
		}
	}
}
