package tracking

import "strings"

// isoCountries lists the 249 officially assigned ISO 3166-1 alpha-2 codes,
// written out from the standard. The last two letters of a UPU S10 number
// name the posting operator's country by this code, so a suffix outside the
// list (XX, UK, ZZ …) means the number was mistyped or made up. Kept as one
// string so the table cannot be modified; isCountry searches it.
const isoCountries = "" +
	"AD AE AF AG AI AL AM AO AQ AR AS AT AU AW AX AZ " +
	"BA BB BD BE BF BG BH BI BJ BL BM BN BO BQ BR BS BT BV BW BY BZ " +
	"CA CC CD CF CG CH CI CK CL CM CN CO CR CU CV CW CX CY CZ " +
	"DE DJ DK DM DO DZ " +
	"EC EE EG EH ER ES ET " +
	"FI FJ FK FM FO FR " +
	"GA GB GD GE GF GG GH GI GL GM GN GP GQ GR GS GT GU GW GY " +
	"HK HM HN HR HT HU " +
	"ID IE IL IM IN IO IQ IR IS IT " +
	"JE JM JO JP " +
	"KE KG KH KI KM KN KP KR KW KY KZ " +
	"LA LB LC LI LK LR LS LT LU LV LY " +
	"MA MC MD ME MF MG MH MK ML MM MN MO MP MQ MR MS MT MU MV MW MX MY MZ " +
	"NA NC NE NF NG NI NL NO NP NR NU NZ " +
	"OM " +
	"PA PE PF PG PH PK PL PM PN PR PS PT PW PY " +
	"QA " +
	"RE RO RS RU RW " +
	"SA SB SC SD SE SG SH SI SJ SK SL SM SN SO SR SS ST SV SX SY SZ " +
	"TC TD TF TG TH TJ TK TL TM TN TO TR TT TV TW TZ " +
	"UA UG UM US UY UZ " +
	"VA VC VE VG VI VN VU " +
	"WF WS " +
	"YE YT " +
	"ZA ZM ZW"

// isCountry reports whether code is an assigned ISO 3166-1 alpha-2 code.
// Every entry starts at a multiple of 3, which stops "DA" from matching the
// seam of "AD AE".
func isCountry(code string) bool {
	if len(code) != 2 {
		return false
	}
	for off := 0; ; {
		i := strings.Index(isoCountries[off:], code)
		if i < 0 {
			return false
		}
		if (off+i)%3 == 0 {
			return true
		}
		off += i + 1
	}
}
