package detail

import (
	"slices"
	"strings"

	"orderdesk/backend"
	"orderdesk/ui"
)

// ref is the order's "SHOP:NUMBER" handle, built from Shop and Number when
// the Ref was not filled in.
func ref(o *backend.Order) string {
	if !o.Ref.IsZero() {
		return o.Ref.String()
	}
	return backend.Ref{Shop: o.Shop, Number: o.Number}.String()
}

// summary writes the Summary section: the order, its state in one line,
// who bought it and how to reach them, when.
func (b *builder) summary(o *backend.Order) {
	b.section(SectionSummary)
	b.text("Ref", ref(o))
	b.state3(o.State)
	b.text("Customer", o.Customer.Name)
	if o.Customer.Email != "" {
		b.text("Email", o.Customer.Email)
	}
	if o.Customer.Phone != "" {
		b.text("Phone", o.Customer.Phone)
	}
	b.text("Created", b.when(o.CreatedAt))
	if o.CancelledAt != nil {
		b.text("Cancelled", b.when(o.CancelledAt))
	}
	if strings.TrimSpace(o.BuyerNote) != "" {
		b.wrapped("Buyer note", o.BuyerNote)
	}
}

// state3 writes the three status axes on one line, each coloured by its
// meaning, with archived when it is: "cancelled · refunded · unfulfilled".
func (b *builder) state3(st backend.State) {
	var parts []string
	for _, v := range []string{string(st.Order), string(st.Payment), string(st.Fulfillment)} {
		v = ui.Clean(v)
		if v == "" {
			parts = append(parts, b.s.Muted.Render("-"))
			continue
		}
		parts = append(parts, b.s.Badge(v).Render(v))
	}
	if st.Archived {
		parts = append(parts, b.s.Warn.Render("archived"))
	}
	b.field("Status", strings.Join(parts, b.s.Muted.Render(" · ")))
}

// record writes the Record section: what identifies the order on its
// platform, the platform's own status fields, and when it was updated,
// paid and synced.
func (b *builder) record(o *backend.Order) {
	b.section(SectionRecord)
	platform := string(o.Platform)
	if o.ID != "" {
		platform += " (id " + o.ID + ")"
	}
	b.text("Platform", platform)
	b.badge("Order", string(o.State.Order))
	b.badge("Payment", string(o.State.Payment))
	b.badge("Fulfilment", string(o.State.Fulfillment))
	b.flags(o.State)
	b.text("Shop status", o.StatusLabel)
	b.rawStatus(o.RawStatus)
	b.text("Updated", b.when(o.UpdatedAt))
	b.text("Paid", b.when(o.PaidAt))
	b.text("Synced", b.when(o.SyncedAt))
}

// badge writes one status axis, coloured by its meaning.
func (b *builder) badge(label, value string) {
	value = ui.Clean(value)
	if value == "" {
		b.field(label, b.s.Muted.Render("-"))
		return
	}
	b.field(label, b.s.Badge(value).Render(value))
}

// flags writes the archived and inferred flags, when either is set.
func (b *builder) flags(st backend.State) {
	var parts []string
	if st.Archived {
		parts = append(parts, b.s.Warn.Render("archived"))
	}
	if st.Inferred {
		parts = append(parts, b.s.Muted.Render("inferred (axes derived from one platform field)"))
	}
	if len(parts) > 0 {
		b.field("Flags", strings.Join(parts, b.s.Muted.Render(" · ")))
	}
}

// rawStatus writes the platform's own status fields verbatim, one per line,
// sorted by name.
func (b *builder) rawStatus(raw map[string]string) {
	keys := make([]string, 0, len(raw))
	for k := range raw {
		keys = append(keys, k)
	}
	slices.Sort(keys)
	for i, k := range keys {
		label := ""
		if i == 0 {
			label = "Raw status"
		}
		b.text(label, k+"="+raw[k])
	}
}

// totals writes the Totals section: every amount right-aligned in one
// column, followed by its currency.
func (b *builder) totals(o *backend.Order) {
	b.section(SectionTotals)
	t := o.Totals
	rows := []struct {
		label, amount, currency string
	}{
		{"Subtotal", t.Subtotal.String(), o.Currency},
		{"Shipping", t.Shipping.String(), o.Currency},
		{"Discount", t.Discount.String(), o.Currency},
		{"Tax", t.Tax.String(), o.Currency},
		{"Fee", t.Fee.String(), o.Currency},
		{"Grand total", t.GrandTotal.String(), o.Currency},
	}
	if o.Base != nil {
		rows = append(rows, struct{ label, amount, currency string }{"Base total", o.Base.GrandTotal.String(), o.Base.Currency})
	}
	w := 0
	for _, r := range rows {
		w = max(w, len(r.amount)) // amounts are ASCII
	}
	for _, r := range rows {
		style := b.s.Text
		if r.label == "Grand total" {
			style = style.Bold(true)
		}
		value := style.Render(padLeft(r.amount, w))
		if cur := ui.Clean(r.currency); cur != "" {
			value += " " + b.s.Muted.Render(cur)
		}
		b.field(r.label, value)
	}
}
