package cache

import (
	"bytes"
	"math"
	"testing"
	"time"

	"orderdesk/backend"
)

func TestRowRoundTripEdgeCases(t *testing.T) {
	t.Parallel()
	o := fullOrder("edge", "#1")
	empty := &backend.Order{Ref: backend.Ref{Shop: "e", Number: "1"}, Shop: "e", Number: "1"}
	old := time.Unix(-62135596800, 999999999).UTC() // year 1, last nanosecond of its first second
	far := time.Unix(253402300799, 0).UTC()         // 9999-12-31T23:59:59Z
	odd := fullOrder("edge", "2")
	odd.CreatedAt, odd.UpdatedAt = &old, &far
	odd.Base, odd.ShippingAddress, odd.Items, odd.Shipments, odd.Tags, odd.RawStatus = nil, nil, nil, nil, nil, nil
	for _, want := range []*backend.Order{o, empty, odd} {
		row := encodeRow(nil, want)
		got, err := decodeRow(row)
		if err != nil {
			t.Fatalf("%s: %v", want.Ref, err)
		}
		compareSlim(t, got, want)
		if again := encodeRow(nil, got); !bytes.Equal(again, row) {
			t.Errorf("%s: re-encoding the decoded row differs", want.Ref)
		}
		// Every strict prefix, and any trailing byte, is malformed.
		for n := range len(row) {
			if _, err := decodeRow(row[:n]); err == nil {
				t.Fatalf("%s: prefix of %d/%d bytes decoded", want.Ref, n, len(row))
			}
		}
		if _, err := decodeRow(append(row, 0)); err == nil {
			t.Errorf("%s: trailing byte accepted", want.Ref)
		}
	}
}

func TestRowUnknownFlagRejected(t *testing.T) {
	t.Parallel()
	row := encodeRow(nil, &backend.Order{Number: "1"})
	if row[1] != 0 {
		t.Fatalf("flags of an empty order: %x", row[1])
	}
	if _, err := decodeRow(row); err != nil {
		t.Fatal(err)
	}
	bad := append([]byte{rowVersion, 0x80, 0x04}, row[2:]...) // flag bit 9, unknown
	if _, err := decodeRow(bad); err == nil {
		t.Error("unknown flag accepted")
	}
	row[0] = rowVersion + 1
	if _, err := decodeRow(row); err == nil {
		t.Error("unknown row version accepted")
	}
}

func TestAmountOfEveryScale(t *testing.T) {
	t.Parallel()
	for scale := range 10 {
		for _, coef := range []int64{0, 1, -1, 12345, math.MaxInt64, math.MinInt64} {
			a, ok := amountOf(coef, scale)
			if c, s := a.Minor(); !ok || c != coef || s != scale {
				t.Errorf("amountOf(%d, %d) = %d e-%d (%t)", coef, scale, c, s, ok)
			}
		}
	}
	for _, scale := range []int{-1, 10} {
		if _, ok := amountOf(1, scale); ok {
			t.Errorf("scale %d accepted", scale)
		}
	}
}

// FuzzDecodeRow: arbitrary bytes never panic; a row that decodes
// re-encodes to a row that decodes to the same order.
func FuzzDecodeRow(f *testing.F) {
	f.Add(encodeRow(nil, fullOrder("edge", "#1")))
	f.Add(encodeRow(nil, &backend.Order{}))
	f.Add([]byte{rowVersion})
	f.Add([]byte{rowVersion, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0x7f})
	for _, o := range truthOrders(f, 3) {
		f.Add(encodeRow(nil, o))
	}
	f.Fuzz(func(t *testing.T, b []byte) {
		o, err := decodeRow(b)
		if err != nil {
			if o != nil {
				t.Fatal("order with an error")
			}
			return
		}
		again := encodeRow(nil, o)
		o2, err := decodeRow(again)
		if err != nil {
			t.Fatalf("re-encoded row does not decode: %v", err)
		}
		if !bytes.Equal(encodeRow(nil, o2), again) {
			t.Fatal("decode/encode is not stable")
		}
	})
}
