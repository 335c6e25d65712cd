package query

import (
	"testing"
	"time"

	"orderdesk/backend"
)

// phoneOrder is baseOrder shipping to country with one phone, the
// customer's and the recipient's.
func phoneOrder(country, phone string) *backend.Order {
	o := baseOrder()
	o.Customer.Phone = phone
	o.ShippingAddress.CountryCode, o.ShippingAddress.Country = country, ""
	o.ShippingAddress.Phone = phone
	return o
}

// phoneWritings are ways people write one number, unquoted as pasted,
// per country: with the country code (+CC, 00CC, with the trunk 0 in
// brackets), in national form, digits only, without the trunk 0, in
// brackets or dots. part is a piece of the number, other a different
// number of the same country.
var phoneWritings = []struct {
	country  string
	writings []string
	part     string
	other    string
}{
	{"JP", []string{"+81 90-1234-5678", "+81 (0)90 1234 5678", "0081 90 1234 5678", "090-1234-5678",
		"09012345678", "9012345678", "(090) 1234-5678"}, "1234-5678", "+81 90-8765-4321"},
	{"CN", []string{"+86 21 6888 1234", "+86 (0)21 6888 1234", "0086 21 6888 1234", "021-6888-1234",
		"02168881234", "2168881234", "(021) 6888-1234"}, "6888-1234", "021-6888-4321"},
	{"CN", []string{"+86 186-6183-2866", "+86 186 6183 2866", "0086 18661832866", "186 6183 2866",
		"18661832866", "186-6183-2866", "(186) 6183-2866"}, "6183-2866", "+86 139 1234 5678"},
	{"GB", []string{"+44 20 7946 0958", "+44 (0)20 7946 0958", "0044 20 7946 0958", "020 7946 0958",
		"02079460958", "2079460958", "(020) 7946 0958"}, "7946 0958", "+44 20 7946 0123"},
	{"DE", []string{"+49 30 12345678", "+49 (0)30 12345678", "0049 30 12345678", "030 12345678",
		"03012345678", "3012345678", "(030) 1234-5678"}, "1234-5678", "+49 30 87654321"},
	{"US", []string{"+1 212-555-0134", "+1 (212) 555-0134", "001 212 555 0134", "(212) 555-0134",
		"2125550134", "1-212-555-0134", "212.555.0134"}, "555-0134", "+1 212-555-0199"},
	// Italy keeps the 0 of 06 in the national significant number: no
	// writing drops it, and +39 (0)6 is still 06.
	{"IT", []string{"+39 06 1234 5678", "+39 (0)6 1234 5678", "0039 06 1234 5678", "06 1234 5678",
		"0612345678", "06-1234-5678", "(06) 1234-5678"}, "1234-5678", "+39 06 8765 4321"},
}

// TestPhoneWrittenAnyWay stores each writing of a number as an order's
// phone and searches for it with every writing, as free text and with
// phone:, pasted without quotes.
func TestPhoneWrittenAnyWay(t *testing.T) {
	t.Parallel()
	for _, c := range phoneWritings {
		queries := append([]string{c.part}, c.writings...)
		for _, stored := range c.writings {
			d := NewDoc(phoneOrder(c.country, stored), time.UTC)
			other := NewDoc(phoneOrder(c.country, c.other), time.UTC)
			for _, w := range queries {
				for _, s := range []string{w, "phone:" + w} {
					q := mustParse(t, s)
					if !q.Match(&d) {
						t.Errorf("%s: %q does not find the phone stored as %q", c.country, s, stored)
					}
					if q.Match(&other) {
						t.Errorf("%s: %q finds %q, another number", c.country, s, c.other)
					}
				}
			}
		}
	}
}

// TestPhoneCountryCode: a number written with a country code finds phones
// written with that code, or with none, and not those of another country;
// its national significant number is the library's (Italy's 0 stays).
func TestPhoneCountryCode(t *testing.T) {
	t.Parallel()
	rows := []struct {
		country, stored, q string
		want               bool
	}{
		{"JP", "+81 90-1234-5678", "+86 90-1234-5678", false},
		{"US", "090-1234-5678", "+81 90-1234-5678", true},  // written without a code: any code
		{"", "+81 90-1234-5678", "+81 90-1234-5678", true}, // no shipping country
		{"", "09012345678", "+81 90-1234-5678", true},
		{"IT", "+39 361 234 5678", "+39 06 1234 5678", false}, // 0612345678 is not in 3612345678
		{"IT", "+39 361 234 5678", "+39 (0)6 1234", false},
		{"AR", "011 15-2345-6789", "+54 9 11 2345-6789", true}, // Argentina's 15 is a 9 with the code
		{"AR", "+54 9 11 2345-6789", "+54 11 15 2345 6789", true},
		{"RU", "+7 916 123-45-67", "8 916 123-45-67", true}, // the Russian trunk prefix is 8
		{"KY", "323-1234", "+1 345 323 1234", true},         // the Cayman Islands add their area code
	}
	for _, r := range rows {
		o := phoneOrder(r.country, r.stored)
		if r.country == "" {
			o.ShippingAddress = nil
		}
		d := NewDoc(o, time.UTC)
		if got := mustParse(t, r.q).Match(&d); got != r.want {
			t.Errorf("%q on a phone stored as %q shipping to %q: Match = %v, want %v", r.q, r.stored, r.country, got, r.want)
		}
	}
}

// TestPastedPhoneNumber is the desk's case: the copied phone, pasted into
// the filter as it is, finds its order; the query keeps its words.
func TestPastedPhoneNumber(t *testing.T) {
	t.Parallel()
	const pasted = "+81 90-1234-5678"
	o := phoneOrder("JP", pasted)
	o.ShippingAddress.Phone = ""
	d := NewDoc(o, time.UTC)
	q, err := Parse(pasted, Options{Now: testNow})
	if err != nil {
		t.Fatal(err)
	}
	if !q.Match(&d) || !q.MatchOrder(o) {
		t.Fatalf("%q does not find its order", pasted)
	}
	if q.String() != pasted || len(q.Terms()) != 2 {
		t.Fatalf("String() = %q, %d terms: the words as typed are lost", q.String(), len(q.Terms()))
	}
	// a - negates one word, so excluding a number takes quotes
	for _, miss := range []string{"+81 90-1234-5679", "+82 90-1234-5678", `-"` + pasted + `"`} {
		if mustParse(t, miss).Match(&d) {
			t.Errorf("%q finds the order of %s", miss, pasted)
		}
	}
}

// TestPhoneWordsStayTerms: numbers typed as separate words still match as
// separate terms where they are not one phone number.
func TestPhoneWordsStayTerms(t *testing.T) {
	t.Parallel()
	rows := []struct {
		q    string
		mod  mut
		want bool
	}{
		{"张伟 138", func(o *backend.Order) { o.Customer.Name, o.Customer.Phone = "张伟", "13800138000" }, true},
		{"张伟 138", func(o *backend.Order) { o.Customer.Name = "张伟" }, false},
		{"#1001", func(o *backend.Order) { o.Number = "#1001" }, true},
		{"1001 1002", func(o *backend.Order) { o.Number = "#1001-1002" }, true}, // both words, apart
		{"1001 1002", func(o *backend.Order) { o.Number = "#1001" }, false},
		{"1001 1002", func(o *backend.Order) { o.Customer.Phone = "+86 21 1001 1002" }, true}, // one number
		{"2866 1866", nil, true}, // each in 18661832866, though not in this order
		{"+86 186", nil, true},
		{"186 -6183", nil, false},
	}
	for _, r := range rows {
		o := baseOrder()
		if r.mod != nil {
			r.mod(o)
		}
		d := NewDoc(o, time.UTC)
		if got := mustParse(t, r.q).Match(&d); got != r.want {
			t.Errorf("%q: Match = %v, want %v", r.q, got, r.want)
		}
	}
}
