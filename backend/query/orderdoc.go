package query

import (
	"strings"
	"time"

	"orderdesk/backend"
)

// section names one part of a Doc's free-text haystack.
type section uint8

const (
	secNumber section = iota
	secName
	secEmail
	secSKU
	secTitle
	secTracking
	secCity
	secProvince
	numSections
)

// sep separates values in a Doc's strings. fold never leaves a NUL in a
// needle, so no match can span two values.
const sep = "\x00"

// Doc is an order prepared for matching: everything a term looks at,
// folded and precomputed once, so Query.Match does no allocation and no
// case mapping. Build Docs with NewDocs when orders are loaded and NewDoc
// when one changes, and reuse them for every query. A Doc does not keep
// its order, is never modified, and may be shared between goroutines.
type Doc struct {
	// Hot fields first: the exact-value keys, flags and axis bits fill the
	// first cache line, the times and total the next, then the free-text
	// prefilters; the strings behind the headers further down are read
	// only when a prefilter lets a term through.
	exact                    uint64 // Bloom filter of tags, raw status values and label (valueBits)
	shopK, platformK         uint64 // valueKey of shop, platform, ...
	currencyK                uint64
	countryK, countryNameK   uint64
	flags                    uint16
	orderBit, payBit, fulBit uint16 // the value's bit on its axis, 0 when unknown
	created, updated         int64  // unix seconds
	createdWall, updatedWall int64  // wall-clock seconds in the shop's zone, counted as if UTC
	total                    backend.Amount

	textBytes  byteSet                 // the bytes of text
	textGrams  gramSet                 // the byte pairs of text
	phonePairs digitPairs              // the digit pairs of phones
	intlAt     uint32                  // phones[intlAt:] are the phones written with a country code (buildPhones)
	off        [numSections + 1]uint32 // section i is text[off[i]:off[i+1]]

	// text is the free-text haystack: the sections in order, each value
	// followed by sep.
	text     string
	phones   string // keys of each phone (buildPhones)
	carriers string // folded carriers, sep-separated
	tags     string // sep + each folded tag + sep, or ""
	raw      string // sep + each folded raw status value + sep, or ""
	label    string // folded status label

	shop, platform, currency string // folded
	country, countryName     string // folded, of the shipping address
}

// NewDoc prepares o for matching. loc is the shop's timezone, used for
// date literals (nil means UTC). It reads the fields the cache's slim
// orders carry (see sync.Store.Scan) and o.Pending. To prepare many
// orders at once, NewDocs is faster to match against.
func NewDoc(o *backend.Order, loc *time.Location) Doc {
	docs := []Doc{newDoc(o, loc)}
	pack(docs)
	return docs[0]
}

// NewDocs prepares orders for matching: docs[i] is NewDoc(orders[i]) in
// its shop's zone (loc nil or returning nil means UTC). The Docs' strings
// are laid out together in the order of orders, in blocks of about 1 MiB,
// so a pass of Match over docs reads memory in sequence. Rebuild a single
// changed order with NewDoc.
func NewDocs(orders []*backend.Order, loc func(shop string) *time.Location) []Doc {
	docs := make([]Doc, len(orders))
	start, size := 0, 0
	for i, o := range orders {
		var z *time.Location
		if loc != nil {
			z = loc(o.Shop)
		}
		docs[i] = newDoc(o, z)
		for _, f := range docs[i].strs() {
			size += len(*f)
		}
		if size >= packBlock {
			pack(docs[start : i+1])
			start, size = i+1, 0
		}
	}
	pack(docs[start:])
	return docs
}

const packBlock = 1 << 20

func newDoc(o *backend.Order, loc *time.Location) Doc {
	if loc == nil {
		loc = time.UTC
	}
	d := Doc{
		shop:     fold(o.Shop),
		platform: fold(string(o.Platform)),
		currency: fold(o.Currency),
		label:    fold(o.StatusLabel),
		total:    o.Totals.GrandTotal,
		orderBit: axisBit(orderAxis, string(o.State.Order)),
		payBit:   axisBit(payAxis, string(o.State.Payment)),
		fulBit:   axisBit(fulAxis, string(o.State.Fulfillment)),
	}
	d.buildText(o)
	d.buildLists(o)
	d.flags = docFlags(o)
	d.prefilter()
	if o.CreatedAt != nil {
		d.flags |= fHasCreated
		d.created, d.createdWall = unixAndWall(*o.CreatedAt, loc)
	}
	if o.UpdatedAt != nil {
		d.flags |= fHasUpdated
		d.updated, d.updatedWall = unixAndWall(*o.UpdatedAt, loc)
	}
	return d
}

// strs points at every string of d, the haystack first.
func (d *Doc) strs() [11]*string {
	return [...]*string{&d.text, &d.phones, &d.shop, &d.platform, &d.currency, &d.country,
		&d.countryName, &d.label, &d.raw, &d.tags, &d.carriers}
}

// pack moves the strings of docs into one allocation: first every
// haystack, in order, then the other strings, so a pass of Match reads
// the haystacks as one dense stretch of memory.
func pack(docs []Doc) {
	n := 0
	for i := range docs {
		for _, f := range docs[i].strs() {
			n += len(*f)
		}
	}
	var b strings.Builder
	b.Grow(n)
	for i := range docs {
		b.WriteString(docs[i].text)
	}
	for i := range docs {
		fs := docs[i].strs()
		for _, f := range fs[1:] {
			b.WriteString(*f)
		}
	}
	all := b.String()
	for i := range docs {
		n := len(docs[i].text)
		docs[i].text, all = all[:n], all[n:]
	}
	for i := range docs {
		fs := docs[i].strs()
		for _, f := range fs[1:] {
			n := len(*f)
			*f, all = all[:n], all[n:]
		}
	}
}

// prefilter fills the sets and the Bloom filter of exact values.
func (d *Doc) prefilter() {
	d.textBytes.add(d.text)
	d.textGrams.add(d.text)
	d.phonePairs.add(d.phones)
	d.shopK, d.platformK, d.currencyK = valueKey(d.shop), valueKey(d.platform), valueKey(d.currency)
	d.countryK, d.countryNameK = valueKey(d.country), valueKey(d.countryName)
	d.exact = valueBits(kStatus, d.label)
	eachValue(d.raw, func(v string) { d.exact |= valueBits(kStatus, v) })
	eachValue(d.tags, func(v string) { d.exact |= valueBits(kTag, v) })
}

func unixAndWall(t time.Time, loc *time.Location) (unix, wall int64) {
	_, offset := t.In(loc).Zone()
	return t.Unix(), t.Unix() + int64(offset)
}

// sec returns one section of the haystack.
func (d *Doc) sec(s section) string { return d.text[d.off[s]:d.off[s+1]] }

// buildText writes the free-text haystack, one section at a time.
func (d *Doc) buildText(o *backend.Order) {
	var ship backend.Address
	if o.ShippingAddress != nil {
		ship = *o.ShippingAddress
	}
	var b strings.Builder
	b.Grow(256)
	add := func(s string) {
		if s = strings.TrimSpace(s); s != "" {
			foldInto(&b, s)
			b.WriteString(sep)
		}
	}
	mark := func(s section) { d.off[s] = uint32(b.Len()) }

	mark(secNumber)
	add(o.Number)
	mark(secName)
	add(o.Customer.Name)
	if !strings.EqualFold(ship.Name, o.Customer.Name) {
		add(ship.Name)
	}
	mark(secEmail)
	add(o.Customer.Email)
	if !strings.EqualFold(ship.Email, o.Customer.Email) {
		add(ship.Email)
	}
	mark(secSKU)
	for _, it := range o.Items {
		add(it.SKU)
	}
	mark(secTitle)
	for _, it := range o.Items {
		add(it.Title)
	}
	mark(secTracking)
	for _, s := range o.Shipments {
		if k := trackingKey(strings.TrimSpace(s.TrackingNumber)); k != "" {
			b.WriteString(k)
			b.WriteString(sep)
		}
	}
	mark(secCity)
	add(ship.City)
	mark(secProvince)
	if !strings.EqualFold(ship.Province, ship.City) {
		add(ship.Province)
	}
	mark(numSections)
	d.text = b.String()
	d.country = fold(strings.TrimSpace(ship.CountryCode))
	d.countryName = fold(strings.TrimSpace(ship.Country))
}

// buildLists fills phones, carriers, tags and raw status values.
func (d *Doc) buildLists(o *backend.Order) {
	d.buildPhones(o)

	var carriers []string
	for _, s := range o.Shipments {
		if c := fold(strings.TrimSpace(s.Carrier)); c != "" {
			carriers = append(carriers, c)
		}
	}
	d.carriers = strings.Join(carriers, sep)

	d.tags = wrapped(o.Tags)
	raw := make([]string, 0, len(o.RawStatus))
	for _, v := range o.RawStatus {
		raw = append(raw, v)
	}
	d.raw = wrapped(raw)
}

// eachValue calls fn for each value of a wrapped string.
func eachValue(w string, fn func(string)) {
	for w != "" {
		var v string
		v, w, _ = strings.Cut(strings.TrimPrefix(w, sep), sep)
		if v != "" {
			fn(v)
		}
	}
}

// wrapped folds values into one string, each value between seps, so
// Contains(sep+v+sep) tests for an exact value. No values is "".
func wrapped(values []string) string {
	var b strings.Builder
	for _, v := range values {
		if v = fold(strings.TrimSpace(v)); v != "" {
			if b.Len() == 0 {
				b.WriteString(sep)
			}
			b.WriteString(v)
			b.WriteString(sep)
		}
	}
	return b.String()
}

// docFlags computes what is: looks at.
func docFlags(o *backend.Order) uint16 {
	var f uint16
	for _, p := range o.Pending {
		switch backend.EditState(p.State) {
		case backend.EditPending, backend.EditSending, backend.EditUnknown:
			f |= fPending
		case backend.EditFailed:
			f |= fFailed
		case backend.EditConflict:
			f |= fConflict
		}
	}
	if o.State.Archived {
		f |= fArchived
	}
	if o.State.Inferred {
		f |= fInferred
	}
	switch o.State.Order {
	case backend.OrderCancelled:
		f |= fCancelled
	case backend.OrderCompleted:
		f |= fCompleted
	default:
		f |= fOpen
	}
	return f
}
