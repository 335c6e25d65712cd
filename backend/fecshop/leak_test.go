package fecshop

import (
	"context"
	"fmt"
	"io"
	"net/http"
	"strings"
	"testing"

	"orderdesk/backend"
	"orderdesk/backend/simshop"
)

// afterLogin runs fn after every login answer has been received.
type afterLogin struct{ fn func() }

func (a afterLogin) RoundTrip(r *http.Request) (*http.Response, error) {
	resp, err := http.DefaultTransport.RoundTrip(r)
	if err == nil && r.URL.Path == "/v1/account/login" {
		a.fn()
	}
	return resp, err
}

// echoSecrets stands for a misbehaving shop or proxy that echoes the
// credentials it received into its error messages.
type echoSecrets struct{ password string }

func (e echoSecrets) RoundTrip(r *http.Request) (*http.Response, error) {
	answer := func(status int, body string) (*http.Response, error) {
		return &http.Response{StatusCode: status, Header: http.Header{"Content-Type": {"application/json"}},
			Body: io.NopCloser(strings.NewReader(body)), ContentLength: int64(len(body)), Request: r}, nil
	}
	switch {
	case r.URL.Path == "/v1/order/updateorderstatus":
		tok := r.Header.Get("access-token")
		return answer(200, fmt.Sprintf(`{"code":400,"message":"token %s may not write","data":{"error":["[access-token] %s"]}}`, tok, tok))
	case r.URL.Path == "/v1/account/login" && e.password != "":
		return answer(400, fmt.Sprintf(`{"code":400,"message":"password %s refused"}`, e.password))
	}
	return http.DefaultTransport.RoundTrip(r)
}

// Errors that would carry the session token or the password carry
// [REDACTED] instead; TestMain then checks every collected error and log
// line against every secret of every simulated shop.
func TestSecretsAreRedactedFromErrors(t *testing.T) {
	t.Parallel()
	srv := startSim(t, simshop.Options{})
	s := newShop(t, srv, func(c *backend.ShopConfig) { c.Transport = echoSecrets{} })
	o := orderIn(t, srv, "processing")
	_, err := s.Apply(context.Background(), o, backend.Action{Kind: backend.ActionStatus, Status: "holded"})
	be := wantKind(t, err, backend.ErrRejected)
	if !strings.Contains(be.Reason, "[REDACTED] may not write") || strings.Contains(err.Error(), token(srv)) {
		t.Errorf("reason %q", be.Reason)
	}

	s = newShop(t, srv, func(c *backend.ShopConfig) { c.Transport = echoSecrets{password: srv.Opt.Password} })
	_, err = s.List(context.Background(), backend.ListQuery{})
	wantKind(t, err, backend.ErrRejected)
	if strings.Contains(err.Error(), srv.Opt.Password) || !strings.Contains(err.Error(), "password [REDACTED] refused") {
		t.Errorf("error %q", err)
	}
}

func TestNewValidatesConfig(t *testing.T) {
	t.Parallel()
	addSecret("hunter22")
	good := backend.ShopConfig{Name: "eu", Platform: backend.Fecshop, URL: "https://appapi.example.com", Username: "desk", Password: backend.NewSecret("pw-1234")}
	if _, err := New(good); err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		edit func(*backend.ShopConfig)
		want string
	}{
		{func(c *backend.ShopConfig) { c.Name = "" }, "shop name is required"},
		{func(c *backend.ShopConfig) { c.URL = "" }, "url is required"},
		{func(c *backend.ShopConfig) { c.URL = "appapi.example.com" }, "http:// or https://"},
		{func(c *backend.ShopConfig) { c.URL = "https://desk:hunter22@appapi.example.com" }, "must not carry credentials"},
		{func(c *backend.ShopConfig) { c.Username = "" }, "username is required"},
		{func(c *backend.ShopConfig) { c.Password = backend.Secret{} }, "password is required"},
		{func(c *backend.ShopConfig) { c.Platform = backend.YMCart }, "not fecshop"},
	}
	for _, tc := range tests {
		c := good
		tc.edit(&c)
		_, err := New(c)
		err = seen(err)
		if err == nil || !strings.Contains(err.Error(), tc.want) || strings.Contains(err.Error(), "hunter22") {
			t.Errorf("New(%+v) = %v, want %q", c, err, tc.want)
		}
	}
}
