package query

// Prefilters let Match reject most orders from the Doc itself, without
// reading the strings it points to (each a separate allocation, so a cache
// miss per order). They are necessary conditions only: whatever passes is
// confirmed on the strings, so results are exact.

// byteSet is the exact set of byte values in a string: a one-byte needle
// is in the string exactly when its bit is set.
type byteSet [4]uint64

func (s *byteSet) add(str string) {
	for i := 0; i < len(str); i++ {
		s[str[i]>>6] |= 1 << (str[i] & 63)
	}
}

// gramSet is a 256-bit Bloom filter of a string's byte pairs (pairs with
// the NUL separator left out): a needle is in the string only if every
// pair of it is in the set.
type gramSet [4]uint64

func gramBit(a, b byte) uint32 { return (uint32(a)<<8 | uint32(b)) * 2654435761 >> 24 }

func (s *gramSet) add(str string) {
	for i := 0; i+1 < len(str); i++ {
		if str[i] != 0 && str[i+1] != 0 {
			h := gramBit(str[i], str[i+1])
			s[h>>6] |= 1 << (h & 63)
		}
	}
}

// textFilter is what a needle needs of a haystack: its bytes and its byte
// pairs.
type textFilter struct {
	bytes byteSet
	grams gramSet
}

func newTextFilter(needle string) textFilter {
	var f textFilter
	f.bytes.add(needle)
	f.grams.add(needle)
	return f
}

// admits reports whether a haystack with these sets may contain the needle.
func (f *textFilter) admits(b *byteSet, g *gramSet) bool {
	return b[0]&f.bytes[0] == f.bytes[0] && b[1]&f.bytes[1] == f.bytes[1] &&
		b[2]&f.bytes[2] == f.bytes[2] && b[3]&f.bytes[3] == f.bytes[3] &&
		g[0]&f.grams[0] == f.grams[0] && g[1]&f.grams[1] == f.grams[1] &&
		g[2]&f.grams[2] == f.grams[2] && g[3]&f.grams[3] == f.grams[3]
}

// digitPairs is the exact set of adjacent digit pairs in a string (100
// possible pairs); digits on either side of a separator or a '+' do not
// pair.
type digitPairs [2]uint64

func (s *digitPairs) add(d string) {
	for i := 0; i+1 < len(d); i++ {
		if isDigit(d[i]) && isDigit(d[i+1]) {
			p := uint(d[i]-'0')*10 + uint(d[i+1]-'0')
			s[p>>6] |= 1 << (p & 63)
		}
	}
}

func (s *digitPairs) covers(n *digitPairs) bool {
	return s[0]&n[0] == n[0] && s[1]&n[1] == n[1]
}

// valueKey holds an exact value (shop, platform, currency, country) in
// eight bytes: a value of up to seven bytes as it is, with its length in
// the top byte, so equal keys are equal values; a longer one as 0xFF and
// 56 bits of its FNV-1a hash, so equal keys must be confirmed on the
// strings (keyExact is false).
func valueKey(v string) uint64 {
	if len(v) <= 7 {
		k := uint64(len(v)) << 56
		for i := 0; i < len(v); i++ {
			k |= uint64(v[i]) << (8 * i)
		}
		return k
	}
	return 0xFF<<56 | fnv(0, v)>>8
}

func keyExact(k uint64) bool { return k>>56 != 0xFF }

// valueBits are the two bits of a value of a multi-valued field (tags, raw
// status values and the label, as kind k) in a Doc's 64-bit Bloom filter.
func valueBits(k kind, v string) uint64 {
	h := fnv(k, v)
	return 1<<(h&63) | 1<<(h>>6&63)
}

func fnv(k kind, v string) uint64 {
	h := uint64(14695981039346656037) ^ uint64(k)
	h *= 1099511628211
	for i := 0; i < len(v); i++ {
		h ^= uint64(v[i])
		h *= 1099511628211
	}
	return h
}
