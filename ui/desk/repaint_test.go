package desk

import (
	"slices"
	"strings"
	"testing"

	"github.com/charmbracelet/x/ansi"
)

// The renderer sends only the lines of a frame that differ from the last
// one, so every line the desk changes without need is bytes on an
// operator's slow link. These tests render the frames around a key and
// say which lines changed (styles included).

// changedLines are the numbers of the lines where two frames differ.
func changedLines(a, b string) []int {
	al, bl := strings.Split(a, "\n"), strings.Split(b, "\n")
	var out []int
	for i := range max(len(al), len(bl)) {
		if i >= len(al) || i >= len(bl) || al[i] != bl[i] {
			out = append(out, i)
		}
	}
	return out
}

// A cursor move changes the two rows it leaves and lands on, and nothing
// else, in the frame of the key and after its work is done.
func TestCursorMoveRepaintsOnlyItsTwoRows(t *testing.T) {
	r := newRig(t, 10, 80, 24)
	for range 3 {
		row := 3 + r.m.cursor - r.m.offset // tab bar, filter line, header
		before := r.m.Render()
		r.send(press(t, "j"))
		now := r.m.Render()
		if got, want := changedLines(before, now), []int{row, row + 1}; !slices.Equal(got, want) {
			t.Fatalf("j changed lines %v, want %v:\n%s", got, want, ansi.Strip(now))
		}
		r.settle()
		if got := changedLines(now, r.m.Render()); len(got) > 0 {
			t.Fatalf("after j, its work changed lines %v again:\n%s", got, r.screen())
		}
	}
}

// Beside the list, the pane keeps the order it shows while the cursor's
// next order is read (a few milliseconds): blanking it to "reading…" for
// that frame cost a repaint of the whole pane twice on every cursor move.
// Then only the pane changes; a read that takes long still says so.
func TestDetailBesideKeepsItsOrderWhileTheNextIsRead(t *testing.T) {
	r := newRig(t, 10, 160, 50)
	lw, _, _, _ := r.m.areas()
	list := func(frame string) []string {
		var out []string
		for _, l := range strings.Split(frame, "\n") {
			out = append(out, ansi.Strip(ansi.Cut(l, 0, lw)))
		}
		return out
	}
	for range 3 {
		row := 3 + r.m.cursor - r.m.offset
		before := r.m.Render()
		r.send(press(t, "j"))
		now := r.m.Render()
		if got, want := changedLines(before, now), []int{row, row + 1}; !slices.Equal(got, want) {
			t.Fatalf("j changed lines %v, want %v (the pane was redrawn before its order was read):\n%s", got, want, ansi.Strip(now))
		}
		r.settle()
		after := r.m.Render()
		if !slices.Equal(list(now), list(after)) {
			t.Fatalf("reading the order changed the list:\n%s", ansi.Strip(after))
		}
		if o := r.m.current(); !strings.Contains(ansi.Strip(after), "Ref          "+o.Ref.String()) {
			t.Fatalf("the pane does not show %s:\n%s", o.Ref, ansi.Strip(after))
		}
	}

	// moves faster than the reads answer: the pane holds its order for
	// detailHold from the first of them, then says it is reading
	r.send(press(t, "j"))
	first := r.m.detail.read
	r.send(press(t, "j"))
	if r.screenHas("reading ") {
		t.Fatalf("a second quick move blanked the pane:\n%s", r.screen())
	}
	r.m.Update(detailHoldMsg{read: first})
	if o := r.m.current(); !r.screenHas("reading " + o.Ref.String()) {
		t.Fatalf("a slow read of %s is not shown:\n%s", o.Ref, r.screen())
	}
	r.settle()
	if o := r.m.current(); !r.screenHas("Ref          " + o.Ref.String()) {
		t.Fatalf("the pane does not show %s:\n%s", o.Ref, r.screen())
	}
	// a stale timer (the cursor moved on) leaves the pane alone
	r.send(press(t, "j"))
	r.m.Update(detailHoldMsg{read: r.m.detail.read - 1})
	if r.screenHas("reading ") {
		t.Fatalf("a stale timer blanked the pane:\n%s", r.screen())
	}
	r.settle()
}
