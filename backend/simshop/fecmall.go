package simshop

// PLACEHOLDER: replaced by the fecmall wire format.

import (
	"net/http"
	"time"

	"orderdesk/backend"
)

type fecmallSim struct{}

func newFecmall() *fecmallSim { return &fecmallSim{} }

func (*fecmallSim) build(s *Server, o *backend.Order, i int) {
	o.Number = "fecmall-" + string(rune('a'+i%26))
}
func (*fecmallSim) routes(s *Server, mux *http.ServeMux) {}
func (*fecmallSim) isWrite(r *http.Request) bool         { return r.Method != http.MethodGet }
func (*fecmallSim) tooMany(w http.ResponseWriter, d time.Duration) {
	w.WriteHeader(http.StatusTooManyRequests)
}
func (*fecmallSim) fail(w http.ResponseWriter, status int) { w.WriteHeader(status) }
func (*fecmallSim) expireTokens()                          {}
