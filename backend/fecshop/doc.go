// Package fecshop is the adapter for Fecshop's appapi v1 (the ERP API of
// the open-source Yii2 shop, PLATFORMS.md §1): login with an appadmin
// user, the 5-per-page order list, fetchone, and updateorderstatus for
// status and tracking.
//
// # Wire
//
//   - Login: POST /v1/account/login with a JSON body {username, password};
//     the token comes back in the body's "access-token" (and a header of the
//     same name) and is sent as the header access-token. A refused login is
//     HTTP 200 {"access-token":"","status":"error","code":401} → ErrAuth.
//   - Every answer is HTTP 200 with a body code; code != 200 is an error
//     (see envelope): 1100003 "token is time out" → log in again once and
//     repeat the request (a second timeout is ErrAuth); 429 (the production
//     error handler, often on HTTP 200) → ErrRateLimited, waiting
//     X-Rate-Limit-Reset; 400 "can not find order…" → ErrNotFound; other
//     400s → ErrRejected with the message and data.error. A body that is not
//     an envelope is reported by the decoder as ErrBadResponse naming the
//     field, and is not retried (the sync keeps its previous good copy).
//   - Logins are single-flight: the session mutex is held across a login, so
//     concurrent requests that meet a timed-out token cause one login (a
//     second login would invalidate the first token: Fecshop keeps one token
//     per admin user). A re-login does not send the old token: the server
//     would hand back that same token if it were still valid, and a login is
//     only made when the shop just called the token timed out.
//   - List: GET /v1/order/list?page=N[&begin_date&end_date] ("YYYY-MM-DD
//     HH:MM:SS" in the shop's zone, which must be the PHP server's zone;
//     created_at >= begin, < end; a fractional end is rounded up to the next
//     second). The cursor is the page number; X-Pagination-Page-Count says
//     when to stop. "exceeded the maximum number of pages" is the end of the
//     list — and is also how an empty result answers page 1 — never an error.
//     Capabilities: CreatedWindow, not Incremental.
//   - Get: GET /v1/order/fetchone?increment_id=N (query string only).
//
// # Normalisation decisions (the docs leave these open)
//
//   - State: the three axes come from order_status alone and are all
//     Inferred; the one table is statuses (status.go), which also says which
//     values the desk offers from each status and where ship is allowed.
//     A status not in the table is kept as its own label with the order
//     open and payment/fulfilment unknown.
//   - Totals: subtotal_with_discount holds the coupon discount (→ discount);
//     payment_fee is the gateway's fee, outside grand_total (→ fee); no tax
//     column (tax 0). grand_total and subtotal must be present; other amounts
//     are 0 when null.
//   - Base: Fecshop sends base_* amounts and order_to_base_rate but no base
//     currency code. When the rate is exactly 1 the base currency is the
//     order currency; otherwise Base.Currency is "" (the shop's base
//     currency, code unknown) and base_grand_total is read with 2 decimals.
//   - Customer name: customer_firstname + " " + customer_lastname, except
//     when both parts are written in an East Asian script: family name first,
//     no space (赵 + 地虎 → 赵地虎). customer_is_guest (1 guest, 2 registered)
//     and customer_id have no place in the normalised order; they stay in
//     Raw for the detail view.
//   - Address: the single flattened customer_address_* address is the
//     shipping address (name, phone and email from the customer); there is
//     no billing address. State and country names come only with the list
//     and fetchone.
//   - Items: sku (not custom_option_sku), name, qty, price, row_total,
//     weight in kg → weight_g (per unit, rounded to the gram), variant
//     "key:value / key:value" from spu_options in the shop's order, then
//     custom_option_info keys not already shown. Image is the list's
//     full_image; fetchone sends only a relative path, which is resolved
//     with the image base learned from an earlier list of the same shop, or
//     kept relative until one is seen.
//   - Payments: one entry when payment_method is set: method, txn_id,
//     grand_total, the payment axis as status; paid_at is null (Fecshop
//     records no payment time; paypal_order_datetime holds junk such as
//     "1970-01-01 08:33:41" and is ignored). cancelled_at is null too.
//   - Shipments: one entry when tracking_number is set: carrier from
//     tracking_company (what the API writes), else tracking_company_name;
//     shipped_at from dispatched_at (the API never sets it). No tracking URL
//     column exists: an action's URL is not sent.
//   - buyer_note is order_remark with HTML entities decoded (the shop stores
//     it Html::encode'd). Remarks and tags: none.
//
// # Actions
//
//   - Status: any of the 10 values updateorderstatus accepts, limited by
//     the statuses table to what the admin's workflow allows from the
//     current status; dispatched only through ship; received and canceled
//     are never settable.
//   - Ship: dispatched + tracking_number + tracking_company, only from
//     payment_confirmed or processing; both tracking number and carrier are
//     required (an empty tracking_company would leave an old one in place),
//     within the columns' 100 and 150 characters.
//   - Remark: unsupported. Fecshop never emails through this API: Notifies
//     is never, and an action asking to notify is refused as unsupported.
//   - Apply verifies updateData echoes the change and returns nil: updateData
//     lacks items and names, so the caller Gets the order.
package fecshop
