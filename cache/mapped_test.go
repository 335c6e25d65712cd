package cache

import (
	"bufio"
	"fmt"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"

	"orderdesk/backend"
	"orderdesk/backend/storage"
)

// rssFile is this process's resident file-backed memory (bytes), from
// /proc/self/status; ok false where there is none.
func rssFile(t *testing.T) (int64, bool) {
	f, err := os.Open("/proc/self/status")
	if err != nil {
		return 0, false
	}
	defer f.Close()
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		if v, ok := strings.CutPrefix(sc.Text(), "RssFile:"); ok {
			kb, err := strconv.ParseInt(strings.TrimSpace(strings.TrimSuffix(strings.TrimSpace(v), "kB")), 10, 64)
			if err != nil {
				t.Fatal(err)
			}
			return kb << 10, true
		}
	}
	return 0, false
}

// TestScanDropsReadPages: a full scan does not keep the file's pages it
// has read resident. Without dropMapped the resident file pages grow by
// about the size of the orders read (the whole file); with a drop every
// 100 rows they stay within a few hundred orders' worth. Not parallel:
// the files other tests read would count in the process's figure.
func TestScanDropsReadPages(t *testing.T) {
	if _, ok := rssFile(t); !ok {
		t.Skip("no /proc/self/status RssFile here")
	}
	path := filepath.Join(t.TempDir(), "orderdesk.db")
	s, err := Open(path, Options{})
	if err != nil {
		t.Fatal(err)
	}
	var orders []*backend.Order
	for i := range 1500 {
		o := fullOrder("a", fmt.Sprint(i))
		o.Raw = nil
		o.BuyerNote = strings.Repeat("note ", 200) // 1 KB: pages add up quickly
		orders = append(orders, o)
	}
	if err := Fill(s, orders, 500); err != nil {
		t.Fatal(err)
	}
	if err := s.Close(); err != nil {
		t.Fatal(err)
	}
	if s, err = Open(path, Options{}); err != nil { // a fresh mapping
		t.Fatal(err)
	}
	defer s.Close()
	s.dropRows, s.dropBytes = 100, 0
	fi, err := os.Stat(path)
	if err != nil {
		t.Fatal(err)
	}
	base, _ := rssFile(t)
	peak, n := base, 0
	err = s.Scan(storage.ScanQuery{Full: true}, func(o *backend.Order, doc []byte) error {
		if n++; n%100 == 0 {
			if r, _ := rssFile(t); r > peak {
				peak = r
			}
		}
		return nil
	})
	if err != nil || n != len(orders) {
		t.Fatalf("scanned %d orders, err %v", n, err)
	}
	if grew := peak - base; grew > fi.Size()/4 {
		t.Errorf("resident file pages grew by %d KB during a scan of a %d KB file, want under a quarter",
			grew>>10, fi.Size()>>10)
	}
}
