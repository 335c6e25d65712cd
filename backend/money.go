package backend

import (
	"encoding/json"
	"errors"
	"fmt"
	"math"
	"reflect"
	"strconv"
	"strings"
)

var amountType = reflect.TypeFor[Amount]()

// Amount is an exact decimal: coef × 10^-scale. Money is never a float.
//
// Amounts are normalised to the currency's minor units when parsed with
// ParseAmount: "12.9300" USD becomes 12.93, "1200.00" JPY becomes 1200.
// Digits beyond the minor unit that are not zero are kept, never rounded
// away ("0.125" USD stays 0.125): losing money silently is worse than an
// unusual number of decimals.
type Amount struct {
	coef  int64
	scale int8
}

const maxScale = 9

// ErrAmount is returned for text that is not a decimal amount.
var ErrAmount = errors.New("not a decimal amount")

// MinorUnits returns the number of decimals of an ISO 4217 currency
// (2 for codes not in the exception list, and for unknown codes).
func MinorUnits(currency string) int {
	switch strings.ToUpper(currency) {
	case "BIF", "CLP", "DJF", "GNF", "ISK", "JPY", "KMF", "KRW", "PYG", "RWF", "UGX", "UYI", "VND", "VUV", "XAF", "XOF", "XPF":
		return 0
	case "BHD", "IQD", "JOD", "KWD", "LYD", "OMR", "TND":
		return 3
	case "CLF", "UYW":
		return 4
	}
	return 2
}

// ParseAmount reads a decimal such as "12.9300", "-3.5", "1200" or "" (zero)
// and normalises it to the currency's minor units.
func ParseAmount(s, currency string) (Amount, error) {
	a, err := parseDecimal(s)
	if err != nil {
		return Amount{}, err
	}
	n := a.normalise(MinorUnits(currency))
	if int(n.scale) < MinorUnits(currency) {
		return Amount{}, fmt.Errorf("%w: %q is out of range", ErrAmount, s)
	}
	return n, nil
}

// MustAmount is ParseAmount for constants in tests and generated data.
func MustAmount(s, currency string) Amount {
	a, err := ParseAmount(s, currency)
	if err != nil {
		panic(err)
	}
	return a
}

// ZeroAmount is zero shown with the currency's minor units.
func ZeroAmount(currency string) Amount {
	return Amount{scale: int8(MinorUnits(currency))}
}

// AmountFromMinor builds an amount from an integer count of minor units.
func AmountFromMinor(minor int64, currency string) Amount {
	return Amount{coef: minor, scale: int8(MinorUnits(currency))}
}

// ParseDecimal reads a decimal as written ("12.90", "-3.5", "" is zero),
// not normalised to any currency: zeros at the end of the fraction are
// dropped, other digits are kept. Text that is not a decimal is an error
// wrapping ErrAmount.
func ParseDecimal(s string) (Amount, error) { return parseDecimal(s) }

func parseDecimal(s string) (Amount, error) {
	s = strings.TrimSpace(s)
	if s == "" {
		return Amount{}, nil
	}
	neg := false
	switch s[0] {
	case '-':
		neg, s = true, s[1:]
	case '+':
		s = s[1:]
	}
	intPart, frac, hasDot := strings.Cut(s, ".")
	if intPart == "" && frac == "" || hasDot && frac == "" && intPart == "" {
		return Amount{}, fmt.Errorf("%w: %q", ErrAmount, s)
	}
	// Trailing zeros never matter; drop them before checking the scale limit.
	frac = strings.TrimRight(frac, "0")
	if len(frac) > maxScale {
		return Amount{}, fmt.Errorf("%w: %q has more than %d decimals", ErrAmount, s, maxScale)
	}
	digits := intPart + frac
	if digits == "" {
		digits = "0"
	}
	for _, c := range digits {
		if c < '0' || c > '9' {
			return Amount{}, fmt.Errorf("%w: %q", ErrAmount, s)
		}
	}
	coef, err := strconv.ParseInt(digits, 10, 64)
	if err != nil {
		return Amount{}, fmt.Errorf("%w: %q is out of range", ErrAmount, s)
	}
	if neg {
		coef = -coef
	}
	return Amount{coef: coef, scale: int8(len(frac))}, nil
}

// normalise sets the scale to exactly minor, or more when non-zero digits
// would otherwise be lost.
func (a Amount) normalise(minor int) Amount {
	for int(a.scale) > minor && a.coef%10 == 0 {
		a.coef /= 10
		a.scale--
	}
	if int(a.scale) < minor {
		a = a.rescale(int8(minor)) // stops short when the value would overflow
	}
	return a
}

func (a Amount) rescale(scale int8) Amount {
	for a.scale < scale {
		if a.coef > math.MaxInt64/10 || a.coef < math.MinInt64/10 {
			// Out of range for int64: keep the value at its current scale.
			return a
		}
		a.coef *= 10
		a.scale++
	}
	return a
}

// Add returns a+b. Callers never add amounts of different currencies.
func (a Amount) Add(b Amount) Amount {
	s := max(a.scale, b.scale)
	a, b = a.rescale(s), b.rescale(s)
	return Amount{coef: a.coef + b.coef, scale: s}
}

// Sub returns a-b.
func (a Amount) Sub(b Amount) Amount { return a.Add(b.Neg()) }

// Neg returns -a.
func (a Amount) Neg() Amount { return Amount{coef: -a.coef, scale: a.scale} }

// MulInt returns a×n (a unit price times a quantity).
func (a Amount) MulInt(n int64) Amount { return Amount{coef: a.coef * n, scale: a.scale} }

// Cmp compares a and b: -1, 0 or +1.
func (a Amount) Cmp(b Amount) int {
	s := max(a.scale, b.scale)
	a, b = a.rescale(s), b.rescale(s)
	switch {
	case a.coef < b.coef:
		return -1
	case a.coef > b.coef:
		return 1
	}
	return 0
}

func (a Amount) IsZero() bool { return a.coef == 0 }

// Minor returns the amount in units of 10^-scale and that scale.
func (a Amount) Minor() (int64, int) { return a.coef, int(a.scale) }

// String writes the amount with exactly its scale: "12.93", "1200", "-0.50".
func (a Amount) String() string {
	neg := a.coef < 0
	c := a.coef
	if neg {
		c = -c
	}
	s := strconv.FormatUint(uint64(c), 10)
	if a.scale > 0 {
		if len(s) <= int(a.scale) {
			s = strings.Repeat("0", int(a.scale)-len(s)+1) + s
		}
		s = s[:len(s)-int(a.scale)] + "." + s[len(s)-int(a.scale):]
	}
	if neg {
		s = "-" + s
	}
	return s
}

func (a Amount) MarshalJSON() ([]byte, error) { return json.Marshal(a.String()) }

// UnmarshalJSON accepts a decimal string or a JSON number. The scale is kept
// as written (minus trailing zeros); it is not re-normalised here because the
// currency is not known.
func (a *Amount) UnmarshalJSON(b []byte) error {
	var s string
	if len(b) > 0 && b[0] == '"' {
		if err := json.Unmarshal(b, &s); err != nil {
			return err
		}
	} else if string(b) == "null" {
		*a = Amount{}
		return nil
	} else {
		s = string(b)
	}
	v, err := parseDecimal(s)
	if err != nil {
		return &json.UnmarshalTypeError{Value: "amount " + strconv.Quote(s), Type: amountType}
	}
	// Keep the written scale so "12.90" round-trips as 12.90.
	if _, frac, ok := strings.Cut(strings.TrimSpace(s), "."); ok && len(frac) <= maxScale {
		v = v.rescale(int8(len(frac)))
	}
	*a = v
	return nil
}

// Fixed writes the amount with at least n decimals ("12.93" with n=4 is
// "12.9300"), the way platforms that pad amounts send them. Decimals beyond
// n are kept.
func (a Amount) Fixed(n int) string {
	if int(a.scale) < n {
		a = a.rescale(int8(n))
	}
	return a.String()
}
