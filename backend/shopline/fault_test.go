package shopline

import (
	"context"
	"net/http"
	"testing"
	"time"

	"orderdesk/backend"
	"orderdesk/backend/simshop"
)

func archive() backend.Action { return backend.Action{Kind: backend.ActionStatus, Status: "archive"} }

func TestReadWaitsOutA429(t *testing.T) {
	t.Parallel()
	srv := startSim(t, simshop.Options{Seed: 1})
	shop := newShop(t, srv.Config("sl"))
	srv.Inject(simshop.Fault{Kind: simshop.FaultTooMany, On: simshop.Reads, Path: "orders.json", RetryAfter: 2 * time.Second})
	start := time.Now()
	o, err := shop.Get(ctxT(t), "#1001")
	must(t, err)
	if waited := time.Since(start); waited < 2*time.Second || o.Number != "#1001" {
		t.Fatalf("waited %v, got %v: want >= 2s then the order", waited, o.Number)
	}
	reqs := srv.Requests()
	if len(reqs) < 2 || reqs[0].Status != http.StatusTooManyRequests || reqs[1].Status != http.StatusOK {
		t.Fatalf("requests %+v", reqs)
	}
}

func TestReadRetriesA5xx(t *testing.T) {
	t.Parallel()
	srv := startSim(t, simshop.Options{Seed: 1})
	shop := newShop(t, srv.Config("sl"))
	srv.Inject(simshop.Fault{Kind: simshop.FaultStatus, Status: http.StatusServiceUnavailable, On: simshop.Reads, Path: "orders.json"})
	page, err := shop.List(ctxT(t), backend.ListQuery{})
	must(t, err)
	if len(page.Orders) == 0 || page.Total != 60 {
		t.Fatalf("page: %d orders, total %d", len(page.Orders), page.Total)
	}
	reqs := srv.Requests() // count, 503, retry
	if len(reqs) != 3 || reqs[1].Status != http.StatusServiceUnavailable || reqs[2].Status != http.StatusOK {
		t.Fatalf("requests: %d", len(reqs))
	}
}

func TestWriteIsNeverRetried(t *testing.T) {
	t.Parallel()
	srv := startSim(t, simshop.Options{Seed: 1})
	shop := newShop(t, srv.Config("sl"))
	o := pick(t, srv, shop, notArchived)
	srv.Inject(simshop.Fault{Kind: simshop.FaultStatus, Status: http.StatusInternalServerError, On: simshop.Writes})
	_, err := shop.Apply(ctxT(t), o, archive())
	wantErr(t, err, backend.ErrOutcomeUnknown, "HTTP 500: Internal Server Error")
	if n := len(srv.Writes()); n != 1 || srv.Applied(o.Number) != 0 {
		t.Fatalf("%d writes, %d applied: want exactly one write, not applied", n, srv.Applied(o.Number))
	}
}

func TestTruncatedAndMalformedAnswers(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct {
		name  string
		fault simshop.FaultKind
		field string
	}{
		{"truncated", simshop.FaultTruncated, "body"},
		{"malformed", simshop.FaultMalformed, "body"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			srv := startSim(t, simshop.Options{Seed: 1})
			shop := newShop(t, srv.Config("eu-shopline"))
			srv.Inject(simshop.Fault{Kind: tc.fault, On: simshop.Reads, Path: "orders.json"})
			page, err := shop.List(ctxT(t), backend.ListQuery{})
			be := wantErr(t, err, backend.ErrBadResponse, "eu-shopline: list page 1 (unshipped)")
			if be.Field != tc.field || page.Orders != nil {
				t.Fatalf("field %q, %d orders: want field %q and no partial page", be.Field, len(page.Orders), tc.field)
			}
		})
	}
}

// A garbled 2xx answer to a write: it was applied, the desk cannot know.
func TestTruncatedWriteAnswerIsOutcomeUnknown(t *testing.T) {
	t.Parallel()
	srv := startSim(t, simshop.Options{Seed: 1})
	shop := newShop(t, srv.Config("sl"))
	o := pick(t, srv, shop, notArchived)
	srv.Inject(simshop.Fault{Kind: simshop.FaultTruncated, On: simshop.Writes})
	_, err := shop.Apply(ctxT(t), o, archive())
	wantErr(t, err, backend.ErrOutcomeUnknown, "cannot read the shop's answer")
	if srv.Applied(o.Number) != 1 || len(srv.Writes()) != 1 {
		t.Fatalf("applied %d writes %d", srv.Applied(o.Number), len(srv.Writes()))
	}
}

func TestDropAfterApplyIsOutcomeUnknown(t *testing.T) {
	t.Parallel()
	srv := startSim(t, simshop.Options{Seed: 1})
	shop := newShop(t, srv.Config("sl"))
	o := pick(t, srv, shop, isOpen)
	srv.Inject(simshop.Fault{Kind: simshop.FaultDropAfterApply, On: simshop.Writes})
	_, err := shop.Apply(ctxT(t), o, backend.Action{Kind: backend.ActionRemark, Remark: "checked"})
	wantErr(t, err, backend.ErrOutcomeUnknown, "the request was sent but no answer was received")
	if srv.Applied(o.Number) != 1 || len(srv.Writes()) != 1 {
		t.Fatalf("applied %d writes %d: want exactly one application", srv.Applied(o.Number), len(srv.Writes()))
	}
}

func TestOfflineIsUnavailable(t *testing.T) {
	t.Parallel()
	srv := startSim(t, simshop.Options{Seed: 1})
	o := pick(t, srv, newShop(t, srv.Config("sl")), notArchived)
	if err := srv.SetOffline(true); err != nil {
		t.Fatal(err)
	}
	// A shop without pooled connections: a keep-alive connection the server
	// closed an instant ago may still take the request's bytes, and a write
	// sent that way is rightly "outcome unknown", not "unavailable".
	shop := newShop(t, srv.Config("sl"))
	_, err := shop.Apply(ctxT(t), o, archive())
	wantErr(t, err, backend.ErrUnavailable, "sl: archive "+o.Number)

	ctx, cancel := context.WithTimeout(context.Background(), 1200*time.Millisecond)
	defer cancel()
	_, err = shop.Get(ctx, o.Number)
	wantErr(t, err, backend.ErrUnavailable, "sl: get "+o.Number)

	if err := srv.SetOffline(false); err != nil {
		t.Fatal(err)
	}
	if srv.Applied(o.Number) != 0 {
		t.Fatal("applied while offline")
	}
	_, err = shop.Apply(ctxT(t), o, archive())
	must(t, err)
}

// The sim's own rate limit answers 429 {"errors":"Too many request"}; the
// client's limiter (4/s, burst 40) waits instead of failing.
func TestServerRateLimitIsWaitedOut(t *testing.T) {
	t.Parallel()
	srv := startSim(t, simshop.Options{Seed: 1, Rate: 4, Burst: 6}) // slack for network jitter
	cfg := srv.Config("sl")
	cfg.Rate, cfg.Burst = 4, 4
	shop := newShop(t, cfg)
	shop.pageSize = 10
	got, _ := listAll(t, shop, backend.ListQuery{})
	if len(got) != 60 {
		t.Fatalf("listed %d", len(got))
	}
	for _, r := range srv.Requests() {
		if r.Status == http.StatusTooManyRequests {
			t.Fatalf("the client exceeded 4 req/s: %s %s got 429", r.Method, r.Path)
		}
	}
}
