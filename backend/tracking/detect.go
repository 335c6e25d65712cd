package tracking

import (
	"cmp"
	"slices"
	"strings"
)

// Candidate is one carrier format a number matches.
type Candidate struct {
	Carrier Carrier
	Format  string // "UPS 1Z", "FedEx Express 12", "UPU S10" …
	// Number is what the carrier tracks: the normalised number, with a
	// USPS 420+ZIP routing prefix removed.
	Number string
	// Checksum is true when the format has a check digit (and it matched);
	// false for formats recognised by shape alone (YT…, SF…).
	Checksum bool
	Country  string // S10: ISO 3166 code of the posting operator
	Service  string // S10: kind of item ("EMS", "registered" …), "" if unnamed
}

// String describes the candidate for a pick list:
// "Postal (S10) GB: UPU S10, registered, check digit OK".
func (c Candidate) String() string {
	var b strings.Builder
	b.WriteString(c.Carrier.Name)
	if c.Country != "" {
		b.WriteString(" " + c.Country)
	}
	b.WriteString(": " + c.Format)
	if c.Service != "" {
		b.WriteString(", " + c.Service)
	}
	if c.Checksum {
		b.WriteString(", check digit OK")
	} else {
		b.WriteString(", shape only (no check digit)")
	}
	return b.String()
}

// Detect returns every carrier format number matches: shape and, where the
// format has one, check digit. The most convincing come first: formats
// whose check digit matched before shape-only formats, then distinctive
// shapes (1Z…, S10, IMpb) before bare digit counts. A digits-only number
// often matches several carriers; show them all and let the operator
// choose. No match gives an empty result; carriers without a known format
// (4PX) are never detected.
func Detect(number string) []Candidate {
	n := Normalize(number)
	var hits []hit
	for i := range formatTable {
		f := &formatTable[i]
		if m, ok := f.parse(n); ok && m.check != CheckFailed {
			hits = append(hits, hit{f, m})
		}
	}
	slices.SortStableFunc(hits, byConfidence)
	out := make([]Candidate, 0, len(hits))
	for _, h := range hits {
		out = append(out, h.candidate())
	}
	return out
}

// byConfidence orders hits for Detect: a matched check digit first, then
// the more distinctive format (higher rank).
func byConfidence(a, b hit) int {
	if ca, cb := a.m.check == CheckPassed, b.m.check == CheckPassed; ca != cb {
		if ca {
			return -1
		}
		return 1
	}
	return cmp.Compare(b.f.rank, a.f.rank)
}

// hit is a format that parsed a number.
type hit struct {
	f *format
	m match
}

// owner is the carrier code the number belongs to.
func (h hit) owner() string {
	if h.m.carrier != "" {
		return h.m.carrier
	}
	return h.f.carriers[0]
}

func (h hit) candidate() Candidate {
	c, _ := Lookup(h.owner()) // every code in formatTable is in carrierTable (tested)
	return Candidate{
		Carrier:  c,
		Format:   h.f.name,
		Number:   h.m.number,
		Checksum: h.m.check == CheckPassed,
		Country:  h.m.country,
		Service:  h.m.service,
	}
}
