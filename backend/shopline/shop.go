package shopline

import (
	"context"
	"encoding/json"
	"fmt"
	"log/slog"
	"net/http"
	"net/url"
	"regexp"
	"sort"
	"strings"
	"time"

	"orderdesk/backend"
	"orderdesk/backend/internal/adapt"
	"orderdesk/backend/transport"
)

const (
	// DefaultRate and DefaultBurst are SHOPLINE's documented leaky bucket per
	// (app, store): it drains at 4 requests per second and holds 40.
	DefaultRate  = 4
	DefaultBurst = 40

	// maxPageSize is the list endpoint's documented limit maximum.
	maxPageSize = 100
	// contentType is required on every request, GET included.
	contentType = "application/json; charset=utf-8"
	// RemarkAuthor is the note_attributes name desk remarks are written under.
	RemarkAuthor = "orderdesk"
)

var versionPattern = regexp.MustCompile(`^v[0-9]{8}$`)

// Shop is one SHOPLINE store. It is safe for concurrent use.
type Shop struct {
	cfg      backend.ShopConfig
	client   *transport.Client
	redactor *backend.Redactor
	log      *slog.Logger
	pageSize int              // orders per list request; maxPageSize unless a test lowers it
	now      func() time.Time // SyncedAt clock
}

var _ backend.Shop = (*Shop)(nil)

// New validates cfg and builds the shop's client. cfg.URL is the store's
// address (https://{handle}.myshopline.com), cfg.Token the Admin API access
// token and cfg.APIVersion the pinned version (vYYYYMMDD).
func New(cfg backend.ShopConfig) (*Shop, error) {
	base, err := apiBase(cfg)
	if err != nil {
		return nil, err
	}
	red := &backend.Redactor{}
	registerToken(red, cfg.Token.Reveal())
	log := cfg.Logger
	if log == nil {
		log = slog.New(slog.DiscardHandler)
	}
	rate, burst := cfg.Rate, cfg.Burst
	if rate <= 0 {
		rate = DefaultRate
	}
	if burst <= 0 {
		burst = DefaultBurst
		if cfg.Rate > 0 {
			burst = max(1, int(cfg.Rate))
		}
	}
	rt := cfg.Transport
	if rt == nil {
		rt = http.DefaultTransport.(*http.Transport).Clone()
	}
	s := &Shop{cfg: cfg, redactor: red, log: log.With("shop", cfg.Name, "platform", string(backend.Shopline)), pageSize: maxPageSize, now: time.Now}
	s.client = transport.New(transport.Config{
		Shop: cfg.Name, BaseURL: base, Rate: rate, Burst: burst, Timeout: cfg.Timeout, CallLimit: cfg.CallLimit,
		Logger: log, Redactor: red, RoundTripper: traceLogger{next: rt, log: s.log, redactor: red},
		Reason: errorReason,
	})
	return s, nil
}

// apiBase checks the config and returns https://host/admin/openapi/{version}.
func apiBase(cfg backend.ShopConfig) (string, error) {
	fail := func(format string, a ...any) error {
		return fmt.Errorf("shopline shop %q: "+format, append([]any{cfg.Name}, a...)...)
	}
	if cfg.Name == "" {
		return "", fmt.Errorf("shopline shop: name is required")
	}
	if cfg.Platform != "" && cfg.Platform != backend.Shopline {
		return "", fail("platform is %q, not shopline", cfg.Platform)
	}
	if cfg.URL == "" {
		return "", fail("url is required, e.g. https://open001.myshopline.com")
	}
	u, err := url.Parse(strings.TrimRight(cfg.URL, "/"))
	if err != nil || (u.Scheme != "https" && u.Scheme != "http") || u.Host == "" {
		return "", fail("url %q is not an http(s) address like https://open001.myshopline.com", cfg.URL)
	}
	if u.User != nil || u.RawQuery != "" || u.Fragment != "" {
		return "", fail("url must not carry credentials, a query or a fragment; put the token in token_env or token_cmd")
	}
	if u.Path != "" {
		return "", fail("url %q must be the store address only (https://{handle}.myshopline.com); the desk adds /admin/openapi/{version}", cfg.URL)
	}
	if cfg.Token.IsZero() {
		return "", fail("an Admin API access token is required (token_env or token_cmd)")
	}
	if !versionPattern.MatchString(cfg.APIVersion) {
		return "", fail("api_version %q is not a SHOPLINE version like v20251201", cfg.APIVersion)
	}
	return u.Scheme + "://" + u.Host + "/admin/openapi/" + cfg.APIVersion, nil
}

// registerToken registers the token and, for a JWT, each of its long
// segments: a body that echoes only the payload or the signature is
// scrubbed as well.
func registerToken(r *backend.Redactor, token string) {
	r.Add(token)
	for _, part := range strings.Split(token, ".") {
		if len(part) >= 16 {
			r.Add(part)
		}
	}
}

// StatusValues are the values a SHOPLINE shop's status can be set to (its
// Capabilities' Status.Values), known without a shop: shell completion
// offers them.
func StatusValues() []backend.StatusValue {
	values := make([]backend.StatusValue, len(statusActions))
	for i, a := range statusActions {
		values[i] = backend.StatusValue{Value: a.value, Label: a.label, Irreversible: a.irreversible}
	}
	return values
}

func (s *Shop) Name() string               { return s.cfg.Name }
func (s *Shop) Platform() backend.Platform { return backend.Shopline }

// Capabilities: incremental by updated_at_min, created windows, three status
// values, fulfilment with tracking and remarks as note_attributes.
func (s *Shop) Capabilities() backend.Capabilities {
	values := StatusValues()
	return backend.Capabilities{
		Incremental:   true,
		CreatedWindow: true,
		Status:        backend.Capability{Supported: true, Notifies: backend.NotifyOptional, BatchLimit: 1, Values: values},
		Ship:          backend.Capability{Supported: true, Notifies: backend.NotifyOptional, BatchLimit: 1},
		Remark:        backend.Capability{Supported: true, Notifies: backend.NotifyNever, BatchLimit: 1},
	}
}

// do sends one request with the headers SHOPLINE requires on every call.
func (s *Shop) do(ctx context.Context, op, method, path string, query url.Values, body any, write bool) (*transport.Response, error) {
	h := http.Header{}
	h.Set("Authorization", "Bearer "+s.cfg.Token.Reveal())
	h.Set("Content-Type", contentType)
	return s.client.Do(ctx, transport.Request{Op: op, Method: method, Path: path, Query: query, Header: h, JSON: body, Write: write})
}

// badBody is the error for a 2xx body that cannot be read. For a write the
// outcome is unknown: the shop may have applied it.
func (s *Shop) badBody(op string, write bool, err error) *backend.Error {
	e := adapt.BadResponse(s.cfg.Name, op, s.redactor, err)
	if write {
		e.Kind = backend.ErrOutcomeUnknown
	}
	e.Reason = "cannot read the shop's answer"
	return e
}

// errorReason reads SHOPLINE's error body: {"errors": string | array |
// object} plus sometimes "message" and "code".
func errorReason(body []byte) string {
	var e struct {
		Errors  json.RawMessage `json:"errors"`
		Message adapt.Flex      `json:"message"`
		Code    adapt.Flex      `json:"code"`
	}
	if json.Unmarshal(body, &e) != nil {
		return ""
	}
	msg := flattenErrors(e.Errors)
	if msg == "" {
		msg = string(e.Message)
	}
	if msg != "" && e.Code != "" {
		msg += " (code " + string(e.Code) + ")"
	}
	return msg
}

// flattenErrors turns "x", ["x","y"], [{"message":"x"}] and
// {"field":["x"]} into one line.
func flattenErrors(raw json.RawMessage) string {
	var str string
	if json.Unmarshal(raw, &str) == nil {
		return str
	}
	var list []json.RawMessage
	if json.Unmarshal(raw, &list) == nil {
		var parts []string
		for _, item := range list {
			var obj struct {
				Field   adapt.Flex `json:"field"`
				Message adapt.Flex `json:"message"`
			}
			if json.Unmarshal(item, &obj) == nil && obj.Message != "" {
				parts = append(parts, strings.TrimPrefix(string(obj.Field)+": ", ": ")+string(obj.Message))
			} else if p := flattenErrors(item); p != "" {
				parts = append(parts, p)
			}
		}
		return strings.Join(parts, "; ")
	}
	var obj map[string]json.RawMessage
	if json.Unmarshal(raw, &obj) == nil {
		keys := make([]string, 0, len(obj))
		for k := range obj {
			keys = append(keys, k)
		}
		sort.Strings(keys)
		var parts []string
		for _, k := range keys {
			if p := flattenErrors(obj[k]); p != "" {
				parts = append(parts, k+": "+p)
			}
		}
		return strings.Join(parts, "; ")
	}
	return ""
}

// traceLogger logs every response's traceId at debug, error answers
// included: SHOPLINE support asks for it.
type traceLogger struct {
	next     http.RoundTripper
	log      *slog.Logger
	redactor *backend.Redactor
}

func (t traceLogger) RoundTrip(r *http.Request) (*http.Response, error) {
	res, err := t.next.RoundTrip(r)
	if err == nil {
		t.log.Debug("shopline response", "method", r.Method, "path", t.redactor.Scrub(r.URL.Path),
			"status", res.StatusCode, "traceId", t.redactor.Scrub(headerValue(res.Header, "traceId")))
	}
	return res, err
}

// headerValue looks a header up case-insensitively, whatever the map's keys.
func headerValue(h http.Header, name string) string {
	if v := h.Get(name); v != "" {
		return v
	}
	for k, vs := range h {
		if strings.EqualFold(k, name) && len(vs) > 0 {
			return vs[0]
		}
	}
	return ""
}

// RequestRate is the requests per second the shop is sent at most
// (backend.RequestRater): the configured rate, else the platform's default.
func (s *Shop) RequestRate() float64 { return s.client.Rate() }
