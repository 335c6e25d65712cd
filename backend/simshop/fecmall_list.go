package simshop

import (
	"encoding/json"
	"fmt"
	"net/http"
	"slices"
	"strconv"
	"time"

	"orderdesk/backend/internal/adapt"
)

type fecmallErr struct {
	Code    int    `json:"code"`
	Message string `json:"message"`
	Data    any    `json:"data"`
}

type fecmallOK struct {
	Code    int    `json:"code"`
	Data    any    `json:"data"`
	Message string `json:"message"`
}

// fecmallAuthed answers the HTTP-200 auth error unless the token is right.
func fecmallAuthed(s *Server, w http.ResponseWriter, r *http.Request) bool {
	if r.Header.Get("open-access-token") == s.Opt.Token {
		return true
	}
	writeJSON(w, http.StatusOK, fecmallErr{Code: 401, Message: "invalid open-access-token"})
	return false
}

func (f *fecmallSim) info(s *Server, w http.ResponseWriter, r *http.Request) {
	if !fecmallAuthed(s, w, r) {
		return
	}
	number := r.URL.Query().Get("order_number")
	if number == "" {
		writeJSON(w, http.StatusOK, fecmallErr{Code: 400, Message: "order_number is required"})
		return
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	o := s.lockedOrder(number)
	if o == nil {
		writeJSON(w, http.StatusOK, fecmallErr{Code: 404, Message: "order not found"})
		return
	}
	row := f.wire(s, o, true)
	txn := *row.PayTxnID
	row.PayTxnID = nil
	writeJSON(w, http.StatusOK, fecmallOK{Code: 200, Message: "success", Data: map[string]any{"order_info": row, "pay_txn_id": txn}})
}

func (f *fecmallSim) list(s *Server, w http.ResponseWriter, r *http.Request, paid bool) {
	if !fecmallAuthed(s, w, r) {
		return
	}
	q := r.URL.Query()
	page, size, err := fecmallPaging(q)
	var from, to *time.Time
	if err == nil {
		from, err = fecmallWindow(q, "created_at_begin", s.Opt.Timezone)
	}
	if err == nil {
		to, err = fecmallWindow(q, "created_at_end", s.Opt.Timezone)
	}
	if err != nil {
		writeJSON(w, http.StatusOK, fecmallErr{Code: 400, Message: err.Error()})
		return
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	key := fmt.Sprintf("fecmall list %v %v %v", paid, unixOrNil(from), unixOrNil(to))
	match := s.lockedSelect(key, func() []int {
		var match []int
		lo, hi := s.creationRange(from, to, true)
		for i := lo; i < hi; i++ {
			o := s.orders[i]
			p, _ := strconv.Atoi(o.RawStatus["payment_status"])
			if (p >= 3) == paid && (from == nil || !o.CreatedAt.Before(*from)) && (to == nil || !o.CreatedAt.After(*to)) {
				match = append(match, i)
			}
		}
		slices.SortStableFunc(match, func(a, b int) int { return s.orders[b].CreatedAt.Compare(*s.orders[a].CreatedAt) })
		return match
	})
	full := !f.bareRows
	form := 0
	if !full {
		form = 1
	}
	var rows [][]byte
	for k := (page - 1) * size; k < len(match) && k < page*size; k++ {
		i := match[k]
		row, err := s.lockedWire(i, form, func() ([]byte, error) { return json.Marshal(f.wire(s, s.orders[i], full)) })
		if err != nil {
			f.fail(w, http.StatusInternalServerError)
			return
		}
		rows = append(rows, row)
	}
	pages := (len(match) + size - 1) / size
	head, err := json.Marshal(map[string]any{"pageSize": strconv.Itoa(size), "total": strconv.Itoa(len(match)), "totalPage": strconv.Itoa(pages)})
	if err != nil {
		f.fail(w, http.StatusInternalServerError)
		return
	}
	// The data object's keys sort as list, pageSize, total, totalPage.
	writeRows(w, http.StatusOK, `{"code":200,"data":{"list":[`, rows, `],`+string(head[1:])+`,"message":"success"}`)
}

// fecmallPaging reads pageNum (default 1) and pageSize (default 20, at most 100).
func fecmallPaging(q map[string][]string) (page, size int, err error) {
	page, size = 1, 20
	for _, p := range []struct {
		name string
		v    *int
	}{{"pageNum", &page}, {"pageSize", &size}} {
		if vs := q[p.name]; len(vs) > 0 && vs[0] != "" {
			n, err := strconv.Atoi(vs[0])
			if err != nil || n < 1 {
				return 0, 0, fmt.Errorf("%s must be a positive integer", p.name)
			}
			*p.v = n
		}
	}
	return page, min(size, 100), nil
}

func fecmallWindow(q map[string][]string, name string, loc *time.Location) (*time.Time, error) {
	vs := q[name]
	if len(vs) == 0 || vs[0] == "" {
		return nil, nil
	}
	t, err := time.ParseInLocation(adapt.NaiveLayout, vs[0], loc)
	if err != nil {
		return nil, fmt.Errorf("%s must be YYYY-MM-DD HH:MM:SS", name)
	}
	return &t, nil
}
