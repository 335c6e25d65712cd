package ui

import (
	"encoding/csv"
	"fmt"
	"io"
	"strings"
	"time"

	"orderdesk/backend"
)

// csvColumns are the columns of `list --format csv` and the desk's export:
// money as in the JSON output (decimal strings), times as RFC 3339 with
// their offset in the writer's zone.
var csvColumns = []struct {
	name string
	cell func(o *backend.Order, loc *time.Location) string
}{
	{"ref", func(o *backend.Order, _ *time.Location) string { return o.Ref.String() }},
	{"shop", func(o *backend.Order, _ *time.Location) string { return o.Shop }},
	{"platform", func(o *backend.Order, _ *time.Location) string { return string(o.Platform) }},
	{"number", func(o *backend.Order, _ *time.Location) string { return o.Number }},
	{"created_at", func(o *backend.Order, loc *time.Location) string { return rfc3339(o.CreatedAt, loc) }},
	{"updated_at", func(o *backend.Order, loc *time.Location) string { return rfc3339(o.UpdatedAt, loc) }},
	{"order", func(o *backend.Order, _ *time.Location) string { return string(o.State.Order) }},
	{"payment", func(o *backend.Order, _ *time.Location) string { return string(o.State.Payment) }},
	{"fulfillment", func(o *backend.Order, _ *time.Location) string { return string(o.State.Fulfillment) }},
	{"status_label", func(o *backend.Order, _ *time.Location) string { return o.StatusLabel }},
	{"customer", func(o *backend.Order, _ *time.Location) string { return o.Customer.Name }},
	{"email", func(o *backend.Order, _ *time.Location) string { return o.Customer.Email }},
	{"phone", func(o *backend.Order, _ *time.Location) string { return o.Customer.Phone }},
	{"country_code", func(o *backend.Order, _ *time.Location) string { return addr(o).CountryCode }},
	{"city", func(o *backend.Order, _ *time.Location) string { return addr(o).City }},
	{"items", func(o *backend.Order, _ *time.Location) string { return fmt.Sprint(ItemCount(o)) }},
	{"currency", func(o *backend.Order, _ *time.Location) string { return o.Currency }},
	{"grand_total", func(o *backend.Order, _ *time.Location) string { return o.Totals.GrandTotal.String() }},
	{"carrier", func(o *backend.Order, _ *time.Location) string {
		return joinShipments(o, func(s backend.Shipment) string { return s.Carrier })
	}},
	{"tracking_number", func(o *backend.Order, _ *time.Location) string {
		return joinShipments(o, func(s backend.Shipment) string { return s.TrackingNumber })
	}},
	{"tags", func(o *backend.Order, _ *time.Location) string { return strings.Join(o.Tags, "; ") }},
	{"pending", func(o *backend.Order, _ *time.Location) string {
		var p []string
		for _, e := range o.Pending {
			p = append(p, e.ID+" "+e.State)
		}
		return strings.Join(p, "; ")
	}},
}

// CSVColumns are the header of the CSV output, in order.
func CSVColumns() []string {
	out := make([]string, len(csvColumns))
	for i, c := range csvColumns {
		out[i] = c.name
	}
	return out
}

// CSVOptions shape a CSV file for where it is going. The zero value is
// plain UTF-8 with times in UTC.
type CSVOptions struct {
	// BOM starts the file with a UTF-8 byte order mark (EF BB BF). Excel
	// reads a CSV file without one in the system's legacy code page, so on
	// a Chinese Windows 李娜 comes out garbled; with one it reads UTF-8.
	// Most other tools skip the mark, some show it in the first header.
	BOM bool
	// Loc is the zone times are written in, with their offset
	// (2026-11-30T18:04:05+08:00): the operator's display zone, so the
	// file shows the times the desk shows. nil means UTC (…Z).
	Loc *time.Location
}

// CSVWriter writes orders as CSV, one row per order under a header row:
// what `orderdesk list --format csv` prints and the desk's export writes.
type CSVWriter struct {
	w   *csv.Writer
	loc *time.Location
	rec []string
	err error
}

// NewCSVWriter writes the byte order mark (if asked) and the header at
// once; an error writing them is returned by Write and Flush.
func NewCSVWriter(w io.Writer, opt CSVOptions) *CSVWriter {
	c := &CSVWriter{w: csv.NewWriter(w), loc: opt.Loc, rec: make([]string, len(csvColumns))}
	if c.loc == nil {
		c.loc = time.UTC
	}
	if opt.BOM {
		if _, c.err = io.WriteString(w, utf8BOM); c.err != nil {
			return c
		}
	}
	for i, col := range csvColumns {
		c.rec[i] = col.name
	}
	c.err = c.w.Write(c.rec)
	return c
}

// utf8BOM is U+FEFF encoded in UTF-8.
const utf8BOM = "\xEF\xBB\xBF"

// Write writes one order (a slim order from a scan is enough).
func (c *CSVWriter) Write(o *backend.Order) error {
	if c.err != nil {
		return c.err
	}
	for i, col := range csvColumns {
		c.rec[i] = col.cell(o, c.loc)
	}
	c.err = c.w.Write(c.rec)
	return c.err
}

// Flush writes what is buffered and reports the first error.
func (c *CSVWriter) Flush() error {
	c.w.Flush()
	if c.err != nil {
		return c.err
	}
	return c.w.Error()
}

func rfc3339(t *time.Time, loc *time.Location) string {
	if t == nil {
		return ""
	}
	return t.In(loc).Format(time.RFC3339)
}

func addr(o *backend.Order) backend.Address {
	if o.ShippingAddress == nil {
		return backend.Address{}
	}
	return *o.ShippingAddress
}

func joinShipments(o *backend.Order, f func(backend.Shipment) string) string {
	var out []string
	for _, s := range o.Shipments {
		out = append(out, f(s))
	}
	return strings.Join(out, "; ")
}
