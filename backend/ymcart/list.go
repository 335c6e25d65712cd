package ymcart

import (
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"net/url"
	"slices"
	"strconv"
	"strings"
	"time"

	"orderdesk/backend"
	"orderdesk/backend/internal/adapt"
	"orderdesk/backend/transport"
)

// pageSize is orderList's documented default, sent explicitly.
const pageSize = 50

// syncPhase is one pass of an incremental listing: orders created, paid or
// acted upon since the day before UpdatedSince. act_time alone is not
// enough: it is "0" on orders nobody has touched since they were placed
// (the seed's new order), and a payment need not set it.
type syncPhase struct{ name, timeType string }

var syncPhases = []syncPhase{{"created", ""}, {"paid", "1"}, {"changed", "2"}}

// List returns one page. Without UpdatedSince the cursor is the page
// number; with it, the listing runs the three syncPhases one after the
// other (cursor "<phase>:<page>", Total -1) and an order can appear in
// more than one phase: callers de-duplicate by id.
func (s *Shop) List(ctx context.Context, q backend.ListQuery) (backend.Page, error) {
	ph, page, err := parseCursor(q)
	if err != nil {
		return backend.Page{}, &backend.Error{Kind: backend.ErrRefused, Shop: s.name, Op: "list", Reason: err.Error()}
	}
	op := fmt.Sprintf("list page %d", page)
	if ph >= 0 {
		op = fmt.Sprintf("list %s page %d", syncPhases[ph].name, page)
	}
	f := s.listForm(q, ph, page)
	orders, count, err := s.fetchOrders(ctx, op, f)
	if err != nil {
		return backend.Page{}, err
	}
	out := backend.Page{Orders: orders, Total: count}
	more := page*pageSize < count && len(orders) > 0
	switch {
	case ph < 0 && more:
		out.Next = strconv.Itoa(page + 1)
	case ph >= 0 && more:
		out.Next = syncPhases[ph].name + ":" + strconv.Itoa(page+1)
	case ph >= 0 && ph+1 < len(syncPhases):
		out.Next = syncPhases[ph+1].name + ":1"
	}
	if ph >= 0 {
		out.Total = -1
	}
	return out, nil
}

// parseCursor returns the phase (-1 for a plain listing) and page.
func parseCursor(q backend.ListQuery) (int, int, error) {
	ph := -1
	if !q.UpdatedSince.IsZero() {
		ph = 0
	}
	c := q.Cursor
	if c == "" {
		return ph, 1, nil
	}
	if name, p, ok := strings.Cut(c, ":"); ok {
		ph = -1
		for i, sp := range syncPhases {
			if sp.name == name {
				ph = i
			}
		}
		if ph < 0 || q.UpdatedSince.IsZero() {
			return 0, 0, fmt.Errorf("cursor %q does not belong to this listing", c)
		}
		c = p
	} else if ph >= 0 {
		return 0, 0, fmt.Errorf("cursor %q does not belong to an incremental listing", c)
	}
	page, err := strconv.Atoi(c)
	if err != nil || page < 1 {
		return 0, 0, fmt.Errorf("cursor %q is not a page number", q.Cursor)
	}
	return ph, page, nil
}

// listForm builds orderList's fields. Dates are whole days in the shop's
// zone: an incremental listing starts the day before UpdatedSince (one day
// of overlap); a created window covers every day from CreatedFrom's to the
// day of the last second before CreatedTo. Both give a superset of the
// exact window. With UpdatedSince, the created window is not applied.
func (s *Shop) listForm(q backend.ListQuery, ph, page int) url.Values {
	f := s.form()
	f.Set("page_no", strconv.Itoa(page))
	f.Set("page_size", strconv.Itoa(pageSize))
	f.Set("order_by", "0")
	if ph >= 0 {
		if tt := syncPhases[ph].timeType; tt != "" {
			f.Set("time_type", tt)
		}
		f.Set("start_time", adapt.FormatShopDate(q.UpdatedSince.Add(-24*time.Hour), s.loc))
		return f
	}
	if !q.CreatedFrom.IsZero() {
		f.Set("start_time", adapt.FormatShopDate(q.CreatedFrom, s.loc))
	}
	if !q.CreatedTo.IsZero() {
		f.Set("end_time", adapt.FormatShopDate(q.CreatedTo.Add(-time.Second), s.loc))
	}
	return f
}

// Get fetches one order: orderList with itemno=<number>.
func (s *Shop) Get(ctx context.Context, number string) (*backend.Order, error) {
	op := "get " + number
	number = strings.TrimSpace(number)
	if number == "" || strings.Contains(number, ",") {
		return nil, &backend.Error{Kind: backend.ErrNotFound, Shop: s.name, Op: op, Reason: fmt.Sprintf("%q is not a YMCart order number", number)}
	}
	f := s.form()
	f.Set("itemno", number)
	f.Set("page_no", "1")
	f.Set("page_size", strconv.Itoa(pageSize))
	orders, _, err := s.fetchOrders(ctx, op, f)
	if err != nil {
		return nil, err
	}
	for _, o := range orders {
		if o.Number == number {
			return o, nil
		}
	}
	return nil, &backend.Error{Kind: backend.ErrNotFound, Shop: s.name, Op: op, Reason: "orderList returned no order " + number}
}

// readLimit is how many numbers one GetMany call asks for: the write batch
// size, so a chunk of writes is read before and after in one call each.
const readLimit = batchLimit

// ReadLimit is the most numbers one orderList call of GetMany carries.
func (s *Shop) ReadLimit() int { return readLimit }

// GetMany fetches orders by number: orderList with itemno=<n1,n2,...>, the
// documented detail call, which takes a comma-separated list. Numbers go
// in calls of at most ReadLimit, each with page_size 50 (the documented
// default, more than a call asks for), following further pages while count
// says there are more, in case a shop caps the page lower or matches
// itemno loosely. Rows for numbers not asked for are dropped; a number
// asked twice is sent once; a number that is empty or holds a comma cannot
// be asked for. Numbers the shop does not return are absent from the map
// (Get's ErrNotFound). Any failed call fails the whole GetMany.
func (s *Shop) GetMany(ctx context.Context, numbers []string) (map[string]*backend.Order, error) {
	want := map[string]bool{}
	var ask []string
	for _, n := range numbers {
		n = strings.TrimSpace(n)
		if n == "" || strings.Contains(n, ",") || want[n] {
			continue
		}
		want[n] = true
		ask = append(ask, n)
	}
	out := make(map[string]*backend.Order, len(ask))
	for start := 0; start < len(ask); start += readLimit {
		chunk := ask[start:min(start+readLimit, len(ask))]
		if err := s.getChunk(ctx, chunk, want, out); err != nil {
			return nil, err
		}
	}
	return out, nil
}

// getChunk reads one itemno list into out. It stops when every number is
// found, or the shop has sent as many rows as count says, or a page is
// empty: each page read adds rows, so it ends.
func (s *Shop) getChunk(ctx context.Context, chunk []string, want map[string]bool, out map[string]*backend.Order) error {
	rows := 0
	for page := 1; ; page++ {
		op := fmt.Sprintf("get %d orders", len(chunk))
		if page > 1 {
			op += fmt.Sprintf(" page %d", page)
		}
		f := s.form()
		f.Set("itemno", strings.Join(chunk, ","))
		f.Set("page_no", strconv.Itoa(page))
		f.Set("page_size", strconv.Itoa(pageSize))
		orders, count, err := s.fetchOrders(ctx, op, f)
		if err != nil {
			return err
		}
		for _, o := range orders {
			if _, dup := out[o.Number]; want[o.Number] && !dup {
				out[o.Number] = o
			}
		}
		rows += len(orders)
		missing := slices.ContainsFunc(chunk, func(n string) bool { return out[n] == nil })
		if !missing || len(orders) == 0 || rows >= count {
			return nil
		}
	}
}

func (s *Shop) fetchOrders(ctx context.Context, op string, f url.Values) ([]*backend.Order, int, error) {
	resp, err := s.client.Do(ctx, transport.Request{Op: op, Method: http.MethodPost, Path: endpoint("orderList"), Form: f})
	if err != nil {
		return nil, 0, err
	}
	orders, count, err := s.decodePage(resp.Body, s.now())
	if err != nil {
		return nil, 0, s.badResponse(op, err)
	}
	return orders, count, nil
}

// decodePage reads an orderList answer, whole or not at all. count only
// drives paging: a page with fewer rows than count promises is accepted
// (the documented example itself has count 400 and one row).
func (s *Shop) decodePage(body []byte, synced time.Time) ([]*backend.Order, int, error) {
	rows, count, err := decodeList(body)
	if err != nil {
		return nil, 0, err
	}
	out := make([]*backend.Order, 0, len(rows))
	for i, raw := range rows {
		o, err := s.decodeOrder(raw, synced)
		if err != nil {
			return nil, 0, adapt.At(fmt.Sprintf("data[%d]", i), err)
		}
		out = append(out, o)
	}
	return out, count, nil
}

// decodeList reads the list envelope shared by orderList and deliveryList.
func decodeList(body []byte) ([]json.RawMessage, int, error) {
	var b listBody
	if err := json.Unmarshal(body, &b); err != nil {
		return nil, 0, err
	}
	if !b.Code.Set || b.Code.V != 0 {
		return nil, 0, badField("code", "answer has code %q, not 0", strconv.FormatInt(b.Code.V, 10))
	}
	if b.Count.V < 0 {
		return nil, 0, badField("count", "negative count %d", b.Count.V)
	}
	if !b.Count.Set {
		// count missing: trust the rows alone.
		b.Count = adapt.FlexInt{V: int64(len(b.Data)), Set: true}
	}
	return b.Data, int(b.Count.V), nil
}
