package testpar

import (
	"flag"
	"os"
	"runtime"
	"strconv"
	"testing"
)

var parallelAtStart string

func TestMain(m *testing.M) {
	flag.Parse()
	parallelAtStart = flag.Lookup("test.parallel").Value.String()
	os.Exit(m.Run())
}

// Raise raises -test.parallel unless it was given, and never lowers it
// below the CPUs.
func TestRaise(t *testing.T) {
	f := flag.Lookup("test.parallel")
	defer f.Value.Set(parallelAtStart)
	given := false
	flag.Visit(func(f *flag.Flag) { given = given || f.Name == "test.parallel" })

	Raise(1000)
	if want := strconv.Itoa(max(1000, runtime.GOMAXPROCS(0))); !given && f.Value.String() != want {
		t.Errorf("-test.parallel %s after Raise(1000), want %s", f.Value, want)
	}
	if given && f.Value.String() != parallelAtStart {
		t.Errorf("-parallel %s was given, Raise changed it to %s", parallelAtStart, f.Value)
	}
	if !given {
		f.Value.Set(parallelAtStart)
		Raise(1)
		if want := strconv.Itoa(runtime.GOMAXPROCS(0)); f.Value.String() != want {
			t.Errorf("-test.parallel %s after Raise(1), want GOMAXPROCS %s", f.Value, want)
		}
	}
}
