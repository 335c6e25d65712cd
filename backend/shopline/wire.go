package shopline

import (
	"orderdesk/backend"
	"orderdesk/backend/internal/adapt"
)

// The wire shapes of SHOPLINE's order object (seed 002, PLATFORMS.md §3.7),
// reduced to the fields the desk reads. Every scalar is tolerant (adapt.Flex
// and friends): ids are strings that may exceed int64, amounts are decimal
// strings, `*_set` objects carry shop and presentment money.

type wireOrder struct {
	ID                  adapt.Flex                   `json:"id"`
	Name                adapt.Flex                   `json:"name"`
	Email               adapt.Flex                   `json:"email"`
	Phone               adapt.Flex                   `json:"phone"`
	Currency            adapt.Flex                   `json:"currency"`
	PresentmentCurrency adapt.Flex                   `json:"presentment_currency"`
	CreatedAt           adapt.Flex                   `json:"created_at"`
	UpdatedAt           adapt.Flex                   `json:"updated_at"`
	CancelledAt         adapt.Flex                   `json:"cancelled_at"`
	FinancialStatus     adapt.Flex                   `json:"financial_status"`
	FulfillmentStatus   adapt.Flex                   `json:"fulfillment_status"`
	HiddenOrder         adapt.Flex                   `json:"hidden_order"`
	Tags                adapt.Flex                   `json:"tags"`
	Note                adapt.Flex                   `json:"note"`
	BuyerNote           adapt.Flex                   `json:"buyer_note"`
	NoteAttributes      adapt.List[wireNote]         `json:"note_attributes"`
	Customer            adapt.Obj[wireCustomer]      `json:"customer"`
	ShippingAddress     adapt.Obj[wireAddress]       `json:"shipping_address"`
	BillingAddress      adapt.Obj[wireAddress]       `json:"billing_address"`
	LineItems           adapt.List[wireLineItem]     `json:"line_items"`
	ShippingLines       adapt.List[wireShippingLine] `json:"shipping_lines"`
	Fulfillments        adapt.List[wireFulfillment]  `json:"fulfillments"`
	PaymentDetails      adapt.List[wirePayment]      `json:"payment_details"`
	PaymentGateways     adapt.List[adapt.Flex]       `json:"payment_gateway_names"`

	TotalLineItemsPrice   backend.Amount          `json:"total_line_items_price"`
	CurrentTotalDiscounts backend.Amount          `json:"current_total_discounts"`
	CurrentTotalTax       backend.Amount          `json:"current_total_tax"`
	CurrentTotalPrice     backend.Amount          `json:"current_total_price"`
	TotalTipReceived      backend.Amount          `json:"total_tip_received"`
	CurrentTotalPriceSet  adapt.Obj[wireMoneySet] `json:"current_total_price_set"`
}

type wireMoneySet struct {
	ShopMoney        adapt.Obj[wireMoney] `json:"shop_money"`
	PresentmentMoney adapt.Obj[wireMoney] `json:"presentment_money"`
}

type wireMoney struct {
	Amount       backend.Amount `json:"amount"`
	CurrencyCode adapt.Flex     `json:"currency_code"`
}

type wireCustomer struct {
	ID        adapt.Flex `json:"id"`
	Email     adapt.Flex `json:"email"`
	FirstName adapt.Flex `json:"first_name"`
	LastName  adapt.Flex `json:"last_name"`
	Phone     adapt.Flex `json:"phone"`
}

type wireAddress struct {
	FirstName    adapt.Flex `json:"first_name"`
	LastName     adapt.Flex `json:"last_name"`
	Name         adapt.Flex `json:"name"`
	Company      adapt.Flex `json:"company"`
	Address1     adapt.Flex `json:"address1"`
	Address2     adapt.Flex `json:"address2"`
	City         adapt.Flex `json:"city"`
	Province     adapt.Flex `json:"province"`
	ProvinceCode adapt.Flex `json:"province_code"`
	Zip          adapt.Flex `json:"zip"`
	Country      adapt.Flex `json:"country"`
	CountryCode  adapt.Flex `json:"country_code"`
	Phone        adapt.Flex `json:"phone"`
}

type wireLineItem struct {
	ID                  adapt.Flex     `json:"id"`
	SKU                 adapt.Flex     `json:"sku"`
	Title               adapt.Flex     `json:"title"`
	Name                adapt.Flex     `json:"name"`
	VariantTitle        adapt.Flex     `json:"variant_title"`
	Quantity            adapt.FlexInt  `json:"quantity"`
	FulfillableQuantity adapt.FlexInt  `json:"fulfillable_quantity"`
	FulfillmentStatus   adapt.Flex     `json:"fulfillment_status"`
	Price               backend.Amount `json:"price"`
	Grams               adapt.Flex     `json:"grams"`
}

type wireShippingLine struct {
	Title adapt.Flex     `json:"title"`
	Price backend.Amount `json:"price"`
}

type wireFulfillment struct {
	ID              adapt.Flex `json:"id"`
	Name            adapt.Flex `json:"name"`
	Status          adapt.Flex `json:"status"`
	TrackingCompany adapt.Flex `json:"tracking_company"`
	TrackingNumber  adapt.Flex `json:"tracking_number"`
	TrackingURL     adapt.Flex `json:"tracking_url"`
	CreatedAt       adapt.Flex `json:"created_at"`
}

type wirePayment struct {
	PaySeq           adapt.Flex `json:"pay_seq"`
	PayChannelDealID adapt.Flex `json:"pay_channel_deal_id"`
	PayAmount        adapt.Flex `json:"pay_amount"` // a JSON double: read from its literal text
	PayStatus        adapt.Flex `json:"pay_status"`
	CreateTime       adapt.Flex `json:"create_time"`
	ProcessedAt      adapt.Flex `json:"processed_at"`
}

type wireNote struct {
	Name       adapt.Flex `json:"name"`
	Value      adapt.Flex `json:"value"`
	CreateTime adapt.Flex `json:"create_time"`
}

// wireUserError is one entry of the user_errors an archive/unarchive
// answer may carry.
type wireUserError struct {
	Code    adapt.Flex `json:"code"`
	Field   adapt.Flex `json:"field"`
	Message adapt.Flex `json:"message"`
}
