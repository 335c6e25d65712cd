package cache

import (
	"encoding/json"
	"fmt"

	"orderdesk/backend"
)

// PutPage stores one synced page of a shop's orders and the shop's sync
// cursor (which says how far the pass got) in one transaction: after a
// crash either both are there or neither, so a resumed pass fetches at
// most the page it was fetching again.
func (s *Store) PutPage(shop string, orders []*backend.Order, c backend.SyncCursor) error {
	if err := validName("shop name", shop, false); err != nil {
		return fmt.Errorf("cache: put page: %w", err)
	}
	recs, err := encodeOrders(shop, orders)
	if err != nil {
		return err
	}
	cur, err := json.Marshal(c)
	if err != nil {
		return fmt.Errorf("cache: set cursor of %s: %w", shop, err)
	}
	return s.update("put a page of "+shop, func(t *tables) error {
		for _, r := range recs {
			if err := putOrder(t, r); err != nil {
				return err
			}
		}
		return t.cursors.Put([]byte(shop), cur)
	})
}
