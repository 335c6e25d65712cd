package main

import (
	"flag"
	"fmt"
	"io"
	"slices"
	"strings"

	"github.com/charmbracelet/x/ansi"

	"orderdesk/ui/cli"
)

// The help the binary prints: `orderdesk --help` (the usage below),
// `orderdesk COMMAND --help` and `orderdesk help [COMMAND|TOPIC]`. Help
// asked for goes to stdout with exit 0; a usage error prints a short
// message and the usage on stderr with exit 2. It cites nothing a user does
// not have: no spec, no file outside the binary.

// commandDoc is what a command's help says besides its flags, which come
// from the command's own flag set.
type commandDoc struct {
	summary  string   // one line in the global usage
	about    string   // what it does, a few sentences
	exits    string   // its exit codes, where they matter
	examples []string // command lines, with an optional "  # comment"
}

// commandOrder is the order of the global usage: every command of
// commands, each with a commandDocs entry (a test holds them together).
var commandOrder = []string{"sync", "list", "show", "status", "ship", "remark", "pending", "import-tracking", "serve"}

// editExits are the exit codes of status, ship and remark.
const editExits = `0  the shop confirmed the change
1  the shop rejected it (the reason is printed), or the order changed on the
   shop since it was cached (conflict); the edit waits in orderdesk pending
2  usage or validation error: nothing was saved
3  saved in the outbox but not yet confirmed (offline, shop unreachable or
   busy); orderdesk sync (or the desk) sends it`

const refNote = "REF is SHOP:NUMBER (eu-store:100000123), or NUMBER alone when no other shop has that number."

var commandDocs = map[string]commandDoc{
	"sync": {
		summary: "fetch new and changed orders, then send the pending edits",
		about: "Fetches each shop's new and changed orders into the local database (the first sync of a shop " +
			"fetches everything its history allows), then sends the edits waiting in the outbox. " +
			"Progress goes to stderr, one line per shop to stdout. It talks to the shops, so it cannot run with --offline.",
		exits: `0  every shop synced and every edit was confirmed
1  a shop failed, or this run left an edit failed or in conflict
   (orderdesk pending shows them)
3  every shop synced, but some edits are not confirmed yet`,
		examples: []string{
			"orderdesk sync",
			"orderdesk sync --shop eu-store --shop sl   # these two shops only",
		},
	},
	"list": {
		summary: "print cached orders as a table, JSON or CSV",
		about: "Prints the orders in the local database, newest first; it never contacts the shops (orderdesk sync " +
			"fetches). --filter takes the language of / in the desk (orderdesk help filter). " +
			"In the table, times are in the display zone (the config's timezone) and ORDER ends in * when " +
			"the order is archived on the shop (cancelled* = cancelled and archived). " +
			"--format json prints the orders with every field (orderdesk help json); --format csv prints one row per " +
			"order for spreadsheets, times in RFC 3339 with the display zone's offset (2026-11-30T18:04:05+08:00).",
		examples: []string{
			"orderdesk list --filter 'pay:paid ship:unfulfilled -is:cancelled'",
			"orderdesk list --shop sl --limit 20",
			"orderdesk list --format csv --bom > orders.csv   # for Excel",
			"orderdesk list --format json --filter is:attention",
		},
	},
	"show": {
		summary: "print one order",
		about: "Prints one cached order: customer, items, addresses, totals, shipments, remarks and the edits " +
			"not yet confirmed by the shop. It never contacts the shop. " + refNote,
		examples: []string{
			"orderdesk show eu-store:100000123",
			"orderdesk show 1001 --format json",
		},
	},
	"status": {
		summary: "set an order's status on its shop",
		about: "Sets the order's status to VALUE, one of the values its platform accepts (an unknown VALUE is " +
			"refused with the list). The edit is saved in the outbox, then sent to the shop; when the shop cannot " +
			"be reached it stays queued and a later sync sends it. A change that reaches the customer or cannot " +
			"be undone (cancel, void, refund, archive) asks first on a terminal; a script must say --yes, or " +
			"nothing is saved (exit 2). " + refNote,
		exits: editExits,
		examples: []string{
			"orderdesk status ym:100123 200",
			"orderdesk status sl:1001 cancel --yes   # irreversible: a script must confirm",
		},
	},
	"ship": {
		summary: "record a shipment (carrier and tracking number) on the shop",
		about: "Marks the order shipped with a carrier and tracking number. The number is checked against the " +
			"carrier's format and against the other cached orders (a warning, never a refusal: it asks on a " +
			"terminal). Whether the customer is emailed depends on the platform: YMCart always emails, " +
			"SHOPLINE only with --notify; when an email goes out a script must say --yes. " + refNote,
		exits: editExits,
		examples: []string{
			"orderdesk ship eu-store:100000123 --carrier UPS --tracking 1Z999AA10123456784",
			"orderdesk ship sl:1001 --carrier 'SF Express' --tracking SF1234567890 --yes",
			"orderdesk ship sl:1002 --carrier DHL --tracking 1234567890 --notify --yes",
		},
	},
	"remark": {
		summary: "add a remark to an order",
		about: "Adds TEXT (the rest of the command line) as an internal remark on the order, on the shop " +
			"(SHOPLINE and YMCart: Fecshop's API has no remarks, Fecmall's is read-only). " + refNote,
		exits: editExits,
		examples: []string{
			"orderdesk remark eu-store:100000123 'customer called: leave at the door'",
		},
	},
	"pending": {
		summary: "the outbox: edits not yet confirmed; retry or discard a stuck one",
		about: "Lists the edits not yet confirmed by the shops, with their state (queued, sending, unknown, " +
			"failed, conflict) and why. A failed or conflicting edit waits for the operator: " +
			"'pending retry ID' reads the order from the shop again, decides the edit again on what the shop " +
			"has now and sends it; 'pending discard ID' drops it (it stays in the audit log and the order's " +
			"history; it is never sent). Discard asks on a terminal; a script must say --yes.",
		exits: `0  done (listed, retried and confirmed, or discarded)
1  the retried edit was rejected again or is still in conflict
2  usage error, no such edit, or an edit that is not failed or in conflict;
   nothing changed
3  the retried edit is saved but not yet confirmed (offline, shop unreachable)`,
		examples: []string{
			"orderdesk pending",
			"orderdesk pending retry E3",
			"orderdesk pending discard E3 --yes",
		},
	},
	"import-tracking": {
		summary: "ship many orders from a spreadsheet of tracking numbers",
		about: "Reads a CSV file with order, carrier and tracking columns (headers in English or Chinese; " +
			"comma, semicolon or tab; UTF-8, GB18030 or UTF-16), checks every row against the cached orders, " +
			"prints the plan (one line per row, with the reason for each rejected row) and, unless --dry-run, " +
			"saves the accepted rows as shipments and sends them. Running the same file again finishes what an " +
			"outage left queued and applies nothing twice.",
		exits: `0  every row is shipped or was already
1  some rows were rejected (by the plan or by the shop)
2  the file or the command line is wrong: nothing saved
3  nothing rejected, but some rows are queued (a shop offline)`,
		examples: []string{
			"orderdesk import-tracking tracking.csv --dry-run",
			"orderdesk import-tracking tracking.csv --yes",
		},
	},
	"serve": {
		summary: "the desk over SSH, for a team sharing one database",
		about: "Runs an SSH server: each operator whose public key is in the authorized keys file gets their " +
			"own desk on the shared database, outbox and sync. Edits are recorded under the operator's name " +
			"from the config's [operators] table, else the key's comment. The host key is created on first start. " +
			"Stops cleanly on SIGTERM or Ctrl-C, finishing edits being sent.",
		examples: []string{
			"orderdesk serve --listen 0.0.0.0:2222",
			"ssh -p 2222 desk.example.com   # from an operator's machine",
		},
	},
}

// deskDoc is the help of `orderdesk` without a command.
var deskDoc = commandDoc{
	about: "Opens the desk: every shop's orders in tabs (All, To ship, Unpaid, Shipped, Cancelled, Needs " +
		"attention, and the config's [[views]]), a filter (/), the order's detail, and keys to set a status, " +
		"ship, add a remark, import tracking numbers and export the view to CSV (orderdesk help keys). " +
		"It syncs when it opens and every few minutes. Without a terminal (orderdesk > file) it prints the " +
		"orders as orderdesk list does. --demo opens it on simulated shops of all four platforms, with no " +
		"config and no network.",
	examples: []string{
		"orderdesk",
		"orderdesk --demo",
		"orderdesk --demo --demo-orders 500 --demo-latency 2s   # slow shops",
		"orderdesk --offline   # work from the cache; edits wait for the next sync",
	},
}

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
  orderdesk help json         the fields of --format json
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
		return "unknown flag --" + name
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
func runHelp(args []string, io stdio) int {
	var topic string
	for _, a := range args {
		if !strings.HasPrefix(a, "-") {
			topic = a
			break
		}
	}
	switch {
	case topic == "" || topic == "help":
		writeUsage(io.out)
	case topic == "version":
		fmt.Fprintln(io.out, "Usage: orderdesk version\n\nPrints the version of orderdesk.")
	case slices.Contains(commandOrder, topic):
		writeCommandHelp(io.out, topic)
	case helpTopics[topic] != nil:
		helpTopics[topic](io.out)
	default:
		fmt.Fprintf(io.err, "orderdesk: no help on %q (orderdesk help lists the commands and topics)\n", topic)
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
