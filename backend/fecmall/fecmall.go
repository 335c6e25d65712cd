// Package fecmall is the adapter for the Fecmall / VanMall / Fecify open API
// (PLATFORMS.md §2): a hosted shop by the Fecmall author, read through
// /manager/api/apps/openapi/order/ with the header open-access-token. The API
// has no write endpoints, so the desk can only read these shops.
//
// Decisions where the documentation is silent or unconfirmed:
//
//   - Errors. Success is body code 200. The answer to a bad token is not
//     documented; the simulated shop answers HTTP 200
//     {"code":401,"message":"invalid open-access-token","data":null}. Body
//     codes 401 and 403 are ErrAuth, 404 ErrNotFound, 429 ErrRateLimited,
//     5xx ErrUnavailable, anything else ErrRejected with the shop's message.
//     Non-2xx HTTP answers are classified by the transport.
//   - Unknown order. Undocumented; the simulated shop answers body code 404
//     "order not found". An order/info answer with code 200 but no
//     order_info object is ErrNotFound too.
//   - order/info takes order_number as a query parameter (the seed lists it
//     under Body, but it is a GET).
//   - Lists. A complete listing is the union of order/list (paid orders,
//     payment_status 3/4/5) and order/get-pending-order-list (the rest,
//     1/2). The List cursor walks the paid list, then the unpaid list:
//     "paid:N" / "unpaid:N". pageNum is the page number and pageSize the page
//     size (the paid-list doc swaps the descriptions). totalPage says when a
//     list ends (a short page when it is missing); total, pageSize and
//     totalPage are read as strings or numbers. An order whose payment
//     changes during a walk may be missed or seen twice: sync re-checks open
//     orders. Page.Total is -1 (each list only knows its own total).
//   - Created window: created_at_begin/created_at_end, shop-local
//     "YYYY-MM-DD HH:MM:SS", taken as inclusive; the exclusive CreatedTo is
//     sent as one second earlier. There is no updated-since filter.
//   - Whether list rows carry items and addresses is unconfirmed. A row
//     without an items key (or items null) is read again with order/info;
//     the page fails whole if any such read fails. pay_txn_id is taken from
//     a row when present.
//   - Raw is the order_info object (detail, and rows read again) or the list
//     row, verbatim; pay_txn_id, which order/info sends beside order_info,
//     is not in it.
//   - Status: order_status 1 checkout-edit → draft, 2 → open, 3 → open and
//     archived, 4 → cancelled (no value means completed). payment_status 1
//     (initial) and 2 (awaiting payment) → unpaid, 3 paid, 4
//     partially_refunded, 5 refunded. fulfillment_status 1 (initial) and 2
//     (unshipped) → unfulfilled, 3 on_hold, 4 partial, 5 fulfilled, 6
//     (partially received: all shipped) → fulfilled, 7 delivered, 8
//     returned. An unknown payment or fulfillment code reads as unknown on
//     its axis; an unknown order_status is an error naming the field. The
//     label joins the three short labels: "open, awaiting payment, not
//     shipped". raw_status holds the three codes as strings.
//   - Money: curr_* in currency_code; curr_subtotal_with_discount is the
//     discount; payment_fee is the fee, read in the order currency; tax is
//     zero (the open API has no tax field); base is base_currency_code and
//     base_grand_total.
//   - Times: created_at/updated_at naive in the shop's zone; payed_at,
//     cancelled_at and fulfilled_at unix seconds with 0 = unset (each field
//     accepts either form).
//   - Shipments: the API has no carrier or tracking number. fulfilled_at
//     (the last package's ship time) becomes one shipment with only
//     shipped_at and status "shipped".
//   - Customer: order_info has no name; the name is the shipping address's
//     (else the billing address's). Names join first and last name, family
//     name first without a space when written in Han, Hangul or Kana.
//     customer_email is kept verbatim: the seed's "[email protected]"
//     (with a no-break space) is the doc site's e-mail obfuscation text,
//     decoded as that string.
//   - Addresses carry no e-mail and no province or country name (codes
//     only); billingAddress has no phone. billing_is_use_shipping_address 1
//     makes the billing address a copy of the shipping address; otherwise
//     billingAddress [] (or null) is no billing address.
//   - note is the buyer's note; there are no remarks. tags null is no tags;
//     a comma-separated string is accepted too.
//   - Payments: one, when payment_method or a transaction id is present:
//     the grand total, status the payment axis, paid_at payed_at.
//   - Weights ("111000.00" grams) are rounded to whole grams.
//   - Rate limit: undocumented; the default is 5 requests/s, burst 10.
package fecmall

import (
	"context"
	"fmt"
	"net/url"
	"strings"
	"time"

	"orderdesk/backend"
	"orderdesk/backend/transport"
)

const (
	defaultRate     = 5
	defaultBurst    = 10
	defaultPageSize = 50
	apiPath         = "/manager/api/apps/openapi/order/"
	tokenHeader     = "open-access-token"
)

// Shop is one Fecmall shop. It is safe for concurrent use.
type Shop struct {
	cfg      backend.ShopConfig
	http     *transport.Client
	dec      decoder
	pageSize int
}

// New checks cfg and returns the shop. cfg.URL is the shop's site URL
// (https://your-domain.com); cfg.Token is the open-access-token created in
// the admin's Open API plugin.
func New(cfg backend.ShopConfig) (*Shop, error) {
	if cfg.Name == "" {
		return nil, fmt.Errorf("fecmall shop: the shop needs a name")
	}
	if cfg.Platform != "" && cfg.Platform != backend.Fecmall {
		return nil, fmt.Errorf("fecmall shop %q: platform is %q, not fecmall", cfg.Name, cfg.Platform)
	}
	u, err := url.Parse(strings.TrimSpace(cfg.URL))
	switch {
	case err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "":
		return nil, fmt.Errorf("fecmall shop %q: url must be the shop's address, like https://your-domain.com", cfg.Name)
	case u.User != nil || u.RawQuery != "" || u.Fragment != "":
		return nil, fmt.Errorf("fecmall shop %q: url must not carry credentials, a query or a fragment: the token goes in token_env or token_cmd", cfg.Name)
	}
	if cfg.Token.IsZero() {
		return nil, fmt.Errorf("fecmall shop %q: no token: create a permission in the admin's Open API plugin (开放api插件) and set token_env or token_cmd to its open-access-token", cfg.Name)
	}
	red := &backend.Redactor{}
	red.Add(cfg.Token.Reveal())
	red.Add(cfg.Password.Reveal())
	rate, burst := cfg.Rate, cfg.Burst
	if rate <= 0 {
		rate = defaultRate
	}
	if burst <= 0 {
		burst = max(defaultBurst, int(rate))
	}
	s := &Shop{cfg: cfg, pageSize: defaultPageSize,
		dec: decoder{shop: cfg.Name, loc: cfg.Loc(), red: red, now: time.Now}}
	s.http = transport.New(transport.Config{
		Shop: cfg.Name, BaseURL: strings.TrimRight(u.String(), "/"), Rate: rate, Burst: burst,
		Timeout: cfg.Timeout, CallLimit: cfg.CallLimit, Logger: cfg.Logger, Redactor: red, RoundTripper: cfg.Transport,
		Envelope: envelopeHook, Reason: reasonHook,
	})
	return s, nil
}

// RequestRate is the requests per second the shop is sent at most
// (backend.RequestRater): the configured rate, else the platform's default.
func (s *Shop) RequestRate() float64 { return s.http.Rate() }

func (s *Shop) Name() string               { return s.cfg.Name }
func (s *Shop) Platform() backend.Platform { return backend.Fecmall }

// Why each action is unavailable, in the operator's words.
var unsupported = map[backend.ActionKind]string{
	backend.ActionStatus: "Fecmall's open API has no write endpoints: change this order's status in the Fecmall admin",
	backend.ActionShip:   "Fecmall's open API has no write endpoints: ship this order and enter its tracking number in the Fecmall admin",
	backend.ActionRemark: "Fecmall's open API has no write endpoints: edit this order's note in the Fecmall admin",
}

// Capabilities: read-only; lists filter by creation time only.
func (s *Shop) Capabilities() backend.Capabilities {
	c := func(k backend.ActionKind) backend.Capability {
		return backend.Capability{Why: unsupported[k], Notifies: backend.NotifyNever}
	}
	return backend.Capabilities{CreatedWindow: true,
		Status: c(backend.ActionStatus), Ship: c(backend.ActionShip), Remark: c(backend.ActionRemark)}
}

// Check refuses every action: the platform has none.
func (s *Shop) Check(o *backend.Order, a backend.Action) error {
	op := string(a.Kind)
	if o != nil {
		op += " " + o.Number
	}
	why, ok := unsupported[a.Kind]
	if !ok {
		why = fmt.Sprintf("Fecmall's open API has no write endpoints, and %q is not an action the desk knows", a.Kind)
	}
	return backend.Unsupported(s.cfg.Name, op, why)
}

// Apply sends nothing: Check always fails.
func (s *Shop) Apply(ctx context.Context, o *backend.Order, a backend.Action) (*backend.Order, error) {
	return nil, s.Check(o, a)
}
