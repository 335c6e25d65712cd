// Command genphone writes phonedata.go of package query (see package
// phonegen). Run it with go generate in backend/query.
package main

import (
	"flag"
	"fmt"
	"os"
	"runtime/debug"

	"orderdesk/backend/query/internal/phonegen"
)

func main() {
	out := flag.String("o", "phonedata.go", "write the Go source to `FILE`")
	flag.Parse()
	src, err := phonegen.Generate(libraryVersion())
	if err == nil {
		err = os.WriteFile(*out, src, 0o644)
	}
	if err != nil {
		fmt.Fprintln(os.Stderr, "genphone:", err)
		os.Exit(1)
	}
}

// libraryVersion is the version of the library this program is built
// with, from its build information.
func libraryVersion() string {
	if bi, ok := debug.ReadBuildInfo(); ok {
		for _, d := range bi.Deps {
			if d.Path == phonegen.Library {
				if d.Replace != nil {
					return d.Replace.Version
				}
				return d.Version
			}
		}
	}
	return "(version unknown)"
}
