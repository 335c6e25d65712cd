package ymcart

import (
	"cmp"
	"strconv"
	"strings"

	"orderdesk/backend"
	"orderdesk/backend/internal/adapt"
)

// items: sku is the merchant SKU (sku_codeno, else goods_codeno), the row
// total is price × buy_num (the wire has no row total), weight is kg on the
// wire and grams in the desk.
func items(rows []wireItem, cur string) ([]backend.Item, error) {
	var out []backend.Item
	for i, r := range rows {
		field := "item[" + strconv.Itoa(i) + "]."
		price, err := amount(field+"price", r.Price.String(), cur)
		if err != nil {
			return nil, err
		}
		grams, err := adapt.KgToGrams(r.Weight.String())
		if err != nil {
			return nil, badField(field+"weight", "%v", err)
		}
		out = append(out, backend.Item{
			SKU:       strings.TrimSpace(cmp.Or(r.SKUCode.String(), r.GoodsCode.String())),
			Title:     strings.TrimSpace(r.GoodsName.String()),
			Variant:   variant(r.SKUValue.String()),
			Qty:       r.BuyNum.Int(),
			UnitPrice: price,
			RowTotal:  price.MulInt(r.BuyNum.V),
			WeightG:   grams,
			Image:     strings.TrimSpace(r.Image.String()),
		})
	}
	return out, nil
}

// shipment is the order's delivery record as a shipment (Delivery.Shipment).
func (d wireDelivery) shipment() backend.Shipment {
	return Delivery{
		TrackingNumber: strings.TrimSpace(d.DeliveryNo.String()),
		Carrier:        strings.TrimSpace(d.CarrierName.String()),
		CreatedAt:      d.CreateTime.Ptr(),
		DeliveredAt:    d.DeliveryTime.Ptr(),
	}.Shipment()
}

// remarks: admin_descript (the admin's note on the order) first, then the
// order_remark rows that orderRemark appends. All are internal: YMCart
// shows neither to the buyer. Rows carry no author.
func remarks(w wireOrder) []backend.Remark {
	var out []backend.Remark
	if t := strings.TrimSpace(w.AdminDescript.String()); t != "" {
		out = append(out, backend.Remark{Text: t, Author: "admin", Visibility: backend.Internal})
	}
	for _, r := range w.OrderRemark {
		if t := strings.TrimSpace(r.Remark.String()); t != "" {
			out = append(out, backend.Remark{Text: t, At: r.CreateTime.Ptr(), Visibility: backend.Internal})
		}
	}
	return out
}

// payment is the order's one payment: method, total and status from the
// order, paid at pay_time; the transaction id is the gateway's number
// (pay_method_no) of the last payment record that has one, else its
// trade_no.
func payment(w wireOrder, o *backend.Order) backend.Payment {
	p := backend.Payment{
		Method:   strings.TrimSpace(w.PaymentMethod.String()),
		Amount:   o.Totals.GrandTotal,
		Currency: o.Currency,
		Status:   string(o.State.Payment),
		PaidAt:   o.PaidAt,
	}
	for _, r := range w.Payment {
		if id := strings.TrimSpace(cmp.Or(r.PayMethodNo.String(), r.TradeNo.String())); id != "" {
			p.TransactionID = id
		}
	}
	return p
}
