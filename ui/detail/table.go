package detail

import (
	"strconv"
	"strings"

	"github.com/charmbracelet/x/ansi"

	"orderdesk/backend"
	"orderdesk/ui"
)

// column is one column of a pane table (items, payments).
type column struct {
	header string
	cells  []string // one per row, cleaned of control characters
	right  bool     // right-align (numbers, amounts)
	flex   bool     // takes the width the others leave, cut with "…" (one column)
	limit  int      // widest a cell may be (0 = as wide as its widest cell)
	drop   int      // 0 = always shown; when the width is short, the highest drops first
}

const (
	gap     = "  " // between table columns
	flexMin = 30   // a flexible column is not squeezed below this (or its natural width) while others can drop
)

// natural is the width the column would like: its widest cell or header,
// within its limit.
func (c column) natural() int {
	w := ansi.StringWidth(c.header)
	for _, v := range c.cells {
		w = max(w, ansi.StringWidth(v))
	}
	if c.limit > 0 {
		w = min(w, c.limit)
	}
	return w
}

// fitColumns gives each column a width for a table width wide pane: 0 for
// a dropped column. Columns drop (highest drop first) until the flexible
// column gets at least min(flexMin, its natural width); then the flexible
// column takes what is left, up to its natural width.
func fitColumns(cols []column, width int) []int {
	widths := make([]int, len(cols))
	flex := -1
	for i, c := range cols {
		widths[i] = c.natural()
		if c.flex {
			flex = i
		}
	}
	used := func() int {
		total, n := 0, 0
		for i, w := range widths {
			if w > 0 && i != flex {
				total += w
				n++
			}
		}
		if flex >= 0 {
			n++
		}
		return total + (n-1)*len(gap)
	}
	want := 0
	if flex >= 0 {
		want = min(flexMin, widths[flex])
	}
	for used()+want > width {
		i := nextDrop(cols, widths)
		if i < 0 {
			break
		}
		widths[i] = 0
	}
	if flex >= 0 {
		widths[flex] = max(1, min(widths[flex], width-used()))
	}
	return widths
}

// nextDrop is the shown column that drops next, or -1.
func nextDrop(cols []column, widths []int) int {
	best := -1
	for i, c := range cols {
		if c.drop > 0 && widths[i] > 0 && (best < 0 || c.drop > cols[best].drop) {
			best = i
		}
	}
	return best
}

// row lays out one row of cells (or the headers) in the given widths
// (dropped columns left out), with no trailing spaces.
func row(cols []column, widths []int, cell func(c column) string) string {
	var parts []string
	for i, c := range cols {
		if widths[i] == 0 {
			continue
		}
		v := cell(c)
		if c.right {
			parts = append(parts, padLeft(v, widths[i]))
		} else {
			parts = append(parts, pad(v, widths[i]))
		}
	}
	return strings.TrimRight(strings.Join(parts, gap), " ")
}

// table writes the header and the rows; under each row, extra(r) lines (if
// any) are written indented to column at (for values of dropped columns).
func (b *builder) table(cols []column, widths []int, at int, extra func(r int) []string) {
	b.add(b.s.Header.Render(row(cols, widths, func(c column) string { return c.header })))
	n := 0
	if len(cols) > 0 {
		n = len(cols[0].cells)
	}
	for r := range n {
		b.add(b.s.Text.Render(row(cols, widths, func(c column) string { return c.cells[r] })))
		if extra == nil {
			continue
		}
		for _, l := range extra(r) {
			b.add(strings.Repeat(" ", at) + b.s.Muted.Render(fit(l, max(1, b.width-at))))
		}
	}
}

// offset is the column where column k starts, given the widths.
func offset(widths []int, k int) int {
	x := 0
	for i := range k {
		if widths[i] > 0 {
			x += widths[i] + len(gap)
		}
	}
	return x
}

// Item table columns, by index.
const (
	colSKU = iota
	colTitle
	colVariant
)

// items writes the Items table. When the width is short, weight drops
// first, then variant (shown under the title instead), unit price, SKU.
func (b *builder) items(o *backend.Order) {
	b.section(SectionItems)
	if len(o.Items) == 0 {
		b.none("none")
		return
	}
	n := len(o.Items)
	cols := []column{
		{header: "SKU", limit: 18, drop: 1},
		{header: "TITLE", flex: true},
		{header: "VARIANT", limit: 20, drop: 3},
		{header: "QTY", right: true},
		{header: withCurrency("PRICE", o.Currency), right: true, drop: 2},
		{header: withCurrency("TOTAL", o.Currency), right: true},
		{header: "WEIGHT", right: true, drop: 4},
	}
	for i := range cols {
		cols[i].cells = make([]string, n)
	}
	for r, it := range o.Items {
		weight := ""
		if it.WeightG > 0 {
			weight = strconv.FormatInt(it.WeightG, 10) + " g"
		}
		for i, v := range []string{it.SKU, it.Title, it.Variant, strconv.Itoa(it.Qty), it.UnitPrice.String(), it.RowTotal.String(), weight} {
			cols[i].cells[r] = ui.Clean(v)
		}
	}
	widths := fitColumns(cols, b.width)
	var extra func(r int) []string
	if widths[colVariant] == 0 {
		extra = func(r int) []string {
			if v := cols[colVariant].cells[r]; v != "" {
				return []string{v}
			}
			return nil
		}
	}
	b.table(cols, widths, offset(widths, colTitle), extra)
	b.none(pieces(ui.ItemCount(o)))
}

func pieces(n int) string {
	if n == 1 {
		return "1 piece"
	}
	return strconv.Itoa(n) + " pieces"
}

func withCurrency(header, currency string) string {
	if currency = ui.Clean(currency); currency != "" {
		return header + " " + currency
	}
	return header
}

// payments writes the Payments table.
func (b *builder) payments(o *backend.Order) {
	b.section(SectionPayments)
	if len(o.Payments) == 0 {
		b.none("none")
		return
	}
	n := len(o.Payments)
	cols := []column{
		{header: "METHOD", limit: 18},
		{header: "TRANSACTION", flex: true},
		{header: "AMOUNT", right: true},
		{header: "STATUS", limit: 18},
		{header: "PAID AT", drop: 1},
	}
	for i := range cols {
		cols[i].cells = make([]string, n)
	}
	for r, p := range o.Payments {
		cur := p.Currency
		if cur == "" {
			cur = o.Currency
		}
		amount := strings.TrimSpace(p.Amount.String() + " " + cur)
		for i, v := range []string{p.Method, p.TransactionID, amount, p.Status, ui.LocalTime(p.PaidAt, b.loc)} {
			cols[i].cells[r] = ui.Clean(v)
		}
	}
	b.table(cols, fitColumns(cols, b.width), 0, nil)
}
