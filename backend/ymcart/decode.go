package ymcart

import (
	"cmp"
	"encoding/json"
	"html"
	"regexp"
	"strings"
	"time"

	"orderdesk/backend"
	"orderdesk/backend/internal/adapt"
)

// decodeOrder normalises one orderList row; raw is kept verbatim.
func (s *Shop) decodeOrder(raw json.RawMessage, synced time.Time) (*backend.Order, error) {
	var w wireOrder
	if err := json.Unmarshal(raw, &w); err != nil {
		return nil, err
	}
	number := strings.TrimSpace(w.Itemno.String())
	if number == "" {
		return nil, badField("itemno", "order without an order number")
	}
	cur := strings.ToUpper(strings.TrimSpace(w.CurrencyCode.String()))
	if cur == "" {
		return nil, badField("currency_code", "order %s has no currency", number)
	}
	state, lbl, err := mapStatus(w.OrderStatus.String(), w.PaymentStatus.String(), w.ShippingStatus.String())
	if err != nil {
		return nil, err
	}
	o := &backend.Order{
		Ref:         backend.Ref{Shop: s.name, Number: number},
		Shop:        s.name,
		Platform:    backend.YMCart,
		ID:          w.ID.String(),
		Number:      number,
		State:       state,
		RawStatus:   rawStatus(w),
		StatusLabel: lbl,
		CreatedAt:   w.CreateTime.Ptr(),
		PaidAt:      w.PayTime.Ptr(),
		UpdatedAt:   updatedAt(w),
		Currency:    cur,
		BuyerNote:   strings.TrimSpace(w.Remark.String()),
		Tags:        tags(w.Marked.String()),
		SyncedAt:    backend.UTC(synced),
		Raw:         append(json.RawMessage(nil), raw...),
	}
	if o.Totals, err = totals(w, cur); err != nil {
		return nil, err
	}
	o.ShippingAddress, o.BillingAddress = addresses(w.Address)
	o.Customer = customer(w.UserName.String(), o.ShippingAddress, o.BillingAddress)
	if o.Items, err = items(w.Item, cur); err != nil {
		return nil, err
	}
	for _, d := range w.Delivery {
		o.Shipments = append(o.Shipments, d.shipment())
	}
	o.Remarks = remarks(w)
	o.Payments = []backend.Payment{payment(w, o)}
	return o, nil
}

// rawStatus keeps the three status fields verbatim (absent ones left out).
func rawStatus(w wireOrder) map[string]string {
	m := map[string]string{"order_status": w.OrderStatus.String()}
	if v := w.PaymentStatus.String(); v != "" {
		m["payment_status"] = v
	}
	if v := w.ShippingStatus.String(); v != "" {
		m["shipping_status"] = v
	}
	return m
}

// updatedAt is act_time; an order never acted upon ("0") was last changed
// when it was paid, or else when it was created.
func updatedAt(w wireOrder) *time.Time {
	for _, t := range []adapt.Unix{w.ActTime, w.PayTime, w.CreateTime} {
		if !t.T.IsZero() {
			return t.Ptr()
		}
	}
	return nil
}

// tags turns the marked flag into a tag: "marked" for 1, "marked:<v>" for
// other non-zero values.
func tags(marked string) []string {
	switch marked = strings.TrimSpace(marked); marked {
	case "", "0":
		return nil
	case "1":
		return []string{"marked"}
	}
	return []string{"marked:" + marked}
}

// totals: fee is the payment fee plus shipping insurance, so that
// subtotal + shipping + fee − discount = total_amount, the grand total.
func totals(w wireOrder, cur string) (backend.Totals, error) {
	var t backend.Totals
	fields := []struct {
		name, text string
		dst        *backend.Amount
	}{
		{"cost_product", w.CostProduct.String(), &t.Subtotal},
		{"cost_shipping", w.CostShipping.String(), &t.Shipping},
		{"cost_offer", w.CostOffer.String(), &t.Discount},
		{"total_amount", w.TotalAmount.String(), &t.GrandTotal},
	}
	for _, f := range fields {
		a, err := amount(f.name, f.text, cur)
		if err != nil {
			return t, err
		}
		*f.dst = a
	}
	if strings.TrimSpace(w.TotalAmount.String()) == "" {
		return t, badField("total_amount", "order has no total_amount")
	}
	pay, err := amount("cost_payment", w.CostPayment.String(), cur)
	if err != nil {
		return t, err
	}
	ins, err := amount("cost_insurance", w.CostInsurance.String(), cur)
	if err != nil {
		return t, err
	}
	t.Fee = pay.Add(ins)
	t.Tax = backend.ZeroAmount(cur)
	return t, nil
}

func amount(field, text, cur string) (backend.Amount, error) {
	a, err := backend.ParseAmount(text, cur)
	if err != nil {
		return a, badField(field, "%v", err)
	}
	return a, nil
}

// addresses picks rows by address_type: 0 shipping, 1 billing. With no
// type-0 row, the first row (the seed's only row is a billing one) is used
// as the shipping address too: it is the only address the shop has.
func addresses(rows []wireAddress) (ship, bill *backend.Address) {
	for i := range rows {
		switch strings.TrimSpace(rows[i].Type.String()) {
		case "0":
			if ship == nil {
				ship = rows[i].address()
			}
		case "1":
			if bill == nil {
				bill = rows[i].address()
			}
		}
	}
	if ship == nil && len(rows) > 0 {
		ship = rows[0].address()
	}
	return ship, bill
}

func (a wireAddress) address() *backend.Address {
	out := &backend.Address{
		Name:        backend.PersonName(a.FirstName.String(), a.LastName.String()),
		Line1:       strings.TrimSpace(a.Address.String()),
		Line2:       strings.TrimSpace(a.AddressMore.String()),
		City:        strings.TrimSpace(a.City.String()),
		Province:    strings.TrimSpace(a.State.String()),
		Zip:         strings.TrimSpace(a.Postcode.String()),
		CountryCode: strings.ToUpper(strings.TrimSpace(a.CountryCode.String())),
		Country:     strings.TrimSpace(a.CountryName.String()),
		Phone:       strings.TrimSpace(a.Mobile.String()),
		Email:       strings.TrimSpace(a.Email.String()),
	}
	// telephone is a catch-all: a phone or WhatsApp number, or a company.
	if tel := strings.TrimSpace(a.Telephone.String()); tel != "" {
		switch {
		case !phoneLike(tel):
			out.Company = tel
		case out.Phone == "":
			out.Phone = tel
		}
	}
	return out
}

var phoneRE = regexp.MustCompile(`^\+?[0-9(][0-9 ()./-]*$`)

// phoneLike: digits with the usual separators and at least five digits.
func phoneLike(s string) bool {
	digits := 0
	for _, r := range s {
		if r >= '0' && r <= '9' {
			digits++
		}
	}
	return digits >= 5 && phoneRE.MatchString(s)
}

// customer: user_name when the buyer has one (it is null for guests),
// else the shipping address name; email and phone from the shipping
// address (mobilephone), then the billing address.
func customer(userName string, ship, bill *backend.Address) backend.Customer {
	c := backend.Customer{Name: strings.TrimSpace(userName)}
	for _, a := range []*backend.Address{ship, bill} {
		if a == nil {
			continue
		}
		c.Name = cmp.Or(c.Name, a.Name)
		c.Email = cmp.Or(c.Email, a.Email)
		c.Phone = cmp.Or(c.Phone, a.Phone)
	}
	return c
}

var brRE = regexp.MustCompile(`(?i)<br\s*/?>`)

// variant turns "Color:As shown<br />Size:S" into "Color:As shown, Size:S".
func variant(v string) string {
	var parts []string
	for _, p := range brRE.Split(v, -1) {
		if p = strings.TrimSpace(html.UnescapeString(p)); p != "" {
			parts = append(parts, p)
		}
	}
	return strings.Join(parts, ", ")
}
