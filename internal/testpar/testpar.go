// Package testpar is for test binaries whose tests mostly wait (for a
// command's answer, a simulated shop's latency, a timer) rather than
// compute: -test.parallel defaults to GOMAXPROCS, 2 in CI, which leaves
// such tests idle. Call Raise from TestMain.
package testpar

import (
	"flag"
	"runtime"
	"strconv"
)

// Raise sets -test.parallel to n, or to GOMAXPROCS when that is more,
// unless the command line gave -parallel. It parses the flags first
// when they are not yet.
func Raise(n int) {
	if !flag.Parsed() {
		flag.Parse()
	}
	given := false
	flag.Visit(func(f *flag.Flag) { given = given || f.Name == "test.parallel" })
	if !given {
		flag.Set("test.parallel", strconv.Itoa(max(n, runtime.GOMAXPROCS(0))))
	}
}
