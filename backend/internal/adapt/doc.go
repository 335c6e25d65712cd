// Package adapt is the plumbing the platform adapters (backend/fecshop,
// fecmall, shopline, ymcart) share, written once: tolerant JSON scalars
// (Flex, FlexInt, Unix, Obj, List), a fast splitter for arrays encoding/json
// has already validated, shop-local time parsing, weight conversion, and
// the errors for an answer that cannot be read (FieldError, At,
// BadResponse).
//
// It is internal to backend: the simulated shops in backend/simshop use it
// to speak the same wire formats, and nothing outside backend needs it.
package adapt
