package detail

import (
	"bytes"
	"encoding/json"
	"strings"

	"orderdesk/backend"
	"orderdesk/ui"
)

// raw writes the Raw JSON section: the platform's order object indented by
// two spaces, each line cut to the width with "…". Bytes that are not valid
// JSON are shown verbatim (control characters removed) under a note; an
// order without raw JSON says so.
func (b *builder) raw(o *backend.Order) {
	b.section(SectionRaw)
	if len(bytes.TrimSpace(o.Raw)) == 0 {
		b.none("none stored for this order")
		return
	}
	text := string(o.Raw)
	var buf bytes.Buffer
	if err := json.Indent(&buf, o.Raw, "", "  "); err != nil {
		for _, l := range wrap("not valid JSON ("+err.Error()+"); shown verbatim:", b.width) {
			b.add(b.s.Warn.Render(l))
		}
	} else {
		text = buf.String()
	}
	text = strings.ReplaceAll(strings.ReplaceAll(text, "\r\n", "\n"), "\r", "\n")
	for _, l := range strings.Split(strings.TrimRight(text, "\n"), "\n") {
		b.add(b.s.Text.Render(ui.Clean(l)))
	}
}
