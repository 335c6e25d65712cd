package desk

import (
	"context"
	"crypto/rand"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"strings"

	tea "charm.land/bubbletea/v2"

	"orderdesk/backend/engine"
	"orderdesk/backend/inputfile"
	"orderdesk/backend/safe"
	"orderdesk/backend/trackimport"
	"orderdesk/ui"
)

// The commands of an import and an export, and the files the operator
// names for them. Like those of commands.go, each returns a tea.Cmd that
// copies what it needs, answers with a message and never touches the
// Model.

type (
	// importPlanMsg is a tracking file read and planned (nothing written).
	importPlanMsg struct {
		path string // as typed
		plan *importPlan
		err  error
	}
	// importProgressMsg is how far a run has come; next delivers its
	// following message.
	importProgressMsg struct {
		settled, total int
		next           <-chan tea.Msg
	}
	// importDoneMsg ends a run: every row with its outcome.
	importDoneMsg struct {
		items   []trackimport.Item
		saveErr error
		sendErr error
		offline bool
	}
	// exportMsg ends an export: written, refused because the file exists,
	// or failed (nothing written).
	exportMsg struct {
		path   string // absolute
		n      int
		exists bool
		err    error
	}
)

// planImport reads the file and checks every row against the cache.
func planImport(d *engine.Desk, path, operator string) tea.Cmd {
	return func() tea.Msg {
		msg := importPlanMsg{path: path}
		abs, err := expandPath(path)
		if err != nil {
			msg.err = err
			return msg
		}
		f, err := inputfile.Open(abs) // a pipe would hang the import; a directory is a mistake
		if err != nil {
			msg.err = err
			return msg
		}
		defer f.Close()
		file, err := trackimport.Read(f)
		if err != nil {
			msg.err = err
			return msg
		}
		items, err := trackimport.Plan(d, file.Rows, trackimport.Options{Operator: operator})
		if err != nil {
			msg.err = fmt.Errorf("cannot check the rows against the cache: %w", err)
			return msg
		}
		msg.plan = &importPlan{name: filepath.Base(abs), encoding: file.Encoding, sep: file.SeparatorName(), items: items}
		return msg
	}
}

// runImport saves the ready rows to the outbox and, unless offline,
// sends them with the rows an earlier run left queued. Progress comes as messages through a channel that the model
// reads one message at a time (nextImport); the channel holds every
// message the run can send, so the run never waits for the model.
func runImport(ctx context.Context, d *engine.Desk, items []trackimport.Item, offline bool) tea.Cmd {
	return func() tea.Msg {
		ch := make(chan tea.Msg, len(items)+2)
		done := importDoneMsg{items: items, offline: offline}
		saved := false
		safe.Go(ctx, func() {
			done.saveErr = trackimport.Save(d, items)
			saved = true
			queued := 0 // saved now, or by an earlier run and not confirmed yet
			for _, it := range items {
				if resend(it) {
					queued++
				}
			}
			if !offline && queued > 0 {
				ch <- importProgressMsg{total: queued, next: ch}
				done.sendErr = trackimport.Send(ctx, d, items, func(settled, total int) {
					select {
					case ch <- importProgressMsg{settled: settled, total: total, next: ch}:
					default: // cannot happen (the buffer holds them all); never block the send
					}
				})
			}
			ch <- done
		}, func(err error) { // done is not sent yet: the buffer has room
			if saved {
				done.sendErr = err
			} else {
				done.saveErr = err
			}
			ch <- done
		})
		return <-ch
	}
}

// nextImport delivers a run's next message; progress that piled up is
// folded into its latest.
func nextImport(ch <-chan tea.Msg) tea.Cmd {
	return func() tea.Msg {
		msg := <-ch
		for {
			if _, ok := msg.(importProgressMsg); !ok {
				return msg
			}
			select {
			case later := <-ch:
				msg = later
			default:
				return msg
			}
		}
	}
}

// exportCmd writes the view's orders as CSV (ui.NewCSVWriter), through a
// temporary file renamed into place, never over an existing file unless
// overwrite.
func exportCmd(path string, v exportView, opt ui.CSVOptions, overwrite bool) tea.Cmd {
	return func() tea.Msg {
		msg := exportMsg{path: path}
		abs, err := expandPath(path)
		if err != nil {
			msg.err = err
			return msg
		}
		msg.path = abs
		rows := v.selected()
		msg.n = len(rows)
		err = writeFileAtomic(abs, overwrite, func(w io.Writer) error {
			c := ui.NewCSVWriter(w, opt)
			n, err := v.eachOrder(rows, c.Write)
			msg.n = n
			if err != nil {
				return err
			}
			return c.Flush()
		})
		msg.exists = errors.Is(err, errFileExists)
		if !msg.exists {
			msg.err = err
		}
		return msg
	}
}

// Files the operator names.

// errFileExists: the export would replace a file; the operator decides.
var errFileExists = errors.New("the file exists")

// expandPath resolves a path as typed: "~" and "~/…" are the home
// directory, a relative path is relative to the working directory of the
// process (for `serve`, the server's).
func expandPath(p string) (string, error) {
	p = strings.TrimSpace(p)
	switch {
	case p == "":
		return "", errors.New("no file named")
	case p == "~" || strings.HasPrefix(p, "~/"):
		home, err := os.UserHomeDir()
		if err != nil {
			return "", fmt.Errorf("cannot expand ~: %w", err)
		}
		p = filepath.Join(home, p[1:])
	case strings.HasPrefix(p, "~"):
		return "", fmt.Errorf("%s: only ~/ is expanded, not ~user", p)
	}
	return filepath.Abs(p)
}

// writeFileAtomic writes a file through a temporary file in the same
// directory, synced, then moved into place: a full disk or a failed write
// leaves no half file and no temporary behind. Without overwrite an
// existing file is never replaced (errFileExists), even one created while
// writing. The file gets mode 0666 minus the process umask, like any file
// a program creates: the operator's umask decides who may read an export
// (os.CreateTemp would make it 0600 whatever the umask says).
func writeFileAtomic(path string, overwrite bool, write func(io.Writer) error) (err error) {
	if fi, err := os.Stat(path); err == nil {
		if fi.IsDir() {
			return fmt.Errorf("%s is a directory", path)
		}
		if !overwrite {
			return errFileExists
		}
	}
	dir := filepath.Dir(path)
	// Created with mode 0666, which the kernel cuts by the umask: reading
	// the umask instead (syscall.Umask) would change it for the whole
	// process for a moment.
	var tmp *os.File
	for range 100 { // a random name taken: try another, as os.CreateTemp does
		name := filepath.Join(dir, "."+filepath.Base(path)+"."+rand.Text()[:12]+".tmp")
		tmp, err = os.OpenFile(name, os.O_RDWR|os.O_CREATE|os.O_EXCL, 0o666)
		if !errors.Is(err, fs.ErrExist) {
			break
		}
	}
	if err != nil {
		return err
	}
	defer func() {
		if err != nil {
			tmp.Close()
			os.Remove(tmp.Name())
		}
	}()
	if err := write(tmp); err != nil {
		return fmt.Errorf("writing %s: %w", path, err)
	}
	if err := tmp.Sync(); err != nil {
		return fmt.Errorf("writing %s: %w", path, err)
	}
	if err := tmp.Close(); err != nil {
		return fmt.Errorf("writing %s: %w", path, err)
	}
	if err := place(tmp.Name(), path, overwrite); err != nil {
		return err
	}
	if d, err := os.Open(dir); err == nil { // the rename itself survives a crash
		d.Sync()
		d.Close()
	}
	return nil
}

// place moves the written temporary file to path. Without overwrite it
// links (which fails on an existing name) rather than renames; where the
// file system has no links, it checks and renames.
func place(tmp, path string, overwrite bool) error {
	if overwrite {
		return os.Rename(tmp, path)
	}
	err := os.Link(tmp, path)
	switch {
	case err == nil:
		os.Remove(tmp) // the file is in place; a stray temporary name is harmless
		return nil
	case errors.Is(err, fs.ErrExist):
		return errFileExists
	}
	if _, err := os.Lstat(path); err == nil {
		return errFileExists
	}
	return os.Rename(tmp, path)
}
