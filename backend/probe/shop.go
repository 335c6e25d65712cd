package probe

import (
	"context"
	"crypto/tls"
	"crypto/x509"
	"net/http"
	"net/url"
	"sync"
	"time"

	"orderdesk/backend"
	"orderdesk/backend/platforms"
)

// Defaults of Options.
const (
	DefaultTimeout  = 10 * time.Second
	DefaultMaxSkew  = 2 * time.Minute
	DefaultCertWarn = 14 * 24 * time.Hour
)

// Options adjust Shop. The zero value is ready to use.
type Options struct {
	// Timeout bounds the whole probe of one shop; 0 = DefaultTimeout.
	Timeout time.Duration
	// Now is this machine's clock, for the clock skew and the
	// certificate's expiry; nil = time.Now.
	Now func() time.Time
	// RootCAs verify https shops; nil = the system's roots.
	RootCAs *x509.CertPool
	// MaxSkew is the clock difference from the shop's that is a warning;
	// 0 = DefaultMaxSkew.
	MaxSkew time.Duration
	// CertWarn: a certificate expiring sooner is a warning; 0 =
	// DefaultCertWarn.
	CertWarn time.Duration
	// Proxy picks the proxy of a request, as http.Transport.Proxy; nil =
	// http.ProxyFromEnvironment (HTTPS_PROXY, HTTP_PROXY, NO_PROXY), as
	// the desk's own requests do.
	Proxy func(*http.Request) (*url.URL, error)
}

func (o Options) withDefaults() Options {
	if o.Timeout <= 0 {
		o.Timeout = DefaultTimeout
	}
	if o.Now == nil {
		o.Now = time.Now
	}
	if o.MaxSkew <= 0 {
		o.MaxSkew = DefaultMaxSkew
	}
	if o.CertWarn <= 0 {
		o.CertWarn = DefaultCertWarn
	}
	if o.Proxy == nil {
		o.Proxy = http.ProxyFromEnvironment
	}
	return o
}

// Target is one shop to probe.
type Target struct {
	// Config is what its adapter needs, secrets resolved. When SecretErr
	// is set, only Name, Platform and URL are used.
	Config backend.ShopConfig
	// SecretSource says where its password or token comes from, in words
	// and never the value ("token_env SL_TOKEN (line 14)"); "" to leave it
	// out.
	SecretSource string
	// SecretErr is why the secret could not be obtained: the network is
	// checked, the shop's API is not.
	SecretErr error
}

// Shop probes one shop and reports every check, in order. It sends no
// write; it returns within opt.Timeout (and ctx).
func Shop(ctx context.Context, t Target, opt Options) Report {
	opt = opt.withDefaults()
	ctx, cancel := context.WithTimeout(ctx, opt.Timeout)
	defer cancel()
	cfg := t.Config
	r := Report{Shop: cfg.Name, Platform: string(cfg.Platform), URL: cfg.URL}
	add := func(c ...Check) { r.Checks = append(r.Checks, c...) }

	secretOK := t.SecretErr == nil
	switch {
	case !secretOK:
		// The error names the config line and says what to do.
		add(check(IDSecret, Fail, "the "+secretWord(cfg.Platform)+" could not be obtained: "+t.SecretErr.Error(), ""))
	case t.SecretSource != "":
		add(check(IDSecret, OK, secretWord(cfg.Platform)+" from "+t.SecretSource, ""))
	}
	e, err := parseEndpoint(cfg.URL)
	if err != nil {
		add(check(IDDNS, Fail, "the shop's url cannot be used: "+err.Error(), "give its address, like https://shop.example.com"))
		return r
	}
	rest := func(why string, ids ...string) {
		for _, id := range ids {
			add(skipped(id, why))
		}
	}
	apiIDs := apiCheckIDs(cfg.Platform)
	// Through a proxy, the proxy is what this machine resolves and
	// connects to; the shop's certificate is then checked by the list
	// call, which goes through it as the desk's calls do.
	hop := proxyFor(e, opt.Proxy)
	dns, _ := lookup(ctx, hop)
	add(dns)
	if dns.Status == Fail {
		rest("the name does not resolve", append([]string{IDTCP, IDTLS}, apiIDs...)...)
		return r
	}
	tcp := connect(ctx, hop)
	add(tcp)
	if tcp.Status == Fail {
		rest("no connection", append([]string{IDTLS}, apiIDs...)...)
		return r
	}
	var tlsCheck Check
	if hop.proxy {
		tlsCheck = check(IDTLS, Skipped, "not checked here: the requests go through the proxy; the list call checks the certificate", "")
	} else {
		tlsCheck = handshake(ctx, e, opt.RootCAs, opt.Now(), opt.CertWarn)
	}
	add(tlsCheck)
	if tlsCheck.Status == Fail {
		rest("the TLS check failed", apiIDs...)
		return r
	}
	rec := &recorder{next: baseTransport(opt.RootCAs, opt.Proxy), now: opt.Now}
	if !secretOK {
		rest("no "+secretWord(cfg.Platform), apiIDs[:len(apiIDs)-3]...)
		caps, rate := offline(cfg)
		add(writesCheck(caps), rateCheck(nil, rate), clockCheck(ctx, rec, e, opt.MaxSkew))
		return r
	}
	add(apiChecks(ctx, cfg, rec, e, opt)...)
	return r
}

// apiCheckIDs are the checks made through the shop's API, in order; the
// last three (writes, rate limit, clock) need no credentials.
func apiCheckIDs(p backend.Platform) []string {
	ids := []string{IDAuth}
	if p == backend.Shopline {
		ids = append(ids, IDVersion)
	}
	return append(ids, IDRead, IDWrites, IDRateLimit, IDClock)
}

func secretWord(p backend.Platform) string {
	if p == backend.Fecshop {
		return "password"
	}
	return "token"
}

func parseEndpoint(raw string) (endpoint, error) {
	u, err := url.Parse(raw)
	if err != nil {
		return endpoint{}, err
	}
	if u.Scheme != "http" && u.Scheme != "https" || u.Hostname() == "" {
		return endpoint{}, errNotHTTP
	}
	e := endpoint{url: u.Scheme + "://" + u.Host + u.Path, scheme: u.Scheme, host: u.Hostname(), port: u.Port()}
	if e.port == "" {
		e.port = map[string]string{"http": "80", "https": "443"}[u.Scheme]
	}
	return e, nil
}

// proxyFor returns the proxy the shop's requests go through, or e when
// they go straight to the shop. A proxy's address is shown without the
// credentials it may carry.
func proxyFor(e endpoint, proxy func(*http.Request) (*url.URL, error)) endpoint {
	req, err := http.NewRequest(http.MethodGet, e.url, nil)
	if err != nil {
		return e
	}
	u, err := proxy(req)
	if err != nil || u == nil || u.Hostname() == "" {
		return e
	}
	p := endpoint{url: u.Scheme + "://" + u.Host, scheme: u.Scheme, host: u.Hostname(), port: u.Port(), proxy: true}
	if p.port == "" {
		p.port = map[string]string{"http": "80", "https": "443", "socks5": "1080"}[u.Scheme]
	}
	return p
}

type probeError string

func (e probeError) Error() string { return string(e) }

const errNotHTTP = probeError("not an http:// or https:// address with a host")

// baseTransport is the adapters' transport for the probe: the default
// one, with the probe's roots and proxy.
func baseTransport(roots *x509.CertPool, proxy func(*http.Request) (*url.URL, error)) http.RoundTripper {
	t := http.DefaultTransport.(*http.Transport).Clone()
	t.Proxy = proxy
	if roots != nil {
		t.TLSClientConfig = &tls.Config{RootCAs: roots}
	}
	return t
}

// exchange is what the probe keeps of one answer: its status and a few
// named headers, never a body nor any other header.
type exchange struct {
	method, path string
	status       int
	date         string
	sent, got    time.Time
	rateLimit    [3]string // X-Rate-Limit-Limit, -Remaining, -Reset
}

// recorder is the adapter's transport during a probe: it keeps an
// exchange per answer.
type recorder struct {
	next http.RoundTripper
	now  func() time.Time

	mu  sync.Mutex
	log []exchange
}

func (r *recorder) RoundTrip(req *http.Request) (*http.Response, error) {
	sent := r.now()
	res, err := r.next.RoundTrip(req)
	if err != nil {
		return res, err
	}
	x := exchange{method: req.Method, path: req.URL.Path, status: res.StatusCode, date: res.Header.Get("Date"), sent: sent, got: r.now()}
	for i, h := range []string{"X-Rate-Limit-Limit", "X-Rate-Limit-Remaining", "X-Rate-Limit-Reset"} {
		x.rateLimit[i] = res.Header.Get(h)
	}
	r.mu.Lock()
	r.log = append(r.log, x)
	r.mu.Unlock()
	return res, nil
}

func (r *recorder) seen() []exchange {
	r.mu.Lock()
	defer r.mu.Unlock()
	return append([]exchange(nil), r.log...)
}

// head asks the shop's address for its Date header alone (a HEAD, no
// credentials), when the API sent nothing back.
func (r *recorder) head(ctx context.Context, e endpoint) {
	req, err := http.NewRequestWithContext(ctx, http.MethodHead, e.url, nil)
	if err != nil {
		return
	}
	req.Header.Set("User-Agent", "orderdesk")
	c := http.Client{Transport: r, CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}
	if res, err := c.Do(req); err == nil {
		_ = res.Body.Close()
	}
}

// open builds the adapter for the probe: its requests go through rec and
// its calls end with the probe's time left.
func open(ctx context.Context, cfg backend.ShopConfig, rec *recorder) (backend.Shop, error) {
	cfg.Transport = rec
	if dl, ok := ctx.Deadline(); ok {
		left := time.Until(dl)
		cfg.CallLimit, cfg.Timeout = left, left
	}
	return platforms.Open(cfg)
}

// offline is what the shop's adapter knows without I/O (its capabilities
// and pace), for a shop whose secret could not be obtained: the adapter is
// built with a stand-in secret that is never sent.
func offline(cfg backend.ShopConfig) (*backend.Capabilities, float64) {
	cfg.Password, cfg.Token = backend.NewSecret("stand-in, never sent"), backend.NewSecret("stand-in, never sent")
	shop, err := platforms.Open(cfg)
	if err != nil {
		return nil, 0
	}
	caps := shop.Capabilities()
	return &caps, backend.RequestRate(shop)
}
