// Command perftable reads `go test -bench` output on stdin and writes
// docs/PERFORMANCE.md to stdout: one scaling table of every
// BenchmarkScale<Thing>/n=<N> result, one column per N, each figure beside
// its budget, and a BenchmarkScaleBubbles<Thing> result beside ours.
//
//	go test -run '^$' -bench '^BenchmarkScale' ./... | tee bench.txt
//	go run ./internal/perftable < bench.txt > docs/PERFORMANCE.md
package main

import (
	"bufio"
	"fmt"
	"os"
)

func main() {
	res, env, err := parse(os.Stdin)
	if err != nil {
		fmt.Fprintln(os.Stderr, "perftable:", err)
		os.Exit(1)
	}
	w := bufio.NewWriter(os.Stdout)
	render(w, res, env)
	if err := w.Flush(); err != nil {
		fmt.Fprintln(os.Stderr, "perftable:", err)
		os.Exit(1)
	}
}
