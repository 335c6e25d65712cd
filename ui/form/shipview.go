package form

import (
	"strings"

	"github.com/charmbracelet/x/ansi"

	"orderdesk/backend/tracking"
	"orderdesk/ui"
)

// shipNatural is the inner width the ship form likes: room for a
// carrier's tracking URL after the label.
const shipNatural = labelWidth + 90

// maxCheckLines caps the lines of the live check under the number.
const maxCheckLines = 3

// View draws the fields, the live check of the number, the URL that will
// be stored, the notify line, the refusal message and the keys.
func (f *ShipForm) View(width, height int) string {
	f.cursor = nil
	if tooSmall(width, height) {
		return ""
	}
	s := f.st
	title := ui.Clean(f.in.Title)
	w := boxWidth(s, width, max(ansi.StringWidth(title), shipNatural), shipMinWidth, shipMaxWidth)
	inner, rows := innerSize(s, w, height)

	head := []string{s.Title.Render(title)}
	for _, n := range f.in.Notes {
		head = append(head, wrap(ui.Clean(n), inner, s.Warn.Render)...)
	}
	head = append(head, "")
	var body []string
	cursorAt, cursorX := -1, 0
	for i := range f.fields {
		after := ""
		if i == carrierField {
			after = f.completionHint()
		}
		if i == urlField {
			body = append(body, f.urlLine(inner))
		}
		line, x := f.fields[i].render(s, inner, f.focus == i, after)
		if f.focus == i {
			cursorAt, cursorX = len(head)+len(body), x
		}
		body = append(body, line)
		if i == numberField {
			body = append(body, f.checkLines(inner)...)
		}
	}
	body = append(body, f.notifyLines(inner)...)

	foot := []string{""}
	if f.message != "" {
		foot = append(foot, wrap(f.message, inner, s.Error.Render)...)
	}
	foot = append(foot, f.keysHint())
	lines := stack(rows, head, body, foot)
	if cursorAt >= 0 {
		if y, ok := stackedRow(cursorAt, len(head)+len(body)+len(foot), rows); ok {
			f.cursor = boxCursor(s, cursorX, y)
		}
	}
	return frame(s, w, lines)
}

// completionHint is shown behind the carrier while typing.
func (f *ShipForm) completionHint() string {
	c := f.suggestion()
	switch {
	case c == "":
		return ""
	case strings.TrimSpace(f.fields[carrierField].value()) == "":
		return "tab: " + c + " (detected)"
	default:
		return "tab: " + c
	}
}

// checkLines is the live verdict on the number, indented under it: the
// detected carrier when no carrier is typed, else the check against the
// typed carrier (✓ OK, ⚠ warning, · notice).
func (f *ShipForm) checkLines(inner int) []string {
	s := f.st
	r := f.check
	if r.Number == "" {
		return nil
	}
	var text string
	style := s.Muted.Render
	switch {
	case strings.TrimSpace(f.fields[carrierField].value()) == "" && len(r.Suggestions) > 0:
		text, style = "detected: "+r.Suggestions[0].String(), s.Info.Render
	case r.Level == tracking.LevelOK:
		text, style = "✓ "+r.Message, s.OK.Render
	case r.Level == tracking.LevelWarning:
		text, style = "⚠ "+r.Message, s.Warn.Render
	default:
		text = "· " + r.Message
	}
	lines := wrap(text, inner-labelWidth, style)
	if len(lines) > maxCheckLines {
		lines = lines[:maxCheckLines]
		lines[maxCheckLines-1] = fit(lines[maxCheckLines-1]+style(" …"), inner-labelWidth)
	}
	for i := range lines {
		lines[i] = strings.Repeat(" ", labelWidth) + lines[i]
	}
	return lines
}

// urlLine previews the URL that will be stored, as a link.
func (f *ShipForm) urlLine(inner int) string {
	s := f.st
	label := s.Muted.Render(padRight("URL", labelWidth))
	u := f.trackingURL()
	if u == "" {
		return label + s.Placeholder.Render("shown once the number is typed")
	}
	shown := fit(ui.Clean(u), inner-labelWidth)
	return label + s.Link.Hyperlink(u).Render(shown)
}

// notifyLines says who gets an email: one line per platform that always
// emails, and the checkbox when some orders let the operator choose.
func (f *ShipForm) notifyLines(inner int) []string {
	s := f.st
	var out []string
	label := padRight("Notify", labelWidth)
	for _, who := range f.in.NotifyAlways {
		out = append(out, s.Muted.Render(label)+s.Warn.Render(fit("✉ "+ui.Clean(who), inner-labelWidth)))
		label = padRight("", labelWidth)
	}
	if f.in.NotifyOptional == "" {
		return out
	}
	box := "[ ]"
	if f.notify {
		box = "[x]"
	}
	text := box + " email " + ui.Clean(f.in.NotifyOptional) + " about the shipment"
	if f.focus == notifyField {
		return append(out, s.Title.Render(label)+s.Cursor.Render(fit(text, inner-labelWidth)))
	}
	return append(out, s.Muted.Render(label)+s.Text.Render(fit(text, inner-labelWidth)))
}

// keysHint is the key line; enter's meaning depends on the field.
func (f *ShipForm) keysHint() string {
	enter := hint{f.keys.Submit, "next"}
	if f.focus == f.lastField() {
		enter.does = "ship"
	}
	hints := []hint{{f.keys.NextField, "next/complete"}, {f.keys.PrevField, "back"}, enter}
	if f.focus == notifyField {
		hints = append(hints, hint{literal("space"), "toggle"})
	}
	return keysLine(f.st, append(hints, hint{f.keys.Back, "cancel"})...)
}
