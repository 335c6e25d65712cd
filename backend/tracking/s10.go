package tracking

import "regexp"

// UPU S10 numbers (every postal operator, China Post and EMS among them):
// 2 letters of service indicator, 8 serial digits, 1 check digit and the
// posting operator's ISO 3166 country code, e.g. RB123456785GB.

var s10Shape = regexp.MustCompile(`^([A-Z])[A-Z]([0-9]{8})([0-9])([A-Z]{2})$`)

// s10Services names the kind of item the first letter of an S10 number
// stands for (field notes §4.2). Other letters are valid but not named.
var s10Services = map[byte]string{
	'E': "EMS",
	'R': "registered",
	'L': "letter express",
	'C': "parcel",
	'H': "e-commerce parcel",
	'V': "insured",
}

// s10Operators names the carrier of a non-EMS S10 number by the country of
// the posting operator, where the desk has a carrier of its own for it.
// Every other country's number belongs to "s10" (Postal (S10)), with the
// country in Candidate.Country.
var s10Operators = map[string]string{
	"CN": "china-post",
	"US": "usps",
}

// s10Carrier decides which carrier an S10 number belongs to:
//
//   - service letter E → "ems", whatever the country (EMS is the express
//     service every postal operator sells under one name);
//   - otherwise the country's own carrier in s10Operators (CN → "china-post",
//     US → "usps");
//   - otherwise "s10", "Postal (S10)", and the country says which post.
func s10Carrier(service byte, country string) string {
	if service == 'E' {
		return "ems"
	}
	if code, ok := s10Operators[country]; ok {
		return code
	}
	return "s10"
}

// s10Rules says, per carrier, which S10 numbers an operator may enter
// under it, and how to say so: China Post and USPS take their own
// country's items (EMS included), EMS takes EMS items of any country and
// Postal (S10) takes all.
var s10Rules = map[string]struct {
	accept func(service byte, country string) bool
	looks  string
}{
	"china-post": {func(_ byte, country string) bool { return country == "CN" }, "2 letters + 9 digits + CN"},
	"usps":       {func(_ byte, country string) bool { return country == "US" }, "2 letters + 9 digits + US"},
	"ems":        {func(service byte, _ string) bool { return service == 'E' }, "E + letter + 9 digits + 2-letter country code"},
	"s10":        {func(byte, string) bool { return true }, "2 letters + 9 digits + 2-letter country code"},
}

func s10Fits(code string, m match) bool {
	rule, ok := s10Rules[code]
	return ok && len(m.number) > 0 && rule.accept(m.number[0], m.country)
}

// s10Looks describes the S10 numbers carrier code takes.
func s10Looks(code string) string { return s10Rules[code].looks }

// parseS10 checks the shape, the check digit and the country code. An
// unknown country (XX) counts as a failed check, with the reason in
// match.problem, so the operator learns which part is wrong.
func parseS10(n string) (match, bool) {
	g := s10Shape.FindStringSubmatch(n)
	if g == nil {
		return match{}, false
	}
	service, serial, printed, country := g[1][0], g[2], g[3][0], g[4]
	m := match{
		number:  n,
		check:   verdict(s10Check(serial) == printed),
		carrier: s10Carrier(service, country),
		country: country,
		service: s10Services[service],
	}
	if !isCountry(country) {
		m.check = CheckFailed
		m.problem = "the last two letters, " + country + ", are not a country code"
	}
	return m, true
}
