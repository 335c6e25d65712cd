package simshop

import (
	"encoding/base64"
	"encoding/json"
	"fmt"
	"net/http"
	"net/url"
	"slices"
	"strconv"
	"strings"
	"time"

	"orderdesk/backend"
)

// shoplineFilter is the list's filter set, carried inside page_info.
type shoplineFilter struct {
	Status, Fulfillment, Financial, Hidden string
	CreatedMin, CreatedMax                 string
	UpdatedMin, UpdatedMax                 string
	Name, IDs                              string
}

type shoplinePageInfo struct {
	SinceID   string         `json:"sinceId,omitempty"`
	BeforeID  string         `json:"beforeId,omitempty"`
	Direction string         `json:"direction"`
	Limit     int            `json:"limit"`
	Filter    shoplineFilter `json:"filter"`
}

var shoplineEnums = map[string][]string{
	"status":             {"open", "cancelled", "any"},
	"fulfillment_status": {"unshipped", "partial", "shipped"},
	"financial_status":   {"unpaid", "authorized", "pending", "partially_paid", "paid", "partially_refunded", "refunded"},
	"hidden_order":       {"true", "false"},
}

// shoplineParseFilter validates the list's query; the error is SHOPLINE's message.
func shoplineParseFilter(q url.Values, enums map[string][]string) (shoplineFilter, string) {
	get := q.Get
	for k, allowed := range enums {
		if v := get(k); v != "" && !slices.Contains(allowed, v) {
			return shoplineFilter{}, strings.ReplaceAll(k, "_", " ") + " value is illegal"
		}
	}
	for _, k := range []string{"created_at_min", "created_at_max", "updated_at_min", "updated_at_max"} {
		if v := get(k); v != "" {
			if _, err := time.Parse(time.RFC3339, v); err != nil {
				return shoplineFilter{}, k + " must be ISO 8601 with an offset, e.g. 2021-08-04T23:59:59+08:00"
			}
		}
	}
	return shoplineFilter{
		Status: get("status"), Fulfillment: get("fulfillment_status"), Financial: get("financial_status"),
		Hidden: get("hidden_order"), CreatedMin: get("created_at_min"), CreatedMax: get("created_at_max"),
		UpdatedMin: get("updated_at_min"), UpdatedMax: get("updated_at_max"), Name: get("name"), IDs: get("ids"),
	}, ""
}

var shoplineFulQuery = map[string]string{"unshipped": "null", "partial": "partial", "shipped": "fulfilled"}

// match applies the filter. Empty Status/Fulfillment mean "any" here; the
// list fills in its defaults before calling.
func (f shoplineFilter) match(o *backend.Order) bool {
	hidden := o.RawStatus["hidden_order"] == "true"
	checks := []bool{
		f.Status != "open" || o.CancelledAt == nil,
		f.Status != "cancelled" || o.CancelledAt != nil,
		f.Hidden != "true" || hidden,
		f.Hidden != "false" || !hidden,
		f.Hidden != "" || f.Status == "any" || f.Status == "" || !hidden,
		f.Fulfillment == "" || shoplineFulQuery[f.Fulfillment] == o.RawStatus["fulfillment_status"],
		f.Financial == "" || f.Financial == o.RawStatus["financial_status"],
		f.Name == "" || f.Name == o.Number,
		f.IDs == "" || slices.Contains(strings.Split(f.IDs, ","), o.ID),
		shoplineWithin(o.CreatedAt, f.CreatedMin, f.CreatedMax),
		shoplineWithin(o.UpdatedAt, f.UpdatedMin, f.UpdatedMax),
	}
	return !slices.Contains(checks, false)
}

func shoplineWithin(t *time.Time, min, max string) bool {
	lo, errLo := time.Parse(time.RFC3339, min)
	hi, errHi := time.Parse(time.RFC3339, max)
	return t != nil && (errLo != nil || !t.Before(lo)) && (errHi != nil || !t.After(hi))
}

// list serves GET orders.json with SHOPLINE's cursor paging.
func (p *shoplineSim) list(w http.ResponseWriter, r *http.Request, _ string) {
	pi, msg := shoplineParsePage(r.URL.Query())
	if msg != "" {
		shoplineError(w, http.StatusBadRequest, msg)
		return
	}
	p.s.mu.Lock()
	picked := p.s.lockedSelect(fmt.Sprintf("shopline list %+v", pi.Filter), func() []int {
		var picked []int
		for i, o := range p.s.orders {
			if pi.Filter.match(o) {
				picked = append(picked, i)
			}
		}
		return picked
	})
	matched := make([]*backend.Order, len(picked))
	for k, i := range picked {
		matched[k] = p.s.orders[i]
	}
	from, to := pi.window(matched)
	page := make([][]byte, 0, to-from)
	var err error
	func() {
		defer p.s.mu.Unlock()
		for _, o := range matched[from:to] {
			var row []byte
			if row, err = p.s.lockedWire(p.s.index[o.Number], 0, func() ([]byte, error) { return json.Marshal(p.render(o)) }); err != nil {
				return
			}
			page = append(page, row)
		}
	}()
	if err != nil {
		p.fail(w, http.StatusInternalServerError)
		return
	}
	var links []string
	if to < len(matched) {
		links = append(links, p.link(pi, shoplinePageInfo{SinceID: matched[to-1].ID, Direction: "next"}, "next"))
	}
	if from > 0 {
		links = append(links, p.link(pi, shoplinePageInfo{BeforeID: matched[from].ID, Direction: "prev"}, "previous"))
	}
	if len(links) > 0 {
		w.Header()["link"] = []string{strings.Join(links, ", ")} // lowercase, as the docs write it
	}
	writeRows(w, http.StatusOK, `{"orders":[`, page, `]}`)
}

// shoplineParsePage reads page_info (the sim's own cursor, every other
// filter ignored) or the first request's filters with their defaults.
func shoplineParsePage(q url.Values) (shoplinePageInfo, string) {
	pi := shoplinePageInfo{Direction: "next", Limit: 50}
	if raw := q.Get("page_info"); raw != "" {
		b, err := base64.RawURLEncoding.DecodeString(raw)
		if err != nil || json.Unmarshal(b, &pi) != nil || pi.Limit < 1 {
			return pi, "page_info is invalid"
		}
	} else {
		f, msg := shoplineParseFilter(q, shoplineEnums)
		if msg != "" {
			return pi, msg
		}
		f.Status = shoplineOr(f.Status, "open")
		f.Fulfillment = shoplineOr(f.Fulfillment, "unshipped")
		pi.Filter = f
	}
	if l := q.Get("limit"); l != "" {
		n, err := strconv.Atoi(l)
		if err != nil || n < 1 || n > 100 {
			return pi, "limit must be between 1 and 100"
		}
		pi.Limit = n
	}
	return pi, ""
}

// window is the page's range in the matching orders (id order).
func (pi shoplinePageInfo) window(matched []*backend.Order) (from, to int) {
	switch {
	case pi.SinceID != "":
		from = slices.IndexFunc(matched, func(o *backend.Order) bool { return o.ID > pi.SinceID })
		if from < 0 {
			from = len(matched)
		}
		return from, min(len(matched), from+pi.Limit)
	case pi.BeforeID != "":
		to = slices.IndexFunc(matched, func(o *backend.Order) bool { return o.ID >= pi.BeforeID })
		if to < 0 {
			to = len(matched)
		}
		return max(0, to-pi.Limit), to
	}
	return 0, min(len(matched), pi.Limit)
}

func shoplineOr(v, def string) string {
	if v == "" {
		return def
	}
	return v
}

// link builds one link entry; the cursor inherits the first request's
// filters and limit.
func (p *shoplineSim) link(cur, next shoplinePageInfo, rel string) string {
	next.Limit, next.Filter = cur.Limit, cur.Filter
	b, _ := json.Marshal(next)
	return fmt.Sprintf(`<%s/admin/openapi/%s/orders.json?limit=%d&page_info=%s>; rel="%s"`,
		p.s.URL(), p.s.Opt.APIVersion, cur.Limit, base64.RawURLEncoding.EncodeToString(b), rel)
}

var shoplineCountEnums = map[string][]string{
	"status":             {"open", "cancelled", "hidden", "any"},
	"fulfillment_status": {"unshipped", "partial", "shipped", "any"},
	"financial_status":   append(slices.Clone(shoplineEnums["financial_status"]), "any"),
}

// count serves GET orders/count.json; every status filter defaults to any.
func (p *shoplineSim) count(w http.ResponseWriter, r *http.Request, _ string) {
	f, msg := shoplineParseFilter(r.URL.Query(), shoplineCountEnums)
	if msg != "" {
		shoplineError(w, http.StatusBadRequest, msg)
		return
	}
	if f.Status == "hidden" {
		f.Status, f.Hidden = "any", "true"
	}
	f.Status = strings.TrimSuffix(f.Status, "any")
	f.Fulfillment = strings.TrimSuffix(f.Fulfillment, "any")
	f.Financial = strings.TrimSuffix(f.Financial, "any")
	f.Name, f.IDs = "", ""
	p.s.mu.Lock()
	n := 0
	for _, o := range p.s.orders {
		if f.match(o) {
			n++
		}
	}
	p.s.mu.Unlock()
	writeJSON(w, http.StatusOK, map[string]any{"count": n})
}
