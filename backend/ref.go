package backend

import (
	"fmt"
	"strings"
)

// Ref is the stable handle of an order: "SHOP:NUMBER". A Ref parsed from a
// bare number has an empty Shop and must be resolved against the cache.
type Ref struct {
	Shop   string
	Number string
}

func (r Ref) String() string {
	if r.Shop == "" {
		return r.Number
	}
	return r.Shop + ":" + r.Number
}

func (r Ref) IsZero() bool { return r.Shop == "" && r.Number == "" }

func (r Ref) MarshalText() ([]byte, error) { return []byte(r.String()), nil }

func (r *Ref) UnmarshalText(b []byte) error {
	if len(b) == 0 {
		*r = Ref{}
		return nil
	}
	p, err := ParseRef(string(b))
	if err != nil {
		return err
	}
	*r = p
	return nil
}

// ParseRef reads "SHOP:NUMBER" or a bare "NUMBER". Shop names may not contain
// a colon; order numbers may (the first colon splits).
func ParseRef(s string) (Ref, error) {
	s = strings.TrimSpace(s)
	if s == "" {
		return Ref{}, fmt.Errorf("empty order reference: want SHOP:NUMBER or NUMBER")
	}
	shop, num, ok := strings.Cut(s, ":")
	if !ok {
		return Ref{Number: s}, nil
	}
	if shop == "" || num == "" {
		return Ref{}, fmt.Errorf("order reference %s: want SHOP:NUMBER (both parts non-empty)", Quote(s))
	}
	return Ref{Shop: shop, Number: num}, nil
}
