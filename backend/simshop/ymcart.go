package simshop

// PLACEHOLDER: replaced by the ymcart wire format.

import (
	"net/http"
	"time"

	"orderdesk/backend"
)

type ymcartSim struct{}

func newYMCart() *ymcartSim { return &ymcartSim{} }

func (*ymcartSim) build(s *Server, o *backend.Order, i int) {
	o.Number = "ymcart-" + string(rune('a'+i%26))
}
func (*ymcartSim) routes(s *Server, mux *http.ServeMux) {}
func (*ymcartSim) isWrite(r *http.Request) bool         { return r.Method != http.MethodGet }
func (*ymcartSim) tooMany(w http.ResponseWriter, d time.Duration) {
	w.WriteHeader(http.StatusTooManyRequests)
}
func (*ymcartSim) fail(w http.ResponseWriter, status int) { w.WriteHeader(status) }
func (*ymcartSim) expireTokens()                          {}
