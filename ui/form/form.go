// Package form holds the desk's modal boxes: the Picker (status, copy and
// sort menus), the ShipForm, the RemarkForm, the Confirm dialog, the
// Message box, the one-line Prompt (a file to import or export to) and the
// Sheet (a table of many rows: an import's plan and results).
//
// Contract shared by every component:
//   - Components are plain structs, not tea.Models: the desk's root model
//     owns one at a time, feeds it messages with Update and draws it with
//     View over the order list.
//   - Update never does I/O and never returns tea.Quit. It reports an
//     Outcome: Open (still editing), Submitted (read the result from the
//     component) or Cancelled (esc, or ctrl+c: one ctrl+c closes the box,
//     never the program).
//   - View(width, height) renders the whole box, border included, at most
//     width display columns wide and height rows high. A box that cannot
//     fit at all (narrower than 8 columns or lower than 3 rows) renders "".
//   - Cursor is the real terminal cursor of the last View, relative to the
//     box's top-left corner, or nil when no text input has focus. The
//     inputs use the terminal's real cursor (textinput and textarea with
//     SetVirtualCursor(false)) so that input methods (CJK) place their
//     candidate window at the text; the root adds the box's offset and
//     sets it on its tea.View. Call View before Cursor.
//   - Keys come from keymap.KeyMap (Submit, NextField, PrevField, Back, and
//     Up/Down/PageUp/PageDown where a list scrolls); ctrl+c always cancels.
//     Inside a text input a printable key is always text ("q", "j", "y").
package form

import (
	"fmt"
	"slices"
	"strings"

	"charm.land/bubbles/v2/key"
	tea "charm.land/bubbletea/v2"
	"github.com/charmbracelet/x/ansi"

	"orderdesk/keymap"
	"orderdesk/ui/theme"
)

// Outcome is where a form stands after a message.
type Outcome int

const (
	// Open: the operator is still editing.
	Open Outcome = iota
	// Submitted: the operator confirmed; read the result from the component.
	Submitted
	// Cancelled: esc or ctrl+c; nothing is to be done.
	Cancelled
)

var outcomeNames = [...]string{"open", "submitted", "cancelled"}

func (o Outcome) String() string {
	if o < 0 || int(o) >= len(outcomeNames) {
		return "Outcome(?)"
	}
	return outcomeNames[o]
}

// Sizes of a box. Boxes grow with their content up to their own maximum,
// and never beyond the width they are given.
const (
	minBoxWidth  = 8
	minBoxHeight = 3
	labelWidth   = 10 // "Tracking  "
)

// isCtrlC reports the one key that always cancels.
func isCtrlC(msg tea.KeyPressMsg) bool { return msg.Keystroke() == "ctrl+c" }

// isText reports a key that types a character (keymap.IsText).
func isText(msg tea.KeyPressMsg) bool { return keymap.IsText(msg) }

// boxWidth is the width of a box whose widest content line is natural
// columns: at least min(minW, width), at most min(maxW, width).
func boxWidth(s theme.Styles, width, natural, minW, maxW int) int {
	w := natural + s.Dialog.GetHorizontalFrameSize()
	w = max(w, minW)
	w = min(w, maxW, width)
	return w
}

// innerSize is the room inside a box of w × h: the frame and padding of
// the Dialog style are taken off.
func innerSize(s theme.Styles, w, h int) (int, int) {
	return w - s.Dialog.GetHorizontalFrameSize(), h - s.Dialog.GetVerticalFrameSize()
}

// tooSmall reports a size in which no box fits.
func tooSmall(width, height int) bool { return width < minBoxWidth || height < minBoxHeight }

// frame draws lines in the Dialog style, exactly w columns wide. Each line
// is cut to the inner width first, so the frame never wraps a line.
func frame(s theme.Styles, w int, lines []string) string {
	inner, _ := innerSize(s, w, 0)
	out := make([]string, len(lines))
	for i, l := range lines {
		out[i] = fit(l, inner)
	}
	return s.Dialog.Width(w).Render(strings.Join(out, "\n"))
}

// fit cuts a (possibly styled) line to w display columns.
func fit(line string, w int) string {
	if ansi.StringWidth(line) <= w {
		return line
	}
	return ansi.Truncate(line, w, "…")
}

// stack puts head, body and foot into rows lines. The caller has already
// cut body to room(rows, head, foot) lines; when head and foot alone are
// too many, the title (head's first line) and the end of foot (buttons and
// keys) are kept.
func stack(rows int, head, body, foot []string) []string {
	all := make([]string, 0, len(head)+len(body)+len(foot))
	all = append(all, head...)
	all = append(all, body...)
	all = append(all, foot...)
	if len(all) <= rows {
		return all
	}
	if rows <= 1 {
		return all[:rows]
	}
	return append(all[:1:1], all[len(all)-(rows-1):]...)
}

// stackedRow is where line idx of the head+body+foot lines (total of
// them) ends up after stack cut them to rows; false when it was cut.
func stackedRow(idx, total, rows int) (int, bool) {
	if total <= rows {
		return idx, true
	}
	if idx == 0 && rows > 0 {
		return 0, true
	}
	if y := idx - (total - rows); y >= 1 {
		return y, true
	}
	return 0, false
}

// boxCursor places a cursor at column x of inner line y of a box.
func boxCursor(s theme.Styles, x, y int) *tea.Cursor {
	return tea.NewCursor(
		s.Dialog.GetBorderLeftSize()+s.Dialog.GetPaddingLeft()+x,
		s.Dialog.GetBorderTopSize()+s.Dialog.GetPaddingTop()+y)
}

// room is how many body lines fit between head and foot.
func room(rows int, head, foot []string) int { return max(0, rows-len(head)-len(foot)) }

// wrap breaks plain text into lines of at most w columns, each styled.
func wrap(text string, w int, style func(...string) string) []string {
	if text == "" {
		return nil
	}
	lines := strings.Split(ansi.Wrap(text, max(w, 1), ""), "\n")
	for i, l := range lines {
		lines[i] = style(strings.TrimRight(l, " "))
	}
	return lines
}

// hint is one "key does-what" pair of a box's key line.
type hint struct {
	b    key.Binding
	does string
}

// keysLine shows the keys of a box: "enter ship · esc cancel". Keys come
// from the bindings' help, so remapped keys show as the operator set them.
func keysLine(s theme.Styles, hints ...hint) string {
	parts := make([]string, 0, len(hints))
	for _, h := range hints {
		k := h.b.Help().Key
		if k == "" {
			continue
		}
		parts = append(parts, s.Key.Render(k)+" "+s.KeyHelp.Render(h.does))
	}
	return strings.Join(parts, s.Muted.Render(" · "))
}

// literal is a binding of one fixed key (y, n), also used to show keys
// that are not bindings of the KeyMap in keysLine.
func literal(k string) key.Binding {
	return key.NewBinding(key.WithKeys(k), key.WithHelp(k, ""))
}

// scroller is a window over the lines of a box that may not all fit (a
// preview, a dialog's body): it keeps the first line shown, scrolls with
// up/down/pgup/pgdown, and says where it is.
type scroller struct{ top, shown, total int }

// key scrolls on up, down, pgup and pgdown; false for any other key.
func (sc *scroller) key(km tea.KeyPressMsg, k keymap.KeyMap) bool {
	switch {
	case key.Matches(km, k.Up):
		sc.by(-1)
	case key.Matches(km, k.Down):
		sc.by(1)
	case key.Matches(km, k.PageUp):
		sc.by(-max(1, sc.shown-1))
	case key.Matches(km, k.PageDown):
		sc.by(max(1, sc.shown-1))
	default:
		return false
	}
	return true
}

func (sc *scroller) by(n int) { sc.top = max(0, min(sc.top+n, sc.total-max(1, sc.shown))) }

// window is lines in at most room rows: all of them when they fit, else
// the window at top and a line saying where it is.
func (sc *scroller) window(lines []string, room int, s theme.Styles) []string {
	sc.total = len(lines)
	n := room
	if len(lines) > room {
		n = room - 1 // one line says where the window is
	}
	sc.shown = max(0, n)
	if n <= 0 {
		return nil
	}
	sc.top = max(0, min(sc.top, len(lines)-n))
	end := min(len(lines), sc.top+n)
	out := slices.Clone(lines[sc.top:end])
	if len(lines) > n {
		out = append(out, s.Muted.Render(fmt.Sprintf("%d–%d of %d  ↑/↓ pgup/pgdn scroll", sc.top+1, end, len(lines))))
	}
	return out
}
