package desk

import (
	"context"
	"time"

	"strings"
	"testing"

	tea "charm.land/bubbletea/v2"

	"github.com/charmbracelet/x/ansi"
	"orderdesk/backend"
	"orderdesk/backend/simshop"
)

// Keys pressed while a flow waits for its drafts are held back: a quick
// second enter after submitting a form never opens the order behind it.
func TestKeysWaitWhileAFlowIsDrafting(t *testing.T) {
	t.Parallel()
	r := newRig(t, 10, 80, 24)
	r.pick("a Shopline order", func(o *backend.Order) bool { return o.Platform == backend.Shopline })
	r.keys("r")
	r.typeText("note")
	r.send(press(t, "enter")) // submits; the draft is computed in the background
	r.send(press(t, "enter")) // arrives before the draft
	r.send(press(t, "s"))
	if r.m.zoom || r.m.focus == focusDetail || r.open() {
		t.Fatalf("a key pressed while drafting reached the list: zoom %v focus %v modal %T", r.m.zoom, r.m.focus, r.box())
	}
	r.settle()
	if hist, _ := r.store.History(r.current().Ref); len(hist) != 1 {
		t.Fatalf("the remark was not saved once: %d edits", len(hist))
	}
}

func TestLightTerminalGetsTheLightTheme(t *testing.T) {
	t.Parallel()
	r := newRig(t, 10, 80, 24)
	dark := r.m.View().Content
	r.send(tea.BackgroundColorMsg{Color: lightGrey{}})
	if r.m.styles.Dark {
		t.Fatal("a light background kept the dark theme")
	}
	light := r.m.View().Content
	if light == dark || ansiStrip(light) != ansiStrip(dark) {
		t.Fatal("the light theme should change colours only")
	}
}

type lightGrey struct{}

func (lightGrey) RGBA() (r, g, b, a uint32) { return 0xeeee, 0xeeee, 0xeeee, 0xffff }

func ansiStrip(s string) string { return strings.Join(strings.Fields(ansi.Strip(s)), " ") }

func TestMouseWheelAndClicks(t *testing.T) {
	t.Parallel()
	r := newRig(t, 40, 80, 24)
	r.m.Render()
	r.send(tea.MouseWheelMsg{X: 10, Y: 10, Button: tea.MouseWheelDown})
	r.settle()
	if r.m.offset != 3 {
		t.Fatalf("the wheel scrolled to %d, want 3", r.m.offset)
	}
	r.send(tea.MouseClickMsg{X: 10, Y: rowFirst + 5, Button: tea.MouseLeft})
	r.settle()
	if r.m.cursor != r.m.offset+5 {
		t.Fatalf("click on row 5 put the cursor at %d (offset %d)", r.m.cursor, r.m.offset)
	}
	// the third tab, where the tab bar draws it
	parts, _ := r.m.tabStrip()
	x := 0
	for _, p := range parts[:2] {
		x += len([]rune(ansi.Strip(p)))
	}
	r.send(tea.MouseClickMsg{X: x + 1, Y: rowTabs, Button: tea.MouseLeft})
	r.settle()
	if r.m.tab != 2 {
		t.Fatalf("click on the third tab selected %d", r.m.tab)
	}
}

// A shop that cannot be reached shows as offline in the status bar, and
// the sync of the others goes on, with their orders re-read.
func TestSyncShowsShopHealth(t *testing.T) {
	t.Parallel()
	r := newRig(t, 10, 160, 50)
	if err := r.demo.Shops[1].SetOffline(true); err != nil { // cn-fecmall
		t.Fatal(err)
	}
	r.keys("F")
	r.until("the sync ends", func() bool { return r.m.syncing == 0 && r.health("ym-erp").state == shopOnline })
	r.settle()
	if h := r.health("cn-fecmall"); h.state != shopOffline || h.failures != 1 || !h.nextSync.After(demoTime) {
		t.Fatalf("cn-fecmall health %+v", *h)
	}
	s := r.screen()
	if !strings.Contains(s, "○ cn-fecmall offline") || !strings.Contains(s, "● ym-erp now") || !strings.Contains(s, "sync failed: cn-fecmall") {
		t.Fatalf("status bar:\n%s", s)
	}
	if r.m.data.version < 2 {
		t.Fatal("the synced pages were not re-read into the list")
	}
}

func (r *rig) health(shop string) *shopHealth { return r.m.health(shop) }

// The background tick syncs only the shops that are due, and nothing when
// none is; another session's sync counts as fresh for this one.
func TestTickSyncsOnlyDueShops(t *testing.T) {
	t.Parallel()
	r := newRig(t, 10, 160, 50, func(c *Config) { c.SyncEvery = 5 * time.Minute })
	for i := range r.m.shops {
		r.m.shops[i].nextSync = demoTime.Add(time.Minute)
	}
	r.send(tickMsg(demoTime))
	if r.m.syncing != 0 {
		t.Fatalf("a tick with no shop due started %d sync(s)", r.m.syncing)
	}
	r.health("sl-global").nextSync = demoTime.Add(-time.Second)
	r.send(tickMsg(demoTime))
	if r.m.syncing != 1 || !r.health("sl-global").syncing || r.health("ym-erp").syncing {
		t.Fatalf("want only sl-global syncing, got %d syncs", r.m.syncing)
	}
	r.until("the sync ends", func() bool { return r.m.syncing == 0 })
	if next := r.health("sl-global").nextSync; !next.Equal(demoTime.Add(5 * time.Minute)) {
		t.Fatalf("next sync of sl-global at %v, want in 5 minutes", next)
	}
	// a sync run by someone else (another SSH session) moves this
	// session's schedule too
	r.health("ym-erp").nextSync = demoTime
	if _, err := r.desk.Sync(context.Background(), []string{"ym-erp"}, nil); err != nil {
		t.Fatal(err)
	}
	r.until("the other sync is heard", func() bool { return r.health("ym-erp").nextSync.After(demoTime) })
}

// A shop that takes requests and never answers shows, while the sync
// waits, how long it has had no answer; once the desk gives up on it
// (its timeout, here 1 s), the status bar shows it unreachable and the
// message line names it. The other shops sync as usual.
func TestSyncShowsASilentShopUnreachable(t *testing.T) {
	t.Parallel()
	r := newRigShops(t, 10, 160, 50, func(c *backend.ShopConfig) {
		if c.Name == "sl-global" {
			c.CallLimit = time.Second
		}
	})
	r.demo.Shops[2].Inject(simshop.Fault{Kind: simshop.FaultHang, Times: 1000}) // sl-global
	// pressed, not settled: the shop is slow from 0.5 s until the desk
	// gives up at 1 s, while the sync runs
	r.send(press(t, "F"))
	r.until("the shop is said to be slow", func() bool { return r.health("sl-global").slow != "" })
	if s := r.screen(); !strings.Contains(s, "○ sl-global no answer for 0.5 s") {
		t.Errorf("status bar while the shop is silent:\n%s", s)
	}
	r.until("the sync ends", func() bool { return r.m.syncing == 0 })
	r.settle()
	if h := r.health("sl-global"); h.state != shopUnreachable || h.slow != "" {
		t.Fatalf("sl-global health %+v", *h)
	}
	s := r.screen()
	if !strings.Contains(s, "○ sl-global unreachable") || !strings.Contains(s, "● ym-erp now") ||
		!strings.Contains(s, "sync failed: sl-global: ") || !strings.Contains(s, "sl-global unreachable, last try failed: no answer in 1 s") {
		t.Fatalf("status bar:\n%s", s)
	}
	// the reason beside the state says why, without saying the state again
	if h := r.health("sl-global"); h.failedTry != "no answer in 1 s" {
		t.Fatalf("sl-global's last try failed: %q, want \"no answer in 1 s\"", h.failedTry)
	}
}
