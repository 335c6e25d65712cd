package form

import (
	"strings"
	"testing"

	tea "charm.land/bubbletea/v2"

	"orderdesk/backend"
	"orderdesk/backend/tracking"
	"orderdesk/keymap"
)

func newShip(in ShipInput) *ShipForm {
	if in.Title == "" {
		in.Title = "Ship shop-a:1001"
	}
	if in.Carriers == nil {
		in.Carriers = carrierNames()
	}
	return NewShipForm(in, styles(), keymaps())
}

// stylePrefix is the escape sequence a style opens with.
func stylePrefix(style func(...string) string) string {
	out := style("X")
	return out[:strings.Index(out, "X")]
}

func TestShipCarrierCompletion(t *testing.T) {
	tests := []struct {
		name, typed, hint, completed string
	}{
		{"prefix", "up", "tab: UPS", "UPS"},
		{"case-insensitive", "FED", "tab: FedEx", "FedEx"},
		{"prefix before contains", "post", "tab: Postal (S10)", "Postal (S10)"},
		{"contains", "xpress", "tab: DHL Express", "DHL Express"},
		{"no match", "yanwen", "", "yanwen"},
		{"already complete", "UPS", "", "UPS"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			f := newShip(ShipInput{})
			typeText(t, f, tt.typed)
			view := plain(f.View(80, 24))
			if tt.hint != "" && !strings.Contains(view, tt.hint) {
				t.Errorf("no suggestion %q while typing:\n%s", tt.hint, view)
			}
			if tt.hint == "" && strings.Contains(view, "tab: ") {
				t.Errorf("a suggestion is shown for %q:\n%s", tt.typed, view)
			}
			keys(t, f, "tab")
			if got := f.fields[carrierField].value(); got != tt.completed {
				t.Errorf("after tab carrier = %q, want %q", got, tt.completed)
			}
			if f.focus != numberField {
				t.Errorf("focus %d after tab, want the number (tab completes and moves on)", f.focus)
			}
		})
	}
}

// Tab behaves one way: it takes the suggestion and moves on, so what is
// typed next is the number (it used to stay after completing a partial
// name: "DHL<tab>1234567890" became the carrier "DHL Express1234567890").
func TestShipTabCompletesThenMovesOn(t *testing.T) {
	f := newShip(ShipInput{})
	typeText(t, f, "DHL")
	keys(t, f, "tab")
	typeText(t, f, "1234567890")
	if c, n := f.fields[carrierField].value(), f.fields[numberField].value(); c != "DHL Express" || n != "1234567890" {
		t.Fatalf("carrier %q number %q, want DHL Express and 1234567890", c, n)
	}
}

// Chinese carrier names complete to the carrier (the placeholder promises
// 顺丰… completes).
func TestShipChineseCarrierNamesComplete(t *testing.T) {
	aliases := map[string]string{}
	for _, c := range tracking.Carriers() {
		for _, a := range tracking.OtherNames(c.Code) {
			aliases[a] = c.Name
		}
	}
	for typed, want := range map[string]string{"顺丰": "SF Express", "中通": "ZTO Express", "圆通": "YTO Express",
		"韵达": "Yunda Express", "申通": "STO Express", "极兔": "J&T Express", "京东": "JD Logistics",
		"邮政": "China Post", "EMS": "EMS", "顺": "SF Express"} {
		f := newShip(ShipInput{Aliases: aliases})
		typeText(t, f, typed)
		keys(t, f, "tab")
		if got := f.fields[carrierField].value(); got != want {
			t.Errorf("%s<tab> gave %q, want %q", typed, got, want)
		}
	}
}

func TestShipLiveValidation(t *testing.T) {
	s := styles()
	tests := []struct {
		name, carrier, number string
		want                  string // plain text the view shows under the number
		style                 func(...string) string
		warnings              int
	}{
		{"valid UPS 1Z", "UPS", "1Z5R89390357567127", "✓ UPS 1Z, check digit correct", s.OK.Render, 0},
		{"invalid check digit", "UPS", "1Z5R89390357567128", "⚠ looks like UPS 1Z but the check digit does not match", s.Warn.Render, 1},
		{"wrong carrier", "FedEx", "1Z5R89390357567127", "⚠ does not match any FedEx format", s.Warn.Render, 1},
		{"unknown carrier", "Yanwen", "UG123456785YW", `· carrier "Yanwen" is not known`, s.Muted.Render, 1},
		{"no carrier: detected", "", "1Z5R89390357567127", "detected: UPS: UPS 1Z, check digit OK", s.Info.Render, 0},
		{"no check digit", "SF Express", "SF1410289486215", "· has the SF Express shape", s.Muted.Render, 0},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			f := newShip(ShipInput{})
			typeText(t, f, tt.carrier)
			f.moveFocus(1)
			// The check is live: it is there after every character.
			typeText(t, f, tt.number[:len(tt.number)-1])
			typeText(t, f, tt.number[len(tt.number)-1:])
			view := f.View(160, 40)
			if !strings.Contains(plain(view), tt.want) {
				t.Errorf("view lacks %q:\n%s", tt.want, plain(view))
			}
			first := strings.Fields(tt.want)[0]
			if !strings.Contains(view, stylePrefix(tt.style)+first) {
				t.Errorf("%q is not in its style", first)
			}
			if got := len(f.Warnings()); got != tt.warnings {
				t.Errorf("%d warnings %q, want %d", got, f.Warnings(), tt.warnings)
			}
		})
	}
}

func TestShipCheckFollowsEveryChange(t *testing.T) {
	f := newShip(ShipInput{})
	typeText(t, f, "UPS")
	keys(t, f, "tab")
	typeText(t, f, "1Z5R89390357567128")
	if !strings.Contains(plain(f.View(80, 24)), "⚠") {
		t.Fatal("no warning for a bad check digit")
	}
	keys(t, f, "backspace")
	typeText(t, f, "7")
	if view := plain(f.View(80, 24)); !strings.Contains(view, "✓") || strings.Contains(view, "⚠") {
		t.Errorf("check did not follow the fix:\n%s", view)
	}
	if view := plain(f.View(160, 40)); !strings.Contains(view, "URL       https://wwwapps.ups.com/WebTracking/track?track=yes&trackNums=1Z5R89390357567127") {
		t.Errorf("URL preview missing:\n%s", view)
	}
}

func TestShipSubmitNeedsCarrierAndNumber(t *testing.T) {
	tests := []struct {
		name, carrier, number string
		outcome               Outcome
		message               string
		focus                 int
	}{
		{"both empty", "", "", Open, "enter a carrier and a tracking number", carrierField},
		{"no carrier", "", "1Z5R89390357567127", Open, "enter a carrier (tab in Carrier takes the detected UPS)", carrierField},
		{"no number", "UPS", "", Open, "enter a tracking number", numberField},
		{"blank number", "UPS", " - ", Open, "enter a tracking number", numberField},
		{"warning does not block", "FedEx", "1Z5R89390357567127", Submitted, "", urlField},
		{"unknown carrier does not block", "Yanwen", "UG123456785YW", Submitted, "", urlField},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			f := newShip(ShipInput{})
			typeText(t, f, tt.carrier)
			f.moveFocus(1)
			typeText(t, f, tt.number)
			out := keys(t, f, "enter", "enter") // number → URL, URL (last) submits
			if out != tt.outcome {
				t.Fatalf("outcome %v, want %v", out, tt.outcome)
			}
			if f.focus != tt.focus {
				t.Errorf("focus %d, want %d", f.focus, tt.focus)
			}
			if tt.outcome == Open {
				view := plain(f.View(160, 40))
				if !strings.Contains(view, tt.message) {
					t.Errorf("view lacks %q:\n%s", tt.message, view)
				}
				if !f.fields[tt.focus].marked {
					t.Error("the missing field is not marked")
				}
			}
		})
	}
}

func TestShipShipment(t *testing.T) {
	f := newShip(ShipInput{})
	typeText(t, f, "ups")
	keys(t, f, "tab") // "ups" is UPS already: tab moves on
	typeText(t, f, "1z5r 8939 0357 5671 27")
	if out := keys(t, f, "enter", "enter"); out != Submitted {
		t.Fatalf("outcome %v", out)
	}
	want := backend.Shipment{Carrier: "UPS", TrackingNumber: "1Z5R89390357567127",
		TrackingURL: "https://wwwapps.ups.com/WebTracking/track?track=yes&trackNums=1Z5R89390357567127"}
	if got := f.Shipment(); got != want {
		t.Errorf("Shipment() = %+v\nwant %+v", got, want)
	}
	if f.Notify() || len(f.Warnings()) != 0 {
		t.Errorf("notify %v, warnings %q", f.Notify(), f.Warnings())
	}
}

func TestShipCanonicalCarrierName(t *testing.T) {
	f := newShip(ShipInput{})
	typeText(t, f, "顺丰")
	keys(t, f, "tab")
	typeText(t, f, "SF1410289486215")
	if got := f.Shipment(); got.Carrier != "SF Express" || !strings.Contains(got.TrackingURL, "sf-express.com") {
		t.Errorf("Shipment() = %+v, want SF Express and its page", got)
	}
}

func TestShipOwnURLWins(t *testing.T) {
	f := newShip(ShipInput{})
	typeText(t, f, "Yanwen")
	keys(t, f, "tab")
	typeText(t, f, "UG123456785YW")
	if got := f.Shipment().TrackingURL; got != "https://t.17track.net/en#nums=UG123456785YW" {
		t.Errorf("fallback URL %q", got)
	}
	keys(t, f, "tab")
	f.Update(tea.PasteMsg{Content: "https://track.yw56.com.cn/en/querydel?nums=UG123456785YW\n"})
	if got := f.Shipment().TrackingURL; got != "https://track.yw56.com.cn/en/querydel?nums=UG123456785YW" {
		t.Errorf("own URL not used: %q", got)
	}
	if !strings.Contains(plain(f.View(160, 40)), "URL       https://track.yw56.com.cn") {
		t.Errorf("preview does not show the own URL:\n%s", plain(f.View(160, 40)))
	}
	f.fields[urlField].setValue("track.yw56.com.cn")
	if w := f.Warnings(); len(w) != 2 || !strings.Contains(w[1], "https://") {
		t.Errorf("warnings %q, want the unknown carrier and the URL", w)
	}
}

func TestShipPasteAndLetters(t *testing.T) {
	f := newShip(ShipInput{})
	typeText(t, f, "qjky") // letters the desk binds are text here
	if got := f.fields[carrierField].value(); got != "qjky" {
		t.Errorf("carrier %q", got)
	}
	keys(t, f, "shift+tab", "shift+tab") // wraps: URL, then number
	if f.focus != numberField {
		t.Fatalf("focus %d after shift+tab twice, want the number", f.focus)
	}
	f.Update(tea.PasteMsg{Content: "1Z5R 8939 0357 5671 27"})
	if f.check.Number != "1Z5R89390357567127" {
		t.Errorf("pasted number checked as %q", f.check.Number)
	}
}

func TestShipCancels(t *testing.T) {
	for _, k := range []string{"esc", "ctrl+c"} {
		f := newShip(ShipInput{})
		typeText(t, f, "UPS")
		if out := keys(t, f, k); out != Cancelled {
			t.Errorf("%s: %v, want cancelled", k, out)
		}
	}
}

func TestShipNotify(t *testing.T) {
	f := newShip(ShipInput{NotifyOptional: "the customer"})
	typeText(t, f, "UPS")
	keys(t, f, "tab", "1", "tab", "tab")
	if f.focus != notifyField {
		t.Fatalf("focus %d, want the checkbox", f.focus)
	}
	if !strings.Contains(plain(f.View(80, 24)), "[ ] email the customer") || f.Notify() {
		t.Fatal("checkbox should start unticked")
	}
	keys(t, f, "space")
	if !f.Notify() || !strings.Contains(plain(f.View(80, 24)), "[x] email the customer") {
		t.Error("space did not tick the checkbox")
	}
	if f.Cursor() != nil {
		t.Error("no text cursor on the checkbox")
	}
	if out := keys(t, f, "enter"); out != Submitted {
		t.Errorf("enter on the checkbox (last field): %v", out)
	}

	always := newShip(ShipInput{NotifyAlways: []string{"ymcart emails its customer (1 order)"}})
	if always.Notify() || !strings.Contains(plain(always.View(80, 24)), "ymcart emails its customer") {
		t.Error("a platform that always emails must say so, and the switch (absent) is off")
	}
	never := newShip(ShipInput{})
	if never.Notify() || strings.Contains(plain(never.View(80, 24)), "Notify") {
		t.Error("no notify line when the platform sends nothing")
	}
}

// Marked orders of a platform that always emails and of one that asks: the
// form says both, and the switch answers only for the one that asks (it
// used to say yes for every order as soon as one platform always emails).
func TestShipNotifyMixedPlatforms(t *testing.T) {
	f := newShip(ShipInput{NotifyOptional: "1 SHOPLINE customer", NotifyAlways: []string{"ymcart emails its customer (1 order)"}})
	view := plain(f.View(100, 30))
	if !strings.Contains(view, "ymcart emails its customer") || !strings.Contains(view, "[ ] email 1 SHOPLINE customer") {
		t.Fatalf("the form does not say who is emailed:\n%s", view)
	}
	if f.Notify() {
		t.Fatal("the switch starts on: the SHOPLINE customer would be emailed unasked")
	}
}

func TestShipInitial(t *testing.T) {
	initial := backend.Shipment{Carrier: "UPS", TrackingNumber: "1Z5R89390357567127",
		TrackingURL: "https://wwwapps.ups.com/WebTracking/track?track=yes&trackNums=1Z5R89390357567127", Status: "in transit"}
	f := newShip(ShipInput{Initial: initial})
	if f.focus != numberField || f.fields[urlField].value() != "" {
		t.Errorf("focus %d, own URL %q: want the number focused and no own URL", f.focus, f.fields[urlField].value())
	}
	if got := f.Shipment(); got != initial {
		t.Errorf("unchanged form gives %+v, want %+v", got, initial)
	}
	own := initial
	own.TrackingURL = "https://example.com/t/1"
	if f := newShip(ShipInput{Initial: own}); f.fields[urlField].value() != own.TrackingURL {
		t.Error("a URL of the operator's own is kept in its field")
	}
}

func TestShipCursorCountsDisplayColumns(t *testing.T) {
	f := newShip(ShipInput{})
	typeText(t, f, "顺丰")
	f.View(80, 24)
	c := f.Cursor()
	// border 1 + padding 1 + label 10 + two wide characters.
	if c == nil || c.X != 2+labelWidth+4 || c.Y != 1+2 {
		t.Fatalf("cursor %+v, want (16, 3)", c)
	}
	keys(t, f, "left")
	f.View(80, 24)
	if c := f.Cursor(); c.X != 2+labelWidth+2 {
		t.Errorf("cursor after left at x %d, want %d", c.X, 2+labelWidth+2)
	}
	keys(t, f, "tab") // nothing completes 顺丰 (an alias Lookup knows): tab moves on
	f.View(80, 24)
	if c := f.Cursor(); c == nil || c.Y != 1+3 || c.X != 2+labelWidth {
		t.Errorf("cursor on the number line: %+v", c)
	}
}

func TestShipLongNumberScrollsWithTheCursor(t *testing.T) {
	f := newShip(ShipInput{})
	long := strings.Repeat("运单", 30) // 120 columns
	typeText(t, f, long)
	view := f.View(60, 24)
	requireFits(t, view, 60, 24)
	c := f.Cursor()
	inner := 60 - 4
	if c == nil || c.X > 2+inner-1 {
		t.Errorf("cursor %+v outside the field", c)
	}
	if !strings.Contains(plain(view), "运单运单") {
		t.Errorf("the end of the text is not shown:\n%s", plain(view))
	}
}

func TestLettersBoundToKeysAreTextInInputs(t *testing.T) {
	k, probs := keymap.Apply(map[string][]string{"back": {"q"}, "quit": {"ctrl+q"}})
	if len(probs) > 0 {
		t.Fatal(probs)
	}
	f := NewShipForm(ShipInput{Title: "Ship", Carriers: carrierNames()}, styles(), k)
	if out := typeText(t, f, "qq"); out != Open || f.fields[carrierField].value() != "qq" {
		t.Errorf("q typed in the carrier: %v, %q", out, f.fields[carrierField].value())
	}
	r := NewRemarkForm("Remark", styles(), k)
	if out := typeText(t, r, "q"); out != Open || r.Text() != "q" {
		t.Errorf("q typed in the remark: %v, %q", out, r.Text())
	}
	p := NewPicker("Status", statusChoices(), styles(), k)
	if out := keys(t, p, "q"); out != Cancelled {
		t.Errorf("q bound to back in a picker: %v, want cancelled", out)
	}
}
