//go:build !unix

package serve

import "io/fs"

// trustedOwner: ownership is not checked where files have no Unix owner.
func trustedOwner(fs.FileInfo) (uid int, ok bool) { return -1, true }
