package form

import (
	"errors"
	"slices"
	"strings"

	"charm.land/bubbles/v2/key"
	tea "charm.land/bubbletea/v2"

	"orderdesk/backend"
	"orderdesk/backend/tracking"
	"orderdesk/keymap"
	"orderdesk/ui/theme"
)

// ShipInput is what the desk knows before the ship form opens.
type ShipInput struct {
	Title string
	// Carriers is the completion list, e.g. the names of tracking.Carriers().
	Carriers []string
	// Aliases maps other names operators type for a carrier ("顺丰",
	// "中通", "DHL快递") to its name in Carriers: typing one completes to
	// that carrier.
	Aliases map[string]string
	// NotifyOptional, when not empty, says whom the notify switch emails:
	// some orders are on a platform that lets the operator choose
	// (SHOPLINE notify_customer), e.g. "the SHOPLINE customer" or "2
	// SHOPLINE customers". The form shows a checkbox, off at first.
	NotifyOptional string
	// NotifyAlways says, one line per platform, who is emailed whatever
	// the switch (YMCart emails on every shipment): "YMCart emails its
	// customer (2 orders)".
	NotifyAlways []string
	// Notes are lines under the title, e.g. marked orders that cannot ship.
	Notes []string
	// Initial fills the fields (carrier, number, and a tracking URL that is
	// not the one the carrier's page would give). Its ShippedAt and Status
	// are handed back unchanged by Shipment.
	Initial backend.Shipment
}

// ShipForm asks for a carrier, a tracking number, an optional URL of the
// operator's own and, where the platform allows, whether to email the
// customer. The number is checked live against the carrier's formats; a
// mismatch warns and never blocks. Submit needs a carrier and a number.
type ShipForm struct {
	in      ShipInput
	fields  [3]textField // carrier, number, own URL
	notify  bool
	focus   int // index into fields; notifyField for the checkbox
	check   tracking.Result
	message string // why the last submit was refused
	cursor  *tea.Cursor
	st      theme.Styles
	keys    keymap.KeyMap
}

const (
	carrierField = iota
	numberField
	urlField
	notifyField
)

// Sizes of the ship form box.
const (
	shipMinWidth = 40
	shipMaxWidth = 104
)

// NewShipForm builds the form with the carrier field focused (the number
// field when Initial names a carrier).
func NewShipForm(in ShipInput, s theme.Styles, k keymap.KeyMap) *ShipForm {
	f := &ShipForm{in: in, st: s, keys: k}
	init := in.Initial
	ownURL := init.TrackingURL
	if ownURL == tracking.URL(init.Carrier, init.TrackingNumber) {
		ownURL = "" // the preview shows it; typing a carrier keeps it in step
	}
	f.fields[carrierField] = newTextField("Carrier", "UPS, FedEx, 顺丰… (tab completes)", "carrier", backend.MaxCarrier, init.Carrier)
	f.fields[numberField] = newTextField("Tracking", "the number on the label", "tracking number", backend.MaxTrackingNumber, init.TrackingNumber)
	f.fields[urlField] = newTextField("Own URL", "optional: a tracking page of your own", "tracking URL", backend.MaxTrackingURL, ownURL)
	if strings.TrimSpace(init.Carrier) != "" {
		f.focus = numberField
	}
	f.fields[f.focus].focus()
	f.revalidate()
	return f
}

// Shipment is what the operator entered: the carrier's canonical name when
// the carrier is known (else the name as typed, trimmed), the normalised
// number, and the operator's own URL or else the carrier's tracking page.
// ShippedAt and Status are those of ShipInput.Initial.
func (f *ShipForm) Shipment() backend.Shipment {
	out := f.in.Initial
	out.Carrier = f.carrierName()
	out.TrackingNumber = f.check.Number
	out.TrackingURL = f.trackingURL()
	return out
}

// Notify is the operator's answer to the notify switch: whether the
// orders whose platform lets the operator choose email their customer.
// Platforms that always email do so whatever it says; it is false when the
// form has no switch.
func (f *ShipForm) Notify() bool {
	return f.in.NotifyOptional != "" && f.notify
}

// Warnings are what the checks warned about, one line each, for the
// confirmation dialog: a number that does not fit its carrier, a carrier
// the desk does not know, a URL that is not a web address.
func (f *ShipForm) Warnings() []string {
	var out []string
	number := f.check.Number
	typed := strings.TrimSpace(f.fields[carrierField].value()) != ""
	if number != "" && (f.check.Level == tracking.LevelWarning || typed && !f.check.KnownCarrier) {
		out = append(out, number+": "+f.check.Message)
	}
	if u := f.ownURL(); u != "" && !strings.HasPrefix(u, "https://") && !strings.HasPrefix(u, "http://") {
		out = append(out, "the tracking URL does not start with https:// or http://")
	}
	return out
}

// Cursor is the real cursor in the focused text field as of the last
// View; nil on the checkbox.
func (f *ShipForm) Cursor() *tea.Cursor { return f.cursor }

func (f *ShipForm) carrierName() string {
	if f.check.KnownCarrier {
		return f.check.Carrier.Name
	}
	return strings.TrimSpace(f.fields[carrierField].value())
}

func (f *ShipForm) ownURL() string { return strings.TrimSpace(f.fields[urlField].value()) }

// trackingURL is the operator's own URL when given, else the carrier's page.
func (f *ShipForm) trackingURL() string {
	if u := f.ownURL(); u != "" {
		return u
	}
	return tracking.URL(f.carrierName(), f.check.Number)
}

// revalidate runs the live check of the number against the carrier.
func (f *ShipForm) revalidate() {
	f.check = tracking.Validate(f.fields[carrierField].value(), f.fields[numberField].value())
}

// lastField is the field on which enter submits.
func (f *ShipForm) lastField() int {
	if f.in.NotifyOptional != "" {
		return notifyField
	}
	return urlField
}

// Update edits the focused field, moves between fields, completes the
// carrier, toggles the checkbox, submits or cancels.
func (f *ShipForm) Update(msg tea.Msg) (Outcome, tea.Cmd) {
	km, isKey := msg.(tea.KeyPressMsg)
	if !isKey {
		if _, paste := msg.(tea.PasteMsg); paste && f.focus != notifyField {
			f.edit(msg)
		}
		return Open, nil
	}
	switch {
	case isCtrlC(km):
		return Cancelled, nil
	case isText(km) && f.focus != notifyField:
		f.edit(km)
	case key.Matches(km, f.keys.Back):
		return Cancelled, nil
	case key.Matches(km, f.keys.Submit):
		if f.focus == f.lastField() {
			return f.submit(), nil
		}
		f.moveFocus(1)
	case key.Matches(km, f.keys.NextField):
		// one way, always: tab takes the suggested carrier (if any) and
		// moves on, so "DHL<tab>1234" puts 1234 in the number
		if f.focus == carrierField {
			f.complete()
		}
		f.moveFocus(1)
	case key.Matches(km, f.keys.PrevField):
		f.moveFocus(-1)
	case f.focus == notifyField:
		if km.Keystroke() == "space" || km.Text == "x" {
			f.notify = !f.notify
		}
	default:
		f.edit(km)
	}
	return Open, nil
}

// edit hands a message to the focused text field and rechecks the number.
func (f *ShipForm) edit(msg tea.Msg) {
	if f.focus == notifyField {
		return
	}
	changed, refused := f.fields[f.focus].update(msg)
	switch {
	case refused != "":
		f.message = refused
	case changed:
		f.message = ""
		f.revalidate()
	}
}

// moveFocus steps to the next or previous field, wrapping around.
func (f *ShipForm) moveFocus(dir int) {
	n := f.lastField() + 1
	if f.focus != notifyField {
		f.fields[f.focus].blur()
	}
	f.focus = (f.focus + dir + n) % n
	if f.focus != notifyField {
		f.fields[f.focus].focus()
	}
}

// suggestion is the carrier tab would complete to: the first carrier
// whose name, or one of its other names (顺丰, 中通), starts with the typed
// text, else the first that contains it (case-insensitive); when the field
// is empty, the carrier detected from the number. "" when there is nothing
// to complete (the text already is a carrier's name).
func (f *ShipForm) suggestion() string {
	raw := strings.TrimSpace(f.fields[carrierField].value())
	typed := strings.ToLower(raw)
	if typed == "" {
		if len(f.check.Suggestions) > 0 {
			return f.check.Suggestions[0].Carrier.Name
		}
		return ""
	}
	for _, c := range f.in.Carriers {
		if strings.EqualFold(c, raw) {
			return ""
		}
	}
	aliases := make([]string, 0, len(f.in.Aliases))
	for a := range f.in.Aliases {
		aliases = append(aliases, a)
	}
	slices.Sort(aliases) // one answer for the same text, whatever the map's order
	for _, match := range []func(string, string) bool{strings.HasPrefix, strings.Contains} {
		for _, c := range f.in.Carriers {
			if match(strings.ToLower(c), typed) {
				return c
			}
		}
		for _, a := range aliases {
			if match(strings.ToLower(a), typed) {
				return f.in.Aliases[a]
			}
		}
	}
	return ""
}

// complete puts the suggested carrier in the carrier field; false when
// there was nothing to complete.
func (f *ShipForm) complete() bool {
	c := f.suggestion()
	if c == "" {
		return false
	}
	f.fields[carrierField].setValue(c)
	f.fields[carrierField].marked = false
	f.message = ""
	f.revalidate()
	return true
}

// submit checks the required fields: a missing one is marked, focused and
// explained, and the form stays open. Warnings never block.
func (f *ShipForm) submit() Outcome {
	var missing []string
	first := -1
	if strings.TrimSpace(f.fields[carrierField].value()) == "" {
		f.fields[carrierField].marked = true
		missing, first = append(missing, "a carrier"), carrierField
	}
	if f.check.Number == "" {
		f.fields[numberField].marked = true
		missing = append(missing, "a tracking number")
		if first < 0 {
			first = numberField
		}
	}
	if first < 0 {
		return f.submitWithinLimits()
	}
	f.message = "enter " + strings.Join(missing, " and ")
	if first == carrierField {
		if c := f.suggestion(); c != "" {
			f.message += " (tab in Carrier takes the detected " + c + ")"
		}
	}
	if f.focus != notifyField {
		f.fields[f.focus].blur()
	}
	f.focus = first
	f.fields[first].focus()
	return Open
}

// submitWithinLimits refuses a value longer than the desk accepts (one
// filled in before the form opened: typing and pasting stop at the limit),
// marking and focusing its field.
func (f *ShipForm) submitWithinLimits() Outcome {
	err := (backend.Action{Kind: backend.ActionShip, Shipment: f.Shipment()}).TooLong()
	var tl *backend.TooLongError
	if !errors.As(err, &tl) {
		return Submitted
	}
	field := numberField
	switch tl.Field {
	case "carrier":
		field = carrierField
	case "tracking URL":
		field = urlField
	}
	f.message = err.Error()
	f.fields[field].marked = true
	if f.focus != notifyField {
		f.fields[f.focus].blur()
	}
	f.focus = field
	f.fields[field].focus()
	return Open
}
