// Package ymcart is the adapter for the YMCart ERP API (PLATFORMS.md §4,
// seed 004): POST <shop>/api-erp-<name>.html with form fields, the API token
// in the form field `token` on every call (never a header or the URL).
// Success is body code == 0; an HTTP-200 body with another code is an error.
//
// Reads: orderList lists (page_no/page_size 50/order_by 0 = id ascending)
// and is also the detail call (itemno=<number>; no row = ErrNotFound), for
// many orders at once too (Shop.GetMany: itemno=<n1,n2,...>, up to 20
// numbers a call, page_size 50, further pages followed while count says
// there are more; a number with no row is absent from the answer).
// deliveryList is available as Shop.Deliveries; an order's shipments come
// from its own delivery block. Writes: orderStatus, orderShip and
// orderRemark take up to 20 orders per call (Shop.ApplyBatch); orderStatus
// and orderShip email the customer, always.
//
// Decisions the docs leave open, and how normalised fields are derived:
//
//   - Bad token: the docs do not say. Answers with code 403 or msg
//     "token_error" are ErrAuth (the sim answers HTTP 200
//     {"code":403,"msg":"token_error"}); any other non-zero code is
//     ErrRejected with the msg as reason. HTTP 429 and 5xx are handled by
//     the transport (rate limited / unavailable). A 2xx body that is not
//     JSON is ErrBadResponse for a read (not retried: the page is aborted
//     and the sync tries again later) and ErrOutcomeUnknown for a write.
//   - Status: one table (status.go) from order_status, ORDERS-FIELD-NOTES
//     §2.3 "ERP": 100 new open/unpaid/unfulfilled, 101 payment failed
//     open/failed, 102 confirming open/pending, 200 paid open/paid/
//     unfulfilled, 301 shipped open/paid/fulfilled, 600 void cancelled/
//     unknown/unknown, 700 complete completed/paid/fulfilled ("delivered"
//     cannot be known). payment_status (100 unpaid, 101 failed, 102
//     pending, 200 paid) and shipping_status (0 unfulfilled, 301 fulfilled)
//     override those axes when present, so a void order that had been paid
//     reads cancelled/paid. An unknown value of any of the three fields is
//     an ErrBadResponse naming it. raw_status holds the three fields
//     verbatim; status_label is "<order_status> <label>", e.g. "200 paid".
//   - Status transitions the desk offers (the platform documents none):
//     100 → 102, 200, 600; 101 → 100, 102, 200, 600; 102 → 100, 200, 600;
//     200 → 600; 301 → 700; nothing from 600 or 700. 301 is reached only by
//     shipping. Capabilities lists every settable value (100, 102, 200,
//     600, 700); Check filters per order.
//   - Ship: only orders in 200 or 301 (as the platform); needs a tracking
//     number and a carrier name. The carrier goes as shipping_corp_name with
//     shipping_corp_codeno empty (the docs' advice); remark and remark_user
//     are sent empty. YMCart has no tracking URL field: Shipment.TrackingURL
//     is not sent, and shipments read back have none.
//   - Remark: non-empty text; orderRemark appends to order_remark[].
//   - Write answers: per order, msg "success" is OK, "order_404" is
//     ErrNotFound, anything else ErrRejected with the platform's message
//     (order_status_limit explained). The orderStatus example lists only
//     the failed order; the desk does not take silence for success: an
//     order the answer does not mention is ErrOutcomeUnknown, so the outbox
//     reads it back. A batch whose call fails gives that error to each of
//     its orders.
//   - Incremental sync (time_type=2, act_time, by day): act_time is "0" on
//     orders nobody touched since they were placed (the seed's new order),
//     and nothing says a payment sets it. So a listing with UpdatedSince
//     runs three passes, each starting the day before UpdatedSince (one day
//     of overlap, shop zone): created (no time_type), paid (time_type=1)
//     and changed (time_type=2). An order may come back from several passes
//     or pages: callers de-duplicate by id. Such a listing reports Total
//     -1; a plain one reports count. A created window sends
//     start_time = CreatedFrom's day and end_time = the day of the last
//     second before CreatedTo: a superset of the window, whole days.
//     UpdatedSince takes precedence over a created window.
//   - count drives paging only (next page while page × 50 < count and the
//     page is not empty). A page with fewer rows than count promises is
//     accepted: the documented example has count 400 and one row, and a
//     count that includes rows the list drops must not stop every sync.
//   - Totals: subtotal cost_product, shipping cost_shipping, discount
//     cost_offer, tax 0 (the wire has none), fee cost_payment +
//     cost_insurance, grand_total total_amount (the seed: 12.93 = 1.80 +
//     10.00 + 0.13 + 1.00 − 0.00). No base: currency_rate is given but the
//     base currency is not named.
//   - Times: create_time, pay_time; updated_at is act_time, or when "0"
//     the pay time, else the creation time (the last change the wire
//     shows, stable across reads). cancelled_at is null: the wire has no
//     cancel time and act_time is any last action.
//   - Addresses: address_type 0 is shipping, 1 billing. With no type-0
//     row (the seed's only address is type 1) the first row is also the
//     shipping address. Names: first + " " + last; all-CJK names family
//     name first without a space (王 + 小明 → 王小明). Phone is mobilephone;
//     telephone (a catch-all) fills the phone when mobilephone is empty and
//     it looks like a number, and is the company when it does not.
//   - Customer: user_name (null for guests), else the shipping address
//     name; email and phone from the shipping address, then billing.
//   - Items: sku is sku_codeno (else goods_codeno); variant is sku_value
//     split at <br /> and joined with ", " ("Color:As shown, Size:S");
//     row_total = price × buy_num; weight kg → grams, rounded.
//   - Payments: one, from the order: payment_method, total_amount, the
//     payment axis as status, pay_time; the transaction id is the last
//     payment[] record's pay_method_no (the gateway's), else its trade_no.
//   - Remarks: admin_descript first (author "admin"), then order_remark[]
//     rows (no author); all internal. buyer_note is the order's remark.
//   - Tags: marked "1" → "marked"; another non-zero value v → "marked:v".
//   - deliveryList: max_id is read as "records with id <= max_id" (the
//     list is newest first), for paging back without shifting pages.
//   - Rate: 2 requests/s, burst 4 by default (no limit is documented).
package ymcart
