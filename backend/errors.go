package backend

import (
	"errors"
	"strings"
	"time"
)

// Error kinds. Callers decide with errors.Is(err, backend.ErrNotFound) and
// read details with errors.As(err, &*backend.Error).
var (
	// ErrAuth: the shop refused the credentials (or the token expired and
	// logging in again did not help).
	ErrAuth = errors.New("authentication failed")
	// ErrNotFound: the shop has no such order.
	ErrNotFound = errors.New("order not found")
	// ErrRejected: the shop refused the request and said why (Reason).
	ErrRejected = errors.New("rejected by the shop")
	// ErrRefused: the desk refused an action before sending anything,
	// because the platform's rules forbid it (Reason says which).
	ErrRefused = errors.New("not allowed")
	// ErrUnsupported: the platform has no such action.
	ErrUnsupported = errors.New("not supported by the platform")
	// ErrRateLimited: the shop asked us to slow down; RetryAfter says how long.
	ErrRateLimited = errors.New("rate limited")
	// ErrUnavailable: the shop could not be reached or failed before the
	// request was processed. A write that fails this way was not applied.
	ErrUnavailable = errors.New("shop unavailable")
	// ErrBadResponse: the shop answered with something that cannot be
	// understood; Field names the part that could not be read.
	ErrBadResponse = errors.New("bad response")
	// ErrOutcomeUnknown: a write was sent but its result was not received
	// (connection dropped, timeout, 5xx, garbled body). It may have been
	// applied: read the order back before sending it again.
	ErrOutcomeUnknown = errors.New("outcome unknown")
)

// Error is the error every adapter returns. It never contains a secret:
// adapters build Reason and cause text through their shop's Redactor.
type Error struct {
	Kind       error         // one of the Err* kinds above
	Shop       string        // configured shop name
	Op         string        // what was being done: "list page 3", "ship 1000001"
	Reason     string        // the platform's or the desk's reason, verbatim
	Field      string        // for ErrBadResponse: the field that could not be read
	RetryAfter time.Duration // for ErrRateLimited: how long the shop asked us to wait
	Err        error         // the underlying cause, if any
}

func (e *Error) Error() string {
	var b strings.Builder
	if e.Shop != "" {
		b.WriteString(e.Shop)
		b.WriteString(": ")
	}
	if e.Op != "" {
		b.WriteString(e.Op)
		b.WriteString(": ")
	}
	if e.Kind != nil {
		b.WriteString(e.Kind.Error())
	}
	if e.Field != "" {
		b.WriteString(" (field ")
		b.WriteString(e.Field)
		b.WriteString(")")
	}
	if e.Reason != "" {
		b.WriteString(": ")
		b.WriteString(e.Reason)
	}
	if e.RetryAfter > 0 {
		b.WriteString(" (retry after ")
		b.WriteString(e.RetryAfter.Round(time.Millisecond).String())
		b.WriteString(")")
	}
	if e.Err != nil {
		b.WriteString(": ")
		b.WriteString(e.Err.Error())
	}
	return b.String()
}

// Unwrap exposes both the kind and the cause to errors.Is / errors.As.
func (e *Error) Unwrap() []error {
	var out []error
	if e.Kind != nil {
		out = append(out, e.Kind)
	}
	if e.Err != nil {
		out = append(out, e.Err)
	}
	return out
}

// Refused builds the error for an action the desk will not send.
func Refused(shop, op, reason string) *Error {
	return &Error{Kind: ErrRefused, Shop: shop, Op: op, Reason: reason}
}

// Unsupported builds the error for an action the platform does not have.
func Unsupported(shop, op, reason string) *Error {
	return &Error{Kind: ErrUnsupported, Shop: shop, Op: op, Reason: reason}
}

// Reason returns the human reason carried by err, or err's text.
func Reason(err error) string {
	var e *Error
	if errors.As(err, &e) && e.Reason != "" {
		return e.Reason
	}
	if err == nil {
		return ""
	}
	return err.Error()
}
