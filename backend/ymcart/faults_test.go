package ymcart

import (
	"context"
	"errors"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"orderdesk/backend"
	"orderdesk/backend/simshop"
)

func remark(text string) backend.Action {
	return backend.Action{Kind: backend.ActionRemark, Remark: text}
}

func TestFaultRateLimitedReadWaits(t *testing.T) {
	t.Parallel()
	srv, s := startSim(t)
	srv.Inject(simshop.Fault{Kind: simshop.FaultTooMany, On: simshop.Reads, RetryAfter: 2 * time.Second})
	start := time.Now()
	o, err := s.Get(context.Background(), srv.Orders()[0].Number)
	if err != nil || o == nil {
		t.Fatal(seen(err))
	}
	if d := time.Since(start); d < 2*time.Second {
		t.Errorf("retried after %v, before the 2 s the shop asked for", d)
	}
	reqs := srv.Requests()
	if len(reqs) != 2 || reqs[0].Status != http.StatusTooManyRequests || reqs[1].Status != http.StatusOK {
		t.Errorf("requests: %d", len(reqs))
	}
}

func TestFault5xxReadRetried(t *testing.T) {
	t.Parallel()
	srv, s := startSim(t)
	srv.Inject(simshop.Fault{Kind: simshop.FaultStatus, On: simshop.Reads, Status: http.StatusServiceUnavailable})
	if _, err := s.List(context.Background(), backend.ListQuery{}); err != nil {
		t.Fatal(seen(err))
	}
	if reqs := srv.Requests(); len(reqs) != 2 || reqs[0].Status != 503 {
		t.Errorf("%d requests, want the 503 and its retry", len(reqs))
	}
}

func TestFault5xxWriteNotRetried(t *testing.T) {
	t.Parallel()
	srv, s := startSim(t)
	o := pick(t, srv, "200")
	srv.Inject(simshop.Fault{Kind: simshop.FaultStatus, On: simshop.Writes, Status: http.StatusInternalServerError})
	_, err := s.Apply(context.Background(), o, remark("after 500"))
	if !errors.Is(seen(err), backend.ErrOutcomeUnknown) || !strings.Contains(err.Error(), "internal_server_error") {
		t.Errorf("got %v, want ErrOutcomeUnknown with the shop's message", err)
	}
	if n := len(srv.Writes()); n != 1 {
		t.Errorf("%d writes sent, want exactly 1", n)
	}
}

func TestFaultRateLimitedWrite(t *testing.T) {
	t.Parallel()
	srv, s := startSim(t)
	o := pick(t, srv, "200")
	srv.Inject(simshop.Fault{Kind: simshop.FaultTooMany, On: simshop.Writes, RetryAfter: time.Second})
	_, err := s.Apply(context.Background(), o, remark("limited"))
	var be *backend.Error
	if !errors.Is(seen(err), backend.ErrRateLimited) || !errors.As(err, &be) || be.RetryAfter != time.Second {
		t.Errorf("got %v, want ErrRateLimited after 1s", err)
	}
	if len(srv.Writes()) != 1 || srv.Applied(o.Number) != 0 {
		t.Error("a rate-limited write was retried or applied")
	}
}

func TestFaultTruncated(t *testing.T) {
	t.Parallel()
	srv, s := startSim(t)
	srv.Inject(simshop.Fault{Kind: simshop.FaultTruncated, On: simshop.Reads})
	_, err := s.List(context.Background(), backend.ListQuery{})
	if !errors.Is(seen(err), backend.ErrBadResponse) || !strings.HasPrefix(err.Error(), "ym: list page 1:") {
		t.Errorf("got %v, want ErrBadResponse naming the shop", err)
	}
	// On a write the change may have been made: outcome unknown.
	o := pick(t, srv, "200")
	srv.Inject(simshop.Fault{Kind: simshop.FaultTruncated, On: simshop.Writes})
	_, err = s.Apply(context.Background(), o, remark("cut"))
	if !errors.Is(seen(err), backend.ErrOutcomeUnknown) || srv.Applied(o.Number) != 1 {
		t.Errorf("truncated write: %v, applied %d", err, srv.Applied(o.Number))
	}
}

func TestFaultMalformed(t *testing.T) {
	t.Parallel()
	srv, s := startSim(t)
	srv.Inject(simshop.Fault{Kind: simshop.FaultMalformed, On: simshop.Reads})
	_, err := s.Get(context.Background(), srv.Orders()[0].Number)
	var be *backend.Error
	if !errors.Is(seen(err), backend.ErrBadResponse) || !errors.As(err, &be) || be.Field != "body" {
		t.Errorf("got %v, want ErrBadResponse on the body", err)
	}
}

func TestFaultDropAfterApply(t *testing.T) {
	t.Parallel()
	srv, s := startSim(t)
	o := pick(t, srv, "100")
	srv.Inject(simshop.Fault{Kind: simshop.FaultDropAfterApply, On: simshop.Writes})
	_, err := s.Apply(context.Background(), o, backend.Action{Kind: backend.ActionStatus, Status: "600"})
	if !errors.Is(seen(err), backend.ErrOutcomeUnknown) {
		t.Errorf("got %v, want ErrOutcomeUnknown", err)
	}
	if n, w := srv.Applied(o.Number), len(srv.Writes()); n != 1 || w != 1 {
		t.Errorf("applied %d, %d writes; want 1 and 1", n, w)
	}
}

func TestFaultOffline(t *testing.T) {
	t.Parallel()
	srv, s := startSim(t)
	o := pick(t, srv, "200")
	if err := srv.SetOffline(true); err != nil {
		t.Fatal(err)
	}
	_, err := s.Apply(context.Background(), o, remark("offline"))
	if !errors.Is(seen(err), backend.ErrUnavailable) {
		t.Errorf("write: %v, want ErrUnavailable", err)
	}
	ctx, cancel := context.WithTimeout(context.Background(), 300*time.Millisecond)
	defer cancel()
	if _, err := s.Get(ctx, o.Number); !errors.Is(seen(err), backend.ErrUnavailable) {
		t.Errorf("read: %v, want ErrUnavailable", err)
	}
	if err := srv.SetOffline(false); err != nil {
		t.Fatal(err)
	}
	if srv.Applied(o.Number) != 0 {
		t.Error("applied while offline")
	}
}

// A shop that echoes the token in its error answers: every error keeps it
// out, in both the HTTP-200 envelope and a 5xx body.
func TestSecretEchoRedacted(t *testing.T) {
	t.Parallel()
	const token = "echo-secret-token-5150"
	remember(token)
	hs := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		_ = r.ParseForm()
		if strings.Contains(r.URL.Path, "orderRemark") {
			w.WriteHeader(http.StatusBadGateway)
		}
		_, _ = w.Write([]byte(`{"code":1,"msg":"token ` + r.PostForm.Get("token") + ` not allowed"}`))
	}))
	defer hs.Close()
	s := newShop(t, backend.ShopConfig{Name: "ym", URL: hs.URL, Token: backend.NewSecret(token)})
	_, err := s.List(context.Background(), backend.ListQuery{})
	if !errors.Is(seen(err), backend.ErrRejected) || strings.Contains(err.Error(), token) || !strings.Contains(err.Error(), "[REDACTED]") {
		t.Errorf("read: %v", err)
	}
	_, err = s.Apply(context.Background(), seedOrder("SY1", "200"), remark("x"))
	if !errors.Is(seen(err), backend.ErrOutcomeUnknown) || strings.Contains(err.Error(), token) || !strings.Contains(err.Error(), "[REDACTED]") {
		t.Errorf("write: %v", err)
	}
}
