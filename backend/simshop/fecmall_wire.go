package simshop

import (
	"fmt"
	"strconv"
	"time"

	"orderdesk/backend"
)

// The wire shapes, in the field order of seed 001.
type fecmallWireOrder struct {
	ID                          int                `json:"id"`
	ShopID                      int                `json:"shop_id"`
	OrderNumber                 string             `json:"order_number"`
	ClientType                  int                `json:"client_type"`
	OrderStatus                 int                `json:"order_status"`
	PaymentStatus               int                `json:"payment_status"`
	FulfillmentStatus           int                `json:"fulfillment_status"`
	CheckoutType                int                `json:"checkout_type"`
	LangCode                    string             `json:"lang_code"`
	ItemsCount                  int                `json:"items_count"`
	Gram                        string             `json:"gram"`
	CurrencyCode                string             `json:"currency_code"`
	BaseCurrencyCode            string             `json:"base_currency_code"`
	OrderToBaseRate             string             `json:"order_to_base_rate"`
	CurrSubtotal                string             `json:"curr_subtotal"`
	BaseSubtotal                string             `json:"base_subtotal"`
	CurrShippingTotal           string             `json:"curr_shipping_total"`
	BaseShippingTotal           string             `json:"base_shipping_total"`
	CurrSubtotalWithDiscount    string             `json:"curr_subtotal_with_discount"`
	BaseSubtotalWithDiscount    string             `json:"base_subtotal_with_discount"`
	CurrGrandTotal              string             `json:"curr_grand_total"`
	BaseGrandTotal              string             `json:"base_grand_total"`
	CustomerType                int                `json:"customer_type"`
	CustomerID                  int                `json:"customer_id"`
	CustomerEmail               string             `json:"customer_email"`
	CustomerPhone               string             `json:"customer_phone"`
	CouponCode                  string             `json:"coupon_code"`
	DiscountSet                 []any              `json:"discount_set"`
	PaymentMethod               string             `json:"payment_method"`
	PaymentPositionType         int                `json:"payment_position_type"`
	PaymentFee                  string             `json:"payment_fee"`
	ShippingMethodID            int                `json:"shipping_method_id"`
	ShippingMethodName          string             `json:"shipping_method_name"`
	Note                        string             `json:"note"`
	CancelledAt                 int64              `json:"cancelled_at"`
	CancelReason                int                `json:"cancel_reason"`
	PayedAt                     int64              `json:"payed_at"`
	CreatedAt                   string             `json:"created_at"`
	UpdatedAt                   string             `json:"updated_at"`
	BillingIsUseShippingAddress int                `json:"billing_is_use_shipping_address"`
	RecallStatus                int                `json:"recall_status"`
	RecalledAt                  int64              `json:"recalled_at"`
	FulfilledAt                 int64              `json:"fulfilled_at"`
	PostSaledAt                 int64              `json:"post_saled_at"`
	PostSaleStatus              int                `json:"post_sale_status"`
	Tags                        []string           `json:"tags"` // null when none, as in the seed
	FistLoadingURL              string             `json:"fist_loading_url"`
	AffiliateTrackingID         string             `json:"affiliate_tracking_id"`
	PayTxnID                    *string            `json:"pay_txn_id,omitempty"`
	Items                       *[]fecmallWireItem `json:"items,omitempty"`
	ShippingAddress             any                `json:"shippingAddress,omitempty"`
	BillingAddress              any                `json:"billingAddress,omitempty"`
}

type fecmallWireItem struct {
	ID           int    `json:"id"`
	OrderID      int    `json:"order_id"`
	ProductID    int    `json:"product_id"`
	VariantID    int    `json:"variant_id"`
	SKU          string `json:"sku"`
	VariantTitle string `json:"variant_title"`
	ProductTitle string `json:"product_title"`
	Image        string `json:"image"`
	Gram         string `json:"gram"`
	BasePrice    string `json:"base_price"`
	CurrPrice    string `json:"curr_price"`
	Qty          int    `json:"qty"`
	CurrRowPrice string `json:"curr_row_price"`
	RowGram      string `json:"row_gram"`
	BaseRowPrice string `json:"base_row_price"`
	IsReviewed   int    `json:"is_reviewed"`
}

type fecmallWireAddress struct {
	ID           int     `json:"id"`
	OrderID      int     `json:"order_id"`
	FirstName    string  `json:"first_name"`
	LastName     string  `json:"last_name"`
	Phone        *string `json:"phone,omitempty"` // shipping address only
	Company      string  `json:"company"`
	Address1     string  `json:"address_1"`
	Address2     string  `json:"address_2"`
	City         string  `json:"city"`
	CountryCode  string  `json:"country_code"`
	ProvinceCode string  `json:"province_code"`
	Zip          string  `json:"zip"`
}

// wire renders the truth as an order_info object; full adds items,
// addresses and pay_txn_id. The caller holds s.mu.
func (f *fecmallSim) wire(s *Server, o *backend.Order, full bool) fecmallWireOrder {
	id, _ := strconv.Atoi(o.ID)
	code := func(k string) int { n, _ := strconv.Atoi(o.RawStatus[k]); return n }
	cur, base := o.Currency, "USD"
	if o.Base != nil {
		base = o.Base.Currency
	}
	inBase := func(a backend.Amount) string { return fecmallToBase(a, cur).Fixed(2) }
	w := fecmallWireOrder{
		ID: id, ShopID: 15, OrderNumber: o.Number, ClientType: 1 + id%5, CheckoutType: 1 + id%3, LangCode: "en",
		OrderStatus: code("order_status"), PaymentStatus: code("payment_status"), FulfillmentStatus: code("fulfillment_status"),
		CurrencyCode: cur, BaseCurrencyCode: base,
		OrderToBaseRate: fecmallRateText(cur),
		CurrSubtotal:    o.Totals.Subtotal.Fixed(2), BaseSubtotal: inBase(o.Totals.Subtotal),
		CurrShippingTotal: o.Totals.Shipping.Fixed(2), BaseShippingTotal: inBase(o.Totals.Shipping),
		CurrSubtotalWithDiscount: o.Totals.Discount.Fixed(2), BaseSubtotalWithDiscount: inBase(o.Totals.Discount),
		CurrGrandTotal: o.Totals.GrandTotal.Fixed(2), BaseGrandTotal: inBase(o.Totals.GrandTotal),
		CustomerType: 2, CustomerID: 70 + id%40, CustomerEmail: o.Customer.Email, CustomerPhone: o.Customer.Phone,
		DiscountSet: []any{}, PaymentPositionType: 1, PaymentFee: o.Totals.Fee.Fixed(2),
		ShippingMethodID: 24, ShippingMethodName: "Standard", Note: o.BuyerNote,
		CancelledAt: fecmallUnix(o.CancelledAt), PayedAt: fecmallUnix(o.PaidAt),
		CreatedAt: naive(o.CreatedAt, s.Opt.Timezone), UpdatedAt: naive(o.UpdatedAt, s.Opt.Timezone),
		RecallStatus: 2, PostSaleStatus: 1, Tags: o.Tags, FistLoadingURL: "https://diydomain.fecmall.cn/",
	}
	if w.OrderStatus == 4 {
		w.CancelReason = 2
	}
	if o.Base != nil {
		w.BaseGrandTotal = o.Base.GrandTotal.Fixed(2)
	}
	txn := ""
	if len(o.Payments) > 0 {
		w.PaymentMethod, txn = o.Payments[0].Method, o.Payments[0].TransactionID
	}
	if n := len(o.Shipments); n > 0 {
		w.FulfilledAt = fecmallUnix(o.Shipments[n-1].ShippedAt)
	}
	items := make([]fecmallWireItem, len(o.Items))
	var grams int64
	for k, it := range o.Items {
		grams += it.WeightG * int64(it.Qty)
		w.ItemsCount += it.Qty
		items[k] = fecmallWireItem{
			ID: id*10 + k, OrderID: id, ProductID: 100 + k, VariantID: 1000 + k, SKU: it.SKU,
			VariantTitle: it.Variant, ProductTitle: it.Title, Image: it.Image,
			Gram: fmt.Sprintf("%d.00", it.WeightG), RowGram: fmt.Sprintf("%d.00", it.WeightG*int64(it.Qty)),
			CurrPrice: it.UnitPrice.Fixed(2), BasePrice: inBase(it.UnitPrice), Qty: it.Qty,
			CurrRowPrice: it.RowTotal.Fixed(2), BaseRowPrice: inBase(it.RowTotal), IsReviewed: 2,
		}
	}
	w.Gram = fmt.Sprintf("%d.00", grams)
	w.BillingIsUseShippingAddress = 2
	if full {
		w.PayTxnID, w.Items = &txn, &items
		w.ShippingAddress, w.BillingAddress = f.wireAddress(o, o.ShippingAddress, true), f.wireAddress(o, o.BillingAddress, false)
		if o.BillingAddress != nil && o.ShippingAddress != nil && *o.BillingAddress == *o.ShippingAddress {
			w.BillingIsUseShippingAddress, w.BillingAddress = 1, []any{}
		}
	}
	return w
}

// wireAddress renders an address, or [] (PHP's empty array) when there is none.
func (f *fecmallSim) wireAddress(o *backend.Order, a *backend.Address, shipping bool) any {
	if a == nil {
		return []any{}
	}
	id, _ := strconv.Atoi(o.ID)
	first, last := a.Name, ""
	if n, ok := f.names[o.Number]; ok && backend.PersonName(n[0], n[1]) == a.Name {
		first, last = n[0], n[1]
	}
	w := fecmallWireAddress{
		ID: id - 342, OrderID: id, FirstName: first, LastName: last, Company: a.Company,
		Address1: a.Line1, Address2: a.Line2, City: a.City, CountryCode: a.CountryCode, ProvinceCode: a.ProvinceCode, Zip: a.Zip,
	}
	if shipping {
		phone := a.Phone
		w.Phone = &phone
	} else {
		w.ID += 100000
	}
	return w
}

func fecmallUnix(t *time.Time) int64 {
	if t == nil {
		return 0
	}
	return t.Unix()
}

// fecmallRateText is order_to_base_rate: one unit of cur in USD, 4 decimals.
func fecmallRateText(cur string) string {
	v := int64(1000000) // 10⁻⁴ USD per minor unit, ×rate
	for range backend.MinorUnits(cur) {
		v *= 10
	}
	v /= fecmallRate(cur)
	return fmt.Sprintf("%d.%04d", v/10000, v%10000)
}
