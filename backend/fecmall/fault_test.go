package fecmall

import (
	"context"
	"strings"
	"testing"
	"time"

	"orderdesk/backend"
	"orderdesk/backend/simshop"
)

// TestTooManyWaitsRetryAfter: a 429 with Retry-After 2 s makes the read wait
// at least 2 s, then succeed.
func TestTooManyWaitsRetryAfter(t *testing.T) {
	t.Parallel()
	srv := newSim(t, simshop.Options{})
	srv.Inject(simshop.Fault{Kind: simshop.FaultTooMany, On: simshop.Reads, RetryAfter: 2 * time.Second})
	s := newShop(t, srv)
	want := srv.Orders()[3]
	start := time.Now()
	o, err := s.Get(context.Background(), want.Number)
	if err != nil {
		t.Fatal(collector.Err(err))
	}
	if d := time.Since(start); d < 2*time.Second {
		t.Errorf("retried after %v, want >= 2s", d)
	}
	sameOrder(t, o, want)
	r := srv.Requests()
	if len(r) != 2 || r[0].Status != 429 || r[1].Status != 200 {
		t.Errorf("requests %+v, want a 429 then a 200", r)
	}
}

// TestServerErrorOnReadRetried: a 503 on a read is retried and succeeds.
func TestServerErrorOnReadRetried(t *testing.T) {
	t.Parallel()
	srv := newSim(t, simshop.Options{})
	srv.Inject(simshop.Fault{Kind: simshop.FaultStatus, On: simshop.Reads, Status: 503})
	s := newShop(t, srv)
	p, err := s.List(context.Background(), backend.ListQuery{})
	if err != nil {
		t.Fatal(collector.Err(err))
	}
	if len(p.Orders) == 0 || p.Next != "unpaid:1" {
		t.Errorf("page of %d orders, next %q", len(p.Orders), p.Next)
	}
	r := srv.Requests()
	if len(r) != 2 || r[0].Status != 503 || r[1].Status != 200 {
		t.Errorf("requests %+v, want a 503 then a 200", r)
	}
}

// TestDroppedReadRetried: a connection closed before the answer is retried.
func TestDroppedReadRetried(t *testing.T) {
	t.Parallel()
	srv := newSim(t, simshop.Options{})
	srv.Inject(simshop.Fault{Kind: simshop.FaultDropAfterApply, On: simshop.Reads})
	s := newShop(t, srv)
	if _, err := s.Get(context.Background(), srv.Orders()[0].Number); err != nil {
		t.Fatal(collector.Err(err))
	}
	if n := len(srv.Requests()); n != 2 {
		t.Errorf("%d requests, want 2", n)
	}
}

// TestHTTPAuthStatus: an HTTP 401 is ErrAuth and not retried.
func TestHTTPAuthStatus(t *testing.T) {
	t.Parallel()
	srv := newSim(t, simshop.Options{})
	srv.Inject(simshop.Fault{Kind: simshop.FaultStatus, On: simshop.Reads, Status: 401})
	_, err := newShop(t, srv).Get(context.Background(), srv.Orders()[0].Number)
	be := wantKind(t, err, backend.ErrAuth)
	if be.Reason != "HTTP 401: Unauthorized" || len(srv.Requests()) != 1 {
		t.Errorf("reason %q, %d requests", be.Reason, len(srv.Requests()))
	}
}

// TestGarbledBodies: a truncated or malformed body is ErrBadResponse naming
// the shop, for the detail and for a list page.
func TestGarbledBodies(t *testing.T) {
	t.Parallel()
	for _, kind := range []simshop.FaultKind{simshop.FaultTruncated, simshop.FaultMalformed} {
		srv := newSim(t, simshop.Options{})
		s := newShop(t, srv)
		calls := map[string]func() error{
			"get":  func() error { _, err := s.Get(context.Background(), srv.Orders()[0].Number); return err },
			"list": func() error { _, err := s.List(context.Background(), backend.ListQuery{}); return err },
		}
		for name, call := range calls {
			srv.ResetRecord()
			srv.Inject(simshop.Fault{Kind: kind, On: simshop.Reads})
			err := call()
			be := wantKind(t, err, backend.ErrBadResponse)
			if be.Field != "body" || !strings.HasPrefix(err.Error(), shopName+": ") {
				t.Errorf("fault %d %s: %v (field %q)", kind, name, err, be.Field)
			}
			if r := srv.Requests(); len(r) != 1 || r[0].Fault == "" {
				t.Errorf("fault %d %s: requests %+v", kind, name, r)
			}
		}
	}
}

// TestOffline: a shop that refuses connections is ErrUnavailable.
func TestOffline(t *testing.T) {
	t.Parallel()
	srv := newSim(t, simshop.Options{})
	s := newShop(t, srv)
	if err := srv.SetOffline(true); err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithTimeout(context.Background(), 1500*time.Millisecond)
	defer cancel()
	_, err := s.List(ctx, backend.ListQuery{})
	wantKind(t, err, backend.ErrUnavailable)
	if err := srv.SetOffline(false); err != nil {
		t.Fatal(err)
	}
	if _, err := s.List(context.Background(), backend.ListQuery{}); err != nil {
		t.Fatalf("back online: %v", collector.Err(err))
	}
}
