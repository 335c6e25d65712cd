package trackimport

import (
	"errors"
	"fmt"
	"strings"
	"testing"

	"golang.org/x/text/encoding/simplifiedchinese"
	"golang.org/x/text/encoding/unicode"
)

func read(t *testing.T, data string) *File {
	t.Helper()
	f, err := Read(strings.NewReader(data))
	if err != nil {
		t.Fatalf("Read: %v\n%q", err, data)
	}
	return f
}

func TestReadHeaderVariants(t *testing.T) {
	t.Parallel()
	for _, head := range []string{
		"order,carrier,tracking",
		"Order,Carrier,Tracking",
		"ORDER NUMBER,Carrier Name,Tracking Number",
		"order_no,courier,tracking_no",
		"订单号,物流公司,运单号",
		"订单号,物流公司,快递单号",
		"订单编号,快递公司,物流单号",
		"ref,carrier,tracking_number", // `orderdesk list --format csv`
		"Order #,Carrier:,Tracking",
	} {
		f := read(t, head+"\nSY1,UPS,1Z999AA10123456784\n")
		if len(f.Rows) != 1 || f.Rows[0] != (Row{Line: 2, Order: "SY1", Carrier: "UPS", Tracking: "1Z999AA10123456784"}) {
			t.Errorf("%q: rows %+v", head, f.Rows)
		}
	}
}

func TestReadOptionalColumnsAnyOrder(t *testing.T) {
	t.Parallel()
	f := read(t, "url,tracking,shop,note,order,carrier\nhttps://x.example/t,T1,ym,fragile,SY1,UPS\n")
	want := Row{Line: 2, Order: "SY1", Carrier: "UPS", Tracking: "T1", URL: "https://x.example/t", Shop: "ym"}
	if len(f.Rows) != 1 || f.Rows[0] != want {
		t.Errorf("rows %+v, want %+v", f.Rows, want)
	}
	if f.Columns["shop"] != "shop" || f.Columns["url"] != "url" {
		t.Errorf("columns %v", f.Columns)
	}
}

func TestReadSeparators(t *testing.T) {
	t.Parallel()
	for sep, name := range map[string]rune{",": ',', ";": ';', "\t": '\t'} {
		data := strings.ReplaceAll("order,carrier,tracking,url\nSY1,China Post,RR123456785CN,\n", ",", sep)
		f := read(t, data)
		if f.Separator != name {
			t.Errorf("%q: separator %q", sep, f.Separator)
		}
		if len(f.Rows) != 1 || f.Rows[0].Carrier != "China Post" || f.Rows[0].Tracking != "RR123456785CN" {
			t.Errorf("%q: rows %+v", sep, f.Rows)
		}
	}
}

func TestReadEncodings(t *testing.T) {
	t.Parallel()
	const text = "订单号,物流公司,运单号\r\nSY1,顺丰速运,SF1234567890123\r\n"
	gb, err := simplifiedchinese.GB18030.NewEncoder().String(text)
	if err != nil {
		t.Fatal(err)
	}
	u16, err := unicode.UTF16(unicode.LittleEndian, unicode.UseBOM).NewEncoder().String(strings.ReplaceAll(text, ",", "\t"))
	if err != nil {
		t.Fatal(err)
	}
	for _, c := range []struct{ name, data, enc string }{
		{"UTF-8", text, "UTF-8"},
		{"BOM", "\xEF\xBB\xBF" + text, "UTF-8 with BOM"},
		{"GB18030", gb, "GB18030"},
		{"UTF-16", u16, "UTF-16"},
	} {
		f := read(t, c.data)
		if f.Encoding != c.enc {
			t.Errorf("%s: encoding %q", c.name, f.Encoding)
		}
		if len(f.Rows) != 1 || f.Rows[0] != (Row{Line: 2, Order: "SY1", Carrier: "顺丰速运", Tracking: "SF1234567890123"}) {
			t.Errorf("%s: rows %+v", c.name, f.Rows)
		}
	}
	if gb == text {
		t.Fatal("the GB18030 sample is plain UTF-8: the test proves nothing")
	}
}

func TestReadQuotesBlankLinesAndLineNumbers(t *testing.T) {
	t.Parallel()
	data := "\r\norder;carrier;tracking;url\r\n\r\n" +
		"SY1;\"Yun Express; Shenzhen\";YT1234567890123456;\"https://t.example/?n=1,2\"\r\n" +
		";;;\r\n" +
		"   \r\n" +
		"\"SY,2\";UPS;1Z999AA10123456784;\r\n"
	f := read(t, data)
	want := []Row{
		{Line: 4, Order: "SY1", Carrier: "Yun Express; Shenzhen", Tracking: "YT1234567890123456", URL: "https://t.example/?n=1,2"},
		{Line: 7, Order: "SY,2", Carrier: "UPS", Tracking: "1Z999AA10123456784"},
	}
	if len(f.Rows) != len(want) {
		t.Fatalf("rows %+v", f.Rows)
	}
	for i := range want {
		if f.Rows[i] != want[i] {
			t.Errorf("row %d: %+v, want %+v", i, f.Rows[i], want[i])
		}
	}
}

func TestReadRefusesWhatItCannotRead(t *testing.T) {
	t.Parallel()
	for _, c := range []struct{ name, data, want string }{
		{"empty", "", "empty"},
		{"blank", "\n\n", "empty"},
		{"no tracking column", "order,carrier,number\nSY1,UPS,1\n", "tracking (tracking or 运单号)"},
		{"no header", "SY1,UPS,1Z999AA10123456784\n", "order (order or 订单号)"},
		{"two order columns", "order,订单号,carrier,tracking\n1,1,UPS,1\n", `two columns mean "order"`},
		{"broken quote", "order,carrier,tracking\nSY1,\"UPS,1\n", "line 2"},
		{"unclosed quote at the start of a row", "order,carrier,tracking\n\"abc\n", "line 2: a quoted field is not closed"},
		{"unclosed quote over lines", "order,carrier,tracking\nSY1,UPS,1\nSY2,\"UPS\n\nSY3,UPS,3\n", "line 3: a quoted field is not closed"},
		{"bare quote", "order,carrier,tracking\nSY1,U\"PS,1\n", `line 2: a " inside an unquoted field`},
		{"not text", "order,carrier,tracking\n\x80\x80,\xff,\n", "neither UTF-8 nor GB18030"},
		{"bad BOM", "\xEF\xBB\xBForder,carrier,tracking\n\xff\n", "not valid UTF-8"},
	} {
		_, err := Read(strings.NewReader(c.data))
		var fe *FormatError
		if !errors.As(err, &fe) || !strings.Contains(err.Error(), c.want) {
			t.Errorf("%s: got %v, want a FormatError containing %q", c.name, err, c.want)
		}
	}
}

func FuzzRead(f *testing.F) {
	f.Add("order,carrier,tracking\nSY1,UPS,1Z999AA10123456784\n")
	f.Add("订单号;物流公司;运单号\r\n\"a;b\";c;d\r\n")
	f.Add("order,carrier,tracking\n\"abc\n") // panicked in FieldPos (issue 14)
	f.Fuzz(func(t *testing.T, data string) {
		file, err := Read(strings.NewReader(data))
		if err != nil {
			var fe *FormatError
			if !errors.As(err, &fe) {
				t.Fatalf("error %T %v is not a FormatError", err, err)
			}
			return
		}
		for _, r := range file.Rows {
			if r.Line < 2 {
				t.Fatalf("row before the header: %+v", r)
			}
		}
	})
}

// TestReadBoundsWhatItReads: a file too large, a line too long or too many
// rows is refused whole (nothing imported), and the message quotes at most
// the start of what it refuses.
func TestReadBoundsWhatItReads(t *testing.T) {
	t.Parallel()
	rows := func(n int) string {
		var b strings.Builder
		b.WriteString("order,carrier,tracking\n")
		for i := range n {
			fmt.Fprintf(&b, "SY%d,UPS,1Z999AA10123456784\n", i)
		}
		return b.String()
	}
	if f := read(t, rows(MaxRows)); len(f.Rows) != MaxRows {
		t.Fatalf("%d rows read, want %d", len(f.Rows), MaxRows)
	}
	for _, c := range []struct{ name, data, want string }{
		{"60 MB header line", strings.Repeat("h", 60<<20) + "\nSY1,UPS,1\n", "larger than 16 MB"},
		{"a line over 64 KB", "order,carrier,tracking\nSY1,UPS,1\nSY2,UPS," + strings.Repeat("9", MaxLine) + "\n", "line 3: the line is longer than 64 KB"},
		{"a header over 64 KB", strings.Repeat("订", MaxLine) + "\n", "line 1: the line is longer"},
		{"too many rows", rows(MaxRows + 1), fmt.Sprintf("line %d: the file has more than %d rows", MaxRows+2, MaxRows)},
		{"a long header naming nothing", strings.Repeat("x", 30<<10) + ",b\n", `it reads "xxxxxxxx`},
	} {
		_, err := Read(strings.NewReader(c.data))
		var fe *FormatError
		if !errors.As(err, &fe) || !strings.Contains(err.Error(), c.want) {
			t.Errorf("%s: got %.300v, want a FormatError containing %q", c.name, err, c.want)
			continue
		}
		if len(err.Error()) > 400 {
			t.Errorf("%s: the message is %d bytes: %.300s…", c.name, len(err.Error()), err)
		}
	}
}
