package cli

import (
	"encoding/json"
	"fmt"
	"io"
	"slices"
	"strings"

	"orderdesk/backend"
	"orderdesk/ui"
)

// Show prints one cached order: as text for people or as JSON (SPEC §2).
func (e *Env) Show(refText, format string) int {
	if err := checkFormat(format, "text", "json"); err != nil {
		return e.Fail(err)
	}
	ref, err := e.Resolve(refText)
	if err != nil {
		return e.Fail(err)
	}
	o, err := e.Desk.Reader().Order(ref)
	if err != nil {
		return e.Fail(err)
	}
	if format == "json" {
		b, err := json.MarshalIndent(o, "", "  ")
		if err != nil {
			return e.Fail(err)
		}
		fmt.Fprintf(e.Stdout, "%s\n", b)
		return ExitOK
	}
	history, err := e.Desk.History(ref)
	if err != nil {
		return e.Fail(err)
	}
	writeOrder(e.Stdout, o, history, e)
	return ExitOK
}

// writeOrder renders the text form of show: one labelled section per part
// of the order, times in the operator's zone.
func writeOrder(w io.Writer, o *backend.Order, history []backend.Edit, e *Env) {
	loc := e.loc()
	line := func(label, format string, args ...any) {
		fmt.Fprintf(w, "%-12s %s\n", label, ui.Clean(fmt.Sprintf(format, args...)))
	}
	fmt.Fprintf(w, "%s  (%s, id %s)\n", o.Ref, o.Platform, o.ID)
	line("Status", "%s · %s · %s%s  [%s]  raw %s", o.State.Order, o.State.Payment, o.State.Fulfillment,
		flag(o.State.Archived, " · archived"), o.StatusLabel, rawStatus(o.RawStatus))
	line("Created", "%s   updated %s   paid %s   cancelled %s", ui.LocalTime(o.CreatedAt, loc),
		ui.LocalTime(o.UpdatedAt, loc), ui.LocalTime(o.PaidAt, loc), ui.LocalTime(o.CancelledAt, loc))
	line("Customer", "%s  %s  %s", o.Customer.Name, o.Customer.Email, o.Customer.Phone)
	t := o.Totals
	line("Total", "%s %s  (subtotal %s, shipping %s, discount %s, tax %s, fee %s)", t.GrandTotal, o.Currency,
		t.Subtotal, t.Shipping, t.Discount, t.Tax, t.Fee)
	if o.Base != nil {
		line("Base", "%s %s", o.Base.GrandTotal, o.Base.Currency)
	}
	line("Ship to", "%s", address(o.ShippingAddress))
	line("Bill to", "%s", address(o.BillingAddress))
	for i, it := range o.Items {
		line(label(i, "Items"), "%d × %s  %s %s  @ %s = %s", it.Qty, it.SKU, it.Title, it.Variant, it.UnitPrice, it.RowTotal)
	}
	for i, p := range o.Payments {
		line(label(i, "Payments"), "%s %s %s %s  %s  %s", p.Method, p.Amount, p.Currency, p.Status, p.TransactionID, ui.LocalTime(p.PaidAt, loc))
	}
	for i, s := range o.Shipments {
		line(label(i, "Shipments"), "%s %s  %s  %s  %s", s.Carrier, s.TrackingNumber, s.Status, ui.LocalTime(s.ShippedAt, loc), s.TrackingURL)
	}
	for i, r := range o.Remarks {
		line(label(i, "Remarks"), "%s  (%s, %s, %s)", r.Text, r.Visibility, r.Author, ui.LocalTime(r.At, loc))
	}
	if o.BuyerNote != "" {
		line("Buyer note", "%s", o.BuyerNote)
	}
	if len(o.Tags) > 0 {
		line("Tags", "%s", strings.Join(o.Tags, ", "))
	}
	for i, h := range history {
		msg := ""
		if h.Error != "" {
			msg = "  — " + h.Error
		}
		line(label(i, "Edits"), "%s %-8s %s  by %s %s%s", h.ID, h.State, h.Summary, h.Operator, ui.LocalTime(&h.UpdatedAt, loc), msg)
	}
	line("Synced", "%s", ui.LocalTime(o.SyncedAt, loc))
}

func label(i int, name string) string {
	if i == 0 {
		return name
	}
	return ""
}

func flag(b bool, s string) string {
	if b {
		return s
	}
	return ""
}

func rawStatus(m map[string]string) string {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	slices.Sort(keys)
	parts := make([]string, len(keys))
	for i, k := range keys {
		parts[i] = k + "=" + m[k]
	}
	return strings.Join(parts, " ")
}

func address(a *backend.Address) string {
	if a == nil {
		return "-"
	}
	var parts []string
	for _, p := range []string{a.Name, a.Company, a.Line1, a.Line2, a.City, a.Province, a.Zip, a.Country, a.CountryCode, a.Phone, a.Email} {
		if strings.TrimSpace(p) != "" {
			parts = append(parts, p)
		}
	}
	return strings.Join(parts, ", ")
}
