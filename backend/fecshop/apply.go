package fecshop

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"strings"

	"orderdesk/backend"
	"orderdesk/backend/transport"
)

// updateBody is updateorderstatus's JSON body, fields in the documented
// order. The tracking fields are omitted when empty (the server would ignore
// them anyway: it writes tracking only when non-empty).
type updateBody struct {
	IncrementID     string `json:"increment_id"`
	OrderStatus     string `json:"order_status"`
	TrackingNumber  string `json:"tracking_number,omitempty"`
	TrackingCompany string `json:"tracking_company,omitempty"`
}

// bodyFor builds the request for an action Check accepted: a status change
// sends the value, ship sends dispatched with the tracking number and the
// carrier. Fecshop has no tracking URL column: the URL is not sent.
func bodyFor(number string, a backend.Action) updateBody {
	if a.Kind == backend.ActionShip {
		return updateBody{
			IncrementID: number, OrderStatus: "dispatched",
			TrackingNumber:  strings.TrimSpace(a.Shipment.TrackingNumber),
			TrackingCompany: strings.TrimSpace(a.Shipment.Carrier),
		}
	}
	return updateBody{IncrementID: number, OrderStatus: a.Status}
}

// Apply checks the action, then sends one updateorderstatus. It never
// retries the write (the one exception: a "token is time out" answer, which
// the server gives before touching the order, is sent again once after
// logging in; see send). It returns nil for the order: updateData lacks the
// items and the state and country names, so the caller Gets the order.
func (s *Shop) Apply(ctx context.Context, o *backend.Order, a backend.Action) (*backend.Order, error) {
	if err := s.Check(o, a); err != nil {
		return nil, err
	}
	op := opName(o, a)
	body := bodyFor(o.Number, a)
	resp, err := s.send(ctx, transport.Request{
		Op: op, Method: http.MethodPost, Path: "/v1/order/updateorderstatus", JSON: body, Write: true,
	})
	if err != nil {
		var be *backend.Error
		if errors.As(err, &be) && be.Kind == backend.ErrBadResponse {
			// A garbled answer to a write says nothing about whether it was applied.
			be.Kind = backend.ErrOutcomeUnknown
		}
		return nil, err
	}
	d := s.decoder()
	got, err := d.updated(resp.Body)
	if err != nil {
		e := s.bad(op, err)
		e.Kind = backend.ErrOutcomeUnknown
		e.Reason = "the shop's answer could not be read; read the order back before sending again"
		return nil, e
	}
	if got.Number != body.IncrementID || got.RawStatus["order_status"] != body.OrderStatus ||
		(body.TrackingNumber != "" && (len(got.Shipments) == 0 || got.Shipments[0].TrackingNumber != body.TrackingNumber)) {
		return nil, &backend.Error{Kind: backend.ErrOutcomeUnknown, Shop: s.name, Op: op,
			Reason: fmt.Sprintf("the shop answered success but its copy shows order %s in %s; read the order back", got.Number, got.RawStatus["order_status"])}
	}
	return nil, nil
}
