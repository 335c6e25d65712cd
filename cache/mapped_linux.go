//go:build linux

package cache

import (
	"bytes"
	"os"
	"strconv"
	"syscall"
)

// adviseDontNeed tells the kernel this process no longer needs its
// mapping of [addr, addr+size) of the database file. The mapping is
// shared and read-only (bbolt writes with pwrite), so the pages stay in
// the page cache and the next read faults them back in with the same
// bytes; only this process's resident set shrinks. Advice only: a failure
// changes nothing and is ignored.
func adviseDontNeed(addr uintptr, size int) {
	_, _, _ = syscall.Syscall(syscall.SYS_MADVISE, addr, uintptr(size), syscall.MADV_DONTNEED)
}

// residentShared is how many bytes of file-backed (and shared) memory this
// process has resident, from /proc/self/statm; ok false when unreadable.
func residentShared() (int64, bool) {
	b, err := os.ReadFile("/proc/self/statm")
	if err != nil {
		return 0, false
	}
	f := bytes.Fields(b)
	if len(f) < 3 {
		return 0, false
	}
	pages, err := strconv.ParseInt(string(f[2]), 10, 64)
	if err != nil {
		return 0, false
	}
	return pages * int64(os.Getpagesize()), true
}
