package query

import (
	"reflect"
	"strings"
	"testing"
	"unicode"
	"unicode/utf8"
)

func TestParseErrors(t *testing.T) {
	t.Parallel()
	rows := []struct {
		q    string
		kind ErrorKind
		term string
		pos  int
		msg  string // a part of Error()
	}{
		{"foo:bar", ErrUnknownField, "foo:bar", 0, `unknown field "foo" (known: shop, platform, status, pay, ship`},
		{"王 foo:bar", ErrUnknownField, "foo:bar", 4, `invalid filter at "foo:bar"`},
		{"Foo>3", ErrUnknownField, "Foo>3", 0, `"Foo"`},
		{"status:", ErrMissingValue, "status:", 0, "status: needs a value"},
		{"pay:paid status:", ErrMissingValue, "status:", 9, "needs a value"},
		{"shop:,", ErrMissingValue, "shop:,", 0, "needs a value"},
		{`city:"  "`, ErrMissingValue, `city:"  "`, 0, "needs a value"},
		{"total>", ErrMissingValue, "total>", 0, "total> needs a value"},
		{`""`, ErrMissingValue, `""`, 0, "empty term"},
		{"-", ErrMissingValue, "-", 0, `nothing after "-"`},
		{"a - b", ErrMissingValue, "-", 2, `nothing after "-"`},
		{"tracking:--", ErrMissingValue, "tracking:--", 0, "needs a value"},
		{"total>abc", ErrBadNumber, "total>abc", 0, `invalid filter at "total>abc": "abc" is not an amount`},
		{"x total>usd", ErrBadNumber, "total>usd", 2, `"usd" is not an amount`},
		{"total<=1.2.3", ErrBadNumber, "total<=1.2.3", 0, "not an amount"},
		{"total>1e5", ErrBadNumber, "total>1e5", 0, "not an amount"},
		{"total>99999999999999999999", ErrBadNumber, "total>99999999999999999999", 0, "not an amount"},
		{"created>2024-13-01", ErrBadDate, "created>2024-13-01", 0, `"2024-13-01" is not a date`},
		{"created>2024-02-30", ErrBadDate, "created>2024-02-30", 0, "not a date"},
		{"updated<7x", ErrBadDate, "updated<7x", 0, "or an age (12h, 7d, 2w)"},
		{"created=7d", ErrBadDate, "created=7d", 0, "an age needs < or >"},
		{"created:7d", ErrBadDate, "created:7d", 0, "an age needs < or >"},
		{"created<99999999999d", ErrBadDate, "created<99999999999d", 0, "too large"},
		{"created<99999999999999999999999h", ErrBadDate, "created<99999999999999999999999h", 0, "too large"},
		{"is:foo", ErrUnknownValue, "is:foo", 0, `unknown value "foo" for is: (valid: pending, failed, conflict, attention, archived, open, cancelled, completed, inferred)`},
		{"is:pending,nope", ErrUnknownValue, "is:pending,nope", 0, `"nope"`},
		{`"new york`, ErrUnterminated, `"new york`, 0, "unterminated quote"},
		{`a city:"new york`, ErrUnterminated, `city:"new york`, 2, `invalid filter at "city:\"new york": unterminated quote`},
		{`-"a\"`, ErrUnterminated, `-"a\"`, 0, "unterminated"},
		{"sku>3", ErrNoComparison, "sku>3", 0, `sku: cannot be compared with ">"`},
		{"shop=eu", ErrNoComparison, "shop=eu", 0, "write shop:VALUE"},
		{"status:>=paid", ErrNoComparison, "status:>=paid", 0, `">="`},
		{"phone:abc", ErrBadValue, "phone:abc", 0, `"abc" is not a phone number`},
	}
	for _, r := range rows {
		q, err := Parse(r.q, Options{Now: testNow})
		if err == nil {
			t.Errorf("%q: parsed as %q, want an error", r.q, q)
			continue
		}
		e := asError(t, err)
		if e.Kind != r.kind || e.Term != r.term || e.Pos != r.pos {
			t.Errorf("%q: got kind %d term %q pos %d, want kind %d term %q pos %d", r.q, e.Kind, e.Term, e.Pos, r.kind, r.term, r.pos)
		}
		if !strings.Contains(e.Error(), r.msg) {
			t.Errorf("%q: error %q does not contain %q", r.q, e.Error(), r.msg)
		}
		if !strings.HasPrefix(r.q[e.Pos:], e.Term) {
			t.Errorf("%q: Term %q is not at Pos %d", r.q, e.Term, e.Pos)
		}
	}
}

func TestErrorString(t *testing.T) {
	t.Parallel()
	_, err := Parse("total>abc", Options{})
	if got, want := err.Error(), `invalid filter at "total>abc": "abc" is not an amount`; got != want {
		t.Fatalf("Error() = %q, want %q", got, want)
	}
}

func TestCanonical(t *testing.T) {
	t.Parallel()
	rows := []struct{ in, want string }{
		{"", ""},
		{"  王小明   ", "王小明"},
		{`Status:PAID  -"New York"  total:>100 created:2024-01-01 payment:Paid fulfillment:"on hold"`,
			`status:paid -"new york" total>100 created=2024-01-01 pay:paid ship:on_hold`},
		{`"a:b"`, `"a:b"`},
		{`"-x"`, `"-x"`},
		{`--x`, `-"-x"`},
		{`-"-"`, `-"-"`},
		{`city:"a,b"`, `city:a,b`},
		{`tag:"a,b"`, `tag:"a,b"`},
		{`tag:A,B,`, `tag:a,b`},
		{`status:"paid, unshipped",cancelled`, `status:"paid, unshipped",cancelled`},
		{`status:">x"`, `status:">x"`},
		{`status::x`, `status::x`},
		{`say"hi"`, `sayhi`},
		{`"5\""`, `"5\""`},
		{`a\b`, `a\b`},
		{`"a\\b"`, `a\b`},
		{"ＬＣ７９", "lc79"},
		{"a：b", `"a:b"`},
		{"tracking:RR-2020 x", "tracking:rr2020 x"},
		{`phone:"+86 186"`, `phone:"+86 186"`},
		{"created>2024-03-10t12:00z", "created>2024-03-10T12:00Z"},
		{"updated<=7D", "updated<=7d"},
		{"total>=1000JPY", "total>=1000jpy"},
		{"is:Attention,FAILED", "is:attention,failed"},
		{"number:#1001", "number:#1001"},
		{"a\u3000b", "a b"},
		{"a\u00a0b", "a b"},
		{"\"a\u00a0b\"", "\"a\u00a0b\""},
	}
	for _, r := range rows {
		q := mustParse(t, r.in)
		if got := q.String(); got != r.want {
			t.Errorf("String(%q) = %q, want %q", r.in, got, r.want)
			continue
		}
		if again := mustParse(t, q.String()).String(); again != r.want {
			t.Errorf("String(%q) does not re-parse to itself: %q", r.want, again)
		}
	}
}

func TestTerms(t *testing.T) {
	t.Parallel()
	q := mustParse(t, `-City:"new york"  王 total:>=5`)
	want := []Term{
		{Text: `-City:"new york"`, Pos: 0, Neg: true, Field: "city", Op: ":", Value: "new york"},
		{Text: "王", Pos: 18, Value: "王"},
		{Text: "total:>=5", Pos: 22, Field: "total", Op: ">=", Value: "5"},
	}
	if got := q.Terms(); !reflect.DeepEqual(got, want) {
		t.Fatalf("Terms() = %+v\nwant      %+v", got, want)
	}
	if q.Empty() || !mustParse(t, " ").Empty() {
		t.Fatal("Empty() is wrong")
	}
}

// TestEvaluationOrder checks that cheap and selective terms run first,
// while the canonical form and Terms keep the input order.
func TestEvaluationOrder(t *testing.T) {
	t.Parallel()
	const in = "-wang -is:archived ab legging city:york pay:unpaid"
	q := mustParse(t, in)
	var got []string
	for _, t := range q.terms {
		got = append(got, t.canon)
	}
	want := []string{"pay:unpaid", "city:york", "legging", "ab", "-is:archived", "-wang"}
	if !reflect.DeepEqual(got, want) {
		t.Fatalf("evaluation order %q, want %q", got, want)
	}
	if q.String() != in || q.Terms()[0].Text != "-wang" {
		t.Fatalf("String() = %q, Terms()[0] = %+v: input order lost", q.String(), q.Terms()[0])
	}
}

func TestFields(t *testing.T) {
	t.Parallel()
	var got []string
	for _, f := range Fields() {
		if f.Help == "" {
			t.Errorf("field %s has no help", f.Name)
		}
		got = append(got, f.Name)
	}
	for _, f := range []string{"shop", "platform", "status", "pay", "ship", "country", "sku", "carrier", "tracking",
		"email", "phone", "tag", "currency", "city", "number", "total", "created", "updated", "is"} {
		if !contains(got, f) {
			t.Errorf("Fields() lacks %q", f)
		}
	}
}

// TestFoldIdempotent checks every rune: folding twice is folding once, and
// no rune folds to NUL (the Doc's separator).
func TestFoldIdempotent(t *testing.T) {
	t.Parallel()
	for r := rune(0); r <= utf8.MaxRune; r++ {
		f := foldRune(r)
		if r > 0x7f && r != 0x3000 && (r < 0xFF01 || r > 0xFF5E) && !unicode.IsControl(r) {
			if ref := unicode.ToLower(unicode.ToUpper(r)); f != ref {
				t.Errorf("foldRune(%U) = %U, want %U (a fast path is wrong)", r, f, ref)
			}
		}
		if foldRune(f) != f {
			t.Errorf("foldRune(%U) = %U, but foldRune(%U) = %U", r, f, f, foldRune(f))
		}
		if f == 0 {
			t.Errorf("foldRune(%U) is NUL", r)
		}
	}
	if s := "already folded 王"; fold(s) != s || fold("ABC") != "abc" {
		t.Fatal("fold is wrong on simple input")
	}
}

// TestPhoneNeedle checks how a phone-like term is reduced: with a country
// code to that code and the library's NSN, else to its digits without
// leading zeros.
func TestPhoneNeedle(t *testing.T) {
	t.Parallel()
	rows := []struct{ in, nsn, cc string }{
		{"+86 186-6183", "1866183", "86"},
		{"0086 186-6183", "1866183", "86"},
		{"+1 212-555", "212555", "1"},
		{"+7 916", "916", "7"},
		{"+971 50 123", "50123", "971"},
		{"+44 (0)20 7946 0958", "2079460958", "44"}, // the trunk 0 in brackets goes
		{"+81 (0)90 1234 5678", "9012345678", "81"},
		{"+39 06 1234 5678", "0612345678", "39"}, // Italy keeps its 0
		{"+39 (0)6 1234 5678", "0612345678", "39"},
		{"0039 06 1234", "061234", "39"},
		{"+54 11 15 2345 6789", "91123456789", "54"}, // Argentina's mobile 15 becomes 9
		{"(+81) 80-9876", "809876", "81"},
		{"080-9876", "809876", ""},
		{"(090) 1234-5678", "9012345678", ""},
		{"186-6183", "1866183", ""},
		{"090", "090", ""},                // too short without its zero
		{"+86 1", "861", ""},              // too short after the code
		{"+999 123 456", "999123456", ""}, // no such code
	}
	for _, r := range rows {
		n := newPhoneNeedle(fold(r.in))
		cc := strings.TrimSuffix(strings.TrimPrefix(n.ccTag, "+"), sep)
		if n.nsn != r.nsn || cc != r.cc {
			t.Errorf("newPhoneNeedle(%q) = %q, code %q; want %q, code %q", r.in, n.nsn, cc, r.nsn, r.cc)
		}
	}
}
