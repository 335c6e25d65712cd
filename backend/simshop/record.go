package simshop

import (
	"encoding/json"
	"net/http"
	"net/url"
	"slices"
	"strconv"
	"time"

	"orderdesk/backend/internal/adapt"
)

// Recorded is one request as the server received it.
type Recorded struct {
	Time   time.Time
	Method string
	Path   string
	Query  url.Values
	Header http.Header
	Body   []byte
	Form   url.Values // parsed when the body is form-encoded
	Write  bool
	Status int    // what the server answered (0 when the connection was dropped)
	Fault  string // the fault applied, if any
}

// Requests returns every request received, oldest first.
func (s *Server) Requests() []Recorded {
	s.mu.Lock()
	defer s.mu.Unlock()
	return slices.Clone(s.record)
}

// Writes returns every write request received, oldest first.
func (s *Server) Writes() []Recorded {
	s.mu.Lock()
	defer s.mu.Unlock()
	var out []Recorded
	for _, r := range s.record {
		if r.Write {
			out = append(out, r)
		}
	}
	return out
}

// ResetRecord forgets the recorded requests (not the applied counts).
func (s *Server) ResetRecord() {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.record = nil
}

// Applied returns how many writes were applied to an order.
func (s *Server) Applied(number string) int {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.applied[number]
}

// Emails returns how many customer emails the platform sent for an order.
func (s *Server) Emails(number string) int {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.emails[number]
}

// Helpers shared by the wire formats. Platform files prefix their own
// package-level names with the platform (fecshopX, shoplineY) so that the
// four files never collide.

// writeJSON answers with v as JSON.
func writeJSON(w http.ResponseWriter, status int, v any) {
	w.Header().Set("Content-Type", "application/json; charset=utf-8")
	w.WriteHeader(status)
	_ = json.NewEncoder(w).Encode(v)
}

// writeRows answers with head, the rows joined by commas, and tail: the
// bytes writeJSON gives for a value whose list holds the rows, when each
// row is json.Marshal's output (kept by Server.lockedWire) and head and
// tail are that encoding's text around the list.
func writeRows(w http.ResponseWriter, status int, head string, rows [][]byte, tail string) {
	n := len(head) + len(tail) + len(rows) + 1
	for _, r := range rows {
		n += len(r)
	}
	buf := make([]byte, 0, n)
	buf = append(buf, head...)
	for k, r := range rows {
		if k > 0 {
			buf = append(buf, ',')
		}
		buf = append(buf, r...)
	}
	buf = append(buf, tail...)
	buf = append(buf, '\n')
	w.Header().Set("Content-Type", "application/json; charset=utf-8")
	w.WriteHeader(status)
	_, _ = w.Write(buf)
}

// unixStr is a time as a unix-seconds string, "0" when unset.
func unixStr(t *time.Time) string {
	if t == nil {
		return "0"
	}
	return strconv.FormatInt(t.Unix(), 10)
}

// naive is a time as shop-local "YYYY-MM-DD HH:MM:SS", "" when unset.
func naive(t *time.Time, loc *time.Location) string {
	if t == nil {
		return ""
	}
	return t.In(loc).Format(adapt.NaiveLayout)
}
