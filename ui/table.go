// Package ui presents orders: the plain-text table of the command line and
// (later) the Bubble Tea desk.
package ui

import (
	"fmt"
	"io"
	"strings"
	"time"

	"github.com/charmbracelet/x/ansi"

	"orderdesk/backend"
)

// column is one column of the order table: a header, how to read the cell
// from an order, and the widest it may grow (0: as wide as its widest cell).
type column struct {
	header string
	max    int
	right  bool
	cell   func(o *backend.Order, loc *time.Location) string
}

var orderColumns = []column{
	{"SHOP", 14, false, func(o *backend.Order, _ *time.Location) string { return o.Shop }},
	{"NUMBER", 22, false, func(o *backend.Order, _ *time.Location) string { return o.Number }},
	{"CREATED", 16, false, func(o *backend.Order, loc *time.Location) string { return LocalTime(o.CreatedAt, loc) }},
	{"CUSTOMER", 20, false, func(o *backend.Order, _ *time.Location) string { return o.Customer.Name }},
	{"CTRY", 4, false, func(o *backend.Order, _ *time.Location) string { return country(o) }},
	{"ITEMS", 5, true, func(o *backend.Order, _ *time.Location) string { return fmt.Sprint(ItemCount(o)) }},
	{"TOTAL", 16, true, func(o *backend.Order, _ *time.Location) string {
		return o.Totals.GrandTotal.String() + " " + o.Currency
	}},
	// The status axes have no limit: their values are a short closed set,
	// and a cut one (cancelle…) reads as a different state. ORDER ends in
	// "*" when the order is archived on the shop.
	{"ORDER", 0, false, func(o *backend.Order, _ *time.Location) string { return string(o.State.Order) + archived(o) }},
	{"PAYMENT", 0, false, func(o *backend.Order, _ *time.Location) string { return string(o.State.Payment) }},
	{"FULFILMENT", 0, false, func(o *backend.Order, _ *time.Location) string { return string(o.State.Fulfillment) }},
}

// LocalTime shows a time in the operator's zone as "2006-01-02 15:04".
func LocalTime(t *time.Time, loc *time.Location) string {
	if t == nil {
		return "-"
	}
	if loc == nil {
		loc = time.Local
	}
	return t.In(loc).Format("2006-01-02 15:04")
}

func country(o *backend.Order) string {
	if o.ShippingAddress != nil {
		return o.ShippingAddress.CountryCode
	}
	return ""
}

// ItemCount is the number of pieces in an order (the sum of quantities).
func ItemCount(o *backend.Order) int {
	n := 0
	for _, it := range o.Items {
		n += it.Qty
	}
	return n
}

func archived(o *backend.Order) string {
	if o.State.Archived {
		return "*"
	}
	return ""
}

// WriteTable writes orders as an aligned text table. Widths are display
// widths, so CJK names line up; over-long cells are cut with "…".
func WriteTable(w io.Writer, orders []*backend.Order, loc *time.Location) error {
	g := Grid{Headers: make([]string, len(orderColumns)), Right: make([]bool, len(orderColumns)), Max: make([]int, len(orderColumns))}
	for i, c := range orderColumns {
		g.Headers[i], g.Right[i], g.Max[i] = c.header, c.right, c.max
	}
	g.Rows = make([][]string, len(orders))
	for r, o := range orders {
		g.Rows[r] = make([]string, len(orderColumns))
		for i, c := range orderColumns {
			g.Rows[r][i] = c.cell(o, loc)
		}
	}
	return g.Write(w)
}

// Grid is a plain-text table: a header row and rows of cells, aligned by
// display width (CJK text counts two columns per character).
type Grid struct {
	Headers []string
	Rows    [][]string
	Right   []bool // right-align this column's cells (optional)
	Max     []int  // cut this column's cells to this width with "…" (optional; 0 = no limit)
}

// Write writes the grid; cells are cleaned of line breaks and control
// characters first.
func (g Grid) Write(w io.Writer) error {
	n := len(g.Headers)
	widths := make([]int, n)
	for i, h := range g.Headers {
		widths[i] = ansi.StringWidth(h)
	}
	cells := make([][]string, len(g.Rows))
	for r, row := range g.Rows {
		cells[r] = make([]string, n)
		for i := range n {
			v := ""
			if i < len(row) {
				v = Clean(row[i])
			}
			if i < len(g.Max) && g.Max[i] > 0 {
				v = ansi.Truncate(v, g.Max[i], "…")
			}
			cells[r][i] = v
			widths[i] = max(widths[i], ansi.StringWidth(v))
		}
	}
	var b strings.Builder
	line := func(vals []string, header bool) {
		for i, v := range vals {
			pad := strings.Repeat(" ", widths[i]-ansi.StringWidth(v))
			switch {
			case i < len(g.Right) && g.Right[i] && !header:
				b.WriteString(pad + v)
			case i < n-1:
				b.WriteString(v + pad)
			default:
				b.WriteString(v)
			}
			if i < n-1 {
				b.WriteString("  ")
			}
		}
		b.WriteString("\n")
	}
	line(g.Headers, true)
	for _, r := range cells {
		line(r, false)
	}
	_, err := io.WriteString(w, b.String())
	return err
}

// Clean keeps a cell on one line and free of control characters, so data
// from a shop cannot break the table or drive the terminal.
func Clean(s string) string {
	return strings.Map(func(r rune) rune {
		switch {
		case r == '\n' || r == '\r' || r == '\t':
			return ' '
		case r < 0x20 || r == 0x7f || (r >= 0x80 && r < 0xa0):
			return -1
		}
		return r
	}, s)
}
