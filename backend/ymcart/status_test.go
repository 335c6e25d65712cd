package ymcart

import (
	"errors"
	"strings"
	"testing"

	"orderdesk/backend"
	"orderdesk/backend/internal/adapt"
)

func state(o backend.OrderState, p backend.PaymentState, f backend.FulfillmentState) backend.State {
	return backend.State{Order: o, Payment: p, Fulfillment: f}
}

// One case per row of the three status tables.
func TestStatusTable(t *testing.T) {
	t.Parallel()
	cases := []struct {
		order, pay, ship string
		want             backend.State
		label            string
	}{
		// order_status rows, dedicated fields absent.
		{"100", "", "", state("open", "unpaid", "unfulfilled"), "100 new"},
		{"101", "", "", state("open", "failed", "unfulfilled"), "101 payment failed"},
		{"102", "", "", state("open", "pending", "unfulfilled"), "102 confirming"},
		{"200", "", "", state("open", "paid", "unfulfilled"), "200 paid"},
		{"301", "", "", state("open", "paid", "fulfilled"), "301 shipped"},
		{"600", "", "", state("cancelled", "unknown", "unknown"), "600 void"},
		{"700", "", "", state("completed", "paid", "fulfilled"), "700 complete"},
		// payment_status rows override the payment axis.
		{"600", "100", "", state("cancelled", "unpaid", "unknown"), "600 void"},
		{"600", "101", "", state("cancelled", "failed", "unknown"), "600 void"},
		{"600", "102", "", state("cancelled", "pending", "unknown"), "600 void"},
		{"600", "200", "", state("cancelled", "paid", "unknown"), "600 void"},
		// shipping_status rows override the fulfilment axis.
		{"600", "", "0", state("cancelled", "unknown", "unfulfilled"), "600 void"},
		{"200", "", "301", state("open", "paid", "fulfilled"), "200 paid"},
		// The usual combinations as the shop sends them.
		{"200", "200", "0", state("open", "paid", "unfulfilled"), "200 paid"},
		{"700", "200", "301", state("completed", "paid", "fulfilled"), "700 complete"},
	}
	for _, c := range cases {
		got, label, err := mapStatus(c.order, c.pay, c.ship)
		if err != nil || got != c.want || label != c.label {
			t.Errorf("%s/%s/%s: got %+v %q %v, want %+v %q", c.order, c.pay, c.ship, got, label, err, c.want, c.label)
		}
	}
}

func TestStatusUnknown(t *testing.T) {
	t.Parallel()
	for _, c := range []struct{ order, pay, ship, field string }{
		{"305", "", "", "order_status"},
		{"", "", "", "order_status"},
		{"200", "300", "0", "payment_status"},
		{"200", "200", "1", "shipping_status"},
	} {
		_, _, err := mapStatus(c.order, c.pay, c.ship)
		var fe *adapt.FieldError
		if !errors.As(err, &fe) || fe.Field != c.field {
			t.Errorf("%+v: got %v, want an error naming %s", c, err, c.field)
		}
	}
}

// Every current status × every settable value: what the desk offers.
func TestStatusTransitions(t *testing.T) {
	t.Parallel()
	allowed := map[string]string{ // current → values offered
		"100": "102 200 600",
		"101": "100 102 200 600",
		"102": "100 200 600",
		"200": "600",
		"301": "700",
		"600": "",
		"700": "",
	}
	s := seedShop(t)
	for cur, offer := range allowed {
		for _, v := range []string{"100", "102", "200", "600", "700"} {
			err := seen(s.Check(seedOrder("N1", cur), backend.Action{Kind: backend.ActionStatus, Status: v}))
			want := strings.Contains(" "+offer+" ", " "+v+" ")
			if want && err != nil || !want && !errors.Is(err, backend.ErrRefused) {
				t.Errorf("%s → %s: got %v, want allowed=%v", cur, v, err, want)
			}
		}
	}
}

func TestCheckReasons(t *testing.T) {
	t.Parallel()
	s := seedShop(t)
	ship := func(no, carrier string) backend.Action {
		return backend.Action{Kind: backend.ActionShip, Shipment: backend.Shipment{TrackingNumber: no, Carrier: carrier}}
	}
	cases := []struct {
		status string
		action backend.Action
		kind   error
		reason string
	}{
		{"200", backend.Action{Kind: backend.ActionStatus, Status: "301"}, backend.ErrUnsupported, "only by shipping"},
		{"200", backend.Action{Kind: backend.ActionStatus, Status: "paid"}, backend.ErrUnsupported, "accepts 100 new, 102 confirming, 200 paid, 600 void, 700 complete"},
		{"200", backend.Action{Kind: backend.ActionStatus, Status: "700"}, backend.ErrRefused, "from 200 paid the desk offers only 600 void, not 700 complete"},
		{"600", backend.Action{Kind: backend.ActionStatus, Status: "100"}, backend.ErrRefused, "cannot change status"},
		{"200", backend.Action{Kind: backend.ActionStatus, Status: "200"}, backend.ErrRefused, "already 200 paid"},
		{"", backend.Action{Kind: backend.ActionStatus, Status: "600"}, backend.ErrRefused, "unknown"},
		{"100", ship("LN1", "DHL"), backend.ErrRefused, "ships only orders in 200 paid or 301 shipped; this order is 100 new"},
		{"700", ship("LN1", "DHL"), backend.ErrRefused, "this order is 700 complete"},
		{"200", ship(" ", "DHL"), backend.ErrRefused, "tracking number"},
		{"200", ship("LN1", ""), backend.ErrRefused, "carrier"},
		{"200", backend.Action{Kind: backend.ActionRemark, Remark: "  "}, backend.ErrRefused, "empty remark"},
		{"200", backend.Action{Kind: "tag"}, backend.ErrUnsupported, `no "tag" action`},
		{"200", backend.Action{Kind: backend.ActionShip, Shipment: backend.Shipment{TrackingNumber: "LN1", Carrier: "DHL"}}, nil, ""},
		{"301", backend.Action{Kind: backend.ActionShip, Shipment: backend.Shipment{TrackingNumber: "LN2", Carrier: "DHL"}}, nil, ""},
		{"600", backend.Action{Kind: backend.ActionRemark, Remark: "refund sent"}, nil, ""},
	}
	for _, c := range cases {
		err := seen(s.Check(seedOrder("N1", c.status), c.action))
		if c.kind == nil {
			if err != nil {
				t.Errorf("%s %+v: %v", c.status, c.action, err)
			}
			continue
		}
		if !errors.Is(err, c.kind) || !strings.Contains(backend.Reason(err), c.reason) {
			t.Errorf("%s %+v: got %v, want %v with %q", c.status, c.action, err, c.kind, c.reason)
		}
	}
	if err := seen(s.Check(nil, backend.Action{Kind: backend.ActionRemark, Remark: "x"})); !errors.Is(err, backend.ErrRefused) {
		t.Errorf("nil order: %v", err)
	}
}

func TestCapabilities(t *testing.T) {
	t.Parallel()
	c := seedShop(t).Capabilities()
	if !c.Incremental || !c.CreatedWindow {
		t.Error("YMCart lists incrementally and by created window")
	}
	for _, k := range []backend.ActionKind{backend.ActionStatus, backend.ActionShip, backend.ActionRemark} {
		cp := c.Of(k)
		want := backend.NotifyAlways
		if k == backend.ActionRemark {
			want = backend.NotifyNever
		}
		if !cp.Supported || cp.BatchLimit != 20 || cp.Notifies != want {
			t.Errorf("%s: %+v", k, cp)
		}
	}
	var vals []string
	for _, v := range c.Status.Values {
		vals = append(vals, v.Value+" "+v.Label)
	}
	if got := strings.Join(vals, ", "); got != "100 new, 102 confirming, 200 paid, 600 void, 700 complete" {
		t.Errorf("values: %s", got)
	}
	if n := seedShop(t).BatchLimit(backend.ActionShip); n != 20 {
		t.Errorf("batch limit %d", n)
	}
}

func TestDecodeHelpers(t *testing.T) {
	t.Parallel()
	for in, want := range map[string]string{
		"Color:As shown<br />Size:S": "Color:As shown, Size:S",
		"a<br>b<BR/>c<br />":         "a, b, c",
		"Tom &amp; Jerry":            "Tom & Jerry",
		"":                           "",
	} {
		if got := variant(in); got != want {
			t.Errorf("variant(%q) = %q, want %q", in, got, want)
		}
	}
	for in, want := range map[string]bool{"+86 186-6183-2866": true, "1541441": true, "ACME Trading Co.": false, "12": false, "(030) 1234567": true} {
		if phoneLike(in) != want {
			t.Errorf("phoneLike(%q) != %v", in, want)
		}
	}
	for in, want := range map[string]string{"0": "", "": "", "1": "marked", "3": "marked:3"} {
		if got := strings.Join(tags(in), ","); got != want {
			t.Errorf("tags(%q) = %q, want %q", in, got, want)
		}
	}
}
