package probe

import (
	"context"
	"crypto/x509"
	"encoding/base64"
	"encoding/json"
	"errors"
	"io"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strconv"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"orderdesk/backend"
	"orderdesk/backend/platforms"
	"orderdesk/backend/simshop"
)

func newShop(t *testing.T, p backend.Platform) *simshop.Server {
	t.Helper()
	srv, err := simshop.New(p, simshop.Options{Seed: 7, Orders: 12})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(srv.Close)
	return srv
}

func byID(t *testing.T, r Report, id string) Check {
	t.Helper()
	for _, c := range r.Checks {
		if c.ID == id {
			return c
		}
	}
	t.Fatalf("%s: no %s check in %+v", r.Shop, id, r.Checks)
	return Check{}
}

// noLeak fails when the report, as printed or as JSON, holds any secret.
func noLeak(t *testing.T, r Report, secrets ...string) {
	t.Helper()
	b, err := json.Marshal(r)
	if err != nil {
		t.Fatal(err)
	}
	text := string(b)
	for _, c := range r.Checks {
		text += "\n" + c.Message()
	}
	for _, s := range secrets {
		if s != "" && strings.Contains(text, s) {
			t.Errorf("%s: a secret (%.6s…) appears in the report:\n%s", r.Shop, s, text)
		}
	}
}

// onlyReads fails when the shop received a write.
func onlyReads(t *testing.T, srv *simshop.Server) {
	t.Helper()
	if w := srv.Writes(); len(w) > 0 {
		t.Errorf("%s received %d writes, first %s %s", srv.Platform, len(w), w[0].Method, w[0].Path)
	}
	if len(srv.Requests()) == 0 {
		t.Errorf("%s received no request at all", srv.Platform)
	}
}

func TestShopHealthyOnEveryPlatform(t *testing.T) {
	for _, p := range platforms.Names() {
		t.Run(string(p), func(t *testing.T) {
			srv := newShop(t, p)
			r := Shop(context.Background(), Target{Config: srv.Config("s"), SecretSource: "token_env S_TOKEN (line 4)"}, Options{})
			if r.Status() != OK {
				t.Fatalf("status %s, want ok: %+v", r.Status(), r.Checks)
			}
			want := []string{IDSecret, IDDNS, IDTCP, IDTLS, IDAuth, IDRead, IDWrites, IDRateLimit, IDClock}
			if p == backend.Shopline {
				want = append(want[:5], append([]string{IDVersion}, want[5:]...)...)
			}
			for i, id := range want {
				if i >= len(r.Checks) || r.Checks[i].ID != id {
					t.Fatalf("checks %+v, want ids %v first", r.Checks, want)
				}
			}
			if c := byID(t, r, IDTLS); !strings.Contains(c.Detail, "plain http to this machine") {
				t.Errorf("tls: %q", c.Detail)
			}
			if c := byID(t, r, IDClock); !strings.Contains(c.Detail, "agree") {
				t.Errorf("clock: %q", c.Detail)
			}
			if c := byID(t, r, IDRateLimit); !strings.Contains(c.Detail, "requests a second") {
				t.Errorf("rate limit: %q", c.Detail)
			}
			writes := byID(t, r, IDWrites).Detail
			if p == backend.Fecmall {
				if !strings.HasPrefix(writes, "none") {
					t.Errorf("fecmall writes: %q", writes)
				}
			} else if !strings.Contains(writes, "status (") || !strings.Contains(writes, "ship") {
				t.Errorf("writes: %q", writes)
			}
			if p == backend.Shopline || p == backend.Fecshop {
				if c := byID(t, r, IDOrders); c.Detail != "12, as the shop's list reports" {
					t.Errorf("orders: %q", c.Detail)
				}
			}
			onlyReads(t, srv)
			noLeak(t, r, srv.Secrets()...)
		})
	}
}

func TestShopWrongShoplineToken(t *testing.T) {
	srv := newShop(t, backend.Shopline)
	cfg := srv.Config("sl")
	wrong := "wrong-token-5d1e0c9b7a"
	cfg.Token = backend.NewSecret(wrong)
	r := Shop(context.Background(), Target{Config: cfg}, Options{})
	auth := byID(t, r, IDAuth)
	if auth.Status != Fail || auth.Message() != "SHOPLINE answered 401: the token is wrong or expired — create a new one in the admin's Apps > Develop apps" {
		t.Errorf("auth: %s %q", auth.Status, auth.Message())
	}
	for _, id := range []string{IDVersion, IDRead} {
		if c := byID(t, r, id); c.Status != Skipped {
			t.Errorf("%s: %s %q, want skipped", id, c.Status, c.Detail)
		}
	}
	if cause, _ := Cause(r.Checks); cause.ID != IDAuth {
		t.Errorf("cause %+v, want the auth check", cause)
	}
	onlyReads(t, srv)
	noLeak(t, r, append(srv.Secrets(), wrong)...)
}

func TestShopWrongFecshopPassword(t *testing.T) {
	srv := newShop(t, backend.Fecshop)
	cfg := srv.Config("eu")
	wrong := "not-the-password-42"
	cfg.Password = backend.NewSecret(wrong)
	r := Shop(context.Background(), Target{Config: cfg}, Options{})
	auth := byID(t, r, IDAuth)
	if auth.Status != Fail || !strings.HasPrefix(auth.Detail, `Fecshop refused the login of "desk"`) || !strings.Contains(auth.Hint, "username and the password") {
		t.Errorf("auth: %s %q", auth.Status, auth.Message())
	}
	onlyReads(t, srv)
	noLeak(t, r, append(srv.Secrets(), wrong)...)
}

func TestShopOffline(t *testing.T) {
	srv := newShop(t, backend.YMCart)
	// One request first: the server is then serving for sure, and going
	// offline closes its socket before SetOffline returns.
	if res, err := http.Get(srv.URL()); err == nil {
		res.Body.Close()
	}
	if err := srv.SetOffline(true); err != nil {
		t.Fatal(err)
	}
	r := Shop(context.Background(), Target{Config: srv.Config("ym")}, Options{})
	tcp := byID(t, r, IDTCP)
	if want := "connection refused at " + srv.URL() + " — is the URL right, is the shop up?"; tcp.Status != Fail || tcp.Message() != want {
		t.Errorf("tcp: %s %q, want %q", tcp.Status, tcp.Message(), want)
	}
	for _, id := range []string{IDTLS, IDAuth, IDRead, IDWrites, IDRateLimit, IDClock} {
		if c := byID(t, r, id); c.Status != Skipped || c.Detail != "not tried: no connection" {
			t.Errorf("%s: %s %q", id, c.Status, c.Detail)
		}
	}
	if cause, ok := Cause(r.Checks); !ok || cause.ID != IDTCP {
		t.Errorf("cause %+v", cause)
	}
}

func TestShopUnservedShoplineVersion(t *testing.T) {
	srv := newShop(t, backend.Shopline)
	cfg := srv.Config("sl")
	cfg.APIVersion = "v20200101"
	r := Shop(context.Background(), Target{Config: cfg}, Options{})
	v := byID(t, r, IDVersion)
	if v.Status != Fail || !strings.Contains(v.Detail, "does not serve api_version v20200101") {
		t.Errorf("version: %s %q", v.Status, v.Message())
	}
	if c := byID(t, r, IDRead); c.Status != Skipped {
		t.Errorf("read: %s %q", c.Status, c.Detail)
	}
	onlyReads(t, srv)
}

func TestShopClockSkewIsAWarning(t *testing.T) {
	srv := newShop(t, backend.Fecmall)
	fast := func() time.Time { return time.Now().Add(10 * time.Minute) }
	r := Shop(context.Background(), Target{Config: srv.Config("cn")}, Options{Now: fast})
	c := byID(t, r, IDClock)
	if c.Status != Warn || c.Detail != "this machine's clock is 10 min ahead of the shop's" {
		t.Errorf("clock: %s %q", c.Status, c.Message())
	}
	if r.Status() != Warn {
		t.Errorf("status %s, want warn", r.Status())
	}
}

func TestShopWithoutSecretChecksTheNetworkOnly(t *testing.T) {
	srv := newShop(t, backend.Shopline)
	cfg := srv.Config("sl")
	cfg.Token = backend.Secret{}
	r := Shop(context.Background(), Target{Config: cfg, SecretErr: errors.New("config.toml:9: shops[3].token_env: environment variable SL_TOKEN is not set")}, Options{})
	if c := byID(t, r, IDSecret); c.Status != Fail || !strings.Contains(c.Detail, "SL_TOKEN is not set") {
		t.Errorf("secret: %s %q", c.Status, c.Detail)
	}
	for _, id := range []string{IDAuth, IDVersion, IDRead} {
		if c := byID(t, r, id); c.Status != Skipped {
			t.Errorf("%s: %s", id, c.Status)
		}
	}
	for _, id := range []string{IDTCP, IDWrites, IDClock} {
		if c := byID(t, r, id); c.Status != OK {
			t.Errorf("%s: %s %q", id, c.Status, c.Detail)
		}
	}
	for _, req := range srv.Requests() {
		if req.Method != http.MethodHead || req.Header.Get("Authorization") != "" {
			t.Errorf("without a token the probe sent %s %s (Authorization %q)", req.Method, req.Path, req.Header.Get("Authorization"))
		}
	}
}

// A shop that takes the request and never answers is given up on at the
// probe's limit, with a read failure, not a hang.
func TestShopThatNeverAnswers(t *testing.T) {
	srv := newShop(t, backend.YMCart)
	srv.Inject(simshop.Fault{Kind: simshop.FaultHang, On: simshop.Reads, Times: 100})
	r := Shop(context.Background(), Target{Config: srv.Config("ym")}, Options{Timeout: 1500 * time.Millisecond})
	if c := byID(t, r, IDRead); c.Status != Fail || !strings.Contains(c.Detail, "no answer in time") {
		t.Errorf("read: %s %q", c.Status, c.Message())
	}
	onlyReads(t, srv)
}

func TestHandshake(t *testing.T) {
	ts := httptest.NewTLSServer(http.NotFoundHandler())
	defer ts.Close()
	u, _ := url.Parse(ts.URL)
	e := endpoint{url: ts.URL, scheme: "https", host: u.Hostname(), port: u.Port()}
	roots := x509.NewCertPool()
	roots.AddCert(ts.Certificate())
	now := time.Now()
	ctx := context.Background()

	if c := handshake(ctx, e, roots, now, DefaultCertWarn); c.Status != OK || !strings.Contains(c.Detail, "certificate valid until") {
		t.Errorf("trusted: %s %q", c.Status, c.Message())
	}
	if c := handshake(ctx, e, nil, now, DefaultCertWarn); c.Status != Fail || !strings.Contains(c.Detail, "not signed by an authority") {
		t.Errorf("untrusted: %s %q", c.Status, c.Message())
	}
	late := ts.Certificate().NotAfter.Add(24 * time.Hour)
	if c := handshake(ctx, e, roots, late, DefaultCertWarn); c.Status != Fail || !strings.Contains(c.Detail, "expired on") {
		t.Errorf("expired: %s %q", c.Status, c.Message())
	}
	soon := ts.Certificate().NotAfter.Add(-5 * 24 * time.Hour)
	if c := handshake(ctx, e, roots, soon, DefaultCertWarn); c.Status != Warn || !strings.Contains(c.Detail, "(5 days left)") {
		t.Errorf("expiring: %s %q", c.Status, c.Message())
	}
	other := e
	other.host = "localhost"
	if c := handshake(ctx, other, roots, now, DefaultCertWarn); c.Status != Fail || !strings.Contains(c.Detail, "not localhost") {
		t.Errorf("other name: %s %q", c.Status, c.Message())
	}
	plain := endpoint{url: "http://192.0.2.7", scheme: "http", host: "192.0.2.7", port: "80"}
	if c := handshake(ctx, plain, nil, now, DefaultCertWarn); c.Status != Warn || !strings.Contains(c.Detail, "clear text") {
		t.Errorf("plain http elsewhere: %s %q", c.Status, c.Message())
	}
}

func TestRateCheck(t *testing.T) {
	yii := []exchange{{status: 200, rateLimit: [3]string{"120", "117", "2"}}}
	if c := rateCheck(yii, 2); c.Status != OK || c.Detail != "the shop allows 120 requests a window, 117 left, all back in 2 s; the desk sends at most 2 requests a second" {
		t.Errorf("yii headers: %s %q", c.Status, c.Detail)
	}
	if c := rateCheck([]exchange{{status: 200}}, 4); c.Detail != "the shop's answers report none; the desk sends at most 4 requests a second" {
		t.Errorf("none: %q", c.Detail)
	}
	if c := rateCheck([]exchange{{status: 429}, {status: 200}}, 4); c.Status != Warn {
		t.Errorf("429: %s %q", c.Status, c.Detail)
	}
}

// forwardProxy is a plain-http forward proxy that counts the requests it
// carries.
func forwardProxy(t *testing.T, carried *atomic.Int64) *httptest.Server {
	t.Helper()
	ps := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		carried.Add(1)
		out := r.Clone(r.Context())
		out.RequestURI = ""
		res, err := http.DefaultTransport.RoundTrip(out)
		if err != nil {
			http.Error(w, err.Error(), http.StatusBadGateway)
			return
		}
		defer res.Body.Close()
		for k, vs := range res.Header {
			w.Header()[k] = vs
		}
		w.WriteHeader(res.StatusCode)
		_, _ = io.Copy(w, res.Body)
	}))
	t.Cleanup(ps.Close)
	return ps
}

// With a proxy, the proxy is what is resolved and connected to, and the
// shop is read through it, as the desk's requests are.
func TestShopThroughAProxy(t *testing.T) {
	srv := newShop(t, backend.Shopline)
	var carried atomic.Int64
	ps := forwardProxy(t, &carried)
	pu, _ := url.Parse(ps.URL)
	r := Shop(context.Background(), Target{Config: srv.Config("sl")}, Options{Proxy: http.ProxyURL(pu)})
	if r.Status() != OK {
		t.Fatalf("status %s: %+v", r.Status(), r.Checks)
	}
	if c := byID(t, r, IDTCP); !strings.HasPrefix(c.Detail, "connected to the proxy "+ps.URL) {
		t.Errorf("tcp: %q", c.Detail)
	}
	if carried.Load() == 0 {
		t.Error("the list call did not go through the proxy")
	}

	ps.Close()
	r = Shop(context.Background(), Target{Config: srv.Config("sl")}, Options{Proxy: http.ProxyURL(pu)})
	if c := byID(t, r, IDTCP); c.Status != Fail || !strings.HasPrefix(c.Detail, "the proxy: connection refused at "+ps.URL) || !strings.Contains(c.Hint, "HTTPS_PROXY") {
		t.Errorf("dead proxy: %s %q", c.Status, c.Message())
	}
}

func jwt(exp time.Time) string {
	enc := base64.RawURLEncoding.EncodeToString
	return enc([]byte(`{"alg":"HS256","typ":"JWT"}`)) + "." +
		enc([]byte(`{"appKey":"k","storeId":"1","exp":`+strconv.FormatInt(exp.Unix(), 10)+`}`)) + "." +
		enc([]byte("signature-of-thirty-two-bytes!!!"))
}

// A SHOPLINE token is a JWT: its expiry is shown, and is a warning when
// near; only the date is printed.
func TestShoplineTokenExpiry(t *testing.T) {
	for _, tc := range []struct {
		exp    time.Duration
		status Status
		want   string
	}{
		{400 * 24 * time.Hour, OK, "the token is accepted; it expires on "},
		{5*24*time.Hour + time.Hour, Warn, "(5 days left)"},
	} {
		exp := time.Now().Add(tc.exp)
		token := jwt(exp)
		srv, err := simshop.New(backend.Shopline, simshop.Options{Seed: 7, Orders: 3, Token: token})
		if err != nil {
			t.Fatal(err)
		}
		defer srv.Close()
		r := Shop(context.Background(), Target{Config: srv.Config("sl")}, Options{})
		c := byID(t, r, IDAuth)
		if c.Status != tc.status || !strings.Contains(c.Detail, tc.want) || !strings.Contains(c.Detail, exp.UTC().Format("2006-01-02")) {
			t.Errorf("exp in %s: %s %q", tc.exp, c.Status, c.Message())
		}
		noLeak(t, r, append(srv.Secrets(), strings.Split(token, ".")[1])...)
	}
	// A refused token that says it expired gets the date.
	srv := newShop(t, backend.Shopline)
	cfg := srv.Config("sl")
	old := time.Now().Add(-48 * time.Hour)
	cfg.Token = backend.NewSecret(jwt(old))
	r := Shop(context.Background(), Target{Config: cfg}, Options{})
	if c := byID(t, r, IDAuth); c.Status != Fail || !strings.HasSuffix(c.Detail, "(it expired on "+old.UTC().Format("2006-01-02")+")") {
		t.Errorf("expired: %s %q", c.Status, c.Message())
	}
}

// A skew is told in the unit it is shown in, rounded: the Date header's
// whole seconds make a 10-minute skew read 9 min 59.4 s at times, which
// cut to minutes said "9 min" (a rehearsal of CI failed on it).
func TestSpanRoundsToItsUnit(t *testing.T) {
	for d, want := range map[time.Duration]string{
		3 * time.Second:                              "3 s",
		90*time.Second + 600*time.Millisecond:        "91 s",
		10*time.Minute - 600*time.Millisecond:        "10 min",
		10*time.Minute + 29*time.Second:              "10 min",
		10*time.Minute + 31*time.Second:              "11 min",
		3*time.Hour - 20*time.Second:                 "3 h 0 min",
		2*time.Hour + 5*time.Minute + 40*time.Second: "2 h 6 min",
	} {
		if got := span(d); got != want {
			t.Errorf("span(%v) = %q, want %q", d, got, want)
		}
	}
}
