package fecshop

import (
	"encoding/json"
	"fmt"
	"html"
	"strings"
	"time"

	"orderdesk/backend"
	"orderdesk/backend/internal/adapt"
)

// wireOrder is the part of a sales_flat_order row (plus the list's and
// fetchone's derived fields) the desk reads. Every scalar is tolerant: the
// list and fetchone send every column as a string, updateorderstatus sends
// native numbers. Unknown columns are ignored.
type wireOrder struct {
	OrderID      adapt.Flex `json:"order_id"`
	IncrementID  adapt.Flex `json:"increment_id"`
	Status       adapt.Flex `json:"order_status"`
	CreatedAt    adapt.Unix `json:"created_at"`
	UpdatedAt    adapt.Unix `json:"updated_at"`
	DispatchedAt adapt.Unix `json:"dispatched_at"`

	Currency       adapt.Flex `json:"order_currency_code"`
	ToBaseRate     adapt.Flex `json:"order_to_base_rate"`
	GrandTotal     adapt.Flex `json:"grand_total"`
	BaseGrandTotal adapt.Flex `json:"base_grand_total"`
	Subtotal       adapt.Flex `json:"subtotal"`
	Shipping       adapt.Flex `json:"shipping_total"`
	Discount       adapt.Flex `json:"subtotal_with_discount"` // holds the coupon discount, not a subtotal
	PaymentFee     adapt.Flex `json:"payment_fee"`

	Email     adapt.Flex `json:"customer_email"`
	FirstName adapt.Flex `json:"customer_firstname"`
	LastName  adapt.Flex `json:"customer_lastname"`
	Phone     adapt.Flex `json:"customer_telephone"`

	Country     adapt.Flex `json:"customer_address_country"`
	CountryName adapt.Flex `json:"customer_address_country_name"`
	State       adapt.Flex `json:"customer_address_state"`
	StateName   adapt.Flex `json:"customer_address_state_name"`
	City        adapt.Flex `json:"customer_address_city"`
	Zip         adapt.Flex `json:"customer_address_zip"`
	Street1     adapt.Flex `json:"customer_address_street1"`
	Street2     adapt.Flex `json:"customer_address_street2"`

	Remark        adapt.Flex `json:"order_remark"`
	PaymentMethod adapt.Flex `json:"payment_method"`
	TxnID         adapt.Flex `json:"txn_id"`

	TrackingNumber      adapt.Flex `json:"tracking_number"`
	TrackingCompany     adapt.Flex `json:"tracking_company"`
	TrackingCompanyName adapt.Flex `json:"tracking_company_name"`

	Products adapt.List[json.RawMessage] `json:"products"`
}

// wireItem is one element of products[] (sales_flat_order_item plus data
// read from the current product record).
type wireItem struct {
	SKU       adapt.Flex      `json:"sku"`
	Name      adapt.Flex      `json:"name"`
	Image     adapt.Flex      `json:"image"`
	FullImage adapt.Flex      `json:"full_image"` // list only
	Weight    adapt.Flex      `json:"weight"`     // kg, per unit
	Qty       adapt.FlexInt   `json:"qty"`
	Price     adapt.Flex      `json:"price"`
	RowTotal  adapt.Flex      `json:"row_total"`
	SPU       json.RawMessage `json:"spu_options"`
	Custom    json.RawMessage `json:"custom_option_info"`
}

// decoder turns Fecshop order objects into normalised orders.
type decoder struct {
	shop     string
	syncedAt *time.Time
	// imageBase resolves fetchone's relative image paths; learned is set
	// when a list item shows the base (full_image = base + image).
	imageBase string
	learned   string
}

// order decodes one order object; raw is kept verbatim in Order.Raw.
func (d *decoder) order(raw json.RawMessage) (*backend.Order, error) {
	var w wireOrder
	if err := json.Unmarshal(raw, &w); err != nil {
		return nil, adapt.At("", err)
	}
	number, status := text(w.IncrementID), text(w.Status)
	cur := strings.ToUpper(text(w.Currency))
	for _, req := range []struct{ field, v string }{
		{"increment_id", number}, {"order_id", text(w.OrderID)}, {"order_status", status}, {"order_currency_code", cur},
	} {
		if req.v == "" {
			return nil, &adapt.FieldError{Field: req.field, Err: adapt.ErrMissing}
		}
	}
	state, label := stateOf(status)
	totals, err := orderTotals(&w, cur)
	if err != nil {
		return nil, err
	}
	base, err := baseOf(&w, cur)
	if err != nil {
		return nil, err
	}
	items, err := d.items(w.Products, cur)
	if err != nil {
		return nil, err
	}
	name := backend.PersonName(text(w.FirstName), text(w.LastName))
	o := &backend.Order{
		Ref:         backend.Ref{Shop: d.shop, Number: number},
		Shop:        d.shop,
		Platform:    backend.Fecshop,
		ID:          text(w.OrderID),
		Number:      number,
		State:       state,
		RawStatus:   map[string]string{"order_status": status},
		StatusLabel: label,
		CreatedAt:   w.CreatedAt.Ptr(),
		UpdatedAt:   w.UpdatedAt.Ptr(),
		Currency:    cur,
		Totals:      totals,
		Base:        base,
		Customer:    backend.Customer{Name: name, Email: text(w.Email), Phone: text(w.Phone)},
		Items:       items,
		BuyerNote:   html.UnescapeString(text(w.Remark)),
		SyncedAt:    d.syncedAt,
		Raw:         raw,
	}
	o.ShippingAddress = address(&w, name)
	if m := text(w.PaymentMethod); m != "" {
		o.Payments = []backend.Payment{{Method: m, TransactionID: text(w.TxnID), Amount: totals.GrandTotal, Currency: cur, Status: string(state.Payment)}}
	}
	if n := text(w.TrackingNumber); n != "" {
		carrier := text(w.TrackingCompany)
		if carrier == "" {
			carrier = text(w.TrackingCompanyName)
		}
		o.Shipments = []backend.Shipment{{Carrier: carrier, TrackingNumber: n, ShippedAt: w.DispatchedAt.Ptr()}}
	}
	return o, nil
}

func text(f adapt.Flex) string { return strings.TrimSpace(string(f)) }

// orderTotals reads the amounts in the order currency. grand_total and
// subtotal must be present; the others are zero when null. payment_fee is
// the gateway's fee and is not part of grand_total.
func orderTotals(w *wireOrder, cur string) (backend.Totals, error) {
	var t backend.Totals
	for _, f := range []struct {
		field    string
		v        adapt.Flex
		dst      *backend.Amount
		required bool
	}{
		{"grand_total", w.GrandTotal, &t.GrandTotal, true},
		{"subtotal", w.Subtotal, &t.Subtotal, true},
		{"shipping_total", w.Shipping, &t.Shipping, false},
		{"subtotal_with_discount", w.Discount, &t.Discount, false},
		{"payment_fee", w.PaymentFee, &t.Fee, false},
	} {
		a, err := money(f.field, f.v, cur, f.required)
		if err != nil {
			return t, err
		}
		*f.dst = a
	}
	t.Tax = backend.ZeroAmount(cur) // Fecshop has no tax column
	return t, nil
}

func money(field string, v adapt.Flex, cur string, required bool) (backend.Amount, error) {
	s := text(v)
	if s == "" {
		if required {
			return backend.Amount{}, &adapt.FieldError{Field: field, Err: adapt.ErrMissing}
		}
		return backend.ZeroAmount(cur), nil
	}
	a, err := backend.ParseAmount(s, cur)
	if err != nil {
		return backend.Amount{}, &adapt.FieldError{Field: field, Err: err}
	}
	return a, nil
}

// baseOf reads base_grand_total. Fecshop sends no base currency code: when
// order_to_base_rate is exactly 1 the base currency is the order currency;
// otherwise it is the shop's base currency, whose code the API does not
// give, and Base.Currency stays "" (amount read with 2 decimals, extra
// digits kept).
func baseOf(w *wireOrder, cur string) (*backend.Base, error) {
	if text(w.BaseGrandTotal) == "" {
		return nil, nil
	}
	baseCur := ""
	if r := text(w.ToBaseRate); r != "" {
		rate, err := backend.ParseAmount(r, "")
		if err != nil {
			return nil, &adapt.FieldError{Field: "order_to_base_rate", Err: err}
		}
		if rate.Cmp(backend.MustAmount("1", "")) == 0 {
			baseCur = cur
		}
	}
	a, err := money("base_grand_total", w.BaseGrandTotal, baseCur, true)
	if err != nil {
		return nil, err
	}
	return &backend.Base{Currency: baseCur, GrandTotal: a}, nil
}

// address is the single flattened customer_address_* address (Fecshop has
// no billing address). The state and country names come only with the list
// and fetchone; updateorderstatus's updateData has codes only.
func address(w *wireOrder, name string) *backend.Address {
	a := backend.Address{
		Line1: text(w.Street1), Line2: text(w.Street2), City: text(w.City),
		Province: text(w.StateName), ProvinceCode: text(w.State), Zip: text(w.Zip),
		CountryCode: strings.ToUpper(text(w.Country)), Country: text(w.CountryName),
	}
	if a == (backend.Address{}) {
		return nil
	}
	a.Name, a.Phone, a.Email = name, text(w.Phone), text(w.Email)
	return &a
}

// items decodes products[]; an item that cannot be read fails the order.
func (d *decoder) items(products []json.RawMessage, cur string) ([]backend.Item, error) {
	var out []backend.Item
	for i, raw := range products {
		it, err := d.item(raw, cur)
		if err != nil {
			return nil, adapt.At(fmt.Sprintf("products[%d]", i), err)
		}
		out = append(out, it)
	}
	return out, nil
}

func (d *decoder) item(raw json.RawMessage, cur string) (backend.Item, error) {
	var w wireItem
	if err := json.Unmarshal(raw, &w); err != nil {
		return backend.Item{}, adapt.At("", err)
	}
	if !w.Qty.Set {
		return backend.Item{}, &adapt.FieldError{Field: "qty", Err: adapt.ErrMissing}
	}
	price, err := money("price", w.Price, cur, true)
	if err != nil {
		return backend.Item{}, err
	}
	row, err := money("row_total", w.RowTotal, cur, true)
	if err != nil {
		return backend.Item{}, err
	}
	grams, err := adapt.KgToGrams(text(w.Weight))
	if err != nil {
		return backend.Item{}, &adapt.FieldError{Field: "weight", Err: err}
	}
	variant, err := variantOf(w.SPU, w.Custom)
	if err != nil {
		return backend.Item{}, err
	}
	return backend.Item{
		SKU: text(w.SKU), Title: text(w.Name), Variant: variant, Qty: w.Qty.Int(),
		UnitPrice: price, RowTotal: row, WeightG: grams, Image: d.image(text(w.Image), text(w.FullImage)),
	}, nil
}

// image prefers the list's absolute full_image. fetchone sends only the
// relative image path; it is resolved with the image base learned from a
// list of the same shop, or kept relative when none was seen yet.
func (d *decoder) image(rel, full string) string {
	if full != "" {
		if rel != "" && strings.HasPrefix(rel, "/") && strings.HasSuffix(full, rel) && len(full) > len(rel) {
			d.learned = strings.TrimSuffix(full, rel)
		}
		return full
	}
	if rel == "" || strings.Contains(rel, "://") || d.imageBase == "" {
		return rel
	}
	return d.imageBase + "/" + strings.TrimPrefix(rel, "/")
}
