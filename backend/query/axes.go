package query

// Axes is a query whose every term is on an order's state axes (pay:,
// ship:, is:), reduced to bit masks, so a pass over many Docs tests each
// with a few AND instructions on its first cache line. The desk's tabs
// ("pay:paid ship:unfulfilled -is:cancelled") and the first keystroke of
// such a filter run every order through it.
type Axes struct {
	terms []axisTerm
}

type axisTerm struct {
	mask uint64 // over AxisWord
	neg  bool
}

// Axes returns the queries as one Axes (all their terms must hold), and
// false when a term of any of them is of another kind.
func AxesOf(qs ...*Query) (Axes, bool) {
	var a Axes
	for _, q := range qs {
		for i := range q.terms {
			t := &q.terms[i]
			switch t.kind {
			case kPay:
				a.terms = append(a.terms, axisTerm{mask: uint64(t.pm), neg: t.neg})
			case kShip:
				a.terms = append(a.terms, axisTerm{mask: uint64(t.fm) << 16, neg: t.neg})
			case kIs:
				a.terms = append(a.terms, axisTerm{mask: uint64(t.flags) << 32, neg: t.neg})
			default:
				return Axes{}, false
			}
		}
	}
	return a, true
}

// AxisWord is what Axes read of a Doc, in 8 bytes: kept in an array
// beside the Docs, a pass over a million orders reads 8 MB in order
// instead of a 64-byte line 320 bytes apart for each.
func AxisWord(d *Doc) uint64 {
	return uint64(d.payBit) | uint64(d.fulBit)<<16 | uint64(d.flags)<<32
}

// match is 1 when the Doc whose AxisWord is w matches (what Match of
// the queries reports), else 0: no branch on the outcome.
func (a *Axes) match(w uint64) int {
	ok := 1
	for _, t := range a.terms {
		ok &= bit((w&t.mask != 0) != t.neg)
	}
	return ok
}

// Filter writes first+j for each word words[j] that matches, in order,
// at the start of out (which has room for len(words)), and returns how
// many it wrote: one tight loop per block of the desk's orders, without a
// branch on the outcome (an order matches about as often as not).
func (a *Axes) Filter(words []uint64, first int32, out []int32) int {
	out = out[:len(words)]
	k := 0
	for j, w := range words {
		out[k] = first + int32(j)
		k += a.match(w)
	}
	return k
}

// Count is how many of words match: what Filter would write.
func (a *Axes) Count(words []uint64) int {
	k := 0
	for _, w := range words {
		k += a.match(w)
	}
	return k
}

func bit(b bool) int {
	if b {
		return 1
	}
	return 0
}
