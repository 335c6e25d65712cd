package desk

import (
	"fmt"
	"slices"
	"strings"
	"time"

	"charm.land/bubbles/v2/help"
	"charm.land/bubbles/v2/key"
	tea "charm.land/bubbletea/v2"
	"charm.land/lipgloss/v2"
	"github.com/charmbracelet/x/ansi"

	"orderdesk/backend/query"
	"orderdesk/ui/form"
)

// shopBadge is one shop in the status bar: a dot coloured by its state,
// its name, and the age of its last good sync or its sync progress. A
// shop whose latest sync failed keeps the age of its last good one, with
// the failure beside it: in full when long (there is room), else a ✗.
func (m *Model) shopBadge(h shopHealth, now time.Time, long bool) string {
	dot, st := "●", m.styles.Muted
	switch {
	case m.cfg.Offline:
	case h.state == shopOnline:
		st = m.styles.OK
	case h.state == shopOffline, h.state == shopUnreachable:
		dot, st = "○", m.styles.Error
	case h.state == shopLimited:
		st = m.styles.Warn
	case h.state == shopFailing:
		st = m.styles.Error
	}
	info := age(h.lastSync, now)
	if long && info != "now" && info != "never" {
		info += " ago"
	}
	switch {
	case h.slow != "" && (h.syncing || h.sending):
		dot, st = "○", m.styles.Warn
		info = h.slow
	case h.passing() && h.pass.Pages > 0:
		info = "syncing " + h.pass.Short()
	case h.passing():
		info = "syncing…"
	case h.sending:
		info = "sending"
	case h.state == shopOffline && !m.cfg.Offline && h.lastSync.IsZero():
		info = "offline"
	case h.state == shopOffline && !m.cfg.Offline:
		info += ", offline"
	case h.state == shopUnreachable && !m.cfg.Offline && h.lastSync.IsZero():
		info = "unreachable"
	case h.state == shopUnreachable && !m.cfg.Offline:
		info += ", unreachable"
	case h.state == shopLimited:
		info += ", rate-limited"
	}
	out := st.Render(dot) + " " + h.name + " " + m.styles.Muted.Render(info)
	if h.failedTry != "" && !h.syncing {
		if long {
			out += m.styles.Error.Render(", last try failed: " + h.failedTry)
		} else {
			out += m.styles.Error.Render(" ✗")
		}
	}
	return out
}

// syncingBadges is the status bar's shops when several sync and their
// progress does not fit side by side: the one with the longest way to go
// (the longest ETA; else the first) in full, "+N syncing" for the others,
// then the shops not syncing. "" when fewer than two shops sync.
func (m *Model) syncingBadges(now time.Time) string {
	slowest, n := -1, 0
	var longest time.Duration
	for i, h := range m.shops {
		if !h.passing() {
			continue
		}
		n++
		if d, ok := h.pass.ETA(); slowest < 0 || ok && d > longest {
			slowest, longest = i, d
		}
	}
	if n < 2 {
		return ""
	}
	var parts []string
	if m.cfg.Offline {
		parts = append(parts, m.styles.Warn.Render("⊘ offline"))
	}
	parts = append(parts, m.shopBadge(m.shops[slowest], now, false), m.styles.Muted.Render(fmt.Sprintf("+%d syncing", n-1)))
	for _, h := range m.shops {
		if !h.passing() {
			parts = append(parts, m.shopBadge(h, now, false))
		}
	}
	return strings.Join(parts, " ")
}

// joinEnds puts left and right on one line of width, cutting left first.
func joinEnds(left, right string, width int) string {
	rw := ansi.StringWidth(right)
	if rw >= width {
		return fit(right, width, true)
	}
	left = fit(left, width-rw-1, false)
	return left + " " + right
}

// flashLine is the message line: the latest outcome or error, else a
// shop whose last sync failed (its last good sync and why), else the
// short help.
func (m *Model) flashLine() string {
	if m.flash.text != "" {
		st := map[flashKind]lipgloss.Style{flashInfo: m.styles.Info, flashOK: m.styles.OK, flashWarn: m.styles.Warn, flashError: m.styles.Error}[m.flash.kind]
		return st.Render(m.flash.text)
	}
	for _, h := range m.shops {
		if h.failedTry != "" && !h.syncing {
			when := "never synced"
			switch a := age(h.lastSync, m.now); {
			case h.lastSync.IsZero():
			case a == "now":
				when = "last good sync just now"
			default:
				when = "last good sync " + a + " ago"
			}
			return m.styles.Error.Render(fmt.Sprintf("✗ %s: %s, last try failed: %s", h.name, when, h.failedTry))
		}
	}
	h := help.New()
	h.Styles = helpStyles(m)
	h.SetWidth(m.width)
	if m.focus == focusDetail {
		return h.ShortHelpView(m.keys.DetailHelp())
	}
	return h.ShortHelpView(m.keys.ShortHelp())
}

func helpStyles(m *Model) help.Styles {
	st := help.DefaultStyles(m.styles.Dark)
	st.ShortKey, st.FullKey = m.styles.Key, m.styles.Key
	st.ShortDesc, st.FullDesc = m.styles.KeyHelp, m.styles.KeyHelp
	return st
}

// renderHelp is the `?` screen: every binding from the keymap, the
// markers, and the filter language. It scrolls (↑/↓, pgup/pgdn); when it
// is longer than the screen the last line says where it is.
func (m *Model) renderHelp(width, height int) string {
	lines := m.helpLines(width)
	if len(lines) > height && height > 1 {
		room := height - 1
		m.helpOffset = max(0, min(m.helpOffset, len(lines)-room))
		end := min(len(lines), m.helpOffset+room)
		shown := slices.Clone(lines[m.helpOffset:end])
		more := fmt.Sprintf("lines %d–%d of %d · ↑/↓ pgup/pgdn scroll · %s or %s closes", m.helpOffset+1, end, len(lines),
			m.keys.Help.Help().Key, m.keys.Back.Help().Key)
		lines = append(shown, m.styles.Muted.Render(more))
	} else {
		m.helpOffset = 0
	}
	out := make([]string, 0, height)
	for _, l := range lines {
		if len(out) == height {
			break
		}
		out = append(out, fit(l, width, false))
	}
	for len(out) < height {
		out = append(out, strings.Repeat(" ", width))
	}
	return strings.Join(out, "\n")
}

// helpLines is the whole help text for a width.
func (m *Model) helpLines(width int) []string {
	h := help.New()
	h.Styles = helpStyles(m)
	var lines []string
	lines = append(lines, m.styles.Title.Render("Keys")+m.styles.Muted.Render("  (change them in the config's [keys]; ? or esc closes)"))
	// as many key columns side by side as the width holds, the rest below
	groups := m.keys.FullHelp()
	for start := 0; start < len(groups); {
		end := start + 1
		for end < len(groups) && lipgloss.Width(h.FullHelpView(groups[start:end+1])) <= width {
			end++
		}
		if start > 0 {
			lines = append(lines, "")
		}
		lines = append(lines, strings.Split(h.FullHelpView(groups[start:end]), "\n")...)
		start = end
	}
	wrapped := func(first string, text string) []string {
		return strings.Split(ansi.Wrap(first+text, width, ""), "\n")
	}
	lines = append(lines, "")
	lines = append(lines, wrapped(m.styles.Title.Render("Text fields")+"  ", "in the filter and in every form, every character you type or paste is text (j, k, q too); only enter, esc, tab, the arrows and ctrl+/alt+ keys act. A paste on the list starts a filter.")...)
	lines = append(lines, "")
	lines = append(lines, wrapped(m.styles.Title.Render("Markers")+"  ", markMarked+" marked   "+m.styles.Warn.Render(markPending)+" edit not yet confirmed (the row shows the state it is heading for, e.g. shipping ⇡)   "+
		m.styles.Error.Render(markFailed)+" edit failed   "+m.styles.Error.Render(markConflict)+" edit conflicts ("+m.keys.Edits.Help().Key+" retries or discards)   "+
		"cancelled* the order is archived")...)
	lines = append(lines, "")
	lines = append(lines, wrapped(m.styles.Title.Render("Status bar")+"  ", "● online  ○ offline  ● yellow: rate-limited; the age of the last good sync, and its progress while syncing; \"last try failed\" when the latest sync did not finish; \"offline\" when the desk was started with --offline")...)
	lines = append(lines, "")
	for i, l := range strings.Split(query.HelpText(), "\n") {
		if i == 0 {
			l = m.styles.Title.Render("Filter") + "  " + l
		}
		lines = append(lines, wrapped("", l)...)
	}
	return lines
}

// onHelpKey scrolls the help screen, or closes it.
func (m *Model) onHelpKey(msg tea.KeyPressMsg) tea.Cmd {
	k := m.keys
	page := max(1, m.height-chromeRows-2)
	switch {
	case key.Matches(msg, k.Help, k.Back, k.Quit):
		m.help = false
	case key.Matches(msg, k.Up):
		m.helpOffset = max(0, m.helpOffset-1)
	case key.Matches(msg, k.Down):
		m.helpOffset++
	case key.Matches(msg, k.PageUp):
		m.helpOffset = max(0, m.helpOffset-page)
	case key.Matches(msg, k.PageDown):
		m.helpOffset += page
	case key.Matches(msg, k.Top):
		m.helpOffset = 0
	case key.Matches(msg, k.Bottom):
		m.helpOffset = 1 << 20
	}
	return nil
}

// overlay draws the open flow's box centred over the screen.
func (m *Model) overlay(screen string, b box) string {
	w := min(m.width-2, max(76, m.width*2/3))
	h := max(5, m.height-4)
	if _, ok := b.(*form.Sheet); ok {
		// a table of many rows: as large as the terminal, the tab bar and
		// the message line left in sight
		w, h = max(1, m.width-2), max(5, m.height-2)
	}
	view := b.View(w, h)
	bw, bh := lipgloss.Width(view), lipgloss.Height(view)
	x := max(0, (m.width-bw)/2)
	y := max(0, (m.height-bh)/2)
	m.boxX, m.boxY = x, y
	c := lipgloss.NewCompositor(lipgloss.NewLayer(screen), lipgloss.NewLayer(view).X(x).Y(y).Z(1))
	return c.Render()
}
