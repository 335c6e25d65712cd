package main

import (
	"strings"
	"testing"
)

const sample = `goos: linux
goarch: amd64
pkg: orderdesk
cpu: Test CPU
BenchmarkScaleShow/n=10000-2         	      50	  23000000 ns/op	        41.00 ms	        20.10 MB-rss	         0.01 MB-out
BenchmarkScaleShow/n=10000-2         	      50	  23000000 ns/op	        45.00 ms	        20.30 MB-rss	         0.01 MB-out
BenchmarkScaleShow/n=10000-2         	      50	  23000000 ns/op	       150.00 ms	        20.20 MB-rss	         0.01 MB-out
BenchmarkScaleShow/n=1000000-2       	      50	  23000000 ns/op	       120.5 ms	        21.00 MB-rss	         0.01 MB-out
BenchmarkScaleIngest/n=10000-2       	       1	      1703 ns/op	      8487 B/order	       4396.5 orders/s
pkg: orderdesk/ui/desk
BenchmarkScaleFirstFrame/n=10000-2   	      20	  52000000 ns/op	  1024 B/op	  3 allocs/op
BenchmarkScaleBubblesFirstFrame/n=10000-2   	      20	  910000000 ns/op
BenchmarkScaleBubblesOnly/n=10000   	      20	  5000000 ns/op
PASS
`

func TestRender(t *testing.T) {
	res, env, err := parse(strings.NewReader(sample))
	if err != nil {
		t.Fatal(err)
	}
	var b strings.Builder
	render(&b, res, env)
	out := b.String()
	for _, want := range []string{
		"Measured on linux/amd64, Test CPU.",
		"| Benchmark | Unit | Budget | n=10,000 | n=1,000,000 |",
		// three runs: the median, with its budget met; the other size missed
		// time first, whatever order the benchmark reported it in
		"| `show REF`, whole process | ms | ≤ 100 | 45.0 ✓ | 120 ✗ |\n| `show REF`, whole process | MB-rss |  | 20.2 | 21.0 |",
		"| sync: every order of four shops over HTTP into a new database | orders/s | ≥ 5,000 | 4,397 ✗ | — |\n| sync: every order of four shops over HTTP into a new database | B/order |  | 8,487 | — |",
		// time from ns/op; the bubbles figure on the next line
		"| desk: first frame | ms | ≤ 300 | 52.0 ✓ | — |\n| ↳ bubbles list: first frame | ms |  | 910 | — |",
		// a bubbles figure without one of ours has a line of its own
		"| ↳ bubbles list: Only | ms |  | 5.00 | — |",
	} {
		if !strings.Contains(out, want) {
			t.Errorf("output lacks %q:\n%s", want, out)
		}
	}
	if strings.Contains(out, "ns/op") || strings.Contains(out, "allocs") {
		t.Errorf("raw Go units in the table:\n%s", out)
	}
}
