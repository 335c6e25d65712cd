package simshop

// PLACEHOLDER: replaced by the fecshop wire format.

import (
	"net/http"
	"time"

	"orderdesk/backend"
)

type fecshopSim struct{}

func newFecshop() *fecshopSim { return &fecshopSim{} }

func (*fecshopSim) build(s *Server, o *backend.Order, i int) {
	o.Number = "fecshop-" + string(rune('a'+i%26))
}
func (*fecshopSim) routes(s *Server, mux *http.ServeMux) {}
func (*fecshopSim) isWrite(r *http.Request) bool         { return r.Method != http.MethodGet }
func (*fecshopSim) tooMany(w http.ResponseWriter, d time.Duration) {
	w.WriteHeader(http.StatusTooManyRequests)
}
func (*fecshopSim) fail(w http.ResponseWriter, status int) { w.WriteHeader(status) }
func (*fecshopSim) expireTokens()                          {}
