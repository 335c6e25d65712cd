package adapt

import "encoding/json"

// SplitArray returns the elements of the JSON array b exactly as
// json.Unmarshal into a []json.RawMessage gives them (each element's bytes
// without the whitespace around it, an empty non-nil slice for []), in one
// plain pass over b instead of encoding/json's validation and skip passes.
//
// b must be JSON that encoding/json has already accepted: the bytes an
// UnmarshalJSON method is handed, or a json.RawMessage a successful
// Unmarshal filled. SplitArray does not validate it again. ok is false when
// b is not an array (or not shaped like one); the caller then decodes with
// json.Unmarshal, which gives the usual answer or error.
//
// The elements share one copy of b, so they stay valid when b's buffer is
// reused.
func SplitArray(b []byte) (elems []json.RawMessage, ok bool) {
	i := skipSpace(b, 0)
	if i == len(b) || b[i] != '[' {
		return nil, false
	}
	buf := make([]byte, len(b))
	copy(buf, b)
	elems = []json.RawMessage{}
	i = skipSpace(buf, i+1)
	if i < len(buf) && buf[i] == ']' {
		return elems, skipSpace(buf, i+1) == len(buf)
	}
	for i < len(buf) {
		end := skipValue(buf, i)
		if end <= i {
			return nil, false
		}
		elems = append(elems, buf[i:end:end])
		i = skipSpace(buf, end)
		switch {
		case i == len(buf):
			return nil, false
		case buf[i] == ',':
			i = skipSpace(buf, i+1)
		case buf[i] == ']':
			return elems, skipSpace(buf, i+1) == len(buf)
		default:
			return nil, false
		}
	}
	return nil, false
}

// skipSpace returns the first position at or after i that is not JSON
// whitespace.
func skipSpace(b []byte, i int) int {
	for i < len(b) {
		switch b[i] {
		case ' ', '\t', '\n', '\r':
			i++
		default:
			return i
		}
	}
	return i
}

// skipString returns the position after the string whose opening quote is
// at i, or -1 when it does not end.
func skipString(b []byte, i int) int {
	for i++; i < len(b); i++ {
		switch b[i] {
		case '\\':
			i++
		case '"':
			return i + 1
		}
	}
	return -1
}

// skipValue returns the position after the value starting at i (a string,
// object, array or literal), or -1 when it does not end.
func skipValue(b []byte, i int) int {
	switch b[i] {
	case '"':
		return skipString(b, i)
	case '{', '[':
		depth := 0
		for i < len(b) {
			switch b[i] {
			case '"':
				if i = skipString(b, i); i < 0 {
					return -1
				}
				continue
			case '{', '[':
				depth++
			case '}', ']':
				if depth--; depth == 0 {
					return i + 1
				}
			}
			i++
		}
		return -1
	}
	for ; i < len(b); i++ {
		switch b[i] {
		case ',', ']', '}', ' ', '\t', '\n', '\r':
			return i
		}
	}
	return i
}
