package adapt

import (
	"encoding/json"
	"errors"
	"strings"

	"orderdesk/backend"
)

// FieldError is a value in a shop's answer that could not be understood.
// Field is its path in the answer, such as "data[2].products[0].qty";
// Err says what is wrong with it.
type FieldError struct {
	Field string
	Err   error
}

func (e *FieldError) Error() string { return e.Field + ": " + e.Err.Error() }
func (e *FieldError) Unwrap() error { return e.Err }

// ErrMissing is the cause of a FieldError for a value the answer lacks.
var ErrMissing = errors.New("missing")

// At puts prefix, where a value was read ("data[3]", "order"), in front of
// the field err names. A *FieldError keeps its path below prefix, and so
// does a *json.UnmarshalTypeError (encoding/json's path to the value); any
// other error is about the value at prefix itself, or the whole body when
// prefix is "". The result is always a *FieldError, naming each part of the
// path once.
func At(prefix string, err error) error {
	var fe *FieldError
	if errors.As(err, &fe) {
		return &FieldError{Field: Join(prefix, fe.Field), Err: fe.Err}
	}
	var te *json.UnmarshalTypeError
	if errors.As(err, &te) {
		return &FieldError{Field: Join(prefix, te.Field), Err: err}
	}
	if prefix == "" {
		prefix = "body"
	}
	return &FieldError{Field: prefix, Err: err}
}

// Join joins two parts of a field path: "data" and "qty" is "data.qty",
// "data" and "[0]" is "data[0]", and an empty part adds nothing.
func Join(prefix, field string) string {
	switch {
	case prefix == "":
		return field
	case field == "":
		return prefix
	case strings.HasPrefix(field, "["):
		return prefix + field
	}
	return prefix + "." + field
}

// BadResponse is the ErrBadResponse for an answer to op that could not be
// read. Field is the path err names: a *FieldError's (see At), else the
// path encoding/json put in a *json.UnmarshalTypeError, else "body" (the
// answer as a whole, as for a syntax error). Err is the cause under that
// field, scrubbed of the shop's secrets by red and still reachable with
// errors.Is and errors.As.
//
// An adapter that reads the answer to a write sets Kind to
// ErrOutcomeUnknown: a garbled answer says nothing about whether the shop
// applied it.
func BadResponse(shop, op string, red *backend.Redactor, err error) *backend.Error {
	field, cause := "", err
	var fe *FieldError
	var te *json.UnmarshalTypeError
	switch {
	case errors.As(err, &fe):
		field, cause = fe.Field, fe.Err
	case errors.As(err, &te):
		field = te.Field
	}
	if field == "" {
		field = "body"
	}
	return &backend.Error{Kind: backend.ErrBadResponse, Shop: shop, Op: op, Field: field, Err: red.ScrubErr(cause)}
}
