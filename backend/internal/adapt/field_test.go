package adapt

import (
	"encoding/json"
	"errors"
	"strings"
	"testing"

	"orderdesk/backend"
)

func TestJoin(t *testing.T) {
	for _, c := range []struct{ prefix, field, want string }{
		{"data", "qty", "data.qty"},
		{"data", "[0].qty", "data[0].qty"},
		{"", "qty", "qty"},
		{"data[3]", "", "data[3]"},
		{"", "", ""},
	} {
		if got := Join(c.prefix, c.field); got != c.want {
			t.Errorf("Join(%q, %q) = %q, want %q", c.prefix, c.field, got, c.want)
		}
	}
}

// typeError is what encoding/json gives for a value of the wrong type.
func typeError(t *testing.T) *json.UnmarshalTypeError {
	t.Helper()
	var v struct {
		Items []struct {
			Qty FlexInt `json:"qty"`
		} `json:"items"`
	}
	var te *json.UnmarshalTypeError
	if err := json.Unmarshal([]byte(`{"items":[{"qty":"many"}]}`), &v); !errors.As(err, &te) {
		t.Fatalf("err = %v, want a type error", err)
	}
	return te
}

func TestAtNamesEachPartOnce(t *testing.T) {
	plain := errors.New("not a list of orders")
	te := typeError(t)
	for _, c := range []struct {
		name   string
		prefix string
		err    error
		field  string
		cause  error
	}{
		{"field error", "data[3]", &FieldError{Field: "qty", Err: ErrMissing}, "data[3].qty", ErrMissing},
		{"nested", "data", At("[3]", &FieldError{Field: "qty", Err: ErrMissing}), "data[3].qty", ErrMissing},
		{"type error", "data[3]", te, "data[3].items.qty", te},
		{"plain", "data", plain, "data", plain},
		{"plain, no prefix", "", plain, "body", plain},
	} {
		var fe *FieldError
		if err := At(c.prefix, c.err); !errors.As(err, &fe) || fe.Field != c.field || fe.Err != c.cause {
			t.Errorf("%s: At = %#v, want field %q cause %v", c.name, err, c.field, c.cause)
		}
	}
}

func TestBadResponse(t *testing.T) {
	red := &backend.Redactor{}
	red.Add("s3cr3t-token")
	te := typeError(t)
	syntax := json.Unmarshal([]byte(`{`), new(any))
	for _, c := range []struct {
		name  string
		err   error
		field string
		text  string
	}{
		{"field error", At("data[0]", &FieldError{Field: "qty", Err: ErrMissing}), "data[0].qty",
			"eu: list page 1: bad response (field data[0].qty): missing"},
		{"type error", te, "items.qty", "eu: list page 1: bad response (field items.qty): " + te.Error()},
		{"syntax", syntax, "body", "eu: list page 1: bad response (field body): " + syntax.Error()},
		{"secret", &FieldError{Field: "msg", Err: errors.New("token s3cr3t-token expired")}, "msg",
			"eu: list page 1: bad response (field msg): token [REDACTED] expired"},
	} {
		e := BadResponse("eu", "list page 1", red, c.err)
		if e.Field != c.field || e.Error() != c.text || !errors.Is(e, backend.ErrBadResponse) {
			t.Errorf("%s: BadResponse = field %q, %q; want field %q, %q", c.name, e.Field, e.Error(), c.field, c.text)
		}
		if strings.Contains(e.Error(), "s3cr3t") {
			t.Errorf("%s: %q leaks the secret", c.name, e.Error())
		}
	}
	if e := BadResponse("eu", "list", red, At("", &FieldError{Field: "count", Err: ErrMissing})); !errors.Is(e, ErrMissing) {
		t.Errorf("BadResponse(%v) loses the cause for errors.Is", e)
	}
}
