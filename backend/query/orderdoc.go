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
	// 320 bytes, five cache lines: a pass of Match over many Docs reads
	// one line per Doc for most terms. Line 0 is what field terms read
	// (exact-value keys, flags, axis bits), line 1 the free-text
	// prefilters, line 2 the times, the total and the phone prefilter; the
	// strings behind the headers further down are read only when a
	// prefilter lets a term through. NewDocs allocates Docs in large
	// blocks, which start on a page, so the lines stay lines.
	exact                    uint64 // Bloom filter of tags, raw status values and label (valueBits)
	shopK, platformK         uint64 // valueKey of shop, platform, ...
	currencyK                uint64
	countryK, countryNameK   uint64
	flags                    uint16
	orderBit, payBit, fulBit uint16 // the value's bit on its axis, 0 when unknown
	intlAt                   uint32 // phones[intlAt:] are the phones written with a country code (buildPhones)

	textBytes byteSet // the bytes of text
	textGrams gramSet // the byte pairs of text

	created, updated         int64 // unix seconds
	createdWall, updatedWall int64 // wall-clock seconds in the shop's zone, counted as if UTC
	total                    backend.Amount
	phonePairs               digitPairs // the digit pairs of phones

	// text is the free-text haystack: the sections in order, each value
	// followed by sep; section i is text[off[i]:off[i+1]].
	text string
	off  [numSections + 1]uint32
	// strs holds the other strings (strField) one after the other; string
	// f ends at strEnd[f].
	strs   string
	strEnd [numStrs]uint32
	_      [16]byte // to five whole lines
}

// strField names one of a Doc's strings other than the haystack.
type strField uint8

const (
	sPhones      strField = iota // keys of each phone (buildPhones)
	sCarriers                    // folded carriers, sep-separated
	sTags                        // sep + each folded tag + sep, or ""
	sRaw                         // sep + each folded raw status value + sep, or ""
	sLabel                       // folded status label
	sShop                        // folded
	sPlatform                    // folded
	sCurrency                    // folded
	sCountry                     // folded, of the shipping address
	sCountryName                 // folded, of the shipping address
	numStrs
)

func (d *Doc) str(f strField) string {
	lo := uint32(0)
	if f > 0 {
		lo = d.strEnd[f-1]
	}
	return d.strs[lo:d.strEnd[f]]
}

func (d *Doc) phones() string   { return d.str(sPhones) }
func (d *Doc) carriers() string { return d.str(sCarriers) }
func (d *Doc) tags() string     { return d.str(sTags) }
func (d *Doc) raw() string      { return d.str(sRaw) }
func (d *Doc) label() string    { return d.str(sLabel) }

// docBuild is a Doc being built: its strings apart until pack lays them
// out in a Doc's text and strs.
type docBuild struct {
	d    Doc
	text string
	s    [numStrs]string
}

// NewDoc prepares o for matching. loc is the shop's timezone, used for
// date literals (nil means UTC). It reads the fields the cache's slim
// orders carry (see storage.Store.Scan) and o.Pending. To prepare many
// orders at once, NewDocs is faster to match against.
func NewDoc(o *backend.Order, loc *time.Location) Doc {
	docs := make([]Doc, 1)
	pack([]docBuild{newDoc(o, loc)}, docs)
	return docs[0]
}

// NewDocs prepares orders for matching: docs[i] is NewDoc(orders[i]) in
// its shop's zone (loc nil or returning nil means UTC). The Docs' strings
// are laid out together in the order of orders, in blocks of about 1 MiB,
// so a pass of Match over docs reads memory in sequence. Rebuild a single
// changed order with NewDoc.
func NewDocs(orders []*backend.Order, loc func(shop string) *time.Location) []Doc {
	docs := make([]Doc, len(orders))
	var builds []docBuild
	start, size := 0, 0
	for i, o := range orders {
		var z *time.Location
		if loc != nil {
			z = loc(o.Shop)
		}
		b := newDoc(o, z)
		size += b.size()
		builds = append(builds, b)
		if size >= packBlock {
			pack(builds, docs[start:i+1])
			builds, start, size = builds[:0], i+1, 0
		}
	}
	pack(builds, docs[start:])
	return docs
}

const packBlock = 1 << 20

func newDoc(o *backend.Order, loc *time.Location) docBuild {
	if loc == nil {
		loc = time.UTC
	}
	var b docBuild
	b.s[sShop], b.s[sPlatform], b.s[sCurrency] = fold(o.Shop), fold(string(o.Platform)), fold(o.Currency)
	b.s[sLabel] = fold(o.StatusLabel)
	d := &b.d
	d.total = o.Totals.GrandTotal
	d.orderBit = axisBit(orderAxis, string(o.State.Order))
	d.payBit = axisBit(payAxis, string(o.State.Payment))
	d.fulBit = axisBit(fulAxis, string(o.State.Fulfillment))
	b.buildText(o)
	b.buildLists(o)
	d.flags = docFlags(o)
	b.prefilter()
	if o.CreatedAt != nil {
		d.flags |= fHasCreated
		d.created, d.createdWall = unixAndWall(*o.CreatedAt, loc)
	}
	if o.UpdatedAt != nil {
		d.flags |= fHasUpdated
		d.updated, d.updatedWall = unixAndWall(*o.UpdatedAt, loc)
	}
	return b
}

// size is the length of b's strings.
func (b *docBuild) size() int {
	n := len(b.text)
	for _, s := range b.s {
		n += len(s)
	}
	return n
}

// pack lays out the strings of builds in one allocation and writes the
// Docs to docs: first every haystack, in order, then the other strings, so
// a pass of Match reads the haystacks as one dense stretch of memory.
func pack(builds []docBuild, docs []Doc) {
	n := 0
	for i := range builds {
		n += builds[i].size()
	}
	var sb strings.Builder
	sb.Grow(n)
	for i := range builds {
		sb.WriteString(builds[i].text)
	}
	for i := range builds {
		for _, s := range builds[i].s {
			sb.WriteString(s)
		}
	}
	all := sb.String()
	for i := range builds {
		b := &builds[i]
		docs[i] = b.d
		docs[i].text, all = all[:len(b.text)], all[len(b.text):]
	}
	for i := range builds {
		b, d := &builds[i], &docs[i]
		end := 0
		for f, s := range b.s {
			end += len(s)
			d.strEnd[f] = uint32(end)
		}
		d.strs, all = all[:end], all[end:]
	}
}

// prefilter fills the sets and the Bloom filter of exact values.
func (b *docBuild) prefilter() {
	d := &b.d
	d.textBytes.add(b.text)
	d.textGrams.add(b.text)
	d.phonePairs.add(b.s[sPhones])
	d.shopK, d.platformK, d.currencyK = valueKey(b.s[sShop]), valueKey(b.s[sPlatform]), valueKey(b.s[sCurrency])
	d.countryK, d.countryNameK = valueKey(b.s[sCountry]), valueKey(b.s[sCountryName])
	d.exact = valueBits(kStatus, b.s[sLabel])
	eachValue(b.s[sRaw], func(v string) { d.exact |= valueBits(kStatus, v) })
	eachValue(b.s[sTags], func(v string) { d.exact |= valueBits(kTag, v) })
}

func unixAndWall(t time.Time, loc *time.Location) (unix, wall int64) {
	_, offset := t.In(loc).Zone()
	return t.Unix(), t.Unix() + int64(offset)
}

// sec returns one section of the haystack.
func (d *Doc) sec(s section) string { return d.text[d.off[s]:d.off[s+1]] }

// buildText writes the free-text haystack, one section at a time.
func (db *docBuild) buildText(o *backend.Order) {
	d := &db.d
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
	db.text = b.String()
	db.s[sCountry] = fold(strings.TrimSpace(ship.CountryCode))
	db.s[sCountryName] = fold(strings.TrimSpace(ship.Country))
}

// buildLists fills phones, carriers, tags and raw status values.
func (b *docBuild) buildLists(o *backend.Order) {
	b.buildPhones(o)

	var carriers []string
	for _, s := range o.Shipments {
		if c := fold(strings.TrimSpace(s.Carrier)); c != "" {
			carriers = append(carriers, c)
		}
	}
	b.s[sCarriers] = strings.Join(carriers, sep)

	b.s[sTags] = wrapped(o.Tags)
	raw := make([]string, 0, len(o.RawStatus))
	for _, v := range o.RawStatus {
		raw = append(raw, v)
	}
	b.s[sRaw] = wrapped(raw)
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
