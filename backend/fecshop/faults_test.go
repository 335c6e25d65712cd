package fecshop

import (
	"context"
	"errors"
	"strings"
	"sync"
	"testing"
	"time"

	"orderdesk/backend"
	"orderdesk/backend/simshop"
)

// loggedIn returns a shop that has logged in, with the record cleared.
func loggedIn(t *testing.T, opt simshop.Options) (*simshop.Server, *Shop) {
	t.Helper()
	srv := startSim(t, opt)
	s := newShop(t, srv)
	if _, err := s.Get(context.Background(), srv.Orders()[0].Number); err != nil {
		t.Fatal(seen(err))
	}
	srv.ResetRecord()
	return srv, s
}

func wantKind(t *testing.T, err, kind error) *backend.Error {
	t.Helper()
	var be *backend.Error
	if !errors.As(seen(err), &be) || !errors.Is(err, kind) {
		t.Fatalf("err = %v, want %v", err, kind)
	}
	return be
}

// The rate-limit answer is Fecshop's production-handler body
// {"code":429} on HTTP 200 with X-Rate-Limit-Reset: 2.
func TestRateLimitedReadWaitsThenSucceeds(t *testing.T) {
	t.Parallel()
	srv, s := loggedIn(t, simshop.Options{})
	srv.Inject(simshop.Fault{Kind: simshop.FaultTooMany, On: simshop.Reads, RetryAfter: 2 * time.Second})
	start := time.Now()
	if _, err := s.Get(context.Background(), srv.Orders()[3].Number); err != nil {
		t.Fatal(seen(err))
	}
	if d := time.Since(start); d < 2*time.Second {
		t.Errorf("waited %v, want >= 2s", d)
	}
	reqs := srv.Requests()
	if len(reqs) != 2 || reqs[0].Fault != "too many" || reqs[0].Status != 200 || reqs[1].Fault != "" {
		t.Errorf("requests %+v", reqs)
	}
}

func TestServerErrorOnReadIsRetried(t *testing.T) {
	t.Parallel()
	srv, s := loggedIn(t, simshop.Options{})
	srv.Inject(simshop.Fault{Kind: simshop.FaultStatus, Status: 503, On: simshop.Reads})
	if _, err := s.List(context.Background(), backend.ListQuery{}); err != nil {
		t.Fatal(seen(err))
	}
	if n := len(srv.Requests()); n != 2 {
		t.Errorf("%d requests, want the failed one and its retry", n)
	}
}

func TestServerErrorOnWriteIsNotRetried(t *testing.T) {
	t.Parallel()
	srv, s := loggedIn(t, simshop.Options{})
	o := orderIn(t, srv, "payment_confirmed")
	srv.Inject(simshop.Fault{Kind: simshop.FaultStatus, Status: 500, On: simshop.Writes})
	_, err := s.Apply(context.Background(), o, backend.Action{Kind: backend.ActionStatus, Status: "holded"})
	be := wantKind(t, err, backend.ErrOutcomeUnknown)
	if !strings.Contains(be.Reason, "500") {
		t.Errorf("reason %q does not carry the production handler's code", be.Reason)
	}
	if n := len(srv.Writes()); n != 1 || srv.Applied(o.Number) != 0 {
		t.Errorf("%d writes, applied %d; want exactly one, not applied", n, srv.Applied(o.Number))
	}
}

func TestTruncatedBodyIsBadResponse(t *testing.T) {
	t.Parallel()
	srv, s := loggedIn(t, simshop.Options{})
	srv.Inject(simshop.Fault{Kind: simshop.FaultTruncated, On: simshop.Reads})
	_, err := s.List(context.Background(), backend.ListQuery{})
	wantKind(t, err, backend.ErrBadResponse)
	if !strings.Contains(err.Error(), "eu-store") || !strings.Contains(err.Error(), "list page 1") {
		t.Errorf("error %q does not name the shop and the page", err)
	}
}

func TestMalformedBodyIsBadResponse(t *testing.T) {
	t.Parallel()
	srv, s := loggedIn(t, simshop.Options{})
	srv.Inject(simshop.Fault{Kind: simshop.FaultMalformed, On: simshop.Reads})
	_, err := s.Get(context.Background(), srv.Orders()[1].Number)
	if be := wantKind(t, err, backend.ErrBadResponse); be.Field != "body" {
		t.Errorf("field %q", be.Field)
	}
}

// A page with one order that cannot be read fails whole, naming the field.
func TestBadOrderFailsTheWholePage(t *testing.T) {
	t.Parallel()
	srv, s := loggedIn(t, simshop.Options{})
	srv.Mutate(srv.Orders()[7].Number, func(o *backend.Order) { o.Currency = "" })
	p, err := s.List(context.Background(), backend.ListQuery{Cursor: "2"})
	if be := wantKind(t, err, backend.ErrBadResponse); be.Field != "data[2].order_currency_code" {
		t.Errorf("field %q", be.Field)
	}
	if len(p.Orders) != 0 {
		t.Errorf("partial page of %d orders", len(p.Orders))
	}
}

func TestDropAfterApplyIsOutcomeUnknown(t *testing.T) {
	t.Parallel()
	srv, s := loggedIn(t, simshop.Options{})
	o := orderIn(t, srv, "processing")
	srv.Inject(simshop.Fault{Kind: simshop.FaultDropAfterApply, On: simshop.Writes})
	_, err := s.Apply(context.Background(), o, backend.Action{Kind: backend.ActionStatus, Status: "holded"})
	wantKind(t, err, backend.ErrOutcomeUnknown)
	if srv.Applied(o.Number) != 1 || len(srv.Writes()) != 1 {
		t.Errorf("applied %d, writes %d", srv.Applied(o.Number), len(srv.Writes()))
	}
}

func TestGarbledAnswerToWriteIsOutcomeUnknown(t *testing.T) {
	t.Parallel()
	srv, s := loggedIn(t, simshop.Options{})
	o := orderIn(t, srv, "processing")
	srv.Inject(simshop.Fault{Kind: simshop.FaultTruncated, On: simshop.Writes})
	_, err := s.Apply(context.Background(), o, backend.Action{Kind: backend.ActionStatus, Status: "holded"})
	wantKind(t, err, backend.ErrOutcomeUnknown)
	if srv.Applied(o.Number) != 1 || len(srv.Writes()) != 1 {
		t.Errorf("applied %d, writes %d", srv.Applied(o.Number), len(srv.Writes()))
	}
}

func TestOfflineIsUnavailable(t *testing.T) {
	t.Parallel()
	srv, s := loggedIn(t, simshop.Options{})
	o := orderIn(t, srv, "processing")
	if err := srv.SetOffline(true); err != nil {
		t.Fatal(err)
	}
	// Let the client notice its pooled connection was closed: a write sent
	// on a connection the server closes meanwhile is rightly "outcome
	// unknown", not "not sent".
	time.Sleep(100 * time.Millisecond)
	_, err := s.Apply(context.Background(), o, backend.Action{Kind: backend.ActionStatus, Status: "holded"})
	wantKind(t, err, backend.ErrUnavailable)
	ctx, cancel := context.WithTimeout(context.Background(), time.Second)
	defer cancel()
	_, err = s.Get(ctx, o.Number)
	wantKind(t, err, backend.ErrUnavailable)
	if err := srv.SetOffline(false); err != nil {
		t.Fatal(err)
	}
	if _, err := s.Get(context.Background(), o.Number); err != nil {
		t.Fatal(seen(err))
	}
	if srv.Applied(o.Number) != 0 {
		t.Error("the offline write was applied")
	}
}

// ExpireTokens then a read: exactly one re-login, then success.
func TestExpiredTokenLogsInOnce(t *testing.T) {
	t.Parallel()
	srv, s := loggedIn(t, simshop.Options{})
	old := token(srv)
	srv.ExpireTokens()
	if _, err := s.Get(context.Background(), srv.Orders()[2].Number); err != nil {
		t.Fatal(seen(err))
	}
	reqs := srv.Requests()
	if logins(srv) != 1 || len(reqs) != 3 {
		t.Fatalf("%d logins in %d requests, want 1 in 3 (timeout, login, retry)", logins(srv), len(reqs))
	}
	if reqs[0].Header.Get("access-token") != old || reqs[2].Header.Get("access-token") != token(srv) || token(srv) == old {
		t.Error("the retry did not use the new token")
	}
	assertLogin(t, reqs[1], srv)
}

// Concurrent requests meeting a timed-out token cause one login.
func TestConcurrentTimeoutsLogInOnce(t *testing.T) {
	t.Parallel()
	srv, s := loggedIn(t, simshop.Options{})
	srv.ExpireTokens()
	srv.SetLatency(30 * time.Millisecond)
	var wg sync.WaitGroup
	errs := make([]error, 6)
	for i := range errs {
		wg.Go(func() { _, errs[i] = s.Get(context.Background(), srv.Orders()[i].Number) })
	}
	wg.Wait()
	for _, err := range errs {
		if err != nil {
			t.Fatal(seen(err))
		}
	}
	if n := logins(srv); n != 1 {
		t.Errorf("%d logins, want 1", n)
	}
}

// A write rejected with "token is time out" was not applied; it is sent
// once more after logging in, and applied once.
func TestWriteAfterTokenTimeoutIsResentOnce(t *testing.T) {
	t.Parallel()
	srv, s := loggedIn(t, simshop.Options{})
	o := orderIn(t, srv, "payment_confirmed")
	srv.ExpireTokens()
	if _, err := s.Apply(context.Background(), o, backend.Action{Kind: backend.ActionStatus, Status: "processing"}); err != nil {
		t.Fatal(seen(err))
	}
	if w := srv.Writes(); len(w) != 2 || string(w[0].Body) != string(w[1].Body) || srv.Applied(o.Number) != 1 || logins(srv) != 1 {
		t.Errorf("writes %d, applied %d, logins %d", len(w), srv.Applied(o.Number), logins(srv))
	}
}

// A token that times out again right after the re-login is ErrAuth, after
// exactly one re-login.
func TestSecondTimeoutIsAuthError(t *testing.T) {
	t.Parallel()
	srv := startSim(t, simshop.Options{})
	s := newShop(t, srv, func(c *backend.ShopConfig) {
		c.Transport = afterLogin{srv.ExpireTokens}
	})
	_, err := s.Get(context.Background(), srv.Orders()[0].Number)
	wantKind(t, err, backend.ErrAuth)
	if n := logins(srv); n != 2 {
		t.Errorf("%d logins, want the first and one re-login", n)
	}
}

func TestWrongPasswordIsAuthError(t *testing.T) {
	t.Parallel()
	srv := startSim(t, simshop.Options{})
	s := newShop(t, srv, func(c *backend.ShopConfig) { c.Password = backend.NewSecret("not-the-password") })
	addSecret("not-the-password")
	_, err := s.List(context.Background(), backend.ListQuery{})
	be := wantKind(t, err, backend.ErrAuth)
	if !strings.Contains(be.Reason, "username or password") {
		t.Errorf("reason %q", be.Reason)
	}
	if n := len(srv.Requests()); n != 1 {
		t.Errorf("%d requests, want only the login", n)
	}
}
