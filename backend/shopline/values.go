package shopline

import (
	"fmt"
	"strconv"
	"strings"

	"orderdesk/backend"
	"orderdesk/backend/internal/adapt"
)

// exactDecimal writes a JSON number literal as a plain decimal without ever
// going through float64: "12.9" stays "12.9", "1.23456789E7" becomes
// "12345678.9" (Java serialises large doubles with an exponent).
func exactDecimal(s string) (string, error) {
	s = strings.TrimSpace(s)
	mant, exp, hasExp := strings.Cut(strings.ToLower(s), "e")
	if !hasExp {
		return s, nil
	}
	shift, err := strconv.Atoi(strings.TrimPrefix(exp, "+"))
	if err != nil || shift > 30 || shift < -30 {
		return "", fmt.Errorf("%w: %q", backend.ErrAmount, s)
	}
	sign := ""
	if strings.HasPrefix(mant, "-") || strings.HasPrefix(mant, "+") {
		if mant[0] == '-' {
			sign = "-"
		}
		mant = mant[1:]
	}
	intPart, frac, _ := strings.Cut(mant, ".")
	digits := intPart + frac
	if digits == "" || strings.Trim(digits, "0123456789") != "" {
		return "", fmt.Errorf("%w: %q", backend.ErrAmount, s)
	}
	point := len(intPart) + shift // position of the decimal point in digits
	switch {
	case point <= 0:
		digits = "0." + strings.Repeat("0", -point) + digits
	case point >= len(digits):
		digits += strings.Repeat("0", point-len(digits))
	default:
		digits = digits[:point] + "." + digits[point:]
	}
	return sign + digits, nil
}

// boolFlags are the spellings of a boolean SHOPLINE (or a proxy) may send.
var boolFlags = map[string]bool{"": false, "false": false, "0": false, "true": true, "1": true}

func parseBool(s string) (bool, error) {
	v, ok := boolFlags[strings.ToLower(strings.TrimSpace(s))]
	if !ok {
		return false, fmt.Errorf("%q is not a boolean", s)
	}
	return v, nil
}

// splitTags reads SHOPLINE's comma-separated tags ("xternal, Inbound").
func splitTags(s string) []string {
	var out []string
	for _, t := range strings.Split(s, ",") {
		if t = strings.TrimSpace(t); t != "" {
			out = append(out, t)
		}
	}
	return out
}

// shoplineGrams reads a weight in grams, sent as a JSON double (possibly in
// exponent form), as whole grams rounded half away from zero.
func shoplineGrams(s string) (int64, error) {
	text, err := exactDecimal(s)
	if err != nil {
		return 0, err
	}
	return adapt.RoundGrams(text)
}
