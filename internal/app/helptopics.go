package app

import (
	"fmt"
	"io"
	"reflect"
	"strings"
	"time"

	"orderdesk/backend"
	"orderdesk/backend/config"
	"orderdesk/backend/query"
	"orderdesk/keymap"
	"orderdesk/ui"
)

// The topics of `orderdesk help TOPIC`: the filter language, the desk's
// keys, a commented config and the JSON fields. Each is built from what the
// program uses (the query's fields, the keymap, the example config, the
// Order type) where it can be, so it cannot drift from it.

const filterSyntax = `The filter language of orderdesk list --filter QUERY, of / in the desk and of
saved views ([[views]] query = "..." in the config).

A query is words separated by spaces; an order matches when every word
matches. Case does not matter. A blank query matches every order.

  WORD          free text: part of the order number, customer or recipient
                name, e-mail, SKU, item title, tracking number, city or
                province, and phone numbers however they are written: a
                number pasted as it is (+81 90-1234-5678) finds 090-1234-5678,
                9012345678 and the rest; to leave one out, quote it:
                -"+81 90-1234-5678".
  FIELD:VALUE   a field (below): ship:unfulfilled, country:CN
  FIELD:A,B     any of A or B, for exact fields: status:cancelled,completed
  FIELD>VALUE   compare total, created or updated with > >= < <= =;
                total:>100 and total:100 (equal) work too
  -TERM         not: -status:cancelled, -"gift wrap"
  "two words"   quotes keep words together: "new york", city:"new york";
                inside quotes \" is a quote, \\ a backslash, and a comma
                is part of the value

A word is a field only when letters and a ':' or a comparison start it:
10:30 and eu-store:1001 are free text, and an unknown field (foo:bar) is an
error that lists the fields. Free text ignores case, reads full-width
letters and digits (ＡＢＣ１２３) as ASCII and matches Chinese or Japanese
as typed; accents are not folded (muller does not find Müller).
`

const filterValues = `
Other names: payment: is pay:, fulfillment: and fulfilment: are ship:,
state: is status:.

Status values (status: looks at all three axes, pay: and ship: at one):
  order   draft, open, on_hold, cancelled, completed; status: also takes
          "archived", a raw platform status (dispatched, 200) or a status label
          ("200 paid": quote a label with spaces or commas)
  pay     unpaid, pending, authorized, partially_paid, paid,
          partially_refunded, refunded, voided, failed, unknown
  ship    unfulfilled, on_hold, in_progress, partial, fulfilled, delivered,
          returned, unknown
Spaces or dashes work for underscores (on-hold). Aliases: shipped (fulfilled
or delivered), unshipped, partially_shipped (partial), received (delivered),
canceled, void, complete, hold, authorised, awaiting_payment (unpaid);
status: takes the aliases of every axis (status:shipped is ship:shipped).
A value no order has (a shop, a status, a country, a tag) matches nothing
rather than being an error: only is: has a closed list.

is: takes pending, failed, conflict and attention (edits in the desk's outbox:
is:pending = an edit not yet sent, while pay:pending is about the payment),
archived, open, cancelled, completed and inferred (the states were read from
one combined platform field).

Totals: total>100 compares the number alone, in each order's own currency: it
matches 120.00 USD and 1200 JPY alike. Add a currency to compare within it:
total>100usd, total>=1000jpy, total>"100 USD" (orders in other currencies do
not match); a currency after a space is a word of its own. Amounts are exact
decimals: total=12.9 matches 12.90.

Dates are read in each order's shop's zone, and a date is the whole day,
month, minute or second it writes (2026-11-30, 2026-11, 2026-11-30T12:00,
2026-11-30T12:00:05, "2026-11-30 12:00"): created>2026-11-01 is from 2
November on, created>=2026-11-01 from 1 November, created<=2026-11-30 up to
the end of that day, created=2026-11 the whole month. With an offset
(2026-11-30T12:00Z, 2026-11-30T12:00+08:00) it is one instant for every shop.
An age in hours, days or weeks counts back from now and needs < or >:
updated<7d (newer than 7 days), created>2w (older than 2 weeks).

An order without the value compared (no created time, no shipping country)
does not match the word, and matches its negation.

Examples:
  pay:paid ship:unfulfilled,partial -is:cancelled   the To ship tab
  country:CN,HK total>500cny                        CNY orders over 500
  total>=100 -currency:jpy                          100 or more, but no yen
  is:attention                                      edits that need you
  +86 186-6183                                      a phone, written any way
  created<7d -is:archived sku:TSHIRT
  created=2026-11 status:"200 paid"                 a status label, November
  "new york" -tag:wholesale                         free text with a space
`

// writeFilterHelp writes the filter language, its field list from the
// query package.
func writeFilterHelp(w io.Writer) {
	var b strings.Builder
	b.WriteString(filterSyntax + "\nFields:\n")
	var rows [][]string
	for _, f := range query.Fields() {
		rows = append(rows, []string{f.Name, f.Help})
	}
	writeColumns(&b, rows)
	b.WriteString(filterValues)
	io.WriteString(w, b.String())
}

// writeKeysHelp lists the desk's default keys and the names that rebind
// them in the config's [keys] table.
func writeKeysHelp(w io.Writer) {
	// The key of each action, found by its help text in the default map.
	keys := map[string]string{}
	for _, col := range keymap.Default().FullHelp() {
		for _, k := range col {
			keys[k.Help().Desc] = k.Help().Key
		}
	}
	var b strings.Builder
	b.WriteString("The desk's keys (the defaults; ? in the desk shows them). The config's [keys]\n" +
		"table rebinds an action by the name in the last column: quit = [\"q\", \"ctrl+c\"].\n")
	scopes := []struct {
		scope keymap.Scope
		title string
	}{{keymap.ScopeDesk, "In the list and the order's detail"}, {keymap.ScopeForm, "In forms and pickers"}}
	for _, s := range scopes {
		fmt.Fprintf(&b, "\n%s:\n", s.title)
		var rows [][]string
		for _, a := range keymap.Actions() {
			if a.Scope == s.scope {
				rows = append(rows, []string{keys[a.Help], a.Help, a.Name})
			}
		}
		writeColumns(&b, rows)
	}
	b.WriteString("\nIn a text field (the filter, a remark, carrier, tracking number, a file name)\n" +
		"every printable key is text; only enter, esc, tab, the arrows and ctrl/alt\n" +
		"chords act there.\n")
	io.WriteString(w, b.String())
}

// writeConfigHelp writes the commented example config.
func writeConfigHelp(w io.Writer) {
	io.WriteString(w, config.Example)
}

// writeJSONHelp lists the fields of `list --format json` and `show
// --format json`, read from the Order type, then the columns of `list
// --format csv`.
func writeJSONHelp(w io.Writer) {
	var b strings.Builder
	b.WriteString(`The fields of orderdesk list --format json (an array of orders) and
orderdesk show REF --format json (one order). Money is a decimal string in the
order's currency ("12.90"), times are RFC 3339 in UTC or null, lists are [] when
empty (never null).

`)
	var rows [][]string
	jsonFields(reflect.TypeFor[backend.Order](), "", &rows)
	writeColumns(&b, rows)
	b.WriteString(`
The columns of orderdesk list --format csv (and of the desk's export, X): a
header row, then one row per order. Money is a decimal string as in JSON,
times are RFC 3339 in the display zone (the config's timezone) with its
offset (2026-11-30T18:04:05+08:00), an empty cell is a missing value, and a
list (shipments, tags, edits) is joined with "; ". --bom starts the file with
a UTF-8 byte order mark for Excel.

`)
	rows = nil
	for _, c := range ui.CSVColumns() {
		rows = append(rows, []string{c, csvNotes[c]})
	}
	writeColumns(&b, rows)
	io.WriteString(w, b.String())
}

// csvNotes say what each CSV column holds (a test holds them to the
// columns of ui.CSVColumns).
var csvNotes = map[string]string{
	"ref":             "SHOP:NUMBER",
	"shop":            "the shop's name in the config",
	"platform":        "fecshop, fecmall, shopline or ymcart",
	"number":          "the order number as the shop shows it",
	"created_at":      "when the order was placed",
	"updated_at":      "when the shop last changed it",
	"order":           "the order state: draft, open, on_hold, cancelled, completed",
	"payment":         "the payment state (as state.payment in JSON)",
	"fulfillment":     "the shipping state (as state.fulfillment in JSON)",
	"status_label":    "the platform's own status, in words",
	"customer":        "the customer's name",
	"email":           "the customer's e-mail",
	"phone":           "the customer's phone, as written",
	"country_code":    "the shipping address's country code (CN, US)",
	"city":            "the shipping address's city",
	"items":           "the number of items (the sum of the quantities)",
	"currency":        "the order's currency (USD, CNY)",
	"grand_total":     "the grand total, a decimal string in the currency",
	"carrier":         "each shipment's carrier",
	"tracking_number": "each shipment's tracking number",
	"tags":            "the order's tags",
	"pending":         "edits not yet confirmed: ID and state (E3 failed)",
}

// jsonFields appends the JSON path and kind of every field of t.
func jsonFields(t reflect.Type, prefix string, rows *[][]string) {
	for f := range t.Fields() {
		name, _, _ := strings.Cut(f.Tag.Get("json"), ",")
		if name == "" || name == "-" || !f.IsExported() {
			continue
		}
		path := prefix + name
		ft := f.Type
		if ft.Kind() == reflect.Pointer {
			ft = ft.Elem()
		}
		list := ""
		if ft.Kind() == reflect.Slice && ft.Elem().Kind() == reflect.Struct {
			ft, list = ft.Elem(), "[]"
		}
		switch kind := jsonKind(ft); {
		case kind != "":
			if note := jsonNotes[path]; note != "" {
				kind += ": " + note
			}
			*rows = append(*rows, []string{path, kind})
		case ft.Kind() == reflect.Struct:
			kind = map[string]string{"": "object", "[]": "list of objects"}[list]
			if note := jsonNotes[path]; note != "" {
				kind += ": " + note
			}
			*rows = append(*rows, []string{path + list, kind})
			jsonFields(ft, path+list+".", rows)
		}
	}
}

// jsonNotes say what values a few fields take.
var jsonNotes = map[string]string{
	"platform":          "fecshop, fecmall, shopline or ymcart",
	"state.order":       "draft, open, on_hold, cancelled, completed",
	"state.payment":     "unpaid, pending, authorized, partially_paid, paid, partially_refunded, refunded, voided, failed, unknown",
	"state.fulfillment": "unfulfilled, on_hold, in_progress, partial, fulfilled, delivered, returned, unknown",
	"state.archived":    "archived (hidden) on the shop",
	"state.inferred":    "the states were read from one combined platform field",
	"raw_status":        "the platform's own status fields",
	"pending":           "edits not yet confirmed by the shop",
	"pending[].state":   "pending, sending, unknown, failed, conflict",
}

// jsonKind names a leaf's JSON kind; "" for an object to descend into.
func jsonKind(t reflect.Type) string {
	switch t {
	case reflect.TypeFor[time.Time]():
		return "time (RFC 3339, UTC) or null"
	case reflect.TypeFor[backend.Amount]():
		return "money: decimal string"
	case reflect.TypeFor[backend.Ref]():
		return "string: SHOP:NUMBER"
	}
	switch t.Kind() {
	case reflect.String:
		return "string"
	case reflect.Bool:
		return "true or false"
	case reflect.Int, reflect.Int64, reflect.Int32, reflect.Float64:
		return "number"
	case reflect.Map:
		return "object of strings"
	case reflect.Slice:
		return "list of strings"
	}
	return ""
}
