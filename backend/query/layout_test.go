package query

import (
	"testing"
	"unsafe"
)

// The Doc's layout is what makes a pass of Match over a million Docs
// read one cache line per Doc for most terms (see Doc): a field added in
// the wrong place, or a Doc no longer a whole number of lines, fails here.
func TestDocLayoutKeepsTermsOnTheirCacheLines(t *testing.T) {
	t.Parallel()
	var d Doc
	if size := unsafe.Sizeof(d); size%64 != 0 || size > 320 {
		t.Errorf("a Doc is %d bytes, want a multiple of 64, at most 320", size)
	}
	for _, f := range []struct {
		name       string
		off, width uintptr
		line       uintptr
	}{
		{"exact", unsafe.Offsetof(d.exact), unsafe.Sizeof(d.exact), 0},
		{"countryNameK", unsafe.Offsetof(d.countryNameK), unsafe.Sizeof(d.countryNameK), 0},
		{"fulBit", unsafe.Offsetof(d.fulBit), unsafe.Sizeof(d.fulBit), 0},
		{"intlAt", unsafe.Offsetof(d.intlAt), unsafe.Sizeof(d.intlAt), 0},
		{"textBytes", unsafe.Offsetof(d.textBytes), unsafe.Sizeof(d.textBytes), 1},
		{"textGrams", unsafe.Offsetof(d.textGrams), unsafe.Sizeof(d.textGrams), 1},
		{"created", unsafe.Offsetof(d.created), unsafe.Sizeof(d.created), 2},
		{"total", unsafe.Offsetof(d.total), unsafe.Sizeof(d.total), 2},
		{"phonePairs", unsafe.Offsetof(d.phonePairs), unsafe.Sizeof(d.phonePairs), 2},
	} {
		if f.off/64 != f.line || (f.off+f.width-1)/64 != f.line {
			t.Errorf("%s is at bytes %d–%d, want it within cache line %d", f.name, f.off, f.off+f.width-1, f.line)
		}
	}
}
