package ui

import (
	"bytes"
	"encoding/csv"
	"testing"
	"time"

	"orderdesk/backend"
)

// csvOrder is one order with a CJK name and two times.
func csvOrder() *backend.Order {
	created := time.Date(2026, 11, 30, 10, 4, 5, 0, time.UTC)
	updated := time.Date(2026, 12, 31, 23, 30, 0, 0, time.UTC) // the next day in Shanghai
	return &backend.Order{
		Ref: backend.Ref{Shop: "cn", Number: "1001"}, Shop: "cn", Number: "1001", Currency: "CNY",
		CreatedAt: &created, UpdatedAt: &updated,
		Customer: backend.Customer{Name: "李娜"},
		Totals:   backend.Totals{GrandTotal: backend.MustAmount("99.5", "CNY")},
	}
}

func writeCSV(t *testing.T, opt CSVOptions, orders ...*backend.Order) []byte {
	t.Helper()
	var buf bytes.Buffer
	w := NewCSVWriter(&buf, opt)
	for _, o := range orders {
		if err := w.Write(o); err != nil {
			t.Fatal(err)
		}
	}
	if err := w.Flush(); err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}

// readCSV parses out (without a byte order mark) into header → value maps.
func readCSV(t *testing.T, out []byte) []map[string]string {
	t.Helper()
	recs, err := csv.NewReader(bytes.NewReader(out)).ReadAll()
	if err != nil {
		t.Fatal(err)
	}
	var rows []map[string]string
	for _, r := range recs[1:] {
		row := map[string]string{}
		for i, h := range recs[0] {
			row[h] = r[i]
		}
		rows = append(rows, row)
	}
	return rows
}

func TestCSVByteOrderMark(t *testing.T) {
	const bom = "\xEF\xBB\xBF"
	with := writeCSV(t, CSVOptions{BOM: true}, csvOrder())
	if !bytes.HasPrefix(with, []byte(bom+"ref,")) {
		t.Errorf("BOM: want the mark then the header, got %q", with[:min(len(with), 12)])
	}
	if bytes.Count(with, []byte(bom)) != 1 {
		t.Error("BOM: the mark must appear once, at the start")
	}
	without := writeCSV(t, CSVOptions{}, csvOrder())
	if !bytes.HasPrefix(without, []byte("ref,")) {
		t.Errorf("no BOM: want the header first, got %q", without[:min(len(without), 12)])
	}
	if !bytes.Equal(with[len(bom):], without) {
		t.Error("the mark must be the only difference")
	}
	if rows := readCSV(t, with[len(bom):]); rows[0]["customer"] != "李娜" {
		t.Errorf("customer = %q, want 李娜 in UTF-8", rows[0]["customer"])
	}
	// An empty export is still a file a spreadsheet opens as UTF-8.
	if empty := writeCSV(t, CSVOptions{BOM: true}); !bytes.HasPrefix(empty, []byte(bom+"ref,")) {
		t.Errorf("empty export with BOM: %q", empty)
	}
}

func TestCSVTimesInZoneWithOffset(t *testing.T) {
	shanghai, err := time.LoadLocation("Asia/Shanghai")
	if err != nil {
		t.Fatal(err)
	}
	for _, tc := range []struct {
		loc              *time.Location
		created, updated string
	}{
		{shanghai, "2026-11-30T18:04:05+08:00", "2027-01-01T07:30:00+08:00"},
		{time.FixedZone("", -(3*3600 + 1800)), "2026-11-30T06:34:05-03:30", "2026-12-31T20:00:00-03:30"},
		{nil, "2026-11-30T10:04:05Z", "2026-12-31T23:30:00Z"}, // nil: UTC, as before
	} {
		row := readCSV(t, writeCSV(t, CSVOptions{Loc: tc.loc}, csvOrder()))[0]
		if row["created_at"] != tc.created || row["updated_at"] != tc.updated {
			t.Errorf("zone %v: created_at %q updated_at %q, want %q %q", tc.loc, row["created_at"], row["updated_at"], tc.created, tc.updated)
		}
		for _, col := range []string{"created_at", "updated_at"} {
			if _, err := time.Parse(time.RFC3339, row[col]); err != nil {
				t.Errorf("zone %v: %s %q is not RFC 3339: %v", tc.loc, col, row[col], err)
			}
		}
	}
	// An order without times leaves the cells empty.
	o := csvOrder()
	o.CreatedAt, o.UpdatedAt = nil, nil
	if row := readCSV(t, writeCSV(t, CSVOptions{Loc: shanghai}, o))[0]; row["created_at"] != "" || row["updated_at"] != "" {
		t.Errorf("no times: %q %q", row["created_at"], row["updated_at"])
	}
}
