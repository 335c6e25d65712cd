package shopline

import (
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"orderdesk/backend"
	"orderdesk/backend/internal/leakcheck"
	"orderdesk/backend/simshop"
)

// The sim's 401 body echoes the Authorization header it got: the seed's
// long JWT must not reach the error or the logs.
func TestUnauthorizedEchoOfTheTokenIsScrubbed(t *testing.T) {
	t.Parallel()
	srv := startSim(t, simshop.Options{Seed: 1})
	cfg := srv.Config("sl")
	cfg.Token = backend.NewSecret(seedToken())
	local := leakcheck.New()
	cfg.Logger = local.Logger()
	shop, err := New(cfg)
	must(t, err)
	_, err = shop.List(ctxT(t), backend.ListQuery{})
	wantErr(t, err, backend.ErrAuth, "HTTP 401: [API] Invalid API key or access token (unrecognized login or wrong password): Bearer [REDACTED]")
	local.Err(err)
	parts := strings.Split(seedToken(), ".")
	if err := local.Check(append(parts, seedToken())...); err != nil {
		t.Fatal(err)
	}
	if logs, errs := local.Count(); logs == 0 || errs == 0 {
		t.Fatalf("saw %d log bytes, %d errors: the check proved nothing", logs, errs)
	}
	if srv.Requests()[0].Status != http.StatusUnauthorized {
		t.Fatal("the sim did not refuse the token")
	}
}

// A body echoing only the JWT's signature (or payload) is scrubbed too.
func TestPartialTokenEchoIsScrubbed(t *testing.T) {
	t.Parallel()
	parts := strings.Split(seedToken(), ".")
	fake := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("traceId", "trace-"+parts[2])
		w.WriteHeader(http.StatusForbidden)
		_, _ = w.Write([]byte(`{"errors":{"token":["signature ` + parts[2] + ` rejected","claims ` + parts[1] + `"]}}`))
	}))
	defer fake.Close()
	local := leakcheck.New()
	shop, err := New(backend.ShopConfig{Name: "sl", URL: fake.URL, APIVersion: "v20251201", Token: backend.NewSecret(seedToken()), Logger: local.Logger()})
	must(t, err)
	_, err = shop.Get(ctxT(t), "#1001")
	wantErr(t, err, backend.ErrAuth, "token: signature [REDACTED] rejected; claims [REDACTED]")
	local.Err(err)
	if err := local.Check(parts[1], parts[2]); err != nil {
		t.Fatal(err)
	}
}
