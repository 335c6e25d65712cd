package simshop

import (
	"bytes"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"net/url"
	"slices"
	"strings"
	"time"
)

// FaultKind is what an injected fault does to a matching request.
type FaultKind int

const (
	// FaultStatus answers with Fault.Status (e.g. 500, 503) in the
	// platform's error format, without processing the request.
	FaultStatus FaultKind = iota + 1
	// FaultTooMany answers with the platform's rate-limit response and
	// Retry-After: Fault.RetryAfter (omitted when 0).
	FaultTooMany
	// FaultMalformed answers 200 with a body that is not JSON.
	FaultMalformed
	// FaultTruncated processes the request and sends the first half of the
	// real body, with a Content-Length that matches what is sent.
	FaultTruncated
	// FaultDropAfterApply processes the request (a write is applied) and
	// then closes the connection without answering.
	FaultDropAfterApply
	// FaultHang takes the request and never answers (nothing is applied):
	// it holds the connection until the client gives up or the server
	// closes.
	FaultHang
)

// Match selects the requests a fault applies to.
type Match int

const (
	Any Match = iota
	Reads
	Writes
)

// Fault is one injected fault, applied to the next Times matching requests.
type Fault struct {
	Kind       FaultKind
	On         Match
	Path       string // only requests whose path contains this (optional)
	Times      int    // default 1
	Status     int
	RetryAfter time.Duration
}

// Inject queues a fault.
func (s *Server) Inject(f Fault) {
	if f.Times == 0 {
		f.Times = 1
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	s.faults = append(s.faults, f)
}

// ClearFaults drops every queued fault.
func (s *Server) ClearFaults() {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.faults = nil
}

func (s *Server) handle(w http.ResponseWriter, r *http.Request) {
	body, _ := io.ReadAll(io.LimitReader(r.Body, 8<<20))
	r.Body = io.NopCloser(bytes.NewReader(body))
	rec := Recorded{Time: time.Now(), Method: r.Method, Path: r.URL.Path, Query: r.URL.Query(), Header: r.Header.Clone(), Body: body, Write: s.plat.isWrite(r)}
	if strings.HasPrefix(r.Header.Get("Content-Type"), "application/x-www-form-urlencoded") {
		rec.Form, _ = url.ParseQuery(string(body))
	}

	s.mu.Lock()
	latency := s.latency
	limited := s.limiter != nil && !s.limiter.Allow()
	fault, hasFault := s.takeFault(rec)
	s.mu.Unlock()
	if hasFault && fault.Kind == FaultHang {
		rec.Fault = fault.kindName()
		s.log(rec)
		select {
		case <-r.Context().Done():
		case <-s.closing:
		}
		return
	}
	if latency > 0 {
		time.Sleep(latency)
	}

	out := httptest.NewRecorder()
	switch {
	case limited:
		rec.Fault = "rate limit"
		s.plat.tooMany(out, time.Second)
	case hasFault && fault.Kind == FaultStatus:
		s.plat.fail(out, fault.Status)
	case hasFault && fault.Kind == FaultTooMany:
		s.plat.tooMany(out, fault.RetryAfter)
	case hasFault && fault.Kind == FaultMalformed:
		out.Header().Set("Content-Type", "application/json")
		out.WriteHeader(http.StatusOK)
		_, _ = out.WriteString("<html><body>502 Bad Gateway</body></html>{")
	default:
		s.mux.ServeHTTP(out, r)
	}
	if hasFault {
		rec.Fault = fault.kindName()
	}
	if err := s.saveWrite(rec); err != nil {
		// Applied here but not on disk: answer as a shop whose database
		// failed. The change is saved again with the next write.
		out = httptest.NewRecorder()
		s.plat.fail(out, http.StatusServiceUnavailable)
		rec.Fault = err.Error()
	}

	res := out.Result()
	resBody := out.Body.Bytes()
	if hasFault && fault.Kind == FaultDropAfterApply {
		s.log(rec)
		if hj, ok := w.(http.Hijacker); ok {
			if conn, _, err := hj.Hijack(); err == nil {
				_ = conn.Close()
			}
		}
		return
	}
	if hasFault && fault.Kind == FaultTruncated {
		resBody = resBody[:len(resBody)/2]
	}
	for k, vs := range res.Header {
		w.Header()[k] = vs
	}
	// Record before answering: a client that has the answer always finds
	// its request in the record.
	rec.Status = res.StatusCode
	s.log(rec)
	w.Header().Set("Content-Length", fmt.Sprint(len(resBody)))
	w.WriteHeader(res.StatusCode)
	_, _ = w.Write(resBody)
}

// saveWrite saves a kept shop after a write, before it is answered; reads
// change nothing kept.
func (s *Server) saveWrite(rec Recorded) error {
	if !rec.Write {
		return nil
	}
	return s.Save()
}

func (s *Server) log(rec Recorded) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.record = append(s.record, rec)
}

// takeFault pops the first queued fault matching rec; the caller holds s.mu.
func (s *Server) takeFault(rec Recorded) (Fault, bool) {
	for i, f := range s.faults {
		if f.On == Reads && rec.Write || f.On == Writes && !rec.Write {
			continue
		}
		if f.Path != "" && !strings.Contains(rec.Path, f.Path) {
			continue
		}
		s.faults[i].Times--
		if s.faults[i].Times <= 0 {
			s.faults = slices.Delete(s.faults, i, i+1)
		}
		return f, true
	}
	return Fault{}, false
}

func (f Fault) kindName() string {
	return [...]string{"", "status", "too many", "malformed", "truncated", "drop after apply", "hang"}[f.Kind]
}
