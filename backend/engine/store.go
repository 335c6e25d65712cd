package engine

import "orderdesk/backend"

// ErrNoEdit is returned (wrapped) for an edit ID that is not in the outbox
// (Store.EditByID, Desk.Edit, Desk.Retry, Desk.Discard).
var ErrNoEdit = backend.ErrNoEdit

// EditStateError refuses a retry or a discard that the edit's state does
// not allow (sending or unknown: sync first; done; already discarded).
type EditStateError = backend.EditStateError
