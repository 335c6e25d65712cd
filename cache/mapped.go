package cache

import bolt "go.etcd.io/bbolt"

// A scan looks at the process's resident file pages every dropRows rows
// and drops them (dropMapped) when they exceed dropBytes (Store.dropRows
// and Store.dropBytes, which tests lower). Dropping every 2,048 rows
// regardless made a full scan of 1,000,000 orders take twice as long: the
// pages it had dropped were read again from disk, since the orders bucket
// is keyed by ref and a page's orders are not read together.
const (
	dropRows  = 1024
	dropBytes = 64 << 20
)

// mappedOver reports whether the process holds more file pages than a
// scan should keep.
func (s *Store) mappedOver() bool {
	n, ok := residentShared()
	return ok && n > s.dropBytes
}

// dropMapped lets go of the pages of the file a long scan has read. bbolt
// maps the whole file and every page a cursor visits stays in the
// process's resident set, so a full scan of 1,000,000 orders would grow it
// to the size of the file while holding no more than a chunk. It runs in
// a read transaction of its own, which keeps bbolt from remapping the file
// meanwhile; pages other readers still use are faulted back in unchanged.
func (s *Store) dropMapped() {
	_ = s.guard("drop mapped pages", func() error {
		return s.db.View(func(tx *bolt.Tx) error {
			adviseDontNeed(s.db.Info().Data, int(tx.Size()))
			return nil
		})
	})
}
