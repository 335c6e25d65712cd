//go:build unix

package cache

import (
	"os"
	"syscall"
)

// noFollow makes an open fail on a symbolic link (ELOOP) and not wait on
// a FIFO.
const noFollow = syscall.O_NOFOLLOW | syscall.O_NONBLOCK

func links(fi os.FileInfo) uint64 {
	if st, ok := fi.Sys().(*syscall.Stat_t); ok {
		return uint64(st.Nlink)
	}
	return 1
}

// unlock drops the flock bbolt took on f: after a panic inside bbolt's
// Open its mapping keeps the file open, so closing f alone would not.
func unlock(f *os.File) { _ = syscall.Flock(int(f.Fd()), syscall.LOCK_UN) }

// alive reports whether a process with this pid exists.
func alive(pid int) bool {
	err := syscall.Kill(pid, 0)
	return err == nil || err == syscall.EPERM
}
