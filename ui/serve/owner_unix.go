//go:build unix

package serve

import (
	"io/fs"
	"os"
	"syscall"
)

// trustedOwner returns the owner of fi and whether it is root or the
// server's own user, the owners sshd's StrictModes trust.
func trustedOwner(fi fs.FileInfo) (uid int, ok bool) {
	st, isUnix := fi.Sys().(*syscall.Stat_t)
	if !isUnix {
		return -1, true
	}
	uid = int(st.Uid)
	return uid, uid == 0 || uid == os.Geteuid()
}
