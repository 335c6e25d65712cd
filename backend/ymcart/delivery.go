package ymcart

import (
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"strconv"
	"strings"
	"time"

	"orderdesk/backend"
	"orderdesk/backend/internal/adapt"
	"orderdesk/backend/transport"
)

// Delivery is one shipment record from deliveryList. OrderID is the
// order's internal id (Order.ID), not its number.
type Delivery struct {
	ID             string
	OrderID        string
	UserID         string
	TrackingNumber string
	CarrierID      string
	Carrier        string
	Cost           backend.Amount // in the shop's currency, which the record does not name
	CreatedAt      *time.Time
	DeliveredAt    *time.Time // delivery_time; nil while "0"
	Remark         string
	Raw            json.RawMessage
}

// Shipment is the record as an order shows it: carrier and tracking number
// as entered, shipped at delivery_time, or when the record was created
// while delivery_time is unset ("0", as in every documented example). The
// wire has no tracking URL and no per-shipment status.
func (d Delivery) Shipment() backend.Shipment {
	at := d.DeliveredAt
	if at == nil {
		at = d.CreatedAt
	}
	return backend.Shipment{Carrier: d.Carrier, TrackingNumber: d.TrackingNumber, ShippedAt: at}
}

// DeliveryPage is one page of deliveryList, newest record first.
type DeliveryPage struct {
	Deliveries []Delivery
	Total      int // records matching (count)
}

// Deliveries reads one page of the shop's shipment records (deliveryList),
// in descending id order. page counts from 1; size is required by the
// platform (0 means 50); maxID > 0 starts the listing at that record id
// (ids <= maxID), for paging back through history without shifting pages.
// Orders carry their own shipments (the delivery block of orderList); this
// is for reconciling tracking numbers across the shop.
func (s *Shop) Deliveries(ctx context.Context, page, size, maxID int) (DeliveryPage, error) {
	page, size = max(page, 1), cmpSize(size)
	op := fmt.Sprintf("deliveries page %d", page)
	f := s.form()
	f.Set("page_size", strconv.Itoa(size))
	f.Set("page_no", strconv.Itoa(page))
	if maxID > 0 {
		f.Set("max_id", strconv.Itoa(maxID))
	}
	resp, err := s.client.Do(ctx, transport.Request{Op: op, Method: http.MethodPost, Path: endpoint("deliveryList"), Form: f})
	if err != nil {
		return DeliveryPage{}, err
	}
	out, err := decodeDeliveries(resp.Body)
	if err != nil {
		return DeliveryPage{}, s.badResponse(op, err)
	}
	return out, nil
}

func cmpSize(size int) int {
	if size <= 0 {
		return pageSize
	}
	return size
}

// decodeDeliveries reads a deliveryList answer, whole or not at all.
func decodeDeliveries(body []byte) (DeliveryPage, error) {
	rows, count, err := decodeList(body)
	if err != nil {
		return DeliveryPage{}, err
	}
	out := DeliveryPage{Total: count}
	for i, raw := range rows {
		var w wireDelivery
		if err := json.Unmarshal(raw, &w); err != nil {
			return DeliveryPage{}, adapt.At(fmt.Sprintf("data[%d]", i), err)
		}
		cost, err := amount("shipping_cost", w.ShippingCost.String(), "")
		if err != nil {
			return DeliveryPage{}, adapt.At(fmt.Sprintf("data[%d]", i), err)
		}
		out.Deliveries = append(out.Deliveries, Delivery{
			ID:             w.ID.String(),
			OrderID:        w.OrderID.String(),
			UserID:         w.UserID.String(),
			TrackingNumber: strings.TrimSpace(w.DeliveryNo.String()),
			CarrierID:      w.CarrierID.String(),
			Carrier:        strings.TrimSpace(w.CarrierName.String()),
			Cost:           cost,
			CreatedAt:      w.CreateTime.Ptr(),
			DeliveredAt:    w.DeliveryTime.Ptr(),
			Remark:         strings.TrimSpace(w.Remark.String()),
			Raw:            append(json.RawMessage(nil), raw...),
		})
	}
	return out, nil
}
