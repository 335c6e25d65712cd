package query

import (
	"regexp"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/nyaruka/phonenumbers"
)

// TestRewritingRegions keeps rewritingRegions equal to the regions whose
// national prefix rule, in the library's metadata, writes digits of its
// own; every other rule must keep a piece of the digits as written (one
// $n), which containment finds without a parse.
func TestRewritingRegions(t *testing.T) {
	t.Parallel()
	coll, err := phonenumbers.MetadataCollection()
	if err != nil {
		t.Fatal(err)
	}
	group := regexp.MustCompile(`^\$\d$`)
	var want []string
	for _, m := range coll.GetMetadata() {
		rule := m.GetNationalPrefixTransformRule()
		switch {
		case rule == "" || group.MatchString(rule):
		case strings.ContainsAny(regexp.MustCompile(`\$\d`).ReplaceAllString(rule, ""), "0123456789"):
			want = append(want, m.GetId())
		default:
			t.Errorf("%s: national prefix rule %q is neither one group nor digits and groups", m.GetId(), rule)
		}
	}
	slices.Sort(want)
	if got := strings.Fields(rewritingRegions); !slices.Equal(got, want) {
		t.Errorf("rewritingRegions = %q\nthe library's       %q", got, strings.Join(want, " "))
	}
}

// TestPhoneEveryRegion stores the library's example number of every type
// of every region, in international, national and E.164 form, and finds
// it with each international form, pasted without quotes, and with the
// same national form.
func TestPhoneEveryRegion(t *testing.T) {
	t.Parallel()
	forms := []phonenumbers.PhoneNumberFormat{phonenumbers.INTERNATIONAL, phonenumbers.NATIONAL, phonenumbers.E164}
	types := []phonenumbers.PhoneNumberType{phonenumbers.FIXED_LINE, phonenumbers.MOBILE, phonenumbers.TOLL_FREE,
		phonenumbers.PREMIUM_RATE, phonenumbers.SHARED_COST, phonenumbers.VOIP, phonenumbers.PERSONAL_NUMBER,
		phonenumbers.PAGER, phonenumbers.UAN, phonenumbers.VOICEMAIL}
	checked := 0
	for region := range phonenumbers.GetSupportedRegions() {
		for _, typ := range types {
			ex := phonenumbers.GetExampleNumberForType(region, typ)
			if ex == nil {
				continue
			}
			intl := phonenumbers.Format(ex, phonenumbers.INTERNATIONAL)
			e164 := phonenumbers.Format(ex, phonenumbers.E164)
			for _, f := range forms {
				stored := phonenumbers.Format(ex, f)
				if again, err := phonenumbers.Parse(stored, region); err != nil ||
					phonenumbers.GetNationalSignificantNumber(again) != phonenumbers.GetNationalSignificantNumber(ex) {
					continue // the library cannot read it back either (Argentina's national mobile form)
				}
				d := NewDoc(phoneOrder(region, stored), time.UTC)
				for _, q := range []string{intl, e164, "phone:" + intl, phonenumbers.Format(ex, phonenumbers.NATIONAL)} {
					if f != phonenumbers.NATIONAL && q == phonenumbers.Format(ex, phonenumbers.NATIONAL) {
						continue // a national form finds an international one only when they share digits
					}
					checked++
					if !mustParse(t, q).Match(&d) {
						t.Errorf("%s: %q does not find %q", region, q, stored)
					}
				}
			}
		}
	}
	if checked < 5000 {
		t.Fatalf("only %d checks", checked)
	}
}
