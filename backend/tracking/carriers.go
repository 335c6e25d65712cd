package tracking

import (
	"net/url"
	"strings"
	"unicode"
)

// Carrier is a shipping company (or, for S10, a family of postal
// operators) as the desk stores it.
type Carrier struct {
	// Code is stable and safe to persist: "ups", "fedex", "usps", "dhl",
	// "china-post", "ems", "s10", "yunexpress", "sf", "4px".
	Code string
	// Name is the English name operators and most platforms use.
	Name string
	// LocalName is the name Chinese shop back-ends show ("顺丰速运").
	LocalName string
	// URLTemplate is the tracking page with one %s for the number. Carriers
	// without their own page use FallbackURLTemplate.
	URLTemplate string
}

// FallbackURLTemplate is the universal tracking page (17TRACK) used for
// postal operators and for carriers the desk does not know.
const FallbackURLTemplate = "https://t.17track.net/en#nums=%s"

// carrierEntry is one row of the carrier table: the carrier and the other
// names operators type for it. Lookup ignores case, spaces and punctuation,
// so "S.F. Express" and "sf-express" need no rows of their own.
type carrierEntry struct {
	Carrier
	aliases []string
}

// carrierTable is the read-only list of carriers, in the order Carriers
// returns them. S10 numbers are shared by every postal operator; which of
// china-post, ems, usps or s10 a number belongs to is decided per number
// (see s10Carrier).
var carrierTable = []carrierEntry{
	{Carrier{"ups", "UPS", "UPS", "https://wwwapps.ups.com/WebTracking/track?track=yes&trackNums=%s"},
		[]string{"United Parcel Service", "UPS Express", "UPS Ground"}},
	{Carrier{"fedex", "FedEx", "联邦快递", "https://www.fedex.com/apps/fedextrack/?tracknumbers=%s"},
		[]string{"Fed Ex", "Federal Express", "FedEx Express", "FedEx Ground", "联邦"}},
	{Carrier{"usps", "USPS", "美国邮政", "https://tools.usps.com/go/TrackConfirmAction?tLabels=%s"},
		[]string{"United States Postal Service", "US Postal Service", "US Post"}},
	{Carrier{"dhl", "DHL Express", "DHL", "https://www.dhl.com/en/express/tracking.html?AWB=%s&brand=DHL"},
		[]string{"DHL", "DHL Worldwide Express", "敦豪", "DHL快递"}},
	{Carrier{"china-post", "China Post", "中国邮政", ""},
		[]string{"ChinaPost", "China Post Air Mail", "China Post Registered Air Mail", "ePacket", "e邮宝",
			"中国邮政小包", "邮政小包", "中邮", "邮政"}},
	{Carrier{"ems", "EMS", "EMS", ""},
		[]string{"China EMS", "EMS International", "中国EMS", "邮政EMS", "国际EMS", "E特快"}},
	{Carrier{"s10", "Postal (S10)", "邮政（S10）", ""},
		[]string{"S10", "UPU", "Post", "Postal", "Other post", "Postal service", "其他邮政"}},
	{Carrier{"yunexpress", "YunExpress", "云途", "https://www.yuntrack.com/parcelTracking?id=%s"},
		[]string{"Yun Express", "YunTrack", "云途物流"}},
	{Carrier{"sf", "SF Express", "顺丰速运", "https://www.sf-express.com/cn/sc/dynamic_function/waybill/#search/bill-number/%s"},
		[]string{"SFExpress", "SF International", "顺丰", "顺丰快递", "顺丰国际"}},
	{Carrier{"4px", "4PX", "递四方", "https://track.4px.com/#/result/0/%s"},
		[]string{"4PX Express", "4PX Worldwide Express", "递四方速递"}},
	// China's domestic express carriers: numbers without a published format
	// or check digit, tracked on the universal page.
	{Carrier{"zto", "ZTO Express", "中通快递", ""}, []string{"ZTO", "中通", "中通速递"}},
	{Carrier{"yto", "YTO Express", "圆通速递", ""}, []string{"YTO", "圆通", "圆通快递"}},
	{Carrier{"yunda", "Yunda Express", "韵达快递", ""}, []string{"Yunda", "韵达", "韵达速递"}},
	{Carrier{"sto", "STO Express", "申通快递", ""}, []string{"STO", "申通", "申通速递"}},
	{Carrier{"jt", "J&T Express", "极兔速递", ""}, []string{"J&T", "JT Express", "极兔", "极兔快递"}},
	{Carrier{"jd", "JD Logistics", "京东物流", ""}, []string{"JD", "JDL", "京东", "京东快递"}},
}

// OtherNames returns the other names operators type for the carrier with
// this code (its local name and aliases, "顺丰", "SFExpress"…), for
// completion; nil for an unknown code.
func OtherNames(code string) []string {
	for _, e := range carrierTable {
		if e.Code == code {
			return append([]string{e.LocalName}, e.aliases...)
		}
	}
	return nil
}

// carrierIndex maps every folded code, name and alias to its row in
// carrierTable. Built once; never modified.
var carrierIndex = buildCarrierIndex()

func buildCarrierIndex() map[string]int {
	idx := make(map[string]int)
	for i, e := range carrierTable {
		for _, name := range append([]string{e.Code, e.Name, e.LocalName}, e.aliases...) {
			if k := nameKey(name); k != "" {
				if _, dup := idx[k]; !dup {
					idx[k] = i
				}
			}
		}
	}
	return idx
}

// nameKey folds a carrier name for comparison: full-width forms become
// ASCII, letters are lower-cased, and everything but letters and digits
// (spaces, dashes, dots, brackets) is dropped.
func nameKey(name string) string {
	var b strings.Builder
	for _, r := range name {
		if r >= 0xFF01 && r <= 0xFF5E {
			r -= 0xFEE0
		}
		if unicode.IsLetter(r) || unicode.IsDigit(r) {
			b.WriteRune(unicode.ToLower(r))
		}
	}
	return b.String()
}

// Carriers returns every carrier the package knows, in a fixed order. The
// slice is the caller's to keep or change.
func Carriers() []Carrier {
	out := make([]Carrier, len(carrierTable))
	for i, e := range carrierTable {
		out[i] = e.Carrier
	}
	return out
}

// Lookup finds a carrier by its code, its name or a name operators and
// shop platforms commonly use ("UPS", "fedex", "SF Express", "sf", "顺丰",
// "China Post", "中国邮政", "云途"). Case, spaces and punctuation are
// ignored. ok is false for an empty or unknown name.
func Lookup(name string) (c Carrier, ok bool) {
	i, ok := carrierIndex[nameKey(name)]
	if !ok {
		return Carrier{}, false
	}
	return carrierTable[i].Carrier, true
}

// URL returns the page where number can be tracked with carrier, which is
// looked up like Lookup does. The number is normalised and query-escaped
// before it goes into the template. Postal operators without a page of
// their own, carriers the package does not know and an empty carrier get
// FallbackURLTemplate. An empty number gives "".
//
// Pass Result.Number or Candidate.Number to link the part of a scanned
// barcode the carrier tracks (a USPS 420+ZIP routing prefix removed).
func URL(carrier, number string) string {
	n := Normalize(number)
	if n == "" {
		return ""
	}
	tmpl := FallbackURLTemplate
	if c, ok := Lookup(carrier); ok && c.URLTemplate != "" {
		tmpl = c.URLTemplate
	}
	return strings.Replace(tmpl, "%s", url.QueryEscape(n), 1)
}
