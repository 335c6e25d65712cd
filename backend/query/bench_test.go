package query

import (
	"fmt"
	"runtime"
	"sync"
	"testing"
	"time"

	"orderdesk/backend"
)

// benchOrders is 100,000 orders: 25,000 per simulated platform, one in 50
// with an open edit. Built once per test binary (building takes seconds).
var benchOrders = sync.OnceValues(func() ([]*backend.Order, map[string]*time.Location) {
	orders, zones := simOrders(&testing.B{}, 25000)
	for i, o := range orders {
		if i%50 == 0 {
			o.Pending = []backend.PendingEdit{{ID: fmt.Sprint("E", i), State: string(backend.EditPending)}}
		}
	}
	return orders, zones
})

var benchDocs = sync.OnceValue(func() []Doc {
	orders, zones := benchOrders()
	return NewDocs(orders, func(shop string) *time.Location { return zones[shop] })
})

// benchQueries are what an operator types: free text (a word, CJK, a
// phone, a phone pasted without quotes, a miss), single field terms and a
// three-term query.
var benchQueries = []struct{ name, q string }{
	{"text/word", "legging"},
	{"text/cjk", "王小明"},
	{"text/phone", `"+86 186-6183"`},
	{"text/phone-pasted", "+81 90-1234-5678"},
	{"text/miss", "smithson"},
	{"text/miss-repeated", "zzzz"},
	{"text/one-letter", "e"},
	{"text/two-letters", "le"},
	{"field/pay", "pay:paid"},
	{"field/status", "status:paid"},
	{"field/country", "country:cn"},
	{"field/is", "is:attention"},
	{"field/total", "total>100"},
	{"field/created", "created<30d"},
	{"field/created-date", "created>=2026-09-01"},
	{"field/sku", "sku:lc79"},
	{"three-terms", "country:cn pay:paid legging"},
	{"three-terms/text-heavy", "wang legging -dress"},
}

// BenchmarkMatch filters 100,000 Docs with one query per iteration
// (Query.Filter, which is Match over each Doc). The
// TUI budget is 5 ms per 100k orders (50 ns/order) for a free-text term and
// 2 ms (20 ns/order) for a field term.
func BenchmarkMatch(b *testing.B) {
	docs := benchDocs()
	runtime.GC() // finish the collection building the Docs started
	for _, bq := range benchQueries {
		b.Run(bq.name, func(b *testing.B) {
			q, err := Parse(bq.q, Options{Now: simNow})
			if err != nil {
				b.Fatal(err)
			}
			b.ReportAllocs()
			dst := make([]int, 0, len(docs))
			for b.Loop() {
				dst = q.Filter(docs, dst[:0])
			}
			n := len(dst)
			perOrder := float64(b.Elapsed().Nanoseconds()) / float64(b.N*len(docs))
			b.ReportMetric(perOrder, "ns/order")
			b.ReportMetric(perOrder*100000/1e6, "ms/100k")
			b.ReportMetric(float64(n), "matches")
		})
	}
}

// BenchmarkNewDoc is the cost of preparing one order (a changed order).
func BenchmarkNewDoc(b *testing.B) {
	orders, zones := benchOrders()
	b.ReportAllocs()
	i := 0
	for b.Loop() {
		o := orders[i%len(orders)]
		d := NewDoc(o, zones[o.Shop])
		_ = d
		i++
	}
}

// BenchmarkNewDocs is the cost of preparing all 100,000 orders at once
// (the TUI opening the desk), reported per order and per 100k.
func BenchmarkNewDocs(b *testing.B) {
	orders, zones := benchOrders()
	loc := func(shop string) *time.Location { return zones[shop] }
	b.ReportAllocs()
	for b.Loop() {
		NewDocs(orders, loc)
	}
	perOrder := float64(b.Elapsed().Nanoseconds()) / float64(b.N*len(orders))
	b.ReportMetric(perOrder, "ns/order")
	b.ReportMetric(perOrder*float64(len(orders))/1e6, "ms/100k")
}

// BenchmarkParse is the cost of one keystroke's parse.
func BenchmarkParse(b *testing.B) {
	b.ReportAllocs()
	for b.Loop() {
		if _, err := Parse(`country:cn pay:paid "new york" total>100 created<30d -is:archived`, Options{Now: simNow}); err != nil {
			b.Fatal(err)
		}
	}
}

// TestMatchDoesNotAllocate holds Match to zero allocations for every
// kind of term. Not parallel: AllocsPerRun counts the whole process's
// allocations.
func TestMatchDoesNotAllocate(t *testing.T) {
	docs := sampleDocs(t)
	qs := []string{}
	for _, bq := range benchQueries {
		qs = append(qs, bq.q)
	}
	qs = append(qs, "phone:+81 90-1234-5678", "+44 (0)20 7946 0958 -张伟", "1001 1002")
	qs = append(qs, "shop:eu-store platform:fecshop ship:shipped carrier:post tracking:rr email:x phone:186 tag:vip currency:usd city:york number:11 name:王 title:マグ updated>2024-01")
	for _, s := range qs {
		q := mustParse(t, s)
		allocs := testing.AllocsPerRun(20, func() {
			for i := range docs {
				q.Match(&docs[i])
			}
		})
		if allocs != 0 {
			t.Errorf("%q: %v allocations per pass", s, allocs)
		}
	}
}
