package cli

import (
	"context"
	"errors"
)

// PendingRetry is `orderdesk pending retry ID`: the edit is decided again
// on the shop's current copy of its order and sent (unless offline).
func (e *Env) PendingRetry(ctx context.Context, id string) int {
	return e.Fail(errors.New("pending retry: not built yet"))
}

// PendingDiscard is `orderdesk pending discard ID [--yes]`: the edit is
// dropped from the outbox (it stays in the audit log and the order's
// history). It asks first on a terminal; a script needs --yes.
func (e *Env) PendingDiscard(ctx context.Context, id string, yes bool) int {
	return e.Fail(errors.New("pending discard: not built yet"))
}
