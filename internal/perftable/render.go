package main

import (
	_ "embed"
	"fmt"
	"io"
	"math"
	"slices"
	"strconv"
	"strings"
)

// budget is a limit one metric of one benchmark must keep.
type budget struct {
	thing, unit string
	atLeast     bool // the figure must be ≥ limit (else ≤)
	limit       float64
	note        string // said after the limit
}

// budgets are the performance budgets, one row each.
var budgets = []budget{
	{thing: "Show", unit: "ms", limit: 100},
	{thing: "Complete", unit: "ms", limit: 50},
	{thing: "ListJSON", unit: "MB-rss", limit: 150, note: "flat in N"},
	{thing: "ListCSV", unit: "MB-rss", limit: 150, note: "flat in N"},
	{thing: "ListFilter", unit: "MB-rss", limit: 150, note: "flat in N"},
	{thing: "Ingest", unit: "orders/s", atLeast: true, limit: 5000},
	{thing: "FirstFrame", unit: "ms", limit: 300},
	{thing: "FilterFree", unit: "ms", limit: 20},
	{thing: "FilterField", unit: "ms", limit: 10},
	{thing: "CursorMove", unit: "ms", limit: 1},
	{thing: "Heap", unit: "MB-heap", limit: 1024},
}

// labels name the benchmarks in the operator's words.
var labels = map[string]string{
	"Show":            "`show REF`, whole process",
	"Complete":        "`show SHOP<TAB>`: `__complete`, whole process",
	"ListJSON":        "`list --format json`, every order",
	"ListCSV":         "`list --format csv`, every order",
	"ListFilter":      "`list --format json --filter 'pay:paid ship:unfulfilled total>50'`",
	"DBBytesPerOrder": "database file (built from the shops' orders, no raw JSON)",
	"Ingest":          "sync: every order of four shops over HTTP into a new database",
	"FirstFrame":      "desk: first frame",
	"FilterFree":      "desk: filter, free text",
	"FilterField":     "desk: filter, field term",
	"CursorMove":      "desk: cursor move + View",
	"Heap":            "desk: heap with every order loaded",
}

// untimed benchmarks stop their timer around what they measure and report
// it as metrics of their own: their ns/op means nothing.
var untimed = map[string]bool{"Ingest": true, "DBBytesPerOrder": true, "Heap": true}

//go:embed notes.md
var notes string

// row is one line of the table: one metric of one benchmark.
type row struct {
	thing, unit string
	bubbles     bool
	cells       map[int]float64
}

// rowsOf turns results into table rows, in the order the benchmarks ran;
// each Bubbles<Thing> row follows our <Thing> row with the same unit.
func rowsOf(res []*result) []*row {
	var rows []*row
	index := map[string]*row{}
	for _, r := range res {
		thing, bubbles := strings.CutPrefix(r.thing, "Bubbles")
		for _, unit := range unitsOf(r) {
			v := r.metrics[unit]
			if unit == "ns/op" {
				unit, v = "ms", v/1e6
			}
			key := fmt.Sprint(thing, "\x00", unit, "\x00", bubbles)
			w := index[key]
			if w == nil {
				w = &row{thing: thing, unit: unit, bubbles: bubbles, cells: map[int]float64{}}
				index[key] = w
				rows = append(rows, w)
			}
			w.cells[r.n] = v
		}
	}
	// Ours first, each bubbles row right after ours; the rest keep their order.
	pos := map[*row]int{}
	for i, w := range rows {
		pos[w] = i
		if w.bubbles {
			if ours := index[fmt.Sprint(w.thing, "\x00", w.unit, "\x00", false)]; ours != nil {
				pos[w] = -1 // placed below
			}
		}
	}
	var out []*row
	for _, w := range rows {
		if pos[w] < 0 {
			continue
		}
		out = append(out, w)
		if !w.bubbles {
			if b := index[fmt.Sprint(w.thing, "\x00", w.unit, "\x00", true)]; b != nil {
				out = append(out, b)
			}
		}
	}
	return out
}

// unitsOf lists the metrics of a result worth a row: its own metrics, and
// the time per operation unless it reports a time of its own or is untimed.
func unitsOf(r *result) []string {
	var out []string
	_, hasMS := r.metrics["ms"]
	for _, u := range r.order {
		switch u {
		case "B/op", "allocs/op", "MB/s":
			continue
		case "ns/op":
			thing := strings.TrimPrefix(r.thing, "Bubbles")
			if hasMS || untimed[thing] {
				continue
			}
		}
		out = append(out, u)
	}
	slices.SortStableFunc(out, func(a, b string) int { return unitRank(a) - unitRank(b) })
	return out
}

// unitOrder puts the figures with budgets first; other units follow in
// the order the benchmark reported them.
var unitOrder = []string{"ms", "ns/op", "orders/s", "MB-rss", "MB-heap", "B/order"}

func unitRank(u string) int {
	if i := slices.Index(unitOrder, u); i >= 0 {
		return i
	}
	return len(unitOrder)
}

func budgetOf(thing, unit string) (budget, bool) {
	i := slices.IndexFunc(budgets, func(b budget) bool { return b.thing == thing && b.unit == unit })
	if i < 0 {
		return budget{}, false
	}
	return budgets[i], true
}

func (b budget) String() string {
	op := "≤"
	if b.atLeast {
		op = "≥"
	}
	s := op + " " + num(b.limit)
	if b.note != "" {
		s += ", " + b.note
	}
	return s
}

func (b budget) met(v float64) bool {
	if b.atLeast {
		return v >= b.limit
	}
	return v <= b.limit
}

func render(w io.Writer, res []*result, env environment) {
	var sizes []int
	for _, r := range res {
		if !slices.Contains(sizes, r.n) {
			sizes = append(sizes, r.n)
		}
	}
	slices.Sort(sizes)
	fmt.Fprintln(w, "# Performance at scale")
	fmt.Fprintln(w)
	fmt.Fprintln(w, "Generated by `make bench-scale` from the scale benchmarks (`go test -bench '^BenchmarkScale'`);")
	fmt.Fprintln(w, "edit `internal/perftable/notes.md`, not this file, to change the text below the table.")
	if env.cpu != "" || env.goos != "" {
		fmt.Fprintf(w, "Measured on %s/%s, %s.\n", env.goos, env.goarch, env.cpu)
	}
	fmt.Fprintln(w)
	fmt.Fprintln(w, "A ✓ or ✗ follows each figure that has a budget. A desk figure measured the same way on the")
	fmt.Fprintln(w, "bubbles list component (charm.land/bubbles/v2 list) is on the line below ours, marked ↳.")
	fmt.Fprintln(w)
	head := []string{"Benchmark", "Unit", "Budget"}
	for _, n := range sizes {
		head = append(head, "n="+thousands(float64(n)))
	}
	fmt.Fprintln(w, "| "+strings.Join(head, " | ")+" |")
	fmt.Fprintln(w, "|"+strings.Repeat(" --- |", 3)+strings.Repeat(" ---: |", len(sizes)))
	for _, r := range rowsOf(res) {
		label := labels[r.thing]
		if label == "" {
			label = r.thing
		}
		b, hasBudget := budgetOf(r.thing, r.unit)
		budgetText := ""
		if hasBudget && !r.bubbles {
			budgetText = b.String()
		}
		if r.bubbles {
			label = "↳ bubbles list: " + strings.TrimPrefix(label, "desk: ")
		}
		cells := []string{label, r.unit, budgetText}
		for _, n := range sizes {
			v, ok := r.cells[n]
			switch {
			case !ok:
				cells = append(cells, "—")
			case hasBudget && !r.bubbles && b.met(v):
				cells = append(cells, num(v)+" ✓")
			case hasBudget && !r.bubbles:
				cells = append(cells, num(v)+" ✗")
			default:
				cells = append(cells, num(v))
			}
		}
		fmt.Fprintln(w, "| "+strings.Join(cells, " | ")+" |")
	}
	fmt.Fprintln(w)
	io.WriteString(w, notes)
}

// num writes a figure with about three significant digits.
func num(v float64) string {
	a := math.Abs(v)
	switch {
	case a >= 1000:
		return thousands(v)
	case a >= 100:
		return strconv.FormatFloat(v, 'f', 0, 64)
	case a >= 10:
		return strconv.FormatFloat(v, 'f', 1, 64)
	case a >= 1:
		return strconv.FormatFloat(v, 'f', 2, 64)
	case a == 0:
		return "0"
	}
	return strconv.FormatFloat(v, 'g', 3, 64)
}

// thousands writes v rounded to a whole number with thousands separators.
func thousands(v float64) string {
	s := strconv.FormatInt(int64(math.Round(math.Abs(v))), 10)
	var b strings.Builder
	if v < 0 {
		b.WriteByte('-')
	}
	for i, c := range s {
		if i > 0 && (len(s)-i)%3 == 0 {
			b.WriteByte(',')
		}
		b.WriteRune(c)
	}
	return b.String()
}
