package cache

import (
	"bytes"
	"cmp"
	"slices"
	"strings"

	"orderdesk/backend"
)

// What shell completion reads: refs and shop names by prefix. Both walk
// only the key range of the prefix in the created bucket (ref → 13-byte
// created key: the densest bucket keyed by ref), so their cost is the
// number of keys returned, not the number of orders.

// RefsWithPrefix returns at most max refs of the shop whose number starts
// with number, ordered by number. As Resolve does for SHOP:NUMBER, a
// number typed without '#' also finds numbers written with one (1001
// finds #1001): "sl", "10" returns sl:1001 and sl:#1002 alike.
func (s *Store) RefsWithPrefix(shop, number string, max int) ([]backend.Ref, error) {
	out := []backend.Ref{}
	if max <= 0 || validName("shop", shop, false) != nil || strings.IndexByte(number, 0) >= 0 {
		return out, nil
	}
	prefixes := [][]byte{refKey(backend.Ref{Shop: shop, Number: number})}
	if number != "" && !strings.HasPrefix(number, "#") {
		prefixes = append(prefixes, refKey(backend.Ref{Shop: shop, Number: "#" + number}))
	}
	err := s.view("complete "+shop+":"+number, func(t *tables) error {
		for _, prefix := range prefixes {
			c := t.created.Cursor()
			n := 0
			for k, _ := c.Seek(prefix); k != nil && bytes.HasPrefix(k, prefix) && n < max; k, _ = c.Next() {
				out = append(out, parseRefKey(k))
				n++
			}
		}
		return nil
	})
	if err != nil {
		return nil, err
	}
	if len(prefixes) > 1 {
		slices.SortFunc(out, func(a, b backend.Ref) int {
			return cmp.Or(strings.Compare(bareNumber(a.Number), bareNumber(b.Number)), strings.Compare(a.Number, b.Number))
		})
	}
	if len(out) > max {
		out = out[:max]
	}
	return out, nil
}

// ShopsWithPrefix returns the names of the shops with cached orders that
// start with prefix, sorted. It seeks from shop to shop: one lookup per
// shop, whatever their orders.
func (s *Store) ShopsWithPrefix(prefix string) ([]string, error) {
	out := []string{}
	if strings.ContainsAny(prefix, ":\x00") {
		return out, nil
	}
	err := s.view("complete shops", func(t *tables) error {
		c := t.created.Cursor()
		for k, _ := c.Seek([]byte(prefix)); k != nil && bytes.HasPrefix(k, []byte(prefix)); {
			i := bytes.IndexByte(k, ':')
			if i < 0 { // not a ref key: skip it
				k, _ = c.Next()
				continue
			}
			out = append(out, string(k[:i]))
			// ';' follows ':': the first key after every "SHOP:" key
			k, _ = c.Seek(append(bytes.Clone(k[:i]), ';'))
		}
		return nil
	})
	slices.Sort(out) // key order puts "eu2:" before "eu:"
	return out, err
}
