package backend

// The three status axes of SPEC §2, plus the archived flag. Each adapter maps
// its platform's raw status onto them with one table.

type OrderState string

const (
	OrderDraft     OrderState = "draft"
	OrderOpen      OrderState = "open"
	OrderOnHold    OrderState = "on_hold"
	OrderCancelled OrderState = "cancelled"
	OrderCompleted OrderState = "completed"
)

type PaymentState string

const (
	PayUnpaid            PaymentState = "unpaid"
	PayPending           PaymentState = "pending"
	PayAuthorized        PaymentState = "authorized"
	PayPartiallyPaid     PaymentState = "partially_paid"
	PayPaid              PaymentState = "paid"
	PayPartiallyRefunded PaymentState = "partially_refunded"
	PayRefunded          PaymentState = "refunded"
	PayVoided            PaymentState = "voided"
	PayFailed            PaymentState = "failed"
	PayUnknown           PaymentState = "unknown"
)

type FulfillmentState string

const (
	FulUnfulfilled FulfillmentState = "unfulfilled"
	FulOnHold      FulfillmentState = "on_hold"
	FulInProgress  FulfillmentState = "in_progress"
	FulPartial     FulfillmentState = "partial"
	FulFulfilled   FulfillmentState = "fulfilled"
	FulDelivered   FulfillmentState = "delivered"
	FulReturned    FulfillmentState = "returned"
	FulUnknown     FulfillmentState = "unknown"
)

// State is an order's position on the three axes. Inferred is true when the
// axes were derived from one combined platform field (Fecshop), so the desk
// can mark them as approximate.
type State struct {
	Order       OrderState       `json:"order"`
	Payment     PaymentState     `json:"payment"`
	Fulfillment FulfillmentState `json:"fulfillment"`
	Archived    bool             `json:"archived"`
	Inferred    bool             `json:"inferred"`
}
