// Package keymap holds the desk's key bindings: the defaults, the names
// operators use for them in the config's [keys] table, and the help the
// `?` screen shows. A KeyMap is a plain value: every session gets its own
// copy (the SSH server runs many sessions in one process).
package keymap

import (
	"fmt"
	"slices"
	"sort"
	"strings"
	"unicode/utf8"

	"charm.land/bubbles/v2/key"
	tea "charm.land/bubbletea/v2"
)

// KeyMap is every binding of the desk. Field groups follow the help screen.
type KeyMap struct {
	// moving in the list (and scrolling the detail pane when it has focus)
	Up, Down, PageUp, PageDown, Top, Bottom key.Binding
	// views and the list
	NextView, PrevView, Filter, Open, Zoom, Sort, Reverse key.Binding
	Select, SelectAll                                     key.Binding
	// the detail pane: jump between its sections
	NextSection, PrevSection key.Binding
	// actions on the selected (or marked) orders
	Status, Ship, Remark, Copy, Refresh, Sync, Edits key.Binding
	// the desk: files in and out, help, leaving
	Import, Export, Help, Back, Quit key.Binding
	// forms and pickers
	Submit, NextField, PrevField key.Binding
}

// Scope says where a binding is active; two bindings of one scope may not
// share a key.
type Scope string

const (
	ScopeDesk Scope = "desk" // the list and the detail pane
	ScopeForm Scope = "form" // an open form or picker
)

// Action is one bindable action as named in [keys].
type Action struct {
	Name  string
	Scope Scope
	Help  string
	field func(*KeyMap) *key.Binding
	keys  []string
}

// actions is the table of every bindable action, in help order.
var actions = []Action{
	{Name: "up", Scope: ScopeDesk, Help: "up", field: func(k *KeyMap) *key.Binding { return &k.Up }, keys: []string{"up", "k"}},
	{Name: "down", Scope: ScopeDesk, Help: "down", field: func(k *KeyMap) *key.Binding { return &k.Down }, keys: []string{"down", "j"}},
	{Name: "page_up", Scope: ScopeDesk, Help: "page up", field: func(k *KeyMap) *key.Binding { return &k.PageUp }, keys: []string{"pgup", "ctrl+u"}},
	{Name: "page_down", Scope: ScopeDesk, Help: "page down", field: func(k *KeyMap) *key.Binding { return &k.PageDown }, keys: []string{"pgdown", "ctrl+d"}},
	{Name: "top", Scope: ScopeDesk, Help: "first order", field: func(k *KeyMap) *key.Binding { return &k.Top }, keys: []string{"home", "g"}},
	{Name: "bottom", Scope: ScopeDesk, Help: "last order", field: func(k *KeyMap) *key.Binding { return &k.Bottom }, keys: []string{"end", "G"}},

	{Name: "next_view", Scope: ScopeDesk, Help: "next view", field: func(k *KeyMap) *key.Binding { return &k.NextView }, keys: []string{"tab", "]"}},
	{Name: "prev_view", Scope: ScopeDesk, Help: "previous view", field: func(k *KeyMap) *key.Binding { return &k.PrevView }, keys: []string{"shift+tab", "["}},
	{Name: "filter", Scope: ScopeDesk, Help: "filter", field: func(k *KeyMap) *key.Binding { return &k.Filter }, keys: []string{"/"}},
	{Name: "open", Scope: ScopeDesk, Help: "open order / focus detail", field: func(k *KeyMap) *key.Binding { return &k.Open }, keys: []string{"enter"}},
	{Name: "zoom", Scope: ScopeDesk, Help: "detail full screen", field: func(k *KeyMap) *key.Binding { return &k.Zoom }, keys: []string{"z"}},
	{Name: "sort", Scope: ScopeDesk, Help: "sort by next column", field: func(k *KeyMap) *key.Binding { return &k.Sort }, keys: []string{"o"}},
	{Name: "reverse", Scope: ScopeDesk, Help: "reverse sort", field: func(k *KeyMap) *key.Binding { return &k.Reverse }, keys: []string{"O"}},
	{Name: "select", Scope: ScopeDesk, Help: "mark order", field: func(k *KeyMap) *key.Binding { return &k.Select }, keys: []string{"space"}},
	{Name: "select_all", Scope: ScopeDesk, Help: "mark all shown / none", field: func(k *KeyMap) *key.Binding { return &k.SelectAll }, keys: []string{"ctrl+a"}},
	{Name: "next_section", Scope: ScopeDesk, Help: "detail: next section", field: func(k *KeyMap) *key.Binding { return &k.NextSection }, keys: []string{"}"}},
	{Name: "prev_section", Scope: ScopeDesk, Help: "detail: previous section", field: func(k *KeyMap) *key.Binding { return &k.PrevSection }, keys: []string{"{"}},

	{Name: "status", Scope: ScopeDesk, Help: "set status", field: func(k *KeyMap) *key.Binding { return &k.Status }, keys: []string{"t"}},
	{Name: "ship", Scope: ScopeDesk, Help: "ship (tracking)", field: func(k *KeyMap) *key.Binding { return &k.Ship }, keys: []string{"s"}},
	{Name: "remark", Scope: ScopeDesk, Help: "add remark", field: func(k *KeyMap) *key.Binding { return &k.Remark }, keys: []string{"r"}},
	{Name: "copy", Scope: ScopeDesk, Help: "copy number/tracking/address", field: func(k *KeyMap) *key.Binding { return &k.Copy }, keys: []string{"y"}},
	{Name: "refresh", Scope: ScopeDesk, Help: "refresh this order", field: func(k *KeyMap) *key.Binding { return &k.Refresh }, keys: []string{"R"}},
	{Name: "sync", Scope: ScopeDesk, Help: "sync all shops", field: func(k *KeyMap) *key.Binding { return &k.Sync }, keys: []string{"F"}},
	{Name: "edits", Scope: ScopeDesk, Help: "retry/discard a stuck edit", field: func(k *KeyMap) *key.Binding { return &k.Edits }, keys: []string{"e"}},

	{Name: "import", Scope: ScopeDesk, Help: "import tracking (CSV)", field: func(k *KeyMap) *key.Binding { return &k.Import }, keys: []string{"I"}},
	{Name: "export", Scope: ScopeDesk, Help: "export view to CSV", field: func(k *KeyMap) *key.Binding { return &k.Export }, keys: []string{"X"}},

	{Name: "help", Scope: ScopeDesk, Help: "help", field: func(k *KeyMap) *key.Binding { return &k.Help }, keys: []string{"?"}},
	{Name: "back", Scope: ScopeDesk, Help: "back / clear marks", field: func(k *KeyMap) *key.Binding { return &k.Back }, keys: []string{"esc"}},
	{Name: "quit", Scope: ScopeDesk, Help: "quit", field: func(k *KeyMap) *key.Binding { return &k.Quit }, keys: []string{"q", "ctrl+c"}},

	{Name: "submit", Scope: ScopeForm, Help: "confirm / next step", field: func(k *KeyMap) *key.Binding { return &k.Submit }, keys: []string{"enter"}},
	{Name: "next_field", Scope: ScopeForm, Help: "next field / complete", field: func(k *KeyMap) *key.Binding { return &k.NextField }, keys: []string{"tab"}},
	{Name: "prev_field", Scope: ScopeForm, Help: "previous field", field: func(k *KeyMap) *key.Binding { return &k.PrevField }, keys: []string{"shift+tab"}},
}

// Actions lists every bindable action in help order.
func Actions() []Action { return slices.Clone(actions) }

// Default returns the default bindings.
func Default() KeyMap {
	var k KeyMap
	for _, a := range actions {
		*a.field(&k) = bind(a.keys, a.Help)
	}
	return k
}

func bind(keys []string, help string) key.Binding {
	return key.NewBinding(key.WithKeys(keys...), key.WithHelp(helpKeys(keys), help))
}

// helpKeys shows keys the way help prints them: "↑/k", "space".
func helpKeys(keys []string) string {
	show := make([]string, len(keys))
	for i, k := range keys {
		show[i] = map[string]string{"up": "↑", "down": "↓", "pgup": "pgup", "pgdown": "pgdn"}[k]
		if show[i] == "" {
			show[i] = k
		}
	}
	return strings.Join(show, "/")
}

// Problem is one bad [keys] entry.
type Problem struct {
	Action string
	Msg    string
}

func (p Problem) Error() string { return fmt.Sprintf("keys.%s: %s", p.Action, p.Msg) }

// Apply returns the defaults with the overrides of [keys] (action name →
// keys) applied. Every problem is reported: an unknown action (with the
// known ones), an empty list, a key that is not a key, and a key bound to
// two actions of one scope (the override wins over a default it collides
// with only if that default is rebound too).
func Apply(overrides map[string][]string) (KeyMap, []Problem) {
	k := Default()
	var probs []Problem
	names := make([]string, 0, len(overrides))
	for n := range overrides {
		names = append(names, n)
	}
	sort.Strings(names)
	for _, name := range names {
		a, ok := lookup(name)
		if !ok {
			probs = append(probs, Problem{name, "no such action; actions are " + strings.Join(actionNames(), ", ")})
			continue
		}
		keys := overrides[name]
		if len(keys) == 0 {
			probs = append(probs, Problem{name, "needs at least one key"})
			continue
		}
		bad := false
		for _, s := range keys {
			if msg := checkKey(s); msg != "" {
				probs = append(probs, Problem{name, fmt.Sprintf("%q: %s", s, msg)})
				bad = true
			}
		}
		if !bad {
			*a.field(&k) = bind(keys, a.Help)
		}
	}
	probs = append(probs, k.collisions()...)
	return k, probs
}

func lookup(name string) (Action, bool) {
	for _, a := range actions {
		if a.Name == name {
			return a, true
		}
	}
	return Action{}, false
}

func actionNames() []string {
	out := make([]string, len(actions))
	for i, a := range actions {
		out[i] = a.Name
	}
	return out
}

// namedKeys are the key names Bubble Tea reports besides single characters.
var namedKeys = map[string]bool{
	"up": true, "down": true, "left": true, "right": true, "enter": true, "tab": true, "esc": true,
	"space": true, "backspace": true, "delete": true, "insert": true, "home": true, "end": true,
	"pgup": true, "pgdown": true,
	"f1": true, "f2": true, "f3": true, "f4": true, "f5": true, "f6": true, "f7": true, "f8": true,
	"f9": true, "f10": true, "f11": true, "f12": true,
}

// checkKey says what is wrong with a key name, or "".
func checkKey(s string) string {
	if s == "" {
		return "empty key"
	}
	if s == " " {
		return `write the space bar as "space"`
	}
	parts := strings.Split(s, "+")
	base := parts[len(parts)-1]
	if s == "+" {
		return ""
	}
	for _, m := range parts[:len(parts)-1] {
		switch m {
		case "ctrl", "alt", "shift", "meta", "super":
		default:
			return fmt.Sprintf("unknown modifier %q (ctrl, alt, shift)", m)
		}
	}
	if len([]rune(base)) == 1 || namedKeys[base] {
		return ""
	}
	return "not a key name (a character, or one of up, down, enter, tab, esc, space, pgup, pgdown, home, end, f1…f12, with ctrl+/alt+/shift+)"
}

// collisions reports keys bound to two actions of one scope.
func (k *KeyMap) collisions() []Problem {
	var probs []Problem
	owner := map[Scope]map[string]string{}
	for _, a := range actions {
		if owner[a.Scope] == nil {
			owner[a.Scope] = map[string]string{}
		}
		for _, s := range a.field(k).Keys() {
			if prev, ok := owner[a.Scope][s]; ok {
				probs = append(probs, Problem{a.Name, fmt.Sprintf("%q is already bound to %s", s, prev)})
				continue
			}
			owner[a.Scope][s] = a.Name
		}
	}
	return probs
}

// ShortHelp is the one-line hint of the status bar.
func (k KeyMap) ShortHelp() []key.Binding {
	return []key.Binding{k.Help, k.Filter, k.Open, k.Status, k.Ship, k.Remark, k.Quit}
}

// DetailHelp is the one-line hint while an order is open in the pane.
func (k KeyMap) DetailHelp() []key.Binding {
	return []key.Binding{k.Back, k.NextSection, k.Status, k.Ship, k.Remark, k.Copy, k.Edits, k.Refresh, k.Zoom, k.Help}
}

// FullHelp is every desk binding, in columns, for the `?` screen.
func (k KeyMap) FullHelp() [][]key.Binding {
	return [][]key.Binding{
		{k.Up, k.Down, k.PageUp, k.PageDown, k.Top, k.Bottom},
		{k.NextView, k.PrevView, k.Filter, k.Open, k.Zoom, k.NextSection, k.PrevSection, k.Sort, k.Reverse},
		{k.Select, k.SelectAll, k.Status, k.Ship, k.Remark, k.Copy, k.Edits, k.Refresh, k.Sync},
		{k.Import, k.Export, k.Help, k.Back, k.Quit, k.Submit, k.NextField, k.PrevField},
	}
}

// IsText reports a key that types a character: a printable character
// (space included) without ctrl or alt. In a text field such a key is
// always text, even when a binding names it ("j", "q", "/"); only the
// other keys (enter, esc, tab, arrows, ctrl+ and alt+ chords) may act.
func IsText(msg tea.KeyPressMsg) bool {
	r, _ := utf8.DecodeRuneInString(msg.Text)
	return msg.Text != "" && r >= 0x20 && r != 0x7f &&
		!msg.Mod.Contains(tea.ModCtrl) && !msg.Mod.Contains(tea.ModAlt)
}
