// Package query is the filter language, used by `orderdesk list --filter`,
// the TUI's incremental filter and saved views. A query is
// parsed once (Parse) and evaluated against orders prepared once (NewDocs,
// NewDoc): Match does no allocation and no case mapping, so the TUI can
// re-filter 100,000 orders per keystroke.
//
// # Syntax
//
// A query is terms separated by white space (the ideographic space U+3000
// too); an order matches when every term matches. A blank query matches
// every order.
//
//	-TERM          negates a term: -status:cancelled, -"gift wrap"
//	"two words"    double quotes group words, in free text and in values:
//	               "new york", city:"new york", -"foo bar"; inside quotes
//	               \" is a quote and \\ a backslash
//	FIELD:VALUE    a field term; field names are case-insensitive
//	FIELD:A,B      for exact fields (marked "list" below): any of A or B;
//	               a comma inside quotes is part of the value
//	FIELD>VALUE    comparisons >, >=, <, <=, = for total, created and
//	               updated; the GitHub form total:>100 means the same, and
//	               total:100 means total=100
//	WORD           free text
//
// A term is a field term when it starts with ASCII letters or '_' followed
// by ':' or an operator; any other word is free text (so "10:30",
// "eu-store:1001" and "名前:王" are free text, and foo:bar is an unknown
// field error).
//
// # Free text
//
// Free text matches, case-insensitively and as a substring, the order
// number, the customer name and the shipping recipient's name, the
// customer and shipping e-mail, every item's SKU and title, every
// shipment's tracking number (compared without spaces and dashes) and the
// shipping city and province (a Tokyo address has city 渋谷区 and
// province 東京都; city: looks at the city only). Matching is by Unicode lower case (through upper case, so
// σ/ς/Σ meet), with full-width ASCII (ＡＢＣ１２３, as CJK input methods
// type it) read as ASCII; CJK text matches as typed (王小明, 東京). There
// is no accent folding: "muller" does not find "Müller".
//
// A free-text term that has at least three digits and otherwise only
// + - ( ) . and spaces is also looked up in the customer's, shipping and
// billing phone numbers, however either side is written: with or without
// country code (+81, 0081) or trunk prefix (the 0 of 090), with spaces,
// dashes, brackets or dots, and in part. "+86 186-6183" finds
// 18661832866; +81 90-1234-5678, +81 (0)90 1234 5678, 090-1234-5678 and
// 9012345678 all find each other; 1234-5678 finds part of it. A term with
// a country code does not find phones written with another one. Country
// codes and national numbers come from libphonenumber; phone.go has the
// rules and their limits.
//
// A phone number pasted without quotes is several words: a run of words
// made only of digits and + ( ) - ., not negated, that starts with a
// country code or has at least five digits is read as one phone number
// too. It matches when the number does, or when every word matches as
// its own term (so "1001 1002" still finds order 1001-1002). The run may
// start with phone: (phone:+81 90-1234-5678). A - negates one word: quote
// a number to exclude it, -"+81 90-1234-5678".
//
// # Fields
//
//	field     matches                                      how
//	shop      the shop name                                exact, list
//	platform  fecshop, fecmall, shopline, ymcart           exact, list
//	status    an axis value (order, payment or             exact, list
//	          fulfillment, aliases below), "archived", a
//	          raw status value (dispatched, 200, 3) or the
//	          status label ("200 paid"; quote labels with
//	          spaces or commas)
//	pay       the payment axis (alias payment:)            exact, list, aliases
//	ship      the fulfillment axis (aliases fulfillment:,  exact, list, aliases
//	          fulfilment:)
//	country   shipping country code or name (cn, china)    exact, list
//	tag       a tag                                        exact, list
//	currency  the order currency (usd, jpy)                exact, list
//	sku       an item's SKU                                substring
//	title     an item's title                              substring
//	carrier   a shipment's carrier                         substring
//	tracking  a tracking number, spaces and dashes ignored substring
//	email     customer or shipping e-mail                  substring
//	name      customer or shipping recipient name          substring
//	city      shipping city                                substring
//	number    the order number (number:1001 finds #1001)   substring
//	phone     customer, shipping or billing phone,         substring of digits
//	          written any way, as in free text (error if
//	          the value is not phone-like)
//	total     grand total                                  comparison
//	created   created_at                                   comparison
//	updated   updated_at                                   comparison
//	is        pending, failed, conflict, attention,        flags, list
//	          archived, open, cancelled, completed,
//	          inferred
//
// "Exact" and "substring" are both case-insensitive (state:, the alias of
// status:, is accepted too). Axis values accept spaces or dashes for
// underscores ("on hold", on-hold, on_hold) and these aliases:
//
//	order axis (status: only)  canceled, void → cancelled; complete → completed;
//	                           hold, held, onhold → on_hold
//	pay                        authorised → authorized; partly_paid → partially_paid;
//	                           partly_refunded → partially_refunded;
//	                           awaiting_payment → unpaid
//	ship                       shipped → fulfilled or delivered;
//	                           unshipped, not_shipped → unfulfilled;
//	                           partially_shipped, partly_shipped,
//	                           partially_fulfilled, partly_fulfilled → partial;
//	                           received → delivered; hold, held, onhold → on_hold
//
// country: compares the code and the name as the order carries them; an
// order whose platform sends only the code (Fecmall) matches by code only.
//
// status: applies the aliases of every axis (status:shipped is
// ship:shipped, status:hold is on hold on either axis).
//
// Values are not validated against the platforms' vocabularies: a shop,
// platform, status, axis value, country, tag or currency that no order has
// simply matches nothing (raw statuses differ per platform and change;
// refusing "unknown" ones would reject valid filters). Only is: has a
// closed list, and an unknown is: value is an error.
//
// is: values: pending = has an open edit in state pending, sending or
// unknown; failed and conflict = has an edit in that state; attention =
// any of the three; archived = archived on the shop; open = order state
// neither cancelled nor completed (draft and on_hold count as open);
// cancelled (canceled), completed = that order state; inferred = the axes
// were derived from one combined platform field (Fecshop). Note is:pending
// is about the desk's outbox, pay:pending about the payment.
//
// # Comparisons
//
// total compares the grand total with an exact decimal (never a float) in
// the order's own currency: a bare total>100 matches 120.00 USD and 1200
// JPY alike. A currency code glued to the number, total>100USD or
// total>=1000jpy (or quoted with a space, total>"100 USD"), compares like
// with like: only orders in that currency match. A code after a space is
// a term of its own. Scales do not matter: total=12.9 equals 12.90.
//
// created and updated take a date literal or an age. A date literal
// (2024-01-31, 2024-01, 2024-01-31T10:00, 2024-01-31T10:00:05, or a quoted
// "2024-01-31 10:00") is a wall-clock interval — the day, month, minute or
// second it writes — in each order's shop zone, and comparisons
// are against the interval: created>D is after it, created>=D from its
// start, created<D before it, created<=D up to its end, created=D (or
// created:D) within it. So created>2024-01-01 starts on 2 January and
// created=2024-01 is the whole month. A literal with an offset
// (2024-01-31T10:00Z, 2024-01-31T10:00:00+08:00) is an instant, the same
// for every shop.
//
// An age is a whole number of hours, days or weeks (12h, 7d, 2w) before
// Options.Now: created<7d is newer than 7 days, created>7d older, and <=,
// >= include the boundary second. An age needs < or >. There is no
// "today": days differ per shop zone, and an age is unambiguous.
//
// An order without the compared value (no created_at, no shipping address
// for country:) does not match the term, and so matches its negation.
//
// # Errors
//
// An invalid query is an *Error naming the offending term as typed and its
// byte offset, with a Kind: ErrUnknownField (lists the known fields),
// ErrMissingValue (status:, a lone -, ""), ErrBadNumber, ErrBadDate (date
// or age), ErrUnknownValue (is:, lists the valid values), ErrUnterminated
// (a quote without its end), ErrNoComparison (sku>3), ErrBadValue
// (phone:abc). Error() reads: invalid filter at "total>abc": "abc" is not
// an amount.
//
// # Performance
//
// Build Docs once (NewDocs when the desk opens, NewDoc when an order
// changes) and run Query.Filter or Match over them on every keystroke;
// Match never allocates. Terms run in an order that rejects early —
// positive before negated, flags and exact values first, free text last —
// and stop at the first that fails. A Doc answers most terms from its own
// fixed-size fields: axis bits, flags, times, the total, eight-byte keys
// of the exact values, and small Bloom filters (the bytes and byte pairs
// of the free-text haystack, the digit pairs of the phones, the tags and
// raw statuses), so the strings it points to are read only to confirm a
// likely match. The haystack is one string with NUL between values, laid
// out in order with the other Docs' strings by NewDocs; the confirming
// search anchors on the needle's rarest byte. Expect a few nanoseconds per
// order for exact, axis, flag and comparison terms, and a cost that grows
// with the share of orders that contain the needle for substring terms
// (see BenchmarkMatch: `go test -bench Match ./backend/query`).
package query
