package query

import (
	"cmp"
	"strings"
)

// match reports whether d satisfies t, ignoring t.neg. It must not
// allocate: it runs for every order on every keystroke.
func (t *term) match(d *Doc) bool {
	switch t.kind {
	case kText:
		// A one-byte needle admitted by the byte set is certainly there.
		if t.filter.admits(&d.textBytes, &d.textGrams) && (len(t.str) == 1 || t.find.in(d.text)) {
			return true
		}
		return d.phoneHas(&t.phone)
	case kPhoneRun:
		if d.phoneHas(&t.phone) {
			return true
		}
		for i := range t.parts {
			if !t.parts[i].match(d) {
				return false
			}
		}
		return true
	case kSection:
		return t.filter.admits(&d.textBytes, &d.textGrams) && t.find.in(d.sec(t.sec))
	case kCarrier:
		return t.find.in(d.carriers())
	case kPhone:
		return d.phoneHas(&t.phone)
	case kShop:
		return t.keyed(d.shopK, d, sShop)
	case kPlatform:
		return t.keyed(d.platformK, d, sPlatform)
	case kCurrency:
		return t.keyed(d.currencyK, d, sCurrency)
	case kCountry:
		return t.keyed(d.countryK, d, sCountry) || t.keyed(d.countryNameK, d, sCountryName)
	case kTag:
		for i, v := range t.vals {
			if d.exact&t.bits[i] == t.bits[i] && strings.Contains(d.tags(), v) {
				return true
			}
		}
		return false
	case kPay:
		return d.payBit&t.pm != 0
	case kShip:
		return d.fulBit&t.fm != 0
	case kIs:
		return d.flags&t.flags != 0
	case kStatus:
		return t.matchStatus(d)
	case kTotal:
		return t.matchTotal(d)
	case kCreated:
		return d.flags&fHasCreated != 0 && t.inRange(d.created, d.createdWall)
	case kUpdated:
		return d.flags&fHasUpdated != 0 && t.inRange(d.updated, d.updatedWall)
	}
	return false
}

// keyed reports whether the Doc's value f, with key k, is one of the
// term's values; the strings are read only to confirm a long value.
func (t *term) keyed(k uint64, d *Doc, f strField) bool {
	for i, tk := range t.keys {
		if tk == k && (keyExact(k) || t.vals[i] == d.str(f)) {
			return true
		}
	}
	return false
}

func (t *term) matchStatus(d *Doc) bool {
	if d.orderBit&t.om != 0 || d.payBit&t.pm != 0 || d.fulBit&t.fm != 0 || d.flags&t.flags != 0 {
		return true
	}
	for i, v := range t.vals {
		if d.exact&t.bits[i] == t.bits[i] && (v == d.label() || strings.Contains(d.raw(), t.wrapped[i])) {
			return true
		}
	}
	return false
}

func (t *term) matchTotal(d *Doc) bool {
	if t.currency != "" && t.curKey != d.currencyK {
		return false
	}
	var c int
	if coef, scale := d.total.Minor(); scale == t.scale {
		c = cmp.Compare(coef, t.coef) // the common case: no rescaling
	} else {
		c = d.total.Cmp(t.amount)
	}
	switch t.rel {
	case relLT:
		return c < 0
	case relLE:
		return c <= 0
	case relGT:
		return c > 0
	case relGE:
		return c >= 0
	}
	return c == 0
}

func (t *term) inRange(unix, wall int64) bool {
	v := unix
	if t.wall {
		v = wall
	}
	return t.lo <= v && v < t.hi
}
