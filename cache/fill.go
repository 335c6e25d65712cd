package cache

import (
	"fmt"

	"orderdesk/backend"
)

// Fill stores orders pageSize at a time, one PutOrders per page, grouping
// consecutive orders of the same shop (each order's Shop names its shop).
// Tests and benchmarks use it to build large caches the way a sync would.
func Fill(s *Store, orders []*backend.Order, pageSize int) error {
	if pageSize <= 0 {
		return fmt.Errorf("cache: fill: page size %d", pageSize)
	}
	for len(orders) > 0 {
		n := 1
		for n < len(orders) && n < pageSize && orders[n] != nil && orders[0] != nil && orders[n].Shop == orders[0].Shop {
			n++
		}
		shop := ""
		if orders[0] != nil {
			shop = orders[0].Shop
		}
		if err := s.PutOrders(shop, orders[:n]); err != nil {
			return err
		}
		orders = orders[n:]
	}
	return nil
}
