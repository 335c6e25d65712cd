//go:build race

package e2e

// raceBuild: the tests run with the race detector, so the binary they
// drive is built with it too. It runs some times slower and takes 5 to 10
// times the memory: slowdown stretches the tests' waits for the desk and
// the binary's exit, raceMemory the memory bounds.
const (
	raceBuild  = true
	slowdown   = 3
	raceMemory = 8
)
