package fecmall

import (
	"bytes"
	"encoding/json"
	"fmt"
	"reflect"
	"strconv"
	"strings"
	"time"

	"orderdesk/backend"
	"orderdesk/backend/internal/adapt"
)

// envelope is every Fecmall answer: {"code":200,"message":"success","data":...}.
type envelope struct {
	Code    adapt.FlexInt   `json:"code"`
	Message json.RawMessage `json:"message"`
	Data    json.RawMessage `json:"data"`
}

// codeKinds maps a body code other than 200 to an error kind; codes not
// listed are ErrRejected, 5xx codes ErrUnavailable.
var codeKinds = map[int64]error{
	401: backend.ErrAuth,
	403: backend.ErrAuth,
	404: backend.ErrNotFound,
	429: backend.ErrRateLimited,
}

// codeError is the error for a body code other than 200, or nil.
func (e envelope) codeError() *backend.Error {
	if e.Code.V == 200 {
		return nil
	}
	kind, ok := codeKinds[e.Code.V]
	if !ok {
		kind = backend.ErrRejected
		if e.Code.V >= 500 && e.Code.V < 600 {
			kind = backend.ErrUnavailable
		}
	}
	return &backend.Error{Kind: kind, Reason: fmt.Sprintf("code %d: %s", e.Code.V, messageText(e.Message))}
}

// messageText reads message as text: a string, or the JSON of whatever else
// the shop sent (validation errors may be objects).
func messageText(raw json.RawMessage) string {
	var s string
	if json.Unmarshal(raw, &s) == nil {
		return s
	}
	return strings.Join(strings.Fields(string(raw)), " ")
}

// wireOrder is an order_info object or a list row (same field names).
type wireOrder struct {
	ID                adapt.FlexInt `json:"id"`
	OrderNumber       adapt.Flex    `json:"order_number"`
	OrderStatus       adapt.FlexInt `json:"order_status"`
	PaymentStatus     adapt.FlexInt `json:"payment_status"`
	FulfillmentStatus adapt.FlexInt `json:"fulfillment_status"`

	CurrencyCode     adapt.Flex `json:"currency_code"`
	BaseCurrencyCode adapt.Flex `json:"base_currency_code"`
	Subtotal         adapt.Flex `json:"curr_subtotal"`
	Shipping         adapt.Flex `json:"curr_shipping_total"`
	Discount         adapt.Flex `json:"curr_subtotal_with_discount"`
	GrandTotal       adapt.Flex `json:"curr_grand_total"`
	BaseGrandTotal   adapt.Flex `json:"base_grand_total"`
	PaymentFee       adapt.Flex `json:"payment_fee"`

	CustomerEmail adapt.Flex `json:"customer_email"`
	CustomerPhone adapt.Flex `json:"customer_phone"`
	PaymentMethod adapt.Flex `json:"payment_method"`
	PayTxnID      adapt.Flex `json:"pay_txn_id"` // list rows, when present
	Note          adapt.Flex `json:"note"`
	Tags          tags       `json:"tags"`

	CreatedAt   adapt.Flex `json:"created_at"`
	UpdatedAt   adapt.Flex `json:"updated_at"`
	PayedAt     adapt.Flex `json:"payed_at"`
	CancelledAt adapt.Flex `json:"cancelled_at"`
	FulfilledAt adapt.Flex `json:"fulfilled_at"`

	BillingIsShipping adapt.FlexInt          `json:"billing_is_use_shipping_address"`
	ShippingAddress   adapt.Obj[wireAddress] `json:"shippingAddress"`
	BillingAddress    adapt.Obj[wireAddress] `json:"billingAddress"`
	Items             *adapt.List[wireItem]  `json:"items"` // nil: absent or null
}

type wireItem struct {
	SKU          adapt.Flex    `json:"sku"`
	ProductTitle adapt.Flex    `json:"product_title"`
	VariantTitle adapt.Flex    `json:"variant_title"`
	Image        adapt.Flex    `json:"image"`
	Qty          adapt.FlexInt `json:"qty"`
	CurrPrice    adapt.Flex    `json:"curr_price"`
	CurrRowPrice adapt.Flex    `json:"curr_row_price"`
	Gram         grams         `json:"gram"`
}

type wireAddress struct {
	FirstName    adapt.Flex `json:"first_name"`
	LastName     adapt.Flex `json:"last_name"`
	Phone        adapt.Flex `json:"phone"`
	Company      adapt.Flex `json:"company"`
	Address1     adapt.Flex `json:"address_1"`
	Address2     adapt.Flex `json:"address_2"`
	City         adapt.Flex `json:"city"`
	CountryCode  adapt.Flex `json:"country_code"`
	ProvinceCode adapt.Flex `json:"province_code"`
	Zip          adapt.Flex `json:"zip"`
}

// tags is documented as an array and sent as null; a comma-separated string
// is accepted too.
type tags []string

func (t *tags) UnmarshalJSON(b []byte) error {
	b = bytes.TrimSpace(b)
	if len(b) > 0 && b[0] == '"' {
		var s string
		if err := json.Unmarshal(b, &s); err != nil {
			return err
		}
		*t = nil
		for _, p := range strings.Split(s, ",") {
			if p = strings.TrimSpace(p); p != "" {
				*t = append(*t, p)
			}
		}
		return nil
	}
	var l adapt.List[adapt.Flex]
	if err := json.Unmarshal(b, &l); err != nil {
		return err
	}
	*t = nil
	for _, f := range l {
		if s := strings.TrimSpace(string(f)); s != "" {
			*t = append(*t, s)
		}
	}
	return nil
}

var typeOfGrams = reflect.TypeFor[grams]()

// grams is a weight documented as a number and sent as "111000.00";
// fractions of a gram are rounded.
type grams int64

func (g *grams) UnmarshalJSON(b []byte) error {
	var f adapt.Flex
	if err := f.UnmarshalJSON(b); err != nil {
		return err
	}
	if f == "" {
		*g = 0
		return nil
	}
	v, err := adapt.RoundGrams(string(f))
	if err != nil || v < 0 {
		return &json.UnmarshalTypeError{Value: "weight " + strconv.Quote(string(f)), Type: typeOfGrams}
	}
	*g = grams(v)
	return nil
}

// decoder turns Fecmall bodies into orders for one shop.
type decoder struct {
	shop string
	loc  *time.Location
	red  *backend.Redactor
	now  func() time.Time
}

// bad builds the ErrBadResponse for op: field is the JSON path prefix, err
// what went wrong below it (an *adapt.FieldError or a
// *json.UnmarshalTypeError add their own field). A body that is not JSON at
// all is field "body".
func (d decoder) bad(op, field string, err error) *backend.Error {
	return adapt.BadResponse(d.shop, op, d.red, adapt.At(field, err))
}

// open reads the envelope and checks its code.
func (d decoder) open(op string, body []byte) (envelope, error) {
	var e envelope
	if err := json.Unmarshal(body, &e); err != nil {
		return e, d.bad(op, "", err)
	}
	if !e.Code.Set {
		return e, d.bad(op, "code", adapt.ErrMissing)
	}
	if ce := e.codeError(); ce != nil {
		ce.Shop, ce.Op, ce.Reason = d.shop, op, d.red.Scrub(ce.Reason)
		return e, ce
	}
	return e, nil
}
