package form

import (
	"strings"
	"testing"

	tea "charm.land/bubbletea/v2"
	"github.com/charmbracelet/x/ansi"

	"orderdesk/backend/tracking"
	"orderdesk/keymap"
	"orderdesk/ui/theme"
)

// component is what every box of the package offers.
type component interface {
	Update(tea.Msg) (Outcome, tea.Cmd)
	View(width, height int) string
	Cursor() *tea.Cursor
}

var namedKeys = map[string]tea.Key{
	"enter": {Code: tea.KeyEnter}, "tab": {Code: tea.KeyTab}, "shift+tab": {Code: tea.KeyTab, Mod: tea.ModShift},
	"esc": {Code: tea.KeyEscape}, "ctrl+c": {Code: 'c', Mod: tea.ModCtrl}, "space": {Code: tea.KeySpace, Text: " "},
	"up": {Code: tea.KeyUp}, "down": {Code: tea.KeyDown}, "left": {Code: tea.KeyLeft}, "right": {Code: tea.KeyRight},
	"pgup": {Code: tea.KeyPgUp}, "pgdown": {Code: tea.KeyPgDown}, "home": {Code: tea.KeyHome}, "end": {Code: tea.KeyEnd},
	"backspace": {Code: tea.KeyBackspace}, "alt+enter": {Code: tea.KeyEnter, Mod: tea.ModAlt},
	"ctrl+j": {Code: 'j', Mod: tea.ModCtrl},
}

// press makes the key press a terminal would send for a key name.
func press(t testing.TB, name string) tea.KeyPressMsg {
	t.Helper()
	if k, ok := namedKeys[name]; ok {
		return tea.KeyPressMsg(k)
	}
	if r := []rune(name); len(r) == 1 {
		return tea.KeyPressMsg{Code: r[0], Text: name}
	}
	t.Fatalf("no key %q", name)
	return tea.KeyPressMsg{}
}

// keys presses each named key and returns the last outcome.
func keys(t testing.TB, c component, names ...string) Outcome {
	t.Helper()
	out := Open
	for _, n := range names {
		var cmd tea.Cmd
		out, cmd = c.Update(press(t, n))
		if cmd != nil {
			t.Errorf("key %q returned a command; forms do no I/O", n)
		}
	}
	return out
}

// typeText types text one character at a time.
func typeText(t testing.TB, c component, text string) Outcome {
	t.Helper()
	out := Open
	for _, r := range text {
		out, _ = c.Update(tea.KeyPressMsg{Code: r, Text: string(r)})
	}
	return out
}

func styles() theme.Styles   { return theme.New(true) }
func keymaps() keymap.KeyMap { return keymap.Default() }

// plain is a view without colours, for assertions on its text.
func plain(view string) string { return ansi.Strip(view) }

// requireFits fails when the view is wider or taller than it may be.
func requireFits(t testing.TB, view string, width, height int) {
	t.Helper()
	if view == "" {
		return
	}
	lines := strings.Split(view, "\n")
	if len(lines) > height {
		t.Errorf("%d rows, want at most %d:\n%s", len(lines), height, plain(view))
	}
	for i, l := range lines {
		if w := ansi.StringWidth(l); w > width {
			t.Errorf("row %d is %d columns, want at most %d: %q", i, w, width, plain(l))
		}
	}
}

func carrierNames() []string {
	var out []string
	for _, c := range tracking.Carriers() {
		out = append(out, c.Name)
	}
	return out
}
