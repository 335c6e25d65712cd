package form

import (
	"fmt"
	"strings"
	"testing"

	tea "charm.land/bubbletea/v2"
	"github.com/charmbracelet/x/exp/golden"
)

// scene builds a component in a state worth looking at.
type scene struct {
	name  string
	build func(t *testing.T) component
}

func scenes() []scene {
	s, k := styles(), keymaps()
	return []scene{
		{"picker", func(t *testing.T) component {
			p := NewPicker("设置状态 · shop-cn:10023 张伟", statusChoices(), s, k)
			keys(t, p, "down")
			return p
		}},
		{"picker_nothing_available", func(t *testing.T) component {
			return NewPicker("Status of shop-b:#2001", []Choice{{Label: "cancel", Why: "already fulfilled"}, {Label: "archive", Why: "still open"}}, s, k)
		}},
		{"ship_empty", func(t *testing.T) component {
			return NewShipForm(ShipInput{Title: "Ship shop-a:1001 (Zoë Müller)", Carriers: carrierNames()}, s, k)
		}},
		{"ship_valid_ups", func(t *testing.T) component {
			f := NewShipForm(ShipInput{Title: "Ship shop-a:1001", Carriers: carrierNames(), NotifyOptional: "the customer"}, s, k)
			typeText(t, f, "UPS")
			keys(t, f, "tab")
			typeText(t, f, "1Z5R89390357567127")
			return f
		}},
		{"ship_bad_check_digit", func(t *testing.T) component {
			f := NewShipForm(ShipInput{Title: "发货 shop-cn:10023 张伟", Carriers: carrierNames(), NotifyAlways: []string{"ymcart emails its customer (1 order)"}}, s, k)
			typeText(t, f, "ups")
			keys(t, f, "tab")
			typeText(t, f, "1Z5R89390357567128")
			return f
		}},
		{"ship_cjk_carrier", func(t *testing.T) component {
			f := NewShipForm(ShipInput{Title: "发货 shop-cn:10024 李娜", Carriers: carrierNames()}, s, k)
			typeText(t, f, "顺丰")
			keys(t, f, "tab")
			typeText(t, f, "SF1410289486215")
			return f
		}},
		{"ship_typing_carrier", func(t *testing.T) component {
			f := NewShipForm(ShipInput{Title: "Ship shop-a:1001", Carriers: carrierNames()}, s, k)
			typeText(t, f, "fed")
			return f
		}},
		{"ship_refused", func(t *testing.T) component {
			f := NewShipForm(ShipInput{Title: "Ship shop-a:1001", Carriers: carrierNames()}, s, k)
			keys(t, f, "tab")
			typeText(t, f, "1Z5R89390357567127")
			keys(t, f, "enter", "enter")
			return f
		}},
		{"remark", func(t *testing.T) component {
			f := NewRemarkForm("备注 shop-cn:10023 张伟", s, k)
			typeText(t, f, "客户要求周五前发货")
			keys(t, f, "alt+enter")
			typeText(t, f, "called twice, no answer")
			return f
		}},
		{"remark_empty_refused", func(t *testing.T) component {
			f := NewRemarkForm("Remark on shop-a:1001", s, k)
			keys(t, f, "enter")
			return f
		}},
		{"confirm_side_effects", func(t *testing.T) component {
			return NewConfirm(ConfirmInput{Title: "Ship 30 orders", Lines: shipPreview(30), ConfirmLabel: "Ship 30 orders",
				SideEffects: []string{"30 customers will get an email (ymcart shop-y: orderShip)"},
				Warnings:    []string{"shop-y:1007 1Z5R89390357567128: looks like UPS 1Z but the check digit does not match"}}, s, k)
		}},
		{"confirm_quiet", func(t *testing.T) component {
			return NewConfirm(ConfirmInput{Title: "Set status", Lines: shipPreview(2), ConfirmLabel: "Set 2 orders to processing"}, s, k)
		}},
		{"message", func(t *testing.T) component {
			return NewMessage("Nothing to ship", "None of the 4 marked orders can be shipped: fecmall shops take no write-back.", s, k)
		}},
	}
}

// TestGolden pins the rendering of each box at 80×24 and 160×40.
func TestGolden(t *testing.T) {
	for _, sc := range scenes() {
		for _, size := range [][2]int{{80, 24}, {160, 40}} {
			t.Run(fmt.Sprintf("%s_%d", sc.name, size[0]), func(t *testing.T) {
				view := sc.build(t).View(size[0], size[1])
				requireFits(t, view, size[0], size[1])
				golden.RequireEqual(t, []byte(view))
			})
		}
	}
}

// TestViewsFit checks every box at sizes from tiny to wide: never wider
// or taller than given, and the cursor inside the box.
func TestViewsFit(t *testing.T) {
	for _, sc := range scenes() {
		for _, w := range []int{1, 8, 12, 20, 33, 40, 60, 80, 120, 160} {
			for _, h := range []int{1, 3, 4, 6, 9, 12, 24} {
				c := sc.build(t)
				view := c.View(w, h)
				requireFits(t, view, w, h)
				if cur := c.Cursor(); cur != nil {
					lines := strings.Split(view, "\n")
					if cur.Y < 0 || cur.Y >= len(lines) || cur.X < 0 || cur.X >= w {
						t.Errorf("%s at %d×%d: cursor %+v outside the box", sc.name, w, h, cur.Position)
					}
				}
			}
		}
	}
}

// TestUpdateIgnoresOtherMessages: blinks, sizes and mouse events leave
// every box open and ask for no command.
func TestUpdateIgnoresOtherMessages(t *testing.T) {
	for _, sc := range scenes() {
		c := sc.build(t)
		before := c.View(80, 24)
		for _, msg := range []tea.Msg{tea.WindowSizeMsg{Width: 10, Height: 10}, tea.FocusMsg{}, nil} {
			if out, cmd := c.Update(msg); out != Open || cmd != nil {
				t.Errorf("%s: %T gave %v, %v", sc.name, msg, out, cmd)
			}
		}
		if after := c.View(80, 24); after != before {
			t.Errorf("%s changed on a message that is not for it", sc.name)
		}
	}
}
