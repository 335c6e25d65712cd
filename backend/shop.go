package backend

import (
	"context"
	"log/slog"
	"net/http"
	"time"
)

// Shop is what every platform adapter implements. The caller never switches
// on the platform: what differs is described by Capabilities and enforced by
// Check. A Shop is safe for concurrent use.
type Shop interface {
	Name() string
	Platform() Platform
	Capabilities() Capabilities

	// List returns one page of orders. Start with an empty Cursor; a Page
	// with an empty Next is the last. Filters the platform cannot apply (see
	// Capabilities) are ignored, never emulated by dropping orders. A page
	// that cannot be decoded is an ErrBadResponse error: no partial page.
	List(ctx context.Context, q ListQuery) (Page, error)

	// Get fetches one order by the number the merchant sees.
	Get(ctx context.Context, number string) (*Order, error)

	// Check reports, without I/O, whether the action may be applied to the
	// order in the state given. It returns nil, or an *Error of kind
	// ErrUnsupported or ErrRefused whose Reason says why.
	Check(o *Order, a Action) error

	// Apply sends one action for the order. o is the order as the caller
	// last saw it; Apply runs Check on it first and sends nothing if Check
	// fails. Apply never retries a write: on ErrOutcomeUnknown the caller
	// reads the order back before deciding to send again. The returned order
	// is the shop's copy after the write when the platform returns one, or
	// nil when the caller must Get it.
	Apply(ctx context.Context, o *Order, a Action) (*Order, error)
}

// BatchApplier is implemented by shops whose platform applies one kind of
// action to many orders in one call (YMCart: up to 20). Results are per order,
// in the order of the targets; one failing order does not fail the others.
type BatchApplier interface {
	BatchLimit(kind ActionKind) int
	ApplyBatch(ctx context.Context, targets []Target) []error
}

// BatchReader is implemented by shops whose platform reads many orders by
// number in one call (YMCart: orderList with a comma-separated itemno).
// ReadLimit is the most numbers one call to the shop carries: GetMany
// given more makes several calls, so a caller that counts calls passes at
// most ReadLimit. The answer holds the orders found, keyed by number. A
// number the shop does not know is simply absent (what Get reports as
// ErrNotFound); an error fails the whole GetMany, like Get's errors other
// than ErrNotFound.
type BatchReader interface {
	ReadLimit() int
	GetMany(ctx context.Context, numbers []string) (map[string]*Order, error)
}

// Target is one order and the action to apply to it.
type Target struct {
	Order  *Order
	Action Action
}

// ListQuery selects orders. Zero times mean "no bound".
type ListQuery struct {
	Cursor       string
	UpdatedSince time.Time // honoured when Capabilities.Incremental
	CreatedFrom  time.Time // honoured when Capabilities.CreatedWindow
	CreatedTo    time.Time // exclusive
}

// Page is one page of a listing.
type Page struct {
	Orders []*Order
	Next   string // cursor of the next page; "" when this is the last
	Total  int    // orders matching the query, or -1 when unknown
}

// ActionKind names a write-back action (SPEC §3).
type ActionKind string

const (
	ActionStatus ActionKind = "status"
	ActionShip   ActionKind = "ship"
	ActionRemark ActionKind = "remark"
)

// Action is one write-back. Status holds the platform's own value
// (fecshop "dispatched", ymcart "600", shopline "cancel"/"archive"/"unarchive").
type Action struct {
	Kind     ActionKind `json:"kind"`
	Status   string     `json:"status,omitempty"`
	Shipment Shipment   `json:"shipment,omitzero"` // Carrier, TrackingNumber, TrackingURL
	Notify   bool       `json:"notify,omitempty"`  // ask the platform to email the customer, where optional
	Remark   string     `json:"remark,omitempty"`
}

// Notify says whether an action reaches the customer.
type Notify string

const (
	NotifyNever    Notify = "never"
	NotifyAlways   Notify = "always"   // the platform emails the customer, no switch
	NotifyOptional Notify = "optional" // Action.Notify decides
)

// Capability describes one action on one platform.
type Capability struct {
	Supported  bool
	Why        string // when not supported: the reason shown to the operator
	Notifies   Notify
	BatchLimit int           // orders per call when the platform batches; 1 otherwise
	Values     []StatusValue // for ActionStatus: every value the platform accepts
}

// StatusValue is one settable status.
type StatusValue struct {
	Value string
	Label string
	// Irreversible, when not empty, says in the operator's words what the
	// value does that cannot be undone from the desk ("cancels the order;
	// it cannot be reopened"). The desk asks before setting it (focus on
	// Cancel) and the command line needs --yes without a terminal.
	Irreversible string
}

// IrreversibleStatus returns what setting value does that cannot be undone
// on a platform with these capabilities ("" when it can be undone).
func (c Capabilities) IrreversibleStatus(value string) string {
	for _, v := range c.Status.Values {
		if v.Value == value {
			return v.Irreversible
		}
	}
	return ""
}

// Capabilities describe what a platform can do.
type Capabilities struct {
	Incremental   bool // List honours UpdatedSince
	CreatedWindow bool // List honours CreatedFrom/CreatedTo
	Status        Capability
	Ship          Capability
	Remark        Capability
}

// Of returns the capability for an action kind.
func (c Capabilities) Of(k ActionKind) Capability {
	switch k {
	case ActionStatus:
		return c.Status
	case ActionShip:
		return c.Ship
	case ActionRemark:
		return c.Remark
	}
	return Capability{Why: "unknown action " + string(k)}
}

// ShopConfig is what an adapter needs to talk to one shop. Secrets are
// already resolved (from *_env, *_cmd or the config file) by the caller.
type ShopConfig struct {
	Name       string
	Platform   Platform
	URL        string
	Username   string
	Password   Secret
	Token      Secret
	APIVersion string         // shopline
	Timezone   *time.Location // for naive shop-local times and date filters
	Rate       float64        // requests per second; 0 = platform default
	Burst      int            // 0 = platform default
	// CallLimit is how long one call to the shop, its retries included,
	// may go without an answer before the desk gives up on it;
	// 0 = DefaultCallLimit.
	CallLimit time.Duration

	// Deps, not config: left nil they get defaults.
	Logger    *slog.Logger
	Transport http.RoundTripper // for tests
	Timeout   time.Duration     // per request; 0 = 30 s
}

// Loc returns the shop's time zone, UTC when unset.
func (c ShopConfig) Loc() *time.Location {
	if c.Timezone == nil {
		return time.UTC
	}
	return c.Timezone
}

// RequestRater is implemented by shops whose client paces its requests: the
// requests per second it sends at most (the configured rate, else the
// platform's default; 0 when unpaced). Front ends use it to say how long a
// sync pass has left: a listing of N more pages takes at least N/rate
// seconds. It does no I/O.
type RequestRater interface {
	RequestRate() float64
}

// RequestRate is the shop's request rate, or 0 when it does not say.
func RequestRate(s Shop) float64 {
	if r, ok := s.(RequestRater); ok {
		return r.RequestRate()
	}
	return 0
}
