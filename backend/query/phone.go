package query

import (
	"bytes"
	"slices"
	"strconv"
	"strings"

	"orderdesk/backend"
)

// Phones
//
// A phone number is found however a person writes it: with or without
// the country code (+81, 0081), with or without the national trunk prefix
// (the 0 of 090), with spaces, dashes, brackets and dots, and in part.
// Country codes, national significant numbers (NSN) and trunk prefixes
// come from libphonenumber's metadata (github.com/nyaruka/phonenumbers),
// never from rules of our own: trunk prefixes differ per country (Italy
// keeps its 0 in the NSN, the US and Canada dial 1, Russia 8, Hungary 06)
// and some countries rewrite the digits as written (Argentina's mobile 15
// becomes a leading 9). The metadata is generated into phonedata.go and
// numbers are parsed by the library's algorithm in phoneparse.go: the
// library is not linked, as its package init costs every process some
// 20 ms (TestPhoneParseLikeLibrary holds the two to the same results).
//
// Matching is by containment, so that part of a number still finds it: a
// term is reduced to one needle of digits, and an order matches when one
// of its phones has a key holding the needle.
//
// A term written with a country code (+CC or 00CC) is parsed into CC and
// NSN ("+81 (0)90 1234 5678" → 81, 9012345678; "+39 06 1234" → 39,
// 061234); the needle is the NSN, and it matches phones written with that
// country code and phones written without one (the shipping country is a
// guess for those: a customer in China may ship to New York). Any other
// term is not parsed (its country is unknown): the needle is its digits
// without leading zeros ("(090) 1234-5678" → 9012345678).
//
// An order keeps, per phone (customer, shipping and billing; the same
// number once), keys of digits: the phone's digits as written, and its
// national form, trunk prefix + NSN (09012345678, 12125550134,
// 0612345678), which holds both the NSN and what a person dialling in the
// country types. The NSN of a stored phone is read without a full parse:
// written with +CC it is the digits after the code, cut by the table of
// codes; written without, it is the digits themselves, in the region of
// the order's shipping country (else billing). Either way any
// trunk prefix the writer kept, as in +44 (0)20, sits in front of the
// NSN and containment looks past it. NewDoc parses in full (parsePhone,
// some 0.5 µs; the library's parse cost 8 to 12 µs, as much as the rest of
// a Doc) only phones of the regions whose trunk rules rewrite digits
// (rewritingRegions), where the digits as written need not hold the NSN.
//
// Limits: a term in a national form with a non-zero trunk prefix (1 212…,
// 8 916…) finds phones of that country only through their national form,
// so only when the order's phone carries +CC or the order ships to that
// country; a term dialled with an international prefix other than 00 (010
// from Japan, 011 from the US) is read as national digits.

// minPhoneDigits is the fewest digits of a phone-like free-text term, and
// of a needle cut from a longer one.
const minPhoneDigits = 3

// phoneLike reports whether a folded term reads as (part of) a phone
// number: at least min digits and otherwise only + - ( ) . and spaces.
func phoneLike(s string, min int) bool {
	n := 0
	for i := 0; i < len(s); i++ {
		switch c := s[i]; {
		case isDigit(c):
			n++
		case c == '+' || c == '-' || c == '(' || c == ')' || c == '.' || c == ' ':
		default:
			return false
		}
	}
	return n >= min
}

func isDigit(c byte) bool { return '0' <= c && c <= '9' }

// international returns the digits of a folded phone from its country
// code on (without the 00 of 00CC), when it is written with one.
func international(s string) (string, bool) {
	d := digits(s)
	cut, ok := intlCut(s, d)
	return d[cut:], ok
}

// intlCut says whether the phone p, whose digits are d, is written with a
// country code (+CC or 00CC), and how many digits of d come before the
// code.
func intlCut[T string | []byte](p string, d T) (cut int, ok bool) {
	switch t := strings.TrimLeft(p, " ("); {
	case strings.HasPrefix(t, "+"):
		return 0, len(d) > 0
	case len(d) > 2 && d[0] == '0' && d[1] == '0':
		return 2, true
	}
	return 0, false
}

// callingCode is the length of the country calling code the digits d
// start with, from the library's table (calling codes are prefix-free),
// and the main region of that code ("001" for a non-geographic code); n is
// 0 when d starts with none.
func callingCode[T string | []byte](d T) (n int, region string) {
	cc := 0
	for n := 1; n <= 3 && n <= len(d); n++ {
		cc = cc*10 + int(d[n-1]-'0')
		if m := metaForCode(cc); m != nil {
			return n, m.region
		}
	}
	return 0, ""
}

// phoneNeedle is a phone-like term reduced for matching.
type phoneNeedle struct {
	nsn   string     // the digits a phone key must contain; "" for no phone search
	ccTag string     // "+CC"+sep when written with a country code, else ""
	pairs digitPairs // the digit pairs of nsn
}

// newPhoneNeedle reduces a folded phone-like value (see the comment at
// the top of this file).
func newPhoneNeedle(v string) phoneNeedle {
	n := phoneNeedle{nsn: digits(v)}
	if full, ok := international(v); ok {
		if cc, nsn := splitNumber(full); cc != "" && len(nsn) >= minPhoneDigits {
			n.nsn, n.ccTag = nsn, "+"+cc+sep
		}
	} else if rest := strings.TrimLeft(n.nsn, "0"); len(rest) >= minPhoneDigits {
		n.nsn = rest
	}
	n.pairs.add(n.nsn)
	return n
}

// splitNumber parses digits written after a + into country code and NSN.
// A number too short for a parse (being typed) is cut by the table of
// codes. cc is "" when no calling code starts full.
func splitNumber(full string) (cc, nsn string) {
	if code, nsn, err := parsePhone("+"+full, ""); err == nil {
		return strconv.Itoa(code), nsn
	}
	n, _ := callingCode(full)
	return full[:n], full[n:]
}

// rewritingRegions are the regions whose national prefix rule in the
// library's metadata writes digits into the NSN (Argentina's 15 → 9, the
// area code of a Caribbean island before a 7-digit local number), so that
// the digits of a number written there need not hold its NSN. Their
// phones get a full parse. TestRewritingRegions keeps the list equal to
// the library's.
const rewritingRegions = "AG AI AR AS BB BM BS CC CX DM GD GG GU IM JE KN KY LC MG MP MS NF SM SX TC TT VC VG VI"

func rewrites(region string) bool {
	return len(region) == 2 && strings.Contains(rewritingRegions, region)
}

// phoneRegion is the region an order's phones written without a country
// code are read in: the shipping country, else the billing country.
func phoneRegion(o *backend.Order) string {
	for _, a := range []*backend.Address{o.ShippingAddress, o.BillingAddress} {
		if a != nil {
			if r := strings.ToUpper(strings.TrimSpace(a.CountryCode)); r != "" {
				return r
			}
		}
	}
	return ""
}

// appendNational appends the national form of the digits d (an NSN, or
// a national number as written) to b: behind the region's trunk prefix,
// unless d starts with it already.
func appendNational[T string | []byte](b []byte, d T, region string) []byte {
	ndd := nddPrefix(region)
	if ndd != "" && !(len(d) >= len(ndd) && string(d[:len(ndd)]) == ndd) {
		b = append(b, ndd...)
	}
	return append(b, d...)
}

// appendParsed appends the national form of a phone parsed in region (a
// rewriting region), or nothing when it cannot be read.
func appendParsed(b []byte, number, region string) []byte {
	_, nsn, err := parsePhone(number, region)
	if err != nil {
		return b
	}
	return appendNational(b, nsn, region)
}

// keyEnd ends the key written at b[start:]: it drops it when empty or
// contained in b[from:start], else appends sep.
func keyEnd(b []byte, from, start int) []byte {
	if len(b) == start || bytes.Contains(b[from:start], b[start:]) {
		return b[:start]
	}
	return append(b, sep...)
}

// buildPhones fills the phones string and d.intlAt: first the keys of the phones
// written without a country code, each followed by sep; then, from
// intlAt, one segment per phone written with one: "+CC", sep, and its
// keys each followed by sep. A key contained in one already written to the
// same part is left out. Keys are built in place: the only allocation is
// the phones string (and a parse in a rewriting region).
func (b *docBuild) buildPhones(o *backend.Order) {
	var natBuf, intlBuf [128]byte
	nat, intl := natBuf[:0], intlBuf[:0]
	region := phoneRegion(o)
	phones := [...]string{o.Customer.Phone, addressPhone(o.ShippingAddress), addressPhone(o.BillingAddress)}
	for i, p := range phones {
		if p == "" || slices.Contains(phones[:i], p) {
			continue // the customer's phone is usually the recipient's too
		}
		p = fold(p)
		start := len(nat)
		for j := 0; j < len(p); j++ {
			if isDigit(p[j]) {
				nat = append(nat, p[j])
			}
		}
		if cut, ok := intlCut(p, nat[start:]); ok {
			full := nat[start+cut:]
			if n, cr := callingCode(full); n > 0 {
				intl = appendIntl(intl, full, n, cr)
				nat = nat[:start]
				continue
			}
			nat = append(nat[:start], full...) // no such code: its digits as they are
		}
		if len(nat) == start {
			continue
		}
		var written string
		if rewrites(region) {
			written = string(nat[start:])
		}
		// the national form goes after the digits, then moves down over them
		end := len(nat)
		nat = appendNational(nat, nat[start:end], region)
		nat = keyEnd(append(nat[:start], nat[end:]...), 0, start)
		if written != "" {
			k := len(nat)
			nat = keyEnd(appendParsed(nat, written, region), 0, k)
		}
	}
	b.d.intlAt = uint32(len(nat))
	b.s[sPhones] = string(append(nat, intl...))
}

// appendIntl appends the segment of a phone written with a country code:
// full is its digits from the code on, n the length of the code, cr the
// code's region. The same phone twice is written once.
func appendIntl(b, full []byte, n int, cr string) []byte {
	seg := len(b)
	b = append(append(append(b, '+'), full[:n]...), sep...)
	keys := len(b)
	b = append(append(b, full...), sep...)
	if bytes.Contains(b[:seg], b[seg:]) {
		return b[:seg]
	}
	if n < len(full) {
		k := len(b)
		b = keyEnd(appendNational(b, full[n:], cr), keys, k)
	}
	if rewrites(cr) {
		k := len(b)
		b = keyEnd(appendParsed(b, "+"+string(full), cr), keys, k)
	}
	return b
}

func addressPhone(a *backend.Address) string {
	if a == nil {
		return ""
	}
	return a.Phone
}

// phoneHas reports whether a phone of the order has a key holding the
// needle; a needle with a country code looks only at the phones written
// without one and those written with the same code.
func (d *Doc) phoneHas(n *phoneNeedle) bool {
	if n.nsn == "" || !d.phonePairs.covers(&n.pairs) {
		return false
	}
	if n.ccTag == "" {
		return strings.Contains(d.phones(), n.nsn)
	}
	phones := d.phones()
	if strings.Contains(phones[:d.intlAt], n.nsn) {
		return true
	}
	for rest := phones[d.intlAt:]; rest != ""; {
		seg := rest
		if i := strings.IndexByte(rest[1:], '+'); i >= 0 {
			seg, rest = rest[:i+1], rest[i+1:]
		} else {
			rest = ""
		}
		if strings.HasPrefix(seg, n.ccTag) && strings.Contains(seg[len(n.ccTag):], n.nsn) {
			return true
		}
	}
	return false
}

// A phone number pasted into the filter arrives as several words
// (+81 90-1234-5678 is "+81" and "90-1234-5678"), and no word alone finds
// it. phoneRun groups such words into one term that matches when the
// words read as one phone number match a phone, or when every word
// matches as its own term, as it did before: grouping only ever adds
// orders, so a query of separate numbers (1001 1002) keeps its results.
//
// A run starts at a word that is not negated and is free text or a phone:
// term, continues over the free-text words that follow it, not negated,
// and every word of it is made of digits and + ( ) - . only, with a digit.
// It must look like a phone number: a country code in front (+CC, 00CC)
// or at least five digits (the shortest national numbers, of the Cook
// Islands, have five). The test is on the folded values, not on how
// they were quoted, so the canonical form groups the same way.

// minRunDigits is the fewest digits of a run without a country code.
const minRunDigits = 5

// phoneRun returns the end of the run that starts at raws[i], or i+1 when
// none does.
func phoneRun(raws []rawTerm, i int) int {
	if h := raws[i]; h.neg || !phoneWord(h.value) || h.field != "" && !isPhoneField(h) {
		return i + 1
	}
	j := i + 1
	for j < len(raws) && !raws[j].neg && raws[j].field == "" && phoneWord(raws[j].value) {
		j++
	}
	if j == i+1 {
		return j
	}
	v := runValue(raws[i:j])
	if _, ok := international(v); ok || len(digits(v)) >= minRunDigits {
		return j
	}
	return i + 1
}

func isPhoneField(rt rawTerm) bool {
	f, ok := lookupField(rt.field)
	return ok && f.kind == kPhone && rt.op == ":"
}

// phoneWord reports whether a value is one word of a phone number:
// folded and trimmed (as phone: values are), digits and + ( ) - . only,
// at least one digit.
func phoneWord(v string) bool {
	v = runWord(v)
	return phoneLike(v, 1) && !strings.Contains(v, " ")
}

func runWord(v string) string { return strings.TrimSpace(fold(v)) }

// runValue is the words of a run as one folded value.
func runValue(raws []rawTerm) string {
	words := make([]string, len(raws))
	for i, rt := range raws {
		words[i] = runWord(rt.value)
	}
	return strings.Join(words, " ")
}

// runTerm builds the term of a run from its words and their terms.
func runTerm(raws []rawTerm, parts []term) term {
	v := runValue(raws)
	canon := make([]string, len(parts))
	for i := range parts {
		canon[i] = parts[i].canon
	}
	return term{kind: kPhoneRun, str: v, phone: newPhoneNeedle(v), parts: parts, canon: strings.Join(canon, " ")}
}
