//go:build linux

package simshop

import (
	"io"
	"net"
	"os"
	"syscall"
)

// holdPort binds a TCP socket to addr and does not listen on it:
// connections to addr are refused as when nothing is bound, but Linux
// gives a port something is bound to to no listener that asks for any
// free port (net.ipv4.ip_autobind_reuse is 0 by default). SO_REUSEADDR
// lets the bind succeed beside the closed server's TIME_WAIT connections
// and the server listen again once the hold is closed.
func holdPort(addr string) (io.Closer, error) {
	a, err := net.ResolveTCPAddr("tcp", addr)
	if err != nil {
		return nil, err
	}
	family, sa := syscall.AF_INET6, syscall.Sockaddr(nil)
	if ip4 := a.IP.To4(); ip4 != nil {
		v4 := &syscall.SockaddrInet4{Port: a.Port}
		copy(v4.Addr[:], ip4)
		family, sa = syscall.AF_INET, v4
	} else {
		v6 := &syscall.SockaddrInet6{Port: a.Port}
		copy(v6.Addr[:], a.IP.To16())
		sa = v6
	}
	fd, err := syscall.Socket(family, syscall.SOCK_STREAM|syscall.SOCK_CLOEXEC, 0)
	if err != nil {
		return nil, os.NewSyscallError("socket", err)
	}
	if err := syscall.SetsockoptInt(fd, syscall.SOL_SOCKET, syscall.SO_REUSEADDR, 1); err != nil {
		syscall.Close(fd)
		return nil, os.NewSyscallError("setsockopt", err)
	}
	if err := syscall.Bind(fd, sa); err != nil {
		syscall.Close(fd)
		return nil, os.NewSyscallError("bind", err)
	}
	return os.NewFile(uintptr(fd), "held "+addr), nil
}
