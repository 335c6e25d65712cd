package cache

import (
	"encoding/binary"
	"errors"
	"fmt"
	"hash/fnv"
	"io"
	"os"
)

// pageFile reads the pages of a bbolt file without trusting them, for
// salvage. It uses bbolt's documented on-disk layout (facts, not its code):
//
//   - every page starts with a 16-byte header: id uint64, flags uint16
//     (branch 0x01, leaf 0x02, meta 0x04, freelist 0x10), count uint16,
//     overflow uint32 (the page spans 1+overflow pages);
//   - pages 0 and 1 are meta pages: after the header, magic uint32
//     (0xED0CDAED), version uint32 (2), page size uint32, flags uint32,
//     the root bucket (root pgid uint64, sequence uint64), freelist pgid,
//     high-water pgid, txid (uint64 each) and an FNV-64a checksum of the
//     56 bytes before it; the valid one with the higher txid is current;
//   - a branch page holds count elements of 16 bytes (pos uint32, ksize
//     uint32, child pgid uint64), a leaf page count elements of 16 bytes
//     (flags uint32, pos uint32, ksize uint32, vsize uint32); pos counts
//     from the element's own start, the key is followed by the value;
//   - a leaf element with flag 0x01 is a bucket: its value is the
//     bucket's root pgid and sequence, and when the root is 0 the bucket's
//     only page follows inline in the value;
//   - integers are in the machine's byte order.
//
// Every offset is checked against the bytes read; a page that does not
// hold is skipped, never trusted.
type pageFile struct {
	r        io.ReaderAt
	size     int64
	pageSize int64
	metas    []metaPage // the valid meta pages, newest first
}

type metaPage struct {
	root, seq, freelist, hwm, txid uint64
}

const (
	pageHeader    = 16
	elemSize      = 16
	flagBranch    = 0x01
	flagLeaf      = 0x02
	flagBucket    = 0x01
	boltMagic     = 0xED0CDAED
	boltVersion   = 2
	maxTreeDepth  = 64
	maxPageBytes  = 1 << 30 // a page with its overflow larger than this is not believed
	metaSumOffset = 56
)

var order = binary.NativeEndian

func openPageFile(f *os.File) (*pageFile, error) {
	fi, err := f.Stat()
	if err != nil {
		return nil, err
	}
	pf := &pageFile{r: f, size: fi.Size(), pageSize: int64(os.Getpagesize())}
	// Page 0 says the page size; when it is unreadable, page 1 is looked
	// for at every power-of-two size from 1 KiB.
	var cands []int64
	for sz := int64(1024); sz <= 1<<24 && sz < pf.size; sz <<= 1 {
		cands = append(cands, sz)
	}
	if m, ps, ok := pf.readMeta(0); ok {
		pf.pageSize, cands = ps, []int64{ps}
		pf.metas = append(pf.metas, m)
	}
	for _, ps := range cands {
		if m, got, ok := pf.readMeta(ps); ok && got == ps {
			pf.pageSize = ps
			pf.metas = append(pf.metas, m)
			break
		}
	}
	if len(pf.metas) == 2 && pf.metas[1].txid > pf.metas[0].txid {
		pf.metas[0], pf.metas[1] = pf.metas[1], pf.metas[0]
	}
	return pf, nil
}

// readMeta reads and checks the meta page at off.
func (pf *pageFile) readMeta(off int64) (metaPage, int64, bool) {
	var b [pageHeader + 64]byte
	if _, err := pf.r.ReadAt(b[:], off); err != nil {
		return metaPage{}, 0, false
	}
	m := b[pageHeader:]
	h := fnv.New64a()
	h.Write(m[:metaSumOffset])
	ps := int64(order.Uint32(m[8:]))
	if order.Uint32(m[0:]) != boltMagic || order.Uint32(m[4:]) != boltVersion ||
		order.Uint64(m[metaSumOffset:]) != h.Sum64() || ps < 512 || ps > 1<<24 {
		return metaPage{}, 0, false
	}
	return metaPage{root: order.Uint64(m[16:]), seq: order.Uint64(m[24:]), freelist: order.Uint64(m[32:]),
		hwm: order.Uint64(m[40:]), txid: order.Uint64(m[48:])}, ps, true
}

// pages is how many pages the file holds, counting a last page the end
// of the file cuts short: page reads the elements before the cut.
func (pf *pageFile) pages() uint64 { return uint64((pf.size + pf.pageSize - 1) / pf.pageSize) }

// page reads page id with its overflow pages, checking its header.
func (pf *pageFile) page(id uint64) (*page, error) {
	if id < 2 || id >= pf.pages() {
		return nil, fmt.Errorf("page %d: outside the file", id)
	}
	var h [pageHeader]byte
	off := int64(id) * pf.pageSize
	if _, err := pf.r.ReadAt(h[:], off); err != nil {
		return nil, fmt.Errorf("page %d: %w", id, err)
	}
	over := uint64(order.Uint32(h[12:]))
	n := (over + 1) * uint64(pf.pageSize)
	if n > maxPageBytes {
		return nil, fmt.Errorf("page %d: %d overflow pages", id, over)
	}
	// A page cut by the end of the file keeps the elements before the cut.
	n = min(n, uint64(pf.size-off))
	buf := make([]byte, n)
	if _, err := pf.r.ReadAt(buf, off); err != nil {
		return nil, fmt.Errorf("page %d: %w", id, err)
	}
	p, err := parsePage(buf, id, true)
	if err == nil {
		p.over = over
	}
	return p, err
}

// page is one parsed page: its elements, bounds-checked.
type page struct {
	id    uint64
	flags uint16
	over  uint64 // overflow pages after it
	// badElems counts elements whose key or value reach past the page
	// (skipped; the others are kept).
	badElems int
	leaves   []leafElem
	kids     []branchElem
}

type leafElem struct {
	bucket   bool
	key, val []byte
}

type branchElem struct {
	key   []byte
	child uint64
}

// parsePage parses a page held in buf (an inline page when checkID is
// false: its id is 0).
func parsePage(buf []byte, id uint64, checkID bool) (*page, error) {
	if len(buf) < pageHeader {
		return nil, fmt.Errorf("page %d: %d bytes", id, len(buf))
	}
	p := &page{id: order.Uint64(buf), flags: order.Uint16(buf[8:])}
	count := int(order.Uint16(buf[10:]))
	switch {
	case checkID && p.id != id:
		return nil, fmt.Errorf("page %d: its header says page %d", id, p.id)
	case p.flags != flagBranch && p.flags != flagLeaf:
		return nil, fmt.Errorf("page %d: neither branch nor leaf (flags %#x)", id, p.flags)
	case pageHeader+count*elemSize > len(buf):
		return nil, fmt.Errorf("page %d: %d elements do not fit", id, count)
	}
	for i := range count {
		at := pageHeader + i*elemSize
		e := buf[at : at+elemSize]
		if p.flags == flagBranch {
			k, ok := span(buf, at, order.Uint32(e[0:]), order.Uint32(e[4:]), 0)
			if !ok {
				p.badElems++
				continue
			}
			p.kids = append(p.kids, branchElem{key: k, child: order.Uint64(e[8:])})
			continue
		}
		kv, ok := span(buf, at, order.Uint32(e[4:]), order.Uint32(e[8:]), order.Uint32(e[12:]))
		if !ok {
			p.badElems++
			continue
		}
		ks := order.Uint32(e[8:])
		p.leaves = append(p.leaves, leafElem{bucket: order.Uint32(e[0:])&flagBucket != 0, key: kv[:ks], val: kv[ks:]})
	}
	return p, nil
}

// span returns the ksize+vsize bytes at pos from the element at at, or
// false when they reach past the page.
func span(buf []byte, at int, pos, ksize, vsize uint32) ([]byte, bool) {
	start := uint64(at) + uint64(pos)
	end := start + uint64(ksize) + uint64(vsize)
	if end > uint64(len(buf)) {
		return nil, false
	}
	return buf[start:end], true
}

// bucketRoot reads a bucket value: its root page, or its inline page.
func bucketRoot(v []byte) (root, seq uint64, inline *page, err error) {
	if len(v) < 16 {
		return 0, 0, nil, errors.New("bucket header too short")
	}
	root, seq = order.Uint64(v), order.Uint64(v[8:])
	if root == 0 {
		inline, err = parsePage(v[16:], 0, false)
	}
	return root, seq, inline, err
}

// tree walks a B+tree of pages; seen holds every page it visited, so a
// page referenced twice (or in a cycle) is read once.
type tree struct {
	pf   *pageFile
	seen map[uint64]bool
	bad  []error // pages skipped with their subtrees
	// badElems counts the elements skipped on the pages read.
	badElems int
}

// walk calls fn for every leaf element under the page id (or inline page).
func (t *tree) walk(id uint64, inline *page, depth int, fn func(e leafElem)) {
	p := inline
	if p == nil {
		if t.seen[id] {
			t.bad = append(t.bad, fmt.Errorf("page %d: referenced twice", id))
			return
		}
		t.seen[id] = true
		var err error
		if p, err = t.pf.page(id); err != nil {
			t.bad = append(t.bad, err)
			return
		}
		for i := uint64(1); i <= p.over; i++ {
			t.seen[id+i] = true
		}
	}
	if depth > maxTreeDepth {
		t.bad = append(t.bad, fmt.Errorf("page %d: tree deeper than %d", id, maxTreeDepth))
		return
	}
	t.badElems += p.badElems
	for _, e := range p.leaves {
		fn(e)
	}
	for _, k := range p.kids {
		t.walk(k.child, nil, depth+1, fn)
	}
}
