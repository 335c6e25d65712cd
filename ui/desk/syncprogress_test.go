package desk

import (
	"strings"
	"testing"

	"github.com/charmbracelet/x/ansi"

	"orderdesk/backend"
	"orderdesk/backend/engine"
)

// cjkShops names the demo shops in Chinese: two cells a character.
var cjkShops = map[string]string{"eu-fecshop": "欧洲店铺", "cn-fecmall": "中国商城", "sl-global": "新加坡全球店", "ym-erp": "义乌批发"}

// statusWith is the status bar's first line after the events, and every
// screen line is checked to fit the width.
func statusWith(t *testing.T, r *rig, width int, events ...engine.Event) string {
	t.Helper()
	for _, e := range events {
		r.health(e.Shop).syncing = true
		r.send(syncEventMsg{Event: e})
	}
	lines := strings.Split(r.screen(), "\n")
	for i, l := range lines {
		if w := ansi.StringWidth(l); w > width {
			t.Errorf("line %d is %d cells wide, more than %d: %q", i, w, width, l)
		}
	}
	for _, l := range lines {
		if strings.Contains(l, "syncing") {
			return l
		}
	}
	t.Fatalf("no status line says syncing:\n%s", strings.Join(lines, "\n"))
	return ""
}

// TestSyncProgressAt80Columns: a shop's pass shows its orders of the
// total and its ETA (from its request rate) in the status bar; when all
// four shops sync the bar names the one with the longest way to go and
// counts the others, and never runs past 80 columns, with shop names two
// cells a character.
func TestSyncProgressAt80Columns(t *testing.T) {
	t.Parallel()
	r := newRigShops(t, 2, 80, 24, func(c *backend.ShopConfig) { c.Name = cjkShops[c.Name] })
	eu, cn, sl, ym := cjkShops["eu-fecshop"], cjkShops["cn-fecmall"], cjkShops["sl-global"], cjkShops["ym-erp"]
	page := func(shop string, pages, orders, total int) engine.Event {
		return engine.Event{Shop: shop, Kind: engine.EventPage, Pages: pages, Orders: orders, Total: total, Full: true}
	}

	// 23,760 orders left at 5 a page: 4,752 pages at Fecshop's 2 a second
	got := statusWith(t, r, 80, page(eu, 248, 1240, 25000))
	if !strings.Contains(got, eu+" syncing 1,240/25,000 · ~40m") {
		t.Errorf("one shop syncing: %q", got)
	}

	got = statusWith(t, r, 80,
		page(cn, 30, 1500, -1),     // Fecmall: no total, no ETA
		page(sl, 10, 1000, 50000),  // 490 pages at 4 a second: ~2m
		page(ym, 100, 5000, 6000),  // 20 pages at 2 a second: ~10s
		page(eu, 300, 1500, 25000)) // 4,700 pages: ~40m, the slowest
	if !strings.Contains(got, eu+" syncing 1,500/25,000 · ~40m +3 syncing") {
		t.Errorf("four shops syncing: %q", got)
	}

	// the slowest's pass ends (the sync goes on to send its edits): the
	// next slowest shows, and the ended one its age
	r.send(syncEventMsg{Event: engine.Event{Shop: eu, Kind: engine.EventDone, Pages: 5000, Orders: 25000, Total: 25000}})
	got = statusWith(t, r, 80)
	if !strings.Contains(got, sl+" syncing 1,000/50,000 · ~2m10s +2 syncing ● "+eu) {
		t.Errorf("three shops syncing: %q", got)
	}
}
