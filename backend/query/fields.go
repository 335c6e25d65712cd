package query

import (
	"strings"

	"orderdesk/backend"
)

// kind says which part of a Doc a term looks at and how.
type kind uint8

const (
	kText     kind = iota // free text: the haystack, and phone digits for phone-like terms
	kShop                 // exact
	kPlatform             // exact
	kStatus               // any axis value, raw status value or status label; exact
	kPay                  // payment axis; exact with aliases
	kShip                 // fulfillment axis; exact with aliases
	kCountry              // shipping country code or name; exact
	kTag                  // exact
	kCurrency             // exact
	kIs                   // flags
	kSection              // substring in one section of the haystack (sku, title, tracking, ...)
	kCarrier              // substring in the carriers
	kPhone                // digits in the phone digits
	kTotal                // amount comparison
	kCreated              // time comparison
	kUpdated              // time comparison
	kPhoneRun             // a phone number pasted as several words (see phoneRun)
)

// fieldDef is one row of the field table.
type fieldDef struct {
	name string
	kind kind
	sec  section // for kSection
	list bool    // value may be a comma-separated list of alternatives
	cmp  bool    // takes > >= < <= =
	help string
}

// fieldTable is the language's field list, in the order errors and help
// show it. It is never modified.
var fieldTable = []fieldDef{
	{name: "shop", kind: kShop, list: true, help: "shop name, exact"},
	{name: "platform", kind: kPlatform, list: true, help: "fecshop, fecmall, shopline or ymcart, exact"},
	{name: "status", kind: kStatus, list: true, help: "any axis value, raw status value or status label, exact"},
	{name: "pay", kind: kPay, list: true, help: "payment axis, exact (aliases)"},
	{name: "ship", kind: kShip, list: true, help: "fulfillment axis, exact (aliases)"},
	{name: "country", kind: kCountry, list: true, help: "shipping country code or name, exact"},
	{name: "sku", kind: kSection, sec: secSKU, help: "item SKU, substring"},
	{name: "title", kind: kSection, sec: secTitle, help: "item title, substring"},
	{name: "carrier", kind: kCarrier, help: "shipment carrier, substring"},
	{name: "tracking", kind: kSection, sec: secTracking, help: "tracking number, substring, spaces and dashes ignored"},
	{name: "email", kind: kSection, sec: secEmail, help: "customer or shipping e-mail, substring"},
	{name: "phone", kind: kPhone, help: "customer or shipping phone, digits, substring"},
	{name: "name", kind: kSection, sec: secName, help: "customer or recipient name, substring"},
	{name: "tag", kind: kTag, list: true, help: "tag, exact"},
	{name: "currency", kind: kCurrency, list: true, help: "order currency, exact"},
	{name: "city", kind: kSection, sec: secCity, help: "shipping city, substring"},
	{name: "number", kind: kSection, sec: secNumber, help: "order number, substring"},
	{name: "total", kind: kTotal, cmp: true, help: "grand total in the order's currency: total>100, total<=20.5, total>=1000jpy"},
	{name: "created", kind: kCreated, cmp: true, help: "created date or age: created>=2024-01-01, created<7d"},
	{name: "updated", kind: kUpdated, cmp: true, help: "updated date or age, like created"},
	{name: "is", kind: kIs, list: true, help: "pending, failed, conflict, attention, archived, open, cancelled, completed, inferred"},
}

// fieldAliases are other names operators reach for.
var fieldAliases = map[string]string{
	"payment":     "pay",
	"fulfillment": "ship",
	"fulfilment":  "ship",
	"state":       "status",
}

func lookupField(name string) (fieldDef, bool) {
	name = strings.ToLower(name)
	if a, ok := fieldAliases[name]; ok {
		name = a
	}
	for _, f := range fieldTable {
		if f.name == name {
			return f, true
		}
	}
	return fieldDef{}, false
}

// Field is one field of the language, for completion and help screens.
type Field struct {
	Name string // as typed before ':' or an operator
	Help string // what it matches and how, in a few words
}

// Fields lists the fields the language knows, in help order.
func Fields() []Field {
	out := make([]Field, len(fieldTable))
	for i, f := range fieldTable {
		out[i] = Field{Name: f.name, Help: f.help}
	}
	return out
}

func fieldNames() string {
	names := make([]string, len(fieldTable))
	for i, f := range fieldTable {
		names[i] = f.name
	}
	return strings.Join(names, ", ")
}

// The three status axes, in the order of their bits (bit i is 1<<i).
var (
	orderAxis = []string{
		string(backend.OrderDraft), string(backend.OrderOpen), string(backend.OrderOnHold),
		string(backend.OrderCancelled), string(backend.OrderCompleted),
	}
	payAxis = []string{
		string(backend.PayUnpaid), string(backend.PayPending), string(backend.PayAuthorized),
		string(backend.PayPartiallyPaid), string(backend.PayPaid), string(backend.PayPartiallyRefunded),
		string(backend.PayRefunded), string(backend.PayVoided), string(backend.PayFailed), string(backend.PayUnknown),
	}
	fulAxis = []string{
		string(backend.FulUnfulfilled), string(backend.FulOnHold), string(backend.FulInProgress),
		string(backend.FulPartial), string(backend.FulFulfilled), string(backend.FulDelivered),
		string(backend.FulReturned), string(backend.FulUnknown),
	}
)

// Aliases per axis: the word an operator types → the axis values it means.
var (
	orderAliases = map[string][]string{
		"canceled": {"cancelled"}, "void": {"cancelled"}, "complete": {"completed"},
		"hold": {"on_hold"}, "held": {"on_hold"}, "onhold": {"on_hold"},
	}
	payAliases = map[string][]string{
		"authorised": {"authorized"}, "partly_paid": {"partially_paid"},
		"partly_refunded": {"partially_refunded"}, "awaiting_payment": {"unpaid"},
	}
	fulAliases = map[string][]string{
		"unshipped": {"unfulfilled"}, "not_shipped": {"unfulfilled"},
		"shipped":           {"fulfilled", "delivered"},
		"partially_shipped": {"partial"}, "partly_shipped": {"partial"},
		"partially_fulfilled": {"partial"}, "partly_fulfilled": {"partial"},
		"received": {"delivered"}, "hold": {"on_hold"}, "held": {"on_hold"}, "onhold": {"on_hold"},
	}
)

// axisBit is the bit of value on an axis, 0 when the value is not one of it.
func axisBit(axis []string, value string) uint16 {
	for i, v := range axis {
		if v == value {
			return 1 << i
		}
	}
	return 0
}

// axisMask is the set of axis values a typed word names: the value itself
// or what its alias means. key is already normalised (see axisKey).
func axisMask(axis []string, aliases map[string][]string, key string) uint16 {
	if b := axisBit(axis, key); b != 0 {
		return b
	}
	var m uint16
	for _, v := range aliases[key] {
		m |= axisBit(axis, v)
	}
	return m
}

// axisKey normalises a folded word for axis lookup: spaces and dashes
// become underscores, so "on hold", "on-hold" and "on_hold" are one value.
func axisKey(v string) string {
	return strings.Map(func(r rune) rune {
		if r == ' ' || r == '-' {
			return '_'
		}
		return r
	}, strings.TrimSpace(v))
}

// Doc flags: what is: tests, and which times are set.
const (
	fPending uint16 = 1 << iota
	fFailed
	fConflict
	fArchived
	fOpen
	fCancelled
	fCompleted
	fInferred
	fHasCreated
	fHasUpdated
)

// isTable lists the is: values. Order is the order errors list them in.
var isTable = []struct {
	name  string
	flags uint16
}{
	{"pending", fPending},
	{"failed", fFailed},
	{"conflict", fConflict},
	{"attention", fPending | fFailed | fConflict},
	{"archived", fArchived},
	{"open", fOpen},
	{"cancelled", fCancelled},
	{"canceled", fCancelled},
	{"completed", fCompleted},
	{"inferred", fInferred},
}

func isNames() string {
	var names []string
	for _, v := range isTable {
		if v.name != "canceled" {
			names = append(names, v.name)
		}
	}
	return strings.Join(names, ", ")
}
