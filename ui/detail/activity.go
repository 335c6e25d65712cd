package detail

import (
	"strings"

	"github.com/charmbracelet/x/ansi"

	"orderdesk/backend"
	"orderdesk/ui"
)

// indent is how far wrapped texts (remarks, edit reasons) sit under their
// heading line.
const indent = 2

// shipments writes each shipment: carrier and tracking number, status
// (when the platform keeps one) and shipped time, then the tracking URL as an OSC 8 hyperlink whose visible
// text is the URL itself (cut to the width), so a terminal without OSC 8
// still shows it.
func (b *builder) shipments(o *backend.Order) {
	b.section(SectionShipments)
	if len(o.Shipments) == 0 {
		b.none("none yet")
		return
	}
	for i, sh := range o.Shipments {
		if i > 0 {
			b.add("")
		}
		carrier := ui.Clean(sh.Carrier)
		if carrier == "" {
			carrier = "carrier ?"
		}
		number := ui.Clean(sh.TrackingNumber)
		if number == "" {
			number = "no tracking number"
		}
		b.add(b.s.Header.Render(carrier) + gap + b.s.Text.Render(number))
		// most platforms keep no status per shipment: say only what is known
		meta := "shipped " + b.when(sh.ShippedAt)
		if status := ui.Clean(sh.Status); status != "" {
			meta = status + " · " + meta
		}
		link, guessed := trackingLink(sh)
		if guessed {
			meta += " · link from the carrier, the shop stored none"
		}
		b.add(b.s.Muted.Render(meta))
		if link != "" {
			b.add(b.s.Link.Hyperlink(link).Render(fit(link, b.width)))
		}
	}
}

// remarks writes each remark: when, who and who can read it, then the text
// wrapped to the width.
func (b *builder) remarks(o *backend.Order) {
	if len(o.Remarks) == 0 {
		return
	}
	b.section(SectionRemarks)
	for _, r := range o.Remarks {
		vis := b.s.Muted.Render(ui.Clean(string(r.Visibility)))
		switch r.Visibility {
		case backend.Internal:
			vis = b.s.Warn.Render("internal")
		case backend.CustomerSide:
			vis = b.s.Info.Render("customer can see")
		}
		author := ui.Clean(r.Author)
		if author == "" {
			author = "?"
		}
		b.add(b.s.Muted.Render(ui.LocalTime(r.At, b.loc)+" · "+author+" · ") + vis)
		b.indented(r.Text, b.s.Text.Render)
	}
}

// indented writes text wrapped to the width less the indent, each line
// indented and styled.
func (b *builder) indented(text string, style func(...string) string) {
	pre := strings.Repeat(" ", indent)
	for _, l := range wrap(text, b.width-indent) {
		b.add(pre + style(l))
	}
}

// tags writes the tags, packed onto as few lines as fit.
func (b *builder) tags(o *backend.Order) {
	var line []string
	used := 0
	flush := func() {
		if len(line) > 0 {
			b.add(strings.Join(line, b.s.Muted.Render(" · ")))
		}
		line, used = nil, 0
	}
	first := true
	for _, t := range o.Tags {
		t = strings.TrimSpace(ui.Clean(t))
		if t == "" {
			continue
		}
		if first {
			b.section(SectionTags)
			first = false
		}
		t = fit(t, b.width)
		w := ansi.StringWidth(t)
		if len(line) > 0 && used+3+w > b.width {
			flush()
		}
		if len(line) > 0 {
			used += 3
		}
		line = append(line, b.s.Info.Render(t))
		used += w
	}
	flush()
}

// pending writes the order's open edits: id, state, summary, and the error
// or reason in full.
func (b *builder) pending(o *backend.Order, editsKey string) {
	if len(o.Pending) == 0 {
		return
	}
	b.section(SectionPending)
	stuck := false
	for _, p := range o.Pending {
		st := backend.EditState(p.State)
		b.add(b.s.Muted.Render(ui.Clean(p.ID)+" ") + b.state(st) + " " + b.s.Text.Render(ui.Clean(p.Summary)))
		b.reason(st, p.Error)
		stuck = stuck || st == backend.EditFailed || st == backend.EditConflict
	}
	if stuck && editsKey != "" {
		b.add(b.s.Key.Render(editsKey) + b.s.Muted.Render(" retries or discards it (a conflict shows what you saw beside what the shop has now)"))
	}
}

// history writes every edit of the order, oldest first: when, id, final
// state, operator, summary, and the error or reason in full.
func (b *builder) history(edits []backend.Edit) {
	if len(edits) == 0 {
		return
	}
	b.section(SectionHistory)
	for _, e := range edits {
		at := ui.LocalTime(&e.CreatedAt, b.loc)
		if e.CreatedAt.IsZero() {
			at = ui.LocalTime(nil, b.loc)
		}
		who := ui.Clean(e.Operator)
		if who == "" {
			who = "?"
		}
		b.add(b.s.Muted.Render(at+" "+ui.Clean(e.ID)+" ") + b.state(e.State) + " " +
			b.s.Muted.Render(who+" ") + b.s.Text.Render(ui.Clean(e.Summary)))
		b.reason(e.State, e.Error)
	}
}

// stateWidth fits the longest edit state ("discarded", "conflict").
const stateWidth = 9

// state is an edit state, styled and padded so summaries line up.
func (b *builder) state(st backend.EditState) string {
	name := string(st)
	if name == "" {
		name = "?"
	}
	return b.s.EditState(st).Render(pad(ui.Clean(name), stateWidth))
}

// reason writes an edit's error or reason in full, wrapped and indented:
// in the error style for a failed or conflicting edit (what the operator
// must act on), muted otherwise.
func (b *builder) reason(st backend.EditState, text string) {
	if strings.TrimSpace(text) == "" {
		return
	}
	style := b.s.Muted.Render
	if st == backend.EditFailed || st == backend.EditConflict {
		style = b.s.Error.Render
	}
	b.indented(text, style)
}
