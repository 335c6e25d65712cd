package desk

import (
	"fmt"
	"strings"
	"time"

	"charm.land/bubbles/v2/help"
	"charm.land/lipgloss/v2"
	"github.com/charmbracelet/x/ansi"

	"orderdesk/backend/query"
	"orderdesk/ui/form"
)

// shopBadge is one shop in the status bar: a dot coloured by its state,
// its name, and the age of its last sync or its sync progress.
func (m *Model) shopBadge(h shopHealth, now time.Time) string {
	dot, st := "●", m.styles.Muted
	switch h.state {
	case shopOnline:
		st = m.styles.OK
	case shopOffline:
		dot, st = "○", m.styles.Error
	case shopLimited:
		st = m.styles.Warn
	case shopFailing:
		st = m.styles.Error
	}
	info := age(h.lastSync, now)
	switch {
	case h.syncing && h.total > 0:
		info = fmt.Sprintf("sync %d/%d", h.orders, h.total)
	case h.syncing:
		info = fmt.Sprintf("sync p%d", h.pages)
	case h.sending:
		info = "sending"
	case h.state == shopOffline:
		info = "offline"
	case h.state == shopLimited:
		info = "rate-limited"
	case h.state == shopFailing:
		info = "error"
	}
	return st.Render(dot) + " " + h.name + " " + m.styles.Muted.Render(info)
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

// flashLine is the message line: the latest outcome or error, else the
// short help.
func (m *Model) flashLine() string {
	if m.flash.text != "" {
		st := map[flashKind]lipgloss.Style{flashInfo: m.styles.Info, flashOK: m.styles.OK, flashWarn: m.styles.Warn, flashError: m.styles.Error}[m.flash.kind]
		return st.Render(m.flash.text)
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
// markers, and the filter language.
func (m *Model) renderHelp(width, height int) string {
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
	var fields []string
	for _, f := range query.Fields() {
		fields = append(fields, f.Name)
	}
	wrapped := func(first string, text string) []string {
		return strings.Split(ansi.Wrap(first+text, width, ""), "\n")
	}
	lines = append(lines, "")
	lines = append(lines, wrapped(m.styles.Title.Render("Markers")+"  ", markMarked+" marked   "+m.styles.Warn.Render(markPending)+" edit not yet confirmed   "+
		m.styles.Error.Render(markFailed)+" edit failed   "+m.styles.Error.Render(markConflict)+" edit conflicts")...)
	lines = append(lines, "")
	lines = append(lines, wrapped(m.styles.Title.Render("Filter")+"  ", "terms all match; -term negates; \"quotes group\"; free text: number, name, email, phone, sku, title, tracking, city")...)
	lines = append(lines, wrapped("  fields: ", strings.Join(fields, " "))...)
	lines = append(lines, wrapped("  e.g.  ", "pay:paid ship:unfulfilled   total>100   created<7d   -status:cancelled   is:pending   shop:eu 张伟")...)
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

// overlay draws the open modal centred over the screen.
func (m *Model) overlay(screen string) string {
	w := min(m.width-2, max(50, m.width*2/3))
	h := max(5, m.height-4)
	if _, ok := m.modal.box.(*form.Sheet); ok {
		// a table of many rows: as large as the terminal, the tab bar and
		// the message line left in sight
		w, h = max(1, m.width-2), max(5, m.height-2)
	}
	box := m.modal.box.View(w, h)
	bw, bh := lipgloss.Width(box), lipgloss.Height(box)
	x := max(0, (m.width-bw)/2)
	y := max(0, (m.height-bh)/2)
	m.modal.x, m.modal.y = x, y
	c := lipgloss.NewCompositor(lipgloss.NewLayer(screen), lipgloss.NewLayer(box).X(x).Y(y).Z(1))
	return c.Render()
}
