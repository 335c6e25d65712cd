package fecshop

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"time"

	"orderdesk/backend"
	"orderdesk/backend/internal/adapt"
	"orderdesk/backend/transport"
)

// perPage is fixed by the server (OrderController::$numPerPage).
const perPage = 5

// List returns one page of 5 orders, oldest first. The cursor is the page
// number. CreatedFrom/CreatedTo become begin_date/end_date in the shop's
// zone (created_at >= begin, < end); UpdatedSince is not supported.
func (s *Shop) List(ctx context.Context, q backend.ListQuery) (backend.Page, error) {
	page := 1
	if q.Cursor != "" {
		n, err := strconv.Atoi(q.Cursor)
		if err != nil || n < 1 {
			return backend.Page{}, backend.Refused(s.name, "list", fmt.Sprintf("list cursor %q is not a page number", q.Cursor))
		}
		page = n
	}
	op := fmt.Sprintf("list page %d", page)
	query := url.Values{"page": {strconv.Itoa(page)}}
	if !q.CreatedFrom.IsZero() {
		query.Set("begin_date", q.CreatedFrom.In(s.loc()).Format(adapt.NaiveLayout))
	}
	if !q.CreatedTo.IsZero() {
		// The bound is exclusive and the shop reads whole seconds: round a
		// fractional end up so nothing before it is cut off.
		end := q.CreatedTo
		if t := end.Truncate(time.Second); !t.Equal(end) {
			end = t.Add(time.Second)
		}
		query.Set("end_date", end.In(s.loc()).Format(adapt.NaiveLayout))
	}
	resp, err := s.send(ctx, transport.Request{Op: op, Method: http.MethodGet, Path: "/v1/order/list", Query: query})
	if end := (*pageEnd)(nil); errors.As(err, &end) {
		// Past the last page, and also how an empty result answers page 1.
		if end.pages >= page {
			return backend.Page{}, s.bad(op, adapt.At("code", fmt.Errorf("the shop says page %d is past the last but reports %d pages", page, end.pages)))
		}
		return backend.Page{Total: end.total}, nil
	}
	if err != nil {
		return backend.Page{}, err
	}
	total, pages := pagination(resp)
	d := s.decoder()
	orders, err := d.list(resp.Body)
	if err != nil {
		return backend.Page{}, s.bad(op, err)
	}
	s.learn(d)
	p := backend.Page{Orders: orders, Total: total}
	switch {
	case pages >= 0 && page < pages:
		p.Next = strconv.Itoa(page + 1)
	case pages < 0 && len(orders) == perPage:
		// No page count: ask for the next page; the shop ends the walk
		// with "exceeded the maximum number of pages".
		p.Next = strconv.Itoa(page + 1)
	}
	return p, nil
}

// pagination reads X-Pagination-Total-Count and -Page-Count; -1 when absent.
func pagination(resp *transport.Response) (total, pages int) {
	total, pages = -1, -1
	if resp == nil {
		return
	}
	if n, err := strconv.Atoi(strings.TrimSpace(resp.Header.Get("X-Pagination-Total-Count"))); err == nil && n >= 0 {
		total = n
	}
	if n, err := strconv.Atoi(strings.TrimSpace(resp.Header.Get("X-Pagination-Page-Count"))); err == nil && n >= 0 {
		pages = n
	}
	return
}

// Get fetches one order with fetchone; increment_id goes in the query
// string (the server reads it there only).
func (s *Shop) Get(ctx context.Context, number string) (*backend.Order, error) {
	number = strings.TrimSpace(number)
	op := "get " + number
	if number == "" {
		return nil, &backend.Error{Kind: backend.ErrNotFound, Shop: s.name, Op: "get", Reason: "no order number given"}
	}
	resp, err := s.send(ctx, transport.Request{Op: op, Method: http.MethodGet, Path: "/v1/order/fetchone", Query: url.Values{"increment_id": {number}}})
	if err != nil {
		return nil, err
	}
	d := s.decoder()
	o, err := d.one(resp.Body)
	if err != nil {
		return nil, s.bad(op, err)
	}
	if o.Number != number {
		return nil, s.bad(op, adapt.At("data.increment_id", fmt.Errorf("asked for %s, the shop answered %s", number, o.Number)))
	}
	return o, nil
}

func (s *Shop) decoder() *decoder {
	s.imgMu.Lock()
	defer s.imgMu.Unlock()
	return &decoder{shop: s.name, syncedAt: backend.UTC(time.Now()), imageBase: s.imageBase}
}

func (s *Shop) learn(d *decoder) {
	if d.learned == "" {
		return
	}
	s.imgMu.Lock()
	defer s.imgMu.Unlock()
	s.imageBase = d.learned
}

// bad is the ErrBadResponse for an answer to op that err says could not
// be read.
func (s *Shop) bad(op string, err error) *backend.Error {
	return adapt.BadResponse(s.name, op, s.red, err)
}

// answer is the envelope of a successful answer.
type answer struct {
	Code *adapt.FlexInt  `json:"code"`
	Data json.RawMessage `json:"data"`
}

func readAnswer(body []byte) (json.RawMessage, error) {
	var a answer
	if err := json.Unmarshal(body, &a); err != nil {
		return nil, adapt.At("", err)
	}
	if a.Code == nil || !a.Code.Set {
		return nil, &adapt.FieldError{Field: "code", Err: adapt.ErrMissing}
	}
	if a.Code.V != codeOK {
		return nil, &adapt.FieldError{Field: "code", Err: fmt.Errorf("code %d", a.Code.V)}
	}
	return bytes.TrimSpace(a.Data), nil
}

// list decodes a list answer. A page fails whole: one bad order, no orders.
func (d *decoder) list(body []byte) ([]*backend.Order, error) {
	data, err := readAnswer(body)
	if err != nil {
		return nil, err
	}
	var raws []json.RawMessage
	switch {
	case len(data) == 0 || string(data) == "null" || string(data) == "{}":
	case data[0] == '[':
		// data was validated when readAnswer decoded the body.
		var ok bool
		if raws, ok = adapt.SplitArray(data); ok {
			break
		}
		if err := json.Unmarshal(data, &raws); err != nil {
			return nil, adapt.At("data", err)
		}
	default:
		return nil, &adapt.FieldError{Field: "data", Err: errors.New("not a list of orders")}
	}
	out := make([]*backend.Order, 0, len(raws))
	for i, raw := range raws {
		o, err := d.order(raw)
		if err != nil {
			return nil, adapt.At(fmt.Sprintf("data[%d]", i), err)
		}
		out = append(out, o)
	}
	return out, nil
}

// one decodes fetchone's answer: data is the order.
func (d *decoder) one(body []byte) (*backend.Order, error) {
	data, err := readAnswer(body)
	if err != nil {
		return nil, err
	}
	if len(data) == 0 || data[0] != '{' {
		return nil, &adapt.FieldError{Field: "data", Err: errors.New("no order in the answer")}
	}
	o, err := d.order(data)
	if err != nil {
		return nil, adapt.At("data", err)
	}
	return o, nil
}

// updated decodes updateorderstatus's answer: data.updateData is the order
// row after the save, with native numbers and without products or the
// state and country names.
func (d *decoder) updated(body []byte) (*backend.Order, error) {
	data, err := readAnswer(body)
	if err != nil {
		return nil, err
	}
	var wrap struct {
		UpdateData json.RawMessage `json:"updateData"`
	}
	if len(data) == 0 || data[0] != '{' || json.Unmarshal(data, &wrap) != nil || len(bytes.TrimSpace(wrap.UpdateData)) == 0 || bytes.TrimSpace(wrap.UpdateData)[0] != '{' {
		return nil, &adapt.FieldError{Field: "data.updateData", Err: errors.New("no order in the answer")}
	}
	o, err := d.order(bytes.TrimSpace(wrap.UpdateData))
	if err != nil {
		return nil, adapt.At("data.updateData", err)
	}
	return o, nil
}
