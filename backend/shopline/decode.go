package shopline

import (
	"bytes"
	"encoding/json"
	"fmt"
	"strings"
	"time"

	"orderdesk/backend"
	"orderdesk/backend/internal/adapt"
)

// decodeList reads a list answer {"orders":[...]}. A missing or null
// "orders" is an error, not an empty page; one unreadable order fails the
// whole page.
func decodeList(body []byte, shop string, loc *time.Location, now time.Time) ([]*backend.Order, error) {
	var env struct {
		Orders json.RawMessage `json:"orders"`
	}
	if err := json.Unmarshal(body, &env); err != nil {
		return nil, err
	}
	if isNull(env.Orders) {
		return nil, &adapt.FieldError{Field: "orders", Err: adapt.ErrMissing}
	}
	// env.Orders was validated by the Unmarshal above.
	raws, ok := adapt.SplitArray(env.Orders)
	if !ok {
		if err := json.Unmarshal(env.Orders, &raws); err != nil {
			return nil, &adapt.FieldError{Field: "orders", Err: err}
		}
	}
	out := make([]*backend.Order, 0, len(raws))
	for i, raw := range raws {
		o, err := decodeOrder(raw, shop, loc, now)
		if err != nil {
			return nil, adapt.At(fmt.Sprintf("orders[%d]", i), err)
		}
		out = append(out, o)
	}
	return out, nil
}

// decodeOne reads a write answer {"order":{...}}, failing on user_errors.
func decodeOne(body []byte, shop string, loc *time.Location, now time.Time) (*backend.Order, []wireUserError, error) {
	var env struct {
		Order      json.RawMessage           `json:"order"`
		UserErrors adapt.List[wireUserError] `json:"user_errors"`
	}
	if err := json.Unmarshal(body, &env); err != nil {
		return nil, nil, err
	}
	if len(env.UserErrors) > 0 {
		return nil, env.UserErrors, nil
	}
	if isNull(env.Order) {
		return nil, nil, &adapt.FieldError{Field: "order", Err: adapt.ErrMissing}
	}
	o, err := decodeOrder(env.Order, shop, loc, now)
	if err != nil {
		return nil, nil, adapt.At("order", err)
	}
	return o, nil, nil
}

func isNull(raw json.RawMessage) bool {
	t := bytes.TrimSpace(raw)
	return len(t) == 0 || string(t) == "null"
}

// decodeOrder maps one wire order. raw is kept verbatim in Order.Raw.
func decodeOrder(raw json.RawMessage, shop string, loc *time.Location, now time.Time) (*backend.Order, error) {
	var w wireOrder
	if err := json.Unmarshal(raw, &w); err != nil {
		return nil, err
	}
	d := &decoder{loc: loc}
	o := d.order(&w)
	if d.err != nil {
		return nil, d.err
	}
	o.Shop = shop
	o.Ref = backend.Ref{Shop: shop, Number: o.Number}
	o.SyncedAt = backend.UTC(now)
	o.Raw = append(json.RawMessage(nil), raw...)
	return o, nil
}

// decoder maps wire values and keeps the first one it cannot read.
type decoder struct {
	loc *time.Location
	err error
}

func (d *decoder) fail(field string, err error) {
	if d.err == nil {
		d.err = &adapt.FieldError{Field: field, Err: err}
	}
}

func (d *decoder) time(field string, v adapt.Flex) *time.Time {
	t, err := adapt.ParseISO(string(v), d.loc)
	if err != nil {
		d.fail(field, err)
	}
	return t
}

// money normalises an amount to the currency's minor units.
func (d *decoder) money(field string, a backend.Amount, cur string) backend.Amount {
	v, err := backend.ParseAmount(a.String(), cur)
	if err != nil {
		d.fail(field, err)
	}
	return v
}

// double reads a JSON double from its literal text, exactly.
func (d *decoder) double(field string, v adapt.Flex, cur string) backend.Amount {
	text, err := exactDecimal(string(v))
	if err == nil {
		var a backend.Amount
		if a, err = backend.ParseAmount(text, cur); err == nil {
			return a
		}
	}
	d.fail(field, err)
	return backend.Amount{}
}

func (d *decoder) order(w *wireOrder) *backend.Order {
	o := &backend.Order{Platform: backend.Shopline, ID: string(w.ID), Number: string(w.Name)}
	if o.ID == "" {
		d.fail("id", adapt.ErrMissing)
	}
	if o.Number == "" {
		o.Number = o.ID // an order without a name is shown by its id
	}
	cur := strings.ToUpper(string(w.Currency))
	if cur == "" {
		cur = strings.ToUpper(string(w.PresentmentCurrency))
	}
	if cur == "" {
		d.fail("currency", fmt.Errorf("missing: amounts cannot be read without it"))
	}
	o.Currency = cur
	hidden, err := parseBool(string(w.HiddenOrder))
	if err != nil {
		d.fail("hidden_order", err)
	}
	o.CreatedAt = d.time("created_at", w.CreatedAt)
	o.UpdatedAt = d.time("updated_at", w.UpdatedAt)
	o.CancelledAt = d.time("cancelled_at", w.CancelledAt)
	o.State, o.StatusLabel = mapStatus(string(w.FinancialStatus), string(w.FulfillmentStatus), o.CancelledAt != nil, hidden)
	o.RawStatus = rawStatus(w)
	o.Totals = d.totals(w, cur)
	o.Base = d.base(w, cur)
	o.Customer = customer(w)
	o.ShippingAddress = address(w.ShippingAddress)
	o.BillingAddress = address(w.BillingAddress)
	o.Items = d.items(w.LineItems, cur)
	o.Payments, o.PaidAt = d.payments(w, cur)
	o.Shipments = d.shipments(w.Fulfillments)
	o.Remarks = d.remarks(w)
	o.BuyerNote = string(w.BuyerNote)
	o.Tags = splitTags(string(w.Tags))
	return o
}

// totals: subtotal = total_line_items_price (before discounts), discount =
// current_total_discounts, tax = current_total_tax, shipping = the sum of
// shipping_lines[].price, fee = total_tip_received, grand total =
// current_total_price. All top-level amounts are read in the order currency.
func (d *decoder) totals(w *wireOrder, cur string) backend.Totals {
	ship := backend.ZeroAmount(cur)
	for i, l := range w.ShippingLines {
		ship = ship.Add(d.money(fmt.Sprintf("shipping_lines[%d].price", i), l.Price, cur))
	}
	return backend.Totals{
		Subtotal:   d.money("total_line_items_price", w.TotalLineItemsPrice, cur),
		Shipping:   ship,
		Discount:   d.money("current_total_discounts", w.CurrentTotalDiscounts, cur),
		Tax:        d.money("current_total_tax", w.CurrentTotalTax, cur),
		Fee:        d.money("total_tip_received", w.TotalTipReceived, cur),
		GrandTotal: d.money("current_total_price", w.CurrentTotalPrice, cur),
	}
}

// base is the grand total in the shop's currency (current_total_price_set
// .shop_money) when it differs from the order currency.
func (d *decoder) base(w *wireOrder, cur string) *backend.Base {
	shop := w.CurrentTotalPriceSet.V.ShopMoney
	code := strings.ToUpper(string(shop.V.CurrencyCode))
	if !w.CurrentTotalPriceSet.Set || !shop.Set || code == "" || code == cur {
		return nil
	}
	return &backend.Base{Currency: code, GrandTotal: d.money("current_total_price_set.shop_money.amount", shop.V.Amount, code)}
}

// customer: name from the shipping address, else the billing address, else
// the customer's first and last name; email and phone from the order, else
// from the customer.
func customer(w *wireOrder) backend.Customer {
	c := w.Customer.V
	name := ""
	for _, a := range []adapt.Obj[wireAddress]{w.ShippingAddress, w.BillingAddress} {
		if a.Set && name == "" {
			name = fullName(a.V)
		}
	}
	if name == "" {
		name = strings.TrimSpace(string(c.FirstName) + " " + string(c.LastName))
	}
	return backend.Customer{Name: name, Email: first(w.Email, c.Email), Phone: first(w.Phone, c.Phone)}
}

func fullName(a wireAddress) string {
	if a.Name != "" {
		return string(a.Name)
	}
	return strings.TrimSpace(string(a.FirstName) + " " + string(a.LastName))
}

func first(vs ...adapt.Flex) string {
	for _, v := range vs {
		if v != "" {
			return string(v)
		}
	}
	return ""
}

// address maps an address; SHOPLINE addresses carry no email.
func address(a adapt.Obj[wireAddress]) *backend.Address {
	if !a.Set {
		return nil
	}
	v := a.V
	return &backend.Address{
		Name: fullName(v), Company: string(v.Company), Line1: string(v.Address1), Line2: string(v.Address2),
		City: string(v.City), Province: string(v.Province), ProvinceCode: string(v.ProvinceCode),
		Zip: string(v.Zip), CountryCode: string(v.CountryCode), Country: string(v.Country), Phone: string(v.Phone),
	}
}

// items: row total = price × quantity (SHOPLINE has no per-line total;
// discount allocations are not subtracted), weight = grams per unit, no
// image (the order object has none).
func (d *decoder) items(lines adapt.List[wireLineItem], cur string) []backend.Item {
	var out []backend.Item
	for i, l := range lines {
		field := fmt.Sprintf("line_items[%d]", i)
		unit := d.money(field+".price", l.Price, cur)
		grams, err := shoplineGrams(string(l.Grams))
		if err != nil {
			d.fail(field+".grams", err)
		}
		out = append(out, backend.Item{
			SKU: string(l.SKU), Title: first(l.Title, l.Name), Variant: string(l.VariantTitle),
			Qty: l.Quantity.Int(), UnitPrice: unit, RowTotal: unit.MulInt(l.Quantity.V), WeightG: grams,
		})
	}
	return out
}

// payments maps payment_details. The method is payment_gateway_names joined
// (SHOPLINE does not say which gateway a payment used), the transaction id
// is the channel's deal id, else SHOPLINE's pay_seq. A payment's paid_at is
// its processed_at, or for a "paid" payment without one (v20220901 has no
// processed_at) its create_time. The order's paid_at is the earliest paid_at
// of a payment whose pay_status is "paid".
func (d *decoder) payments(w *wireOrder, cur string) ([]backend.Payment, *time.Time) {
	var names []string
	for _, n := range w.PaymentGateways {
		if n != "" {
			names = append(names, string(n))
		}
	}
	method := strings.Join(names, ", ")
	var out []backend.Payment
	var paidAt *time.Time
	for i, p := range w.PaymentDetails {
		field := fmt.Sprintf("payment_details[%d]", i)
		at := d.time(field+".processed_at", p.ProcessedAt)
		if at == nil && p.PayStatus == "paid" {
			at = d.time(field+".create_time", p.CreateTime) // v20220901 has no processed_at
		}
		out = append(out, backend.Payment{
			Method: method, TransactionID: first(p.PayChannelDealID, p.PaySeq),
			Amount: d.double(field+".pay_amount", p.PayAmount, cur), Currency: cur,
			Status: string(p.PayStatus), PaidAt: at,
		})
		if p.PayStatus == "paid" && at != nil && (paidAt == nil || at.Before(*paidAt)) {
			paidAt = at
		}
	}
	return out, paidAt
}

// shipments: one per fulfillment (package), cancelled ones included with
// their status.
func (d *decoder) shipments(fs adapt.List[wireFulfillment]) []backend.Shipment {
	var out []backend.Shipment
	for i, f := range fs {
		out = append(out, backend.Shipment{
			Carrier: string(f.TrackingCompany), TrackingNumber: string(f.TrackingNumber),
			TrackingURL: string(f.TrackingURL), Status: string(f.Status),
			ShippedAt: d.time(fmt.Sprintf("fulfillments[%d].created_at", i), f.CreatedAt),
		})
	}
	return out
}

// NoteAuthor is the author of the remark made from the order's `note`.
const NoteAuthor = "merchant note"

// remarks: the merchant `note` first (author NoteAuthor), then every
// note_attributes entry (author = its name). All are internal.
func (d *decoder) remarks(w *wireOrder) []backend.Remark {
	var out []backend.Remark
	if w.Note != "" {
		out = append(out, backend.Remark{Text: string(w.Note), Author: NoteAuthor, Visibility: backend.Internal})
	}
	for i, n := range w.NoteAttributes {
		out = append(out, backend.Remark{
			Text: string(n.Value), Author: string(n.Name), Visibility: backend.Internal,
			At: d.time(fmt.Sprintf("note_attributes[%d].create_time", i), n.CreateTime),
		})
	}
	return out
}
