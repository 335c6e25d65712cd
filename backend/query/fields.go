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
	name    string
	kind    kind
	sec     section // for kSection
	list    bool    // value may be a comma-separated list of alternatives
	cmp     bool    // takes > >= < <= =
	example string  // one term using the field, for help
	help    string
}

// fieldTable is the language's field list, in the order errors and help
// show it. It is never modified.
var fieldTable = []fieldDef{
	{name: "shop", kind: kShop, list: true, example: "shop:eu-store", help: "shop name, exact"},
	{name: "platform", kind: kPlatform, list: true, example: "platform:shopline", help: "fecshop, fecmall, shopline or ymcart"},
	{name: "status", kind: kStatus, list: true, example: "status:cancelled", help: "order, payment or shipping state, raw status"},
	{name: "pay", kind: kPay, list: true, example: "pay:paid", help: "payment: unpaid, pending, paid, refunded, ..."},
	{name: "ship", kind: kShip, list: true, example: "ship:unshipped", help: "shipping: unfulfilled, shipped, delivered, ..."},
	{name: "country", kind: kCountry, list: true, example: "country:jp", help: "shipping country, code or name"},
	{name: "sku", kind: kSection, sec: secSKU, example: "sku:lc79", help: "item SKU, part of it"},
	{name: "title", kind: kSection, sec: secTitle, example: "title:legging", help: "item title, part of it"},
	{name: "carrier", kind: kCarrier, example: "carrier:ups", help: "shipment carrier, part of it"},
	{name: "tracking", kind: kSection, sec: secTracking, example: "tracking:1z999", help: "tracking number, part; spaces, dashes ignored"},
	{name: "email", kind: kSection, sec: secEmail, example: "email:@example.jp", help: "customer or recipient e-mail, part of it"},
	{name: "phone", kind: kPhone, example: "phone:090-1234-5678", help: "any phone of the order, written any way"},
	{name: "name", kind: kSection, sec: secName, example: "name:wang", help: "customer or recipient name, part of it"},
	{name: "tag", kind: kTag, list: true, example: "tag:vip", help: "tag, exact"},
	{name: "currency", kind: kCurrency, list: true, example: "currency:jpy", help: "order currency"},
	{name: "city", kind: kSection, sec: secCity, example: `city:"new york"`, help: "shipping city, part of it"},
	{name: "number", kind: kSection, sec: secNumber, example: "number:1001", help: "order number, part of it"},
	{name: "total", kind: kTotal, cmp: true, example: "total>100USD", help: "grand total, > >= < <= =; in one currency if given"},
	{name: "created", kind: kCreated, cmp: true, example: "created<7d", help: "creation, an age (7d, 2w, 12h) or a date (2024-01-31)"},
	{name: "updated", kind: kUpdated, cmp: true, example: "updated>30d", help: "last change, an age or a date, as created"},
	{name: "is", kind: kIs, list: true, example: "is:attention", help: "pending, failed, conflict, attention (any of those three), archived, open, cancelled, completed, inferred"},
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
	Name    string // as typed before ':' or an operator
	Example string // one term using it: "pay:paid", "total>100USD"
	Help    string // what it matches and how, in a few words (reads beside the name or the example)
}

// Fields lists the fields the language knows, in help order.
func Fields() []Field {
	out := make([]Field, len(fieldTable))
	for i, f := range fieldTable {
		out[i] = Field{Name: f.name, Example: f.example, Help: f.help}
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
