//go:build linux

package simshop

import (
	"errors"
	"net"
	"syscall"
	"testing"
	"time"

	"orderdesk/backend"
)

// An offline shop keeps its port: Linux never hands a port something is
// bound to to a listener asking for any free port (ip_autobind_reuse 0),
// so another shop started meanwhile — a test running beside this one —
// cannot answer at the offline shop's address. ui/desk's tests once saw
// a "offline" Fecmall shop sync 4 orders of another test's shop. A bind
// of the port without SO_REUSEADDR tells whether something holds it.
func TestOfflineShopKeepsItsPort(t *testing.T) {
	s, err := New(backend.Fecmall, Options{Orders: 2, Seed: 1})
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	if err := s.SetOffline(true); err != nil { // before any connection: no TIME_WAIT holds the port
		t.Fatal(err)
	}
	if err := bindPlain(s.addr); !errors.Is(err, syscall.EADDRINUSE) {
		t.Fatalf("binding %s while the shop is offline: %v, want EADDRINUSE (the port is free for anyone)", s.addr, err)
	}
	if c, err := net.DialTimeout("tcp", s.addr, time.Second); err == nil {
		c.Close()
		t.Fatal("an offline shop accepted a connection")
	} else if !errors.Is(err, syscall.ECONNREFUSED) {
		t.Fatalf("dialing an offline shop: %v, want connection refused", err)
	}
	if err := s.SetOffline(false); err != nil {
		t.Fatal(err)
	}
	resp, err := (&net.Dialer{Timeout: time.Second}).Dial("tcp", s.addr)
	if err != nil {
		t.Fatalf("the shop back online: %v", err)
	}
	resp.Close()
}

// bindPlain binds a TCP socket to addr without SO_REUSEADDR.
func bindPlain(addr string) error {
	a, err := net.ResolveTCPAddr("tcp", addr)
	if err != nil {
		return err
	}
	fd, err := syscall.Socket(syscall.AF_INET, syscall.SOCK_STREAM, 0)
	if err != nil {
		return err
	}
	defer syscall.Close(fd)
	sa := &syscall.SockaddrInet4{Port: a.Port}
	copy(sa.Addr[:], a.IP.To4())
	return syscall.Bind(fd, sa)
}
