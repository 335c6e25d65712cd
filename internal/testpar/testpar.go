// Package testpar raises the default -test.parallel of a test binary
// whose tests mostly wait (for a simulated shop's answer, a retry's
// backoff, a timer) rather than compute: the default, GOMAXPROCS (2 in
// CI), leaves the CPUs idle while they wait.
package testpar

import (
	"flag"
	"os"
	"runtime"
	"strconv"
	"testing"
)

// Main runs the tests with Raise(n) and exits with their status: the
// whole TestMain of such a package.
func Main(m *testing.M, n int) {
	Raise(n)
	os.Exit(m.Run())
}

// Raise sets -test.parallel to n (or GOMAXPROCS when larger) unless the
// command line sets it. A TestMain that does more than run the tests
// calls it before m.Run.
func Raise(n int) {
	flag.Parse()
	given := false
	flag.Visit(func(f *flag.Flag) { given = given || f.Name == "test.parallel" })
	if !given {
		_ = flag.Set("test.parallel", strconv.Itoa(max(n, runtime.GOMAXPROCS(0))))
	}
}
