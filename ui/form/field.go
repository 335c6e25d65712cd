package form

import (
	"strings"
	"unicode/utf8"

	"charm.land/bubbles/v2/key"
	"charm.land/bubbles/v2/textinput"
	tea "charm.land/bubbletea/v2"
	"github.com/charmbracelet/x/ansi"

	"orderdesk/ui/theme"
)

// textField is one labelled single-line input. bubbles' textinput does the
// editing (keys, paste, word moves); the field draws the text itself so it
// knows, in display columns, where the cursor is (textinput counts runes,
// which puts the cursor wrong after CJK text).
type textField struct {
	label       string
	placeholder string
	name        string // in messages: "tracking number"
	limit       int    // characters the field takes (backend.Max…)
	in          textinput.Model
	start       int  // first rune shown when the text is wider than the field
	marked      bool // submit was refused because of this field
}

func newTextField(label, placeholder, name string, limit int, value string) textField {
	in := textinput.New()
	in.Prompt = ""
	in.SetVirtualCursor(false) // real cursor: no blink messages, IME follows it
	km := textinput.DefaultKeyMap()
	// ctrl+v would read the clipboard of the machine running the desk (the
	// server, over SSH); a terminal paste arrives as tea.PasteMsg instead.
	km.Paste = key.NewBinding(key.WithDisabled())
	km.AcceptSuggestion = key.NewBinding(key.WithDisabled())
	km.NextSuggestion = key.NewBinding(key.WithDisabled())
	km.PrevSuggestion = key.NewBinding(key.WithDisabled())
	in.KeyMap = km
	in.SetValue(value)
	in.CursorEnd()
	return textField{label: label, placeholder: placeholder, name: name, limit: limit, in: in}
}

func (f *textField) value() string { return f.in.Value() }

func (f *textField) setValue(v string) {
	f.in.SetValue(v)
	f.in.CursorEnd()
}

func (f *textField) focus() { f.in.Focus() }
func (f *textField) blur()  { f.in.Blur() }

// update edits the text and reports whether it changed; refused says why
// text was not put in (it would pass the field's limit).
func (f *textField) update(msg tea.Msg) (changed bool, refused string) {
	if why := refuseLonger(f.name, utf8.RuneCountInString(f.in.Value()), f.limit, msg); why != "" {
		return false, why
	}
	before := f.in.Value()
	f.in, _ = f.in.Update(msg)
	changed = f.in.Value() != before
	if changed {
		f.marked = false
	}
	return changed, ""
}

// render draws "Label     text" in width columns and returns the column of
// the cursor in the line (meaningful when focused). after is shown dimmed
// behind the text when there is room (a completion hint).
func (f *textField) render(s theme.Styles, width int, focused bool, after string) (string, int) {
	lw := min(labelWidth, max(0, width-2)) // very narrow boxes shorten the label
	label := s.Muted.Render(padRight(f.label, lw))
	switch {
	case f.marked:
		label = s.Error.Render(padRight(f.label, lw))
	case focused:
		label = s.Title.Render(padRight(f.label, lw))
	}
	avail := max(1, width-lw)
	runes := []rune(f.in.Value())
	if len(runes) == 0 {
		text := ""
		if f.placeholder != "" {
			text = s.Placeholder.Render(fit(f.placeholder, avail))
		}
		if focused && after != "" {
			text = s.Muted.Render(fit(after, avail))
		}
		return label + text, min(lw, max(0, width-1))
	}
	pos := min(f.in.Position(), len(runes))
	f.scroll(runes, pos, avail)
	shown := fit(string(runes[f.start:]), avail)
	x := lw + ansi.StringWidth(string(runes[f.start:pos]))
	line := label + s.Input.Render(shown)
	if rest := avail - ansi.StringWidth(shown) - 2; focused && after != "" && rest > 0 {
		line += "  " + s.Muted.Render(fit(after, rest))
	}
	return line, min(x, max(0, width-1))
}

// scroll moves the window of shown runes so the cursor (and one cell for
// it) stays inside avail columns, showing as much text as fits.
func (f *textField) scroll(runes []rune, pos, avail int) {
	f.start = min(f.start, pos)
	for f.start < pos && ansi.StringWidth(string(runes[f.start:pos]))+1 > avail {
		f.start++
	}
	for f.start > 0 && ansi.StringWidth(string(runes[f.start-1:]))+1 <= avail {
		f.start--
	}
}

// padRight pads s with spaces to w display columns (cutting it if longer).
func padRight(s string, w int) string {
	s = fit(s, w)
	return s + strings.Repeat(" ", max(0, w-ansi.StringWidth(s)))
}
