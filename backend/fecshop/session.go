package fecshop

import (
	"context"
	"encoding/json"
	"errors"
	"net/http"
	"strings"
	"sync"

	"orderdesk/backend"
	"orderdesk/backend/internal/adapt"
	"orderdesk/backend/transport"
)

// session holds the appapi access-token. mu is held for the whole of a
// login, so concurrent requests that all meet an expired token wait for one
// login instead of each logging in (and, since Fecshop keeps one token per
// admin user, logging each other out).
type session struct {
	mu    sync.Mutex
	token string
	gen   uint64 // incremented by every successful login
}

// current returns the token, logging in first when there is none.
func (s *Shop) current(ctx context.Context) (string, uint64, error) {
	s.sess.mu.Lock()
	defer s.sess.mu.Unlock()
	if s.sess.token == "" {
		if err := s.lockedLogin(ctx); err != nil {
			return "", 0, err
		}
	}
	return s.sess.token, s.sess.gen, nil
}

// relogin replaces the token that the shop called timed out. When another
// request already logged in since that token was read (gen moved on), it
// does nothing: the new token is used.
func (s *Shop) relogin(ctx context.Context, gen uint64) error {
	s.sess.mu.Lock()
	defer s.sess.mu.Unlock()
	if s.sess.gen != gen && s.sess.token != "" {
		return nil
	}
	s.sess.token = ""
	return s.lockedLogin(ctx)
}

type loginBody struct {
	Username string `json:"username"`
	Password string `json:"password"`
}

type loginAnswer struct {
	Token  adapt.Flex `json:"access-token"`
	Status adapt.Flex `json:"status"`
}

// lockedLogin posts the credentials and stores the token; the caller holds
// sess.mu. The current token is deliberately not sent: Fecshop would hand
// back that same token if it were still valid, and a login is only made
// when there is none or the shop just called it timed out, so a fresh token
// is what is wanted. The password travels only in the JSON body.
func (s *Shop) lockedLogin(ctx context.Context) error {
	resp, err := s.client.Do(ctx, transport.Request{
		Op: "log in", Method: http.MethodPost, Path: "/v1/account/login",
		Header: http.Header{"Accept": {"application/json"}},
		JSON:   loginBody{Username: s.cfg.Username, Password: s.cfg.Password.Reveal()},
	})
	if err != nil {
		return err
	}
	var ans loginAnswer
	// Register whatever token came back before anything can print it.
	if json.Unmarshal(resp.Body, &ans) == nil {
		s.red.Add(string(ans.Token))
	}
	s.red.Add(resp.Header.Get("access-token"))
	token := strings.TrimSpace(string(ans.Token))
	if token == "" {
		token = strings.TrimSpace(resp.Header.Get("access-token"))
	}
	if token == "" {
		return &backend.Error{Kind: backend.ErrAuth, Shop: s.name, Op: "log in", Reason: "the shop answered the login without an access-token"}
	}
	s.sess.token = token
	s.sess.gen++
	return nil
}

// send makes an authenticated request. When the shop answers "token is
// time out" it logs in again once and repeats the request; a second timeout
// is ErrAuth.
//
// Repeating is safe for writes too: Fecshop's auth filter rejects the
// request before the controller runs, so a write that met a token timeout
// was NOT applied, and sending it once more cannot apply it twice.
func (s *Shop) send(ctx context.Context, req transport.Request) (*transport.Response, error) {
	token, gen, err := s.current(ctx)
	if err != nil {
		return nil, err
	}
	resp, err := s.client.Do(ctx, withToken(req, token))
	if !errors.Is(err, errTokenTimeout) {
		return resp, err
	}
	if err := s.relogin(ctx, gen); err != nil {
		return nil, err
	}
	token, _, err = s.current(ctx)
	if err != nil {
		return nil, err
	}
	resp, err = s.client.Do(ctx, withToken(req, token))
	if errors.Is(err, errTokenTimeout) {
		return nil, &backend.Error{Kind: backend.ErrAuth, Shop: s.name, Op: req.Op,
			Reason: "the shop called a freshly issued token timed out; check the appapi token timeout setting"}
	}
	return resp, err
}

// withToken returns req with the access-token header (and Accept: JSON, as
// Fecshop follows content negotiation and could answer XML).
func withToken(req transport.Request, token string) transport.Request {
	h := http.Header{}
	for k, v := range req.Header {
		h[k] = append([]string(nil), v...)
	}
	h.Set("access-token", token)
	h.Set("Accept", "application/json")
	req.Header = h
	return req
}
