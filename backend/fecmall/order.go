package fecmall

import (
	"bytes"
	"encoding/json"
	"fmt"
	"strconv"
	"strings"
	"time"

	"orderdesk/backend"
	"orderdesk/backend/internal/adapt"
)

// detailData is the data of order/info.
type detailData struct {
	OrderInfo json.RawMessage `json:"order_info"`
	PayTxnID  adapt.Flex      `json:"pay_txn_id"`
}

// listData is the data of order/list and order/get-pending-order-list.
type listData struct {
	Total     adapt.FlexInt               `json:"total"`
	TotalPage adapt.FlexInt               `json:"totalPage"`
	List      adapt.List[json.RawMessage] `json:"list"`
}

// listPage is one decoded list page. bare[i] is true when row i carried no
// items: the caller reads that order with order/info instead.
type listPage struct {
	orders    []*backend.Order
	bare      []bool
	totalPage adapt.FlexInt
}

// decodeDetail reads an order/info body. An answer without an order_info
// object is ErrNotFound.
func (d decoder) decodeDetail(op string, body []byte) (*backend.Order, error) {
	e, err := d.open(op, body)
	if err != nil {
		return nil, err
	}
	var data adapt.Obj[detailData]
	if err := json.Unmarshal(orNull(e.Data), &data); err != nil {
		return nil, d.bad(op, "data", err)
	}
	if !data.Set || isEmpty(data.V.OrderInfo) {
		return nil, &backend.Error{Kind: backend.ErrNotFound, Shop: d.shop, Op: op, Reason: "the shop sent no order_info"}
	}
	o, _, err := d.order(data.V.OrderInfo, string(data.V.PayTxnID))
	if err != nil {
		return nil, d.bad(op, "data.order_info", err)
	}
	return o, nil
}

// decodeList reads a list body; any row that cannot be read fails the page.
// An answer without data is an empty last page.
func (d decoder) decodeList(op string, body []byte) (listPage, error) {
	e, err := d.open(op, body)
	if err != nil {
		return listPage{}, err
	}
	var data adapt.Obj[listData]
	if err := json.Unmarshal(orNull(e.Data), &data); err != nil {
		return listPage{}, d.bad(op, "data", err)
	}
	p := listPage{totalPage: data.V.TotalPage}
	for i, row := range data.V.List {
		o, bare, err := d.order(row, "")
		if err != nil {
			return listPage{}, d.bad(op, fmt.Sprintf("data.list[%d]", i), err)
		}
		p.orders, p.bare = append(p.orders, o), append(p.bare, bare)
	}
	return p, nil
}

func orNull(b json.RawMessage) []byte {
	if len(bytes.TrimSpace(b)) == 0 {
		return []byte("null")
	}
	return b
}

func isEmpty(b json.RawMessage) bool {
	switch string(bytes.TrimSpace(b)) {
	case "", "null", "[]", "{}":
		return true
	}
	return false
}

// order normalises one order_info object; txn is the payment transaction id
// sent beside it (detail) or "" (list rows may carry their own). It reports
// whether the object lacks items. Errors name the field inside the object.
func (d decoder) order(raw []byte, txn string) (*backend.Order, bool, error) {
	var w wireOrder
	if err := json.Unmarshal(raw, &w); err != nil {
		return nil, false, err
	}
	number := strings.TrimSpace(string(w.OrderNumber))
	if number == "" {
		return nil, false, &adapt.FieldError{Field: "order_number", Err: adapt.ErrMissing}
	}
	st, rawStatus, label, err := mapStatus(w.OrderStatus, w.PaymentStatus, w.FulfillmentStatus)
	if err != nil {
		return nil, false, err
	}
	o := &backend.Order{
		Ref: backend.Ref{Shop: d.shop, Number: number}, Shop: d.shop, Platform: backend.Fecmall,
		Number: number, State: st, RawStatus: rawStatus, StatusLabel: label,
		BuyerNote: string(w.Note), Tags: []string(w.Tags), SyncedAt: backend.UTC(d.now()),
		Raw: json.RawMessage(bytes.Clone(raw)),
	}
	if w.ID.Set {
		o.ID = strconv.FormatInt(w.ID.V, 10)
	}
	for _, step := range []func(*backend.Order, *wireOrder) error{d.times, d.money, d.items} {
		if err := step(o, &w); err != nil {
			return nil, false, err
		}
	}
	addresses(o, &w)
	if txn == "" {
		txn = string(w.PayTxnID)
	}
	if w.PaymentMethod != "" || txn != "" {
		o.Payments = []backend.Payment{{Method: string(w.PaymentMethod), TransactionID: txn, Amount: o.Totals.GrandTotal,
			Currency: o.Currency, Status: string(st.Payment), PaidAt: o.PaidAt}}
	}
	return o, w.Items == nil, nil
}

// times reads the naive shop-local created_at/updated_at and the unix
// payed_at/cancelled_at/fulfilled_at (0 = unset); either form is accepted in
// every field. fulfilled_at, the last package's ship time, becomes the one
// shipment the API tells of.
func (d decoder) times(o *backend.Order, w *wireOrder) error {
	var shipped *time.Time
	for _, f := range []struct {
		name string
		v    adapt.Flex
		dst  **time.Time
	}{
		{"created_at", w.CreatedAt, &o.CreatedAt}, {"updated_at", w.UpdatedAt, &o.UpdatedAt},
		{"payed_at", w.PayedAt, &o.PaidAt}, {"cancelled_at", w.CancelledAt, &o.CancelledAt},
		{"fulfilled_at", w.FulfilledAt, &shipped},
	} {
		t, err := d.when(string(f.v))
		if err != nil {
			return &adapt.FieldError{Field: f.name, Err: err}
		}
		*f.dst = t
	}
	if shipped != nil {
		o.Shipments = []backend.Shipment{{ShippedAt: shipped, Status: "shipped"}}
	}
	return nil
}

// when reads unix seconds ("0" = unset) or a naive shop-local time.
func (d decoder) when(s string) (*time.Time, error) {
	s = strings.TrimSpace(s)
	if n, err := strconv.ParseInt(s, 10, 64); err == nil {
		if n <= 0 || n > 1e11 {
			if n == 0 {
				return nil, nil
			}
			return nil, fmt.Errorf("unix time %d out of range", n)
		}
		return backend.UTC(time.Unix(n, 0)), nil
	}
	return adapt.ParseNaive(s, d.loc)
}

// money reads the order-currency totals (curr_*) and the base grand total.
// curr_subtotal_with_discount is the discount amount; Fecmall has no tax on
// the order; payment_fee is read in the order currency.
func (d decoder) money(o *backend.Order, w *wireOrder) error {
	o.Currency = strings.ToUpper(strings.TrimSpace(string(w.CurrencyCode)))
	if o.Currency == "" {
		return &adapt.FieldError{Field: "currency_code", Err: adapt.ErrMissing}
	}
	if strings.TrimSpace(string(w.GrandTotal)) == "" {
		return &adapt.FieldError{Field: "curr_grand_total", Err: adapt.ErrMissing}
	}
	t := &o.Totals
	t.Tax = backend.ZeroAmount(o.Currency)
	for _, f := range []struct {
		name string
		v    adapt.Flex
		dst  *backend.Amount
	}{
		{"curr_subtotal", w.Subtotal, &t.Subtotal}, {"curr_shipping_total", w.Shipping, &t.Shipping},
		{"curr_subtotal_with_discount", w.Discount, &t.Discount}, {"payment_fee", w.PaymentFee, &t.Fee},
		{"curr_grand_total", w.GrandTotal, &t.GrandTotal},
	} {
		a, err := backend.ParseAmount(string(f.v), o.Currency)
		if err != nil {
			return &adapt.FieldError{Field: f.name, Err: err}
		}
		*f.dst = a
	}
	base := strings.ToUpper(strings.TrimSpace(string(w.BaseCurrencyCode)))
	if base == "" {
		return nil
	}
	if strings.TrimSpace(string(w.BaseGrandTotal)) == "" {
		return &adapt.FieldError{Field: "base_grand_total", Err: adapt.ErrMissing}
	}
	a, err := backend.ParseAmount(string(w.BaseGrandTotal), base)
	if err != nil {
		return &adapt.FieldError{Field: "base_grand_total", Err: err}
	}
	o.Base = &backend.Base{Currency: base, GrandTotal: a}
	return nil
}

// items reads the order lines: curr_price is the unit price, curr_row_price
// the line total (unit × qty when missing), gram the unit weight.
func (d decoder) items(o *backend.Order, w *wireOrder) error {
	if w.Items == nil {
		return nil
	}
	for k, it := range *w.Items {
		field := func(name string) string { return fmt.Sprintf("items[%d].%s", k, name) }
		if !it.Qty.Set {
			return &adapt.FieldError{Field: field("qty"), Err: adapt.ErrMissing}
		}
		unit, err := backend.ParseAmount(string(it.CurrPrice), o.Currency)
		if err != nil {
			return &adapt.FieldError{Field: field("curr_price"), Err: err}
		}
		row := unit.MulInt(it.Qty.V)
		if strings.TrimSpace(string(it.CurrRowPrice)) != "" {
			if row, err = backend.ParseAmount(string(it.CurrRowPrice), o.Currency); err != nil {
				return &adapt.FieldError{Field: field("curr_row_price"), Err: err}
			}
		}
		o.Items = append(o.Items, backend.Item{
			SKU: string(it.SKU), Title: string(it.ProductTitle), Variant: string(it.VariantTitle), Qty: it.Qty.Int(),
			UnitPrice: unit, RowTotal: row, WeightG: int64(it.Gram), Image: string(it.Image),
		})
	}
	return nil
}

// addresses reads shippingAddress and billingAddress ([] when absent). With
// billing_is_use_shipping_address 1 the billing address is the shipping
// address. The customer's name is the shipping (else billing) address name:
// order_info has no name of its own.
func addresses(o *backend.Order, w *wireOrder) {
	o.ShippingAddress = address(w.ShippingAddress)
	switch {
	case w.BillingIsShipping.V == 1 && o.ShippingAddress != nil:
		same := *o.ShippingAddress
		o.BillingAddress = &same
	default:
		o.BillingAddress = address(w.BillingAddress)
	}
	o.Customer = backend.Customer{Email: string(w.CustomerEmail), Phone: string(w.CustomerPhone)}
	for _, a := range []*backend.Address{o.ShippingAddress, o.BillingAddress} {
		if a != nil && o.Customer.Name == "" {
			o.Customer.Name = a.Name
		}
	}
}

func address(a adapt.Obj[wireAddress]) *backend.Address {
	if !a.Set {
		return nil
	}
	v := a.V
	return &backend.Address{
		Name: backend.PersonName(string(v.FirstName), string(v.LastName)), Company: string(v.Company),
		Line1: string(v.Address1), Line2: string(v.Address2), City: string(v.City),
		ProvinceCode: string(v.ProvinceCode), Zip: string(v.Zip), CountryCode: string(v.CountryCode),
		Phone: string(v.Phone),
	}
}
