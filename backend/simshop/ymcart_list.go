package simshop

import (
	"bytes"
	"cmp"
	"net/url"
	"slices"
	"strconv"
	"strings"
	"time"

	"orderdesk/backend"
)

// orderList: filters, then id ascending (order_by 1: pay_time ascending),
// then the page.
func (y *ymcartSim) orderList(s *Server, f url.Values) ymcartRow {
	page, size, ok := ymcartPaging(f, false)
	if !ok {
		return ymcartErr(1, "page_error")
	}
	match, msg := ymcartFilter(f, s.Opt.Timezone)
	if msg != "" {
		return ymcartErr(1, msg)
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	filter := url.Values{}
	for k, v := range f {
		if k != "page_no" && k != "page_size" {
			filter[k] = v
		}
	}
	picked := s.lockedSelect("ymcart orderList "+filter.Encode(), func() []int {
		var hits []int
		for i, o := range s.orders {
			if match(o, y.extra[o.Number]) {
				hits = append(hits, i)
			}
		}
		if f.Get("order_by") == "1" {
			unix := func(t *time.Time) int64 {
				if t == nil {
					return 0
				}
				return t.Unix()
			}
			slices.SortStableFunc(hits, func(a, b int) int { return cmp.Compare(unix(s.orders[a].PaidAt), unix(s.orders[b].PaidAt)) })
		}
		return hits
	})
	rows := [][]byte{}
	for _, i := range ymcartPage(picked, page, size) {
		o := s.orders[i]
		row, _ := s.lockedWire(i, 0, func() ([]byte, error) {
			var b bytes.Buffer
			ymcartEncode(&b, y.orderRow(o))
			return b.Bytes(), nil
		})
		rows = append(rows, row)
	}
	return ymcartRow{{key: "code", val: 0}, {key: "count", val: strconv.Itoa(len(picked))}, {key: "data", val: rows}}
}

func ymcartPage[T any](all []T, page, size int) []T {
	from := min((page-1)*size, len(all))
	return all[from:min(from+size, len(all))]
}

// ymcartPaging reads page_no and page_size (default 1 and 50, at most 200;
// deliveryList requires both).
func ymcartPaging(f url.Values, required bool) (page, size int, ok bool) {
	read := func(key string, def int) (int, bool) {
		v := strings.TrimSpace(f.Get(key))
		if v == "" {
			return def, !required
		}
		n, err := strconv.Atoi(v)
		return n, err == nil && n >= 1
	}
	page, ok1 := read("page_no", 1)
	size, ok2 := read("page_size", 50)
	return page, min(size, 200), ok1 && ok2
}

// ymcartFilter builds the orderList filter, or names the bad parameter.
func ymcartFilter(f url.Values, loc *time.Location) (func(*backend.Order, *ymcartExtra) bool, string) {
	list := func(key string) []string {
		var out []string
		for _, v := range strings.Split(f.Get(key), ",") {
			if v = strings.TrimSpace(v); v != "" {
				out = append(out, v)
			}
		}
		return out
	}
	numbers, statuses, payIDs := list("itemno"), list("order_status"), list("payment_id")
	tt := f.Get("time_type")
	if tt != "" && tt != "1" && tt != "2" {
		return nil, "time_type_error"
	}
	day := func(key string) (*time.Time, bool) {
		v := strings.TrimSpace(f.Get(key))
		if v == "" {
			return nil, true
		}
		t, err := time.ParseInLocation("2006-1-2", v, loc)
		return &t, err == nil
	}
	start, ok1 := day("start_time")
	end, ok2 := day("end_time")
	if !ok1 || !ok2 {
		return nil, "time_error"
	}
	return func(o *backend.Order, x *ymcartExtra) bool {
		if len(numbers) > 0 && !slices.Contains(numbers, o.Number) ||
			len(statuses) > 0 && !slices.Contains(statuses, o.RawStatus["order_status"]) ||
			len(payIDs) > 0 && !slices.Contains(payIDs, strconv.Itoa(ymcartPayIDs[ymcartPayment(o).Method])) {
			return false
		}
		t := map[string]*time.Time{"": o.CreatedAt, "1": o.PaidAt, "2": o.UpdatedAt}[tt]
		if tt == "2" && !x.acted {
			t = nil
		}
		if start != nil && (t == nil || t.Before(*start)) {
			return false
		}
		return end == nil || t != nil && t.Before(end.AddDate(0, 0, 1))
	}, ""
}

// deliveryList: every shipment record, id descending, ids <= max_id.
func (y *ymcartSim) deliveryList(s *Server, f url.Values) ymcartRow {
	page, size, ok := ymcartPaging(f, true)
	maxID, err := strconv.Atoi(cmp.Or(strings.TrimSpace(f.Get("max_id")), "0"))
	if !ok || err != nil {
		return ymcartErr(1, "page_error")
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	var rows []ymcartRow
	for _, o := range s.orders {
		for _, r := range y.deliveryRows(o) {
			if id, _ := strconv.Atoi(r[0].val.(string)); maxID <= 0 || id <= maxID {
				rows = append(rows, r)
			}
		}
	}
	slices.SortFunc(rows, func(a, b ymcartRow) int {
		ia, _ := strconv.Atoi(a[0].val.(string))
		ib, _ := strconv.Atoi(b[0].val.(string))
		return ib - ia
	})
	return ymcartRow{{key: "code", val: 0}, {key: "count", val: strconv.Itoa(len(rows))}, {key: "data", val: append([]ymcartRow{}, ymcartPage(rows, page, size)...)}}
}
