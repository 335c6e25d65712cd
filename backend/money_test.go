package backend

import (
	"encoding/json"
	"errors"
	"testing"
)

func TestParseAmountNormalisesToMinorUnits(t *testing.T) {
	cases := []struct{ in, cur, want string }{
		{"12.9300", "USD", "12.93"},
		{"12.9", "USD", "12.90"},
		{"1200.00", "JPY", "1200"},
		{"1200", "JPY", "1200"},
		{"0.125", "USD", "0.125"}, // extra non-zero digits are kept, never rounded away
		{"", "EUR", "0.00"},
		{"-3.5", "GBP", "-3.50"},
		{"+7", "USD", "7.00"},
		{"1.2345", "KWD", "1.2345"},
		{"1.2", "KWD", "1.200"},
		{"0.05", "usd", "0.05"},
		{".5", "USD", "0.50"},
		{"111000.00", "XXX", "111000.00"}, // unknown currency: 2 decimals
	}
	for _, c := range cases {
		a, err := ParseAmount(c.in, c.cur)
		if err != nil {
			t.Fatalf("ParseAmount(%q, %s): %v", c.in, c.cur, err)
		}
		if got := a.String(); got != c.want {
			t.Errorf("ParseAmount(%q, %s) = %s, want %s", c.in, c.cur, got, c.want)
		}
	}
}

func TestParseAmountRejectsNonDecimals(t *testing.T) {
	for _, in := range []string{"abc", "1,5", "1.2.3", "-", ".", "1e5", "NaN", "99999999999999999999", "0.0000000001", "9223372036854775807", "-922337203685477580.8"} {
		if _, err := ParseAmount(in, "USD"); !errors.Is(err, ErrAmount) {
			t.Errorf("ParseAmount(%q) error = %v, want ErrAmount", in, err)
		}
	}
}

func TestAmountArithmetic(t *testing.T) {
	a := MustAmount("12.93", "USD")
	b := MustAmount("0.125", "USD")
	if got := a.Add(b).String(); got != "13.055" {
		t.Errorf("Add = %s", got)
	}
	if got := a.Sub(MustAmount("2.93", "USD")).String(); got != "10.00" {
		t.Errorf("Sub = %s", got)
	}
	if got := MustAmount("1.80", "USD").MulInt(3).String(); got != "5.40" {
		t.Errorf("MulInt = %s", got)
	}
	if a.Cmp(MustAmount("12.930", "USD")) != 0 || a.Cmp(b) != 1 || b.Cmp(a) != -1 {
		t.Errorf("Cmp wrong")
	}
	if got := MustAmount("12.93", "USD").Fixed(4); got != "12.9300" {
		t.Errorf("Fixed(4) = %s", got)
	}
	if got := AmountFromMinor(120050, "JPY").String(); got != "120050" {
		t.Errorf("AmountFromMinor JPY = %s", got)
	}
	if got := AmountFromMinor(-5, "USD").String(); got != "-0.05" {
		t.Errorf("AmountFromMinor(-5) = %s", got)
	}
}

func TestAmountJSONRoundTrip(t *testing.T) {
	in := struct {
		A Amount `json:"a"`
		B Amount `json:"b"`
		C Amount `json:"c"`
	}{MustAmount("12.90", "USD"), MustAmount("1200", "JPY"), MustAmount("0.125", "USD")}
	b, err := json.Marshal(in)
	if err != nil {
		t.Fatal(err)
	}
	if string(b) != `{"a":"12.90","b":"1200","c":"0.125"}` {
		t.Fatalf("marshal = %s", b)
	}
	var out = in
	out.A, out.B, out.C = Amount{}, Amount{}, Amount{}
	if err := json.Unmarshal(b, &out); err != nil {
		t.Fatal(err)
	}
	if out != in {
		t.Errorf("round trip = %+v, want %+v", out, in)
	}
	if err := json.Unmarshal([]byte(`{"a":"12,5"}`), &out); err == nil {
		t.Error("a comma decimal must not decode")
	}
}

func TestParseDecimalKeepsTheWrittenValue(t *testing.T) {
	for in, want := range map[string]string{"12.90": "12.9", "111000.00": "111000", "-3.5": "-3.5", "0.125": "0.125", "": "0", "7": "7"} {
		if got, err := ParseDecimal(in); err != nil || got.String() != want {
			t.Errorf("ParseDecimal(%q) = %s, %v; want %s", in, got, err, want)
		}
	}
	for _, bad := range []string{"12,5", "abc", "1.2.3", "."} {
		if _, err := ParseDecimal(bad); !errors.Is(err, ErrAmount) {
			t.Errorf("ParseDecimal(%q) err = %v, want ErrAmount", bad, err)
		}
	}
}
