package ymcart

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"strconv"

	"orderdesk/backend"
	"orderdesk/backend/internal/adapt"
	"orderdesk/backend/transport"
)

// batchLimit is YMCart's documented maximum of orders per write call.
const batchLimit = 20

// writeCall is how one action kind goes on the wire: the endpoint, the form
// field carrying the JSON array, and the entry for one order.
type writeCall struct {
	endpoint, field string
	entry           func(t backend.Target) any
}

var writeCalls = map[backend.ActionKind]writeCall{
	backend.ActionStatus: {"orderStatus", "status_res", statusEntry},
	backend.ActionShip:   {"orderShip", "shipno_res", shipEntry},
	backend.ActionRemark: {"orderRemark", "remark_res", remarkEntry},
}

// statusRes is one status_res entry. The optional payment fields exist on
// the wire (for status 200) but the desk's actions do not carry them.
type statusRes struct {
	Itemno         string `json:"itemno"`
	Status         int    `json:"status"`
	TransactionID  string `json:"transaction_id,omitempty"`
	ReceiveAccount string `json:"receive_account,omitempty"`
	PaymentMethod  string `json:"payment_method,omitempty"`
}

// shipnoRes is one shipno_res entry. The carrier goes by name with the code
// empty, as the docs advise; remark (admin-only) and remark_user (shown to
// the buyer) are sent empty: the desk adds no note of its own. YMCart has
// no tracking URL field, so Shipment.TrackingURL is not sent.
type shipnoRes struct {
	Itemno      string `json:"itemno"`
	DeliveryNo  string `json:"delivery_no"`
	CarrierCode string `json:"shipping_corp_codeno"`
	CarrierName string `json:"shipping_corp_name"`
	Remark      string `json:"remark"`
	RemarkUser  string `json:"remark_user"`
}

type remarkRes struct {
	Itemno string `json:"itemno"`
	Remark string `json:"remark"`
}

func statusEntry(t backend.Target) any {
	n, _ := strconv.Atoi(t.Action.Status) // Check admits only the settable codes
	return statusRes{Itemno: t.Order.Number, Status: n}
}

func shipEntry(t backend.Target) any {
	sh := t.Action.Shipment
	return shipnoRes{Itemno: t.Order.Number, DeliveryNo: sh.TrackingNumber, CarrierName: sh.Carrier}
}

func remarkEntry(t backend.Target) any {
	return remarkRes{Itemno: t.Order.Number, Remark: t.Action.Remark}
}

// encodeBatch is the JSON array of one call (status_res, shipno_res or
// remark_res), without HTML escaping of <, > and &, so text arrives as
// typed.
func encodeBatch(k backend.ActionKind, targets []backend.Target) (string, error) {
	entries := make([]any, len(targets))
	for i, t := range targets {
		entries[i] = writeCalls[k].entry(t)
	}
	var b bytes.Buffer
	enc := json.NewEncoder(&b)
	enc.SetEscapeHTML(false)
	if err := enc.Encode(entries); err != nil {
		return "", err
	}
	return string(bytes.TrimRight(b.Bytes(), "\n")), nil
}

// Apply sends one action as a batch of one. It runs Check first and sends
// nothing when it fails; YMCart returns no order, so the result is nil.
func (s *Shop) Apply(ctx context.Context, o *backend.Order, a backend.Action) (*backend.Order, error) {
	return nil, s.ApplyBatch(ctx, []backend.Target{{Order: o, Action: a}})[0]
}

// ApplyBatch checks every target, then sends the ones that pass, grouped by
// action kind, in calls of at most 20 orders, in input order. It returns
// one error per target, in input order. Per-order answers: "success" is
// nil, order_404 ErrNotFound, any other message ErrRejected with that
// message as reason; an order the answer does not mention is
// ErrOutcomeUnknown (read it back before sending again). A failed call
// gives its error to every order it carried. Nothing is retried.
func (s *Shop) ApplyBatch(ctx context.Context, targets []backend.Target) []error {
	errs := make([]error, len(targets))
	queued := map[backend.ActionKind][]int{}
	var kinds []backend.ActionKind
	for i, t := range targets {
		if errs[i] = s.Check(t.Order, t.Action); errs[i] != nil {
			continue
		}
		if _, ok := queued[t.Action.Kind]; !ok {
			kinds = append(kinds, t.Action.Kind)
		}
		queued[t.Action.Kind] = append(queued[t.Action.Kind], i)
	}
	for _, k := range kinds {
		idx := queued[k]
		for start := 0; start < len(idx); start += batchLimit {
			chunk := idx[start:min(start+batchLimit, len(idx))]
			s.sendChunk(ctx, k, targets, chunk, errs)
		}
	}
	return errs
}

// sendChunk sends one call and fills errs for the targets it carried.
func (s *Shop) sendChunk(ctx context.Context, k backend.ActionKind, targets []backend.Target, chunk []int, errs []error) {
	call := writeCalls[k]
	batch := make([]backend.Target, len(chunk))
	for j, i := range chunk {
		batch[j] = targets[i]
	}
	op := fmt.Sprintf("%s (%d orders)", call.endpoint, len(chunk))
	body, err := encodeBatch(k, batch)
	if err != nil {
		s.fillChunk(targets, chunk, errs, &backend.Error{Kind: backend.ErrRefused, Shop: s.name, Op: op, Reason: "cannot encode the request", Err: err})
		return
	}
	f := s.form()
	f.Set(call.field, body)
	resp, err := s.client.Do(ctx, transport.Request{Op: op, Method: http.MethodPost, Path: endpoint(call.endpoint), Form: f, Write: true})
	if err != nil {
		s.fillChunk(targets, chunk, errs, err)
		return
	}
	results, err := decodeResults(resp.Body)
	if err != nil {
		e := s.badResponse(op, err)
		e.Kind = backend.ErrOutcomeUnknown
		s.fillChunk(targets, chunk, errs, e)
		return
	}
	for _, i := range chunk {
		errs[i] = s.resultError(targets[i], results)
	}
}

// fillChunk gives a call's error to each of its orders, named per order.
func (s *Shop) fillChunk(targets []backend.Target, chunk []int, errs []error, err error) {
	for _, i := range chunk {
		if be, ok := err.(*backend.Error); ok {
			c := *be
			c.Op = opName(targets[i].Order, targets[i].Action) + " (in " + be.Op + ")"
			errs[i] = &c
			continue
		}
		errs[i] = err
	}
}

// orderResult is one element of a write answer's msg list.
type orderResult struct {
	Itemno adapt.Flex `json:"itemno"`
	Msg    adapt.Flex `json:"msg"`
}

// results queues each order's answers in the order given, so an order sent
// twice in one call (two remarks) takes them one by one.
type results map[string][]string

// decodeResults reads {"code":0,"msg":[...]}. msg may also be a string
// ("" or a note): then no order is confirmed.
func decodeResults(body []byte) (results, error) {
	var e envelopeBody
	if err := json.Unmarshal(body, &e); err != nil {
		return nil, err
	}
	if !e.Code.Set || e.Code.V != 0 {
		return nil, badField("code", "answer has code %d, not 0", e.Code.V)
	}
	out := results{}
	var s string
	if len(e.Msg) == 0 || json.Unmarshal(e.Msg, &s) == nil {
		return out, nil
	}
	var list adapt.List[orderResult]
	if err := json.Unmarshal(e.Msg, &list); err != nil {
		return nil, prefixField("msg", err)
	}
	for _, r := range list {
		out[r.Itemno.String()] = append(out[r.Itemno.String()], r.Msg.String())
	}
	return out, nil
}

// resultMeanings explains the documented per-order answers.
var resultMeanings = map[string]string{
	"order_404":          "YMCart has no such order",
	"order_status_limit": "the order's status does not allow this (YMCart ships only paid or shipped orders)",
}

func (s *Shop) resultError(t backend.Target, res results) error {
	op := opName(t.Order, t.Action)
	q := res[t.Order.Number]
	if len(q) == 0 {
		return &backend.Error{Kind: backend.ErrOutcomeUnknown, Shop: s.name, Op: op, Reason: "YMCart's answer does not mention this order; read it back before sending again"}
	}
	msg := q[0]
	res[t.Order.Number] = q[1:]
	if msg == "success" {
		return nil
	}
	kind := backend.ErrRejected
	if msg == "order_404" {
		kind = backend.ErrNotFound
	}
	reason := msg
	if m, ok := resultMeanings[msg]; ok {
		reason = msg + ": " + m
	}
	return &backend.Error{Kind: kind, Shop: s.name, Op: op, Reason: s.red.Scrub(reason)}
}

// prefixField names a failing field inside a larger one.
func prefixField(prefix string, err error) error {
	if te, ok := err.(*json.UnmarshalTypeError); ok {
		c := *te
		c.Field = prefix + "." + te.Field
		if te.Field == "" {
			c.Field = prefix
		}
		return &c
	}
	return fmt.Errorf("%s: %w", prefix, err)
}
