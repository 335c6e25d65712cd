package shopline

import (
	"context"
	"encoding/base64"
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"net/url"
	"regexp"
	"strconv"
	"strings"
	"time"

	"orderdesk/backend"
	"orderdesk/backend/internal/adapt"
)

// passes are the list's fulfillment_status query values. The list defaults
// to unshipped and accepts no "any", so a complete listing is three passes.
var passes = [...]string{"unshipped", "partial", "shipped"}

// queryTime is ISO 8601 with a numeric offset, never "Z".
const queryTime = "2006-01-02T15:04:05-07:00"

// cursor is the adapter's opaque list position: the pass, SHOPLINE's own
// page_info within it (taken from the link header, never built here), the
// filters for the next pass's first request, and the total counted at the
// start of the listing.
type cursor struct {
	Pass       int    `json:"pass"`
	PageInfo   string `json:"page_info,omitempty"`
	Page       int    `json:"page"`
	Total      int    `json:"total"`
	UpdatedMin string `json:"updated_min,omitempty"`
	CreatedMin string `json:"created_min,omitempty"`
	CreatedMax string `json:"created_max,omitempty"`
}

const cursorPrefix = "sl1."

func (c cursor) encode() string {
	b, _ := json.Marshal(c)
	return cursorPrefix + base64.RawURLEncoding.EncodeToString(b)
}

func parseCursor(s string) (cursor, error) {
	var c cursor
	b, err := base64.RawURLEncoding.DecodeString(strings.TrimPrefix(s, cursorPrefix))
	if err == nil && strings.HasPrefix(s, cursorPrefix) {
		err = json.Unmarshal(b, &c)
	} else if err == nil {
		err = errors.New("unknown format")
	}
	if err == nil && (c.Pass < 0 || c.Pass >= len(passes) || c.Page < 1) {
		err = errors.New("out of range")
	}
	return c, err
}

// List returns one page. The first call (empty cursor) counts the matching
// orders once (orders/count.json) for Page.Total; later pages carry that
// total. When the cursor is set, the filters it holds win over q's.
func (s *Shop) List(ctx context.Context, q backend.ListQuery) (backend.Page, error) {
	c, err := s.resume(ctx, q)
	if err != nil {
		return backend.Page{}, err
	}
	op := fmt.Sprintf("list page %d (%s)", c.Page, passes[c.Pass])
	resp, err := s.do(ctx, op, http.MethodGet, "/orders.json", s.pageQuery(c), nil, false)
	if err != nil {
		return backend.Page{}, listError(err, s.cfg.APIVersion)
	}
	orders, err := decodeList(resp.Body, s.cfg.Name, s.cfg.Loc(), s.now())
	if err != nil {
		return backend.Page{}, s.badBody(op, false, err)
	}
	next, err := nextPageInfo(resp.Header)
	if err != nil {
		return backend.Page{}, s.badBody(op, false, err)
	}
	s.log.Debug("listed", "op", op, "orders", len(orders), "more", next != "")
	page := backend.Page{Orders: orders, Total: c.Total}
	switch {
	case next != "":
		c.PageInfo = next
	case c.Pass+1 < len(passes):
		c.Pass, c.PageInfo = c.Pass+1, ""
	default:
		return page, nil
	}
	c.Page++
	page.Next = c.encode()
	return page, nil
}

// resume reads the cursor, or starts a listing: filters from q, total from
// one count request (-1 when the count cannot be had; an error when the
// shop left it unanswered).
func (s *Shop) resume(ctx context.Context, q backend.ListQuery) (cursor, error) {
	if q.Cursor != "" {
		c, err := parseCursor(q.Cursor)
		if err != nil {
			return c, &backend.Error{Kind: backend.ErrRefused, Shop: s.cfg.Name, Op: "list", Reason: "invalid list cursor", Err: err}
		}
		return c, nil
	}
	loc := s.cfg.Loc()
	c := cursor{Page: 1, Total: -1}
	if !q.UpdatedSince.IsZero() {
		c.UpdatedMin = q.UpdatedSince.In(loc).Format(queryTime)
	}
	if !q.CreatedFrom.IsZero() {
		c.CreatedMin = q.CreatedFrom.In(loc).Format(queryTime)
	}
	if !q.CreatedTo.IsZero() {
		// created_at_max is inclusive and SHOPLINE times are whole seconds.
		c.CreatedMax = q.CreatedTo.Add(-time.Second).In(loc).Format(queryTime)
	}
	n, err := s.count(ctx, c)
	var silent *backend.NoAnswerError
	if errors.As(err, &silent) {
		return c, err // the listing would wait as long again
	}
	if err != nil {
		s.log.Warn("count failed; total unknown", "err", s.redactor.Scrub(err.Error()))
		return c, nil
	}
	c.Total = n
	return c, nil
}

// filterQuery is the time window every first request carries.
func (c cursor) filterQuery() url.Values {
	v := url.Values{}
	for k, t := range map[string]string{"updated_at_min": c.UpdatedMin, "created_at_min": c.CreatedMin, "created_at_max": c.CreatedMax} {
		if t != "" {
			v.Set(k, t)
		}
	}
	return v
}

// pageQuery: with page_info SHOPLINE ignores every other filter, so only
// page_info and limit are sent.
func (s *Shop) pageQuery(c cursor) url.Values {
	v := url.Values{"limit": {strconv.Itoa(s.pageSize)}}
	if c.PageInfo != "" {
		v.Set("page_info", c.PageInfo)
		return v
	}
	for k, vs := range c.filterQuery() {
		v[k] = vs
	}
	v.Set("status", "any")
	v.Set("fulfillment_status", passes[c.Pass])
	return v
}

// count asks orders/count.json how many orders the listing will return.
func (s *Shop) count(ctx context.Context, c cursor) (int, error) {
	q := c.filterQuery()
	q.Set("status", "any")
	resp, err := s.do(ctx, "count", http.MethodGet, "/orders/count.json", q, nil, false)
	if err != nil {
		return 0, err
	}
	var body struct {
		Count *adapt.FlexInt `json:"count"`
	}
	if err := json.Unmarshal(resp.Body, &body); err != nil {
		return 0, s.badBody("count", false, err)
	}
	if body.Count == nil || !body.Count.Set {
		return 0, s.badBody("count", false, &adapt.FieldError{Field: "count", Err: adapt.ErrMissing})
	}
	return body.Count.Int(), nil
}

// listError turns a 404 on a list endpoint into a rejection that points at
// the configured version: there is no order to be "not found".
func listError(err error, version string) error {
	var be *backend.Error
	if errors.As(err, &be) && be.Kind == backend.ErrNotFound {
		c := *be
		c.Kind = backend.ErrRejected
		c.Reason += fmt.Sprintf(" (is api_version %s served by this store?)", version)
		return &c
	}
	return err
}

var linkPart = regexp.MustCompile(`<([^>]*)>\s*;\s*rel\s*=\s*"?([A-Za-z]+)"?`)

// nextPageInfo reads page_info from the rel="next" entry of the link
// header(s), looked up case-insensitively. No next entry = last page;
// rel="previous"/"prev" entries are ignored.
func nextPageInfo(h http.Header) (string, error) {
	var values []string
	for k, vs := range h {
		if strings.EqualFold(k, "link") {
			values = append(values, vs...)
		}
	}
	for _, m := range linkPart.FindAllStringSubmatch(strings.Join(values, ","), -1) {
		if !strings.EqualFold(m[2], "next") {
			continue
		}
		u, err := url.Parse(m[1])
		if err != nil {
			return "", &adapt.FieldError{Field: "link", Err: err}
		}
		if pi := u.Query().Get("page_info"); pi != "" {
			return pi, nil
		}
		return "", &adapt.FieldError{Field: "link", Err: errors.New(`rel="next" without page_info`)}
	}
	return "", nil
}

// Get fetches one order by its name. SHOPLINE has no GET orders/:id.json,
// so it lists orders.json?name=...&status=any once per fulfillment pass
// (the list defaults to unshipped) until the order is found.
func (s *Shop) Get(ctx context.Context, number string) (*backend.Order, error) {
	return s.get(ctx, number, 0)
}

// get tries pass `prefer` first, then the others in order.
func (s *Shop) get(ctx context.Context, number string, prefer int) (*backend.Order, error) {
	op := "get " + number
	if strings.TrimSpace(number) == "" {
		return nil, backend.Refused(s.cfg.Name, "get", "no order number given")
	}
	order := []int{prefer}
	for i := range passes {
		if i != prefer {
			order = append(order, i)
		}
	}
	for _, p := range order {
		q := url.Values{"name": {number}, "status": {"any"}, "fulfillment_status": {passes[p]}}
		resp, err := s.do(ctx, op, http.MethodGet, "/orders.json", q, nil, false)
		if err != nil {
			return nil, listError(err, s.cfg.APIVersion)
		}
		orders, err := decodeList(resp.Body, s.cfg.Name, s.cfg.Loc(), s.now())
		if err != nil {
			return nil, s.badBody(op, false, err)
		}
		for _, o := range orders {
			if o.Number == number {
				return o, nil
			}
		}
	}
	return nil, &backend.Error{Kind: backend.ErrNotFound, Shop: s.cfg.Name, Op: op,
		Reason: fmt.Sprintf("no order named %q in any fulfillment status", number)}
}

// passOf is the pass an order in a fulfilment state is listed under
// (unfulfilled and anything unknown: the first).
var passOf = map[backend.FulfillmentState]int{backend.FulPartial: 1, backend.FulFulfilled: 2}
