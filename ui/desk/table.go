package desk

import (
	"cmp"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/charmbracelet/x/ansi"

	"orderdesk/backend"
	"orderdesk/ui"
	"orderdesk/ui/theme"
)

// column is one column of the order list: how to read its cell, how wide
// it may be, how it sorts, and how early it is dropped on a narrow screen.
type column struct {
	header   string
	min, max int
	grow     bool // takes the width left over
	right    bool
	badge    bool // the cell is a status value, coloured by meaning
	// toneOf, for a badge, is the status value its colour follows (the
	// cell's own text when nil)
	toneOf func(o *backend.Order) string
	cell   func(o *backend.Order, loc *time.Location) string
	less   func(a, b *backend.Order) int
}

// Markers of the first column.
const (
	markMarked   = "✓"
	markPending  = "⇡"
	markFailed   = "✗"
	markConflict = "!"
)

// columns of the list, in display order. The mark column is fixed.
var columns = []column{
	{header: "", min: 2, max: 2, cell: func(o *backend.Order, _ *time.Location) string { return editMark(o) }},
	{header: "SHOP", min: 4, max: 14, cell: func(o *backend.Order, _ *time.Location) string { return o.Shop },
		less: func(a, b *backend.Order) int { return cmp.Compare(a.Shop, b.Shop) }},
	{header: "NUMBER", min: 6, max: 18, cell: func(o *backend.Order, _ *time.Location) string { return o.Number },
		less: func(a, b *backend.Order) int { return cmpNumber(a.Number, b.Number) }},
	{header: "CREATED", min: 11, max: 16, cell: func(o *backend.Order, loc *time.Location) string { return ui.LocalTime(o.CreatedAt, loc) }},
	{header: "CUSTOMER", min: 10, max: 40, grow: true, cell: func(o *backend.Order, _ *time.Location) string { return ui.Clean(o.Customer.Name) },
		less: func(a, b *backend.Order) int {
			return cmp.Compare(strings.ToLower(a.Customer.Name), strings.ToLower(b.Customer.Name))
		}},
	{header: "CTRY", min: 4, max: 4, cell: func(o *backend.Order, _ *time.Location) string { return countryCode(o) },
		less: func(a, b *backend.Order) int { return cmp.Compare(countryCode(a), countryCode(b)) }},
	{header: "ITEMS", min: 5, max: 5, right: true, cell: func(o *backend.Order, _ *time.Location) string { return strconv.Itoa(ui.ItemCount(o)) },
		less: func(a, b *backend.Order) int { return cmp.Compare(ui.ItemCount(a), ui.ItemCount(b)) }},
	{header: "TOTAL", min: 12, max: 16, right: true, cell: func(o *backend.Order, _ *time.Location) string {
		return o.Totals.GrandTotal.String() + " " + o.Currency
	}, less: cmpTotal},
	{header: "ORDER", min: 9, max: 11, badge: true, cell: func(o *backend.Order, _ *time.Location) string { return orderBadge(o) },
		toneOf: func(o *backend.Order) string { return string(o.State.Order) },
		less:   func(a, b *backend.Order) int { return cmp.Compare(a.State.Order, b.State.Order) }},
	{header: "PAYMENT", min: 8, max: 11, badge: true, cell: func(o *backend.Order, _ *time.Location) string { return short(string(o.State.Payment)) },
		less: func(a, b *backend.Order) int { return cmp.Compare(a.State.Payment, b.State.Payment) }},
	{header: "FULFILMENT", min: 11, max: 11, badge: true, cell: func(o *backend.Order, _ *time.Location) string { return fulfilCell(o) },
		toneOf: func(o *backend.Order) string { return string(o.State.Fulfillment) },
		less:   func(a, b *backend.Order) int { return cmp.Compare(a.State.Fulfillment, b.State.Fulfillment) }},
	{header: "STATE", min: 16, max: 22, badge: true, cell: func(o *backend.Order, _ *time.Location) string { return combinedState(o) },
		toneOf: stateTone, less: cmpState},
}

const (
	colMark = iota
	colShop
	colNumber
	colCreated
	colCustomer
	colCountry
	colItems
	colTotal
	colOrder
	colPayment
	colFulfil
	colState // order, payment and fulfilment in one, for narrow terminals
)

// keepWide is the order in which columns are given room: a narrow
// terminal drops the last ones first. When the order state would be
// dropped, keepNarrow is used instead: one STATE column that never hides
// a cancelled or archived order (a cancelled order must not read "paid
// unfulfilled" at 80 columns).
var (
	keepWide   = []int{colMark, colNumber, colShop, colCustomer, colTotal, colPayment, colFulfil, colOrder, colCreated, colCountry, colItems}
	keepNarrow = []int{colMark, colNumber, colShop, colCustomer, colTotal, colState, colCreated, colCountry, colItems}
)

func editMark(o *backend.Order) string {
	mark := ""
	for _, p := range o.Pending {
		switch backend.EditState(p.State) {
		case backend.EditConflict:
			return markConflict
		case backend.EditFailed:
			mark = markFailed
		default:
			if mark == "" {
				mark = markPending
			}
		}
	}
	return mark
}

// shortNames are the list's names for status values too long for a
// column; the detail pane shows them in full.
var shortNames = map[string]string{
	string(backend.PayPartiallyPaid):     "part-paid",
	string(backend.PayPartiallyRefunded): "part-refund",
	string(backend.FulInProgress):        "in progress",
}

func short(v string) string {
	if s, ok := shortNames[v]; ok {
		return s
	}
	return v
}

// longName undoes short, for the badge colour.
func longName(v string) string {
	for long, s := range shortNames {
		if s == v {
			return long
		}
	}
	return v
}

// orderBadge is the order state, "*" marking an archived order; an
// unsent status change shows where the order is heading ("→cancel ⇡").
func orderBadge(o *backend.Order) string {
	if to, _ := intent(o); to != "" {
		return "→" + to + " " + markPending
	}
	if o.State.Archived {
		return string(o.State.Order) + "*"
	}
	return string(o.State.Order)
}

// fulfilCell is the fulfilment state, or "shipping ⇡" while a shipment
// is saved and not yet confirmed by the shop.
func fulfilCell(o *backend.Order) string {
	if _, ship := intent(o); ship {
		return "shipping " + markPending
	}
	return short(string(o.State.Fulfillment))
}

// intent is what the order's unsent edits (saved, not yet confirmed, not
// failed) are about to do: a status value, a shipment.
func intent(o *backend.Order) (status string, ship bool) {
	for _, p := range o.Pending {
		switch backend.EditState(p.State) {
		case backend.EditFailed, backend.EditConflict:
			continue
		}
		switch backend.ActionKind(p.Kind) {
		case backend.ActionShip:
			ship = true
		case backend.ActionStatus:
			if v, ok := strings.CutPrefix(p.Summary, backend.Describe(backend.Action{Kind: backend.ActionStatus})); ok {
				status = v
			}
		}
	}
	return status, ship
}

// combinedState is the three axes in one cell for narrow terminals: the
// order state first whenever it is not plainly open (cancelled, completed,
// on hold: never hidden), then what is left to know; "*" marks an archived
// order; unsent edits show where the order is heading.
func combinedState(o *backend.Order) string {
	st := o.State
	var parts []string
	if to, _ := intent(o); to != "" {
		parts = append(parts, "→"+to+" "+markPending)
	}
	switch st.Order {
	case backend.OrderCancelled, backend.OrderCompleted:
		parts = append(parts, string(st.Order))
		if st.Payment == backend.PayRefunded || st.Payment == backend.PayPartiallyRefunded {
			parts = append(parts, short(string(st.Payment)))
		}
	case backend.OrderOpen, "":
		parts = append(parts, short(string(st.Payment)), fulfilCell(o))
	default: // on hold, draft: the state and whether it is paid
		parts = append(parts, string(st.Order), short(string(st.Payment)))
	}
	s := strings.Join(parts, " ")
	if st.Archived {
		s += "*"
	}
	return s
}

// stateTone is the value the STATE column's colour follows: the order
// state when it is not open, else the weaker of payment and fulfilment.
func stateTone(o *backend.Order) string {
	switch {
	case o.State.Order != backend.OrderOpen && o.State.Order != "":
		return string(o.State.Order)
	case o.State.Payment != backend.PayPaid:
		return string(o.State.Payment)
	}
	return string(o.State.Fulfillment)
}

func cmpState(a, b *backend.Order) int {
	return cmp.Or(cmp.Compare(a.State.Order, b.State.Order), cmp.Compare(a.State.Payment, b.State.Payment),
		cmp.Compare(a.State.Fulfillment, b.State.Fulfillment))
}

func countryCode(o *backend.Order) string {
	if o.ShippingAddress != nil {
		return o.ShippingAddress.CountryCode
	}
	return ""
}

// cmpNumber sorts order numbers numerically when both are numbers.
func cmpNumber(a, b string) int {
	x, errA := strconv.ParseInt(strings.TrimPrefix(a, "#"), 10, 64)
	y, errB := strconv.ParseInt(strings.TrimPrefix(b, "#"), 10, 64)
	if errA == nil && errB == nil {
		return cmp.Compare(x, y)
	}
	return cmp.Compare(a, b)
}

// cmpTotal sorts by currency, then amount: amounts of different currencies
// are never compared as numbers.
func cmpTotal(a, b *backend.Order) int {
	if c := cmp.Compare(a.Currency, b.Currency); c != 0 {
		return c
	}
	return a.Totals.GrandTotal.Cmp(b.Totals.GrandTotal)
}

// layout is the columns shown at one width and their widths.
type layout struct {
	width int
	cols  []int // column indices, display order
	w     []int // their widths
}

// layoutFor fits columns into width: each kept column gets its minimum (or
// what its data needs, up to its maximum); the growing column takes the
// rest. need[i] is the widest cell of column i in the data (0: unknown).
func layoutFor(width int, need []int) layout {
	if l := fitColumns(width, need, keepWide); slices.Contains(l.cols, colOrder) {
		return l
	}
	return fitColumns(width, need, keepNarrow)
}

// fitColumns gives room to the columns of keep, in that order.
func fitColumns(width int, need []int, keepOrder []int) layout {
	want := make([]int, len(columns))
	for i, c := range columns {
		want[i] = max(c.min, min(c.max, max(need[i], ansi.StringWidth(c.header))))
		if c.grow {
			want[i] = c.min // it gets the room left over at the end
		}
	}
	keep := make([]bool, len(columns))
	used := -1
	for _, i := range keepOrder {
		if used+1+want[i] > width {
			continue
		}
		keep[i] = true
		used += 1 + want[i]
	}
	l := layout{width: width}
	for i := range columns {
		if keep[i] {
			l.cols = append(l.cols, i)
			l.w = append(l.w, want[i])
		}
	}
	if left := width - used; left > 0 {
		for k, i := range l.cols {
			if columns[i].grow {
				l.w[k] += left
			}
		}
	}
	return l
}

// cellWidths measures the widest cell of every column over some orders
// (the first screenful is enough to keep widths stable while scrolling).
func cellWidths(orders []*backend.Order, loc *time.Location) []int {
	need := make([]int, len(columns))
	for _, o := range orders {
		for i, c := range columns {
			need[i] = max(need[i], ansi.StringWidth(c.cell(o, loc)))
		}
	}
	return need
}

// fit pads or cuts s to exactly w display columns.
func fit(s string, w int, right bool) string {
	sw := ansi.StringWidth(s)
	if sw > w {
		s = ansi.Truncate(s, w, "…")
		sw = ansi.StringWidth(s)
	}
	pad := strings.Repeat(" ", max(0, w-sw))
	if right {
		return pad + s
	}
	return s + pad
}

// renderRow renders one order's row. plain leaves out colours (the cursor
// and marked rows get one style across the row).
func renderRow(l layout, o *backend.Order, loc *time.Location, s *theme.Styles, marked, plain bool) string {
	var b strings.Builder
	for k, i := range l.cols {
		if k > 0 {
			b.WriteByte(' ')
		}
		c := columns[i]
		text := c.cell(o, loc)
		if i == colMark && marked {
			text = markMarked + text
		}
		cell := fit(text, l.w[k], c.right)
		switch {
		case plain:
		case c.badge && strings.HasSuffix(text, markPending):
			cell = s.Warn.Render(cell)
		case c.badge && c.toneOf != nil:
			cell = s.Badge(c.toneOf(o)).Render(cell)
		case c.badge:
			cell = s.Badge(longName(strings.TrimSuffix(text, "*"))).Render(cell)
		case i == colMark && text != "":
			cell = markStyle(s, text).Render(cell)
		}
		b.WriteString(cell)
	}
	return b.String()
}

func markStyle(s *theme.Styles, mark string) interface{ Render(...string) string } {
	switch {
	case strings.Contains(mark, markConflict), strings.Contains(mark, markFailed):
		return s.Error
	case strings.Contains(mark, markPending):
		return s.Warn
	}
	return s.Info
}

// renderHeader renders the header row, marking the sorted column.
func renderHeader(l layout, sortCol int, desc bool, s *theme.Styles) string {
	var b strings.Builder
	for k, i := range l.cols {
		if k > 0 {
			b.WriteByte(' ')
		}
		h := columns[i].header
		if i == sortCol || (sortCol < 0 && i == colCreated) {
			if desc {
				h += "↓"
			} else {
				h += "↑"
			}
		}
		b.WriteString(fit(h, l.w[k], columns[i].right))
	}
	return s.Header.Render(b.String())
}

// tableCache keeps rendered rows for one layout, theme and snapshot (by
// the order's index in it): moving the cursor re-renders two rows,
// scrolling only the rows that came into view.
type tableCache struct {
	layout layout
	key    string // layout, theme and snapshot the rows were rendered for
	rows   map[int]string
}

func (c *tableCache) reset(l layout, key string) {
	c.layout, c.key = l, key
	c.rows = make(map[int]string, 128)
}

func (c *tableCache) row(d *dataset, i int, loc *time.Location, s *theme.Styles) string {
	if r, ok := c.rows[i]; ok {
		return r
	}
	if len(c.rows) > 4096 {
		clear(c.rows)
	}
	r := renderRow(c.layout, d.order(i), loc, s, false, false)
	c.rows[i] = r
	return r
}

// columnAt returns the column under display column x of a row, or -1.
func (l layout) columnAt(x int) int {
	pos := 0
	for k, i := range l.cols {
		if x >= pos && x < pos+l.w[k] {
			return i
		}
		pos += l.w[k] + 1
	}
	return -1
}
