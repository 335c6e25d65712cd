package fecmall

import (
	"context"
	"fmt"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"orderdesk/backend"
)

// TestSecretsRedacted: a shop that echoes the token back (in an HTTP-200
// error message, in a 400 body, in a field that cannot be read) never gets
// it into an error or a log line. TestMain checks the logs.
func TestSecretsRedacted(t *testing.T) {
	t.Parallel()
	const token = "echo-me-token-5b1e"
	remember(token)
	info := seedInfo(t)
	info["curr_grand_total"] = "total for " + token
	badField := detailBody(t, info)
	answers := map[string]struct {
		status int
		body   string
		kind   error
	}{
		"/code":  {200, `{"code":403,"message":"token %s has no permission"}`, backend.ErrAuth},
		"/http":  {400, `{"code":400,"message":"bad request with token %s"}`, backend.ErrRejected},
		"/text":  {422, `token=%s rejected`, backend.ErrRejected},
		"/field": {200, string(badField), backend.ErrBadResponse},
	}
	for path, a := range answers {
		ts := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			w.WriteHeader(a.status)
			body := a.body
			if strings.Contains(body, "%s") {
				body = fmt.Sprintf(body, r.Header.Get("open-access-token"))
			}
			_, _ = w.Write([]byte(body))
		}))
		s, err := New(backend.ShopConfig{Name: shopName, URL: ts.URL + path, Token: backend.NewSecret(token), Logger: collector.Logger()})
		if err != nil {
			t.Fatal(err)
		}
		_, err = s.Get(context.Background(), "B203153596224752")
		ts.Close()
		wantKind(t, err, a.kind)
		if strings.Contains(err.Error(), token) || !strings.Contains(err.Error(), "[REDACTED]") {
			t.Errorf("%s: error %q must show [REDACTED] where the shop echoed the token", path, err)
		}
	}
}
