package query

import (
	"strings"
	"testing"

	"golang.org/x/text/width"
)

// TestHelpText checks the help: every field with an example that parses
// as that field, the rules it promises, and lines that fit the screen.
func TestHelpText(t *testing.T) {
	t.Parallel()
	h := HelpText()
	for _, f := range Fields() {
		if !strings.Contains(h, "  "+f.Example+" ") {
			t.Errorf("help lacks the example %q of %s", f.Example, f.Name)
		}
		q, err := Parse(f.Example, Options{Now: testNow})
		if err != nil {
			t.Errorf("example %q: %v", f.Example, err)
			continue
		}
		if terms := q.Terms(); len(terms) != 1 || terms[0].Field != f.Name {
			t.Errorf("example %q is not one %s term: %+v", f.Example, f.Name, terms)
		}
	}
	for _, want := range []string{"total>100USD", "bare total>100", "its own currency", "-status:cancelled",
		`"new york"`, "Free text", "Phone numbers", "1234-5678 finds part", `-"+81 90-1234-5678"`} {
		if !strings.Contains(h, want) {
			t.Errorf("help lacks %q", want)
		}
	}
	// the writings it names are the ones TestPhoneWrittenAnyWay checks
	for _, w := range []string{"+81 90-1234-5678", "+81 (0)90 1234 5678", "090-1234-5678", "9012345678"} {
		if !contains(phoneWritings[0].writings, w) {
			t.Errorf("help names %q, which no test checks", w)
		}
	}
	for _, bad := range []string{"SPEC", "§", "\t"} {
		if strings.Contains(h, bad) {
			t.Errorf("help contains %q", bad)
		}
	}
	for _, line := range strings.Split(h, "\n") {
		if w := displayWidth(line); w > helpWidth || strings.TrimSpace(line) != strings.TrimLeft(line, " ") {
			t.Errorf("line of %d columns (max %d) or with trailing space: %q", w, helpWidth, line)
		}
	}
}

func displayWidth(s string) int {
	n := 0
	for _, r := range s {
		switch width.LookupRune(r).Kind() {
		case width.EastAsianWide, width.EastAsianFullwidth:
			n += 2
		default:
			n++
		}
	}
	return n
}
