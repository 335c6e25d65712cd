// Package backend is the domain every other package speaks: the normalised
// Order, its status axes, Money, Ref, the Shop interface each platform
// implements, capabilities and typed errors. It imports none of its children.
package backend

import (
	"encoding/json"
	"time"
)

// Platform names a shop platform as written in the config file.
type Platform string

const (
	Fecshop  Platform = "fecshop"
	Fecmall  Platform = "fecmall"
	Shopline Platform = "shopline"
	YMCart   Platform = "ymcart"
)

// Order is the normalised order of SPEC §2. JSON output uses exactly these
// field names. Raw keeps the platform's own JSON for the detail view and for
// re-normalising after a decoder fix without refetching.
type Order struct {
	Ref             Ref               `json:"ref"`
	Shop            string            `json:"shop"`
	Platform        Platform          `json:"platform"`
	ID              string            `json:"id"`
	Number          string            `json:"number"`
	State           State             `json:"state"`
	RawStatus       map[string]string `json:"raw_status"`
	StatusLabel     string            `json:"status_label"`
	CreatedAt       *time.Time        `json:"created_at"`
	UpdatedAt       *time.Time        `json:"updated_at"`
	PaidAt          *time.Time        `json:"paid_at"`
	CancelledAt     *time.Time        `json:"cancelled_at"`
	Currency        string            `json:"currency"`
	Totals          Totals            `json:"totals"`
	Base            *Base             `json:"base"`
	Customer        Customer          `json:"customer"`
	ShippingAddress *Address          `json:"shipping_address"`
	BillingAddress  *Address          `json:"billing_address"`
	Items           []Item            `json:"items"`
	Payments        []Payment         `json:"payments"`
	Shipments       []Shipment        `json:"shipments"`
	Remarks         []Remark          `json:"remarks"`
	BuyerNote       string            `json:"buyer_note"`
	Tags            []string          `json:"tags"`
	Pending         []PendingEdit     `json:"pending"`
	SyncedAt        *time.Time        `json:"synced_at"`

	// Raw is the platform's order object, verbatim.
	Raw json.RawMessage `json:"-"`
}

// Totals are the order's amounts in the order currency.
type Totals struct {
	Subtotal   Amount `json:"subtotal"`
	Shipping   Amount `json:"shipping"`
	Discount   Amount `json:"discount"`
	Tax        Amount `json:"tax"`
	Fee        Amount `json:"fee"`
	GrandTotal Amount `json:"grand_total"`
}

// Base is the grand total in the shop's base currency, when the platform
// reports one.
type Base struct {
	Currency   string `json:"currency"`
	GrandTotal Amount `json:"grand_total"`
}

type Customer struct {
	Name  string `json:"name"`
	Email string `json:"email"`
	Phone string `json:"phone"`
}

type Address struct {
	Name         string `json:"name"`
	Company      string `json:"company"`
	Line1        string `json:"line1"`
	Line2        string `json:"line2"`
	City         string `json:"city"`
	Province     string `json:"province"`
	ProvinceCode string `json:"province_code"`
	Zip          string `json:"zip"`
	CountryCode  string `json:"country_code"`
	Country      string `json:"country"`
	Phone        string `json:"phone"`
	Email        string `json:"email"`
}

type Item struct {
	SKU       string `json:"sku"`
	Title     string `json:"title"`
	Variant   string `json:"variant"`
	Qty       int    `json:"qty"`
	UnitPrice Amount `json:"unit_price"`
	RowTotal  Amount `json:"row_total"`
	WeightG   int64  `json:"weight_g"`
	Image     string `json:"image"`
}

type Payment struct {
	Method        string     `json:"method"`
	TransactionID string     `json:"transaction_id"`
	Amount        Amount     `json:"amount"`
	Currency      string     `json:"currency"`
	Status        string     `json:"status"`
	PaidAt        *time.Time `json:"paid_at"`
}

type Shipment struct {
	Carrier        string     `json:"carrier"`
	TrackingNumber string     `json:"tracking_number"`
	TrackingURL    string     `json:"tracking_url"`
	ShippedAt      *time.Time `json:"shipped_at"`
	Status         string     `json:"status"`
}

// Visibility says who can read a remark.
type Visibility string

const (
	Internal     Visibility = "internal"
	CustomerSide Visibility = "customer"
)

type Remark struct {
	Text       string     `json:"text"`
	Author     string     `json:"author"`
	At         *time.Time `json:"at"`
	Visibility Visibility `json:"visibility"`
}

// PendingEdit is an edit in the outbox not yet confirmed by the shop.
type PendingEdit struct {
	ID      string `json:"id"`
	Kind    string `json:"kind"`
	State   string `json:"state"`
	Summary string `json:"summary"`
	Error   string `json:"error"`
}

// MarshalJSON writes empty lists as [] rather than null, so scripts can
// iterate without a null check.
func (o Order) MarshalJSON() ([]byte, error) {
	type plain Order
	p := plain(o)
	p.RawStatus = orEmptyMap(p.RawStatus)
	p.Items = orEmpty(p.Items)
	p.Payments = orEmpty(p.Payments)
	p.Shipments = orEmpty(p.Shipments)
	p.Remarks = orEmpty(p.Remarks)
	p.Tags = orEmpty(p.Tags)
	p.Pending = orEmpty(p.Pending)
	return json.Marshal(p)
}

func orEmpty[T any](s []T) []T {
	if s == nil {
		return []T{}
	}
	return s
}

func orEmptyMap(m map[string]string) map[string]string {
	if m == nil {
		return map[string]string{}
	}
	return m
}

// UTC returns a pointer to t in UTC truncated to whole seconds, or nil when t
// is the zero time. Adapters use it for every time they store.
func UTC(t time.Time) *time.Time {
	if t.IsZero() {
		return nil
	}
	u := t.UTC().Truncate(time.Second)
	return &u
}
