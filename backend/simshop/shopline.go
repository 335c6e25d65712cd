package simshop

// PLACEHOLDER: replaced by the shopline wire format.

import (
	"net/http"
	"time"

	"orderdesk/backend"
)

type shoplineSim struct{}

func newShopline() *shoplineSim { return &shoplineSim{} }

func (*shoplineSim) build(s *Server, o *backend.Order, i int) {
	o.Number = "shopline-" + string(rune('a'+i%26))
}
func (*shoplineSim) routes(s *Server, mux *http.ServeMux) {}
func (*shoplineSim) isWrite(r *http.Request) bool         { return r.Method != http.MethodGet }
func (*shoplineSim) tooMany(w http.ResponseWriter, d time.Duration) {
	w.WriteHeader(http.StatusTooManyRequests)
}
func (*shoplineSim) fail(w http.ResponseWriter, status int) { w.WriteHeader(status) }
func (*shoplineSim) expireTokens()                          {}
