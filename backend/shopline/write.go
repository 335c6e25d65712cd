package shopline

import (
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"net/url"
	"strconv"
	"strings"

	"orderdesk/backend"
	"orderdesk/backend/internal/adapt"
	"orderdesk/backend/transport"
)

// statusAction is one settable status: its endpoint and the rule the desk
// enforces before sending it.
type statusAction struct {
	value, label string
	method, path string                        // path takes the order id
	refuse       func(o *backend.Order) string // "" when allowed
	body         func(a backend.Action) any    // nil: no body
	irreversible string                        // what cannot be undone ("" when it can)
}

var statusActions = []statusAction{
	{value: "cancel", label: "Cancel the order", method: http.MethodPost, path: "/orders/%s/cancel.json", refuse: refuseCancel, body: cancelBody,
		irreversible: "cancels the order on SHOPLINE: a cancelled order cannot be reopened"},
	{value: "archive", label: "Archive (hide) the order", method: http.MethodPut, path: "/orders/%s/hide_mark.json", refuse: refuseArchive,
		irreversible: "archives the order: it leaves the shop's open orders (unarchive brings it back)"},
	{value: "unarchive", label: "Unarchive (reopen) the order", method: http.MethodPut, path: "/orders/%s/cancel_hide_mark.json", refuse: refuseUnarchive},
}

func findStatusAction(value string) (statusAction, bool) {
	for _, a := range statusActions {
		if a.value == value {
			return a, true
		}
	}
	return statusAction{}, false
}

func refuseCancel(o *backend.Order) string {
	switch {
	case o.State.Order == backend.OrderCancelled:
		return "this order is already cancelled"
	case o.State.Fulfillment != backend.FulUnfulfilled:
		return "SHOPLINE cancels only orders with nothing shipped; this order is " + fulfilmentWords(o)
	}
	return ""
}

func refuseArchive(o *backend.Order) string {
	if o.State.Archived {
		return "this order is already archived"
	}
	return ""
}

func refuseUnarchive(o *backend.Order) string {
	if !o.State.Archived {
		return "this order is not archived"
	}
	return ""
}

// fulfilmentWords names an order's fulfilment state with the status table's label.
func fulfilmentWords(o *backend.Order) string {
	for _, r := range statusTable {
		if r.field == fieldFulfillment && r.fulfillment == o.State.Fulfillment {
			return r.label
		}
	}
	return "in an unknown fulfilment state"
}

// cancelRequest: cancel_reason is Action.Remark or "other"; restock is true
// (nothing has shipped, so the stock goes back); email (a bool: mail the
// buyer) is Action.Notify. No refund amount is sent.
type cancelRequest struct {
	CancelReason string `json:"cancel_reason"`
	Restock      bool   `json:"restock"`
	Email        bool   `json:"email"`
}

func cancelBody(a backend.Action) any {
	reason := strings.TrimSpace(a.Remark)
	if reason == "" {
		reason = "other"
	}
	return cancelRequest{CancelReason: reason, Restock: true, Email: a.Notify}
}

// Check applies SHOPLINE's rules without I/O.
func (s *Shop) Check(o *backend.Order, a backend.Action) error {
	if o == nil {
		return backend.Refused(s.cfg.Name, string(a.Kind), "no order given")
	}
	op := string(a.Kind) + " " + o.Number
	if err := backend.RefuseTooLong(s.cfg.Name, op, a); err != nil {
		return err // SHOPLINE stores whatever it is sent: the desk's limits hold
	}
	if o.ID == "" {
		return backend.Refused(s.cfg.Name, op, "the order has no SHOPLINE id; refresh it first")
	}
	reason := ""
	switch a.Kind {
	case backend.ActionStatus:
		act, ok := findStatusAction(a.Status)
		if !ok {
			return backend.Unsupported(s.cfg.Name, op, fmt.Sprintf("SHOPLINE accepts the status values cancel, archive and unarchive, not %q", a.Status))
		}
		reason = act.refuse(o)
	case backend.ActionShip:
		reason = refuseShip(o, a.Shipment)
	case backend.ActionRemark:
		if strings.TrimSpace(a.Remark) == "" {
			reason = "the remark is empty"
		}
	default:
		return backend.Unsupported(s.cfg.Name, op, fmt.Sprintf("SHOPLINE has no %q action", a.Kind))
	}
	if reason != "" {
		return backend.Refused(s.cfg.Name, op, reason)
	}
	return nil
}

func refuseShip(o *backend.Order, sh backend.Shipment) string {
	switch {
	case o.State.Order == backend.OrderCancelled:
		return "SHOPLINE does not ship cancelled orders; this order was cancelled"
	case o.State.Fulfillment == backend.FulFulfilled:
		return "every item of this order is already shipped"
	case o.State.Fulfillment != backend.FulUnfulfilled && o.State.Fulfillment != backend.FulPartial:
		return "the order's fulfilment status is unknown; refresh it first"
	case strings.TrimSpace(sh.TrackingNumber) == "":
		return "enter a tracking number"
	case strings.TrimSpace(sh.Carrier) == "":
		return "enter the carrier (SHOPLINE's tracking company)"
	}
	if sh.TrackingURL != "" {
		if u, err := url.Parse(sh.TrackingURL); err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" {
			return fmt.Sprintf("the tracking URL %s is not an http(s) address", backend.Quote(sh.TrackingURL))
		}
	}
	return ""
}

// Apply checks, then sends one write. Remark and ship read the order fresh
// first (read-modify-write); a refusal on the fresh copy sends nothing.
func (s *Shop) Apply(ctx context.Context, o *backend.Order, a backend.Action) (*backend.Order, error) {
	if err := s.Check(o, a); err != nil {
		return nil, err
	}
	switch a.Kind {
	case backend.ActionRemark:
		return s.remark(ctx, o, a)
	case backend.ActionShip:
		return s.ship(ctx, o, a)
	}
	act, _ := findStatusAction(a.Status)
	var body any
	if act.body != nil {
		body = act.body(a)
	}
	op := a.Status + " " + o.Number
	resp, err := s.do(ctx, op, act.method, fmt.Sprintf(act.path, url.PathEscape(o.ID)), nil, body, true)
	return s.orderAnswer(op, resp, err)
}

// fresh re-reads the order and checks it is still the same one.
func (s *Shop) fresh(ctx context.Context, o *backend.Order, op string, a backend.Action) (*backend.Order, error) {
	f, err := s.get(ctx, o.Number, passOf[o.State.Fulfillment])
	if err != nil {
		return nil, err
	}
	if f.ID != o.ID {
		return nil, backend.Refused(s.cfg.Name, op, fmt.Sprintf("order %s now has id %s, not %s; refresh it", o.Number, f.ID, o.ID))
	}
	return f, s.Check(f, a)
}

// remarkRequest is PUT orders/:id.json with the full note_attributes list.
type remarkRequest struct {
	Order remarkOrder `json:"order"`
}

type remarkOrder struct {
	ID             string      `json:"id"`
	NoteAttributes []noteEntry `json:"note_attributes"`
}

type noteEntry struct {
	Name       string `json:"name"`
	Value      string `json:"value"`
	CreateTime string `json:"create_time,omitempty"`
}

// remarkBody appends {name: RemarkAuthor, value: text} to the order's
// note_attributes as read, keeping every existing entry (and its
// create_time): SHOPLINE may replace the whole list with what is sent.
func remarkBody(fresh *backend.Order, text string) (remarkRequest, error) {
	var w struct {
		NoteAttributes adapt.List[wireNote] `json:"note_attributes"`
	}
	if err := json.Unmarshal(fresh.Raw, &w); err != nil {
		return remarkRequest{}, err
	}
	notes := make([]noteEntry, 0, len(w.NoteAttributes)+1)
	for _, n := range w.NoteAttributes {
		notes = append(notes, noteEntry{Name: string(n.Name), Value: string(n.Value), CreateTime: string(n.CreateTime)})
	}
	notes = append(notes, noteEntry{Name: RemarkAuthor, Value: strings.TrimSpace(text)})
	return remarkRequest{Order: remarkOrder{ID: fresh.ID, NoteAttributes: notes}}, nil
}

func (s *Shop) remark(ctx context.Context, o *backend.Order, a backend.Action) (*backend.Order, error) {
	op := "remark " + o.Number
	f, err := s.fresh(ctx, o, op, a)
	if err != nil {
		return nil, err
	}
	body, err := remarkBody(f, a.Remark)
	if err != nil {
		return nil, s.badBody(op, false, err)
	}
	resp, err := s.do(ctx, op, http.MethodPut, "/orders/"+url.PathEscape(f.ID)+".json", nil, body, true)
	return s.orderAnswer(op, resp, err)
}

// shipRequest is POST orders/:id/fulfillments.json. Line-item ids are JSON
// numbers (SHOPLINE's "long"), unlike every id in its answers.
type shipRequest struct {
	Fulfillment shipFulfillment `json:"fulfillment"`
}

type shipFulfillment struct {
	LineItems       []shipLine `json:"line_items"`
	TrackingNumber  string     `json:"tracking_number"`
	TrackingCompany string     `json:"tracking_company"`
	TrackingURL     string     `json:"tracking_url,omitempty"`
	NotifyCustomer  bool       `json:"notify_customer"`
}

type shipLine struct {
	ID       json.Number `json:"id"`
	Quantity int64       `json:"quantity"`
}

// shipBody fulfils every unfulfilled quantity of the order as read. The
// error is the reason the shipment cannot be built.
func shipBody(fresh *backend.Order, sh backend.Shipment, notify bool) (shipRequest, error) {
	var w struct {
		LineItems adapt.List[wireLineItem] `json:"line_items"`
	}
	if err := json.Unmarshal(fresh.Raw, &w); err != nil {
		return shipRequest{}, err
	}
	var lines []shipLine
	for _, l := range w.LineItems {
		n := l.FulfillableQuantity.V
		if !l.FulfillableQuantity.Set {
			left, ok := map[string]int64{"": l.Quantity.V, "fulfilled": 0}[string(l.FulfillmentStatus)]
			if !ok {
				return shipRequest{}, fmt.Errorf("SHOPLINE did not say how many of %q are left to ship", l.SKU)
			}
			n = left
		}
		if n <= 0 {
			continue
		}
		if v, err := strconv.ParseInt(string(l.ID), 10, 64); err != nil || strconv.FormatInt(v, 10) != string(l.ID) {
			return shipRequest{}, fmt.Errorf("line item %q has id %q, which cannot be sent as a number", l.SKU, l.ID)
		}
		lines = append(lines, shipLine{ID: json.Number(l.ID), Quantity: n})
	}
	if len(lines) == 0 {
		return shipRequest{}, fmt.Errorf("nothing left to ship: no line item has an unfulfilled quantity")
	}
	return shipRequest{Fulfillment: shipFulfillment{
		LineItems: lines, TrackingNumber: strings.TrimSpace(sh.TrackingNumber),
		TrackingCompany: strings.TrimSpace(sh.Carrier), TrackingURL: sh.TrackingURL, NotifyCustomer: notify,
	}}, nil
}

// ship returns no order: SHOPLINE answers with the fulfillment only.
func (s *Shop) ship(ctx context.Context, o *backend.Order, a backend.Action) (*backend.Order, error) {
	op := "ship " + o.Number
	f, err := s.fresh(ctx, o, op, a)
	if err != nil {
		return nil, err
	}
	body, err := shipBody(f, a.Shipment, a.Notify)
	if err != nil {
		return nil, backend.Refused(s.cfg.Name, op, err.Error())
	}
	resp, err := s.do(ctx, op, http.MethodPost, "/orders/"+url.PathEscape(f.ID)+"/fulfillments.json", nil, body, true)
	if err != nil {
		return nil, err
	}
	var ans struct {
		Fulfillment *wireFulfillment `json:"fulfillment"`
	}
	if err := json.Unmarshal(resp.Body, &ans); err != nil {
		return nil, s.badBody(op, true, err)
	}
	if ans.Fulfillment == nil {
		return nil, s.badBody(op, true, &adapt.FieldError{Field: "fulfillment", Err: adapt.ErrMissing})
	}
	// The answer is the fulfillment, not the order: read the order back
	// where a shipped order is listed, one request instead of the caller's
	// Get trying each fulfillment status in turn. If that read fails the
	// ship still succeeded; the caller reads it (nil order).
	if after, err := s.get(ctx, o.Number, passOf[backend.FulFulfilled]); err == nil {
		return after, nil
	}
	return nil, nil
}

// orderAnswer reads a write's {"order":{...}} answer. user_errors in a 200
// answer are a rejection.
func (s *Shop) orderAnswer(op string, resp *transport.Response, err error) (*backend.Order, error) {
	if err != nil {
		return nil, err
	}
	o, userErrs, err := decodeOne(resp.Body, s.cfg.Name, s.cfg.Loc(), s.now())
	if err != nil {
		return nil, s.badBody(op, true, err)
	}
	if len(userErrs) > 0 {
		var msgs []string
		for _, e := range userErrs {
			msgs = append(msgs, strings.TrimPrefix(string(e.Field)+": ", ": ")+string(e.Message))
		}
		return nil, &backend.Error{Kind: backend.ErrRejected, Shop: s.cfg.Name, Op: op, Reason: s.redactor.Scrub(strings.Join(msgs, "; "))}
	}
	return o, nil
}

// Shows reports whether the order as read back already carries the action's
// effect (backend.Verifier): status actions show on the order state and the
// archived flag, not as a raw value equal to the action's name.
func (s *Shop) Shows(o *backend.Order, a backend.Action) bool {
	if a.Kind == backend.ActionStatus {
		switch a.Status {
		case "cancel":
			return o.State.Order == backend.OrderCancelled
		case "archive":
			return o.State.Archived
		case "unarchive":
			return !o.State.Archived
		}
		return false
	}
	return backend.ShowsGeneric(o, a)
}
