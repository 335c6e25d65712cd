// Package shopline is the SHOPLINE Admin REST adapter (myshopline.com;
// PLATFORMS.md §3, seed 002). It implements backend.Shop.
//
// # Transport
//
// Requests go to {url}/admin/openapi/{api_version}/...; api_version is
// required (vYYYYMMDD; seed 002's v20220901 is long out of SHOPLINE's
// 12-month window). Every request, GET included, carries
// "Authorization: Bearer <token>" and "Content-Type: application/json;
// charset=utf-8". Client-side rate limit: 4 requests/s, burst 40 (SHOPLINE's
// leaky bucket per app and store); cfg.Rate/Burst override, and a Rate
// without a Burst gets a burst of Rate. Each response's traceId header is
// logged at debug, error answers included (SHOPLINE support asks for it).
// Error bodies {"errors": string | array | object} (+ "message", "code")
// become one readable line. The token is registered with the redactor whole
// and, for a JWT, segment by segment (a body echoing only the signature is
// scrubbed too). A 404 on orders.json or orders/count.json is ErrRejected
// with a hint at api_version: there is no order to be "not found".
//
// # Listing
//
// orders.json defaults to fulfillment_status=unshipped and accepts no "any",
// so a complete listing is three passes, unshipped, partial, shipped, each
// with status=any. hidden_order is not sent: with status=any archived orders
// are included (unconfirmed; the simulated shop behaves so). The cursor is
// the adapter's own ("sl1." + base64 JSON): the pass, SHOPLINE's page_info
// taken from the rel="next" entry of the link header (looked up
// case-insensitively, rel="previous"/"prev" ignored; never built here), the
// page number, the total, and the time filters so that the next pass's first
// request sends them again. With page_info only page_info and limit (100)
// are sent: SHOPLINE ignores every other filter then. When a cursor is
// given, its filters win over the ListQuery's. A pass with no orders gives
// an empty page whose Next starts the following pass. An order whose
// fulfilment changes during a listing may be listed twice or missed; its
// updated_at moves, so the next incremental sync picks it up.
//
// Page.Total comes from one orders/count.json?status=any (with the same time
// filters) per listing, carried by the cursor; -1 when the count fails (the
// listing goes on, the failure is logged).
//
// UpdatedSince → updated_at_min; CreatedFrom → created_at_min; CreatedTo is
// exclusive and SHOPLINE's created_at_max inclusive with whole seconds, so
// created_at_max = CreatedTo − 1 s. Times are written ISO 8601 in the shop's
// zone with a numeric offset (never "Z"); the "+" is sent as %2B.
//
// Get: there is no GET orders/:id.json, so Get lists
// orders.json?name=<number>&status=any&fulfillment_status=<pass> for the
// three passes in turn (during a write, the order's own pass first) and
// keeps the exact name match; ErrNotFound after the third.
//
// # Decoding
//
//   - id stays a string (26 digits exceed int64; a JSON number keeps its
//     digits); number = name, or the id when the name is empty.
//   - currency = `currency` (the transaction currency), else
//     presentment_currency; the docs say the presentment currency equals
//     it, and every top-level amount is read in it. base =
//     current_total_price_set.shop_money when its currency differs.
//   - totals: subtotal = total_line_items_price (before discounts),
//     discount = current_total_discounts, tax = current_total_tax, shipping
//     = sum of shipping_lines[].price, fee = total_tip_received, grand total
//     = current_total_price.
//   - items: row total = price × quantity (no per-line total on the wire;
//     discount allocations are not subtracted); weight = grams per unit,
//     a double rounded to the nearest gram; no image (the order has none).
//   - customer: name from the shipping address, else the billing address,
//     else the customer's first and last name; email and phone from the
//     order, else from the customer. Addresses carry no email.
//   - payments: one per payment_details entry; method = the
//     payment_gateway_names joined (SHOPLINE does not say which gateway a
//     payment used); transaction id = pay_channel_deal_id, else pay_seq;
//     amount = pay_amount read exactly from its JSON literal (exponents
//     expanded, never via float64) in the order currency; status =
//     pay_status verbatim; paid_at = processed_at, or create_time for a
//     "paid" payment without one (v20220901 has no processed_at). The
//     order's paid_at is the earliest paid_at of a "paid" payment.
//   - shipments: one per fulfillments[] entry (cancelled packages too, with
//     their status): tracking_company, tracking_number, tracking_url,
//     created_at, status.
//   - remarks, all internal: the merchant `note` first (author "merchant
//     note", no time; it cannot be written through the API), then each
//     note_attributes entry (author = name, at = create_time). buyer_note
//     (newer versions) is the buyer note.
//   - tags: the comma-separated string split and trimmed.
//   - raw_status: financial_status, fulfillment_status ("null" when null),
//     hidden_order, and cancelled_at when set, verbatim.
//   - state: one table (status.go, ORDERS-FIELD-NOTES §2.3): cancelled_at
//     set → cancelled, else open (SHOPLINE has no "completed"); hidden_order
//     → archived; financial_status → payment; response fulfillment_status
//     null/partial/fulfilled → unfulfilled/partial/fulfilled. A value not in
//     the table maps to unknown, labelled with the raw value, rather than
//     failing the page.
//   - an order without an id or a currency, or any value that cannot be
//     read, fails the whole page with the field named.
//
// # Writes
//
//   - remark: the order is read fresh, then PUT orders/:id.json with
//     {"order":{"id","note_attributes"}}: every entry as read (name, value,
//     create_time) plus {name: "orderdesk", value: text}. SHOPLINE may
//     replace the list with what is sent (unconfirmed), so nothing is ever
//     dropped. tags are not sent, so they stay unchanged.
//   - ship: the order is read fresh and checked again, then POST
//     orders/:id/fulfillments.json with every line's fulfillable_quantity
//     (or its quantity when the line is unshipped and the field is absent),
//     line ids as JSON numbers (they must fit int64), tracking_company =
//     the carrier as typed (SHOPLINE's carrier list is not public; a name it
//     does not know comes back as a rejection with its reason),
//     tracking_url omitted when empty, notify_customer = Action.Notify. The
//     answer holds only the fulfillment, so Apply returns no order.
//   - status "cancel": POST orders/:id/cancel.json with cancel_reason =
//     Action.Remark or "other", restock = true (nothing has shipped),
//     email = Action.Notify (a bool: mail the buyer). No refund amount or
//     refund_type: SHOPLINE's default refund handling applies.
//     "archive"/"unarchive": PUT hide_mark.json / cancel_hide_mark.json, no
//     body. The answers' order is decoded and returned; user_errors in a 200
//     answer are a rejection.
//   - Check: cancel only when not cancelled and nothing is shipped; archive
//     only when not archived; unarchive only when archived; ship only when
//     not cancelled, something is unfulfilled, and a carrier and tracking
//     number are given (a tracking URL must be http(s)); remark only with
//     text. A 2xx write answer that cannot be read is ErrOutcomeUnknown.
package shopline
