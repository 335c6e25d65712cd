package ymcart

import (
	"encoding/json"

	"orderdesk/backend/internal/adapt"
)

// The wire rows. Every row also carries each column under a numeric key
// ("0", "1", ...: PHP FETCH_BOTH); the named tags below read the named keys
// and encoding/json ignores the numeric ones. All scalars are strings on
// the wire; the flex types also take numbers.

// listBody is an orderList or deliveryList answer.
type listBody struct {
	Code  adapt.FlexInt               `json:"code"`
	Count adapt.FlexInt               `json:"count"`
	Data  adapt.List[json.RawMessage] `json:"data"`
}

type wireOrder struct {
	ID             adapt.Flex `json:"id"`
	Itemno         adapt.Flex `json:"itemno"`
	UserName       adapt.Flex `json:"user_name"`
	OrderStatus    adapt.Flex `json:"order_status"`
	PaymentStatus  adapt.Flex `json:"payment_status"`
	ShippingStatus adapt.Flex `json:"shipping_status"`
	AdminDescript  adapt.Flex `json:"admin_descript"`
	PaymentMethod  adapt.Flex `json:"payment_method"`
	CurrencyCode   adapt.Flex `json:"currency_code"`
	CostProduct    adapt.Flex `json:"cost_product"`
	CostShipping   adapt.Flex `json:"cost_shipping"`
	CostPayment    adapt.Flex `json:"cost_payment"`
	CostInsurance  adapt.Flex `json:"cost_insurance"`
	CostOffer      adapt.Flex `json:"cost_offer"`
	TotalAmount    adapt.Flex `json:"total_amount"`
	Remark         adapt.Flex `json:"remark"`
	Marked         adapt.Flex `json:"marked"`
	CreateTime     adapt.Unix `json:"create_time"`
	PayTime        adapt.Unix `json:"pay_time"`
	ActTime        adapt.Unix `json:"act_time"`

	Item        adapt.List[wireItem]     `json:"item"`
	Delivery    adapt.List[wireDelivery] `json:"delivery"`
	Address     adapt.List[wireAddress]  `json:"address"`
	Payment     adapt.List[wirePayment]  `json:"payment"`
	OrderRemark adapt.List[wireRemark]   `json:"order_remark"`
}

type wireItem struct {
	GoodsName adapt.Flex    `json:"goods_name"`
	GoodsCode adapt.Flex    `json:"goods_codeno"`
	SKUCode   adapt.Flex    `json:"sku_codeno"`
	SKUValue  adapt.Flex    `json:"sku_value"`
	BuyNum    adapt.FlexInt `json:"buy_num"`
	Price     adapt.Flex    `json:"price"`
	Weight    adapt.Flex    `json:"weight"`
	Image     adapt.Flex    `json:"image"`
}

// wireDelivery is a shipment record: an order's delivery block and a
// deliveryList row have the same columns.
type wireDelivery struct {
	ID           adapt.Flex `json:"id"`
	StoreID      adapt.Flex `json:"store_id"`
	OrderID      adapt.Flex `json:"order_id"`
	UserID       adapt.Flex `json:"user_id"`
	DeliveryNo   adapt.Flex `json:"delivery_no"`
	CarrierID    adapt.Flex `json:"shipping_corp_id"`
	CarrierName  adapt.Flex `json:"shipping_corp_name"`
	ShippingCost adapt.Flex `json:"shipping_cost"`
	CreateTime   adapt.Unix `json:"create_time"`
	DeliveryTime adapt.Unix `json:"delivery_time"`
	Remark       adapt.Flex `json:"remark"`
}

type wireAddress struct {
	Type        adapt.Flex `json:"address_type"`
	FirstName   adapt.Flex `json:"first_name"`
	LastName    adapt.Flex `json:"last_name"`
	State       adapt.Flex `json:"state"`
	City        adapt.Flex `json:"city"`
	Address     adapt.Flex `json:"address"`
	AddressMore adapt.Flex `json:"address_spare"`
	Postcode    adapt.Flex `json:"postcode"`
	Mobile      adapt.Flex `json:"mobilephone"`
	Telephone   adapt.Flex `json:"telephone"`
	Email       adapt.Flex `json:"email"`
	CountryCode adapt.Flex `json:"country_code_2"`
	CountryName adapt.Flex `json:"country_name"`
}

type wirePayment struct {
	TradeNo     adapt.Flex `json:"trade_no"`
	PayMethodNo adapt.Flex `json:"pay_method_no"`
}

type wireRemark struct {
	Remark     adapt.Flex `json:"remark"`
	CreateTime adapt.Unix `json:"create_time"`
}
