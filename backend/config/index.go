package config

import (
	"reflect"
	"slices"
	"strconv"
	"strings"

	"github.com/pelletier/go-toml/v2/unstable"
)

// index locates every key of a TOML document: the decoder gives values, the
// index gives the line of each key, so that a semantic mistake is reported
// where the operator wrote it. Paths are written the way messages show them:
// "shops[2].platform", with 1-based array elements (the second [[shops]]).
type index struct {
	entries []entry        // every key and table header, in document order
	lines   map[string]int // path → line of its first appearance
	arrays  map[string]int // array-of-tables path → elements so far
}

type entry struct {
	path []elem
	line int
}

// elem is one step of a path; idx is the 1-based array element, 0 for none.
type elem struct {
	name string
	idx  int
}

func pathString(p []elem) string {
	var b strings.Builder
	for i, e := range p {
		if i > 0 {
			b.WriteByte('.')
		}
		b.WriteString(e.name)
		if e.idx > 0 {
			b.WriteByte('[')
			b.WriteString(strconv.Itoa(e.idx))
			b.WriteByte(']')
		}
	}
	return b.String()
}

// buildIndex parses data. A syntax error is returned as the parser's error;
// the caller asks the decoder for its position.
func buildIndex(data []byte) (*index, error) {
	ix := &index{lines: map[string]int{}, arrays: map[string]int{}}
	var p unstable.Parser
	p.Reset(data)
	var prefix []elem
	for p.NextExpression() {
		e := p.Expression()
		switch e.Kind {
		case unstable.Table, unstable.ArrayTable:
			names, line := keyParts(&p, e.Key())
			prefix = ix.resolve(names, e.Kind == unstable.ArrayTable)
			ix.add(prefix, line)
		case unstable.KeyValue:
			ix.keyValue(&p, prefix, e)
		}
	}
	return ix, p.Error()
}

// resolve turns the names of a table header into a path, pointing each
// array of tables at its current (last) element, and counting a new element
// when the header is [[name]].
func (ix *index) resolve(names []string, arrayHeader bool) []elem {
	var path []elem
	for i, n := range names {
		path = append(path, elem{name: n})
		s := pathString(path)
		if arrayHeader && i == len(names)-1 {
			ix.arrays[s]++
		}
		path[len(path)-1].idx = ix.arrays[s]
	}
	return path
}

func (ix *index) keyValue(p *unstable.Parser, prefix []elem, kv *unstable.Node) {
	names, line := keyParts(p, kv.Key())
	path := slices.Clone(prefix)
	for _, n := range names {
		path = append(path, elem{name: n})
	}
	ix.add(path, line)
	switch v := kv.Value(); v.Kind {
	case unstable.InlineTable:
		ix.inline(p, path, v)
	case unstable.Array:
		it := v.Children()
		for i := 1; it.Next(); i++ {
			if n := it.Node(); n.Kind == unstable.InlineTable {
				el := slices.Clone(path)
				el[len(el)-1].idx = i
				ix.add(el, line)
				ix.inline(p, el, n)
			}
		}
	}
}

func (ix *index) inline(p *unstable.Parser, path []elem, table *unstable.Node) {
	it := table.Children()
	for it.Next() {
		if n := it.Node(); n.Kind == unstable.KeyValue {
			ix.keyValue(p, path, n)
		}
	}
}

func (ix *index) add(path []elem, line int) {
	ix.entries = append(ix.entries, entry{path: slices.Clone(path), line: line})
	s := pathString(path)
	if _, seen := ix.lines[s]; !seen {
		ix.lines[s] = line
	}
}

// keyParts reads a (possibly dotted) key and the line it starts on.
func keyParts(p *unstable.Parser, it unstable.Iterator) ([]string, int) {
	var names []string
	line := 0
	for it.Next() {
		n := it.Node()
		if line == 0 {
			line = p.Shape(n.Raw).Start.Line
		}
		names = append(names, string(n.Data))
	}
	return names, line
}

// lineOf returns the line of key, or of its nearest ancestor present in the
// file (a missing key is reported at its table), or 0.
func (ix *index) lineOf(key string) int {
	for key != "" {
		if l, ok := ix.lines[key]; ok {
			return l
		}
		if i := strings.LastIndexAny(key, ".["); i >= 0 {
			key = key[:i]
		} else {
			key = ""
		}
	}
	return 0
}

func (ix *index) has(key string) bool {
	_, ok := ix.lines[key]
	return ok
}

// keyAt names the key written on line whose last part is last (the decoder
// reports a type error by line and bare key names); "" when none matches.
func (ix *index) keyAt(line int, last string) string {
	found := ""
	for _, e := range ix.entries {
		if e.line != line {
			continue
		}
		if e.path[len(e.path)-1].name == last {
			return pathString(e.path)
		}
		if found == "" {
			found = pathString(e.path)
		}
	}
	return found
}

// schema lists the keys allowed at each level, taken from the toml tags of
// the types the file decodes into, so the two cannot drift apart.
type schema struct {
	top, shop, view, export, backup []string
}

func newSchema() schema {
	return schema{top: tomlKeys(rawFile{}), shop: tomlKeys(rawShop{}), view: tomlKeys(rawView{}), export: tomlKeys(rawExport{}), backup: tomlKeys(rawBackup{})}
}

func tomlKeys(v any) []string {
	t := reflect.TypeOf(v)
	var out []string
	for i := range t.NumField() {
		if name, _, _ := strings.Cut(t.Field(i).Tag.Get("toml"), ","); name != "" {
			out = append(out, name)
		}
	}
	return out
}

// unknownKeys reports every key the schema does not know, once per key
// (the keys under an unknown table are not reported again). Keys under
// [keys] are action names, checked by the keymap package. Shapes the
// schema knows but the types reject (a table where a string belongs) are
// left to the decoder.
func (ix *index) unknownKeys(path string) []*Problem {
	sc := newSchema()
	var out []*Problem
	reported := map[string]bool{}
	for _, e := range ix.entries {
		bad, known := sc.firstUnknown(e.path)
		if bad < 0 {
			continue
		}
		key := pathString(e.path[:bad+1])
		if reported[key] {
			continue
		}
		reported[key] = true
		msg := "unknown key"
		if s := suggest(e.path[bad].name, known); s != "" {
			msg += " (did you mean " + s + "?)"
		}
		out = append(out, &Problem{Path: path, Line: e.line, Key: key, Msg: msg})
	}
	return out
}

// firstUnknown returns the position in p of the first unknown name and the
// names allowed there, or -1.
func (sc schema) firstUnknown(p []elem) (int, []string) {
	if !slices.Contains(sc.top, p[0].name) {
		return 0, sc.top
	}
	if len(p) >= 2 && p[0].name == "export" && !slices.Contains(sc.export, p[1].name) {
		return 1, sc.export
	}
	if len(p) >= 2 && p[0].name == "backup" && !slices.Contains(sc.backup, p[1].name) {
		return 1, sc.backup
	}
	if len(p) < 2 || p[0].idx == 0 {
		return -1, nil
	}
	switch p[0].name {
	case "shops":
		if !slices.Contains(sc.shop, p[1].name) {
			return 1, sc.shop
		}
	case "views":
		if !slices.Contains(sc.view, p[1].name) {
			return 1, sc.view
		}
	}
	return -1, nil
}

// suggest returns the known name closest to a misspelt one (at most two
// edits away), or "".
func suggest(name string, known []string) string {
	best, bestD := "", 3
	for _, k := range known {
		if d := editDistance(name, k); d < bestD {
			best, bestD = k, d
		}
	}
	return best
}

func editDistance(a, b string) int {
	prev := make([]int, len(b)+1)
	cur := make([]int, len(b)+1)
	for j := range prev {
		prev[j] = j
	}
	for i := 1; i <= len(a); i++ {
		cur[0] = i
		for j := 1; j <= len(b); j++ {
			cost := 1
			if a[i-1] == b[j-1] {
				cost = 0
			}
			cur[j] = min(prev[j]+1, cur[j-1]+1, prev[j-1]+cost)
		}
		prev, cur = cur, prev
	}
	return prev[len(b)]
}
