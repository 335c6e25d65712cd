package main

import (
	"bufio"
	"fmt"
	"io"
	"regexp"
	"slices"
	"strconv"
	"strings"
)

// result is one benchmark line: BenchmarkScale<Thing>/n=<N>.
type result struct {
	pkg     string
	thing   string // "ListJSON", "BubblesFirstFrame"
	n       int
	metrics map[string]float64 // unit → value, ns/op included
	order   []string           // units in the order the line gave them
}

// environment is what go test prints before the results.
type environment struct{ goos, goarch, cpu string }

var benchLine = regexp.MustCompile(`^BenchmarkScale([A-Za-z0-9_]+)/n=(\d+)(?:-\d+)?\s+(\d+)\s+(.*)$`)

// parse reads go test -bench output. A benchmark run more than once
// (-count) keeps the median of each metric.
func parse(r io.Reader) ([]*result, environment, error) {
	var env environment
	var pkg string
	byKey := map[string][]*result{}
	var keys []string
	sc := bufio.NewScanner(r)
	sc.Buffer(make([]byte, 1<<20), 1<<20)
	for sc.Scan() {
		line := strings.TrimSpace(sc.Text())
		for prefix, dst := range map[string]*string{"pkg: ": &pkg, "goos: ": &env.goos, "goarch: ": &env.goarch, "cpu: ": &env.cpu} {
			if v, ok := strings.CutPrefix(line, prefix); ok {
				*dst = strings.TrimSpace(v)
			}
		}
		m := benchLine.FindStringSubmatch(line)
		if m == nil {
			continue
		}
		n, _ := strconv.Atoi(m[2])
		res := &result{pkg: pkg, thing: m[1], n: n, metrics: map[string]float64{}}
		f := strings.Fields(m[4])
		if len(f)%2 != 0 {
			return nil, env, fmt.Errorf("odd metric list in %q", line)
		}
		for i := 0; i < len(f); i += 2 {
			v, err := strconv.ParseFloat(f[i], 64)
			if err != nil {
				return nil, env, fmt.Errorf("metric %q in %q: %w", f[i], line, err)
			}
			res.metrics[f[i+1]] = v
			res.order = append(res.order, f[i+1])
		}
		key := res.thing + "\x00" + m[2]
		if _, ok := byKey[key]; !ok {
			keys = append(keys, key)
		}
		byKey[key] = append(byKey[key], res)
	}
	if err := sc.Err(); err != nil {
		return nil, env, err
	}
	var out []*result
	for _, k := range keys {
		out = append(out, median(byKey[k]))
	}
	return out, env, nil
}

// median merges runs of one benchmark: each metric's median.
func median(runs []*result) *result {
	if len(runs) == 1 {
		return runs[0]
	}
	out := &result{pkg: runs[0].pkg, thing: runs[0].thing, n: runs[0].n, metrics: map[string]float64{}, order: runs[0].order}
	for _, unit := range out.order {
		var vs []float64
		for _, r := range runs {
			if v, ok := r.metrics[unit]; ok {
				vs = append(vs, v)
			}
		}
		slices.Sort(vs)
		out.metrics[unit] = vs[len(vs)/2]
	}
	return out
}
