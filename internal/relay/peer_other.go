//go:build !linux

package relay

import (
	"fmt"
	"net"
)

// peerUID cannot read the peer's user id here (-1): the socket's mode
// (0600) and its directory are what keep other users out.
func peerUID(*net.UnixConn) (int, error) { return -1, nil }

func longSocketAddr(path string) (string, func(), error) {
	return "", nil, fmt.Errorf("socket path %s is too long", path)
}
