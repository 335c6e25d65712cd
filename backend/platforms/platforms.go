// Package platforms is the one table from platform name to adapter. Adding a
// platform is a new package under backend/ and one line here.
package platforms

import (
	"fmt"
	"slices"

	"orderdesk/backend"
	"orderdesk/backend/fecmall"
	"orderdesk/backend/fecshop"
	"orderdesk/backend/shopline"
	"orderdesk/backend/ymcart"
)

type opener func(backend.ShopConfig) (backend.Shop, error)

// adapt turns an adapter's typed constructor into an opener, so a failed
// construction never yields a non-nil interface holding a nil pointer.
func adapt[S backend.Shop](newShop func(backend.ShopConfig) (S, error)) opener {
	return func(c backend.ShopConfig) (backend.Shop, error) {
		s, err := newShop(c)
		if err != nil {
			return nil, err
		}
		return s, nil
	}
}

func table() map[backend.Platform]opener {
	return map[backend.Platform]opener{
		backend.Fecshop:  adapt(fecshop.New),
		backend.Fecmall:  adapt(fecmall.New),
		backend.Shopline: adapt(shopline.New),
		backend.YMCart:   adapt(ymcart.New),
	}
}

// StatusValues are the values a shop of platform p can set its orders'
// status to, as its Capabilities say, known without opening a shop (no
// config, no secret): shell completion offers them. None for Fecmall
// (read-only) or an unknown platform.
func StatusValues(p backend.Platform) []backend.StatusValue {
	switch p {
	case backend.Fecshop:
		return fecshop.StatusValues()
	case backend.Shopline:
		return shopline.StatusValues()
	case backend.YMCart:
		return ymcart.StatusValues()
	}
	return nil
}

// Names lists the platforms, sorted.
func Names() []backend.Platform {
	var out []backend.Platform
	for p := range table() {
		out = append(out, p)
	}
	slices.Sort(out)
	return out
}

// Open builds the adapter for one configured shop.
func Open(cfg backend.ShopConfig) (backend.Shop, error) {
	open, ok := table()[cfg.Platform]
	if !ok {
		return nil, fmt.Errorf("shop %q: unknown platform %q (known: %v)", cfg.Name, cfg.Platform, Names())
	}
	s, err := open(cfg)
	if err != nil {
		return nil, fmt.Errorf("shop %q: %w", cfg.Name, err)
	}
	return s, nil
}
