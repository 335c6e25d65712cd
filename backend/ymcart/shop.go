package ymcart

import (
	"encoding/json"
	"errors"
	"fmt"
	"net/url"
	"strings"
	"time"

	"orderdesk/backend"
	"orderdesk/backend/internal/adapt"
	"orderdesk/backend/transport"
)

// Default client-side rate: YMCart documents no limit, so the desk stays
// gentle with a shop it does not own.
const (
	defaultRate  = 2.0
	defaultBurst = 4
)

// Shop is one YMCart store. It implements backend.Shop,
// backend.BatchApplier and backend.BatchReader and is safe for concurrent
// use.
type Shop struct {
	name   string
	token  backend.Secret
	loc    *time.Location
	client *transport.Client
	red    *backend.Redactor
	now    func() time.Time
}

var (
	_ backend.Shop         = (*Shop)(nil)
	_ backend.BatchApplier = (*Shop)(nil)
	_ backend.BatchReader  = (*Shop)(nil)
)

// New checks cfg and returns a client for one YMCart store: cfg.URL is the
// shop's own site (the endpoints are <URL>/api-erp-<name>.html) and
// cfg.Token the ERP API token, sent as the form field `token`.
func New(cfg backend.ShopConfig) (*Shop, error) {
	if err := validate(cfg); err != nil {
		return nil, err
	}
	red := &backend.Redactor{}
	red.Add(cfg.Token.Reveal())
	red.Add(cfg.Password.Reveal())
	rate, burst := cfg.Rate, cfg.Burst
	if rate <= 0 {
		rate = defaultRate
	}
	if burst <= 0 {
		burst = max(defaultBurst, int(rate))
	}
	s := &Shop{name: cfg.Name, token: cfg.Token, loc: cfg.Loc(), red: red, now: time.Now}
	s.client = transport.New(transport.Config{
		Shop:         cfg.Name,
		BaseURL:      strings.TrimRight(cfg.URL, "/"),
		Rate:         rate,
		Burst:        burst,
		Timeout:      cfg.Timeout,
		CallLimit:    cfg.CallLimit,
		Logger:       cfg.Logger,
		Redactor:     red,
		RoundTripper: cfg.Transport,
		Envelope:     envelope,
		Reason:       reason,
	})
	return s, nil
}

func validate(cfg backend.ShopConfig) error {
	if strings.TrimSpace(cfg.Name) == "" {
		return errors.New("ymcart: the shop needs a name")
	}
	if cfg.Platform != "" && cfg.Platform != backend.YMCart {
		return fmt.Errorf("ymcart shop %s: platform is %q, not ymcart", cfg.Name, cfg.Platform)
	}
	u, err := url.Parse(cfg.URL)
	if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" {
		return fmt.Errorf("ymcart shop %s: url must be the shop's site, like https://shop.example.com (the desk adds /api-erp-<name>.html)", cfg.Name)
	}
	if u.User != nil || u.RawQuery != "" || u.Fragment != "" {
		return fmt.Errorf("ymcart shop %s: url must not carry credentials, a query or a fragment; the token goes in token_env, token_cmd or token", cfg.Name)
	}
	if strings.TrimSpace(cfg.Token.Reveal()) == "" {
		return fmt.Errorf("ymcart shop %s: the ERP API token is missing (set token_env, token_cmd or token)", cfg.Name)
	}
	return nil
}

func (s *Shop) Name() string                      { return s.name }
func (s *Shop) Platform() backend.Platform        { return backend.YMCart }
func (s *Shop) BatchLimit(backend.ActionKind) int { return batchLimit }

// Capabilities: status, ship and remark are batch calls of up to 20
// orders; status and ship email the customer with no way to switch it off.
func (s *Shop) Capabilities() backend.Capabilities {
	return backend.Capabilities{
		Incremental:   true,
		CreatedWindow: true,
		Status:        backend.Capability{Supported: true, Notifies: backend.NotifyAlways, BatchLimit: batchLimit, Values: settableValues()},
		Ship:          backend.Capability{Supported: true, Notifies: backend.NotifyAlways, BatchLimit: batchLimit},
		Remark:        backend.Capability{Supported: true, Notifies: backend.NotifyNever, BatchLimit: batchLimit},
	}
}

// endpoint is the path of an ERP call.
func endpoint(name string) string { return "/api-erp-" + name + ".html" }

// form starts the form of a call with the token, the only place it goes.
func (s *Shop) form() url.Values {
	return url.Values{"token": {s.token.Reveal()}}
}

// envelopeBody is what every YMCart answer starts with.
type envelopeBody struct {
	Code adapt.FlexInt   `json:"code"`
	Msg  json.RawMessage `json:"msg"`
}

// envelopeKinds maps the few error answers whose meaning is known; any
// other non-zero code is a rejection with the platform's msg as reason.
var envelopeKinds = map[string]error{
	"token_error": backend.ErrAuth,
}

// envelope turns an HTTP-200 answer with code != 0 into an error. A body
// that is not a JSON object is left to the decoders (an ErrBadResponse for
// reads, ErrOutcomeUnknown for writes), so a garbled page is not retried
// into the same garbage.
func envelope(r *transport.Response) error {
	var e envelopeBody
	if json.Unmarshal(r.Body, &e) != nil || !e.Code.Set || e.Code.V == 0 {
		return nil
	}
	msg := msgText(e.Msg)
	kind, ok := envelopeKinds[msg]
	if !ok && e.Code.V == 403 {
		kind, ok = backend.ErrAuth, true
	}
	if !ok {
		kind = backend.ErrRejected
	}
	return &backend.Error{Kind: kind, Reason: fmt.Sprintf("code %d: %s", e.Code.V, msg)}
}

// reason reads the msg of a non-2xx answer.
func reason(body []byte) string {
	var e envelopeBody
	if json.Unmarshal(body, &e) != nil {
		return ""
	}
	return msgText(e.Msg)
}

// msgText is msg as text: a string as is, anything else as its JSON.
func msgText(raw json.RawMessage) string {
	var s string
	if json.Unmarshal(raw, &s) == nil {
		return s
	}
	return strings.TrimSpace(string(raw))
}

// badResponse is the error for a body that cannot be understood.
func (s *Shop) badResponse(op string, err error) *backend.Error {
	return adapt.BadResponse(s.name, op, s.red, err)
}

// badField is an *adapt.FieldError: a value that decoded but cannot be
// understood.
func badField(field, format string, args ...any) error {
	return &adapt.FieldError{Field: field, Err: fmt.Errorf(format, args...)}
}

// RequestRate is the requests per second the shop is sent at most
// (backend.RequestRater): the configured rate, else the platform's default.
func (s *Shop) RequestRate() float64 { return s.client.Rate() }
