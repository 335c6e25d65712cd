package simshop

import (
	"bytes"
	"encoding/json"
	"fmt"
	"net/http"
	"slices"
	"strconv"
	"strings"
	"time"

	"orderdesk/backend"
)

// write runs a write handler under the lock on the order named by the path
// id; apply returns the status and body to answer with.
func (p *shoplineSim) write(w http.ResponseWriter, id string, apply func(o *backend.Order, x *shoplineExtra) (int, any)) {
	status, body := func() (int, any) {
		p.s.mu.Lock()
		defer p.s.mu.Unlock()
		o := p.s.lockedOrder(p.byID[id])
		if o == nil {
			return http.StatusNotFound, shoplineErrs("The order does not exist.")
		}
		return apply(o, p.lines(o))
	}()
	writeJSON(w, status, body)
}

func shoplineDecode(body []byte, v any) error {
	dec := json.NewDecoder(bytes.NewReader(body))
	dec.UseNumber()
	return dec.Decode(v)
}

func shoplineNow() *time.Time { return backend.UTC(time.Now()) }

func shoplineErrs(msg any) map[string]any { return map[string]any{"errors": msg} }

// update serves PUT orders/:id.json: tags overwrite, note_attributes replace.
func (p *shoplineSim) update(w http.ResponseWriter, r *http.Request, id string) {
	body, _ := shoplineReadBody(r)
	var req struct {
		Order *struct {
			ID    *string `json:"id"`
			Tags  *string `json:"tags"`
			Notes *[]struct {
				Name       *string `json:"name"`
				Value      *string `json:"value"`
				CreateTime *string `json:"create_time"`
			} `json:"note_attributes"`
		} `json:"order"`
	}
	if err := shoplineDecode(body, &req); err != nil || req.Order == nil {
		shoplineError(w, http.StatusBadRequest, map[string]any{"order": []string{"is required and must be an object"}})
		return
	}
	if req.Order.ID == nil || *req.Order.ID != id {
		shoplineError(w, http.StatusBadRequest, map[string]any{"id": []string{"must be the order id of the path, as a string"}})
		return
	}
	var notes []backend.Remark
	for _, n := range shoplineDeref(req.Order.Notes) {
		at := shoplineNow()
		if n.CreateTime != nil && *n.CreateTime != "" {
			t, err := time.Parse(time.RFC3339, *n.CreateTime)
			if err != nil {
				shoplineError(w, http.StatusBadRequest, map[string]any{"note_attributes": []string{"create_time is not ISO 8601"}})
				return
			}
			at = backend.UTC(t)
		}
		if n.Name == nil || n.Value == nil {
			shoplineError(w, http.StatusBadRequest, map[string]any{"note_attributes": []string{"name and value are required"}})
			return
		}
		notes = append(notes, backend.Remark{Text: *n.Value, Author: *n.Name, At: at, Visibility: backend.Internal})
	}
	p.write(w, id, func(o *backend.Order, x *shoplineExtra) (int, any) {
		if req.Order.Notes != nil {
			kept := slices.DeleteFunc(slices.Clone(o.Remarks), func(rm backend.Remark) bool { return rm.Author != shoplineNoteAuthor || rm.At != nil })
			o.Remarks = append(kept, notes...)
		}
		if req.Order.Tags != nil {
			o.Tags = shoplineSplitTags(*req.Order.Tags)
		}
		o.UpdatedAt = shoplineNow()
		p.s.lockedApplied(o, false)
		return http.StatusOK, map[string]any{"order": p.render(o)}
	})
}

func shoplineDeref[T any](p *[]T) []T {
	if p == nil {
		return nil
	}
	return *p
}

func shoplineSplitTags(s string) []string {
	var out []string
	for _, t := range strings.Split(s, ",") {
		if t = strings.TrimSpace(t); t != "" {
			out = append(out, t)
		}
	}
	return out
}

func shoplineReadBody(r *http.Request) ([]byte, error) {
	var b bytes.Buffer
	_, err := b.ReadFrom(r.Body)
	return b.Bytes(), err
}

// fulfil serves POST orders/:id/fulfillments.json.
func (p *shoplineSim) fulfil(w http.ResponseWriter, r *http.Request, id string) {
	body, _ := shoplineReadBody(r)
	var req struct {
		Fulfillment *struct {
			LineItems []struct {
				ID       any `json:"id"`
				Quantity any `json:"quantity"`
			} `json:"line_items"`
			TrackingNumber  string `json:"tracking_number"`
			TrackingCompany string `json:"tracking_company"`
			TrackingURL     string `json:"tracking_url"`
			NotifyCustomer  bool   `json:"notify_customer"`
		} `json:"fulfillment"`
	}
	if err := shoplineDecode(body, &req); err != nil {
		shoplineError(w, http.StatusBadRequest, "request body is invalid: "+err.Error())
		return
	}
	if req.Fulfillment == nil || len(req.Fulfillment.LineItems) == 0 {
		shoplineError(w, http.StatusBadRequest, map[string]any{"fulfillment": []string{"line_items is required"}})
		return
	}
	f := req.Fulfillment
	p.write(w, id, func(o *backend.Order, x *shoplineExtra) (int, any) {
		if o.CancelledAt != nil {
			return http.StatusUnprocessableEntity, shoplineErrs("The order has been cancelled")
		}
		pack := map[int]int64{}
		for _, li := range f.LineItems {
			num, isNum := li.ID.(json.Number)
			qty, isQty := li.Quantity.(json.Number)
			if !isNum || !isQty {
				return http.StatusBadRequest, shoplineErrs(map[string]any{"line_items": []string{"id and quantity must be numbers"}})
			}
			k := slices.Index(x.lineIDs, num.String())
			n, err := qty.Int64()
			if _, dup := pack[k]; k < 0 || k >= len(o.Items) || dup || err != nil || n < 1 || x.fulfilled[k]+n > int64(o.Items[k].Qty) {
				return http.StatusUnprocessableEntity, shoplineErrs(fmt.Sprintf("line item %s: unknown, repeated or over the fulfillable quantity", num))
			}
			pack[k] = n
		}
		sh := backend.Shipment{Carrier: f.TrackingCompany, TrackingNumber: f.TrackingNumber, TrackingURL: f.TrackingURL, ShippedAt: shoplineNow(), Status: "success"}
		p.addPackage(o, x, pack, sh)
		o.UpdatedAt = sh.ShippedAt
		p.restate(o)
		p.s.lockedApplied(o, f.NotifyCustomer)
		return http.StatusOK, map[string]any{"fulfillment": p.renderPackage(o, x, len(o.Shipments)-1)}
	})
}

// cancel serves POST orders/:id/cancel.json.
func (p *shoplineSim) cancel(w http.ResponseWriter, r *http.Request, id string) {
	body, _ := shoplineReadBody(r)
	var req struct {
		CancelReason string      `json:"cancel_reason"`
		Restock      bool        `json:"restock"`
		Email        bool        `json:"email"`
		Amount       json.Number `json:"amount"`
		RefundType   string      `json:"refund_type"`
	}
	if err := shoplineDecode(body, &req); err != nil {
		shoplineError(w, http.StatusBadRequest, "request body is invalid: "+err.Error())
		return
	}
	if req.RefundType != "" && req.RefundType != "OriginalPayment Refund" && req.RefundType != "Manual" {
		shoplineError(w, http.StatusBadRequest, map[string]any{"refund_type": []string{"is illegal"}})
		return
	}
	p.write(w, id, func(o *backend.Order, x *shoplineExtra) (int, any) {
		switch {
		case o.CancelledAt != nil:
			return http.StatusUnprocessableEntity, shoplineErrs("The order has been cancelled")
		case o.RawStatus["fulfillment_status"] != "null":
			return http.StatusUnprocessableEntity, shoplineErrs([]string{"Orders that have been shipped cannot be cancelled"})
		}
		o.CancelledAt = shoplineNow()
		o.UpdatedAt = o.CancelledAt
		x.cancelReason = req.CancelReason
		p.restate(o)
		p.s.lockedApplied(o, req.Email)
		return http.StatusOK, map[string]any{"order": p.render(o)}
	})
}

func (p *shoplineSim) archive(w http.ResponseWriter, r *http.Request, id string) {
	p.hide(w, id, true)
}

func (p *shoplineSim) unarchive(w http.ResponseWriter, r *http.Request, id string) {
	p.hide(w, id, false)
}

// hide serves hide_mark (archive) and cancel_hide_mark (unarchive).
func (p *shoplineSim) hide(w http.ResponseWriter, id string, hidden bool) {
	p.write(w, id, func(o *backend.Order, x *shoplineExtra) (int, any) {
		if (o.RawStatus["hidden_order"] == "true") == hidden {
			return http.StatusUnprocessableEntity, shoplineErrs(map[bool]string{true: "The order has been archived", false: "The order is not archived"}[hidden])
		}
		o.RawStatus["hidden_order"] = strconv.FormatBool(hidden)
		o.UpdatedAt = shoplineNow()
		p.restate(o)
		p.s.lockedApplied(o, false)
		return http.StatusOK, map[string]any{"order": p.render(o)}
	})
}
