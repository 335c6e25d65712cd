package cache

import bolt "go.etcd.io/bbolt"

// dropRows is how many rows a scan reads between two dropMapped calls
// (Store.dropRows, which tests lower): ten to twenty megabytes of mapped
// pages with each order's JSON.
const dropRows = 2048

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
