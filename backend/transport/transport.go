// Package transport is the HTTP layer the platform adapters share: a
// per-shop rate limiter that waits rather than fails, retries of reads with
// backoff and jitter that honour Retry-After and X-Rate-Limit-Reset in full,
// writes that are never retried and whose failures are classified as "not
// sent" or "outcome unknown", a response size limit, context cancellation,
// and logs and errors scrubbed of the shop's secrets.
//
// It is built on resty v2 but does its own retry loop: resty v2 clamps a
// server's Retry-After to its max wait, retries POSTs on any error, and does
// not take a rate-limiter token per attempt.
package transport

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"log/slog"
	"math/rand/v2"
	"net/http"
	"net/http/httptrace"
	"net/url"
	"strings"
	"sync"
	"time"

	"github.com/go-resty/resty/v2"
	"golang.org/x/time/rate"

	"orderdesk/backend"
)

// Config configures one shop's client.
type Config struct {
	Shop     string
	BaseURL  string
	Rate     float64       // requests per second; 0 = unlimited
	Burst    int           // 0 = max(1, Rate)
	Timeout  time.Duration // one try of a read; 0 = 30 s (see CallLimit)
	MaxBody  int64         // response size limit in bytes; 0 = 16 MiB
	Logger   *slog.Logger
	Redactor *backend.Redactor
	// RoundTripper replaces the default HTTP transport (tests).
	RoundTripper http.RoundTripper

	// Envelope inspects a 2xx response for errors the platform reports in
	// the body (Fecshop, YMCart answer HTTP 200 with an error code). It
	// returns nil or a *backend.Error; kinds ErrRateLimited and
	// ErrUnavailable make a read retry.
	Envelope func(*Response) error
	// Reason extracts the platform's error message from a non-2xx body.
	Reason func(body []byte) string

	MaxRetries   int           // retries of a read; 0 = 4
	MaxRetryWait time.Duration // longest wait taken inside one call; 0 = 2 min
	BackoffBase  time.Duration // 0 = 500 ms
	BackoffCap   time.Duration // 0 = 30 s

	// CallLimit bounds one call, its retries and waits included: a call
	// still without an answer then fails with a *backend.NoAnswerError
	// cause, and no retry wait is begun that would end after it (the
	// last error is returned instead). 0 = backend.DefaultCallLimit.
	CallLimit time.Duration
	// SlowAfter is when a call still without an answer is reported to
	// the context's slow notice (backend.WithSlowNotice); 0 =
	// backend.SlowNotice or half the CallLimit, whichever is shorter.
	SlowAfter time.Duration
}

// Request is one HTTP call.
type Request struct {
	Op     string // what is being done, for errors and logs: "list page 3"
	Method string
	Path   string // joined to BaseURL
	Query  url.Values
	Header http.Header
	JSON   any        // marshalled as the body, Content-Type application/json unless Header sets one
	Form   url.Values // form-encoded body
	// Write marks a mutation: never retried; failures are classified as
	// ErrUnavailable (not sent, so not applied) or ErrOutcomeUnknown.
	Write bool
}

// Response is a completed HTTP exchange.
type Response struct {
	Status int
	Header http.Header
	Body   []byte
}

// Client is safe for concurrent use.
type Client struct {
	cfg     Config
	http    *resty.Client
	limiter *rate.Limiter
	log     *slog.Logger

	mu        sync.Mutex
	holdUntil time.Time // no request before this (after a 429)
}

func New(cfg Config) *Client {
	if cfg.Timeout == 0 {
		cfg.Timeout = 30 * time.Second
	}
	if cfg.MaxBody == 0 {
		cfg.MaxBody = 16 << 20
	}
	if cfg.MaxRetries == 0 {
		cfg.MaxRetries = 4
	}
	if cfg.MaxRetryWait == 0 {
		cfg.MaxRetryWait = 2 * time.Minute
	}
	if cfg.BackoffBase == 0 {
		cfg.BackoffBase = 500 * time.Millisecond
	}
	if cfg.BackoffCap == 0 {
		cfg.BackoffCap = 30 * time.Second
	}
	if cfg.CallLimit <= 0 {
		cfg.CallLimit = backend.DefaultCallLimit
	}
	if cfg.SlowAfter <= 0 {
		cfg.SlowAfter = min(backend.SlowNotice, cfg.CallLimit/2)
	}
	if cfg.Redactor == nil {
		cfg.Redactor = &backend.Redactor{}
	}
	log := cfg.Logger
	if log == nil {
		log = slog.New(slog.DiscardHandler)
	}
	lim := rate.NewLimiter(rate.Inf, 1)
	if cfg.Rate > 0 {
		burst := cfg.Burst
		if burst <= 0 {
			burst = max(1, int(cfg.Rate))
		}
		lim = rate.NewLimiter(rate.Limit(cfg.Rate), burst)
	}
	hc := resty.New().
		SetRetryCount(0).
		SetResponseBodyLimit(int(cfg.MaxBody)).
		SetHeader("User-Agent", "orderdesk").
		SetRedirectPolicy(resty.NoRedirectPolicy())
	if cfg.RoundTripper != nil {
		hc.SetTransport(cfg.RoundTripper)
	}
	hc.SetLogger(discardLogger{}) // resty's own logger would print request details
	return &Client{cfg: cfg, http: hc, limiter: lim, log: log.With("shop", cfg.Shop)}
}

// Rate is the requests per second the client sends at most (0: unpaced).
func (c *Client) Rate() float64 { return c.cfg.Rate }

// Redactor returns the shop's redactor, for adapters building error text.
func (c *Client) Redactor() *backend.Redactor { return c.cfg.Redactor }

// Do sends req, waiting for the rate limiter, and retries reads that failed
// in a way worth retrying, within the call limit (Config.CallLimit). A
// call without an answer for Config.SlowAfter is reported to the context's
// slow notice, if any. The returned error is a *backend.Error.
func (c *Client) Do(ctx context.Context, req Request) (*Response, error) {
	end := time.Now().Add(c.cfg.CallLimit)
	call, cancel := context.WithDeadline(ctx, end)
	defer cancel()
	if notice := backend.SlowNoticeOf(ctx); notice != nil {
		slow := backend.Slow{Shop: c.cfg.Shop, Op: req.Op, For: c.cfg.SlowAfter, Limit: c.cfg.CallLimit}
		t := time.AfterFunc(c.cfg.SlowAfter, func() { notice(slow) })
		defer t.Stop()
	}
	for attempt := 0; ; attempt++ {
		resp, err := c.once(call, req, attempt)
		if err == nil {
			return resp, nil
		}
		if call.Err() != nil && ctx.Err() == nil {
			return nil, c.noAnswer(req, err)
		}
		var be *backend.Error
		if !errors.As(err, &be) || req.Write || attempt >= c.cfg.MaxRetries || !retryable(be) || ctx.Err() != nil {
			return nil, err
		}
		wait := be.RetryAfter
		if wait <= 0 {
			wait = c.backoff(attempt, be.Kind == backend.ErrRateLimited)
		}
		if wait > c.cfg.MaxRetryWait || time.Now().Add(wait).After(end) {
			// Honour the server in full: give up now and tell the caller how
			// long to wait, rather than retrying early into the limit (or
			// failing with the call limit in the middle of the wait).
			return nil, err
		}
		if be.Kind == backend.ErrRateLimited {
			c.hold(wait)
		}
		c.log.Debug("retrying", "op", req.Op, "attempt", attempt+1, "wait", wait, "err", c.cfg.Redactor.Scrub(err.Error()))
		if err := sleep(call, wait); err != nil {
			return nil, c.fail(req, backend.ErrUnavailable, "", err)
		}
	}
}

// noAnswer is the error of a call that reached its limit without an
// answer (err is how its last attempt ended): not applied, or for a write
// that was sent, outcome unknown.
func (c *Client) noAnswer(req Request, err error) *backend.Error {
	kind := backend.ErrUnavailable
	if errors.Is(err, backend.ErrOutcomeUnknown) {
		kind = backend.ErrOutcomeUnknown
	}
	c.log.Debug("no answer", "op", req.Op, "limit", c.cfg.CallLimit, "err", c.cfg.Redactor.Scrub(err.Error()))
	return &backend.Error{Kind: kind, Shop: c.cfg.Shop, Op: req.Op, Err: &backend.NoAnswerError{Limit: c.cfg.CallLimit}}
}

func retryable(e *backend.Error) bool {
	switch e.Kind {
	case backend.ErrRateLimited, backend.ErrUnavailable, backend.ErrBadResponse:
		return e.Field != "body-limit"
	}
	return false
}

// backoff is capped exponential backoff with jitter in [d/2, d).
func (c *Client) backoff(attempt int, limited bool) time.Duration {
	base := c.cfg.BackoffBase
	if limited {
		base = max(base, time.Second)
	}
	d := base << min(attempt, 16)
	if d > c.cfg.BackoffCap || d <= 0 {
		d = c.cfg.BackoffCap
	}
	return d/2 + rand.N(d/2+1)
}

func (c *Client) hold(d time.Duration) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if until := time.Now().Add(d); until.After(c.holdUntil) {
		c.holdUntil = until
	}
}

func (c *Client) waitTurn(ctx context.Context) error {
	c.mu.Lock()
	until := c.holdUntil
	c.mu.Unlock()
	if d := time.Until(until); d > 0 {
		if err := sleep(ctx, d); err != nil {
			return err
		}
	}
	return c.limiter.Wait(ctx)
}

// once is one try of req. A read's try is bounded by Config.Timeout (a
// stuck connection is retried on a fresh one); a write, tried once, by
// the call's limit alone.
func (c *Client) once(ctx context.Context, req Request, attempt int) (*Response, error) {
	if err := c.waitTurn(ctx); err != nil {
		return nil, c.fail(req, backend.ErrUnavailable, "", err)
	}
	if !req.Write {
		var cancel context.CancelFunc
		ctx, cancel = context.WithTimeout(ctx, c.cfg.Timeout)
		defer cancel()
	}
	var wrote bool
	var wroteMu sync.Mutex
	trace := &httptrace.ClientTrace{WroteRequest: func(httptrace.WroteRequestInfo) {
		wroteMu.Lock()
		wrote = true
		wroteMu.Unlock()
	}}
	r := c.http.R().SetContext(httptrace.WithClientTrace(ctx, trace))
	for k, vs := range req.Header {
		for _, v := range vs {
			r.Header.Add(k, v)
		}
	}
	if req.Query != nil {
		r.SetQueryParamsFromValues(req.Query)
	}
	switch {
	case req.JSON != nil:
		body, err := json.Marshal(req.JSON)
		if err != nil {
			return nil, c.fail(req, backend.ErrRefused, "cannot encode request", err)
		}
		if r.Header.Get("Content-Type") == "" {
			r.SetHeader("Content-Type", "application/json")
		}
		r.SetBody(body)
	case req.Form != nil:
		r.SetHeader("Content-Type", "application/x-www-form-urlencoded")
		r.SetBody(req.Form.Encode())
	}
	start := time.Now()
	res, err := r.Execute(req.Method, strings.TrimRight(c.cfg.BaseURL, "/")+req.Path)
	wroteMu.Lock()
	sent := wrote
	wroteMu.Unlock()
	if err != nil {
		return nil, c.transportError(ctx, req, err, sent, res, attempt, time.Since(start))
	}
	resp := &Response{Status: res.StatusCode(), Header: res.Header(), Body: res.Body()}
	c.log.Debug("http", "op", req.Op, "method", req.Method, "path", req.Path, "status", resp.Status, "bytes", len(resp.Body), "attempt", attempt, "took", time.Since(start).Round(time.Millisecond))
	return resp, c.classify(req, resp)
}

func (c *Client) transportError(ctx context.Context, req Request, err error, sent bool, res *resty.Response, attempt int, took time.Duration) error {
	c.log.Debug("http failed", "op", req.Op, "method", req.Method, "path", req.Path, "sent", sent, "attempt", attempt, "took", took.Round(time.Millisecond), "err", c.cfg.Redactor.Scrub(err.Error()))
	if errors.Is(err, resty.ErrResponseBodyTooLarge) {
		e := c.fail(req, backend.ErrBadResponse, fmt.Sprintf("response larger than %d bytes", c.cfg.MaxBody), nil)
		e.Field = "body-limit"
		if req.Write {
			e.Kind = backend.ErrOutcomeUnknown
		}
		return e
	}
	gotHeaders := res != nil && res.RawResponse != nil
	switch {
	case req.Write && sent:
		return c.fail(req, backend.ErrOutcomeUnknown, "the request was sent but no answer was received", err)
	case ctx.Err() != nil:
		return c.fail(req, backend.ErrUnavailable, "", ctx.Err())
	case gotHeaders:
		e := c.fail(req, backend.ErrBadResponse, "body cut short", err)
		e.Field = "body"
		return e
	}
	return c.fail(req, backend.ErrUnavailable, "", err)
}

// classify maps an HTTP status (and, on 2xx, the platform envelope) to an
// error, or nil for success.
func (c *Client) classify(req Request, resp *Response) error {
	if resp.Status >= 200 && resp.Status < 300 {
		if c.cfg.Envelope == nil {
			return nil
		}
		err := c.cfg.Envelope(resp)
		var be *backend.Error
		if errors.As(err, &be) {
			be.Shop, be.Op = c.cfg.Shop, req.Op
			be.Reason = c.cfg.Redactor.Scrub(be.Reason)
			if be.Kind == backend.ErrRateLimited && be.RetryAfter == 0 {
				be.RetryAfter = RetryAfter(resp.Header, time.Now())
			}
			if req.Write && be.Kind == backend.ErrUnavailable {
				be.Kind = backend.ErrOutcomeUnknown
			}
			return be
		}
		return err
	}
	reason := ""
	if c.cfg.Reason != nil {
		reason = c.cfg.Reason(resp.Body)
	}
	if reason == "" {
		reason = snippet(resp.Body)
	}
	reason = fmt.Sprintf("HTTP %d: %s", resp.Status, reason)
	switch s := resp.Status; {
	case s == http.StatusTooManyRequests:
		e := c.fail(req, backend.ErrRateLimited, reason, nil)
		e.RetryAfter = RetryAfter(resp.Header, time.Now())
		return e
	case s == http.StatusUnauthorized || s == http.StatusForbidden:
		return c.fail(req, backend.ErrAuth, reason, nil)
	case s == http.StatusNotFound:
		return c.fail(req, backend.ErrNotFound, reason, nil)
	case s == http.StatusRequestTimeout || s >= 500:
		if req.Write {
			return c.fail(req, backend.ErrOutcomeUnknown, reason, nil)
		}
		return c.fail(req, backend.ErrUnavailable, reason, nil)
	}
	return c.fail(req, backend.ErrRejected, reason, nil)
}

func (c *Client) fail(req Request, kind error, reason string, cause error) *backend.Error {
	return &backend.Error{Kind: kind, Shop: c.cfg.Shop, Op: req.Op, Reason: c.cfg.Redactor.Scrub(reason), Err: c.cfg.Redactor.ScrubErr(cause)}
}

// snippet is the start of a body for an error message, on one line.
func snippet(b []byte) string {
	b = bytes.TrimSpace(b)
	if len(b) > 200 {
		b = append(b[:200:200], "…"...)
	}
	return strings.Join(strings.Fields(string(b)), " ")
}

// RetryAfter reads how long a response asks the client to wait:
// Retry-After (seconds or an HTTP date) or X-Rate-Limit-Reset (seconds, or
// a unix time when larger than 10^9). Zero when neither is present.
func RetryAfter(h http.Header, now time.Time) time.Duration {
	if v := strings.TrimSpace(h.Get("Retry-After")); v != "" {
		if d, ok := seconds(v); ok {
			return d
		}
		if t, err := http.ParseTime(v); err == nil {
			return max(0, t.Sub(now))
		}
	}
	if v := strings.TrimSpace(h.Get("X-Rate-Limit-Reset")); v != "" {
		if d, ok := seconds(v); ok {
			if d > 1e9*time.Second {
				return max(0, time.Unix(int64(d/time.Second), 0).Sub(now))
			}
			return d
		}
	}
	return 0
}

func seconds(v string) (time.Duration, bool) {
	var n float64
	if _, err := fmt.Sscanf(v, "%g", &n); err != nil || n < 0 || n > 1e12 {
		return 0, false
	}
	return time.Duration(n * float64(time.Second)), true
}

func sleep(ctx context.Context, d time.Duration) error {
	t := time.NewTimer(d)
	defer t.Stop()
	select {
	case <-ctx.Done():
		return ctx.Err()
	case <-t.C:
		return nil
	}
}

type discardLogger struct{}

func (discardLogger) Errorf(string, ...any) {}
func (discardLogger) Warnf(string, ...any)  {}
func (discardLogger) Debugf(string, ...any) {}
