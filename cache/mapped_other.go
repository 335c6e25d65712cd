//go:build !linux

package cache

// adviseDontNeed does nothing where the resident set is not measured.
func adviseDontNeed(addr uintptr, size int) {}

// residentShared is unknown here: scans never drop pages.
func residentShared() (int64, bool) { return 0, false }
