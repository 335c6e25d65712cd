// Package cache is the desk's durable state on one bbolt file: cached
// orders with their indexes, sync cursors, the outbox of edits and the
// audit log. *Store implements sync.Store (see backend/sync/store.go for
// the contract of each method); this doc records the decisions that
// contract leaves open.
//
// # Layout
//
// Every top-level bucket and its keys ("ref" is the text "SHOP:NUMBER";
// shop names never contain ':' so "SHOP:" is an exact per-shop prefix;
// neither shop names nor numbers may contain NUL, which separates key
// parts; "ckey" is the 13-byte created key below; seq is 8 bytes big-endian):
//
//	meta             "schema" → uint64 schema version (1)
//	orders           ref → the normalised JSON, exactly json.Marshal(order)
//	                 with Pending emptied (Raw is never in it)
//	raw              ref → the platform's JSON, verbatim (absent when none)
//	rows             ckey+ref → slim row (row.go): the by-created index and
//	                 the data Scan reads, in one sequential bucket
//	created          ref → ckey, to find an order's row when it is replaced
//	by_number        number without its leading '#' + NUL + ref → empty
//	by_tracking      tracking key (upper case, no spaces/dashes) + NUL + ref → empty
//	open_by_created  shop + ':' + ascending created (12 bytes) + number → empty,
//	                 only for orders whose order state is neither cancelled
//	                 nor completed and that have a created_at (OldestOpen)
//	edits            seq → JSON of backend.Edit (bucket sequence gives Seq)
//	edits_by_ref     ref + NUL + seq → empty (History, Order's pending)
//	edits_open       seq → empty, for every edit whose state is Open()
//	audit            seq → JSON of backend.Audit (bucket sequence gives Seq)
//	audit_by_ref     ref + NUL + seq → empty
//	cursors          shop → JSON of backend.SyncCursor
//
// ckey is a flag byte (0 = has created_at, 1 = none), then the created
// time's Unix seconds (8 bytes big-endian, sign bit flipped) and
// nanoseconds (4 bytes), both complemented so that ascending keys are
// newest first; ref follows, so ties go by ref ascending and orders
// without created_at come last.
//
// Index maintenance: replacing an order decodes its stored slim row, derives
// the old index keys from it with the same function that derives the new
// ones, deletes them and writes the new ones, in the same transaction.
// Orders are never deleted; a short list from a shop changes nothing.
//
// # Decisions
//
//   - PutOrders requires each order's Ref to be {shop, Number} and its Shop
//     to be shop; anything else is an error and nothing of the call is
//     written. An order without Raw deletes the raw JSON of the copy it
//     replaces (a stale raw would not match the order).
//   - Scan reads up to 512 rows per read transaction (64 in the first,
//     doubling) and resumes after the last key. Each chunk is consistent;
//     the scan as a whole is not a snapshot: an order written concurrently
//     whose created_at changed may be seen twice or missed. A shop filter
//     walks the same rows and skips other shops' keys without decoding
//     them. The pending overlay is read once, before the first chunk.
//   - Resolve: "SHOP:NUMBER" is looked up directly, and "SHOP:#NUMBER" too
//     when NUMBER has no '#'. A bare number is looked up in by_number; typed
//     with a '#', it matches only numbers written with that '#'. Results are
//     sorted by ref. Empty text is an error (ParseRef's).
//   - AddEdit sets State to pending when it is empty and rejects edits
//     without a full ref. Its audit line has Result = the edit's state and
//     Detail "saved".
//   - SaveEdits identifies edits by Seq (ID must be empty or "E<seq>", Ref
//     must not change). When State or Error changed and the caller left
//     UpdatedAt as stored, UpdatedAt is set to Now. The audit line has
//     What = Summary, Result = the new State, Detail = the new Error.
//     fresh is stored under fresh.Ref.Shop with the rules of PutOrders.
//     It refuses (wrapping backend.ErrEditChanged, writing nothing) to turn
//     a discarded edit into another state, and to save a retried edit
//     (Retry set) as pending or conflict without Retry: both would undo an
//     operator's decision taken after the caller read the edit.
//   - RetryEdit and DiscardEdit read the edit, check its state and write it
//     in one write transaction. Their audit line's Operator is the operator
//     who asked (not the edit's author), Detail "retry asked by NAME" or
//     "discarded by NAME", which is also the edit's Error. A discard clears
//     the sender's "waits for E3 (…)" note on the order's later open edits
//     without an audit line (a note, not an outcome). Edit IDs are "E"
//     and the decimal Seq; "e3" is accepted.
//   - Times are stored in UTC. Edits, audit lines and cursors are JSON (few
//     and small); only the slim row, read 100,000 at a time, has its own
//     binary codec.
//   - The file is locked by bbolt (flock). The owner writes its pid to
//     "<path>.pid" after a successful read-write open and removes it on
//     Close; a second opener waiting longer than Options.Timeout gets a
//     *LockedError naming that pid.
//   - Verify is a full check (bbolt's page check, every index against the
//     orders, every row against its order's JSON): it costs about as much as
//     decoding every order's JSON (seconds at 100,000 orders), holds off
//     this store's writes meanwhile (bbolt's check in a read transaction
//     must not overlap a write), and is meant for tests and repairs, not
//     startup.
package cache
