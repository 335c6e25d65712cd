//go:build !unix

package app

import "errors"

// diskSpace is not measured on this system.
func diskSpace(string) (free, total uint64, err error) {
	return 0, 0, errors.New("not measured on this system")
}
