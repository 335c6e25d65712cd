package simshop

import (
	"encoding/json"
	"fmt"
	"math/rand/v2"
	"time"

	"orderdesk/backend"
)

// The generator makes platform-neutral orders from a seed: customers and
// addresses in several scripts, items from a small catalogue, several
// currencies, creation times spread over Options.Span (four months by
// default) before Options.Now.
// Each platform's build then gives them numbers, ids, a raw status and the
// totals as that platform computes them. Same seed, same orders.

type person struct{ first, last, full, email, phone string }

var people = []person{
	{"John", "Smith", "John Smith", "john.smith@example.com", "+1 212-555-0134"},
	{"María", "García", "María García", "maria.garcia@example.es", "+34 612 345 678"},
	{"Jürgen", "Müller", "Jürgen Müller", "j.mueller@example.de", "+49 30 1234567"},
	{"François", "Dupont", "François Dupont", "f.dupont@example.fr", "+33 6 12 34 56 78"},
	{"小明", "王", "王小明", "wangxm@example.cn", "+86 186-6183-2866"},
	{"娜", "李", "李娜", "lina88@example.cn", "13912345678"},
	{"地虎", "赵", "赵地虎", "2358269014@qq.com", "18644444444"},
	{"静", "陈", "陈静", "chenjing@example.com.cn", "+86 21 6888 1234"},
	{"花子", "佐藤", "佐藤 花子", "hanako.sato@example.jp", "+81 90-1234-5678"},
	{"一郎", "鈴木", "鈴木 一郎", "ichiro@example.jp", "080-9876-5432"},
	{"민수", "김", "김민수", "minsu.kim@example.kr", "+82 10-1234-5678"},
	{"Иван", "Петров", "Иван Петров", "ivan.petrov@example.ru", "+7 916 123-45-67"},
	{"محمد", "علي", "محمد علي", "m.ali@example.ae", "+971 50 123 4567"},
	{"Olivia", "O'Brien", "Olivia O'Brien", "olivia.obrien@example.co.uk", "+44 20 7946 0958"},
}

type place struct {
	country, countryName, province, provinceCode, city, line1, line2, zip string
}

var places = []place{
	{"US", "United States", "New York", "NY", "New York", "350 5th Ave", "Suite 2100", "10118"},
	{"CN", "China", "上海市", "SH", "上海市", "浦东新区世纪大道100号", "25楼", "200120"},
	{"CN", "China", "天津市", "TJ", "天津市", "和平区南京路219号", "4-4-403", "300051"},
	{"JP", "Japan", "東京都", "13", "渋谷区", "神南1-2-3", "ヒルズ 5F", "150-0041"},
	{"DE", "Germany", "Berlin", "BE", "Berlin", "Unter den Linden 77", "", "10117"},
	{"GB", "United Kingdom", "England", "ENG", "London", "221B Baker Street", "", "NW1 6XE"},
	{"FR", "France", "Île-de-France", "IDF", "Paris", "5 Avenue Anatole France", "", "75007"},
	{"KR", "South Korea", "서울특별시", "11", "서울", "세종대로 175", "", "03172"},
	{"RU", "Russia", "Москва", "MOW", "Москва", "Тверская ул., 7", "кв. 12", "125009"},
	{"AE", "United Arab Emirates", "Dubai", "DU", "Dubai", "1 Sheikh Mohammed bin Rashid Blvd", "", "00000"},
	{"AU", "Australia", "New South Wales", "NSW", "Sydney", "Bennelong Point", "", "2000"},
	{"BR", "Brazil", "São Paulo", "SP", "São Paulo", "Av. Paulista, 1578", "", "01310-200"},
}

type product struct {
	sku, title, variant string
	usdCents            int64
	grams               int64
}

var catalogue = []product{
	{"LC79246S", "Low Rise Flowery Legging", "Color:As shown / Size:S", 1800, 130},
	{"sk10002", "Leaves Pattern Waisted Zippered Dress", "color:multicolor / size:M", 3300, 300},
	{"high-Dark Blue-1004665", "High Ankle Jeans", "Dark Blue", 1242, 600},
	{"TEA-LJ-250", "龙井绿茶 250g", "特级", 2599, 250},
	{"MUG-JP-01", "有田焼 マグカップ", "藍", 3450, 420},
	{"KB-87-RGB", "Mechanical Keyboard 87 keys", "Brown switches", 8999, 900},
	{"SCARF-SILK", "Silk Scarf / 真丝围巾", "Red", 4550, 80},
	{"SOCK-3P", "Wool Socks (3 pairs)", "L", 1500, 210},
	{"LAMP-LED", "LED Desk Lamp", "White", 3999, 1100},
	{"BAG-CANVAS", "Canvas Tote Bag", "Natural", 1299, 350},
}

// currency rates from USD cents to the currency's minor units, ×10000.
var currencies = []struct {
	code string
	rate int64
}{
	{"USD", 10000}, {"USD", 10000}, {"USD", 10000}, {"EUR", 9200}, {"GBP", 7900}, {"JPY", 1500000 / 100}, {"CNY", 72000},
}

func convert(usdCents int64, rate int64) int64 { return usdCents * rate / 10000 }

var paymentMethods = []string{"paypal_standard", "stripe", "cod", "paypal_standard"}

// tracking numbers with valid shapes and check digits where the carrier has one.
func trackingFor(i int) (carrier, number string) {
	switch i % 4 {
	case 0:
		serial := fmt.Sprintf("%08d", 10000000+i*7919%89999999)
		return "EMS", "EE" + serial + fmt.Sprint(s10Check(serial)) + "CN"
	case 1:
		return "YunExpress", fmt.Sprintf("YT%016d", 2229521272160000+int64(i))
	case 2:
		serial := fmt.Sprintf("%08d", 20000000+i*104729%79999999)
		return "China Post", "RR" + serial + fmt.Sprint(s10Check(serial)) + "CN"
	}
	return "SF Express", fmt.Sprintf("SF%013d", 1410289486000+int64(i))
}

// s10Check is the UPU S10 check digit of an 8-digit serial.
func s10Check(serial string) int {
	w := [8]int{8, 6, 4, 2, 3, 5, 9, 7}
	sum := 0
	for k := range 8 {
		sum += int(serial[k]-'0') * w[k]
	}
	switch c := 11 - sum%11; c {
	case 10:
		return 0
	case 11:
		return 5
	default:
		return c
	}
}

// generate makes opt.Orders neutral orders, oldest first.
func generate(opt Options, p backend.Platform) []*backend.Order {
	out := make([]*backend.Order, opt.Orders)
	span := opt.Span
	if span <= 0 {
		span = 120 * 24 * time.Hour
	}
	for i := range out {
		r := rng(opt.Seed, p, i, 0)
		// Spread evenly with jitter so creation order is index order.
		step := span / time.Duration(opt.Orders+1)
		created := opt.Now.Add(-span + step*time.Duration(i) + time.Duration(r.Int64N(int64(step/2)+1))).Truncate(time.Second)
		updated := created.Add(time.Duration(r.IntN(72*60)) * time.Minute)
		if updated.After(opt.Now) {
			updated = opt.Now
		}
		cur := currencies[r.IntN(len(currencies))]
		who := people[r.IntN(len(people))]
		where := places[r.IntN(len(places))]
		o := &backend.Order{
			Platform:  p,
			Currency:  cur.code,
			CreatedAt: backend.UTC(created),
			UpdatedAt: backend.UTC(updated),
			Customer:  backend.Customer{Name: who.full, Email: who.email, Phone: who.phone},
			RawStatus: map[string]string{},
		}
		addr := &backend.Address{
			Name: who.full, Line1: where.line1, Line2: where.line2, City: where.city,
			Province: where.province, ProvinceCode: where.provinceCode, Zip: where.zip,
			CountryCode: where.country, Country: where.countryName, Phone: who.phone, Email: who.email,
		}
		o.ShippingAddress = addr
		if r.IntN(3) == 0 {
			b := *addr
			b.Company = "ACME Trading Co."
			o.BillingAddress = &b
		}
		sub := int64(0)
		for k, n := 0, 1+r.IntN(3); k < n; k++ {
			pr := catalogue[(i+k*3+r.IntN(2))%len(catalogue)]
			qty := 1 + r.IntN(3)
			unit := convert(pr.usdCents, cur.rate)
			sub += unit * int64(qty)
			o.Items = append(o.Items, backend.Item{
				SKU: pr.sku, Title: pr.title, Variant: pr.variant, Qty: qty,
				UnitPrice: backend.AmountFromMinor(unit, cur.code),
				RowTotal:  backend.AmountFromMinor(unit*int64(qty), cur.code),
				WeightG:   pr.grams,
				Image:     fmt.Sprintf("https://img.example.com/%s.jpg", pr.sku),
			})
		}
		ship := convert([]int64{0, 500, 1000}[r.IntN(3)], cur.rate)
		disc := int64(0)
		if r.IntN(4) == 0 {
			disc = sub / 10
		}
		o.Totals = backend.Totals{
			Subtotal:   backend.AmountFromMinor(sub, cur.code),
			Shipping:   backend.AmountFromMinor(ship, cur.code),
			Discount:   backend.AmountFromMinor(disc, cur.code),
			Tax:        backend.ZeroAmount(cur.code),
			Fee:        backend.ZeroAmount(cur.code),
			GrandTotal: backend.AmountFromMinor(sub+ship-disc, cur.code),
		}
		o.Payments = []backend.Payment{{Method: paymentMethods[r.IntN(len(paymentMethods))], Currency: cur.code, Amount: o.Totals.GrandTotal}}
		if r.IntN(5) == 0 {
			o.BuyerNote = []string{"Please ship fast & wrap as a \"gift\"", "请尽快发货，谢谢！", "Leave at the door"}[r.IntN(3)]
		}
		out[i] = o
	}
	return out
}

// rng is the deterministic random source for one order of one shop.
func rng(seed int64, p backend.Platform, i, salt int) *rand.Rand {
	h := uint64(seed)
	for _, c := range string(p) {
		h = h*1099511628211 + uint64(c)
	}
	return rand.New(rand.NewPCG(h, uint64(i)<<8|uint64(salt)))
}

// clone deep-copies an order through its JSON form.
func clone(o *backend.Order) *backend.Order {
	b, err := json.Marshal(o)
	if err != nil {
		panic(err)
	}
	var c backend.Order
	if err := json.Unmarshal(b, &c); err != nil {
		panic(err)
	}
	c.Raw = o.Raw
	return &c
}
