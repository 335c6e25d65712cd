// Package probe checks that the desk can work with a shop, for `orderdesk
// doctor`: the shop's name resolves, a TCP connection opens, its TLS
// certificate is valid (https only), the credentials are accepted, one
// small list call reads orders, and what the shop's answers say about its
// rate limit, its clock and its order count. It reports per check what was
// found and, when something is wrong, what to do.
//
// Contracts:
//
//   - It sends no write. The reads are the adapter's own first list call
//     (through the adapter, so authentication is exactly the desk's: a
//     Fecshop shop logs in, which issues a new session token), and, only
//     when that sent nothing, one HEAD of the shop's address for its clock.
//   - No text it produces holds a secret: messages are built from the
//     adapters' errors, which are scrubbed of the shop's secrets, and from
//     the status codes and a few named headers (Date, X-Rate-Limit-*) of
//     the answers; no other header nor any body is kept.
//   - Each shop is bounded by Options.Timeout as a whole; a check that
//     needs an earlier one that failed (TLS after no connection) is
//     reported Skipped with the reason, never tried.
//   - Plain http is fine to this machine (loopback) and a warning to any
//     other host: the token and the orders travel in clear text.
//   - A clock more than MaxSkew away from the shop's Date header is a
//     warning, never a failure: the sync's overlap margins absorb a few
//     minutes, an hour would miss changes.
package probe

import "fmt"

// Status is the outcome of one check.
type Status int

const (
	OK      Status = iota // works
	Skipped               // not tried: an earlier check failed, or it does not apply
	Warn                  // works, but something should be looked at
	Fail                  // does not work: the desk cannot use the shop (or the database)
)

var statusNames = [...]string{OK: "ok", Skipped: "skipped", Warn: "warn", Fail: "fail"}

func (s Status) String() string { return statusNames[s] }

// MarshalText gives the JSON form: "ok", "skipped", "warn", "fail".
func (s Status) MarshalText() ([]byte, error) { return []byte(s.String()), nil }

// UnmarshalText reads the JSON form back.
func (s *Status) UnmarshalText(b []byte) error {
	for i, n := range statusNames {
		if n == string(b) {
			*s = Status(i)
			return nil
		}
	}
	return fmt.Errorf("unknown check status %q", b)
}

// Check is one finding.
type Check struct {
	ID     string `json:"id"`   // stable key: "dns", "tcp", "tls", "auth", …
	Name   string `json:"name"` // in words: "name resolution"
	Status Status `json:"status"`
	Detail string `json:"detail"`         // what was found
	Hint   string `json:"hint,omitempty"` // what to do, when something is wrong
}

// Message is the detail and the hint in one sentence, as printed.
func (c Check) Message() string {
	if c.Hint == "" {
		return c.Detail
	}
	return c.Detail + " — " + c.Hint
}

// Worst returns the worst status of checks: Fail, else Warn, else OK (a
// skipped check is no finding; OK for none).
func Worst(checks []Check) Status {
	w := OK
	for _, c := range checks {
		if c.Status > w && c.Status != Skipped {
			w = c.Status
		}
	}
	return w
}

// Cause is the first failing check (or, without one, the first warning),
// and false when every check passed.
func Cause(checks []Check) (Check, bool) {
	for _, want := range []Status{Fail, Warn} {
		for _, c := range checks {
			if c.Status == want {
				return c, true
			}
		}
	}
	return Check{}, false
}

// Report is what probing one shop found.
type Report struct {
	Shop     string  `json:"shop"`
	Platform string  `json:"platform"`
	URL      string  `json:"url"`
	Checks   []Check `json:"checks"`
}

// Status is the shop's verdict: its worst check.
func (r Report) Status() Status { return Worst(r.Checks) }

// Check IDs, in the order a report lists them.
const (
	IDSecret    = "secret"
	IDDNS       = "dns"
	IDTCP       = "tcp"
	IDTLS       = "tls"
	IDAuth      = "auth"
	IDVersion   = "api_version"
	IDRead      = "read"
	IDWrites    = "writes"
	IDRateLimit = "rate_limit"
	IDClock     = "clock"
	IDOrders    = "orders"
)

var checkNames = map[string]string{
	IDSecret: "secret", IDDNS: "name resolution", IDTCP: "connection", IDTLS: "TLS",
	IDAuth: "authentication", IDVersion: "API version", IDRead: "read access", IDWrites: "writes allowed",
	IDRateLimit: "rate limit", IDClock: "clock", IDOrders: "orders",
}

func check(id string, st Status, detail, hint string) Check {
	return Check{ID: id, Name: checkNames[id], Status: st, Detail: detail, Hint: hint}
}

func skipped(id, why string) Check { return check(id, Skipped, "not tried: "+why, "") }
