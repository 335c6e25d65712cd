package detail

import (
	"fmt"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/charmbracelet/x/ansi"
	"github.com/charmbracelet/x/exp/golden"

	"orderdesk/backend"
	"orderdesk/ui/theme"
)

var dark = theme.New(true)

// plain renders d and strips the styles.
func plain(d Data, width int) []string {
	lines := Render(d, dark, width)
	for i, l := range lines {
		lines[i] = ansi.Strip(l)
	}
	return lines
}

// section returns the plain lines of the named section (heading excluded).
func section(t *testing.T, d Data, width int, name string) []string {
	t.Helper()
	p := Layout(d, dark, width)
	for i, a := range p.Anchors {
		if a.Name != name {
			continue
		}
		end := len(p.Lines)
		if i+1 < len(p.Anchors) {
			end = p.Anchors[i+1].Line
		}
		var out []string
		for _, l := range p.Lines[a.Line+1 : end] {
			out = append(out, ansi.Strip(l))
		}
		if len(out) > 0 && out[len(out)-1] == "" {
			out = out[:len(out)-1] // the blank line before the next heading
		}
		return out
	}
	t.Fatalf("no section %q", name)
	return nil
}

func TestGolden(t *testing.T) {
	for _, tc := range []struct {
		name string
		data Data
	}{{"full", fullData()}, {"minimal", minimalData()}} {
		for _, width := range []int{80, 160} {
			t.Run(fmt.Sprintf("%s/%d", tc.name, width), func(t *testing.T) {
				out := strings.Join(Render(tc.data, dark, width), "\n") + "\n"
				golden.RequireEqual(t, []byte(out))
			})
		}
	}
}

func TestEveryLineFitsTheWidth(t *testing.T) {
	invalid := fullOrder()
	invalid.Raw = []byte("{\"broken\": \x1b[31m \t 宇治抹茶 プレミアム 100g 缶入り 特選 宇治抹茶 プレミアム 100g 缶入り")
	noURL := fullOrder()
	noURL.Shipments[0].TrackingURL = ""
	same := fullOrder()
	same.BillingAddress = new(*same.ShippingAddress)
	cases := map[string]Data{
		"full": fullData(), "minimal": minimalData(), "nil order": {},
		"invalid raw": {Order: invalid, Loc: jst}, "guessed link": {Order: noURL}, "same address": {Order: same},
	}
	for name, d := range cases {
		for width := 20; width <= 200; width++ {
			for i, l := range Render(d, dark, width) {
				if w := ansi.StringWidth(l); w > width {
					t.Errorf("%s at width %d: line %d is %d wide: %q", name, width, i, w, ansi.Strip(l))
				}
			}
		}
	}
}

func TestNoWidthNoLines(t *testing.T) {
	if got := Render(fullData(), dark, 0); len(got) != 0 {
		t.Errorf("width 0 gave %d lines", len(got))
	}
	if got := plain(Data{}, 40); !slices.Equal(got, []string{"No order selected."}) {
		t.Errorf("nil order: %q", got)
	}
}

func TestAnchorsPointAtHeadings(t *testing.T) {
	// what the operator works from comes first; ids, raw status and sync
	// times last (they used to lead, pushing items a page down at 80×24)
	all := []string{SectionSummary, SectionItems, SectionAddresses, SectionTotals, SectionShipments,
		SectionPending, SectionRemarks, SectionPayments, SectionTags, SectionHistory, SectionRecord, SectionRaw}
	short := []string{SectionSummary, SectionItems, SectionAddresses, SectionTotals, SectionShipments,
		SectionPayments, SectionRecord, SectionRaw}
	for _, tc := range []struct {
		name  string
		data  Data
		names []string
	}{{"full", fullData(), all}, {"minimal", minimalData(), short}} {
		for _, width := range []int{20, 80, 99, 100, 160} {
			anchors := Anchors(tc.data, width)
			var names []string
			for _, a := range anchors {
				names = append(names, a.Name)
			}
			if !slices.Equal(names, tc.names) {
				t.Errorf("%s/%d: sections %q, want %q", tc.name, width, names, tc.names)
			}
			// The anchors match the lines whatever the theme.
			light := Layout(tc.data, theme.New(false), width)
			if !slices.Equal(light.Anchors, anchors) {
				t.Errorf("%s/%d: light theme anchors %v, Anchors %v", tc.name, width, light.Anchors, anchors)
			}
			for _, a := range anchors {
				heading := ansi.Strip(light.Lines[a.Line])
				if !strings.HasPrefix(heading, fit(a.Name, width)) || !strings.Contains(heading+"─", "─") {
					t.Errorf("%s/%d: anchor %q points at %q", tc.name, width, a.Name, heading)
				}
			}
		}
	}
}

func TestCopyable(t *testing.T) {
	noURL := fullOrder()
	noURL.Shipments[0].TrackingURL = ""
	noURL.Customer = backend.Customer{Name: "x"}
	for _, tc := range []struct {
		name string
		o    *backend.Order
		want []Copy
	}{
		{"full", fullOrder(), []Copy{
			{"Order number", "#1042"},
			{"Tracking number (Japan Post)", "EJ123456785JP"},
			{"Tracking URL (Japan Post)", trackingURL},
			{"Shipping address", "佐藤 花子\n渋谷区神南1-2-3\nサンプルビル 4F\n渋谷区, 東京都 150-0041\nJapan (JP)\n+81 90-1234-5678"},
			{"Email", "hanako@example.jp"},
			{"Phone", "+81 90-1234-5678"},
		}},
		{"minimal", minimalOrder(), []Copy{{"Order number", "100023"}}},
		{"nil", nil, nil},
	} {
		t.Run(tc.name, func(t *testing.T) {
			if got := Copyable(tc.o); !slices.Equal(got, tc.want) {
				t.Errorf("got %q\nwant %q", got, tc.want)
			}
		})
	}
	// Without a stored URL the carrier's page is offered, and the phone
	// falls back to the shipping address's.
	got := Copyable(noURL)
	var url, phone string
	for _, c := range got {
		switch c.Label {
		case "Tracking URL (Japan Post)":
			url = c.Text
		case "Phone":
			phone = c.Text
		}
	}
	if !strings.Contains(url, "EJ123456785JP") || phone != "+81 90-1234-5678" {
		t.Errorf("guessed url %q, phone %q", url, phone)
	}
}

func TestItemColumnsDropRatherThanSqueeze(t *testing.T) {
	for _, tc := range []struct {
		width        int
		want, absent []string
		variantLine  bool
	}{
		{160, []string{"SKU", "TITLE", "VARIANT", "QTY", "PRICE JPY", "TOTAL JPY", "WEIGHT"}, nil, false},
		{80, []string{"SKU", "TITLE", "QTY", "PRICE JPY", "TOTAL JPY"}, []string{"WEIGHT", "VARIANT"}, true},
		{40, []string{"TITLE", "QTY", "TOTAL JPY"}, []string{"SKU", "PRICE", "WEIGHT", "VARIANT"}, true},
	} {
		lines := section(t, fullData(), tc.width, SectionItems)
		header := lines[0]
		for _, h := range tc.want {
			if !strings.Contains(header, h) {
				t.Errorf("width %d: header %q lacks %s", tc.width, header, h)
			}
		}
		for _, h := range tc.absent {
			if strings.Contains(header, h) {
				t.Errorf("width %d: header %q still has %s", tc.width, header, h)
			}
		}
		// A dropped variant moves under its title.
		joined := strings.Join(lines, "\n")
		if got := strings.Contains(joined, "\n"+strings.Repeat(" ", strings.Index(header, "TITLE"))+"100g / 缶"); got != tc.variantLine {
			t.Errorf("width %d: variant under title = %v:\n%s", tc.width, got, joined)
		}
		// Titles are cut with "…" at the narrow widths, never wrapped.
		if tc.width <= 80 && !strings.Contains(joined, "…") {
			t.Errorf("width %d: no cut title:\n%s", tc.width, joined)
		}
		if !strings.Contains(lines[len(lines)-1], "3 pieces") {
			t.Errorf("width %d: no piece count: %q", tc.width, lines[len(lines)-1])
		}
	}
}

func TestTotalsAreRightAligned(t *testing.T) {
	lines := section(t, fullData(), 80, SectionTotals)
	want := []string{
		"Subtotal      8400 JPY",
		"Shipping       800 JPY",
		"Discount      -500 JPY",
		"Tax            840 JPY",
		"Fee              0 JPY",
		"Grand total   9540 JPY",
		"Base total   63.60 USD",
	}
	if !slices.Equal(lines[:len(want)], want) {
		t.Errorf("got\n%s", strings.Join(lines, "\n"))
	}
}

func TestAddressesSideBySideFrom100Columns(t *testing.T) {
	wide := section(t, fullData(), 100, SectionAddresses)
	if !strings.HasPrefix(wide[0], "Shipping address") || !strings.Contains(wide[0], "Billing address") {
		t.Errorf("width 100: not side by side: %q", wide[0])
	}
	if !strings.Contains(wide[1], "佐藤 花子") || !strings.Contains(wide[1], "Hanako Sato") {
		t.Errorf("width 100: names not side by side: %q", wide[1])
	}
	narrow := section(t, fullData(), 99, SectionAddresses)
	if narrow[0] != "Shipping address" || !slices.Contains(narrow, "Billing address") {
		t.Errorf("width 99: not stacked:\n%s", strings.Join(narrow, "\n"))
	}
	same := fullOrder()
	same.BillingAddress = new(*same.ShippingAddress)
	lines := section(t, Data{Order: same}, 80, SectionAddresses)
	if !slices.Contains(lines, "same as shipping address") {
		t.Errorf("equal billing address repeated:\n%s", strings.Join(lines, "\n"))
	}
	none := section(t, minimalData(), 80, SectionAddresses)
	if !slices.Equal(none, []string{"Shipping address", "none", "", "Billing address", "none"}) {
		t.Errorf("no addresses: %q", none)
	}
}

func TestShipmentLinkShowsTheURL(t *testing.T) {
	for _, width := range []int{30, 80, 160} {
		lines := Layout(fullData(), dark, width)
		var link string
		for _, l := range lines.Lines {
			if strings.Contains(l, "\x1b]8;") {
				link = l
			}
		}
		if !strings.Contains(link, "\x1b]8;;"+trackingURL+"\x07") && !strings.Contains(link, "\x1b]8;;"+trackingURL+"\x1b\\") {
			t.Fatalf("width %d: no OSC 8 link to the full URL in %q", width, link)
		}
		if got, want := ansi.Strip(link), fit(trackingURL, width); got != want {
			t.Errorf("width %d: visible %q, want %q", width, got, want)
		}
	}
	noURL := fullOrder()
	noURL.Shipments[0].TrackingURL = ""
	lines := section(t, Data{Order: noURL}, 160, SectionShipments)
	if !strings.Contains(strings.Join(lines, "\n"), "link from the carrier") {
		t.Errorf("guessed link not marked:\n%s", strings.Join(lines, "\n"))
	}
	if lines := section(t, minimalData(), 80, SectionShipments); !slices.Equal(lines, []string{"none yet"}) {
		t.Errorf("no shipments: %q", lines)
	}
}

func TestFailedEditShowsItsReasonInFull(t *testing.T) {
	for _, width := range []int{40, 80} {
		lines := section(t, fullData(), width, SectionHistory)
		var words []string
		for _, l := range lines {
			words = append(words, strings.Fields(l)...)
		}
		if !strings.Contains(strings.Join(words, " "), strings.Join(strings.Fields(failedReason), " ")) {
			t.Errorf("width %d: reason cut:\n%s", width, strings.Join(lines, "\n"))
		}
	}
	// The reason is in the error style, the summary line is not.
	errStart, _, _ := strings.Cut(dark.Error.Render("x"), "x")
	for _, l := range Render(fullData(), dark, 80) {
		if strings.Contains(l, "SHOPLINE refused") && !strings.Contains(l, errStart+"  SHOPLINE refused") && !strings.Contains(l, "  "+errStart+"SHOPLINE refused") {
			t.Errorf("reason not styled as an error: %q", l)
		}
	}
}

func TestRawJSON(t *testing.T) {
	for _, tc := range []struct {
		name string
		raw  string
		want []string
	}{
		{"indented", `{"a":1,"b":[true]}`, []string{"{", `  "a": 1,`, `  "b": [`, "    true", "  ]", "}"}},
		{"absent", "", []string{"none stored for this order"}},
		{"invalid", "{\"a\": \x1b[31mred", []string{"not valid JSON (invalid character '\\x1b' looking", "for beginning of value); shown verbatim:", `{"a": [31mred`}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			o := minimalOrder()
			o.Raw = []byte(tc.raw)
			if got := section(t, Data{Order: o}, 50, SectionRaw); !slices.Equal(got, tc.want) {
				t.Errorf("got  %q\nwant %q", got, tc.want)
			}
		})
	}
}

func TestShopDataCannotDriveTheTerminal(t *testing.T) {
	o := fullOrder()
	o.Customer.Name = "佐藤\x1b[2J花子"
	o.Remarks[0].Text = "evil\x1b]8;;http://x\x07link"
	text := strings.Join(plain(Data{Order: o}, 80), "\n")
	if !strings.Contains(text, "佐藤[2J花子") || !strings.Contains(text, "evil]8;;http://xlink") {
		t.Errorf("control characters reached the terminal:\n%s", text)
	}
}

func TestSummary(t *testing.T) {
	lines := section(t, fullData(), 80, SectionSummary)
	for _, want := range []string{
		"Ref          tokyo:#1042",
		"Created      2026-11-20 10:02 (25h ago)",
		"Customer     佐藤 花子",
		"Buyer note   配達は午前中希望です。Please deliver in the morning, the office is",
	} {
		if !slices.Contains(lines, want) {
			t.Errorf("no line %q in\n%s", want, strings.Join(lines, "\n"))
		}
	}
	if !strings.HasPrefix(lines[1], "Status       ") || !strings.Contains(lines[1], " · partial") {
		t.Errorf("the state is not one line under the ref: %q", lines[1])
	}
	record := section(t, fullData(), 80, SectionRecord)
	for _, want := range []string{
		"Fulfilment   partial",
		"Raw status   financial_status=paid",
		"             fulfillment_status=partial",
		"Synced       2026-11-21 11:57 (3m ago)",
	} {
		if !slices.Contains(record, want) {
			t.Errorf("no line %q in the record\n%s", want, strings.Join(record, "\n"))
		}
	}
	o := minimalOrder()
	o.State = backend.State{Archived: true, Inferred: true}
	if l := section(t, Data{Order: o}, 80, SectionSummary); !strings.Contains(l[1], "archived") {
		t.Errorf("archived is not in the summary's state: %q", l[1])
	}
	lines = section(t, Data{Order: o}, 80, SectionRecord)
	if !slices.Contains(lines, "Flags        archived · inferred (axes derived from one platform field)") {
		t.Errorf("flags missing:\n%s", strings.Join(lines, "\n"))
	}
}

func TestAge(t *testing.T) {
	base := time.Date(2026, 1, 1, 12, 0, 0, 0, time.UTC)
	for _, tc := range []struct {
		d    time.Duration
		want string
	}{
		{30 * time.Second, "just now"}, {5 * time.Minute, "5m ago"}, {3 * time.Hour, "3h ago"},
		{47 * time.Hour, "47h ago"}, {72 * time.Hour, "3d ago"}, {-10 * time.Minute, "in 10m"},
	} {
		if got := age(base.Add(-tc.d), base); got != tc.want {
			t.Errorf("age %v = %q, want %q", tc.d, got, tc.want)
		}
	}
}
