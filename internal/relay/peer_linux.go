package relay

import (
	"fmt"
	"net"
	"os"
	"path/filepath"
	"syscall"
)

// peerUID returns the user id of the process at the other end of conn.
func peerUID(conn *net.UnixConn) (int, error) {
	rc, err := conn.SyscallConn()
	if err != nil {
		return -1, err
	}
	var cred *syscall.Ucred
	var cerr error
	if err := rc.Control(func(fd uintptr) {
		cred, cerr = syscall.GetsockoptUcred(int(fd), syscall.SOL_SOCKET, syscall.SO_PEERCRED)
	}); err != nil {
		return -1, err
	}
	if cerr != nil {
		return -1, cerr
	}
	return int(cred.Uid), nil
}

// longSocketAddr reaches a socket whose path is too long for sun_path
// through a descriptor of its directory: /proc/self/fd/N/name.
func longSocketAddr(path string) (string, func(), error) {
	dir, err := os.Open(filepath.Dir(path))
	if err != nil {
		return "", nil, err
	}
	addr := fmt.Sprintf("/proc/self/fd/%d/%s", dir.Fd(), filepath.Base(path))
	if len(addr) >= maxSocketPath {
		dir.Close()
		return "", nil, fmt.Errorf("socket path %s is too long", path)
	}
	return addr, func() { dir.Close() }, nil
}
