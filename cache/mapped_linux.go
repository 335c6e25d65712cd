//go:build linux

package cache

import "syscall"

// adviseDontNeed tells the kernel this process no longer needs its
// mapping of [addr, addr+size) of the database file. The mapping is
// shared and read-only (bbolt writes with pwrite), so the pages stay in
// the page cache and the next read faults them back in with the same
// bytes; only this process's resident set shrinks. Advice only: a failure
// changes nothing and is ignored.
func adviseDontNeed(addr uintptr, size int) {
	_, _, _ = syscall.Syscall(syscall.SYS_MADVISE, addr, uintptr(size), syscall.MADV_DONTNEED)
}
