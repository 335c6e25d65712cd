package simshop

import (
	"encoding/json"
	"fmt"
	"slices"
	"strconv"
	"strings"
	"time"

	"orderdesk/backend"
)

// time renders a time in the shop's zone with a numeric offset, or null.
func (p *shoplineSim) time(t *time.Time) any {
	if t == nil {
		return nil
	}
	return t.In(p.s.Opt.Timezone).Format("2006-01-02T15:04:05-07:00")
}

// money renders an amount the SHOPLINE way: a string with 2 decimals.
func shoplineMoney(a backend.Amount) string { return a.Fixed(2) }

func shoplineSet(a backend.Amount, cur string) map[string]any {
	return map[string]any{
		"shop_money":        map[string]any{"amount": shoplineMoney(shoplineUSD(a, cur)), "currency_code": "USD"},
		"presentment_money": map[string]any{"amount": shoplineMoney(a), "currency_code": cur},
	}
}

// lines returns the order's wire extras, with ids for items a test added
// through Mutate; the caller holds s.mu.
func (p *shoplineSim) lines(o *backend.Order) *shoplineExtra {
	x := p.extra[o.Number]
	for k := len(x.lineIDs); k < len(o.Items); k++ {
		x.lineIDs = append(x.lineIDs, x.lineIDs[0][:16]+fmt.Sprintf("%03d", 900+k))
		x.fulfilled = append(x.fulfilled, 0)
	}
	return x
}

// render writes the wire order from the truth; the caller holds s.mu.
func (p *shoplineSim) render(o *backend.Order) map[string]any {
	x, cur := p.lines(o), o.Currency
	m := map[string]any{
		"id":                    o.ID,
		"name":                  o.Number,
		"app_id":                "sim-app",
		"store_id":              "1672369729606",
		"order_source":          "web",
		"email":                 o.Customer.Email,
		"phone":                 o.Customer.Phone,
		"currency":              cur,
		"presentment_currency":  cur,
		"created_at":            p.time(o.CreatedAt),
		"updated_at":            p.time(o.UpdatedAt),
		"processed_at":          p.time(o.CreatedAt),
		"cancelled_at":          p.time(o.CancelledAt),
		"cancel_reason":         x.cancelReason,
		"financial_status":      o.RawStatus["financial_status"],
		"fulfillment_status":    nil,
		"hidden_order":          o.RawStatus["hidden_order"] == "true",
		"tags":                  strings.Join(o.Tags, ", "),
		"buyer_note":            o.BuyerNote,
		"customer_locale":       "en-US",
		"customer":              p.renderCustomer(o),
		"shipping_address":      p.renderAddress(o.ShippingAddress, true),
		"billing_address":       p.renderAddress(o.BillingAddress, false),
		"line_items":            p.renderLines(o, x),
		"fulfillments":          p.renderPackages(o, x),
		"payment_details":       p.renderPayments(o, x),
		"payment_gateway_names": p.gateways(o),
		"refunds":               []any{},
		"discount_codes":        []any{},
		"taxes_included":        false,
		"total_outstanding":     "0.00",
		"order_status_url":      p.s.URL() + "/orders/status/" + o.ID,
	}
	if ful := o.RawStatus["fulfillment_status"]; ful != "null" {
		m["fulfillment_status"] = ful
	}
	m["note"], m["note_attributes"] = p.renderNotes(o)
	p.renderMoney(m, o)
	return m
}

// renderNotes splits the remarks into the merchant `note` and the
// note_attributes log.
func (p *shoplineSim) renderNotes(o *backend.Order) (string, []any) {
	note, attrs := "", []any{}
	for _, rm := range o.Remarks {
		if rm.Author == shoplineNoteAuthor && rm.At == nil {
			note = rm.Text
			continue
		}
		attrs = append(attrs, map[string]any{"name": rm.Author, "value": rm.Text, "create_time": p.time(rm.At)})
	}
	return note, attrs
}

// renderMoney writes every amount as a 2-decimal string plus its *_set.
func (p *shoplineSim) renderMoney(m map[string]any, o *backend.Order) {
	t, cur := o.Totals, o.Currency
	net := t.Subtotal.Sub(t.Discount)
	for key, a := range map[string]backend.Amount{
		"total_line_items_price": t.Subtotal, "subtotal_price": net, "current_subtotal_price": net,
		"total_discounts": t.Discount, "current_total_discounts": t.Discount, "total_tax": t.Tax,
		"current_total_tax": t.Tax, "current_total_price": t.GrandTotal, "total_tip_received": t.Fee,
	} {
		m[key], m[key+"_set"] = shoplineMoney(a), shoplineSet(a, cur)
	}
	m["total_shipping_price_set"] = shoplineSet(t.Shipping, cur)
	m["shipping_lines"] = []any{map[string]any{
		"title": "Standard Shipping", "code": "STD", "source": "shopline",
		"price": shoplineMoney(t.Shipping), "price_set": shoplineSet(t.Shipping, cur),
		"shipping_price": shoplineMoney(t.Shipping), "discounted_price": shoplineMoney(t.Shipping),
		"tax_lines": []any{}, "discount_allocations": []any{},
	}}
}

func (p *shoplineSim) renderCustomer(o *backend.Order) map[string]any {
	first, last := o.Customer.Name, ""
	for _, who := range people {
		if who.full == o.Customer.Name {
			first, last = who.first, who.last
		}
	}
	return map[string]any{"id": "4200" + o.ID[len(o.ID)-8:], "email": o.Customer.Email, "phone": o.Customer.Phone,
		"first_name": first, "last_name": last, "currency": o.Currency}
}

func (p *shoplineSim) renderAddress(a *backend.Address, geo bool) any {
	if a == nil {
		return nil
	}
	first, last := a.Name, ""
	for _, who := range people {
		if who.full == a.Name {
			first, last = who.first, who.last
		}
	}
	m := map[string]any{"first_name": first, "last_name": last, "name": a.Name, "company": a.Company,
		"address1": a.Line1, "address2": a.Line2, "city": a.City, "province": a.Province,
		"province_code": a.ProvinceCode, "zip": a.Zip, "country": a.Country, "country_code": a.CountryCode, "phone": a.Phone}
	if geo {
		m["latitude"], m["longitude"] = "", ""
	}
	return m
}

func (p *shoplineSim) renderLines(o *backend.Order, x *shoplineExtra) []any {
	out := []any{}
	for k, it := range o.Items {
		done := x.fulfilled[k]
		var status any
		if done >= int64(it.Qty) {
			status = "fulfilled"
		} else if done > 0 {
			status = "partial"
		}
		out = append(out, map[string]any{"id": x.lineIDs[k], "product_id": "16057" + x.lineIDs[k][10:], "variant_id": "18057" + x.lineIDs[k][10:],
			"sku": it.SKU, "title": it.Title, "name": it.Title, "variant_title": it.Variant, "quantity": it.Qty,
			"fulfillable_quantity": int64(it.Qty) - done, "fulfillment_status": status, "price": shoplineMoney(it.UnitPrice),
			"grams": json.Number(strconv.FormatInt(it.WeightG, 10) + ".0"), "requires_shipping": true, "taxable": true,
			"tax_lines": []any{}, "discount_allocations": []any{}, "properties": []any{}, "vendor": "", "tags": ""})
	}
	return out
}

func (p *shoplineSim) renderPackages(o *backend.Order, x *shoplineExtra) []any {
	out := []any{}
	for k := range o.Shipments {
		out = append(out, p.renderPackage(o, x, k))
	}
	return out
}

func (p *shoplineSim) renderPackage(o *backend.Order, x *shoplineExtra, k int) map[string]any {
	sh := o.Shipments[k]
	lines := []any{}
	if k < len(x.packages) {
		for i, id := range x.lineIDs[:min(len(x.lineIDs), len(o.Items))] {
			if q := x.packages[k][i]; q > 0 {
				lines = append(lines, map[string]any{"id": id, "quantity": q, "sku": o.Items[i].SKU})
			}
		}
	}
	return map[string]any{"id": fmt.Sprintf("%s%02d", o.ID[:20], k+1), "order_id": o.ID, "name": fmt.Sprintf("%s.%d", o.Number, k+1),
		"status": sh.Status, "shipment_status": "fulfilled", "tracking_company": sh.Carrier, "tracking_number": sh.TrackingNumber,
		"tracking_url": sh.TrackingURL, "tracking_numbers": []string{sh.TrackingNumber}, "tracking_urls": []string{sh.TrackingURL},
		"line_items": lines, "created_at": p.time(sh.ShippedAt), "updated_at": p.time(sh.ShippedAt)}
}

// renderPayments: pay_amount is a JSON number (a double on SHOPLINE's side).
func (p *shoplineSim) renderPayments(o *backend.Order, x *shoplineExtra) []any {
	out := []any{}
	for _, pay := range o.Payments {
		deal := pay.TransactionID
		if deal == x.paySeq {
			deal = ""
		}
		out = append(out, map[string]any{"pay_seq": x.paySeq, "order_seq": o.ID, "pay_channel_deal_id": deal,
			"pay_amount": shoplineDouble(pay.Amount), "pay_status": pay.Status,
			"create_time": p.time(backend.UTC(o.CreatedAt.Add(time.Minute))), "processed_at": p.time(pay.PaidAt)})
	}
	return out
}

// shoplineDouble writes an amount the way Java prints a double: "42.5",
// "1200.0".
func shoplineDouble(a backend.Amount) json.Number {
	s := a.String()
	if strings.Contains(s, ".") {
		s = strings.TrimRight(strings.TrimRight(s, "0"), ".")
	}
	if !strings.Contains(s, ".") {
		s += ".0"
	}
	return json.Number(s)
}

func (p *shoplineSim) gateways(o *backend.Order) []string {
	out := []string{}
	for _, pay := range o.Payments {
		if !slices.Contains(out, pay.Method) {
			out = append(out, pay.Method)
		}
	}
	return out
}
