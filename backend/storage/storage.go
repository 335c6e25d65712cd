// Package storage is the contract between the engine and the database
// that keeps its state, as database/sql/driver is between database/sql
// and a driver: the engine (backend/engine) uses a Store, package cache
// implements one on bbolt, and front ends get a Reader, which cannot
// write (every write goes through the engine, its feeds and its audit
// log). It imports only package backend.
package storage

import (
	"errors"
	"time"

	"orderdesk/backend"
)

// ErrNoOrder is returned (wrapped) by Reader.Order for a ref not in the cache.
var ErrNoOrder = errors.New("order not in the cache")

// ErrStop ends a Scan early.
var ErrStop = errors.New("stop scan")

// Reader is what front ends may do with the stored state: read it. No
// method does network I/O, and none holds a transaction open while it
// calls back into the caller.
type Reader interface {
	// Order returns the full cached order (with Raw), with Pending filled
	// from the open edits of the outbox. Unknown refs wrap ErrNoOrder.
	Order(ref backend.Ref) (*backend.Order, error)
	// Resolve turns what an operator typed into the refs it names: an exact
	// SHOP:NUMBER, or a bare NUMBER matched across shops; in both, a number
	// without a leading '#' also matches one with it (SHOPLINE "#1001").
	// No match is an empty slice, not an error.
	Resolve(text string) ([]backend.Ref, error)
	// Scan calls fn for cached orders, newest created first (ties by ref),
	// as selected by q. o is a slim order: ref, shop, platform, id,
	// number, state, raw_status, status_label, the four times, currency,
	// totals, base, customer, shipping_address, items (sku, title, variant,
	// qty, unit_price, row_total), shipments, tags, buyer_note, synced_at,
	// and Pending from the outbox; no Raw, billing address, payments or
	// remarks. When q.Full, doc is the stored JSON of the whole order (as
	// Order.MarshalJSON wrote it, with an empty pending list), else nil.
	// fn runs outside any transaction; it may keep o and doc. Returning
	// ErrStop ends the scan early without error.
	Scan(q ScanQuery, fn func(o *backend.Order, doc []byte) error) error
	// OldestOpen returns the earliest created_at among the shop's cached
	// orders whose order state is neither cancelled nor completed.
	OldestOpen(shop string) (t time.Time, ok bool, err error)
	// ByTracking returns the refs of cached orders with a shipment carrying
	// this tracking number (compared without spaces/dashes, case-insensitive).
	ByTracking(number string) ([]backend.Ref, error)
	Cursor(shop string) (backend.SyncCursor, error)
	// EditByID returns one edit by its ID ("E3"), in any state. An ID not
	// in the outbox wraps backend.ErrNoEdit.
	EditByID(id string) (backend.Edit, error)
	// Edits returns edits in Seq order: the open ones (neither done nor
	// discarded) of a shop, or of every shop when shop is "".
	Edits(shop string) ([]backend.Edit, error)
	// History returns every edit of one order, done and discarded ones
	// included, by Seq.
	History(ref backend.Ref) ([]backend.Edit, error)
	// AuditLog returns audit lines by Seq, of one order or (zero ref) all.
	AuditLog(ref backend.Ref) ([]backend.Audit, error)
}

// Store is the durable state the desk needs: cached orders, sync cursors,
// the outbox and the audit log. package cache implements it on bbolt.
//
// Contract for every method that writes: it is one transaction, committed
// and fsynced before it returns nil; on error nothing of it was written.
// No method does network I/O, and none holds a transaction open while it
// calls back into the caller.
type Store interface {
	Reader
	// PutOrders stores fresh copies of a shop's orders (one synced page, or
	// one order read back), with their raw JSON, replacing older copies and
	// keeping every index in step. Orders not given are left alone.
	PutOrders(shop string, orders []*backend.Order) error
	SetCursor(shop string, c backend.SyncCursor) error
	// PutPage is PutOrders and SetCursor in one transaction: a long pass
	// saves how far it got with every page it stores.
	PutPage(shop string, orders []*backend.Order, c backend.SyncCursor) error
	// AddEdit saves a new edit: it assigns Seq and ID ("E<seq>"), sets
	// CreatedAt/UpdatedAt when zero, and writes the audit line "saved" in the
	// same transaction. When it returns nil the edit is durable.
	AddEdit(e *backend.Edit) error
	// SaveEdits stores new states of existing edits and, when fresh is not
	// nil, the order as just read from the shop, in one transaction. Each
	// edit whose State or Error changed gets an audit line. It refuses,
	// writing nothing, with an error wrapping backend.ErrEditChanged, a
	// save that would undo what an operator did after the caller read the
	// edit: a discarded edit saved as any other state (so a sender that
	// read it before the discard never marks it sending), or a retried one
	// (Retry set) saved as pending or conflict without Retry.
	SaveEdits(fresh *backend.Order, edits ...backend.Edit) error
	// RetryEdit asks for edit id to be decided again on the shop's current
	// order: when its state allows it (pending, failed, conflict; see
	// backend.EditState.Allows) it becomes pending with Retry set, and an
	// audit line names operator ("retry asked by bob"). DiscardEdit drops
	// it: discarded, never sent, kept in History and the audit log
	// ("discarded by bob"); later open edits of the order lose their note
	// that they wait for it. Each is a compare-and-set in one transaction:
	// another state is a *EditStateError and an unknown ID wraps ErrNoEdit,
	// and then nothing was written. They return the edit as saved.
	RetryEdit(id, operator string) (backend.Edit, error)
	DiscardEdit(id, operator string) (backend.Edit, error)
}

// ScanQuery selects what Scan reads.
type ScanQuery struct {
	Shop string // only this shop's orders; "" for all
	Full bool   // also read each selected order's stored JSON
	// Match, when not nil, selects orders from their slim form (with
	// Pending): only those are read in full and passed to fn. It runs
	// inside the read transaction, so it must be quick and do no I/O (a
	// compiled filter query).
	Match func(o *backend.Order) bool
}
