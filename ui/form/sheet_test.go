package form

import (
	"fmt"
	"strings"
	"testing"

	"github.com/charmbracelet/x/ansi"
)

var sheetColumns = []SheetColumn{
	{Header: "LINE", Right: true, Min: 4, Max: 6},
	{Header: "ORDER", Min: 10, Max: 28},
	{Header: "TRACKING", Min: 10, Max: 24},
	{Header: "RESULT/REASON"},
}

// sheetRows mixes Latin and CJK orders and reasons, one row with a note.
func sheetRows(n int) []SheetRow {
	rows := make([]SheetRow, n)
	for i := range rows {
		r := SheetRow{Cells: []string{fmt.Sprint(i + 2), fmt.Sprintf("cn-fecmall:B2031535962960%02d", i), "1Z999AA10123456784", "will ship"}, Tone: ToneOK}
		switch i % 3 {
		case 1:
			r.Cells[1] = fmt.Sprintf("淘宝店:订单2026112300%02d", i)
			r.Cells[3] = "rejected: 订单不存在 (not in the cache: run `orderdesk sync`)"
			r.Tone = ToneError
		case 2:
			r.Notes = []string{"looks like UPS 1Z but the check digit does not match"}
			r.Tone = ToneWarn
		}
		rows[i] = r
	}
	return rows
}

func asking(n int) SheetInput {
	return SheetInput{Title: "Import tracking — t.csv", Summary: []string{fmt.Sprintf("%d rows to send", n)},
		Columns: sheetColumns, Rows: sheetRows(n), ConfirmLabel: fmt.Sprintf("Send %d shipment(s)", n),
		SideEffects: []string{"1 customer gets an email"}}
}

func TestSheetKeys(t *testing.T) {
	shown := asking(3)
	shown.ConfirmLabel = ""
	tests := []struct {
		name    string
		in      SheetInput
		running bool
		keys    []string
		want    Outcome
	}{
		{"asking: a stray enter cancels", asking(3), false, []string{"enter"}, Cancelled},
		{"asking: y confirms", asking(3), false, []string{"y"}, Submitted},
		{"asking: left then enter confirms", asking(3), false, []string{"left", "enter"}, Submitted},
		{"asking: tab twice is back on cancel", asking(3), false, []string{"tab", "tab", "enter"}, Cancelled},
		{"asking: n cancels", asking(3), false, []string{"n"}, Cancelled},
		{"asking: esc cancels", asking(3), false, []string{"esc"}, Cancelled},
		{"asking: scrolling waits", asking(3), false, []string{"down", "pgdown", "up", "q"}, Open},
		{"showing: enter closes", shown, false, []string{"enter"}, Submitted},
		{"showing: y is nothing", shown, false, []string{"y"}, Open},
		{"showing: esc closes", shown, false, []string{"esc"}, Cancelled},
		{"running: enter does nothing", asking(3), true, []string{"enter", "y", "space"}, Open},
		{"running: esc hides", asking(3), true, []string{"esc"}, Cancelled},
		{"running: ctrl+c hides", asking(3), true, []string{"ctrl+c"}, Cancelled},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			s := NewSheet(tt.in, styles(), keymaps())
			if tt.running {
				s.Running("importing 0/3")
			}
			if out := keys(t, s, tt.keys...); out != tt.want {
				t.Errorf("%v: %v, want %v", tt.keys, out, tt.want)
			}
		})
	}
}

func TestSheetFitsAndAligns(t *testing.T) {
	for _, size := range [][2]int{{78, 22}, {158, 48}, {50, 10}, {20, 6}, {8, 3}} {
		w, h := size[0], size[1]
		s := NewSheet(asking(40), styles(), keymaps())
		view := s.View(w, h)
		requireFits(t, view, w, h)
		if h < 20 {
			continue
		}
		p := plain(view)
		if !strings.Contains(p, "[ Cancel ]") || !strings.Contains(p, "rows 1–") || !strings.Contains(p, "of 40") {
			t.Errorf("%dx%d: no buttons or position line:\n%s", w, h, p)
		}
		// the last column starts at one display column on every row,
		// whatever the scripts before it
		col := -1
		for _, l := range strings.Split(p, "\n") {
			for _, mark := range []string{"will ship", "rejected: 订单"} {
				i := strings.Index(l, mark)
				if i < 0 {
					continue
				}
				x := ansi.StringWidth(l[:i])
				if col >= 0 && x != col {
					t.Fatalf("%dx%d: result at column %d, want %d:\n%s", w, h, x, col, p)
				}
				col = x
			}
		}
		if col < 0 {
			t.Fatalf("%dx%d: no result shown:\n%s", w, h, p)
		}
	}
}

func TestSheetStacksTheLastColumnWhenNarrow(t *testing.T) {
	s := NewSheet(asking(2), styles(), keymaps())
	wide := plain(s.View(158, 48))
	if !strings.Contains(wide, "TRACKING            RESULT/REASON") {
		t.Fatalf("wide: the result is not beside the tracking number:\n%s", wide)
	}
	narrow := plain(s.View(78, 22))
	if strings.Contains(narrow, "TRACKING            RESULT/REASON") || !strings.Contains(narrow, "\n│       RESULT/REASON") {
		t.Fatalf("narrow: the result column does not go under the others:\n%s", narrow)
	}
	if !strings.Contains(narrow, "rejected: 订单不存在 (not in the cache: run `orderdesk") {
		t.Fatalf("narrow: the reason is not given the box's width:\n%s", narrow)
	}
}

func TestSheetScrolls(t *testing.T) {
	s := NewSheet(asking(40), styles(), keymaps())
	s.View(78, 22)
	if !strings.Contains(plain(s.View(78, 22)), "rows 1–") {
		t.Fatal("no position line")
	}
	keys(t, s, "down", "down")
	if s.Top() != 2 {
		t.Fatalf("two downs: top %d", s.Top())
	}
	s.View(78, 22)
	shown := s.shown
	keys(t, s, "pgdown")
	if s.Top() != 2+shown-1 {
		t.Fatalf("pgdown from 2 with %d shown: top %d", shown, s.Top())
	}
	s.View(78, 22)
	keys(t, s, "end")
	s.View(78, 22)
	if p := plain(s.View(78, 22)); !strings.Contains(p, "of 40") || !strings.Contains(p, "   41  ") {
		t.Fatalf("end does not show the last row:\n%s", p)
	}
	keys(t, s, "home")
	if s.Top() != 0 {
		t.Fatalf("home: top %d", s.Top())
	}
}

func TestSheetRunningAndStatus(t *testing.T) {
	s := NewSheet(asking(3), styles(), keymaps())
	s.Running("importing 1/3")
	p := plain(s.View(158, 48))
	if !strings.Contains(p, "importing 1/3") || strings.Contains(p, "[ Cancel ]") || !strings.Contains(p, "hide (the work goes on)") {
		t.Fatalf("running:\n%s", p)
	}
	if s.Asking() || s.Confirming() {
		t.Fatal("a running sheet still asks")
	}
	done := asking(3)
	done.ConfirmLabel, done.Status = "", "nothing to send"
	p = plain(NewSheet(done, styles(), keymaps()).View(158, 48))
	if !strings.Contains(p, "[ Close ]  nothing to send") || !strings.Contains(p, "enter close") {
		t.Fatalf("no Close and status:\n%s", p)
	}
}
