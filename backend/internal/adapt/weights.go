package adapt

import (
	"fmt"
	"math"

	"orderdesk/backend"
)

// KgToGrams reads a weight in kilograms ("0.1300") as whole grams (130),
// rounding half away from zero. "" is 0.
func KgToGrams(s string) (int64, error) { return roundShifted(s, 3) }

// RoundGrams reads a weight in grams ("111000.00", "12.5") as whole grams,
// rounding half away from zero. "" is 0.
func RoundGrams(s string) (int64, error) { return roundShifted(s, 0) }

// roundShifted returns the decimal s × 10^shift rounded half away from zero.
func roundShifted(s string, shift int) (int64, error) {
	a, err := backend.ParseDecimal(s)
	if err != nil {
		return 0, err
	}
	coef, scale := a.Minor()
	scale -= shift
	for ; scale < 0; scale++ {
		if coef > math.MaxInt64/10 || coef < math.MinInt64/10 {
			return 0, fmt.Errorf("%w: %q is out of range", backend.ErrAmount, s)
		}
		coef *= 10
	}
	if scale == 0 {
		return coef, nil
	}
	div := int64(1)
	for range scale {
		div *= 10
	}
	q, r := coef/div, coef%div
	if 2*r >= div {
		q++
	} else if 2*r <= -div {
		q--
	}
	return q, nil
}
