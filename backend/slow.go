package backend

import (
	"context"
	"strconv"
	"time"
)

// DefaultCallLimit is how long one call to a shop (its retries included)
// may go without an answer before the desk gives up on it, unless the
// config says otherwise.
const DefaultCallLimit = 60 * time.Second

// SlowNotice is the most a call waits for an answer before the desk says
// the shop is slow (less when the call's limit is short: half of it).
const SlowNotice = 10 * time.Second

// NoAnswerError is the cause (Error.Err) of a call a shop did not answer
// within its limit, retries included: the shop is unreachable for now.
// The Error's kind says the rest: ErrUnavailable (nothing was applied) or,
// for a write that was sent, ErrOutcomeUnknown.
type NoAnswerError struct {
	Limit time.Duration
}

func (e *NoAnswerError) Error() string {
	return "no answer in " + Seconds(e.Limit) + " — unreachable"
}

// Slow is a call to a shop that has had no answer for For; it gives up
// at Limit.
type Slow struct {
	Shop  string
	Op    string
	For   time.Duration
	Limit time.Duration
}

func (s Slow) String() string {
	return "no answer for " + Seconds(s.For) + ", still trying (gives up after " + Seconds(s.Limit) + ")"
}

type slowKey struct{}

// WithSlowNotice returns a context whose calls to shops report to fn when
// they have had no answer for a while (see SlowNotice). fn runs on its own
// goroutine and must not block for long. Like net/http/httptrace, the
// hook travels with the context: the code that waits for an answer is far
// from the code that tells the operator.
func WithSlowNotice(ctx context.Context, fn func(Slow)) context.Context {
	return context.WithValue(ctx, slowKey{}, fn)
}

// SlowNoticeOf returns the hook WithSlowNotice put in ctx, or nil.
func SlowNoticeOf(ctx context.Context) func(Slow) {
	fn, _ := ctx.Value(slowKey{}).(func(Slow))
	return fn
}

// Seconds writes a duration for the operator: "10 s", "1.5 s", "90 s".
func Seconds(d time.Duration) string {
	return strconv.FormatFloat(d.Round(100*time.Millisecond).Seconds(), 'f', -1, 64) + " s"
}
