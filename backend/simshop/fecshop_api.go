package simshop

import (
	"encoding/json"
	"fmt"
	"math"
	"net/http"
	"slices"
	"strconv"
	"strings"
	"time"

	"orderdesk/backend"
	"orderdesk/backend/internal/adapt"
)

type fecshopHandler func(w http.ResponseWriter, r *http.Request)

// verb answers 405 to other methods (Yii's VerbFilter runs before auth).
func (f *fecshopSim) verb(method string, h fecshopHandler) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		if r.Method != method {
			w.Header().Set("Allow", method)
			f.fail(w, http.StatusMethodNotAllowed)
			return
		}
		h(w, r)
	}
}

// authed checks the access-token header and runs h under Server.mu. A bad
// token ends the request before the rate limiter, so no limit headers.
func (f *fecshopSim) authed(h fecshopHandler) fecshopHandler {
	return func(w http.ResponseWriter, r *http.Request) {
		s := f.srv
		s.mu.Lock()
		defer s.mu.Unlock()
		if tok := r.Header.Get("access-token"); f.token == "" || tok != f.token {
			writeJSON(w, http.StatusOK, map[string]any{"code": 1100003, "message": "token is time out"})
			return
		}
		if s.limiter != nil {
			b, left := s.limiter.Burst(), s.limiter.Tokens()
			w.Header().Set("X-Rate-Limit-Limit", strconv.Itoa(b))
			w.Header().Set("X-Rate-Limit-Remaining", strconv.Itoa(int(max(0, left))))
			w.Header().Set("X-Rate-Limit-Reset", strconv.Itoa(int(math.Ceil((float64(b)-left)/float64(s.limiter.Limit())))))
		}
		h(w, r)
	}
}

// fecshopParams reads a POST body, JSON or form-encoded, as text values.
func fecshopParams(r *http.Request) func(string) string {
	if strings.HasPrefix(r.Header.Get("Content-Type"), "application/json") {
		var m map[string]any
		_ = json.NewDecoder(r.Body).Decode(&m)
		return func(k string) string {
			switch v := m[k].(type) {
			case string:
				return v
			case float64:
				return strconv.FormatFloat(v, 'f', -1, 64)
			}
			return ""
		}
	}
	_ = r.ParseForm()
	return r.PostForm.Get
}

// login: a request carrying the current valid token gets that same token
// back without any credential check (UserLogin::loginAndGetAccessToken);
// otherwise the credentials are checked and a new token replaces the old.
func (f *fecshopSim) login(w http.ResponseWriter, r *http.Request) {
	s := f.srv
	param := fecshopParams(r)
	s.mu.Lock()
	defer s.mu.Unlock()
	tok := r.Header.Get("access-token")
	if tok == "" || tok != f.token {
		if param("username") != s.Opt.Username || param("password") != s.Opt.Password {
			writeJSON(w, http.StatusOK, fecshopLogin{Status: "error", Code: 401})
			return
		}
		f.logins++
		tok = fecshopNewToken(fecshopRng(s.Opt.Seed, f.logins))
		f.token = tok
		s.lockedIssue(tok)
	}
	w.Header().Set("access-token", tok)
	writeJSON(w, http.StatusOK, fecshopLogin{Token: tok, Status: "success", Code: 200})
}

type fecshopLogin struct {
	Token  string `json:"access-token"`
	Status string `json:"status"`
	Code   int    `json:"code"`
}

func fecshopRng(seed int64, n int) func(int) int {
	r := rng(seed, backend.Fecshop, 1<<20+n, 99)
	return r.IntN
}

// fecshopNewToken is Yii's generateRandomString(): 32 of [A-Za-z0-9_-].
func fecshopNewToken(intn func(int) int) string {
	const alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789_-"
	b := make([]byte, 32)
	for i := range b {
		b[i] = alphabet[intn(len(alphabet))]
	}
	return string(b)
}

type fecshopAnswer struct {
	Code    int    `json:"code"`
	Message string `json:"message"`
	Data    any    `json:"data"`
}

func fecshopFail(w http.ResponseWriter, msg string, data any) {
	if data == nil {
		data = []any{}
	}
	writeJSON(w, http.StatusOK, fecshopAnswer{Code: 400, Message: msg, Data: data})
}

// list: page (default 1), begin_date/end_date through strtotime in the
// shop's zone (an unparseable date drops the filter silently, as PHP's
// strtotime returning false does), is_payed=1, created_at ascending.
func (f *fecshopSim) list(w http.ResponseWriter, r *http.Request) {
	s, q := f.srv, r.URL.Query()
	page, cur := 1, "1"
	if p := q.Get("page"); p != "" && p != "0" {
		n, err := strconv.Atoi(p)
		page, cur = n, p
		if err != nil {
			page = -1 // PHP compares the text and finds it past the last page
		}
	}
	begin, _ := adapt.ParseNaive(q.Get("begin_date"), s.Opt.Timezone)
	end, _ := adapt.ParseNaive(q.Get("end_date"), s.Opt.Timezone)
	paid := []string{"payment_confirmed", "holded", "processing", "dispatched", "received", "completed"}
	payed := q.Get("is_payed") == "1"
	key := fmt.Sprintf("fecshop list %v %v %v", unixOrNil(begin), unixOrNil(end), payed)
	hits := s.lockedSelect(key, func() []int {
		var hits []int
		lo, hi := s.creationRange(begin, end, false)
		for i := lo; i < hi; i++ {
			o := s.orders[i]
			c := o.CreatedAt
			if begin != nil && (c == nil || c.Before(*begin)) || end != nil && (c == nil || !c.Before(*end)) ||
				payed && !slices.Contains(paid, o.RawStatus["order_status"]) {
				continue
			}
			hits = append(hits, i)
		}
		return hits
	})
	pages := (len(hits) + 4) / 5
	h := w.Header()
	h.Set("X-Pagination-Total-Count", strconv.Itoa(len(hits)))
	h.Set("X-Pagination-Page-Count", strconv.Itoa(pages))
	h.Set("X-Pagination-Current-Page", cur)
	h.Set("X-Pagination-Per-Page", "5")
	if page < 1 || page > pages {
		fecshopFail(w, "fetch order fail , exceeded the maximum number of pages", nil)
		return
	}
	var rows [][]byte
	for _, i := range hits[(page-1)*5 : min(len(hits), page*5)] {
		row, err := s.lockedWire(i, int(fecshopWireList), func() ([]byte, error) {
			return json.Marshal(f.render(s.orders[i], i, fecshopWireList))
		})
		if err != nil {
			f.fail(w, http.StatusInternalServerError)
			return
		}
		rows = append(rows, row)
	}
	writeRows(w, http.StatusOK, `{"code":200,"message":"fetch order success","data":[`, rows, `]}`)
}

// fetchone reads increment_id from the query string only; a body is ignored.
func (f *fecshopSim) fetchone(w http.ResponseWriter, r *http.Request) {
	s := f.srv
	id := r.URL.Query().Get("increment_id")
	if id == "" {
		fecshopFail(w, "request param [increment_id] can not empty", nil)
		return
	}
	i, ok := s.index[id]
	if !ok {
		fecshopFail(w, "can not find order by id or url_key", nil)
		return
	}
	writeJSON(w, http.StatusOK, fecshopAnswer{Code: 200, Message: "fetch order success", Data: f.render(s.orders[i], i, fecshopWireOne)})
}

// update is updateorderstatus: no transition check; tracking fields are
// written only when non-empty; dispatched_at is not touched.
func (f *fecshopSim) update(w http.ResponseWriter, r *http.Request) {
	s, param := f.srv, fecshopParams(r)
	id, st := param("increment_id"), param("order_status")
	num, company := param("tracking_number"), param("tracking_company")
	var errs []string
	if id == "" {
		errs = append(errs, "[increment_id] can not empty")
	}
	if st == "" {
		errs = append(errs, "[order_status] can not empty")
	} else if !slices.Contains(fecshopAccepted, st) {
		errs = append(errs, "[order_status] value must be in array ["+strings.Join(fecshopAccepted, ",")+"]")
	}
	if len(errs) > 0 {
		fecshopFail(w, "data param format error", map[string]any{"error": errs})
		return
	}
	i, ok := s.index[id]
	if !ok {
		fecshopFail(w, "can not find order by increment_id:"+id, nil)
		return
	}
	o, x := s.orders[i], &f.extra[i]
	fecshopSetStatus(o, st)
	if num != "" && len(o.Shipments) == 0 {
		o.Shipments = []backend.Shipment{{Carrier: x.company}}
		x.company = ""
	}
	if len(o.Shipments) > 0 {
		if num != "" {
			o.Shipments[0].TrackingNumber = num
		}
		if company != "" {
			o.Shipments[0].Carrier, x.companyNull = company, false
		}
	} else if company != "" {
		x.company = company
	}
	o.UpdatedAt = backend.UTC(time.Now())
	s.lockedApplied(o, false)
	data := map[string]json.RawMessage{"updateData": f.render(o, i, fecshopWireUpdate)}
	writeJSON(w, http.StatusOK, fecshopAnswer{Code: 200, Message: "update order status success", Data: data})
}
