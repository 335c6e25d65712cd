// Package detail renders everything about one order for the desk's detail
// pane: summary, totals, items, addresses, payments, shipments, remarks,
// tags, edits and the platform's raw JSON.
//
// It is a pure renderer: no I/O, no clock reads, no package-level mutable
// state. The root model keeps the returned lines, shows a window of them
// and caches them per (order version, width, theme).
package detail

import (
	"strconv"
	"strings"
	"time"

	"github.com/charmbracelet/x/ansi"

	"orderdesk/backend"
	"orderdesk/ui"
	"orderdesk/ui/theme"
)

// Data is what the pane shows.
type Data struct {
	Order   *backend.Order // the full cached order (with Raw, Pending, Payments, Remarks, BillingAddress)
	History []backend.Edit // every edit of this order, oldest first (done ones included)
	Loc     *time.Location // the operator's zone for every time shown; nil shows UTC
	Now     time.Time      // for ages like "3h ago"; the zero time shows no ages
	// EditsKey, when set, is the key that retries or discards a stuck
	// edit; the pending edits say so.
	EditsKey string
}

// Anchor is the line index of a section heading.
type Anchor struct {
	Name string
	Line int
}

// Section names, in the order they appear: what the operator works from
// first (who, what, where to, how much, what was sent, what is waiting),
// then the record (payments, tags, history, the platform's ids, raw status
// and sync times, the raw JSON). A section with nothing to show is left
// out (and has no anchor), except those that say "none".
const (
	SectionSummary   = "Summary"
	SectionItems     = "Items"
	SectionAddresses = "Addresses"
	SectionTotals    = "Totals"
	SectionShipments = "Shipments"
	SectionPending   = "Pending edits"
	SectionRemarks   = "Remarks"
	SectionPayments  = "Payments"
	SectionTags      = "Tags"
	SectionHistory   = "History"
	SectionRecord    = "Record"
	SectionRaw       = "Raw JSON"
)

// Pane is the rendered pane: its lines and the line of each section heading.
type Pane struct {
	Lines   []string
	Anchors []Anchor
}

// Layout renders the pane once and returns both its lines and its anchors;
// the root should prefer it to calling Render and Anchors separately. Every
// line is at most width display columns (width < 1 gives no lines). A nil
// Order gives one line saying so.
func Layout(d Data, s theme.Styles, width int) Pane {
	if width < 1 {
		return Pane{}
	}
	b := &builder{s: s, width: width, loc: d.Loc, now: d.Now}
	if b.loc == nil {
		b.loc = time.UTC
	}
	o := d.Order
	if o == nil {
		b.add(s.Muted.Render("No order selected."))
		return Pane{Lines: b.lines}
	}
	b.summary(o)
	b.items(o)
	b.addresses(o)
	b.totals(o)
	b.shipments(o)
	b.pending(o, d.EditsKey)
	b.remarks(o)
	b.payments(o)
	b.tags(o)
	b.history(d.History)
	b.record(o)
	b.raw(o)
	return Pane{Lines: b.lines, Anchors: b.anchors}
}

// Render returns the pane's lines, each at most width display columns,
// styled with s.
func Render(d Data, s theme.Styles, width int) []string {
	return Layout(d, s, width).Lines
}

// Anchors returns, for the same Data and width, the line index of each
// section heading, in order. Styles never change the layout, so the anchors
// match Render's lines whatever the theme.
func Anchors(d Data, width int) []Anchor {
	return Layout(d, theme.New(true), width).Anchors
}

// builder accumulates the pane's lines; add cuts every line to the width.
type builder struct {
	s       theme.Styles
	width   int
	loc     *time.Location
	now     time.Time
	lines   []string
	anchors []Anchor
}

// labelWidth is the column where values start on "Label  value" lines.
const labelWidth = 13

// add appends one line, cut with "…" when it is wider than the pane.
func (b *builder) add(line string) {
	b.lines = append(b.lines, fit(line, b.width))
}

// section starts a section: a blank line (except first), then the heading
// (the title followed by a rule to the width), recorded as an anchor.
func (b *builder) section(name string) {
	if len(b.lines) > 0 {
		b.add("")
	}
	b.anchors = append(b.anchors, Anchor{Name: name, Line: len(b.lines)})
	line := b.s.Title.Render(name)
	if rule := b.width - ansi.StringWidth(name) - 1; rule > 0 {
		line += " " + b.s.Border.Render(strings.Repeat("─", rule))
	}
	b.add(line)
}

// none writes a muted "none"-style line under a heading.
func (b *builder) none(text string) { b.add(b.s.Muted.Render(text)) }

// field writes "Label        value" with the value (already styled) after
// the label column.
func (b *builder) field(label, styledValue string) {
	b.add(b.s.Muted.Render(pad(label, labelWidth)) + styledValue)
}

// text writes a plain field value, cleaned of control characters, in the
// Text style; an empty value shows "-".
func (b *builder) text(label, value string) {
	value = ui.Clean(value)
	if value == "" {
		value = "-"
	}
	b.field(label, b.s.Text.Render(value))
}

// wrapped writes a field whose value may be long: it is wrapped to the
// width after the label column, continuation lines indented under it.
func (b *builder) wrapped(label, value string) {
	for i, l := range wrap(value, b.width-labelWidth) {
		if i == 0 {
			b.field(label, b.s.Text.Render(l))
			continue
		}
		b.add(strings.Repeat(" ", labelWidth) + b.s.Text.Render(l))
	}
}

// when shows a time in the operator's zone, with its age when Now is set.
func (b *builder) when(t *time.Time) string {
	s := ui.LocalTime(t, b.loc)
	if t != nil && !b.now.IsZero() {
		s += " (" + age(*t, b.now) + ")"
	}
	return s
}

// fit cuts s (which may hold ANSI styles) to width display columns with "…".
func fit(s string, width int) string {
	if ansi.StringWidth(s) <= width {
		return s
	}
	return ansi.Truncate(s, width, "…")
}

// pad cuts plain text to w columns and pads it with spaces to exactly w.
func pad(s string, w int) string {
	s = fit(s, w)
	return s + strings.Repeat(" ", max(0, w-ansi.StringWidth(s)))
}

// padLeft is pad for right-aligned cells.
func padLeft(s string, w int) string {
	s = fit(s, w)
	return strings.Repeat(" ", max(0, w-ansi.StringWidth(s))) + s
}

// wrap cleans text of control characters and wraps it to limit columns,
// keeping the text's own line breaks. It always returns at least one line.
func wrap(text string, limit int) []string {
	limit = max(limit, 1)
	text = strings.ReplaceAll(strings.ReplaceAll(text, "\r\n", "\n"), "\r", "\n")
	var out []string
	for _, para := range strings.Split(text, "\n") {
		para = strings.TrimRight(ui.Clean(para), " ")
		if para == "" {
			out = append(out, "")
			continue
		}
		out = append(out, strings.Split(ansi.Wrap(para, limit, ""), "\n")...)
	}
	return out
}

// age says how long before now t was: "just now", "5m ago", "3h ago",
// "2d ago" ("in 5m" for a time ahead of now, e.g. a shop's skewed clock).
func age(t, now time.Time) string {
	d := now.Sub(t)
	ahead := d < 0
	if ahead {
		d = -d
	}
	var s string
	switch {
	case d < time.Minute:
		return "just now"
	case d < time.Hour:
		s = strconv.FormatInt(int64(d/time.Minute), 10) + "m"
	case d < 48*time.Hour:
		s = strconv.FormatInt(int64(d/time.Hour), 10) + "h"
	default:
		s = strconv.FormatInt(int64(d/(24*time.Hour)), 10) + "d"
	}
	if ahead {
		return "in " + s
	}
	return s + " ago"
}
