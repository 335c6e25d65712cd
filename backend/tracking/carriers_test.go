package tracking

import (
	"slices"
	"strings"
	"testing"
)

func TestLookup(t *testing.T) {
	tests := []struct{ name, code string }{
		{"UPS", "ups"}, {"ups", "ups"}, {"United Parcel Service", "ups"},
		{"FedEx", "fedex"}, {"FEDEX", "fedex"}, {"fed-ex", "fedex"}, {"联邦快递", "fedex"},
		{"USPS", "usps"}, {"U.S. Postal Service", "usps"},
		{"DHL", "dhl"}, {"dhl express", "dhl"},
		{"SF Express", "sf"}, {"sf", "sf"}, {"SF", "sf"}, {"sf-express", "sf"}, {"S.F. Express", "sf"},
		{"顺丰", "sf"}, {"顺丰速运", "sf"},
		{"EMS", "ems"}, {"ems", "ems"}, {"中国EMS", "ems"},
		{"China Post", "china-post"}, {"china-post", "china-post"}, {"CHINAPOST", "china-post"}, {"中国邮政", "china-post"},
		{"YunExpress", "yunexpress"}, {"Yun Express", "yunexpress"}, {"云途", "yunexpress"},
		{"4PX", "4px"}, {"4px", "4px"}, {"递四方", "4px"},
		{"S10", "s10"}, {"Postal (S10)", "s10"},
		{"ＵＰＳ", "ups"}, // full-width
	}
	for _, tt := range tests {
		c, ok := Lookup(tt.name)
		if !ok || c.Code != tt.code {
			t.Errorf("Lookup(%q) = %q, %v; want %q", tt.name, c.Code, ok, tt.code)
		}
	}
	for _, name := range []string{"", "  ", "Yanwen", "xx", "-", "UPS Freight Ltd"} {
		if c, ok := Lookup(name); ok {
			t.Errorf("Lookup(%q) = %q, want not found", name, c.Code)
		}
	}
}

// Every name in the table must lead back to its own row: two carriers
// claiming one alias would make Lookup depend on table order.
func TestCarrierTableNamesAreUnambiguous(t *testing.T) {
	owner := map[string]string{}
	for _, e := range carrierTable {
		if e.Code == "" || e.Name == "" {
			t.Errorf("carrier %+v lacks a code or name", e.Carrier)
		}
		for _, name := range append([]string{e.Code, e.Name, e.LocalName}, e.aliases...) {
			k := nameKey(name)
			if prev, ok := owner[k]; ok && prev != e.Code {
				t.Errorf("name %q belongs to both %s and %s", name, prev, e.Code)
			}
			owner[k] = e.Code
			if c, ok := Lookup(name); !ok || c.Code != e.Code {
				t.Errorf("Lookup(%q) = %q, want %q", name, c.Code, e.Code)
			}
		}
		if e.URLTemplate != "" && strings.Count(e.URLTemplate, "%s") != 1 {
			t.Errorf("%s: template %q must hold exactly one %%s", e.Code, e.URLTemplate)
		}
	}
}

func TestFormatTableCarriersExist(t *testing.T) {
	seen := map[string]bool{}
	for _, f := range formatTable {
		if seen[f.name] {
			t.Errorf("format %q listed twice", f.name)
		}
		seen[f.name] = true
		if len(f.carriers) == 0 || f.looks == "" || f.parse == nil {
			t.Errorf("format %q is incomplete", f.name)
		}
		for _, code := range f.carriers {
			if c, ok := Lookup(code); !ok || c.Code != code {
				t.Errorf("format %q names unknown carrier %q", f.name, code)
			}
		}
	}
	for _, code := range s10Operators {
		if _, ok := Lookup(code); !ok {
			t.Errorf("s10Operators names unknown carrier %q", code)
		}
	}
}

func TestCarriersIsACopy(t *testing.T) {
	a := Carriers()
	want := []string{"ups", "fedex", "usps", "dhl", "china-post", "ems", "s10", "yunexpress", "sf", "4px", "zto", "yto", "yunda", "sto", "jt", "jd"}
	var codes []string
	for _, c := range a {
		codes = append(codes, c.Code)
	}
	if !slices.Equal(codes, want) {
		t.Fatalf("Carriers() codes = %v, want %v", codes, want)
	}
	a[0].Name = "changed"
	if Carriers()[0].Name != "UPS" {
		t.Error("changing the returned slice changed the table")
	}
	if c, _ := Lookup("ups"); c.Name != "UPS" {
		t.Error("changing the returned slice changed Lookup")
	}
}

func TestURL(t *testing.T) {
	tests := []struct{ carrier, number, want string }{
		{"UPS", "1z 999aa1 0123456784", "https://wwwapps.ups.com/WebTracking/track?track=yes&trackNums=1Z999AA10123456784"},
		{"fedex", "9865-7878-8855", "https://www.fedex.com/apps/fedextrack/?tracknumbers=986578788855"},
		{"usps", "9400111206206406260787", "https://tools.usps.com/go/TrackConfirmAction?tLabels=9400111206206406260787"},
		{"DHL", "3318810025", "https://www.dhl.com/en/express/tracking.html?AWB=3318810025&brand=DHL"},
		{"云途", "yt2229521272164446", "https://www.yuntrack.com/parcelTracking?id=YT2229521272164446"},
		{"sf", "SF1410289486215", "https://www.sf-express.com/cn/sc/dynamic_function/waybill/#search/bill-number/SF1410289486215"},
		{"4PX", "4PX3000123456CN", "https://track.4px.com/#/result/0/4PX3000123456CN"},
		{"China Post", "RB123456785CN", "https://t.17track.net/en#nums=RB123456785CN"},
		{"EMS", "EE123456785CN", "https://t.17track.net/en#nums=EE123456785CN"},
		{"s10", "RB123456785GB", "https://t.17track.net/en#nums=RB123456785GB"},
		{"Yanwen", "UG123456785YW", "https://t.17track.net/en#nums=UG123456785YW"},
		{"", "ab12345678", "https://t.17track.net/en#nums=AB12345678"},
		// Characters that would break the URL are escaped, not passed through.
		{"4px", "ab/12&x=1#y?z%", "https://track.4px.com/#/result/0/AB%2F12%26X%3D1%23Y%3FZ%25"},
		{"ups", "a+b", "https://wwwapps.ups.com/WebTracking/track?track=yes&trackNums=A%2BB"},
		{"ups", "  - ", ""},
	}
	for _, tt := range tests {
		if got := URL(tt.carrier, tt.number); got != tt.want {
			t.Errorf("URL(%q, %q) =\n %q, want\n %q", tt.carrier, tt.number, got, tt.want)
		}
	}
}
