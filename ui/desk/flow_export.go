package desk

import (
	"fmt"
	"path/filepath"
	"strings"
	"time"
	"unicode"

	tea "charm.land/bubbletea/v2"

	"orderdesk/backend"
	"orderdesk/backend/query"
	"orderdesk/backend/storage"
	"orderdesk/ui"
	"orderdesk/ui/form"
)

// Exporting the view: a path prompt with a default name → the view's
// rows written as CSV in the background → when the file exists, a
// confirmation (focus on Cancel) before it is replaced.

// exportView is the view as it was when the operator asked: a snapshot
// (never written after it is published), the view's queries and sort,
// and its rows when the list's rows are current for them.
type exportView struct {
	store   storage.Reader // where the orders are read
	data    *dataset
	rows    []int32 // nil: select them again (the list had not caught up)
	qs      []*query.Query
	sortCol int
	desc    bool
}

// eachOrder calls fn with the orders of rows (selected), in order, each the slim order as the cache holds
// it now (the snapshot keeps only what the list shows). They are read in
// one pass over the cache; an order the cache's scan brings before its
// turn waits, so in the default order (the scan's) none does. An order
// gone from the cache since the snapshot is left out. It returns how many
// orders fn was called with.
func (v exportView) eachOrder(rows []int32, fn func(o *backend.Order) error) (int, error) {
	pos := make(map[backend.Ref]int, len(rows))
	for k, r := range rows {
		pos[v.data.ref(int(r))] = k
	}
	held := map[int]*backend.Order{}
	next, n := 0, 0
	flush := func() error {
		for o := held[next]; o != nil; o = held[next] {
			delete(held, next)
			next++
			if err := fn(o); err != nil {
				return err
			}
			n++
		}
		return nil
	}
	err := v.store.Scan(storage.ScanQuery{Match: func(o *backend.Order) bool { _, ok := pos[o.Ref]; return ok }},
		func(o *backend.Order, _ []byte) error {
			held[pos[o.Ref]] = o
			return flush()
		})
	if err != nil {
		return n, err
	}
	for ; next < len(rows); next++ { // after orders gone from the cache
		if err := flush(); err != nil {
			return n, err
		}
	}
	return n, nil
}

// selected are the view's rows: every row, not just those on screen.
func (v exportView) selected() []int32 {
	if v.rows != nil {
		return v.rows
	}
	return selectRows(v.data, v.qs, nil, v.sortCol, v.desc)
}

// exportFlow is an export being asked for and written.
type exportFlow struct {
	base
	prompt  *form.Prompt
	path    string
	view    exportView
	replace *form.Confirm // asked when the file exists
}

// currentView captures the view for an export.
func (m *Model) currentView() exportView {
	v := exportView{store: m.cfg.Desk.Reader(), data: m.data, qs: []*query.Query{m.tabs[m.tab].q, m.filterQ}, sortCol: m.sortCol, desc: m.sortDesc}
	key := rowsKey{version: m.data.version, tab: m.tab, sortCol: m.sortCol, sortDesc: m.sortDesc, filter: m.filterQ}
	if m.rowsGen == m.gen && m.rowsKey.same(key) && m.rows != nil {
		v.rows = m.rows
	}
	return v
}

// beginExport asks where to write the view.
func (m *Model) beginExport() tea.Cmd {
	if m.loading || !m.data.ready() {
		return m.setFlash(flashWarn, "the cache is still being read; export when the list is complete")
	}
	e := m.env()
	f := &exportFlow{base: base{id: m.nextFlowID(), env: e}, view: m.currentView()}
	f.prompt = form.NewPrompt(form.PromptInput{
		Title: fmt.Sprintf("Export the view %q to CSV", m.tabs[m.tab].Name),
		Value: exportName(m.tabs[m.tab].Name, m.now.In(m.cfg.Loc)),
		Hint:  "every row of the view (tab, filter and sort), as `orderdesk list --format csv` writes them; a relative path starts in the directory the desk was started in.",
		Does:  "export",
	}, e.styles, e.keys)
	f.show(f.prompt)
	return m.openFlow(f, nil)
}

func (f *exportFlow) update(msg tea.Msg) (tea.Cmd, action) {
	if act, ok := f.held(msg); ok {
		return nil, act
	}
	if msg, ok := msg.(exportMsg); ok {
		return nil, f.onExport(msg)
	}
	if f.cur == nil {
		return nil, nil
	}
	out, cmd := f.cur.Update(msg)
	switch {
	case out == form.Open:
		return cmd, nil
	case f.cur == box(f.prompt) && out == form.Cancelled:
		return cmd, done{info("cancelled; nothing written")}
	case f.cur == box(f.prompt):
		f.path = f.prompt.Value()
		return tea.Batch(cmd, f.write(false)), nil
	case out == form.Submitted: // replace the file
		f.show(f.prompt)
		return tea.Batch(cmd, f.write(true)), nil
	}
	// the file was kept: back to the prompt
	f.show(f.prompt)
	f.prompt.SetError(f.path + " exists and was kept; type another name, or esc to cancel")
	return cmd, nil
}

// write writes the view in the background; the prompt stays and the keys
// wait (a file being written cannot be abandoned).
func (f *exportFlow) write(overwrite bool) tea.Cmd {
	f.prompt.SetStatus("writing…")
	f.wait(false)
	// the times the desk shows (with their offset), and a byte order mark
	// when the config asks for one (spreadsheets)
	opt := ui.CSVOptions{BOM: f.env.bom, Loc: f.env.loc}
	return f.run(exportCmd(f.path, f.view, opt, overwrite))
}

// onExport reports the export, asks before replacing a file, or keeps
// the prompt open with the error.
func (f *exportFlow) onExport(msg exportMsg) action {
	f.waiting = false
	switch {
	case msg.exists:
		f.prompt.SetStatus("")
		f.replace = form.NewConfirm(form.ConfirmInput{
			Title:        "Replace " + filepath.Base(msg.path) + "?",
			Lines:        []string{msg.path},
			Warnings:     []string{fmt.Sprintf("the file exists; it will be replaced by the %d order(s) of this view", msg.n)},
			ConfirmLabel: "Replace the file",
			CancelFirst:  true,
		}, f.env.styles, f.env.keys)
		f.show(f.replace)
		return nil
	case msg.err != nil:
		f.prompt.SetError(msg.err.Error())
		return nil
	}
	return done{note{flashOK, fmt.Sprintf("exported %d orders to %s", msg.n, msg.path)}}
}

// exportName is the default file name: orderdesk-<view>-<YYYYMMDD-HHMM>.csv.
func exportName(view string, now time.Time) string {
	slug := strings.Map(func(r rune) rune {
		if unicode.IsLetter(r) || unicode.IsDigit(r) {
			return unicode.ToLower(r)
		}
		return '-'
	}, view)
	for strings.Contains(slug, "--") {
		slug = strings.ReplaceAll(slug, "--", "-")
	}
	slug = strings.Trim(slug, "-")
	if slug == "" {
		slug = "view"
	}
	return fmt.Sprintf("orderdesk-%s-%s.csv", slug, now.Format("20060102-1504"))
}
