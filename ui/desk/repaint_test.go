package desk

import (
	"slices"
	"strings"
	"testing"

	"github.com/charmbracelet/x/ansi"

	"orderdesk/backend"
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
	t.Parallel()
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
// next order is read (a jump to an order not read ahead): blanking it to
// "reading…" for that frame cost a repaint of the whole pane twice. Then
// only the pane changes; a read that takes long still says so.
func TestDetailBesideKeepsItsOrderWhileTheNextIsRead(t *testing.T) {
	t.Parallel()
	r := newRig(t, 10, 160, 50)
	lw, _, _, _ := r.m.areas()
	list := func(frame string) []string {
		var out []string
		for _, l := range strings.Split(frame, "\n") {
			out = append(out, ansi.Strip(ansi.Cut(l, 0, lw)))
		}
		return out
	}
	if len(r.m.rows) < 4 || len(r.m.rows) > r.m.listHeight() {
		t.Fatalf("%d rows: the jumps below need more than 3, all on screen", len(r.m.rows))
	}
	for _, k := range []string{"end", "home", "end"} { // to orders not read ahead
		from := 3 + r.m.cursor // tab bar, filter line, header
		before := r.m.Render()
		r.send(press(t, k))
		to := 3 + r.m.cursor
		now := r.m.Render()
		if got, want := changedLines(before, now), []int{min(from, to), max(from, to)}; !slices.Equal(got, want) {
			t.Fatalf("%s changed lines %v, want %v (the pane was redrawn before its order was read):\n%s", k, got, want, ansi.Strip(now))
		}
		r.settle()
		after := r.m.Render()
		if !slices.Equal(list(now), list(after)) {
			t.Fatalf("reading the order changed the list:\n%s", ansi.Strip(after))
		}
		if ref, _ := r.m.current(); !strings.Contains(ansi.Strip(after), "Ref          "+ref.String()) {
			t.Fatalf("the pane does not show %s:\n%s", ref, ansi.Strip(after))
		}
	}

	// jumps faster than the reads answer: the pane holds its order for
	// detailHold from the first of them, then says it is reading
	r.send(press(t, "home"))
	first := r.m.detail.read
	r.send(press(t, "end"))
	if r.screenHas("reading ") {
		t.Fatalf("a second quick jump blanked the pane:\n%s", r.screen())
	}
	r.m.Update(detailHoldMsg{read: first})
	if ref, _ := r.m.current(); !r.screenHas("reading " + ref.String()) {
		t.Fatalf("a slow read of %s is not shown:\n%s", ref, r.screen())
	}
	r.settle()
	if ref, _ := r.m.current(); !r.screenHas("Ref          " + ref.String()) {
		t.Fatalf("the pane does not show %s:\n%s", ref, r.screen())
	}
	// a stale timer (the pane has moved on since) leaves it alone
	r.send(press(t, "home"))
	r.m.Update(detailHoldMsg{read: r.m.detail.read - 1})
	if r.screenHas("reading ") {
		t.Fatalf("a stale timer blanked the pane:\n%s", r.screen())
	}
	r.settle()
}

// Beside the list, the orders next to the cursor are read ahead: a move
// shows the next order in the frame of the move, one frame and not two.
// An order that changed is not shown from before its change.
func TestDetailBesideShowsTheNextOrderInTheFrameOfTheMove(t *testing.T) {
	t.Parallel()
	r := newRig(t, 10, 160, 50)
	for _, k := range []string{"j", "j", "k", "j", "j"} {
		r.send(press(t, k))
		if ref, _ := r.m.current(); !r.screenHas("Ref          "+ref.String()) || r.screenHas("reading ") {
			t.Fatalf("after %s the pane does not show %s in the frame of the move:\n%s", k, ref, r.screen())
		}
		r.settle()
	}
	next, err := r.m.cfg.Desk.Reader().Order(r.m.data.ref(int(r.m.rows[r.m.cursor+1])))
	if err != nil {
		t.Fatal(err)
	}
	next.Raw = nil
	if _, ok := r.m.detail.ahead[next.Ref]; !ok {
		t.Fatalf("%s, next to the cursor, was not read ahead", next.Ref)
	}
	r.send(changedMsg{orders: []*backend.Order{next}})
	if _, ok := r.m.detail.ahead[next.Ref]; ok {
		t.Fatalf("%s changed and is still kept as read ahead", next.Ref)
	}
	r.settle()
}
