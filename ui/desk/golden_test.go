package desk

import (
	"fmt"
	"testing"

	"github.com/charmbracelet/x/exp/golden"

	"orderdesk/backend"
)

// Golden files hold View().Content of the main screens (run with -update
// to rewrite them after an intended change). The demo data has Chinese,
// Japanese, Korean, Cyrillic and Arabic names.
func TestGoldenScreens(t *testing.T) {
	t.Parallel()
	for _, size := range [][2]int{{80, 24}, {160, 50}} {
		w, h := size[0], size[1]
		t.Run(fmt.Sprintf("%dx%d", w, h), func(t *testing.T) {
			t.Parallel()
			r := newRig(t, 40, w, h)
			check := func(name string) {
				t.Helper()
				content := r.m.View().Content
				t.Run(name, func(t *testing.T) { golden.RequireEqual(t, []byte(content)) })
			}
			check("list")
			r.keys("/")
			r.typeText("李")
			check("filtered")
			r.keys("esc")
			r.pick("a Japanese customer's order", func(o *backend.Order) bool { return o.Customer.Name == "佐藤花子" })
			r.keys("enter")
			check("detail")
			r.keys("esc", "?")
			check("help")
			r.keys("esc")
			r.pick("a paid, unshipped YMCart order", paidUnshipped(backend.YMCart))
			r.keys("s")
			r.typeText("UPS")
			r.keys("tab")
			r.typeText("1Z999AA10123456784")
			check("ship-form")
			r.keys("enter", "enter")
			r.settle()
			check("confirm")
		})
	}
}
