package query

import (
	"fmt"
	"slices"
	"strings"
	"time"

	"orderdesk/backend"
)

// Options are what a query needs beyond its text.
type Options struct {
	// Now is the reference for ages (created<7d). Zero means time.Now() at
	// Parse: a parsed query's ages do not move while it is in use.
	Now time.Time
	// Loc returns a shop's timezone, in which MatchOrder reads date
	// literals for that shop's orders. nil, or a nil result, means UTC.
	// (Match reads them in the zone the Doc was built with.) It must be
	// safe to call from several goroutines if MatchOrder is.
	Loc func(shop string) *time.Location
}

// Query is a parsed filter. It is immutable, and safe for concurrent use.
type Query struct {
	terms []term // evaluation order: cheap terms first
	info  []Term // input order
	canon string
	opt   Options
}

// Term describes one term of a query as typed, for highlighting and help.
type Term struct {
	Text  string // the term as typed
	Pos   int    // byte offset of the term in the query
	Neg   bool   // the term starts with '-'
	Field string // canonical field name; "" for free text
	Op    string // ":", "=", ">", ">=", "<", "<=" as typed; "" for free text
	Value string // the value with quotes removed, as typed
}

// ErrorKind says what is wrong with a query.
type ErrorKind uint8

const (
	ErrUnknownField ErrorKind = iota + 1 // foo:bar
	ErrMissingValue                      // status:  or a lone -
	ErrBadNumber                         // total>abc
	ErrBadDate                           // created>2024-13-01, created>7x, created=7d
	ErrUnknownValue                      // is:foo
	ErrUnterminated                      // "new york
	ErrNoComparison                      // sku>3
	ErrBadValue                          // phone:abc
)

// Error is an invalid query, pointing at the offending term. It never
// holds more of the input than that term.
type Error struct {
	Term string // the term as typed
	Pos  int    // byte offset of the term in the query
	Kind ErrorKind
	Msg  string
}

func (e *Error) Error() string {
	return fmt.Sprintf("invalid filter at %s: %s", backend.Quote(e.Term), e.Msg)
}

// Parse reads a query (the language is described in the package
// documentation). A blank query matches every order. Errors are *Error.
func Parse(s string, opt Options) (*Query, error) {
	now := opt.Now
	if now.IsZero() {
		now = time.Now()
	}
	raws, lexErr := lex(s)
	if lexErr != nil {
		return nil, lexErr
	}
	q := &Query{opt: opt}
	canon := make([]string, 0, len(raws))
	for i := 0; i < len(raws); {
		end := phoneRun(raws, i)
		parts := make([]term, 0, end-i)
		for _, rt := range raws[i:end] {
			t, err := compile(rt, now)
			if err != nil {
				return nil, err
			}
			parts = append(parts, t)
			canon = append(canon, t.canon)
			field := ""
			if rt.field != "" {
				f, _ := lookupField(rt.field)
				field = f.name
			}
			q.info = append(q.info, Term{Text: rt.text, Pos: rt.pos, Neg: rt.neg, Field: field, Op: rt.op, Value: rt.value})
		}
		if len(parts) == 1 {
			q.terms = append(q.terms, parts[0])
		} else {
			q.terms = append(q.terms, runTerm(raws[i:end], parts))
		}
		i = end
	}
	q.canon = strings.Join(canon, " ")
	slices.SortStableFunc(q.terms, evalOrder)
	return q, nil
}

// String is the query in canonical form: terms in input order separated by
// one space, field aliases resolved, values folded to lower case (date
// letters upper case), comparisons as total>=100 and created=2024-01-01,
// quotes only where needed. Parsing it gives an equivalent query.
func (q *Query) String() string { return q.canon }

// Terms lists the terms as typed, in input order.
func (q *Query) Terms() []Term { return slices.Clone(q.info) }

// Empty reports whether the query has no terms (it matches everything).
func (q *Query) Empty() bool { return len(q.terms) == 0 }

// Match reports whether the order behind d satisfies every term. It does
// not allocate.
func (q *Query) Match(d *Doc) bool {
	for i := range q.terms {
		t := &q.terms[i]
		if t.match(d) == t.neg {
			return false
		}
	}
	return true
}

// Filter appends to dst the indices of the docs that match, in order, and
// returns it: the TUI's re-filter of every order on a keystroke.
func (q *Query) Filter(docs []Doc, dst []int) []int {
	for i := range docs {
		if q.Match(&docs[i]) {
			dst = append(dst, i)
		}
	}
	return dst
}

// MatchOrder is Match for one order, building its Doc with the shop's zone
// from Options.Loc. For many orders or repeated queries build Docs once.
func (q *Query) MatchOrder(o *backend.Order) bool {
	if len(q.terms) == 0 {
		return true
	}
	var loc *time.Location
	if q.opt.Loc != nil {
		loc = q.opt.Loc(o.Shop)
	}
	d := NewDoc(o, loc)
	return q.Match(&d)
}

// Narrows reports whether every order q matches is matched by prev as
// well, judged from the two queries alone: each term of prev is implied
// by a term of q, either the same term or a positive substring term typed
// further (name:wan → name:wang). It answers false when unsure. The TUI
// then searches prev's results instead of every order.
func (q *Query) Narrows(prev *Query) bool {
	if q == nil || prev == nil {
		return prev == nil || prev.Empty()
	}
next:
	for i := range prev.terms {
		p := &prev.terms[i]
		for j := range q.terms {
			if q.terms[j].implies(p) {
				continue next
			}
		}
		return false
	}
	return true
}

// implies reports whether every order t matches is matched by p.
func (t *term) implies(p *term) bool {
	if t.canon == p.canon && t.neg == p.neg {
		return true
	}
	if t.neg || p.neg || t.kind != p.kind || !strings.Contains(t.str, p.str) {
		return false
	}
	switch t.kind {
	case kText:
		// t also matches phone digits when it looks like a phone number,
		// and those need not hold p's text
		return t.phone.nsn == ""
	case kSection:
		return t.sec == p.sec
	case kCarrier:
		return true
	}
	return false
}
