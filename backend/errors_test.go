package backend

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"testing"
	"time"
)

func TestErrorKindsAndText(t *testing.T) {
	cause := fmt.Errorf("dial: %w", context.DeadlineExceeded)
	e := &Error{Kind: ErrRateLimited, Shop: "sl", Op: "list page 3", Reason: "HTTP 429: Too many request", RetryAfter: 2 * time.Second, Err: cause}
	wrapped := fmt.Errorf("sync: %w", e)
	if !errors.Is(wrapped, ErrRateLimited) || !errors.Is(wrapped, context.DeadlineExceeded) {
		t.Error("errors.Is must see both the kind and the cause")
	}
	if errors.Is(wrapped, ErrNotFound) {
		t.Error("wrong kind matched")
	}
	var got *Error
	if !errors.As(wrapped, &got) || got.RetryAfter != 2*time.Second {
		t.Error("errors.As lost the details")
	}
	msg := e.Error()
	for _, part := range []string{"sl: ", "list page 3", "rate limited", "Too many request", "retry after 2s", "deadline exceeded"} {
		if !strings.Contains(msg, part) {
			t.Errorf("%q lacks %q", msg, part)
		}
	}
	bad := &Error{Kind: ErrBadResponse, Shop: "eu", Op: "get 1", Field: "data.order_info.payment_status"}
	if !strings.Contains(bad.Error(), "field data.order_info.payment_status") {
		t.Errorf("bad response must name the field: %s", bad)
	}
	if Reason(Refused("eu", "ship", "only paid orders ship")) != "only paid orders ship" {
		t.Error("Reason")
	}
}

func TestSecretNeverPrints(t *testing.T) {
	s := NewSecret("hunter2-very-secret")
	for _, out := range []string{fmt.Sprint(s), fmt.Sprintf("%v %s %+v %#v %q", s, s, s, s, s), fmt.Sprintf("%+v", struct{ P Secret }{s})} {
		if strings.Contains(out, "hunter2") {
			t.Errorf("secret printed: %s", out)
		}
	}
	if s.Reveal() != "hunter2-very-secret" {
		t.Error("Reveal")
	}
}

func TestRedactorScrubsKeepingTheChain(t *testing.T) {
	var r Redactor
	r.Add("tok-123456")
	r.Add("tok-123456-longer")
	r.Add("ab") // too short to be a credential: ignored
	if got := r.Scrub("a tok-123456-longer and tok-123456 ab"); got != "a [REDACTED] and [REDACTED] ab" {
		t.Errorf("Scrub = %q", got)
	}
	err := r.ScrubErr(fmt.Errorf("body {\"access-token\":\"tok-123456\"}: %w", ErrAuth))
	if strings.Contains(err.Error(), "tok-123456") || !errors.Is(err, ErrAuth) {
		t.Errorf("ScrubErr = %v", err)
	}
	clean := errors.New("nothing secret")
	if r.ScrubErr(clean) != clean {
		t.Error("a clean error must be returned unchanged")
	}
}
