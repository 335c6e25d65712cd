package query

import (
	"errors"
	"math/bits"
	"regexp"
	"strconv"
	"strings"
	"sync"
)

// The facts of libphonenumber's metadata are generated into phonedata.go
// (see internal/genphone); the library is not linked into the binary,
// because its package init decodes all its metadata at every start.
//
//go:generate go run ./internal/genphone -o phonedata.go

// phoneMeta is the metadata of one region, or of one non-geographic
// calling code (region "001").
type phoneMeta struct {
	region string
	cc     int
	// ndd is the national (trunk) prefix, digits only.
	ndd string
	// idd is the pattern of the international prefix dialled in the region.
	idd string
	// prefix is the pattern of the national prefix for parsing, transform
	// its rewriting ($n for the groups; "" to cut the match).
	prefix, transform string
	// pattern is the pattern of every national significant number.
	pattern string
	// lengths and local are the possible lengths of a national significant
	// number, and those that can be dialled only locally: bit n for length n.
	lengths, local uint32

	// The patterns are compiled on first use (never at init: it is the
	// start of every process).
	once                      sync.Once
	iddRE, prefixRE, numberRE *regexp.Regexp
}

func (m *phoneMeta) compile() *phoneMeta {
	m.once.Do(func() {
		m.iddRE = regexp.MustCompile(m.idd)
		m.prefixRE = regexp.MustCompile(`^(?:` + m.prefix + `)`)
		m.numberRE = regexp.MustCompile(`^(?:` + m.pattern + `)$`)
	})
	return m
}

// metaForRegion is the metadata of a region ("JP"), nil for none.
func metaForRegion(region string) *phoneMeta {
	if len(region) != 2 {
		return nil
	}
	a, b := region[0]-'A', region[1]-'A'
	if a >= 26 || b >= 26 {
		return nil
	}
	if i := phoneRegionIndex[int(a)*26+int(b)]; i != 0 {
		return &phoneMetas[i-1]
	}
	return nil
}

// metaForCode is the metadata of the main region of a calling code (of
// the code itself when it is non-geographic), nil for no such code.
func metaForCode(cc int) *phoneMeta {
	if cc <= 0 || cc >= len(phoneCodeIndex) {
		return nil
	}
	if i := phoneCodeIndex[cc]; i != 0 {
		return &phoneMetas[i-1]
	}
	return nil
}

// nddPrefix is the national (trunk) prefix of a region, "" for none.
func nddPrefix(region string) string {
	if m := metaForRegion(region); m != nil {
		return m.ndd
	}
	return ""
}

// Limits of a parse, libphonenumber's: the shortest and longest national
// significant number, the longest input.
const (
	minNSNDigits   = 2
	maxNSNDigits   = 17
	maxPhoneLength = 250
)

// Reasons a number cannot be parsed; they are libphonenumber's.
var (
	errPhoneNotNumber   = errors.New("phone: not a number")
	errPhoneCallingCode = errors.New("phone: no known country calling code")
	errPhoneShortIDD    = errors.New("phone: too short after the international prefix")
	errPhoneShort       = errors.New("phone: too short")
	errPhoneLong        = errors.New("phone: too long")
)

// parsePhone reads a number as libphonenumber's Parse (ParseToNumber)
// does, into its country calling code and national significant number,
// for the numbers this package gives it: ASCII digits, after a '+' when
// written with a country code. A number without one is read in region, a
// region code ("AR"); any other region reads only numbers with a '+'.
//
// The steps are the library's, from its published algorithm: the country
// code is found after the '+', or after the region's international prefix,
// or it is the region's own code in front of a number that reads better
// without it; then the national prefix is cut (or rewritten) by the rule
// of the number's region, when what remains is of a possible length; then
// the length of the national significant number is checked. The national
// significant number is the digits that remain, leading zeros included,
// as the library's GetNationalSignificantNumber gives them.
func parsePhone(number, region string) (cc int, nsn string, err error) {
	if len(number) > maxPhoneLength {
		return 0, "", errPhoneLong
	}
	d, plus := strings.CutPrefix(number, "+")
	// a viable number: two digits alone, or three behind a '+'
	if len(d) < minNSNDigits || plus && len(d) < 3 {
		return 0, "", errPhoneNotNumber
	}
	home := metaForRegion(region)
	if home == nil && !plus {
		return 0, "", errPhoneCallingCode
	}
	cc, nsn, err = splitCallingCode(number, home)
	if err == errPhoneCallingCode && plus {
		// the '+' was a slip: what follows may be dialled from the region
		if cc, nsn, err = splitCallingCode(d, home); err == nil && cc == 0 {
			err = errPhoneCallingCode
		}
	}
	if err != nil {
		return 0, "", err
	}
	m := home
	if cc == 0 { // a national number of the region
		cc, nsn = home.cc, d
	} else if mc := metaForCode(cc); mc.region != region {
		m = mc // the rules of the code's main region
	}
	if len(nsn) < minNSNDigits {
		return 0, "", errPhoneShort
	}
	if m != nil {
		// kept only when of a possible length: the number as written may be
		// a short number that merely starts like the prefix
		if stripped := m.cutNationalPrefix(nsn); m.fit(stripped) >= fitTooLong {
			nsn = stripped
		}
	}
	switch {
	case len(nsn) < minNSNDigits:
		return 0, "", errPhoneShort
	case len(nsn) > maxNSNDigits:
		return 0, "", errPhoneLong
	}
	return cc, nsn, nil
}

// splitCallingCode finds the country calling code number starts with:
// after a '+', after the international prefix of the region home (when not
// followed by a 0, as no code starts with one), or home's own code, when
// the number without it (and its national prefix) matches home's pattern
// of numbers and the number with it does not, or when the number is too
// long for home. cc is 0 when the number starts with none.
func splitCallingCode(number string, home *phoneMeta) (cc int, rest string, err error) {
	full, intl := strings.CutPrefix(number, "+")
	if !intl && home != nil {
		if loc := home.compile().iddRE.FindStringIndex(full); loc != nil && loc[0] == 0 &&
			(loc[1] == len(full) || full[loc[1]] != '0') {
			full, intl = full[loc[1]:], true
		}
	}
	if intl {
		if len(full) <= minNSNDigits {
			return 0, "", errPhoneShortIDD
		}
		if full[0] != '0' {
			// calling codes are prefix-free, of 1 to 3 digits
			cc := 0
			for n := 1; n <= 3 && n <= len(full); n++ {
				if cc = cc*10 + int(full[n-1]-'0'); metaForCode(cc) != nil {
					return cc, full[n:], nil
				}
			}
		}
		return 0, "", errPhoneCallingCode
	}
	if home == nil {
		return 0, "", nil
	}
	if national, ok := strings.CutPrefix(full, strconv.Itoa(home.cc)); ok {
		national = home.cutNationalPrefix(national)
		re := home.compile().numberRE
		if !re.MatchString(full) && re.MatchString(national) || home.fit(full) == fitTooLong {
			return home.cc, national, nil
		}
	}
	return 0, "", nil
}

// cutNationalPrefix returns the digits d without the national prefix the
// region's rule finds at their start, or rewritten by its transform rule
// (when the rule has one and its last group took part in the match); d as
// it is when the rule finds none, or when d matches the pattern of the
// region's numbers and the result does not.
func (m *phoneMeta) cutNationalPrefix(d string) string {
	if d == "" || m.prefix == "" {
		return d
	}
	m.compile()
	loc := m.prefixRE.FindStringSubmatchIndex(d)
	if loc == nil {
		return d
	}
	var out string
	if m.transform == "" || loc[len(loc)-2] < 0 {
		out = d[loc[1]:]
	} else {
		out = string(m.prefixRE.ExpandString(nil, m.transform, d, loc)) + d[loc[1]:]
	}
	if m.numberRE.MatchString(d) && !m.numberRE.MatchString(out) {
		return d
	}
	return out
}

// lengthFit is how the length of a national significant number fits the
// region's possible lengths. A parse keeps a cut national prefix only for
// fitTooLong or better.
type lengthFit uint8

const (
	fitInvalid   lengthFit = iota // between possible lengths, or the region has none
	fitLocalOnly                  // dialled only within an area
	fitTooShort
	fitTooLong
	fitPossible
)

func (m *phoneMeta) fit(d string) lengthFit {
	n := len(d)
	switch {
	case m.lengths == 0:
		return fitInvalid
	case n < 32 && m.local&(1<<n) != 0:
		return fitLocalOnly
	case n < bits.TrailingZeros32(m.lengths):
		return fitTooShort
	case n > 31-bits.LeadingZeros32(m.lengths):
		return fitTooLong
	case m.lengths&(1<<n) != 0:
		return fitPossible
	}
	return fitInvalid
}
