package adapt

import (
	"bytes"
	"encoding/json"
	"reflect"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"

	"orderdesk/backend"
)

// Tolerant JSON scalars for platform decoders (SPEC §2): a number may arrive
// as a string and vice versa, an empty object may arrive as [], and null and
// missing are the same. A value that cannot be understood is a
// *json.UnmarshalTypeError, which encoding/json annotates with the field path,
// so decode errors name the field.

var (
	flexType   = reflect.TypeFor[Flex]()
	flexIntTyp = reflect.TypeFor[FlexInt]()
	unixType   = reflect.TypeFor[Unix]()
)

// Flex is a scalar read as text: a string, a number (its literal text), a
// bool ("true"/"false") or null (""). Objects and arrays are an error.
type Flex string

func (f *Flex) UnmarshalJSON(b []byte) error {
	b = bytes.TrimSpace(b)
	switch {
	case len(b) == 0 || string(b) == "null":
		*f = ""
	case b[0] == '"':
		if s, ok := plainString(b); ok {
			*f = Flex(s)
			return nil
		}
		var s string
		if err := json.Unmarshal(b, &s); err != nil {
			return err
		}
		*f = Flex(s)
	case b[0] == '{' || b[0] == '[':
		return &json.UnmarshalTypeError{Value: "object or array", Type: flexType}
	default:
		*f = Flex(b)
	}
	return nil
}

func (f Flex) String() string { return string(f) }

// plainString decodes a JSON string literal that has no escapes, no
// control characters and only valid UTF-8: its text is the bytes between
// the quotes, as json.Unmarshal would give it. ok is false for anything
// else, which the caller hands to json.Unmarshal.
func plainString(b []byte) (string, bool) {
	if len(b) < 2 || b[0] != '"' || b[len(b)-1] != '"' {
		return "", false
	}
	in := b[1 : len(b)-1]
	for _, c := range in {
		if c < 0x20 || c == '"' || c == '\\' {
			return "", false
		}
	}
	if !utf8.Valid(in) {
		return "", false
	}
	return string(in), true
}

// FlexInt is an integer sent as a number or a numeric string. Empty, null and
// missing read as 0 with Set false. "12.00" is accepted when the fraction is
// zero; other text is an error.
type FlexInt struct {
	V   int64
	Set bool
}

func (n *FlexInt) UnmarshalJSON(b []byte) error {
	var f Flex
	if err := f.UnmarshalJSON(b); err != nil {
		return &json.UnmarshalTypeError{Value: "object or array", Type: flexIntTyp}
	}
	s := strings.TrimSpace(string(f))
	if s == "" {
		*n = FlexInt{}
		return nil
	}
	v, err := parseWholeNumber(s)
	if err != nil {
		return &json.UnmarshalTypeError{Value: "number " + strconv.Quote(s), Type: flexIntTyp}
	}
	*n = FlexInt{V: v, Set: true}
	return nil
}

func (n FlexInt) MarshalJSON() ([]byte, error) { return []byte(strconv.FormatInt(n.V, 10)), nil }

func parseWholeNumber(s string) (int64, error) {
	if v, err := strconv.ParseInt(s, 10, 64); err == nil {
		return v, nil
	}
	// Whole numbers written with a zero fraction ("111000.00"):
	// ParseDecimal drops the zeros, so a whole number has no decimals left.
	a, err := backend.ParseDecimal(s)
	if err != nil {
		return 0, err
	}
	coef, scale := a.Minor()
	if scale != 0 {
		return 0, backend.ErrAmount
	}
	return coef, nil
}

// Int returns the value as an int.
func (n FlexInt) Int() int { return int(n.V) }

// Unix is a time sent as unix seconds, a number or a string; 0, "0", "",
// null and missing mean unset.
type Unix struct{ T time.Time }

func (u *Unix) UnmarshalJSON(b []byte) error {
	var n FlexInt
	if err := n.UnmarshalJSON(b); err != nil {
		return &json.UnmarshalTypeError{Value: "unix time " + strconv.Quote(string(b)), Type: unixType}
	}
	if !n.Set || n.V == 0 {
		*u = Unix{}
		return nil
	}
	u.T = time.Unix(n.V, 0).UTC()
	return nil
}

// Ptr returns the time as stored in an Order: nil when unset.
func (u Unix) Ptr() *time.Time { return backend.UTC(u.T) }

// Obj is an object that PHP platforms send as [] when empty. [] , {}, null
// and missing all leave Set false; a non-empty array is an error.
type Obj[T any] struct {
	V   T
	Set bool
}

func (o *Obj[T]) UnmarshalJSON(b []byte) error {
	b = bytes.TrimSpace(b)
	if len(b) == 0 || string(b) == "null" {
		*o = Obj[T]{}
		return nil
	}
	if b[0] == '[' {
		var arr []json.RawMessage
		if err := json.Unmarshal(b, &arr); err != nil {
			return err
		}
		if len(arr) == 0 {
			*o = Obj[T]{}
			return nil
		}
		return &json.UnmarshalTypeError{Value: "non-empty array", Type: reflect.TypeFor[T]()}
	}
	if err := json.Unmarshal(b, &o.V); err != nil {
		return err
	}
	o.Set = string(b) != "{}"
	return nil
}

// List is an array that may arrive as null, missing, {} (an empty PHP array
// encoded as an object) or a single object instead of a one-element array.
type List[T any] []T

func (l *List[T]) UnmarshalJSON(b []byte) error {
	b = bytes.TrimSpace(b)
	switch {
	case len(b) == 0 || string(b) == "null" || string(b) == "{}" || string(b) == `""`:
		*l = nil
		return nil
	case b[0] == '{':
		var one T
		if err := json.Unmarshal(b, &one); err != nil {
			return err
		}
		*l = List[T]{one}
		return nil
	case b[0] == '[':
		if raws, ok := any(l).(*List[json.RawMessage]); ok {
			// b comes from encoding/json, which has validated it.
			if elems, ok := SplitArray(b); ok {
				*raws = elems
				return nil
			}
		}
		var many []T
		if err := json.Unmarshal(b, &many); err != nil {
			return err
		}
		*l = many
		return nil
	}
	return &json.UnmarshalTypeError{Value: "scalar", Type: reflect.TypeFor[[]T]()}
}
