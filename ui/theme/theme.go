// Package theme derives every style of the desk from one fact: whether the
// terminal's background is dark. Styles are plain values, built once per
// session when the terminal answers the background query (and again if it
// changes); nothing here is shared between sessions.
package theme

import (
	"image/color"

	"charm.land/lipgloss/v2"

	"orderdesk/backend"
)

// Styles are the desk's semantic styles.
type Styles struct {
	Dark bool

	Text, Muted, Title, Header  lipgloss.Style
	Cursor, Marked, CursorMark  lipgloss.Style // list rows: the selected row, marked rows, both
	Tab, TabActive, TabCount    lipgloss.Style
	Error, Warn, OK, Info, Link lipgloss.Style
	Key, KeyHelp                lipgloss.Style // help: the key, its description
	Border                      lipgloss.Style // pane and dialog frames
	Dialog                      lipgloss.Style // a modal box (border + padding)
	Input, Placeholder          lipgloss.Style

	good, warn, bad, neutral, accent color.Color
}

// New builds the styles for a dark or light background.
func New(dark bool) Styles {
	ld := lipgloss.LightDark(dark)
	c := func(light, darkc string) color.Color { return ld(lipgloss.Color(light), lipgloss.Color(darkc)) }
	fg := c("#1f2328", "#e6e6e6")
	muted := c("#6e7781", "#8b949e")
	accent := c("#0550ae", "#79c0ff")
	good := c("#116329", "#56d364")
	warn := c("#9a6700", "#e3b341")
	bad := c("#cf222e", "#ff7b72")
	selBg := c("#ddf4ff", "#1f3a5f")
	markBg := c("#fff8c5", "#3d3400")
	both := c("#d8e8b0", "#3a4a1f")
	border := c("#d0d7de", "#30363d")

	s := Styles{Dark: dark, good: good, warn: warn, bad: bad, neutral: muted, accent: accent}
	s.Text = lipgloss.NewStyle().Foreground(fg)
	s.Muted = lipgloss.NewStyle().Foreground(muted)
	s.Title = lipgloss.NewStyle().Foreground(accent).Bold(true)
	s.Header = lipgloss.NewStyle().Foreground(muted).Bold(true)
	s.Cursor = lipgloss.NewStyle().Background(selBg).Foreground(fg)
	s.Marked = lipgloss.NewStyle().Background(markBg).Foreground(fg)
	s.CursorMark = lipgloss.NewStyle().Background(both).Foreground(fg)
	s.Tab = lipgloss.NewStyle().Foreground(muted).Padding(0, 1)
	s.TabActive = lipgloss.NewStyle().Foreground(accent).Bold(true).Underline(true).Padding(0, 1)
	s.TabCount = lipgloss.NewStyle().Foreground(muted)
	s.Error = lipgloss.NewStyle().Foreground(bad).Bold(true)
	s.Warn = lipgloss.NewStyle().Foreground(warn)
	s.OK = lipgloss.NewStyle().Foreground(good)
	s.Info = lipgloss.NewStyle().Foreground(accent)
	s.Link = lipgloss.NewStyle().Foreground(accent) // no underline: lipgloss underlines cell by cell, ~20 bytes per character over SSH
	s.Key = lipgloss.NewStyle().Foreground(accent).Bold(true)
	s.KeyHelp = lipgloss.NewStyle().Foreground(muted)
	s.Border = lipgloss.NewStyle().Foreground(border)
	s.Dialog = lipgloss.NewStyle().Border(lipgloss.RoundedBorder()).BorderForeground(accent).Padding(0, 1)
	s.Input = lipgloss.NewStyle().Foreground(fg)
	s.Placeholder = lipgloss.NewStyle().Foreground(muted)
	return s
}

// tone is how a status value reads at a glance.
type tone uint8

const (
	toneNeutral tone = iota
	toneGood
	toneWarn
	toneBad
	toneAccent
)

// tones colours the values of the three status axes (SPEC §2): one table.
var tones = map[string]tone{
	// order
	string(backend.OrderDraft): toneNeutral, string(backend.OrderOpen): toneAccent,
	string(backend.OrderOnHold): toneWarn, string(backend.OrderCancelled): toneBad,
	string(backend.OrderCompleted): toneGood,
	// payment
	string(backend.PayUnpaid): toneWarn, string(backend.PayPending): toneWarn,
	string(backend.PayAuthorized): toneAccent, string(backend.PayPartiallyPaid): toneWarn,
	string(backend.PayPaid): toneGood, string(backend.PayPartiallyRefunded): toneWarn,
	string(backend.PayRefunded): toneNeutral, string(backend.PayVoided): toneNeutral,
	string(backend.PayFailed): toneBad, string(backend.PayUnknown): toneNeutral,
	// fulfilment
	string(backend.FulUnfulfilled): toneWarn, string(backend.FulInProgress): toneAccent,
	string(backend.FulPartial): toneWarn, string(backend.FulFulfilled): toneGood,
	string(backend.FulDelivered): toneGood, string(backend.FulReturned): toneBad,
}

// Badge styles a status value (any axis) by its meaning.
func (s Styles) Badge(value string) lipgloss.Style {
	var c color.Color
	switch tones[value] {
	case toneGood:
		c = s.good
	case toneWarn:
		c = s.warn
	case toneBad:
		c = s.bad
	case toneAccent:
		c = s.accent
	default:
		c = s.neutral
	}
	return lipgloss.NewStyle().Foreground(c)
}

// EditState styles an outbox state.
func (s Styles) EditState(st backend.EditState) lipgloss.Style {
	switch st {
	case backend.EditDone:
		return s.OK
	case backend.EditDiscarded:
		return s.Muted
	case backend.EditFailed, backend.EditConflict:
		return s.Error
	default:
		return s.Warn
	}
}
