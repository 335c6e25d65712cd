package detail

import (
	"strings"

	"orderdesk/backend"
	"orderdesk/backend/tracking"
	"orderdesk/ui"
)

// sideBySide is the narrowest pane that shows the two addresses side by side.
const sideBySide = 100

// addressLines is an address as an operator writes it on a parcel, one
// cleaned line per non-empty part: name, company, street lines,
// "city, province zip", "country (code)", phone, email. nil gives nil.
func addressLines(a *backend.Address) []string {
	if a == nil {
		return nil
	}
	province := a.Province
	if province == "" {
		province = a.ProvinceCode
	}
	city := join(", ", a.City, join(" ", province, a.Zip))
	country := a.Country
	switch {
	case country == "":
		country = a.CountryCode
	case a.CountryCode != "" && !strings.EqualFold(a.CountryCode, country):
		country += " (" + a.CountryCode + ")"
	}
	var out []string
	for _, l := range []string{a.Name, a.Company, a.Line1, a.Line2, city, country, a.Phone, a.Email} {
		if l = strings.TrimSpace(ui.Clean(l)); l != "" {
			out = append(out, l)
		}
	}
	return out
}

// join joins the non-empty parts with sep.
func join(sep string, parts ...string) string {
	var kept []string
	for _, p := range parts {
		if p = strings.TrimSpace(p); p != "" {
			kept = append(kept, p)
		}
	}
	return strings.Join(kept, sep)
}

// addressBlock is one address's sub-heading and lines, styled.
func (b *builder) addressBlock(title string, a *backend.Address, same bool) []string {
	lines := []string{b.s.Header.Render(title)}
	switch {
	case same:
		lines = append(lines, b.s.Muted.Render("same as shipping address"))
	case a == nil:
		lines = append(lines, b.s.Muted.Render("none"))
	default:
		for _, l := range addressLines(a) {
			lines = append(lines, b.s.Text.Render(l))
		}
	}
	return lines
}

// addresses writes the shipping and billing addresses, side by side when the
// pane is at least sideBySide columns wide, else one below the other. A
// billing address equal to the shipping one says so instead of repeating it.
func (b *builder) addresses(o *backend.Order) {
	b.section(SectionAddresses)
	same := o.ShippingAddress != nil && o.BillingAddress != nil && *o.ShippingAddress == *o.BillingAddress
	ship := b.addressBlock("Shipping address", o.ShippingAddress, false)
	bill := b.addressBlock("Billing address", o.BillingAddress, same)
	if b.width < sideBySide {
		for _, l := range ship {
			b.add(l)
		}
		b.add("")
		for _, l := range bill {
			b.add(l)
		}
		return
	}
	col := (b.width - len(gap)) / 2
	for i := range max(len(ship), len(bill)) {
		left, right := "", ""
		if i < len(ship) {
			left = ship[i]
		}
		if i < len(bill) {
			right = bill[i]
		}
		b.add(strings.TrimRight(pad(left, col)+gap+fit(right, col), " "))
	}
}

// Copy is one thing the operator can copy from an order.
type Copy struct {
	Label, Text string
}

// Copyable returns what the operator can copy from o, in this order, leaving
// out what is empty: the order number, each shipment's tracking number and
// tracking URL, the shipping address as one multi-line block (the lines the
// pane shows), the email and the phone (the customer's, else the shipping
// address's). Texts are cleaned of control characters. nil gives nil.
func Copyable(o *backend.Order) []Copy {
	if o == nil {
		return nil
	}
	var out []Copy
	add := func(label, text string) {
		if text = strings.TrimSpace(ui.Clean(text)); text != "" {
			out = append(out, Copy{Label: label, Text: text})
		}
	}
	add("Order number", o.Number)
	for _, sh := range o.Shipments {
		suffix := ""
		if c := strings.TrimSpace(ui.Clean(sh.Carrier)); c != "" {
			suffix = " (" + c + ")"
		}
		add("Tracking number"+suffix, sh.TrackingNumber)
		link, _ := trackingLink(sh)
		add("Tracking URL"+suffix, link)
	}
	if lines := addressLines(o.ShippingAddress); len(lines) > 0 {
		out = append(out, Copy{Label: "Shipping address", Text: strings.Join(lines, "\n")})
	}
	email, phone := o.Customer.Email, o.Customer.Phone
	if a := o.ShippingAddress; a != nil {
		email = cmpOr(email, a.Email)
		phone = cmpOr(phone, a.Phone)
	}
	add("Email", email)
	add("Phone", phone)
	return out
}

// cmpOr is the first non-blank of a and b.
func cmpOr(a, b string) string {
	if strings.TrimSpace(a) != "" {
		return a
	}
	return b
}

// trackingLink is the shipment's tracking URL, cleaned: the stored one, or,
// when the shop stored none, the carrier's page for the number (guessed is
// then true). No number and no URL gives "".
func trackingLink(sh backend.Shipment) (url string, guessed bool) {
	if u := strings.TrimSpace(ui.Clean(sh.TrackingURL)); u != "" {
		return u, false
	}
	u := tracking.URL(ui.Clean(sh.Carrier), ui.Clean(sh.TrackingNumber))
	return u, u != ""
}
