package cache

import (
	"io"
	"os"
	"strconv"
	"strings"
)

// The pid sidecar "<path>.pid" names the process holding the database. It
// sits beside a file others may be able to write near, so it is opened
// without following a symbolic link and without blocking (a FIFO), and
// only a regular file with one link is read or written: a link planted
// there never leads the desk to overwrite or read another file.

// writePID writes this process's pid to the sidecar, best effort.
func writePID(path string) {
	f, err := os.OpenFile(path, os.O_WRONLY|os.O_CREATE|noFollow, 0o600)
	if err != nil {
		return
	}
	defer f.Close()
	if !plainFile(f) {
		return
	}
	if f.Truncate(0) == nil {
		_, _ = f.WriteString(strconv.Itoa(os.Getpid()) + "\n")
	}
}

// readPID returns the pid in the sidecar of the database at path, or 0.
func readPID(path string) int {
	f, err := os.OpenFile(pidPath(path), os.O_RDONLY|noFollow, 0)
	if err != nil {
		return 0
	}
	defer f.Close()
	if !plainFile(f) {
		return 0
	}
	b, err := io.ReadAll(io.LimitReader(f, 32))
	if err != nil {
		return 0
	}
	pid, err := strconv.Atoi(strings.TrimSpace(string(b)))
	if err != nil || pid <= 0 {
		return 0
	}
	return pid
}

// plainFile reports whether f is a regular file with a single link.
func plainFile(f *os.File) bool {
	fi, err := f.Stat()
	return err == nil && fi.Mode().IsRegular() && links(fi) == 1
}

// HolderPID returns the pid of another process that the sidecar of the
// database at path names and that is running, or 0: a hint (the sidecar
// can be stale, the pid reused), for deciding whether to wait for it.
func HolderPID(path string) int {
	pid := readPID(path)
	if pid <= 0 || pid == os.Getpid() || !alive(pid) {
		return 0
	}
	return pid
}
