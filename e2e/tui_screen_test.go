package e2e

import (
	"fmt"
	"regexp"
	"strconv"
	"strings"
	"unicode/utf8"
)

// The screen of the desk as the tmux tests read it (tmux capture-pane):
// rows, the status bar, the detail pane.

// screen is one capture of the pane, a string per row.
type screen []string

func (s screen) String() string {
	var b strings.Builder
	for i, l := range s {
		fmt.Fprintf(&b, "%2d|%s\n", i, l)
	}
	return b.String()
}

func (s screen) has(text string) bool {
	for _, l := range s {
		if strings.Contains(l, text) {
			return true
		}
	}
	return false
}

func (s screen) line(i int) string {
	if i < len(s) {
		return s[i]
	}
	return ""
}

// status is the index of the status bar (its first row starts with the
// first shop's dot, or with "⊘ offline"), or len(s).
func (s screen) status() int {
	for i, l := range s {
		l = strings.TrimSpace(l)
		if strings.HasPrefix(l, "●") || strings.HasPrefix(l, "○") || strings.HasPrefix(l, "⊘") {
			return i
		}
	}
	return len(s)
}

var shownCount = regexp.MustCompile(`(\d+)/(\d+) orders\s*$`)

// shown is the status bar's "N/M orders".
func (s screen) shown() (n, all int, ok bool) {
	m := shownCount.FindStringSubmatch(s.line(s.status()))
	if m == nil {
		return 0, 0, false
	}
	n, _ = strconv.Atoi(m[1])
	all, _ = strconv.Atoi(m[2])
	return n, all, true
}

// header is the index of the list's column header, or -1.
func (s screen) header() int {
	for i, l := range s {
		if f := strings.Fields(l); len(f) > 2 && f[0] == "SHOP" && f[1] == "NUMBER" {
			return i
		}
	}
	return -1
}

func (s screen) hasList() bool { return s.header() >= 0 }

// row is one order row of the list.
type row struct {
	marker, shop, number string
	fields               []string
}

func (r row) has(field string) bool {
	for _, f := range r.fields {
		if f == field {
			return true
		}
	}
	return false
}

// rows are the order rows between the column header and the status bar,
// cut at the border of a detail pane beside them.
func (s screen) rows() []row {
	h := s.header()
	if h < 0 {
		return nil
	}
	var out []row
	for _, l := range s[h+1 : s.status()] {
		l, _, _ = strings.Cut(l, "│")
		if strings.HasPrefix(l, "─") {
			break // the detail pane below the list
		}
		f := strings.Fields(l)
		r := row{fields: f}
		if len(f) > 0 && utf8.RuneCountInString(f[0]) == 1 {
			r.marker, f = f[0], f[1:]
		}
		if len(f) < 2 {
			continue
		}
		r.shop, r.number = f[0], f[1]
		out = append(out, r)
	}
	return out
}

// onlyShop: there are rows and all are of the shop.
func (s screen) onlyShop(shop string) bool {
	rows := s.rows()
	for _, r := range rows {
		if r.shop != shop {
			return false
		}
	}
	return len(rows) > 0
}

var refLine = regexp.MustCompile(`(?:^|│)Ref\s+(\S+:\S+)`)

// detailRef is the order the detail pane shows ("Ref  shop:number"), or "".
func (s screen) detailRef() string {
	for _, l := range s[:s.status()] {
		if m := refLine.FindStringSubmatch(l); m != nil {
			return m[1]
		}
	}
	return ""
}

// sectionHas: the detail's section heading (title then a rule) is on the
// screen and one of the three rows below it, above the status bar, has
// every text.
func (s screen) sectionHas(title string, texts ...string) bool {
	end := s.status()
	for i := 0; i < end; i++ {
		if !strings.Contains(s[i], title+" ─") {
			continue
		}
		for _, l := range s[i+1 : min(i+4, end)] {
			all := true
			for _, t := range texts {
				all = all && strings.Contains(l, t)
			}
			if all {
				return true
			}
		}
	}
	return false
}
