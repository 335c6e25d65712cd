package fecshop

import (
	"encoding/json"
	"errors"
	"fmt"
	"strings"

	"orderdesk/backend"
	"orderdesk/backend/internal/adapt"
	"orderdesk/backend/transport"
)

// Fecshop answers HTTP 200 for application errors and puts the outcome in
// the body's code (PLATFORMS §1.4).
const (
	codeOK           = 200
	codeTokenTimeout = 1100003 // missing, invalid or expired access-token
)

var (
	// errTokenTimeout marks the "token is time out" answer: log in again.
	errTokenTimeout = errors.New("token is time out")
	// errPastLastPage marks the list's "exceeded the maximum number of
	// pages" answer, which is also how an empty result looks.
	errPastLastPage = errors.New("past the last page")
)

// pageEnd is the list's "exceeded" answer with its pagination headers (the
// transport returns no response with an error, so they travel here).
type pageEnd struct{ total, pages int }

func (e *pageEnd) Error() string        { return errPastLastPage.Error() }
func (e *pageEnd) Is(target error) bool { return target == errPastLastPage }

// envelopeBody is the part of every answer the envelope check reads.
type envelopeBody struct {
	Code    *adapt.FlexInt  `json:"code"`
	Message adapt.Flex      `json:"message"`
	ErrorNo adapt.Flex      `json:"error_no"`
	Data    json.RawMessage `json:"data"`
}

// envelope classifies an HTTP-200 body by its code. A body that is not a
// JSON object with a code is left to the decoder, which reports the field
// it could not read (and does not make a read retry a garbled page).
func envelope(r *transport.Response) error {
	env, ok := readEnvelope(r.Body)
	if !ok {
		return nil
	}
	code, msg := env.Code.V, string(env.Message)
	switch {
	case code == codeOK:
		return nil
	case code == codeTokenTimeout:
		return &backend.Error{Kind: backend.ErrAuth, Reason: "token is time out", Err: errTokenTimeout}
	case code == 429:
		// The production error handler renders TooManyRequestsHttpException
		// as {"code":429,"error_no":...}, often with HTTP 200; the transport
		// takes the wait from X-Rate-Limit-Reset.
		return &backend.Error{Kind: backend.ErrRateLimited, Reason: describe(env)}
	case code == 401 || code == 403 || code == 1000004:
		// 401 is the login's refusal ({"access-token":"","status":"error"}).
		return &backend.Error{Kind: backend.ErrAuth, Reason: authReason(env)}
	case code == 400 && strings.Contains(msg, "exceeded the maximum number of pages"):
		total, pages := pagination(r)
		return &backend.Error{Kind: backend.ErrRejected, Reason: msg, Err: &pageEnd{total: total, pages: pages}}
	case code == 400 && strings.Contains(msg, "can not find order"):
		return &backend.Error{Kind: backend.ErrNotFound, Reason: msg}
	case code >= 500 && code < 600, code >= 1000001 && code <= 1000003:
		// Server failures and lost database connections: nothing was done.
		return &backend.Error{Kind: backend.ErrUnavailable, Reason: describe(env)}
	}
	return &backend.Error{Kind: backend.ErrRejected, Reason: describe(env)}
}

// readEnvelope reads the code, and the message parts that can be read: a
// strange message must not hide a code such as "token is time out".
func readEnvelope(body []byte) (envelopeBody, bool) {
	var raw struct {
		Code    *adapt.FlexInt  `json:"code"`
		Message json.RawMessage `json:"message"`
		ErrorNo json.RawMessage `json:"error_no"`
		Data    json.RawMessage `json:"data"`
	}
	if json.Unmarshal(body, &raw) != nil || raw.Code == nil || !raw.Code.Set {
		return envelopeBody{}, false
	}
	env := envelopeBody{Code: raw.Code, Data: raw.Data}
	_ = env.Message.UnmarshalJSON(raw.Message)
	_ = env.ErrorNo.UnmarshalJSON(raw.ErrorNo)
	return env, true
}

// describe renders the shop's message with the data.error list when the
// shop gave one, or the production handler's code and error_no.
func describe(env envelopeBody) string {
	msg := strings.TrimSpace(string(env.Message))
	var details struct {
		Error []string `json:"error"`
	}
	if len(env.Data) > 0 && env.Data[0] == '{' && json.Unmarshal(env.Data, &details) == nil && len(details.Error) > 0 {
		msg = strings.TrimSuffix(msg+": "+strings.Join(details.Error, "; "), ": ")
		msg = strings.TrimPrefix(msg, ": ")
	}
	if msg == "" {
		code := int64(0)
		if env.Code != nil {
			code = env.Code.V
		}
		msg = fmt.Sprintf("code %d", code)
		if env.ErrorNo != "" {
			msg += ", error_no " + string(env.ErrorNo)
		}
	}
	return msg
}

func authReason(env envelopeBody) string {
	if env.Code != nil && env.Code.V == 401 && env.Message == "" {
		return "the shop refused the username or password (or the user is not in apiUserAllow)"
	}
	return describe(env)
}

// reason extracts the message of a non-2xx body: the production handler's
// {"code":N,"error_no":"..."} or a regular envelope.
func reason(body []byte) string {
	env, ok := readEnvelope(body)
	if !ok {
		return ""
	}
	return describe(env)
}
