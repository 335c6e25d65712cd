//go:build !linux

package cache

// adviseDontNeed does nothing where the resident set is not measured.
func adviseDontNeed(addr uintptr, size int) {}
