package transport

import (
	"context"
	"errors"
	"net"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"orderdesk/backend"
)

// script answers each request with the next handler (the last one repeats).
func script(t *testing.T, steps ...http.HandlerFunc) (*httptest.Server, *atomic.Int32) {
	t.Helper()
	var n atomic.Int32
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		i := int(n.Add(1)) - 1
		steps[min(i, len(steps)-1)](w, r)
	}))
	t.Cleanup(srv.Close)
	return srv, &n
}

func status(code int, body string, hdr ...string) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		for i := 0; i+1 < len(hdr); i += 2 {
			w.Header().Set(hdr[i], hdr[i+1])
		}
		w.WriteHeader(code)
		_, _ = w.Write([]byte(body))
	}
}

func fast(cfg Config) Config {
	cfg.Shop = "test-shop"
	cfg.BackoffBase = 10 * time.Millisecond
	return cfg
}

func kind(err error) error {
	var e *backend.Error
	if errors.As(err, &e) {
		return e.Kind
	}
	return nil
}

func TestReadRetriesUntilSuccess(t *testing.T) {
	srv, n := script(t, status(503, "busy"), status(502, "bad gateway"), status(200, `{"ok":true}`))
	c := New(fast(Config{BaseURL: srv.URL}))
	resp, err := c.Do(context.Background(), Request{Op: "list", Method: "GET", Path: "/x"})
	if err != nil || string(resp.Body) != `{"ok":true}` || n.Load() != 3 {
		t.Fatalf("resp=%v err=%v requests=%d", resp, err, n.Load())
	}
}

func TestReadGivesUpAfterMaxRetries(t *testing.T) {
	srv, n := script(t, status(500, "boom"))
	c := New(fast(Config{BaseURL: srv.URL, MaxRetries: 2}))
	_, err := c.Do(context.Background(), Request{Op: "list", Method: "GET", Path: "/x"})
	if kind(err) != backend.ErrUnavailable || n.Load() != 3 {
		t.Fatalf("err=%v requests=%d", err, n.Load())
	}
	if !strings.Contains(err.Error(), "test-shop") || !strings.Contains(err.Error(), "HTTP 500") {
		t.Errorf("error must name the shop and status: %v", err)
	}
}

func TestWriteIsNeverRetried(t *testing.T) {
	srv, n := script(t, status(503, "busy"), status(200, "ok"))
	c := New(fast(Config{BaseURL: srv.URL}))
	_, err := c.Do(context.Background(), Request{Op: "ship", Method: "POST", Path: "/x", Write: true, JSON: map[string]string{"a": "b"}})
	if kind(err) != backend.ErrOutcomeUnknown || n.Load() != 1 {
		t.Fatalf("err=%v requests=%d", err, n.Load())
	}
}

func TestWriteNotSentIsUnavailable(t *testing.T) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	addr := ln.Addr().String()
	ln.Close() // nothing listens: connection refused
	c := New(fast(Config{BaseURL: "http://" + addr}))
	_, err = c.Do(context.Background(), Request{Op: "ship", Method: "POST", Path: "/x", Write: true, Form: map[string][]string{"a": {"b"}}})
	if kind(err) != backend.ErrUnavailable {
		t.Fatalf("err=%v, want ErrUnavailable (not sent)", err)
	}
}

func TestWriteDroppedAfterSendIsOutcomeUnknown(t *testing.T) {
	srv, n := script(t, func(w http.ResponseWriter, r *http.Request) {
		conn, _, _ := w.(http.Hijacker).Hijack()
		conn.Close()
	})
	c := New(fast(Config{BaseURL: srv.URL}))
	_, err := c.Do(context.Background(), Request{Op: "ship", Method: "POST", Path: "/x", Write: true, JSON: 1})
	if kind(err) != backend.ErrOutcomeUnknown || n.Load() != 1 {
		t.Fatalf("err=%v requests=%d", err, n.Load())
	}
}

func TestRetryAfterHonouredInFull(t *testing.T) {
	srv, n := script(t, status(429, `{"errors":"Too many request"}`, "Retry-After", "1"), status(200, "ok"))
	c := New(fast(Config{BaseURL: srv.URL}))
	start := time.Now()
	if _, err := c.Do(context.Background(), Request{Op: "list", Method: "GET", Path: "/x"}); err != nil {
		t.Fatal(err)
	}
	if took := time.Since(start); took < time.Second || n.Load() != 2 {
		t.Fatalf("took %v with %d requests; Retry-After: 1 must wait at least 1s", took, n.Load())
	}
}

func TestWaitLongerThanBudgetIsReturnedNotShortened(t *testing.T) {
	srv, n := script(t, status(429, "slow down", "Retry-After", "90"))
	c := New(fast(Config{BaseURL: srv.URL, MaxRetryWait: time.Second}))
	start := time.Now()
	_, err := c.Do(context.Background(), Request{Op: "list", Method: "GET", Path: "/x"})
	var e *backend.Error
	if !errors.As(err, &e) || e.Kind != backend.ErrRateLimited || e.RetryAfter != 90*time.Second {
		t.Fatalf("err = %v, want rate limited with RetryAfter 90s", err)
	}
	if time.Since(start) > 500*time.Millisecond || n.Load() != 1 {
		t.Errorf("must not retry early into the limit: %d requests", n.Load())
	}
}

func TestEnvelopeErrorsInHTTP200(t *testing.T) {
	srv, n := script(t, status(200, `{"code":429}`, "X-Rate-Limit-Reset", "1"), status(200, `{"code":200}`))
	env := func(r *Response) error {
		if strings.Contains(string(r.Body), "429") {
			return &backend.Error{Kind: backend.ErrRateLimited, Reason: "rate limit exceeded"}
		}
		return nil
	}
	c := New(fast(Config{BaseURL: srv.URL, Envelope: env}))
	start := time.Now()
	if _, err := c.Do(context.Background(), Request{Op: "list", Method: "GET", Path: "/x"}); err != nil {
		t.Fatal(err)
	}
	if time.Since(start) < time.Second || n.Load() != 2 {
		t.Fatalf("X-Rate-Limit-Reset: 1 in an HTTP-200 error body must be honoured")
	}
}

func TestRateLimiterWaits(t *testing.T) {
	srv, n := script(t, status(200, "ok"))
	c := New(fast(Config{BaseURL: srv.URL, Rate: 20, Burst: 1}))
	start := time.Now()
	for range 6 {
		if _, err := c.Do(context.Background(), Request{Op: "get", Method: "GET", Path: "/x"}); err != nil {
			t.Fatal(err)
		}
	}
	// 6 requests at 20/s with burst 1: at least 5 intervals of 50 ms.
	if took := time.Since(start); took < 240*time.Millisecond || n.Load() != 6 {
		t.Fatalf("6 requests took %v; the limiter must wait, not fail", took)
	}
}

func TestBodyLimit(t *testing.T) {
	srv, _ := script(t, status(200, strings.Repeat("x", 4096)))
	c := New(fast(Config{BaseURL: srv.URL, MaxBody: 1024}))
	_, err := c.Do(context.Background(), Request{Op: "list", Method: "GET", Path: "/x"})
	if kind(err) != backend.ErrBadResponse {
		t.Fatalf("err = %v, want bad response", err)
	}
}

func TestContextCancelStopsWaiting(t *testing.T) {
	srv, _ := script(t, status(429, "", "Retry-After", "30"))
	c := New(fast(Config{BaseURL: srv.URL}))
	ctx, cancel := context.WithTimeout(context.Background(), 200*time.Millisecond)
	defer cancel()
	start := time.Now()
	_, err := c.Do(ctx, Request{Op: "list", Method: "GET", Path: "/x"})
	if err == nil || time.Since(start) > 2*time.Second || !errors.Is(err, context.DeadlineExceeded) {
		t.Fatalf("err = %v after %v", err, time.Since(start))
	}
}

func TestSecretsScrubbedFromErrors(t *testing.T) {
	const token = "secret-token-abcdef"
	srv, _ := script(t, status(400, `{"error":"bad token `+token+`"}`))
	red := &backend.Redactor{}
	red.Add(token)
	c := New(fast(Config{BaseURL: srv.URL, Redactor: red}))
	_, err := c.Do(context.Background(), Request{Op: "get", Method: "GET", Path: "/x", Header: http.Header{"Authorization": {"Bearer " + token}}})
	if kind(err) != backend.ErrRejected || strings.Contains(err.Error(), token) {
		t.Fatalf("err = %v", err)
	}
}

func TestStatusClassification(t *testing.T) {
	for code, want := range map[int]error{401: backend.ErrAuth, 403: backend.ErrAuth, 404: backend.ErrNotFound, 422: backend.ErrRejected, 400: backend.ErrRejected} {
		srv, _ := script(t, status(code, "no"))
		_, err := New(fast(Config{BaseURL: srv.URL})).Do(context.Background(), Request{Op: "get", Method: "GET", Path: "/x"})
		if kind(err) != want {
			t.Errorf("HTTP %d: %v, want %v", code, err, want)
		}
	}
}

func TestRetryAfterParsing(t *testing.T) {
	now := time.Date(2026, 11, 23, 12, 0, 0, 0, time.UTC)
	cases := []struct {
		h    http.Header
		want time.Duration
	}{
		{http.Header{"Retry-After": {"2"}}, 2 * time.Second},
		{http.Header{"Retry-After": {now.Add(5 * time.Second).Format(http.TimeFormat)}}, 5 * time.Second},
		{http.Header{"X-Rate-Limit-Reset": {"7"}}, 7 * time.Second},
		{http.Header{"X-Rate-Limit-Reset": {"1795435210"}}, time.Unix(1795435210, 0).Sub(now)},
		{http.Header{"Retry-After": {"soon"}}, 0},
		{http.Header{}, 0},
	}
	for _, c := range cases {
		if got := RetryAfter(c.h, now); got != c.want {
			t.Errorf("RetryAfter(%v) = %v, want %v", c.h, got, c.want)
		}
	}
}
