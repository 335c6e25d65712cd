package simshop

import (
	"bytes"
	"encoding/json"
	"fmt"
	"net/url"
	"strconv"
	"strings"
	"time"

	"orderdesk/backend"
)

// Which answer an order is rendered for.
type fecshopWire int

const (
	fecshopWireList   fecshopWire = iota // strings; names, symbols, products with full_image
	fecshopWireOne                       // strings; names, symbol, products without full_image
	fecshopWireUpdate                    // native numbers; the bare row, no products or names
)

// fecshopRow writes a JSON object's members in order. In string mode (list,
// fetchone) every number is sent as a string, like the PDO driver of seed 003.
type fecshopRow struct {
	buf  bytes.Buffer
	strs bool
}

func (b *fecshopRow) key(k string) {
	if b.buf.Len() == 0 {
		b.buf.WriteByte('{')
	} else {
		b.buf.WriteByte(',')
	}
	fecshopQuote(&b.buf, k)
	b.buf.WriteByte(':')
}

func fecshopQuote(buf *bytes.Buffer, s string) {
	enc := json.NewEncoder(buf)
	enc.SetEscapeHTML(false)
	_ = enc.Encode(s)
	buf.Truncate(buf.Len() - 1) // Encode's newline
}

// str writes a string; null when null is set and s is "".
func (b *fecshopRow) str(k, s string, null bool) {
	b.key(k)
	if null && s == "" {
		b.buf.WriteString("null")
		return
	}
	fecshopQuote(&b.buf, s)
}

// num writes an integer (a string in string mode); null when !ok.
func (b *fecshopRow) num(k string, v int64, ok bool) {
	switch {
	case !ok:
		b.str(k, "", true)
	case b.strs:
		b.str(k, strconv.FormatInt(v, 10), false)
	default:
		b.key(k)
		b.buf.WriteString(strconv.FormatInt(v, 10))
	}
}

func (b *fecshopRow) time(k string, t *time.Time) {
	if t == nil {
		b.num(k, 0, false)
		return
	}
	b.num(k, t.Unix(), true)
}

func (b *fecshopRow) raw(k string, v []byte) { b.key(k); b.buf.Write(v) }

func (b *fecshopRow) bytes() json.RawMessage { b.buf.WriteByte('}'); return b.buf.Bytes() }

// fecshopMoney is a decimal(12,2) column: "32.00", "1200.00" for JPY.
func fecshopMoney(a backend.Amount) string { return a.Fixed(2) }

// fecshopKg writes grams as a kg decimal ("0.30").
func fecshopKg(g int64) string {
	a, err := backend.ParseAmount(fmt.Sprintf("%d.%03d", g/1000, g%1000), "")
	if err != nil {
		return "0.00"
	}
	return a.String()
}

// fecshopHTML is PHP's htmlspecialchars(ENT_QUOTES), as Html::encode
// stores order_remark.
var fecshopHTML = strings.NewReplacer("&", "&amp;", "<", "&lt;", ">", "&gt;", `"`, "&quot;", "'", "&#039;")

// render writes one order as Fecshop sends it, from the truth, columns in
// sales_flat_order's order (seed 000).
func (f *fecshopSim) render(o *backend.Order, i int, kind fecshopWire) json.RawMessage {
	x := f.extra[i]
	b := &fecshopRow{strs: kind != fecshopWireUpdate}
	id, _ := strconv.ParseInt(o.ID, 10, 64)
	qty, grams := int64(0), int64(0)
	for _, it := range o.Items {
		qty, grams = qty+int64(it.Qty), grams+it.WeightG*int64(it.Qty)
	}
	b.num("order_id", id, true)
	b.str("increment_id", o.Number, false)
	b.str("order_status", o.RawStatus["order_status"], false)
	b.str("store", fecshopStore, false)
	b.time("created_at", o.CreatedAt)
	b.time("updated_at", o.UpdatedAt)
	b.num("items_count", qty, true)
	b.str("total_weight", fecshopKg(grams), false)
	fecshopRenderTotals(b, o, i)
	fecshopRenderCustomer(b, o, x, i)
	pay, ship, company := backend.Payment{}, backend.Shipment{}, x.company
	if len(o.Payments) > 0 {
		pay = o.Payments[0]
	}
	if len(o.Shipments) > 0 {
		ship = o.Shipments[0]
		if !x.companyNull {
			company = ship.Carrier
		}
	}
	t := o.Totals
	b.str("payment_method", pay.Method, true)
	b.str("shipping_method", map[bool]string{true: "free_shipping", false: "fast_shipping"}[t.Shipping.IsZero()], false)
	b.str("shipping_total", fecshopMoney(t.Shipping), false)
	b.str("tracking_number", ship.TrackingNumber, true)
	b.str("tracking_company", company, true)
	b.str("base_shipping_total", fecshopMoney(fecshopToBase(t.Shipping, o.Currency)), false)
	addr := fecshopRenderAddress(b, o)
	f.renderPayPal(b, pay, t, o.Currency)
	b.num("if_is_return_stock", map[bool]int64{true: 1, false: 2}[o.RawStatus["order_status"] == "payment_canceled"], true)
	b.str("payment_token", "", true)
	b.num("version", 0, true)
	b.num("is_reviewed", 2, true)
	b.time("audited_at", nil)
	b.time("dispatched_at", ship.ShippedAt)
	b.time("received_at", nil)
	b.time("reviewed_at", nil)
	b.str("tracking_company_name", x.nameCol, true)
	if kind == fecshopWireUpdate {
		return b.bytes()
	}
	b.str("customer_address_state_name", addr.Province, false)
	b.str("customer_address_country_name", addr.Country, false)
	b.str("currency_symbol", fecshopSymbols[o.Currency], false)
	if kind == fecshopWireList {
		b.str("order_currency_symbol", fecshopSymbols[o.Currency], false)
	}
	b.raw("products", f.renderItems(o, id, kind))
	return b.bytes()
}

// fecshopRenderTotals writes the currency and amount columns; a zero discount is
// sometimes null, as in seed 003.
func fecshopRenderTotals(b *fecshopRow, o *backend.Order, i int) {
	cur, t := o.Currency, o.Totals
	base := func(a backend.Amount) string { return fecshopMoney(fecshopToBase(a, cur)) }
	r := fecshopRate(cur)
	b.str("order_currency_code", cur, false)
	b.str("order_to_base_rate", fmt.Sprintf("%d.%04d", r/10000, r%10000), false)
	b.str("grand_total", fecshopMoney(t.GrandTotal), false)
	if o.Base != nil {
		b.str("base_grand_total", fecshopMoney(o.Base.GrandTotal), false)
	} else {
		b.str("base_grand_total", "", true)
	}
	b.str("subtotal", fecshopMoney(t.Subtotal), false)
	b.str("base_subtotal", base(t.Subtotal), false)
	if t.Discount.IsZero() && i%2 == 0 {
		b.str("subtotal_with_discount", "", true)
		b.str("base_subtotal_with_discount", "", true)
	} else {
		b.str("subtotal_with_discount", fecshopMoney(t.Discount), false)
		b.str("base_subtotal_with_discount", base(t.Discount), false)
	}
}

func fecshopRenderCustomer(b *fecshopRow, o *backend.Order, x fecshopExtra, i int) {
	b.num("is_changed", 1, true)
	b.str("checkout_method", "standard", false)
	b.num("customer_id", 11000+int64(i), !x.guest)
	b.str("customer_group", "", true)
	b.str("customer_email", o.Customer.Email, false)
	b.str("customer_firstname", x.first, false)
	b.str("customer_lastname", x.last, false)
	b.num("customer_is_guest", map[bool]int64{true: 1, false: 2}[x.guest], true)
	b.str("remote_ip", map[bool]string{true: "203.0.113.7"}[i%2 == 1], true)
	if !o.Totals.Discount.IsZero() {
		b.str("coupon_code", "SAVE10", false)
	} else {
		b.str("coupon_code", "", i%3 == 0) // "" or null, both seen
	}
}

// fecshopRenderAddress writes the flattened address and the buyer's note, and
// returns the address for the derived name columns.
func fecshopRenderAddress(b *fecshopRow, o *backend.Order) backend.Address {
	addr := backend.Address{}
	if o.ShippingAddress != nil {
		addr = *o.ShippingAddress
	}
	b.str("customer_telephone", o.Customer.Phone, false)
	b.str("customer_address_country", addr.CountryCode, false)
	b.str("customer_address_state", addr.ProvinceCode, false)
	b.str("customer_address_city", addr.City, false)
	b.str("customer_address_zip", addr.Zip, false)
	b.str("customer_address_street1", addr.Line1, false)
	b.str("customer_address_street2", addr.Line2, false)
	b.str("order_remark", fecshopHTML.Replace(o.BuyerNote), false)
	return addr
}

// renderPayPal writes the payment columns; paypal_order_datetime carries
// the junk value real stores hold (epoch 0 in a UTC+8 server zone).
func (f *fecshopSim) renderPayPal(b *fecshopRow, pay backend.Payment, t backend.Totals, cur string) {
	txn := pay.TransactionID != ""
	b.str("txn_type", map[bool]string{true: "cart"}[txn], true)
	b.str("txn_id", pay.TransactionID, true)
	for _, k := range []string{"payer_id", "ipn_track_id", "receiver_id", "verify_sign", "charset"} {
		b.str(k, "", true)
	}
	fee, baseFee := "", ""
	if !t.Fee.IsZero() {
		fee, baseFee = fecshopMoney(t.Fee), fecshopMoney(fecshopToBase(t.Fee, cur))
	}
	b.str("payment_fee", fee, true)
	b.str("payment_type", map[bool]string{true: "instant"}[txn], true)
	b.str("correlation_id", "", true)
	b.str("base_payment_fee", baseFee, true)
	for _, k := range []string{"protection_eligibility", "protection_eligibility_type", "secure_merchant_account_id", "build"} {
		b.str(k, "", true)
	}
	b.str("paypal_order_datetime", map[bool]string{true: "1970-01-01 08:33:41"}[txn && pay.Method == "paypal_standard"], true)
	b.str("theme_type", "", true)
}

func (f *fecshopSim) renderItems(o *backend.Order, orderID int64, kind fecshopWire) json.RawMessage {
	var buf bytes.Buffer
	buf.WriteByte('[')
	for k, it := range o.Items {
		if k > 0 {
			buf.WriteByte(',')
		}
		b := &fecshopRow{strs: true}
		rel := strings.TrimPrefix(it.Image, fecshopImageBase)
		slug := "/" + strings.ToLower(url.PathEscape(it.SKU))
		b.num("item_id", orderID*10+int64(k), true)
		b.str("store", fecshopStore, false)
		b.num("order_id", orderID, true)
		b.time("created_at", o.CreatedAt)
		b.time("updated_at", o.CreatedAt)
		b.str("product_id", fmt.Sprintf("57d60c6cf656f2b57d%06x", orderID*10+int64(k)), false)
		b.str("sku", it.SKU, false)
		b.str("name", it.Title, false)
		b.str("custom_option_sku", "", true)
		b.str("image", rel, false)
		if kind == fecshopWireList {
			b.str("full_image", it.Image, false)
		}
		b.str("weight", fecshopKg(it.WeightG), false)
		b.num("qty", int64(it.Qty), true)
		b.str("row_weight", fecshopKg(it.WeightG*int64(it.Qty)), false)
		b.str("price", fecshopMoney(it.UnitPrice), false)
		b.str("base_price", fecshopMoney(fecshopToBase(it.UnitPrice, o.Currency)), false)
		b.str("row_total", fecshopMoney(it.RowTotal), false)
		b.str("base_row_total", fecshopMoney(fecshopToBase(it.RowTotal, o.Currency)), false)
		b.str("redirect_url", slug, false)
		if kind == fecshopWireList {
			b.str("full_redirect_url", "https://"+fecshopStore+slug, false)
		}
		opts := fecshopOptions(it.Variant)
		b.raw("spu_options", opts)
		b.raw("custom_option", []byte("[]"))
		if k%2 == 0 {
			b.raw("custom_option_info", opts)
		} else {
			b.raw("custom_option_info", []byte("[]"))
		}
		buf.Write(b.bytes())
	}
	buf.WriteByte(']')
	return buf.Bytes()
}

// fecshopOptions renders "k:v / k:v" as an ordered object; "" as [] (an
// empty PHP array).
func fecshopOptions(variant string) []byte {
	if variant == "" {
		return []byte("[]")
	}
	b := &fecshopRow{}
	for _, part := range strings.Split(variant, " / ") {
		k, v, _ := strings.Cut(part, ":")
		b.str(k, v, false)
	}
	return b.bytes()
}
