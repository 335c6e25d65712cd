//go:build !race

package e2e

// raceBuild: the tests run without the race detector (race_on_test.go).
const (
	raceBuild  = false
	slowdown   = 1
	raceMemory = 1
)
