package fecshop

import (
	"fmt"
	"net/url"
	"strings"
	"sync"
	"time"

	"orderdesk/backend"
	"orderdesk/backend/transport"
)

// Fecshop's rate limit is off by default and, when on, is 120 requests per
// 60 s per admin user; the desk stays well under it unless told otherwise.
const (
	defaultRate  = 2.0
	defaultBurst = 4
)

// Shop is one Fecshop store reached through its appapi. It is safe for
// concurrent use.
type Shop struct {
	name   string
	cfg    backend.ShopConfig
	client *transport.Client
	red    *backend.Redactor

	sess session

	imgMu     sync.Mutex
	imageBase string // learned from the list's full_image; see resolveImage
}

// New validates cfg and returns the shop. It does not log in: the first
// request does.
func New(cfg backend.ShopConfig) (*Shop, error) {
	if err := validate(cfg); err != nil {
		return nil, err
	}
	red := &backend.Redactor{}
	red.Add(cfg.Password.Reveal())
	red.Add(cfg.Token.Reveal())
	rate, burst := cfg.Rate, cfg.Burst
	if rate == 0 {
		rate = defaultRate
	}
	if burst == 0 {
		burst = defaultBurst
	}
	s := &Shop{name: cfg.Name, cfg: cfg, red: red}
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

// RequestRate is the requests per second the shop is sent at most
// (backend.RequestRater): the configured rate, else the platform's default.
func (s *Shop) RequestRate() float64 { return s.client.Rate() }

func validate(cfg backend.ShopConfig) error {
	name := cfg.Name
	if name == "" {
		name = "(unnamed shop)"
	}
	bad := func(format string, a ...any) error {
		return fmt.Errorf("fecshop shop %s: %s", name, fmt.Sprintf(format, a...))
	}
	switch {
	case cfg.Name == "":
		return bad("a shop name is required")
	case cfg.Platform != "" && cfg.Platform != backend.Fecshop:
		return bad("platform is %q, not fecshop", cfg.Platform)
	case cfg.URL == "":
		return bad("url is required: the appapi host, e.g. https://appapi.example.com")
	case cfg.Username == "":
		return bad("username is required: an appadmin user allowed to use the API")
	case cfg.Password.IsZero():
		return bad("a password is required (password_env, password_cmd or password)")
	}
	// The URL is not echoed: it might carry a password someone pasted in.
	u, err := url.Parse(cfg.URL)
	switch {
	case err != nil:
		return bad("url is not a valid URL")
	case u.User != nil || u.RawQuery != "":
		return bad("url must not carry credentials or a query string; set username and password instead")
	case (u.Scheme != "http" && u.Scheme != "https") || u.Host == "":
		return bad("url must be http:// or https:// with a host, e.g. https://appapi.example.com")
	}
	return nil
}

func (s *Shop) Name() string               { return s.name }
func (s *Shop) Platform() backend.Platform { return backend.Fecshop }

// loc is the shop's zone: Fecshop's server reads date filters in it.
func (s *Shop) loc() *time.Location { return s.cfg.Loc() }
