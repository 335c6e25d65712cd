package cli

import (
	"encoding/json"
	"fmt"
	"io"
	"strings"

	"github.com/charmbracelet/x/ansi"

	"orderdesk/backend/probe"
)

// Doctor is what `orderdesk doctor` found: a report per shop, in config
// order, and the checks of this machine (config file, database, disk).
type Doctor struct {
	Shops []probe.Report
	Local []probe.Check
}

// Failed reports whether any check failed: doctor then exits 1. Warnings
// do not fail it.
func (d Doctor) Failed() bool {
	for _, r := range d.Shops {
		if r.Status() == probe.Fail {
			return true
		}
	}
	return probe.Worst(d.Local) == probe.Fail
}

// marks are the first column of every line.
var marks = map[probe.Status]string{probe.OK: "✓", probe.Warn: "!", probe.Fail: "✗", probe.Skipped: "-"}

// WriteDoctor prints d as a table (a line per shop with its verdict and,
// when it is not healthy, its cause; its checks indented under it; then
// this machine's checks and a summary line) or as JSON.
func WriteDoctor(w io.Writer, d Doctor, format string) error {
	if format == "json" {
		return writeDoctorJSON(w, d)
	}
	nameW, platW := 0, 0
	for _, r := range d.Shops {
		nameW = max(nameW, ansi.StringWidth(r.Shop))
		platW = max(platW, len(r.Platform))
	}
	var failing, warned []string
	for _, r := range d.Shops {
		st := r.Status()
		fmt.Fprintf(w, "%s %s  %s  %s  %s\n", marks[st], pad(r.Shop, nameW), pad(r.Platform, platW), r.URL, verdict(r.Checks))
		writeChecks(w, r.Checks)
		switch st {
		case probe.Fail:
			failing = append(failing, r.Shop)
		case probe.Warn:
			warned = append(warned, r.Shop)
		}
	}
	if len(d.Local) > 0 {
		fmt.Fprintf(w, "%s this machine  %s\n", marks[probe.Worst(d.Local)], verdict(d.Local))
		writeChecks(w, d.Local)
	}
	_, err := fmt.Fprintln(w, summary(d, failing, warned))
	return err
}

// verdict is the word for a set of checks and, when one failed or warns,
// the first line of the first such check's message: the cause, on the
// shop's own line.
func verdict(checks []probe.Check) string {
	c, bad := probe.Cause(checks)
	if !bad {
		return "healthy"
	}
	msg := c.Message()
	if first, _, more := strings.Cut(msg, "\n"); more {
		msg = first + " …"
	}
	if c.Status == probe.Fail {
		return "failing: " + msg
	}
	return "works, with a warning: " + msg
}

func writeChecks(w io.Writer, checks []probe.Check) {
	nameW := 0
	for _, c := range checks {
		nameW = max(nameW, ansi.StringWidth(c.Name))
	}
	for _, c := range checks {
		// A message of several lines (a config file's problems) keeps
		// its lines, indented under the first.
		msg := strings.ReplaceAll(strings.TrimRight(c.Message(), "\n"), "\n", "\n"+strings.Repeat(" ", 6+nameW+2))
		fmt.Fprintf(w, "    %s %s  %s\n", marks[c.Status], pad(c.Name, nameW), msg)
	}
}

func summary(d Doctor, failing, warned []string) string {
	var parts []string
	switch n := len(d.Shops); {
	case n == 0:
		parts = append(parts, "no shop checked")
	case len(failing) > 0:
		parts = append(parts, fmt.Sprintf("%d of %d shops failing (%s)", len(failing), n, strings.Join(failing, ", ")))
	case n == 1:
		parts = append(parts, "the shop works")
	default:
		parts = append(parts, fmt.Sprintf("all %d shops work", n))
	}
	if len(warned) > 0 {
		parts = append(parts, fmt.Sprintf("warnings for %s", strings.Join(warned, ", ")))
	}
	if len(d.Local) > 0 {
		switch probe.Worst(d.Local) {
		case probe.Fail:
			parts = append(parts, "this machine has a problem")
		case probe.Warn:
			parts = append(parts, "this machine has a warning")
		default:
			parts = append(parts, "this machine is fine")
		}
	}
	return strings.Join(parts, "; ")
}

// doctorJSON is the JSON form: ok is false when doctor exits 1.
type doctorJSON struct {
	OK    bool          `json:"ok"`
	Shops []shopJSON    `json:"shops"`
	Local []probe.Check `json:"local"`
}

type shopJSON struct {
	probe.Report
	Status probe.Status `json:"status"`
	Cause  string       `json:"cause,omitempty"` // the first failing (or warning) check's message
}

func writeDoctorJSON(w io.Writer, d Doctor) error {
	out := doctorJSON{OK: !d.Failed(), Shops: []shopJSON{}, Local: d.Local}
	if out.Local == nil {
		out.Local = []probe.Check{}
	}
	for _, r := range d.Shops {
		s := shopJSON{Report: r, Status: r.Status()}
		if c, bad := probe.Cause(r.Checks); bad {
			s.Cause = c.Message()
		}
		out.Shops = append(out.Shops, s)
	}
	enc := json.NewEncoder(w)
	enc.SetIndent("", "  ")
	enc.SetEscapeHTML(false)
	return enc.Encode(out)
}
