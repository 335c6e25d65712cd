package fecmall

import (
	"context"
	"encoding/json"
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

// The two lists whose union is every order, in the order List walks them.
var lists = []struct{ name, path string }{
	{"paid", apiPath + "list"},
	{"unpaid", apiPath + "get-pending-order-list"},
}

// cursor is a position in the walk: lists[list], page page (from 1).
type cursor struct{ list, page int }

func (c cursor) String() string { return lists[c.list].name + ":" + strconv.Itoa(c.page) }

func parseCursor(s string) (cursor, bool) {
	if s == "" {
		return cursor{0, 1}, true
	}
	name, page, _ := strings.Cut(s, ":")
	n, err := strconv.Atoi(page)
	for i, l := range lists {
		if l.name == name && err == nil && n >= 1 {
			return cursor{i, n}, true
		}
	}
	return cursor{}, false
}

// next is the cursor after c, given the page's row count and totalPage.
func (s *Shop) next(c cursor, rows int, totalPage adapt.FlexInt) string {
	more := rows >= s.pageSize
	if totalPage.Set {
		more = rows > 0 && int64(c.page) < totalPage.V
	}
	switch {
	case more:
		return cursor{c.list, c.page + 1}.String()
	case c.list+1 < len(lists):
		return cursor{c.list + 1, 1}.String()
	}
	return ""
}

// List returns one page of the paid list, then of the unpaid list (see the
// package doc). Only CreatedFrom/CreatedTo are honoured.
func (s *Shop) List(ctx context.Context, q backend.ListQuery) (backend.Page, error) {
	c, ok := parseCursor(q.Cursor)
	if !ok {
		return backend.Page{}, backend.Refused(s.cfg.Name, "list", fmt.Sprintf("cursor %q is not a Fecmall list position", q.Cursor))
	}
	op := fmt.Sprintf("list %s page %d", lists[c.list].name, c.page)
	query := url.Values{"pageNum": {strconv.Itoa(c.page)}, "pageSize": {strconv.Itoa(s.pageSize)}}
	if !q.CreatedFrom.IsZero() {
		from := q.CreatedFrom.Truncate(time.Second)
		if from.Before(q.CreatedFrom) {
			from = from.Add(time.Second)
		}
		query.Set("created_at_begin", s.shopTime(from))
	}
	if !q.CreatedTo.IsZero() {
		// The last whole second before the exclusive bound.
		query.Set("created_at_end", s.shopTime(q.CreatedTo.Add(-time.Nanosecond).Truncate(time.Second)))
	}
	resp, err := s.get(ctx, op, lists[c.list].path, query)
	if err != nil {
		return backend.Page{}, err
	}
	p, err := s.dec.decodeList(op, resp.Body)
	if err != nil {
		return backend.Page{}, err
	}
	for i, bare := range p.bare {
		if !bare {
			continue
		}
		o, err := s.Get(ctx, p.orders[i].Number)
		if err != nil {
			return backend.Page{}, err
		}
		p.orders[i] = o
	}
	return backend.Page{Orders: p.orders, Next: s.next(c, len(p.orders), p.totalPage), Total: -1}, nil
}

// shopTime formats t as the shop-local "YYYY-MM-DD HH:MM:SS" the filters take.
func (s *Shop) shopTime(t time.Time) string { return t.In(s.cfg.Loc()).Format(adapt.NaiveLayout) }

// Get reads one order with order/info.
func (s *Shop) Get(ctx context.Context, number string) (*backend.Order, error) {
	op := "get " + number
	resp, err := s.get(ctx, op, apiPath+"info", url.Values{"order_number": {number}})
	if err != nil {
		return nil, err
	}
	o, err := s.dec.decodeDetail(op, resp.Body)
	if err != nil {
		return nil, err
	}
	if o.Number != number {
		return nil, s.dec.bad(op, "data.order_info.order_number", fmt.Errorf("asked for %q, got %q", number, o.Number))
	}
	return o, nil
}

func (s *Shop) get(ctx context.Context, op, path string, q url.Values) (*transport.Response, error) {
	return s.http.Do(ctx, transport.Request{
		Op: op, Method: http.MethodGet, Path: path, Query: q,
		Header: http.Header{tokenHeader: {s.cfg.Token.Reveal()}},
	})
}

// envelopeHook reports the errors Fecmall sends in HTTP-200 bodies. A body
// that is not an envelope is left to the decoder, which names the field.
func envelopeHook(r *transport.Response) error {
	var e envelope
	if json.Unmarshal(r.Body, &e) != nil || !e.Code.Set {
		return nil
	}
	if ce := e.codeError(); ce != nil {
		return ce
	}
	return nil
}

// reasonHook is the message of a non-2xx Fecmall body.
func reasonHook(body []byte) string {
	var e envelope
	if json.Unmarshal(body, &e) != nil || len(e.Message) == 0 {
		return ""
	}
	return messageText(e.Message)
}
