package adapt

import (
	"encoding/json"
	"reflect"
	"testing"
)

// splitCases are valid JSON texts, arrays and not; SplitArray must agree
// with json.Unmarshal into []json.RawMessage on each array and decline the
// rest.
var splitCases = []string{
	`[]`, ` [ ] `, "[\n]", `[1]`, `[1,2 , 3]`, `["a","b\"]","c\\"]`, `[{"a":[1,{"b":"]}"}]},[],{}]`,
	`[null,true,false,-1.5e3,"\u00e9\\u005d"]`, " [\t{\"x\" : \"y\"} ,\r\n\"z\" ]\n", `[[[]],[[],[]]]`, `["}{][",{"k":"\\"}]`,
	`{}`, `null`, `"[1]"`, `12`, `{"a":[1]}`,
}

func TestSplitArrayAgreesWithUnmarshal(t *testing.T) {
	for _, c := range splitCases {
		checkSplit(t, []byte(c))
	}
}

func FuzzSplitArray(f *testing.F) {
	for _, c := range splitCases {
		f.Add([]byte(c))
	}
	f.Fuzz(func(t *testing.T, b []byte) {
		if json.Valid(b) {
			checkSplit(t, b)
		}
	})
}

func checkSplit(t *testing.T, in []byte) {
	t.Helper()
	b := append([]byte(nil), in...)
	var want []json.RawMessage
	isArray := json.Unmarshal(b, &want) == nil && want != nil
	got, ok := SplitArray(b)
	if ok != isArray {
		t.Fatalf("SplitArray(%q) ok = %v, json.Unmarshal gives %q", b, ok, want)
	}
	if !ok {
		return
	}
	if !reflect.DeepEqual(got, want) {
		t.Fatalf("SplitArray(%q) = %q, json.Unmarshal gives %q", b, got, want)
	}
	for i := range b {
		b[i] = 'X' // the elements must not alias the input
	}
	if !reflect.DeepEqual(got, want) {
		t.Fatalf("SplitArray(%q): elements alias the input", in)
	}
}

// plainCases are string literals and near misses; plainString must either
// decline or give what json.Unmarshal gives.
var plainCases = []string{
	`""`, `"abc"`, `"Zoë Müller"`, `"a\"b"`, `"a\\b"`, `"\u00e9"`, `"a"b"`, `"abc`, `"`, `abc"`, "\"a\tb\"", "\"\xff\"", `"日本"`, `12`,
}

func TestPlainStringAgreesWithUnmarshal(t *testing.T) {
	for _, c := range plainCases {
		checkPlain(t, []byte(c))
	}
	if _, ok := plainString([]byte(`"Zoë Müller"`)); !ok {
		t.Fatal("plainString declines a string without escapes")
	}
}

func FuzzPlainString(f *testing.F) {
	for _, c := range plainCases {
		f.Add([]byte(c))
	}
	f.Fuzz(checkPlain)
}

func checkPlain(t *testing.T, b []byte) {
	got, ok := plainString(b)
	if !ok {
		return
	}
	var want string
	if err := json.Unmarshal(b, &want); err != nil || got != want {
		t.Fatalf("plainString(%q) = %q, json.Unmarshal gives %q, %v", b, got, want, err)
	}
}
