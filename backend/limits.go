package backend

import (
	"fmt"
	"unicode/utf8"
)

// Limits of the values an action carries, in characters. They are checked
// where an edit is drafted (engine.Desk.Draft: the command line, the desk and
// the importer all draft there), by the desk's forms as the operator types,
// and again by every adapter's Check before anything is sent, so an edit
// saved by an older desk cannot send a 20 MB tracking number either.
//
// Only Fecshop documents sizes: sales_flat_order.tracking_number is
// VARCHAR(100) and tracking_company VARCHAR(150). SHOPLINE and YMCart
// document none and stored whatever they were sent (a 20 MB tracking
// number, a 5 MB carrier). The desk's limits are within Fecshop's columns
// and leave room for every format the desk knows:
//   - tracking number 64: the longest known formats are DHL eCommerce (a
//     2-letter prefix and up to 39 characters) and FedEx's 34-digit ones;
//   - carrier 100: a carrier is named in a few words ("Yun Express",
//     "顺丰速运");
//   - tracking URL 2048: the length browsers and servers reliably accept;
//   - remark 1000: a note on the order, not a letter (no platform that
//     writes remarks documents a limit; Fecshop's buyer note defaults to
//     1500);
//   - status value 64: every platform's values are short codes
//     ("payment_canceled", "600", "unarchive").
const (
	MaxTrackingNumber = 64
	MaxCarrier        = 100
	MaxTrackingURL    = 2048
	MaxRemark         = 1000
	MaxStatusValue    = 64
)

// TooLongError is a value longer than the desk accepts. Nothing was saved
// or sent. It holds no more than an excerpt of the value.
type TooLongError struct {
	Field  string // in the operator's words: "tracking number", "remark"
	Limit  int    // characters accepted
	Length int    // characters given
	Quoted string // the start of the value, quoted (see Quote)
}

func (e *TooLongError) Error() string {
	return fmt.Sprintf("the %s is %d characters long; at most %d are accepted: %s", e.Field, e.Length, e.Limit, e.Quoted)
}

// Unwrap makes a value too long an ErrRefused: the desk refuses it before
// anything is sent (exit 2 on the command line).
func (e *TooLongError) Unwrap() error { return ErrRefused }

// CheckLength returns a *TooLongError when value has more than limit
// characters, else nil. field names the value in messages.
func CheckLength(field, value string, limit int) error {
	if len(value) <= limit { // bytes ≥ characters: most values end here
		return nil
	}
	if n := utf8.RuneCountInString(value); n > limit {
		return &TooLongError{Field: field, Limit: limit, Length: n, Quoted: Quote(value)}
	}
	return nil
}

// TooLong returns the first value of the action longer than the desk
// accepts, as a *TooLongError, or nil.
func (a Action) TooLong() error {
	for _, f := range []struct {
		field, value string
		limit        int
	}{
		{"status value", a.Status, MaxStatusValue},
		{"carrier", a.Shipment.Carrier, MaxCarrier},
		{"tracking number", a.Shipment.TrackingNumber, MaxTrackingNumber},
		{"tracking URL", a.Shipment.TrackingURL, MaxTrackingURL},
		{"remark", a.Remark, MaxRemark},
	} {
		if err := CheckLength(f.field, f.value, f.limit); err != nil {
			return err
		}
	}
	return nil
}

// RefuseTooLong is TooLong as an adapter's refusal: an *Error of kind
// ErrRefused for shop and op whose Reason names the field, its limit and
// the length given, or nil.
func RefuseTooLong(shop, op string, a Action) error {
	if err := a.TooLong(); err != nil {
		return &Error{Kind: ErrRefused, Shop: shop, Op: op, Reason: err.Error()}
	}
	return nil
}
