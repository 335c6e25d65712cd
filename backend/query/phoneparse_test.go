package query

import (
	"bytes"
	"fmt"
	"math/rand/v2"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"testing"

	"github.com/nyaruka/phonenumbers"

	"orderdesk/backend/query/internal/phonegen"
)

// The tests here hold phonedata.go and parsePhone to the library they
// stand in for; they may import it, as tests are not linked into the binary.

// libraryParse is phonenumbers.ParseToNumber with its errors named as
// parsePhone names them.
func libraryParse(number, region string) (cc int, nsn string, err error) {
	var num phonenumbers.PhoneNumber
	switch err := phonenumbers.ParseToNumber(number, region, &num); err {
	case nil:
		return int(num.GetCountryCode()), phonenumbers.GetNationalSignificantNumber(&num), nil
	case phonenumbers.ErrNotANumber:
		return 0, "", errPhoneNotNumber
	case phonenumbers.ErrInvalidCountryCode:
		return 0, "", errPhoneCallingCode
	case phonenumbers.ErrTooShortAfterIDD:
		return 0, "", errPhoneShortIDD
	case phonenumbers.ErrTooShortNSN:
		return 0, "", errPhoneShort
	case phonenumbers.ErrNumTooLong:
		return 0, "", errPhoneLong
	default:
		return 0, "", fmt.Errorf("library: %w", err)
	}
}

var phoneTypes = []phonenumbers.PhoneNumberType{phonenumbers.FIXED_LINE, phonenumbers.MOBILE, phonenumbers.TOLL_FREE,
	phonenumbers.PREMIUM_RATE, phonenumbers.SHARED_COST, phonenumbers.VOIP, phonenumbers.PERSONAL_NUMBER,
	phonenumbers.PAGER, phonenumbers.UAN, phonenumbers.VOICEMAIL}

// examplePhones is every example number of the library (every type of
// every region, every non-geographic code) with the region it is of
// ("001" for a non-geographic one).
func examplePhones() (nums []*phonenumbers.PhoneNumber, regions []string) {
	for _, r := range slices.Sorted(func(yield func(string) bool) {
		for r := range phonenumbers.GetSupportedRegions() {
			if !yield(r) {
				return
			}
		}
	}) {
		for _, typ := range phoneTypes {
			if ex := phonenumbers.GetExampleNumberForType(r, typ); ex != nil {
				nums, regions = append(nums, ex), append(regions, r)
			}
		}
	}
	for cc := range 1000 {
		if ex := phonenumbers.GetExampleNumberForNonGeoEntity(cc); ex != nil {
			nums, regions = append(nums, ex), append(regions, "001")
		}
	}
	return nums, regions
}

// phoneWritingsOf are ways to write an example number: its international,
// national and E.164 forms, with dashes, with (0) after the code, with
// 00 for the +, and its NSN behind the trunk prefix.
func phoneWritingsOf(ex *phonenumbers.PhoneNumber, region string) []string {
	intl := phonenumbers.Format(ex, phonenumbers.INTERNATIONAL)
	cc := strconv.Itoa(int(ex.GetCountryCode()))
	nsn := phonenumbers.GetNationalSignificantNumber(ex)
	return []string{
		intl,
		phonenumbers.Format(ex, phonenumbers.NATIONAL),
		phonenumbers.Format(ex, phonenumbers.E164),
		strings.ReplaceAll(intl, " ", "-"),
		"+" + cc + " (0)" + nsn,
		"00" + cc + " " + nsn,
		phonenumbers.GetNddPrefixForRegion(region, true) + nsn,
	}
}

// phoneInput is a digit string the equivalence test parses: of a writing
// of an example number of region (whole, or a start of it), or random
// (region "").
type phoneInput struct {
	d, region string
	whole     bool
}

// phoneInputs are the digits of the writings of every example number and
// every start of them, and random digit strings (seeded).
func phoneInputs() []phoneInput {
	var in []phoneInput
	seen := map[string]bool{}
	add := func(d, region string, whole bool) {
		if !seen[d] {
			seen[d] = true
			in = append(in, phoneInput{d, region, whole})
		}
	}
	nums, regions := examplePhones()
	for i, ex := range nums {
		for _, w := range phoneWritingsOf(ex, regions[i]) {
			d := digits(w)
			for n := len(d); n >= 0; n-- {
				add(d[:n], regions[i], n == len(d))
			}
		}
	}
	rng := rand.New(rand.NewPCG(1, 2))
	starts := []string{"", "", "0", "00", "000", "1", "011", "8", "810", "15", "9", "06", "0549", "345", "54"}
	for range 5000 {
		b := []byte(starts[rng.IntN(len(starts))])
		for range rng.IntN(20) {
			b = append(b, byte('0'+rng.IntN(10)))
		}
		add(string(b), "", false)
	}
	add(strings.Repeat("1", maxPhoneLength), "", false)
	add(strings.Repeat("1", maxPhoneLength+1), "", false)
	return in
}

// TestPhoneParseLikeLibrary: parsePhone gives the library's country code
// and NSN, or its failure, for the shapes phone.go parses ("+" and digits
// in no region, national digits in a rewriting region, "+" and digits in
// a rewriting region), and national digits in the region a number is of.
func TestPhoneParseLikeLibrary(t *testing.T) {
	t.Parallel()
	inputs := phoneInputs()
	rewriting := strings.Fields(rewritingRegions)
	all := slices.Sorted(func(yield func(string) bool) {
		for r := range phonenumbers.GetSupportedRegions() {
			if !yield(r) {
				return
			}
		}
	})
	rng := rand.New(rand.NewPCG(3, 4))
	checked, parsed, bad := 0, 0, 0
	check := func(number, region string) {
		checked++
		wcc, wnsn, werr := libraryParse(number, region)
		gcc, gnsn, gerr := parsePhone(number, region)
		if werr == nil {
			parsed++
		}
		if gcc != wcc || gnsn != wnsn || gerr != werr {
			if bad++; bad <= 30 {
				t.Errorf("parsePhone(%q, %q) = %d, %q, %v; the library: %d, %q, %v", number, region, gcc, gnsn, gerr, wcc, wnsn, werr)
			}
		}
	}
	stride := 1
	if raceBuild {
		stride = 8 // the equivalence is sequential: the race detector adds nothing to it but time
	}
	for i, in := range inputs {
		if i%stride != 0 {
			continue
		}
		d := in.d
		check("+"+d, phonenumbers.UNKNOWN_REGION)
		check("+"+d, rewriting[rng.IntN(len(rewriting))])
		n := 1 // rewriting regions a national number is read in, at random
		if in.whole {
			n = 4
		}
		for range n {
			check(d, rewriting[rng.IntN(len(rewriting))])
		}
		if in.region == "" {
			check(d, rewriting[rng.IntN(len(rewriting))])
			check(d, all[rng.IntN(len(all))])
		} else if in.region != "001" {
			check(d, in.region)
		}
	}
	if bad > 0 {
		t.Errorf("%d of %d parses differ", bad, checked)
	}
	if checked < 100000/stride || parsed < checked/4 {
		t.Fatalf("only %d parses, %d of them numbers", checked, parsed)
	}
	t.Logf("%d parses, %d numbers", checked, parsed)
}

// FuzzPhoneParse: parsePhone agrees with the library on any digits, with
// or without a '+', in any region (make fuzz).
func FuzzPhoneParse(f *testing.F) {
	for _, s := range []string{"5491123456789", "01115 2345 6789", "3231234", "0113453231234", "13453231234",
		"0039061234", "800 1234 5678", "0549 123456", "8 916 123 45 67", "00", "0", ""} {
		f.Add(digits(s), false, uint8(0))
		f.Add(digits(s), true, uint8(3))
	}
	regions := strings.Fields(rewritingRegions)
	for r := range phonenumbers.GetSupportedRegions() {
		if !slices.Contains(regions, r) {
			regions = append(regions, r)
		}
	}
	slices.Sort(regions[len(strings.Fields(rewritingRegions)):])
	regions = append(regions, phonenumbers.UNKNOWN_REGION)
	f.Fuzz(func(t *testing.T, s string, plus bool, region uint8) {
		b := []byte(s)
		for i := range b {
			b[i] = '0' + b[i]%10
		}
		number := string(b)
		if plus {
			number = "+" + number
		}
		r := regions[int(region)%len(regions)]
		wcc, wnsn, werr := libraryParse(number, r)
		gcc, gnsn, gerr := parsePhone(number, r)
		if gcc != wcc || gnsn != wnsn || gerr != werr {
			t.Fatalf("parsePhone(%q, %q) = %d, %q, %v; the library: %d, %q, %v", number, r, gcc, gnsn, gerr, wcc, wnsn, werr)
		}
	})
}

// TestPhoneTablesLikeLibrary: the main region of every calling code and
// the trunk prefix of every region are the library's.
func TestPhoneTablesLikeLibrary(t *testing.T) {
	t.Parallel()
	for cc := -1; cc <= 1000; cc++ {
		want := phonenumbers.GetRegionCodeForCountryCode(cc)
		got := phonenumbers.UNKNOWN_REGION
		if m := metaForCode(cc); m != nil {
			got = m.region
			if m.cc != cc {
				t.Errorf("calling code %d: metadata of code %d", cc, m.cc)
			}
		}
		if got != want {
			t.Errorf("region of calling code %d = %s, the library's %s", cc, got, want)
		}
	}
	regions := []string{"", "ZZ", "001", "us", "Us", "USA", "U", "@@", "[[", "\xff\xff", "A\x00"}
	for r := range phonenumbers.GetSupportedRegions() {
		regions = append(regions, r)
	}
	withNdd := 0
	for _, r := range regions {
		want := phonenumbers.GetNddPrefixForRegion(r, true)
		if got := nddPrefix(r); got != want {
			t.Errorf("nddPrefix(%q) = %q, the library's %q", r, got, want)
		}
		if want != "" {
			withNdd++
		}
	}
	if withNdd < 100 {
		t.Fatalf("only %d regions with a trunk prefix", withNdd)
	}
	// callingCode, the table as phone.go reads it: prefix-free codes
	for _, c := range []struct {
		d      string
		n      int
		region string
	}{{"81901234", 2, "JP"}, {"12125550134", 1, "US"}, {"7916", 1, "RU"}, {"8001234", 3, "001"}, {"3", 0, ""}, {"28", 0, ""}, {"", 0, ""}} {
		if n, r := callingCode(c.d); n != c.n || r != c.region {
			t.Errorf("callingCode(%q) = %d, %q, want %d, %q", c.d, n, r, c.n, c.region)
		}
	}
}

// TestRewritingRegionsHaveRules: every rewriting region has the
// metadata its phones are parsed with.
func TestRewritingRegionsHaveRules(t *testing.T) {
	t.Parallel()
	for _, r := range strings.Fields(rewritingRegions) {
		if m := metaForRegion(r); m == nil || m.transform == "" || m.prefix == "" {
			t.Errorf("%s: no national prefix rule in phonedata.go", r)
		}
	}
}

func goTool(t *testing.T) string {
	t.Helper()
	goBin, err := exec.LookPath(filepath.Join(os.Getenv("GOROOT"), "bin", "go"))
	if err != nil {
		if goBin, err = exec.LookPath("go"); err != nil {
			t.Fatal("the go command is needed: ", err)
		}
	}
	return goBin
}

// TestPhoneDataUpToDate: phonedata.go is what the generator writes from
// the library now required by go.mod. The generator runs in this test
// binary, which links that library (go run would build the generator and
// the library again, without -race); go list names its version, which a
// test binary's build information lacks.
func TestPhoneDataUpToDate(t *testing.T) {
	t.Parallel()
	version, err := exec.Command(goTool(t), "list", "-m", "-f", "{{with .Replace}}{{.Version}}{{else}}{{.Version}}{{end}}", phonegen.Library).Output()
	if err != nil {
		t.Fatalf("go list -m %s: %v", phonegen.Library, err)
	}
	want, err := phonegen.Generate(strings.TrimSpace(string(version)))
	if err != nil {
		t.Fatal(err)
	}
	got, err := os.ReadFile("phonedata.go")
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(got, want) {
		t.Fatal("phonedata.go is not what the generator writes from the library in go.mod: run go generate ./backend/query")
	}
}

// TestBinaryLinksNoPhoneLibrary: orderdesk does not link the library,
// whose package init decodes all its metadata at every start.
func TestBinaryLinksNoPhoneLibrary(t *testing.T) {
	t.Parallel()
	out, err := exec.Command(goTool(t), "list", "-deps", "orderdesk").Output()
	if err != nil {
		t.Fatalf("go list -deps orderdesk: %v", err)
	}
	deps := strings.Fields(string(out))
	if !slices.Contains(deps, "orderdesk/backend/query") {
		t.Fatalf("go list -deps orderdesk does not list orderdesk/backend/query:\n%s", out)
	}
	for _, d := range deps {
		if strings.HasPrefix(d, "github.com/nyaruka/phonenumbers") {
			t.Errorf("orderdesk links %s: its init decodes the phone metadata at every start; use phonedata.go", d)
		}
	}
}

// BenchmarkPhoneParse: the parse NewDoc makes of a phone of a rewriting
// region, ours and the library's.
func BenchmarkPhoneParse(b *testing.B) {
	numbers := []struct{ number, region string }{
		{"01115 2345 6789", "AR"}, {"3231234", "KY"}, {"+5491123456789", "AR"}, {"12684601234", "AG"},
	}
	for i := range numbers {
		numbers[i].number = digits(numbers[i].number)
		if numbers[i].number[0] != '0' && numbers[i].region == "AR" {
			numbers[i].number = "+" + numbers[i].number
		}
	}
	b.Run("ours", func(b *testing.B) {
		b.ReportAllocs()
		i := 0
		for b.Loop() {
			n := numbers[i%len(numbers)]
			if _, _, err := parsePhone(n.number, n.region); err != nil {
				b.Fatal(err)
			}
			i++
		}
	})
	b.Run("library", func(b *testing.B) {
		b.ReportAllocs()
		i := 0
		for b.Loop() {
			n := numbers[i%len(numbers)]
			if _, _, err := libraryParse(n.number, n.region); err != nil {
				b.Fatal(err)
			}
			i++
		}
	})
}
