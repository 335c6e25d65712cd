package cache

import (
	"encoding/binary"
	"errors"
	"slices"
	"time"

	"orderdesk/backend"
)

// The slim row is what Scan hands out: the fields of storage.Store.Scan's
// slim order, in a compact binary form that decodes in about a
// microsecond. Layout (version 1):
//
//	byte     version (1)
//	uvarint  flags (rowFlag bits)
//	str      ref.shop, ref.number, shop, platform, id, number,
//	         state.order, state.payment, state.fulfillment
//	uvarint  n, then n × (str key, str value)        raw_status, keys sorted
//	str      status_label
//	time     created, updated, paid, cancelled, synced: each only when its flag is set
//	str      currency
//	amount   subtotal, shipping, discount, tax, fee, grand_total
//	[base]   str currency, amount grand_total                  when rowBase
//	str      customer name, email, phone
//	[addr]   12 × str in backend.Address field order          when rowShipping
//	uvarint  n, then n × item: str sku, title, variant; varint qty; amount unit_price, row_total
//	uvarint  n, then n × shipment: str carrier, tracking_number, tracking_url;
//	         byte has-shipped_at, [time]; str status
//	uvarint  n, then n × str                                   tags
//	str      buyer_note
//
// str is uvarint length + bytes; time is zig-zag varint Unix seconds +
// uvarint nanoseconds (read back in UTC); amount is zig-zag varint
// coefficient + one byte scale (0–9), as backend.Amount.Minor reports them.
const rowVersion = 1

type rowFlag uint64

const (
	rowCreated rowFlag = 1 << iota
	rowUpdated
	rowPaid
	rowCancelled
	rowSynced
	rowBase
	rowShipping
	rowArchived
	rowInferred
	rowFlagsKnown = rowInferred<<1 - 1
)

// errRow is the error of every malformed row.
var errRow = errors.New("malformed slim row")

// encodeRow appends the slim row of o to dst.
func encodeRow(dst []byte, o *backend.Order) []byte {
	var f rowFlag
	times := [...]*time.Time{o.CreatedAt, o.UpdatedAt, o.PaidAt, o.CancelledAt, o.SyncedAt}
	for i, t := range times {
		if t != nil {
			f |= 1 << i
		}
	}
	f |= cond(o.Base != nil, rowBase) | cond(o.ShippingAddress != nil, rowShipping) |
		cond(o.State.Archived, rowArchived) | cond(o.State.Inferred, rowInferred)
	b := append(dst, rowVersion)
	b = binary.AppendUvarint(b, uint64(f))
	b = appendStrs(b, o.Ref.Shop, o.Ref.Number, o.Shop, string(o.Platform), o.ID, o.Number,
		string(o.State.Order), string(o.State.Payment), string(o.State.Fulfillment))
	keys := make([]string, 0, len(o.RawStatus))
	for k := range o.RawStatus {
		keys = append(keys, k)
	}
	slices.Sort(keys)
	b = binary.AppendUvarint(b, uint64(len(keys)))
	for _, k := range keys {
		b = appendStrs(b, k, o.RawStatus[k])
	}
	b = appendStrs(b, o.StatusLabel)
	for _, t := range times {
		if t != nil {
			b = appendTime(b, *t)
		}
	}
	b = appendStrs(b, o.Currency)
	tt := &o.Totals
	b = appendAmounts(b, tt.Subtotal, tt.Shipping, tt.Discount, tt.Tax, tt.Fee, tt.GrandTotal)
	if o.Base != nil {
		b = appendAmounts(appendStrs(b, o.Base.Currency), o.Base.GrandTotal)
	}
	b = appendStrs(b, o.Customer.Name, o.Customer.Email, o.Customer.Phone)
	if a := o.ShippingAddress; a != nil {
		b = appendStrs(b, a.Name, a.Company, a.Line1, a.Line2, a.City, a.Province, a.ProvinceCode,
			a.Zip, a.CountryCode, a.Country, a.Phone, a.Email)
	}
	b = appendItems(b, o.Items)
	b = appendShipments(b, o.Shipments)
	b = binary.AppendUvarint(b, uint64(len(o.Tags)))
	b = appendStrs(b, o.Tags...)
	return appendStrs(b, o.BuyerNote)
}

func appendItems(b []byte, items []backend.Item) []byte {
	b = binary.AppendUvarint(b, uint64(len(items)))
	for i := range items {
		it := &items[i]
		b = appendStrs(b, it.SKU, it.Title, it.Variant)
		b = binary.AppendVarint(b, int64(it.Qty))
		b = appendAmounts(b, it.UnitPrice, it.RowTotal)
	}
	return b
}

func appendShipments(b []byte, ships []backend.Shipment) []byte {
	b = binary.AppendUvarint(b, uint64(len(ships)))
	for i := range ships {
		sh := &ships[i]
		b = appendStrs(b, sh.Carrier, sh.TrackingNumber, sh.TrackingURL)
		if sh.ShippedAt != nil {
			b = appendTime(append(b, 1), *sh.ShippedAt)
		} else {
			b = append(b, 0)
		}
		b = appendStrs(b, sh.Status)
	}
	return b
}

func cond(ok bool, f rowFlag) rowFlag {
	if ok {
		return f
	}
	return 0
}

func appendStrs(b []byte, ss ...string) []byte {
	for _, s := range ss {
		b = binary.AppendUvarint(b, uint64(len(s)))
		b = append(b, s...)
	}
	return b
}

func appendTime(b []byte, t time.Time) []byte {
	b = binary.AppendVarint(b, t.Unix())
	return binary.AppendUvarint(b, uint64(t.Nanosecond()))
}

func appendAmounts(b []byte, as ...backend.Amount) []byte {
	for _, a := range as {
		coef, scale := a.Minor()
		b = binary.AppendVarint(b, coef)
		b = append(b, byte(scale))
	}
	return b
}

// slim is the one allocation that holds a decoded order with its shipping
// address, base and times.
type slim struct {
	o     backend.Order
	addr  backend.Address
	base  backend.Base
	times [5]time.Time
}

// decodeRow decodes a slim row into a new order that shares nothing with b.
// Any malformed input is an error wrapping errRow, never a panic.
func decodeRow(b []byte) (*backend.Order, error) {
	if len(b) == 0 || b[0] != rowVersion {
		return nil, errRow
	}
	r := rowReader{s: string(b), i: 1}
	sl := &slim{}
	o := &sl.o
	f := rowFlag(r.uvarint())
	if f&^rowFlagsKnown != 0 {
		return nil, errRow
	}
	o.Ref.Shop, o.Ref.Number, o.Shop = r.str(), r.str(), r.str()
	o.Platform, o.ID, o.Number = backend.Platform(r.str()), r.str(), r.str()
	o.State.Order = backend.OrderState(r.str())
	o.State.Payment = backend.PaymentState(r.str())
	o.State.Fulfillment = backend.FulfillmentState(r.str())
	o.State.Archived, o.State.Inferred = f&rowArchived != 0, f&rowInferred != 0
	if n := r.count(2); n > 0 {
		o.RawStatus = make(map[string]string, n)
		for range n {
			k := r.str()
			o.RawStatus[k] = r.str()
		}
	}
	o.StatusLabel = r.str()
	dst := [...]**time.Time{&o.CreatedAt, &o.UpdatedAt, &o.PaidAt, &o.CancelledAt, &o.SyncedAt}
	for i, p := range dst {
		if f&(1<<i) != 0 {
			sl.times[i] = r.time()
			*p = &sl.times[i]
		}
	}
	o.Currency = r.str()
	t := &o.Totals
	t.Subtotal, t.Shipping, t.Discount = r.amount(), r.amount(), r.amount()
	t.Tax, t.Fee, t.GrandTotal = r.amount(), r.amount(), r.amount()
	if f&rowBase != 0 {
		sl.base.Currency = r.str()
		sl.base.GrandTotal = r.amount()
		o.Base = &sl.base
	}
	o.Customer = backend.Customer{Name: r.str(), Email: r.str(), Phone: r.str()}
	if f&rowShipping != 0 {
		r.address(&sl.addr)
		o.ShippingAddress = &sl.addr
	}
	r.items(o)
	r.shipments(o)
	if n := r.count(1); n > 0 {
		o.Tags = make([]string, n)
		for i := range o.Tags {
			o.Tags[i] = r.str()
		}
	}
	o.BuyerNote = r.str()
	if r.bad || r.i != len(r.s) {
		return nil, errRow
	}
	return o, nil
}

// rowReader reads a row held in one string, so every decoded string is a
// substring of it (one allocation for all of them). Errors are sticky: once
// bad, every read returns a zero value.
type rowReader struct {
	s   string
	i   int
	bad bool
}

func (r *rowReader) uvarint() uint64 {
	var x uint64
	for shift := uint(0); shift < 64; shift += 7 {
		if r.i >= len(r.s) {
			break
		}
		c := r.s[r.i]
		r.i++
		if c < 0x80 {
			if shift == 63 && c > 1 {
				break
			}
			return x | uint64(c)<<shift
		}
		x |= uint64(c&0x7f) << shift
	}
	r.bad, r.i = true, len(r.s)
	return 0
}

func (r *rowReader) varint() int64 {
	u := r.uvarint()
	return int64(u>>1) ^ -int64(u&1)
}

// count reads a list length; each element takes at least min bytes, so a
// length the rest of the row cannot hold is malformed (and never allocated).
func (r *rowReader) count(min int) int {
	n := r.uvarint()
	if n > uint64((len(r.s)-r.i)/min) {
		r.bad, r.i = true, len(r.s)
		return 0
	}
	return int(n)
}

func (r *rowReader) str() string {
	n := r.uvarint()
	if n > uint64(len(r.s)-r.i) {
		r.bad, r.i = true, len(r.s)
		return ""
	}
	v := r.s[r.i : r.i+int(n)]
	r.i += int(n)
	return v
}

func (r *rowReader) time() time.Time {
	sec, nsec := r.varint(), r.uvarint()
	if nsec >= 1e9 {
		r.bad, r.i = true, len(r.s)
		return time.Time{}
	}
	return time.Unix(sec, int64(nsec)).UTC()
}

func (r *rowReader) amount() backend.Amount {
	coef := r.varint()
	if r.i >= len(r.s) || r.s[r.i] > 9 {
		r.bad, r.i = true, len(r.s)
		return backend.Amount{}
	}
	scale := int(r.s[r.i])
	r.i++
	a, ok := amountOf(coef, scale)
	if !ok {
		r.bad, r.i = true, len(r.s)
	}
	return a
}

func (r *rowReader) address(a *backend.Address) {
	a.Name, a.Company, a.Line1, a.Line2 = r.str(), r.str(), r.str(), r.str()
	a.City, a.Province, a.ProvinceCode, a.Zip = r.str(), r.str(), r.str(), r.str()
	a.CountryCode, a.Country, a.Phone, a.Email = r.str(), r.str(), r.str(), r.str()
}

func (r *rowReader) items(o *backend.Order) {
	n := r.count(7)
	if n == 0 {
		return
	}
	o.Items = make([]backend.Item, n)
	for i := range o.Items {
		it := &o.Items[i]
		it.SKU, it.Title, it.Variant = r.str(), r.str(), r.str()
		q := r.varint()
		if int64(int(q)) != q {
			r.bad, r.i = true, len(r.s)
		}
		it.Qty = int(q)
		it.UnitPrice, it.RowTotal = r.amount(), r.amount()
	}
}

func (r *rowReader) shipments(o *backend.Order) {
	n := r.count(5)
	if n == 0 {
		return
	}
	o.Shipments = make([]backend.Shipment, n)
	var times []time.Time
	for i := range o.Shipments {
		sh := &o.Shipments[i]
		sh.Carrier, sh.TrackingNumber, sh.TrackingURL = r.str(), r.str(), r.str()
		if r.i < len(r.s) && r.s[r.i] == 1 {
			r.i++
			if times == nil {
				times = make([]time.Time, n)
			}
			times[i] = r.time()
			sh.ShippedAt = &times[i]
		} else if r.i < len(r.s) && r.s[r.i] == 0 {
			r.i++
		} else {
			r.bad, r.i = true, len(r.s)
		}
		sh.Status = r.str()
	}
}

// amountOf builds the Amount coef × 10^-scale. backend.Amount has no
// constructor taking a scale: one unit per scale (coefficient 1, read from
// its decimal text once) times coef gives it exactly.
func amountOf(coef int64, scale int) (backend.Amount, bool) {
	if scale < 0 || scale >= len(unitAmounts) {
		return backend.Amount{}, false
	}
	return unitAmounts[scale].MulInt(coef), true
}

// unitAmounts[s] is 10^-s with scale s. It is computed once and never
// written: a constant table, not state.
var unitAmounts = func() (u [10]backend.Amount) {
	for s := range u {
		if err := u[s].UnmarshalJSON(decimalText(1, s)); err != nil {
			panic(err) // decimalText(1, s) is a valid decimal for every s < 10
		}
	}
	return u
}()

// decimalText writes coef × 10^-scale as a decimal.
func decimalText(coef int64, scale int) []byte {
	neg := coef < 0
	u := uint64(coef)
	if neg {
		u = -u
	}
	digits := make([]byte, 0, 24)
	for ; u > 0 || len(digits) <= scale; u /= 10 {
		digits = append(digits, byte('0'+u%10))
	}
	out := make([]byte, 0, len(digits)+2)
	if neg {
		out = append(out, '-')
	}
	for i := len(digits) - 1; i >= 0; i-- {
		out = append(out, digits[i])
		if i == scale && scale > 0 {
			out = append(out, '.')
		}
	}
	return out
}
