// Package trackimport turns a carrier's or warehouse's spreadsheet of tracking
// numbers into shipments on the desk: it reads the file (any of the
// encodings and separators spreadsheets export), checks every row against
// the cache before anything is sent (Plan), and saves the accepted rows as
// outbox edits (Apply). Sending is the outbox's job (engine.Desk.Send), so an
// import that meets an offline shop leaves its rows queued, not lost.
package trackimport

import (
	"bytes"
	"encoding/csv"
	"errors"
	"fmt"
	"io"
	"strings"
	"unicode/utf8"

	"golang.org/x/text/encoding/simplifiedchinese"
	"golang.org/x/text/encoding/unicode"

	"orderdesk/backend"
)

// Row is one data row of the file, with its values by role.
type Row struct {
	Line     int // line number in the file, 1-based, for messages
	Order    string
	Carrier  string
	Tracking string
	URL      string
	Shop     string
}

// File is what Read found in a file.
type File struct {
	Encoding  string // "UTF-8", "UTF-8 with BOM", "GB18030", "UTF-16"
	Separator rune
	Columns   map[string]string // role → the header as written
	Rows      []Row
}

// SeparatorName names the separator for people: comma, semicolon or tab.
func (f *File) SeparatorName() string {
	switch f.Separator {
	case '\t':
		return "tab"
	case ';':
		return "semicolon"
	}
	return "comma"
}

// FormatError is a file the importer cannot read: wrong encoding, no
// header it recognises, a broken quote. Nothing is imported from it.
type FormatError struct {
	Line int // 0 when not about one line
	Msg  string
}

func (e *FormatError) Error() string {
	if e.Line > 0 {
		return fmt.Sprintf("line %d: %s", e.Line, e.Msg)
	}
	return e.Msg
}

// roles lists, for each column role, the header names that mean it,
// compared after headerKey. "ref" and "tracking_number" are the headers
// of `orderdesk list --format csv`, so an exported file reads back.
var roles = []struct {
	role     string
	required bool
	names    []string
}{
	{"order", true, []string{"order", "ordernumber", "orderno", "orderid", "ref", "订单号", "订单编号", "订单"}},
	{"carrier", true, []string{"carrier", "carriername", "courier", "物流公司", "快递公司", "承运商"}},
	{"tracking", true, []string{"tracking", "trackingnumber", "trackingno", "运单号", "快递单号", "物流单号"}},
	{"url", false, []string{"url", "trackingurl", "跟踪链接", "查询链接"}},
	{"shop", false, []string{"shop", "store", "店铺"}},
}

// headerKey folds a header for comparison: case, spaces, '_', '-', '#'
// and a trailing ':' or '：' do not count.
func headerKey(h string) string {
	h = strings.ToLower(strings.TrimSpace(h))
	h = strings.TrimRight(h, ":：")
	return strings.Map(func(r rune) rune {
		switch r {
		case ' ', '_', '-', '#', '.', '\u3000':
			return -1
		}
		return r
	}, h)
}

// Bounds of what Read accepts, so a file (or a mistake: a database dump, a
// 60 MB line) is read in bounded memory and refused whole, nothing
// imported. A day's tracking file is far smaller: 20,000 rows of
// `list --format csv` are about 8 MB.
const (
	MaxFile = 16 << 20 // bytes
	MaxRows = 20000    // data rows
	MaxLine = 64 << 10 // bytes of one line
)

// Read reads a tracking file: UTF-8 (with or without BOM), UTF-16 with a
// BOM, or GB18030 (what spreadsheets save on Chinese Windows), detected
// from the bytes; comma, semicolon or tab separated, detected from the
// header; CRLF or LF line ends; quoted fields; blank lines skipped.
func Read(r io.Reader) (*File, error) {
	raw, err := io.ReadAll(io.LimitReader(r, MaxFile+1))
	if err != nil {
		return nil, err
	}
	if len(raw) > MaxFile {
		return nil, &FormatError{Msg: fmt.Sprintf("the file is larger than %d MB; split it into files of at most %d rows", MaxFile>>20, MaxRows)}
	}
	text, enc, err := decode(raw)
	if err != nil {
		return nil, err
	}
	raw = nil // the text is all Read needs from here on
	if n := longLine(text); n > 0 {
		return nil, &FormatError{Line: n, Msg: fmt.Sprintf("the line is longer than %d KB: this is not a tracking file", MaxLine>>10)}
	}
	sep, cols, err := header(text)
	if err != nil {
		return nil, err
	}
	f := &File{Encoding: enc, Separator: sep, Columns: map[string]string{}}
	cr := csv.NewReader(strings.NewReader(text))
	cr.Comma = sep
	cr.FieldsPerRecord = -1
	cr.TrimLeadingSpace = true
	head := true
	for {
		rec, err := cr.Read()
		if err == io.EOF {
			break
		}
		if err != nil {
			return nil, parseError(err)
		}
		line, _ := cr.FieldPos(0) // only after a record was read: FieldPos panics after an error
		if head {
			for role, i := range cols {
				f.Columns[role] = strings.TrimSpace(rec[i])
			}
			head = false
			continue
		}
		if blank(rec) {
			continue
		}
		if len(f.Rows) == MaxRows {
			return nil, &FormatError{Line: line, Msg: fmt.Sprintf("the file has more than %d rows; split it into files of at most %d rows", MaxRows, MaxRows)}
		}
		cell := func(role string) string {
			if i, ok := cols[role]; ok && i < len(rec) {
				return strings.TrimSpace(rec[i])
			}
			return ""
		}
		f.Rows = append(f.Rows, Row{Line: line, Order: cell("order"), Carrier: cell("carrier"),
			Tracking: cell("tracking"), URL: cell("url"), Shop: cell("shop")})
	}
	return f, nil
}

// parseError says in words what encoding/csv could not parse, at the line
// where the broken record starts.
func parseError(err error) error {
	var pe *csv.ParseError
	if !errors.As(err, &pe) {
		return err
	}
	msg := pe.Err.Error()
	switch {
	case errors.Is(pe.Err, csv.ErrQuote):
		msg = `a quoted field is not closed, or has a stray " inside (write "" for a quote within a field)`
	case errors.Is(pe.Err, csv.ErrBareQuote):
		msg = `a " inside an unquoted field (quote the field and write "" for the quote)`
	}
	return &FormatError{Line: pe.StartLine, Msg: msg}
}

// decode returns the file as UTF-8 text and names the encoding it was in.
func decode(raw []byte) (string, string, error) {
	switch {
	case bytes.HasPrefix(raw, []byte{0xEF, 0xBB, 0xBF}):
		raw = raw[3:]
		if !utf8.Valid(raw) {
			return "", "", &FormatError{Msg: "the file starts with a UTF-8 byte order mark but is not valid UTF-8"}
		}
		return string(raw), "UTF-8 with BOM", nil
	case bytes.HasPrefix(raw, []byte{0xFF, 0xFE}), bytes.HasPrefix(raw, []byte{0xFE, 0xFF}):
		// Excel's "Unicode text" export: UTF-16 with a BOM, tab separated
		b, err := unicode.UTF16(unicode.LittleEndian, unicode.ExpectBOM).NewDecoder().Bytes(raw)
		if err != nil {
			return "", "", &FormatError{Msg: "the file starts like UTF-16 but cannot be decoded: " + err.Error()}
		}
		return string(b), "UTF-16", nil
	case utf8.Valid(raw):
		return string(raw), "UTF-8", nil
	}
	b, err := simplifiedchinese.GB18030.NewDecoder().Bytes(raw)
	if err != nil || !utf8.Valid(b) || bytes.ContainsRune(b, utf8.RuneError) {
		return "", "", &FormatError{Msg: "the file is neither UTF-8 nor GB18030; save it from the spreadsheet as \"CSV UTF-8\""}
	}
	return string(b), "GB18030", nil
}

// header finds the separator and the column of each role from the first
// non-blank line: the separator is the one (of comma, semicolon, tab) that
// splits it into headers naming the required roles.
func header(text string) (rune, map[string]int, error) {
	first := firstLine(text)
	if first == "" {
		return 0, nil, &FormatError{Msg: "the file is empty"}
	}
	var best map[string]int
	var bestErr error
	for _, sep := range []rune{',', ';', '\t'} {
		cr := csv.NewReader(strings.NewReader(first))
		cr.Comma = sep
		cr.FieldsPerRecord = -1
		cr.LazyQuotes = true
		rec, err := cr.Read()
		if err != nil {
			continue
		}
		cols, err := columns(rec)
		if err == nil {
			return sep, cols, nil
		}
		if best == nil || len(cols) > len(best) {
			best, bestErr = cols, err
		}
	}
	if bestErr == nil {
		bestErr = &FormatError{Line: 1, Msg: "no header line"}
	}
	return 0, nil, bestErr
}

// columns maps roles to column indexes, or says which required ones are
// missing (or doubled) and what the header holds.
func columns(rec []string) (map[string]int, error) {
	cols := map[string]int{}
	for _, r := range roles {
		for i, h := range rec {
			k := headerKey(h)
			for _, n := range r.names {
				if k != headerKey(n) {
					continue
				}
				if j, dup := cols[r.role]; dup && j != i {
					return cols, &FormatError{Line: 1, Msg: fmt.Sprintf("two columns mean %q: %s and %s; keep one", r.role, backend.Quote(strings.TrimSpace(rec[j])), backend.Quote(strings.TrimSpace(h)))}
				}
				cols[r.role] = i
			}
		}
	}
	var missing []string
	for _, r := range roles {
		if _, ok := cols[r.role]; r.required && !ok {
			missing = append(missing, fmt.Sprintf("%s (%s or %s)", r.role, r.names[0], firstCJK(r.names)))
		}
	}
	if len(missing) > 0 {
		return cols, &FormatError{Line: 1, Msg: fmt.Sprintf("the header has no column for %s; it reads %s",
			strings.Join(missing, ", "), backend.Quote(strings.Join(rec, " | ")))}
	}
	return cols, nil
}

func firstCJK(names []string) string {
	for _, n := range names {
		if n != "" && n[0] >= 0x80 {
			return n
		}
	}
	return ""
}

func firstLine(text string) string {
	for l := range strings.Lines(text) {
		if t := strings.TrimRight(l, "\r\n"); strings.TrimSpace(t) != "" {
			return t
		}
	}
	return ""
}

// longLine returns the number of the first line longer than MaxLine, or 0.
func longLine(text string) int {
	n := 0
	for l := range strings.Lines(text) {
		n++
		if len(l) > MaxLine {
			return n
		}
	}
	return 0
}

func blank(rec []string) bool {
	for _, c := range rec {
		if strings.TrimSpace(c) != "" {
			return false
		}
	}
	return true
}
