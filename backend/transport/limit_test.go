package transport

import (
	"context"
	"errors"
	"io"
	"net/http"
	"net/http/httptrace"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"testing/synctest"
	"time"

	"orderdesk/backend"
)

// silent is a shop that takes every request and never answers: each try
// waits until the client gives up on it. write says whether the request
// counts as sent (as a real connection would, once the body is written).
type silent struct {
	tries atomic.Int32
	write bool
}

func (s *silent) RoundTrip(r *http.Request) (*http.Response, error) {
	s.tries.Add(1)
	if tr := httptrace.ContextClientTrace(r.Context()); s.write && tr != nil && tr.WroteRequest != nil {
		tr.WroteRequest(httptrace.WroteRequestInfo{})
	}
	<-r.Context().Done()
	return nil, r.Context().Err()
}

// answer is a shop that answers every request with one canned response.
type answer struct {
	status int
	header http.Header
	tries  atomic.Int32
}

func (a *answer) RoundTrip(r *http.Request) (*http.Response, error) {
	a.tries.Add(1)
	return &http.Response{StatusCode: a.status, Header: a.header.Clone(), Body: io.NopCloser(strings.NewReader("{}")), Request: r}, nil
}

// The tests below run in a synctest bubble: the transport's own clock
// (timers, deadlines, the HTTP client's timeout) is the bubble's, which
// moves only when every goroutine waits, so the default limits are
// measured exactly and take no real time.

// TestASilentShopIsGivenUpAtTheDefaultLimit: a read from a shop that
// never answers gives up at the default call limit (60 s, retries
// included), not after five tries of 30 s, and says so.
func TestASilentShopIsGivenUpAtTheDefaultLimit(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		shop := &silent{}
		c := New(Config{Shop: "sl-tw", BaseURL: "http://shop.test", RoundTripper: shop})
		start := time.Now()
		_, err := c.Do(context.Background(), Request{Op: "list orders", Method: "GET", Path: "/orders"})
		took := time.Since(start)
		if took > 60*time.Second || took < 59*time.Second {
			t.Errorf("gave up after %v, want at the 60 s limit", took)
		}
		if !errors.Is(err, backend.ErrUnavailable) || !strings.Contains(err.Error(), "sl-tw: list orders: ") ||
			!strings.Contains(err.Error(), "no answer in 60 s — unreachable") {
			t.Errorf("err = %v", err)
		}
		if n := shop.tries.Load(); n != 2 {
			t.Errorf("%d tries, want 2 (30 s each, then the limit)", n)
		}
	})
}

// TestASilentShopIsSaidToBeSlow: a call without an answer for 10 s is
// reported once to the context's slow notice, naming the shop, the call
// and when it gives up; a write that was sent and never answered is an
// unknown outcome, given up at the limit without a second try.
func TestASilentShopIsSaidToBeSlow(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		shop := &silent{write: true}
		c := New(Config{Shop: "sl-tw", BaseURL: "http://shop.test", RoundTripper: shop})
		start := time.Now()
		var mu sync.Mutex
		var heard []backend.Slow
		var at []time.Duration
		ctx := backend.WithSlowNotice(context.Background(), func(s backend.Slow) {
			mu.Lock()
			defer mu.Unlock()
			heard, at = append(heard, s), append(at, time.Since(start))
		})
		_, err := c.Do(ctx, Request{Op: "ship 1001", Method: "POST", Path: "/fulfil", JSON: map[string]string{"a": "b"}, Write: true})
		took := time.Since(start)
		synctest.Wait()
		mu.Lock()
		defer mu.Unlock()
		want := backend.Slow{Shop: "sl-tw", Op: "ship 1001", For: 10 * time.Second, Limit: 60 * time.Second}
		if len(heard) != 1 || heard[0] != want || at[0] != 10*time.Second {
			t.Fatalf("notices %+v at %v, want one %+v at 10 s", heard, at, want)
		}
		if heard[0].String() != "no answer for 10 s, still trying (gives up after 60 s)" {
			t.Errorf("notice reads %q", heard[0].String())
		}
		var na *backend.NoAnswerError
		if !errors.Is(err, backend.ErrOutcomeUnknown) || !errors.As(err, &na) || na.Limit != 60*time.Second {
			t.Errorf("err = %v, want an unknown outcome with no answer in 60 s", err)
		}
		if took != 60*time.Second || shop.tries.Load() != 1 {
			t.Errorf("gave up after %v and %d tries, want 60 s and 1", took, shop.tries.Load())
		}
	})
}

// TestAShortCallLimit: a configured limit of 2 s gives up at 2 s and
// says the shop is slow at 1 s (half of it).
func TestAShortCallLimit(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		c := New(Config{Shop: "ym", BaseURL: "http://shop.test", RoundTripper: &silent{}, CallLimit: 2 * time.Second})
		start := time.Now()
		var when atomic.Int64
		ctx := backend.WithSlowNotice(context.Background(), func(s backend.Slow) { when.Store(int64(time.Since(start))) })
		_, err := c.Do(ctx, Request{Op: "get 1", Method: "GET", Path: "/x"})
		if took := time.Since(start); took != 2*time.Second || time.Duration(when.Load()) != time.Second {
			t.Errorf("gave up after %v, slow notice at %v; want 2 s and 1 s", took, time.Duration(when.Load()))
		}
		if err == nil || !strings.HasSuffix(err.Error(), "no answer in 2 s — unreachable") {
			t.Errorf("err = %v", err)
		}
	})
}

// TestNoRetryWaitPastTheCallLimit: a shop that asks for 90 s of patience
// (within the 2 min the client would wait) gets the rate-limited error
// back at once, not a "no answer" after the call limit cut the wait.
func TestNoRetryWaitPastTheCallLimit(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		shop := &answer{status: http.StatusTooManyRequests, header: http.Header{"Retry-After": {"90"}}}
		c := New(Config{Shop: "ym", BaseURL: "http://shop.test", RoundTripper: shop})
		start := time.Now()
		_, err := c.Do(context.Background(), Request{Op: "list", Method: "GET", Path: "/x"})
		if took := time.Since(start); took != 0 || shop.tries.Load() != 1 {
			t.Errorf("took %v and %d tries, want an answer at once", took, shop.tries.Load())
		}
		var be *backend.Error
		if !errors.As(err, &be) || be.Kind != backend.ErrRateLimited || be.RetryAfter != 90*time.Second {
			t.Errorf("err = %v, want rate limited, retry after 90 s", err)
		}
	})
}
