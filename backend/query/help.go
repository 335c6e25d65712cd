package query

import "strings"

// helpWidth is the widest line of HelpText, in terminal columns: it fits
// an 80-column terminal with a border.
const helpWidth = 76

// helpIntro and helpTotals are the prose around the field list. Lines
// after the first of a paragraph are indented by two spaces.
const helpIntro = `Terms are separated by spaces; an order must match every term.
  -TERM leaves out what TERM finds: -status:cancelled, -"gift wrap".
  Double quotes make one term of several words: "new york".
Free text (a word with no field) finds the order number, customer and
  recipient name, e-mail, SKU, item title, tracking number, city and
  province, in any case; CJK as typed: 张伟, 東京.
Phone numbers are found however they are written, pasted as they are:
  +81 90-1234-5678, +81 (0)90 1234 5678, 090-1234-5678 and 9012345678
  find each other, and 1234-5678 finds part of one. To leave a number
  out, quote it: -"+81 90-1234-5678".
Fields (those marked * take alternatives: pay:paid,refunded):`

const helpTotals = `Totals: total>100USD compares orders in USD only. A bare total>100
  compares each order in its own currency, so it matches 120 USD and
  1200 JPY alike.`

// HelpText is the filter language in short, for the desk's help screen
// and `orderdesk help filter`: the rules, every field with an example,
// and how totals compare. Lines are separated by "\n", none wider than
// 76 columns; the text has no trailing newline.
func HelpText() string {
	var b strings.Builder
	b.WriteString(helpIntro)
	const col = 24 // where the help of a field starts
	for _, f := range fieldTable {
		ex := "  " + f.example
		if f.list {
			ex += " *"
		}
		b.WriteString("\n" + ex + strings.Repeat(" ", max(1, col-len(ex))))
		for i, line := range wrapWords(f.help, helpWidth-col) {
			if i > 0 {
				b.WriteString("\n" + strings.Repeat(" ", col))
			}
			b.WriteString(line)
		}
	}
	b.WriteString("\n" + helpTotals)
	return b.String()
}

// wrapWords breaks ASCII text into lines of at most width bytes, at
// spaces.
func wrapWords(s string, width int) []string {
	var lines []string
	line := ""
	for _, w := range strings.Fields(s) {
		switch {
		case line == "":
			line = w
		case len(line)+1+len(w) <= width:
			line += " " + w
		default:
			lines = append(lines, line)
			line = w
		}
	}
	return append(lines, line)
}
