package query

import (
	"fmt"
	"strings"
	"time"

	"orderdesk/backend"
)

// relation is a comparison operator of total, created and updated.
type relation uint8

const (
	relEQ relation = iota
	relLT
	relLE
	relGT
	relGE
)

var relations = map[string]relation{":": relEQ, "=": relEQ, "<": relLT, "<=": relLE, ">": relGT, ">=": relGE}

// term is one compiled term. Which fields are used depends on kind.
type term struct {
	kind     kind
	neg      bool
	sec      section        // kSection
	str      string         // free text, substring needle
	phone    phoneNeedle    // phone-like free text, phone:, a pasted phone number
	parts    []term         // a pasted phone number: its words as separate terms
	filter   textFilter     // what str needs of the haystack
	find     finder         // the search for str
	vals     []string       // exact values, folded (tags wrapped in sep)
	keys     []uint64       // shop, platform, currency, country: valueKey of each value
	bits     []uint64       // tag, status: valueBits of each value
	wrapped  []string       // status: vals wrapped in sep
	om, pm   uint16         // order / payment axis masks
	fm       uint16         // fulfillment axis mask
	flags    uint16         // is: flags (status:archived too)
	lo, hi   int64          // created/updated: accepted seconds [lo, hi)
	wall     bool           // lo/hi are wall-clock seconds in the shop's zone
	rel      relation       // total, created, updated
	amount   backend.Amount // total
	coef     int64          // total: amount's Minor()
	scale    int
	currency string // total: only orders in this currency (folded), or ""
	curKey   uint64 // valueKey(currency)
	canon    string // the term in canonical form
}

// evalOrder orders terms for evaluation so that most orders are rejected
// early and cheaply: positive terms before negated ones (a negated term
// rarely rejects), and within each, flags and exact values, then status
// and tags, then substring fields, then free text; among substring and
// text terms the longer needle (usually the more selective) first.
// Evaluation order never changes a result: all terms must match.
func evalOrder(a, b term) int {
	if ra, rb := a.rank(), b.rank(); ra != rb {
		return ra - rb
	}
	return len(b.str) - len(a.str)
}

func (t *term) rank() int {
	r := 0
	switch t.kind {
	case kText, kPhoneRun:
		r = 3
	case kSection, kCarrier, kPhone:
		r = 2
	case kStatus, kTag:
		r = 1
	}
	if t.neg {
		r += 4
	}
	return r
}

// compile checks one raw term and turns it into a term.
func compile(rt rawTerm, now time.Time) (term, *Error) {
	fail := func(k ErrorKind, format string, a ...any) (term, *Error) {
		return term{}, &Error{Term: rt.text, Pos: rt.pos, Kind: k, Msg: fmt.Sprintf(format, a...)}
	}
	if rt.field == "" {
		t, ok := compileText(rt.value)
		if !ok {
			return fail(ErrMissingValue, "empty term")
		}
		t.neg = rt.neg
		t.canon = negPrefix(rt.neg) + t.canon
		return t, nil
	}
	f, ok := lookupField(rt.field)
	if !ok {
		return fail(ErrUnknownField, "unknown field %s (known: %s)", backend.Quote(rt.field), fieldNames())
	}
	if !f.cmp && rt.op != ":" {
		return fail(ErrNoComparison, "%s: cannot be compared with %s; write %s:VALUE (only total, created and updated compare)", f.name, backend.Quote(rt.op), f.name)
	}
	if blank(rt.value) || f.list && allBlank(rt.parts) {
		return fail(ErrMissingValue, "%s%s needs a value", f.name, rt.op)
	}
	t := term{kind: f.kind, neg: rt.neg, sec: f.sec}
	var k ErrorKind
	var msg string
	switch {
	case f.list:
		k, msg = t.compileList(f, rt.parts)
	case f.cmp:
		k, msg = t.compileCmp(f, rt.op, rt.value, now)
	default:
		k, msg = t.compileSubstring(f, rt.value)
	}
	if msg != "" {
		return fail(k, "%s", msg)
	}
	t.canon = negPrefix(rt.neg) + t.canon
	return t, nil
}

func negPrefix(neg bool) string {
	if neg {
		return "-"
	}
	return ""
}

// blank reports whether v is nothing but white space and control
// characters once folded.
func blank(v string) bool { return strings.TrimSpace(fold(v)) == "" }

func allBlank(parts []string) bool {
	for _, p := range parts {
		if !blank(p) {
			return false
		}
	}
	return true
}

// compileText builds a free-text term; ok is false for a blank one.
func compileText(value string) (term, bool) {
	if blank(value) {
		return term{}, false
	}
	v := fold(value)
	t := term{kind: kText, str: v, canon: quote(v, false, true), filter: newTextFilter(v), find: newFinder(v)}
	if phoneLike(v, minPhoneDigits) {
		t.phone = newPhoneNeedle(v)
	}
	return t, true
}

// compileList builds an exact-match term from comma-separated
// alternatives.
func (t *term) compileList(f fieldDef, parts []string) (ErrorKind, string) {
	var shown []string
	for _, p := range parts {
		v := strings.TrimSpace(fold(p))
		if v == "" {
			continue
		}
		switch f.kind {
		case kStatus:
			key := axisKey(v)
			t.om |= axisMask(orderAxis, orderAliases, key)
			t.pm |= axisMask(payAxis, payAliases, key)
			t.fm |= axisMask(fulAxis, fulAliases, key)
			if key == "archived" {
				t.flags |= fArchived
			}
			t.vals = append(t.vals, v)
			t.wrapped = append(t.wrapped, sep+v+sep)
			t.bits = append(t.bits, valueBits(kStatus, v))
		case kPay:
			v = axisKey(v)
			t.pm |= axisMask(payAxis, payAliases, v)
		case kShip:
			v = axisKey(v)
			t.fm |= axisMask(fulAxis, fulAliases, v)
		case kIs:
			flags, ok := isFlags(v)
			if !ok {
				return ErrUnknownValue, fmt.Sprintf("unknown value %s for is: (valid: %s)", backend.Quote(v), isNames())
			}
			t.flags |= flags
		case kTag:
			t.vals = append(t.vals, sep+v+sep)
			t.bits = append(t.bits, valueBits(kTag, v))
		default:
			t.vals = append(t.vals, v)
			t.keys = append(t.keys, valueKey(v))
		}
		shown = append(shown, quote(v, true, false))
	}
	t.canon = f.name + ":" + strings.Join(shown, ",")
	return 0, ""
}

func isFlags(v string) (uint16, bool) {
	for _, e := range isTable {
		if e.name == v {
			return e.flags, true
		}
	}
	return 0, false
}

// compileSubstring builds a substring term (sku, title, carrier, tracking,
// email, name, city, number) or a phone term.
func (t *term) compileSubstring(f fieldDef, value string) (ErrorKind, string) {
	v := fold(value)
	switch {
	case f.kind == kPhone:
		v = strings.TrimSpace(v)
		if !phoneLike(v, 1) {
			return ErrBadValue, fmt.Sprintf("%s is not a phone number (digits, spaces and + - ( ) .)", backend.Quote(v))
		}
		t.phone = newPhoneNeedle(v)
	case f.sec == secTracking:
		v = trackingKey(v)
		if v == "" {
			return ErrMissingValue, "tracking: needs a value"
		}
		t.str = v
	default:
		t.str = v
	}
	t.filter = newTextFilter(t.str)
	t.find = newFinder(t.str)
	t.canon = f.name + ":" + quote(v, false, false)
	return 0, ""
}

// compileCmp builds a total, created or updated comparison.
func (t *term) compileCmp(f fieldDef, op, value string, now time.Time) (ErrorKind, string) {
	t.rel = relations[op]
	canonOp := op
	if canonOp == ":" {
		canonOp = "="
	}
	v := strings.TrimSpace(fold(value))
	if f.kind == kTotal {
		amount, cur, ok := parseTotal(v)
		if !ok {
			return ErrBadNumber, fmt.Sprintf("%s is not an amount", backend.Quote(v))
		}
		t.amount, t.currency, t.curKey = amount, cur, valueKey(cur)
		t.coef, t.scale = amount.Minor()
		t.canon = f.name + canonOp + quote(v, false, false)
		return 0, ""
	}
	lo, hi, wall, canon, msg := timeRange(t.rel, v, now)
	if msg != "" {
		return ErrBadDate, msg
	}
	t.lo, t.hi, t.wall = lo, hi, wall
	t.canon = f.name + canonOp + quote(canon, false, false)
	return 0, ""
}
