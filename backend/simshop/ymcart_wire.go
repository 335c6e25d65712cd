package simshop

import (
	"bytes"
	"cmp"
	"fmt"
	"hash/fnv"
	"net/http"
	"strconv"
	"strings"
	"time"
	"unicode/utf16"

	"orderdesk/backend"
)

// ymcartKV is one key of a wire row; twin adds the numeric FETCH_BOTH key.
type ymcartKV struct {
	key  string
	val  any
	twin bool
}

type ymcartRow []ymcartKV

// ymcartBoth builds a FETCH_BOTH row from key, value pairs.
func ymcartBoth(pairs ...any) ymcartRow {
	r := make(ymcartRow, 0, len(pairs)/2)
	for i := 0; i+1 < len(pairs); i += 2 {
		r = append(r, ymcartKV{key: pairs[i].(string), val: pairs[i+1], twin: true})
	}
	return r
}

// with adds fields without a numeric twin.
func (r ymcartRow) with(pairs ...any) ymcartRow {
	for i := 0; i+1 < len(pairs); i += 2 {
		r = append(r, ymcartKV{key: pairs[i].(string), val: pairs[i+1]})
	}
	return r
}

func ymcartWrite(w http.ResponseWriter, status int, v ymcartRow) {
	var b bytes.Buffer
	ymcartEncode(&b, v)
	w.Header().Set("Content-Type", "text/html; charset=utf-8")
	w.WriteHeader(status)
	_, _ = w.Write(b.Bytes())
}

// ymcartEncode writes JSON in key order, the way the shop's PHP does.
func ymcartEncode(b *bytes.Buffer, v any) {
	switch v := v.(type) {
	case nil:
		b.WriteString("null")
	case string:
		ymcartString(b, v)
	case int:
		b.WriteString(strconv.Itoa(v))
	case ymcartRow:
		b.WriteByte('{')
		n := 0
		for i, f := range v {
			if i > 0 {
				b.WriteByte(',')
			}
			if f.twin {
				ymcartString(b, strconv.Itoa(n))
				b.WriteByte(':')
				ymcartEncode(b, f.val)
				b.WriteByte(',')
				n++
			}
			ymcartString(b, f.key)
			b.WriteByte(':')
			ymcartEncode(b, f.val)
		}
		b.WriteByte('}')
	case [][]byte: // rows already encoded (Server.lockedWire)
		b.WriteByte('[')
		for i, r := range v {
			if i > 0 {
				b.WriteByte(',')
			}
			b.Write(r)
		}
		b.WriteByte(']')
	case []ymcartRow:
		b.WriteByte('[')
		for i, r := range v {
			if i > 0 {
				b.WriteByte(',')
			}
			ymcartEncode(b, r)
		}
		b.WriteByte(']')
	default:
		panic(fmt.Sprintf("ymcartEncode: %T", v))
	}
}

// ymcartString escapes like PHP's json_encode with unescaped slashes:
// non-ASCII as \uXXXX.
func ymcartString(b *bytes.Buffer, s string) {
	b.WriteByte('"')
	for _, r := range s {
		switch {
		case r == '"' || r == '\\':
			b.WriteByte('\\')
			b.WriteRune(r)
		case r < 0x20:
			fmt.Fprintf(b, `\u%04x`, r)
		case r < 0x80:
			b.WriteRune(r)
		case r > 0xFFFF:
			r1, r2 := utf16.EncodeRune(r)
			fmt.Fprintf(b, `\u%04x\u%04x`, r1, r2)
		default:
			fmt.Fprintf(b, `\u%04x`, r)
		}
	}
	b.WriteByte('"')
}

// ymcartStr reads a JSON value the way PHP's loose typing does.
func ymcartStr(v any) string {
	switch v := v.(type) {
	case string:
		return v
	case float64:
		return strconv.FormatFloat(v, 'f', -1, 64)
	}
	return ""
}

// ymcartMoney is an amount with the wire's 4 decimals.
func ymcartMoney(a backend.Amount) string { return a.Fixed(4) }

// ymcartKg writes grams as kilograms with 4 decimals.
func ymcartKg(g int64) string { return fmt.Sprintf("%d.%04d", g/1000, g%1000*10) }

// orderRow renders one order from the truth; the caller holds s.mu.
func (y *ymcartSim) orderRow(o *backend.Order) ymcartRow {
	x := y.extra[o.Number]
	pay := ymcartPayment(o)
	payID := ymcartPayIDs[pay.Method]
	var userName, admin any
	if x.registered {
		userName = o.Customer.Name
	}
	if len(o.Remarks) > 0 && o.Remarks[0].Author == "admin" {
		admin = o.Remarks[0].Text
	}
	var grams int64
	for _, it := range o.Items {
		grams += it.WeightG * int64(it.Qty)
	}
	act := "0"
	if x.acted {
		act = unixStr(o.UpdatedAt)
	}
	corp := "0"
	if n := len(o.Shipments); n > 0 {
		corp = strconv.Itoa(ymcartCarrierID(o.Shipments[n-1].Carrier))
	}
	marked := "0"
	if len(o.Tags) > 0 {
		marked = cmp.Or(strings.TrimPrefix(strings.TrimPrefix(o.Tags[0], "marked"), ":"), "1")
	}
	ins := o.Totals.Fee.Sub(x.payFee)
	row := ymcartBoth(
		"id", o.ID, "itemno", o.Number, "outer_itemno", nil, "store_id", "24073",
		"user_id", strconv.Itoa(x.userID), "user_name", userName,
		"order_status", o.RawStatus["order_status"], "payment_status", o.RawStatus["payment_status"],
		"shipping_status", o.RawStatus["shipping_status"], "account_descript", nil, "system_descript", nil,
		"admin_descript", admin, "total_weight", ymcartKg(grams), "currency_rate", ymcartRates[o.Currency],
		"shipping_id", "136", "shipping_method", "Standard Shipping", "shipping_corp_id", corp,
		"payment_id", strconv.Itoa(payID), "payment_method", pay.Method, "currency_code", o.Currency,
		"cost_product", ymcartMoney(o.Totals.Subtotal), "cost_shipping", ymcartMoney(o.Totals.Shipping),
		"cost_payment", ymcartMoney(x.payFee), "cost_insurance", ymcartMoney(ins),
		"cost_offer", ymcartMoney(o.Totals.Discount), "total_amount", ymcartMoney(o.Totals.GrandTotal),
		"country_id", strconv.Itoa(ymcartCountries[ymcartCountry(o)].id), "ip", strconv.FormatUint(uint64(x.ip), 10),
		"remark", o.BuyerNote, "marked", marked, "create_time", unixStr(o.CreatedAt), "pay_time", unixStr(o.PaidAt),
		"act_time", act, "source_device", []string{"pc", "phone", "pad"}[x.id%3], "source", "", "utm_source", "", "utm_medium", "",
	).with("shipping_corp_codeno", nil, "item", y.itemRows(o), "delivery", y.deliveryBlock(o), "address", y.addressRows(o, x))
	if o.PaidAt != nil {
		row = row.with("payment", []ymcartRow{y.paymentRow(o, x, payID)})
	}
	if !o.Totals.Discount.IsZero() {
		row = row.with("offer", []ymcartRow{ymcartBoth("id", o.ID, "order_id", o.ID, "store_id", "24073", "offer_id", "7",
			"base_name", "10% off", "offer_type", "1", "coupon", "", "remark", "", "amount", ymcartMoney(o.Totals.Discount), "is_return", "0")})
	}
	return row.with("order_remark", y.remarkRows(o))
}

var ymcartRates = map[string]string{"USD": "1.0000", "EUR": "0.9200", "GBP": "0.7900", "JPY": "150.0000", "CNY": "7.2000"}

func (y *ymcartSim) itemRows(o *backend.Order) []ymcartRow {
	rows := []ymcartRow{}
	for k, it := range o.Items {
		h := fnv.New32a()
		_, _ = h.Write([]byte(it.SKU))
		gid := 4900 + int(h.Sum32()%500)
		rows = append(rows, ymcartBoth("id", strconv.Itoa(ymcartRowID(o.ID)+k), "order_id", o.ID, "goods_id", strconv.Itoa(gid),
			"store_id", "24073", "goods_name", it.Title, "goods_codeno", it.SKU, "sku_code", fmt.Sprintf("%d_%d", gid*3, gid*3+k),
			"sku_codeno", it.SKU, "sku_value", strings.ReplaceAll(it.Variant, ", ", "<br />"), "buy_num", strconv.Itoa(it.Qty),
			"price", ymcartMoney(it.UnitPrice), "weight", ymcartKg(it.WeightG), "image", it.Image, "remark", ""))
	}
	return rows
}

// ymcartRowID numbers an order's item and address rows.
func ymcartRowID(id string) int {
	n, _ := strconv.Atoi(id)
	return n * 10
}

// ymcartPayment is the order's payment (an empty one if Mutate removed it).
func ymcartPayment(o *backend.Order) *backend.Payment {
	if len(o.Payments) == 0 {
		return &backend.Payment{}
	}
	return &o.Payments[0]
}

func ymcartCountry(o *backend.Order) string {
	if o.ShippingAddress == nil {
		return ""
	}
	return o.ShippingAddress.CountryCode
}

// deliveryBlock is null, one record, or an array of records.
func (y *ymcartSim) deliveryBlock(o *backend.Order) any {
	rows := y.deliveryRows(o)
	switch len(rows) {
	case 0:
		return nil
	case 1:
		return rows[0]
	}
	return rows
}

// deliveryRows renders an order's shipment records, giving records added
// to the truth by Mutate an id of their own.
func (y *ymcartSim) deliveryRows(o *backend.Order) []ymcartRow {
	x := y.extra[o.Number]
	var rows []ymcartRow
	for k, sh := range o.Shipments {
		if k >= len(x.dels) {
			x.dels = append(x.dels, ymcartDel{id: y.nextDelivery})
			y.nextDelivery++
		}
		d := x.dels[k]
		created, delivered := unixStr(sh.ShippedAt), "0"
		if d.stamped && sh.ShippedAt != nil {
			c := sh.ShippedAt.Add(-2 * time.Hour)
			created, delivered = unixStr(&c), unixStr(sh.ShippedAt)
		}
		rows = append(rows, ymcartBoth("id", strconv.Itoa(d.id), "store_id", "24073", "order_id", o.ID,
			"user_id", strconv.Itoa(x.userID), "delivery_no", sh.TrackingNumber, "shipping_corp_id", strconv.Itoa(ymcartCarrierID(sh.Carrier)),
			"shipping_corp_name", sh.Carrier, "shipping_cost", "0.0000", "create_time", created, "delivery_time", delivered, "remark", ""))
	}
	return rows
}

// addressRows: type 0 shipping and type 1 billing, or only a type 1 row.
func (y *ymcartSim) addressRows(o *backend.Order, x *ymcartExtra) []ymcartRow {
	var rows []ymcartRow
	add := func(typ string, a *backend.Address, shipping bool) {
		mobile, tel := a.Phone, a.Company
		if shipping && x.telOnly {
			mobile, tel = "", a.Phone
		} else if tel == "" && x.whatsapp {
			tel = a.Phone
		}
		c := ymcartCountries[a.CountryCode]
		rows = append(rows, ymcartBoth("id", strconv.Itoa(ymcartRowID(o.ID)+len(rows)), "order_id", o.ID, "store_id", "24073",
			"address_type", typ, "first_name", x.first, "last_name", x.last, "country_id", strconv.Itoa(c.id),
			"state", a.Province, "city", a.City, "address", a.Line1, "address_spare", a.Line2, "postcode", a.Zip,
			"mobilephone", mobile, "telephone", tel, "email", a.Email,
		).with("country_code_2", a.CountryCode, "country_code_3", c.iso3, "country_name", a.Country))
	}
	if x.billingOnly && o.BillingAddress != nil {
		add("1", o.BillingAddress, true)
		return rows
	}
	if o.ShippingAddress != nil {
		add("0", o.ShippingAddress, true)
	}
	if o.BillingAddress != nil {
		add("1", o.BillingAddress, false)
	}
	return rows
}

func (y *ymcartSim) paymentRow(o *backend.Order, x *ymcartExtra, payID int) ymcartRow {
	gateway := ymcartPayment(o).TransactionID
	if gateway == x.tradeNo {
		gateway = ""
	}
	return ymcartBoth("id", o.ID, "order_id", o.ID, "trade_no", x.tradeNo, "pay_method_no", gateway,
		"create_time", unixStr(o.PaidAt), "payment_id", strconv.Itoa(payID), "payment_method", ymcartPayment(o).Method, "remark", "")
}

func (y *ymcartSim) remarkRows(o *backend.Order) []ymcartRow {
	rows := []ymcartRow{}
	for k, r := range o.Remarks {
		if k == 0 && r.Author == "admin" {
			continue
		}
		rows = append(rows, ymcartBoth("id", strconv.Itoa(ymcartRowID(o.ID)*10+k), "order_id", o.ID, "store_id", "24073",
			"remark", r.Text, "create_time", unixStr(r.At)))
	}
	return rows
}
