package ymcart

import (
	"encoding/json"

	"orderdesk/backend"
)

// The wire rows. Every row also carries each column under a numeric key
// ("0", "1", ...: PHP FETCH_BOTH); the named tags below read the named keys
// and encoding/json ignores the numeric ones. All scalars are strings on
// the wire; the flex types also take numbers.

// listBody is an orderList or deliveryList answer.
type listBody struct {
	Code  backend.FlexInt               `json:"code"`
	Count backend.FlexInt               `json:"count"`
	Data  backend.List[json.RawMessage] `json:"data"`
}

type wireOrder struct {
	ID             backend.Flex `json:"id"`
	Itemno         backend.Flex `json:"itemno"`
	UserName       backend.Flex `json:"user_name"`
	OrderStatus    backend.Flex `json:"order_status"`
	PaymentStatus  backend.Flex `json:"payment_status"`
	ShippingStatus backend.Flex `json:"shipping_status"`
	AdminDescript  backend.Flex `json:"admin_descript"`
	PaymentMethod  backend.Flex `json:"payment_method"`
	CurrencyCode   backend.Flex `json:"currency_code"`
	CostProduct    backend.Flex `json:"cost_product"`
	CostShipping   backend.Flex `json:"cost_shipping"`
	CostPayment    backend.Flex `json:"cost_payment"`
	CostInsurance  backend.Flex `json:"cost_insurance"`
	CostOffer      backend.Flex `json:"cost_offer"`
	TotalAmount    backend.Flex `json:"total_amount"`
	Remark         backend.Flex `json:"remark"`
	Marked         backend.Flex `json:"marked"`
	CreateTime     backend.Unix `json:"create_time"`
	PayTime        backend.Unix `json:"pay_time"`
	ActTime        backend.Unix `json:"act_time"`

	Item        backend.List[wireItem]     `json:"item"`
	Delivery    backend.List[wireDelivery] `json:"delivery"`
	Address     backend.List[wireAddress]  `json:"address"`
	Payment     backend.List[wirePayment]  `json:"payment"`
	OrderRemark backend.List[wireRemark]   `json:"order_remark"`
}

type wireItem struct {
	GoodsName backend.Flex    `json:"goods_name"`
	GoodsCode backend.Flex    `json:"goods_codeno"`
	SKUCode   backend.Flex    `json:"sku_codeno"`
	SKUValue  backend.Flex    `json:"sku_value"`
	BuyNum    backend.FlexInt `json:"buy_num"`
	Price     backend.Flex    `json:"price"`
	Weight    backend.Flex    `json:"weight"`
	Image     backend.Flex    `json:"image"`
}

// wireDelivery is a shipment record: an order's delivery block and a
// deliveryList row have the same columns.
type wireDelivery struct {
	ID           backend.Flex `json:"id"`
	StoreID      backend.Flex `json:"store_id"`
	OrderID      backend.Flex `json:"order_id"`
	UserID       backend.Flex `json:"user_id"`
	DeliveryNo   backend.Flex `json:"delivery_no"`
	CarrierID    backend.Flex `json:"shipping_corp_id"`
	CarrierName  backend.Flex `json:"shipping_corp_name"`
	ShippingCost backend.Flex `json:"shipping_cost"`
	CreateTime   backend.Unix `json:"create_time"`
	DeliveryTime backend.Unix `json:"delivery_time"`
	Remark       backend.Flex `json:"remark"`
}

type wireAddress struct {
	Type        backend.Flex `json:"address_type"`
	FirstName   backend.Flex `json:"first_name"`
	LastName    backend.Flex `json:"last_name"`
	State       backend.Flex `json:"state"`
	City        backend.Flex `json:"city"`
	Address     backend.Flex `json:"address"`
	AddressMore backend.Flex `json:"address_spare"`
	Postcode    backend.Flex `json:"postcode"`
	Mobile      backend.Flex `json:"mobilephone"`
	Telephone   backend.Flex `json:"telephone"`
	Email       backend.Flex `json:"email"`
	CountryCode backend.Flex `json:"country_code_2"`
	CountryName backend.Flex `json:"country_name"`
}

type wirePayment struct {
	TradeNo     backend.Flex `json:"trade_no"`
	PayMethodNo backend.Flex `json:"pay_method_no"`
}

type wireRemark struct {
	Remark     backend.Flex `json:"remark"`
	CreateTime backend.Unix `json:"create_time"`
}
