package simshop

import (
	"cmp"
	"encoding/json"
	"net/url"
	"slices"
	"strings"
	"time"

	"orderdesk/backend"
)

// ymcartApply applies one batch entry to an order and returns its msg.
type ymcartApply func(s *Server, o *backend.Order, x *ymcartExtra, e map[string]any, now time.Time) string

// batch runs a write: the JSON array in one form field, at most 20 orders,
// one msg per order.
func (y *ymcartSim) batch(s *Server, f url.Values, field string, apply ymcartApply) ymcartRow {
	var entries []map[string]any
	if err := json.Unmarshal([]byte(f.Get(field)), &entries); err != nil || len(entries) == 0 {
		return ymcartErr(1, field+"_error")
	}
	if len(entries) > 20 {
		return ymcartErr(1, field+"_limit_20")
	}
	now := time.Now().UTC().Truncate(time.Second)
	s.mu.Lock()
	defer s.mu.Unlock()
	msgs := []ymcartRow{}
	for _, e := range entries {
		n := ymcartStr(e["itemno"])
		msg := "order_404"
		if o := s.lockedOrder(n); o != nil {
			if msg = apply(s, o, y.extra[n], e, now); msg == "success" {
				o.UpdatedAt = backend.UTC(now)
				y.extra[n].acted = true
				ymcartRestate(o)
			}
		}
		msgs = append(msgs, ymcartRow{{key: "itemno", val: n}, {key: "msg", val: msg}})
	}
	return ymcartRow{{key: "code", val: 0}, {key: "msg", val: msgs}}
}

func (y *ymcartSim) orderStatus(s *Server, f url.Values) ymcartRow {
	return y.batch(s, f, "status_res", func(s *Server, o *backend.Order, x *ymcartExtra, e map[string]any, now time.Time) string {
		st := ymcartStr(e["status"])
		if !slices.Contains([]string{"100", "102", "200", "600", "700"}, st) {
			return "status_error"
		}
		o.RawStatus["order_status"] = st
		if st == "100" || st == "102" || st == "200" {
			o.RawStatus["payment_status"] = st
		}
		if st == "200" {
			if o.PaidAt == nil {
				o.PaidAt = backend.UTC(now)
			}
			p := ymcartPayment(o)
			p.TransactionID = cmp.Or(ymcartStr(e["transaction_id"]), p.TransactionID, x.tradeNo)
		}
		s.lockedApplied(o, true)
		return "success"
	})
}

func (y *ymcartSim) orderRemark(s *Server, f url.Values) ymcartRow {
	return y.batch(s, f, "remark_res", func(s *Server, o *backend.Order, x *ymcartExtra, e map[string]any, now time.Time) string {
		text := strings.TrimSpace(ymcartStr(e["remark"]))
		if text == "" {
			return "remark_error"
		}
		o.Remarks = append(o.Remarks, backend.Remark{Text: text, At: backend.UTC(now), Visibility: backend.Internal})
		s.lockedApplied(o, false)
		return "success"
	})
}

// orderShip: only paid (200) or shipped (301) orders; adds a record and
// marks the order shipped. remark_user is accepted and not shown anywhere.
func (y *ymcartSim) orderShip(s *Server, f url.Values) ymcartRow {
	return y.batch(s, f, "shipno_res", func(s *Server, o *backend.Order, x *ymcartExtra, e map[string]any, now time.Time) string {
		no := strings.TrimSpace(ymcartStr(e["delivery_no"]))
		name, code := strings.TrimSpace(ymcartStr(e["shipping_corp_name"])), strings.TrimSpace(ymcartStr(e["shipping_corp_codeno"]))
		if st := o.RawStatus["order_status"]; st != "200" && st != "301" {
			return "order_status_limit"
		}
		if no == "" {
			return "delivery_no_error"
		}
		if code != "" {
			i := slices.IndexFunc(ymcartCarriers, func(c ymcartCarrier) bool { return c.code == code })
			if i < 0 {
				return "shipping_corp_404"
			}
			name = ymcartCarriers[i].name
		}
		if name == "" {
			return "shipping_corp_error"
		}
		o.Shipments = append(o.Shipments, backend.Shipment{Carrier: name, TrackingNumber: no, ShippedAt: backend.UTC(now)})
		x.dels = append(x.dels, ymcartDel{id: y.nextDelivery})
		y.nextDelivery++
		o.RawStatus["order_status"], o.RawStatus["shipping_status"] = "301", "301"
		s.lockedApplied(o, true)
		return "success"
	})
}
