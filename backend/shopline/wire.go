package shopline

import (
	"orderdesk/backend"
)

// The wire shapes of SHOPLINE's order object (seed 002, PLATFORMS.md §3.7),
// reduced to the fields the desk reads. Every scalar is tolerant (backend.Flex
// and friends): ids are strings that may exceed int64, amounts are decimal
// strings, `*_set` objects carry shop and presentment money.

type wireOrder struct {
	ID                  backend.Flex                   `json:"id"`
	Name                backend.Flex                   `json:"name"`
	Email               backend.Flex                   `json:"email"`
	Phone               backend.Flex                   `json:"phone"`
	Currency            backend.Flex                   `json:"currency"`
	PresentmentCurrency backend.Flex                   `json:"presentment_currency"`
	CreatedAt           backend.Flex                   `json:"created_at"`
	UpdatedAt           backend.Flex                   `json:"updated_at"`
	CancelledAt         backend.Flex                   `json:"cancelled_at"`
	FinancialStatus     backend.Flex                   `json:"financial_status"`
	FulfillmentStatus   backend.Flex                   `json:"fulfillment_status"`
	HiddenOrder         backend.Flex                   `json:"hidden_order"`
	Tags                backend.Flex                   `json:"tags"`
	Note                backend.Flex                   `json:"note"`
	BuyerNote           backend.Flex                   `json:"buyer_note"`
	NoteAttributes      backend.List[wireNote]         `json:"note_attributes"`
	Customer            backend.Obj[wireCustomer]      `json:"customer"`
	ShippingAddress     backend.Obj[wireAddress]       `json:"shipping_address"`
	BillingAddress      backend.Obj[wireAddress]       `json:"billing_address"`
	LineItems           backend.List[wireLineItem]     `json:"line_items"`
	ShippingLines       backend.List[wireShippingLine] `json:"shipping_lines"`
	Fulfillments        backend.List[wireFulfillment]  `json:"fulfillments"`
	PaymentDetails      backend.List[wirePayment]      `json:"payment_details"`
	PaymentGateways     backend.List[backend.Flex]     `json:"payment_gateway_names"`

	TotalLineItemsPrice   backend.Amount            `json:"total_line_items_price"`
	CurrentTotalDiscounts backend.Amount            `json:"current_total_discounts"`
	CurrentTotalTax       backend.Amount            `json:"current_total_tax"`
	CurrentTotalPrice     backend.Amount            `json:"current_total_price"`
	TotalTipReceived      backend.Amount            `json:"total_tip_received"`
	CurrentTotalPriceSet  backend.Obj[wireMoneySet] `json:"current_total_price_set"`
}

type wireMoneySet struct {
	ShopMoney        backend.Obj[wireMoney] `json:"shop_money"`
	PresentmentMoney backend.Obj[wireMoney] `json:"presentment_money"`
}

type wireMoney struct {
	Amount       backend.Amount `json:"amount"`
	CurrencyCode backend.Flex   `json:"currency_code"`
}

type wireCustomer struct {
	ID        backend.Flex `json:"id"`
	Email     backend.Flex `json:"email"`
	FirstName backend.Flex `json:"first_name"`
	LastName  backend.Flex `json:"last_name"`
	Phone     backend.Flex `json:"phone"`
}

type wireAddress struct {
	FirstName    backend.Flex `json:"first_name"`
	LastName     backend.Flex `json:"last_name"`
	Name         backend.Flex `json:"name"`
	Company      backend.Flex `json:"company"`
	Address1     backend.Flex `json:"address1"`
	Address2     backend.Flex `json:"address2"`
	City         backend.Flex `json:"city"`
	Province     backend.Flex `json:"province"`
	ProvinceCode backend.Flex `json:"province_code"`
	Zip          backend.Flex `json:"zip"`
	Country      backend.Flex `json:"country"`
	CountryCode  backend.Flex `json:"country_code"`
	Phone        backend.Flex `json:"phone"`
}

type wireLineItem struct {
	ID                  backend.Flex    `json:"id"`
	SKU                 backend.Flex    `json:"sku"`
	Title               backend.Flex    `json:"title"`
	Name                backend.Flex    `json:"name"`
	VariantTitle        backend.Flex    `json:"variant_title"`
	Quantity            backend.FlexInt `json:"quantity"`
	FulfillableQuantity backend.FlexInt `json:"fulfillable_quantity"`
	FulfillmentStatus   backend.Flex    `json:"fulfillment_status"`
	Price               backend.Amount  `json:"price"`
	Grams               backend.Flex    `json:"grams"`
}

type wireShippingLine struct {
	Title backend.Flex   `json:"title"`
	Price backend.Amount `json:"price"`
}

type wireFulfillment struct {
	ID              backend.Flex `json:"id"`
	Name            backend.Flex `json:"name"`
	Status          backend.Flex `json:"status"`
	TrackingCompany backend.Flex `json:"tracking_company"`
	TrackingNumber  backend.Flex `json:"tracking_number"`
	TrackingURL     backend.Flex `json:"tracking_url"`
	CreatedAt       backend.Flex `json:"created_at"`
}

type wirePayment struct {
	PaySeq           backend.Flex `json:"pay_seq"`
	PayChannelDealID backend.Flex `json:"pay_channel_deal_id"`
	PayAmount        backend.Flex `json:"pay_amount"` // a JSON double: read from its literal text
	PayStatus        backend.Flex `json:"pay_status"`
	CreateTime       backend.Flex `json:"create_time"`
	ProcessedAt      backend.Flex `json:"processed_at"`
}

type wireNote struct {
	Name       backend.Flex `json:"name"`
	Value      backend.Flex `json:"value"`
	CreateTime backend.Flex `json:"create_time"`
}

// wireUserError is one entry of the user_errors an archive/unarchive
// answer may carry.
type wireUserError struct {
	Code    backend.Flex `json:"code"`
	Field   backend.Flex `json:"field"`
	Message backend.Flex `json:"message"`
}
