package ui

import (
	"encoding/csv"
	"fmt"
	"io"
	"strings"
	"time"

	"orderdesk/backend"
)

// csvColumns are the columns of `list --format csv`: money and times as in
// the JSON output (decimal strings, RFC 3339 UTC).
var csvColumns = []struct {
	name string
	cell func(o *backend.Order) string
}{
	{"ref", func(o *backend.Order) string { return o.Ref.String() }},
	{"shop", func(o *backend.Order) string { return o.Shop }},
	{"platform", func(o *backend.Order) string { return string(o.Platform) }},
	{"number", func(o *backend.Order) string { return o.Number }},
	{"created_at", func(o *backend.Order) string { return rfc3339(o.CreatedAt) }},
	{"updated_at", func(o *backend.Order) string { return rfc3339(o.UpdatedAt) }},
	{"order", func(o *backend.Order) string { return string(o.State.Order) }},
	{"payment", func(o *backend.Order) string { return string(o.State.Payment) }},
	{"fulfillment", func(o *backend.Order) string { return string(o.State.Fulfillment) }},
	{"status_label", func(o *backend.Order) string { return o.StatusLabel }},
	{"customer", func(o *backend.Order) string { return o.Customer.Name }},
	{"email", func(o *backend.Order) string { return o.Customer.Email }},
	{"phone", func(o *backend.Order) string { return o.Customer.Phone }},
	{"country_code", func(o *backend.Order) string { return addr(o).CountryCode }},
	{"city", func(o *backend.Order) string { return addr(o).City }},
	{"items", func(o *backend.Order) string { return fmt.Sprint(ItemCount(o)) }},
	{"currency", func(o *backend.Order) string { return o.Currency }},
	{"grand_total", func(o *backend.Order) string { return o.Totals.GrandTotal.String() }},
	{"carrier", func(o *backend.Order) string {
		return joinShipments(o, func(s backend.Shipment) string { return s.Carrier })
	}},
	{"tracking_number", func(o *backend.Order) string {
		return joinShipments(o, func(s backend.Shipment) string { return s.TrackingNumber })
	}},
	{"tags", func(o *backend.Order) string { return strings.Join(o.Tags, "; ") }},
	{"pending", func(o *backend.Order) string {
		var p []string
		for _, e := range o.Pending {
			p = append(p, e.ID+" "+e.State)
		}
		return strings.Join(p, "; ")
	}},
}

// CSVWriter writes orders as CSV, one row per order under a header row:
// what `orderdesk list --format csv` prints and the desk's export writes.
type CSVWriter struct {
	w   *csv.Writer
	rec []string
	err error
}

// NewCSVWriter writes the header at once.
func NewCSVWriter(w io.Writer) *CSVWriter {
	c := &CSVWriter{w: csv.NewWriter(w), rec: make([]string, len(csvColumns))}
	for i, col := range csvColumns {
		c.rec[i] = col.name
	}
	c.err = c.w.Write(c.rec)
	return c
}

// Write writes one order (a slim order from a scan is enough).
func (c *CSVWriter) Write(o *backend.Order) error {
	if c.err != nil {
		return c.err
	}
	for i, col := range csvColumns {
		c.rec[i] = col.cell(o)
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

func rfc3339(t *time.Time) string {
	if t == nil {
		return ""
	}
	return t.UTC().Format(time.RFC3339)
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
