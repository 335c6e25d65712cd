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
	"orderdesk/ui/form"
)

// Exporting the view: a path prompt with a default name → the view's
// rows written as CSV in the background → when the file exists, a
// confirmation (focus on Cancel) before it is replaced.

// exportView is the view as it was when the operator asked: a snapshot
// (never written after it is published), the view's queries and sort,
// and its rows when the list's rows are current for them.
type exportView struct {
	data    *dataset
	rows    []int32 // nil: select them again (the list had not caught up)
	qs      []*query.Query
	sortCol int
	desc    bool
}

// orders are the view's orders in the view's order: every row, not just
// those on screen.
func (v exportView) orders() []*backend.Order {
	rows := v.rows
	if rows == nil {
		rows = selectRows(v.data, v.qs, nil, v.sortCol, v.desc)
	}
	out := make([]*backend.Order, len(rows))
	for i, r := range rows {
		out[i] = v.data.orders[r]
	}
	return out
}

// exportJob is an export being asked for.
type exportJob struct {
	prompt *form.Prompt
	path   string
	view   exportView
}

// currentView captures the view for an export.
func (m *Model) currentView() exportView {
	v := exportView{data: m.data, qs: []*query.Query{m.tabs[m.tab].q, m.filterQ}, sortCol: m.sortCol, desc: m.sortDesc}
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
	m.startFlow(forExportPath, nil)
	p := form.NewPrompt(form.PromptInput{
		Title: fmt.Sprintf("Export the view %q to CSV", m.tabs[m.tab].Name),
		Value: exportName(m.tabs[m.tab].Name, m.cfg.Now().In(m.cfg.Loc)),
		Hint:  "every row of the view (tab, filter and sort), as `orderdesk list --format csv` writes them; a relative path starts in the directory the desk was started in.",
		Does:  "export",
	}, m.styles, m.keys)
	m.modal.export = exportJob{prompt: p}
	m.show(p)
	return nil
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

// exportSubmitted writes the view (after the prompt), or replaces the
// file (after the confirmation).
func (m *Model) exportSubmitted() tea.Cmd {
	job := &m.modal.export
	overwrite := m.modal.purpose == forExportOverwrite
	if !overwrite {
		job.path = job.prompt.Value()
		job.view = m.currentView()
	}
	m.modal.purpose = forExportPath
	m.show(job.prompt)
	job.prompt.SetStatus("writing…")
	m.modal.waiting = true // the prompt stays, the keys wait
	return exportCmd(m.modal.flow, job.path, job.view, overwrite)
}

// onExport reports the export, asks before replacing a file, or keeps
// the prompt open with the error.
func (m *Model) onExport(msg exportMsg) tea.Cmd {
	if msg.flow != m.modal.flow || m.modal.purpose != forExportPath {
		return nil
	}
	m.modal.waiting = false
	job := m.modal.export
	switch {
	case msg.exists:
		job.prompt.SetStatus("")
		m.modal.purpose = forExportOverwrite
		m.show(form.NewConfirm(form.ConfirmInput{
			Title:        "Replace " + filepath.Base(msg.path) + "?",
			Lines:        []string{msg.path},
			Warnings:     []string{fmt.Sprintf("the file exists; it will be replaced by the %d order(s) of this view", msg.n)},
			ConfirmLabel: "Replace the file",
			CancelFirst:  true,
		}, m.styles, m.keys))
		return nil
	case msg.err != nil:
		job.prompt.SetError(msg.err.Error())
		return m.setFlash(flashError, "not exported: "+msg.err.Error())
	}
	m.closeModal()
	return m.setFlash(flashOK, fmt.Sprintf("exported %d orders to %s", msg.n, msg.path))
}

// exportNotReplaced goes back to the prompt after the operator kept the
// existing file.
func (m *Model) exportNotReplaced() {
	job := m.modal.export
	m.modal.purpose = forExportPath
	m.show(job.prompt)
	job.prompt.SetError(job.path + " exists and was kept; type another name, or esc to cancel")
}
