package app

import (
	"flag"
	"fmt"
	"io"
	"slices"
	"strconv"
	"strings"

	"github.com/charmbracelet/x/ansi"

	"orderdesk/backend"
	"orderdesk/ui/cli"
)

// The help the binary prints: `orderdesk --help` (the usage below),
// `orderdesk COMMAND --help` and `orderdesk help [COMMAND|TOPIC]`. Help
// asked for goes to stdout with exit 0; a usage error prints a short
// message and the usage on stderr with exit 2. It cites nothing a user does
// not have: no spec, no file outside the binary.

// writeUsage writes the global usage: what `orderdesk --help` prints.
func writeUsage(w io.Writer) {
	var b strings.Builder
	b.WriteString(`orderdesk, the terminal order desk for Fecshop, Fecmall, SHOPLINE and YMCart.

Usage:
  orderdesk [FLAGS]                   open the desk (orderdesk help desk)
  orderdesk COMMAND [ARGS] [FLAGS]

Commands:
`)
	var rows [][]string
	for _, name := range commandOrder {
		rows = append(rows, []string{name, commandDocs[name].summary})
	}
	rows = append(rows,
		[]string{"help [TOPIC]", "help on a COMMAND, or on filter, keys, config, json, desk"},
		[]string{"version", "print the version"})
	writeColumns(&b, rows)
	b.WriteString("\nGlobal flags (before or after the command):\n")
	writeColumns(&b, flagRows(globalFlags()))
	b.WriteString("\n" + wrap(refNote, 80, "") + "\n")
	b.WriteString(`
Exit codes: 0 done; 1 failed, or rejected by a shop; 2 usage or validation error
(nothing saved); 3 saved in the outbox but not yet confirmed by the shop.

More:
  orderdesk COMMAND --help    a command's flags, exit codes and examples
  orderdesk help filter       the filter language of --filter, / and saved views
  orderdesk help keys         the desk's keys
  orderdesk help config       a commented config file
  orderdesk help json         the fields of --format json and the columns of csv
`)
	io.WriteString(w, b.String())
}

// writeCommandHelp writes `orderdesk NAME --help`.
func writeCommandHelp(w io.Writer, name string) {
	doc := commandDocs[name]
	fs := flag.NewFlagSet(name, flag.ContinueOnError)
	commands[name].flags(fs)
	var b strings.Builder
	b.WriteString(usageLines("orderdesk "+commands[name].usage) + "\n")
	b.WriteString(wrap(doc.about, 78, "") + "\n")
	if rows := flagRows(fs); len(rows) > 0 {
		b.WriteString("\nFlags:\n")
		writeColumns(&b, rows)
	}
	writeDocTail(&b, doc)
	io.WriteString(w, b.String())
}

// writeDeskHelp writes `orderdesk help desk`.
func writeDeskHelp(w io.Writer) {
	var b strings.Builder
	b.WriteString(usageLines("orderdesk [--config FILE] [--db FILE] [--offline] [--demo [--demo-orders N] [--demo-latency D]]") + "\n")
	b.WriteString(wrap(deskDoc.about, 78, "") + "\n\nFlags:\n")
	writeColumns(&b, flagRows(globalFlags()))
	b.WriteString("\nExamples:\n")
	for _, e := range deskDoc.examples {
		b.WriteString("  " + e + "\n")
	}
	io.WriteString(w, b.String())
}

// writeDocTail writes the global flags in brief, the exit codes and the
// examples of a command.
func writeDocTail(b *strings.Builder, doc commandDoc) {
	var names []string
	globalFlags().VisitAll(func(f *flag.Flag) { names = append(names, flagName(f)) })
	b.WriteString("\n" + wrap("Global flags: "+strings.Join(names, ", ")+" (orderdesk --help says what each does).", 78, "") + "\n")
	if doc.exits != "" {
		b.WriteString("\nExit codes:\n")
		for line := range strings.Lines(doc.exits) {
			b.WriteString("  " + line)
		}
		b.WriteString("\n")
	}
	b.WriteString("\nExamples:\n")
	for _, e := range doc.examples {
		b.WriteString("  " + e + "\n")
	}
}

// globalFlags is a flag set holding the global flags only.
func globalFlags() *flag.FlagSet {
	fs := flag.NewFlagSet("orderdesk", flag.ContinueOnError)
	new(globals).register(fs)
	return fs
}

// flagRows lists a flag set as "--name VALUE" and its description with
// the default, when it has one worth saying.
func flagRows(fs *flag.FlagSet) [][]string {
	var rows [][]string
	fs.VisitAll(func(f *flag.Flag) {
		_, usage := flag.UnquoteUsage(f)
		switch f.DefValue {
		case "", "false", "0", "0s":
		default:
			usage += " (default " + f.DefValue + ")"
		}
		rows = append(rows, []string{flagName(f), usage})
	})
	return rows
}

// flagName is "--name VALUE", VALUE from the backquoted word of its usage
// ("--shop NAME"), nothing for a switch.
func flagName(f *flag.Flag) string {
	name, _ := flag.UnquoteUsage(f)
	if b, ok := f.Value.(interface{ IsBoolFlag() bool }); ok && b.IsBoolFlag() {
		return "--" + f.Name
	}
	return "--" + f.Name + " " + strings.ToUpper(name)
}

// writeColumns writes rows as aligned columns, the last one wrapped at 80
// columns. Widths are display widths (↑, CJK). A first column wider than
// 32 puts the rest of its row on the next line.
func writeColumns(b *strings.Builder, rows [][]string) {
	const maxFirst = 32
	var widths []int
	for _, r := range rows {
		for i, c := range r[:len(r)-1] {
			if len(widths) <= i {
				widths = append(widths, 0)
			}
			if w := ansi.StringWidth(c); i > 0 || w <= maxFirst {
				widths[i] = max(widths[i], w)
			}
		}
	}
	pad := func(s string, w int) string { return s + strings.Repeat(" ", max(w-ansi.StringWidth(s), 0)+2) }
	for _, r := range rows {
		line := "  "
		for i, c := range r[:len(r)-1] {
			if i == 0 && ansi.StringWidth(c) > widths[0] {
				b.WriteString(line + c + "\n")
				line = "  " + strings.Repeat(" ", widths[0]+2)
				continue
			}
			line += pad(c, widths[i])
		}
		indent := strings.Repeat(" ", ansi.StringWidth(line))
		b.WriteString(wrapWords(strings.Fields(r[len(r)-1]), 80, line, indent) + "\n")
	}
}

// flagError words a flag parsing error with flags as they are written
// here (--limit, not -limit).
func flagError(err error) string {
	msg := err.Error()
	if name, ok := strings.CutPrefix(msg, "flag provided but not defined: -"); ok {
		return "unknown flag --" + backend.Excerpt(name)
	}
	if rest, ok := strings.CutPrefix(msg, "bad flag syntax: "); ok {
		return "bad flag syntax: " + backend.Quote(rest)
	}
	// `invalid value "…" for flag -name: why`: the flag package quotes the
	// whole value; a message shows at most the start of it
	if rest, ok := strings.CutPrefix(msg, "invalid value "); ok {
		if i := strings.LastIndex(rest, " for flag -"); i > 0 {
			if v, err := strconv.Unquote(rest[:i]); err == nil {
				msg = "invalid value " + backend.Quote(v) + rest[i:]
			}
		}
	}
	if i := strings.Index(msg, " for flag -"); i >= 0 && !strings.HasPrefix(msg[i+len(" for flag -"):], "-") {
		msg = msg[:i] + " for flag --" + msg[i+len(" for flag -"):]
	}
	return msg
}

// usageLines writes a synopsis: each form ("A | B") on its own line,
// a long one broken between bracketed groups, never inside one.
func usageLines(synopsis string) string {
	var b strings.Builder
	prefix := "Usage: "
	for i, form := range strings.Split(synopsis, " | ") {
		if i > 0 {
			form = "orderdesk " + form
		}
		var groups []string
		depth, start := 0, 0
		for j, r := range form {
			switch r {
			case '[':
				depth++
			case ']':
				depth--
			case ' ':
				if depth == 0 {
					groups = append(groups, form[start:j])
					start = j + 1
				}
			}
		}
		groups = append(groups, form[start:])
		b.WriteString(wrapWords(groups, 80, prefix, "         ") + "\n")
		prefix = "       "
	}
	return b.String()
}

// wrap breaks text into lines of at most width columns (counting the
// indent), each starting with indent.
func wrap(text string, width int, indent string) string {
	return wrapWords(strings.Fields(text), width, indent, indent)
}

// wrapWords joins words into lines of at most width columns, the first
// line starting with first and the others with indent. A word longer than
// a line gets a line of its own.
func wrapWords(words []string, width int, first, indent string) string {
	var lines []string
	line, empty := first, true
	for _, word := range words {
		if !empty && len(line)+1+len(word) > width {
			lines = append(lines, line)
			line, empty = indent, true
		}
		if !empty {
			line += " "
		}
		line, empty = line+word, false
	}
	return strings.Join(append(lines, line), "\n")
}

// runHelp is `orderdesk help [COMMAND|TOPIC]`.
func runHelp(args []string, std streams) int {
	var topic string
	for _, a := range args {
		if !strings.HasPrefix(a, "-") {
			topic = a
			break
		}
	}
	switch {
	case topic == "" || topic == "help":
		writeUsage(std.out)
	case topic == "version":
		fmt.Fprintln(std.out, "Usage: orderdesk version\n\nPrints the version of orderdesk: the module version, the commit it was built\nfrom and the commit's date (+dirty: with uncommitted changes), and the Go\nrelease.")
	case slices.Contains(commandOrder, topic):
		writeCommandHelp(std.out, topic)
	case helpTopics[topic] != nil:
		helpTopics[topic](std.out)
	default:
		fmt.Fprintf(std.err, "orderdesk: no help on %s (orderdesk help lists the commands and topics)\n", backend.Quote(topic))
		return cli.ExitUsage
	}
	return cli.ExitOK
}

// helpTopics are the topics of `orderdesk help TOPIC` besides commands.
var helpTopics = map[string]func(io.Writer){
	"desk":   writeDeskHelp,
	"filter": writeFilterHelp,
	"keys":   writeKeysHelp,
	"config": writeConfigHelp,
	"json":   writeJSONHelp,
}
