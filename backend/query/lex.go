package query

import (
	"strings"
	"unicode"
	"unicode/utf8"
)

// rawTerm is one term as typed, split into its parts but not yet checked.
type rawTerm struct {
	text   string // the term as typed: input[pos:end]
	pos    int    // byte offset of the term in the input
	neg    bool
	field  string   // as typed; "" for free text
	op     string   // ":", "=", ">", ">=", "<", "<=" ("" for free text)
	value  string   // the value with quotes removed
	parts  []string // value split at unquoted commas
	quoted bool     // some of the value was quoted
}

// lex splits s into terms. Terms are separated by Unicode white space
// (the ideographic space too). A term is an optional '-', then either
// FIELD OP VALUE, where FIELD is ASCII letters or '_' and OP is ':' '=' '>'
// '>=' '<' '<=' (or ':' followed by one of the others, GitHub style), or a
// free-text word. A word runs to the next unquoted white space; a double
// quote starts a quoted stretch in which white space, commas and quotes
// escaped as \" (and \\ for a backslash) are ordinary characters.
func lex(s string) ([]rawTerm, *Error) {
	var out []rawTerm
	i := 0
	for {
		i = skipSpace(s, i)
		if i >= len(s) {
			return out, nil
		}
		t := rawTerm{pos: i}
		if s[i] == '-' {
			t.neg = true
			i++
			if i >= len(s) || spaceAt(s, i) {
				return nil, &Error{Term: "-", Pos: t.pos, Kind: ErrMissingValue, Msg: `nothing after "-"`}
			}
		}
		if field, op, n := fieldPrefix(s[i:]); n > 0 {
			t.field, t.op = field, op
			i += n
		}
		end, err := t.readWord(s, i)
		if err != nil {
			return nil, err
		}
		t.text = s[t.pos:end]
		out = append(out, t)
		i = end
	}
}

func skipSpace(s string, i int) int {
	for i < len(s) {
		r, n := utf8.DecodeRuneInString(s[i:])
		if !unicode.IsSpace(r) {
			break
		}
		i += n
	}
	return i
}

func spaceAt(s string, i int) bool {
	r, _ := utf8.DecodeRuneInString(s[i:])
	return unicode.IsSpace(r)
}

// fieldPrefix recognises "FIELD OP" at the start of s and returns the field,
// the operator and their length, or n == 0.
func fieldPrefix(s string) (field, op string, n int) {
	j := 0
	for j < len(s) && (s[j] >= 'a' && s[j] <= 'z' || s[j] >= 'A' && s[j] <= 'Z' || s[j] == '_') {
		j++
	}
	if j == 0 || j == len(s) {
		return "", "", 0
	}
	field = s[:j]
	rest := s[j:]
	if rest[0] == ':' {
		if o := cmpOp(rest[1:]); o != "" {
			return field, o, j + 1 + len(o)
		}
		return field, ":", j + 1
	}
	if o := cmpOp(rest); o != "" {
		return field, o, j + len(o)
	}
	return "", "", 0
}

// cmpOp is the comparison operator s starts with, or "".
func cmpOp(s string) string {
	for _, o := range []string{">=", "<=", ">", "<", "="} {
		if strings.HasPrefix(s, o) {
			return o
		}
	}
	return ""
}

// readWord reads the value starting at i into t and returns where it ends.
func (t *rawTerm) readWord(s string, i int) (int, *Error) {
	var whole, part strings.Builder
	write := func(x string) { whole.WriteString(x); part.WriteString(x) }
	for i < len(s) {
		r, n := utf8.DecodeRuneInString(s[i:])
		switch {
		case unicode.IsSpace(r):
			return t.finish(&whole, &part, i), nil
		case r == ',':
			t.parts = append(t.parts, part.String())
			part.Reset()
			whole.WriteByte(',')
			i++
		case r == '"':
			t.quoted = true
			j, ok := readQuoted(s, i+1, write)
			if !ok {
				return 0, &Error{Term: s[t.pos:], Pos: t.pos, Kind: ErrUnterminated, Msg: "unterminated quote"}
			}
			i = j
		default:
			write(s[i : i+n])
			i += n
		}
	}
	return t.finish(&whole, &part, i), nil
}

func (t *rawTerm) finish(whole, part *strings.Builder, end int) int {
	t.parts = append(t.parts, part.String())
	t.value = whole.String()
	return end
}

// readQuoted reads a quoted stretch whose opening quote is just before i,
// and returns the index after the closing quote.
func readQuoted(s string, i int, write func(string)) (int, bool) {
	for i < len(s) {
		switch c := s[i]; {
		case c == '\\' && i+1 < len(s) && (s[i+1] == '"' || s[i+1] == '\\'):
			write(s[i+1 : i+2])
			i += 2
		case c == '"':
			return i + 1, true
		default:
			write(s[i : i+1])
			i++
		}
	}
	return i, false
}

// quote writes v so that lex reads it back as one value: bare when it can
// be, else in double quotes with \" and \\ escaped. list says commas would
// split the value; text says v is a free-text term, which must not start
// with '-' or look like FIELD OP. A field value must not start with an
// operator character either.
func quote(v string, list, text bool) string {
	plain := v != "" && !strings.ContainsAny(v, `"`)
	if plain {
		for _, r := range v {
			if unicode.IsSpace(r) || list && r == ',' {
				plain = false
				break
			}
		}
	}
	if plain && text {
		_, _, n := fieldPrefix(v)
		plain = n == 0 && v[0] != '-'
	}
	if plain && !text {
		plain = cmpOp(v) == ""
	}
	if plain {
		return v
	}
	r := strings.NewReplacer(`\`, `\\`, `"`, `\"`)
	return `"` + r.Replace(v) + `"`
}
