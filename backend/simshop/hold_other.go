//go:build !linux

package simshop

import "io"

// holdPort is holdPort of hold_linux.go: elsewhere an offline shop's port is
// merely free.
func holdPort(string) (io.Closer, error) { return nil, nil }
