// Package cache is the desk's durable state on one bbolt file: cached
// orders with their indexes, sync cursors, the outbox of edits and the
// audit log. *Store implements storage.Store (see backend/storage for
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
//     Every 1,024 rows a scan looks at the process's resident file pages
//     (Linux: /proc/self/statm) and, over 64 MB, tells the kernel it no
//     longer needs its mapping of the file (madvise DONTNEED, in a read
//     transaction so bbolt cannot remap meanwhile): the pages stay in the
//     page cache, other readers fault them back unchanged, and a scan of
//     1,000,000 orders stays under 100 MB resident instead of the file's
//     size. Elsewhere nothing is dropped.
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
//     *LockedError naming that pid. The sidecar is opened with O_NOFOLLOW
//     and O_NONBLOCK and read or written only when it is a regular file
//     with one link: a symlink, hard link or FIFO planted there is left
//     alone (and the message names no pid).
//   - An existing database file that group or others may read or write is
//     set to 0600 when opened (Store.Tightened says it was, so the command
//     line says so once), or refused with ErrTooOpen when its mode cannot
//     be changed (another user's file). Tightening loses nothing: the file
//     holds customer data, and one process owns it at a time anyway.
//   - Verify is a full check (bbolt's page check, every index against the
//     orders, every row against its order's JSON): it costs about as much as
//     decoding every order's JSON (seconds at 100,000 orders), holds off
//     this store's writes meanwhile (bbolt's check in a read transaction
//     must not overlap a write), and is meant for tests and repairs, not
//     startup.
//
// # Damage
//
// bbolt keeps checksums on its two meta pages only, and panics (or faults
// on the mapped file) when it meets a corrupt page: in Open (the
// freelist), in a cursor or Get, or in a commit. Every call into bbolt
// (Open, each read and write transaction, Verify) runs under a recover
// with debug.SetPanicOnFault, which turns that into a *DamagedError
// (errors.Is ErrDamaged: the path, the operation and at most 80
// characters of what was found, never a stack). A record that does not
// decode, an index entry without its record, or a schema lacking one of
// its buckets is damage too. The first damage a Store finds is sticky
// (Store.Damaged): from then on it refuses every write, so a damaged file
// is never written again — not even the schema of a file whose buckets
// went missing. After a panic inside bbolt's Open the file is unlocked and
// closed (its mapping stays until the process exits).
//
// Open checks only what is cheap: bbolt's meta checksums and freelist
// (read-write), the root bucket, and the file's length against the
// current meta page's high-water mark (a cut copy; bbolt would read past
// the end). A full check of every page (bbolt's tx.Check) takes 0.4-0.8 s
// on a 100,000-order file of 583 MiB, against Open's budget of 20 ms, so
// damage elsewhere is found when a command reads the page; that command
// fails and the Store writes nothing more. Damage that leaves a page
// looking valid (a changed byte inside a value, a freelist entry naming a
// live page) cannot be seen without a full check. A page that points back
// at one of its ancestors makes bbolt recurse until the stack overflows,
// which Go cannot recover from; Salvage is not affected.
//
// Salvage(src, dst) copies what can be read from a damaged file into a
// new database. It does not use bbolt on src: pagefile.go reads the pages
// itself with bounds checks everywhere — the tree of the newest valid
// meta page whose root reads, each page once, skipping any page that does
// not hold with its subtree, then every leaf page that tree did not reach
// (pages under a damaged branch, a cut file's tail, freed pages), whose
// records are taken when they decode strictly as an order, edit or audit
// line under their own key. Tree records win; of the others the newest
// copy is taken. Records are decoded as this package reads them and
// written through the Store (orders by PutOrders; edits and audit lines
// under their own Seq, so E12 stays E12, with the sequences moved past
// them), so dst has fresh, consistent indexes. Sync cursors are copied
// only when nothing was lost, so a sync after a loss fetches everything.
package cache
