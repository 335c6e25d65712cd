package tracking

import (
	"slices"
	"strconv"
	"strings"
)

// Check is what the check digit said.
type Check int

const (
	// CheckNotRun: no format matched, so no check digit was computed.
	CheckNotRun Check = iota
	// CheckNone: the matched format has no check digit (YT…, SF…, or only
	// the length-and-characters sanity check ran), so typos go unnoticed.
	CheckNone
	// CheckPassed: the printed check digit is the computed one.
	CheckPassed
	// CheckFailed: the check digit (or, for S10, the country code) is
	// wrong; most likely a character was mistyped.
	CheckFailed
)

var checkNames = [...]string{"not run", "no check digit", "passed", "failed"}

func (c Check) String() string {
	if c < 0 || int(c) >= len(checkNames) {
		return "Check(" + strconv.Itoa(int(c)) + ")"
	}
	return checkNames[c]
}

// Level is how loudly to show a Result. There is deliberately no level that
// refuses a number: the operator may always keep what they typed.
type Level int

const (
	// LevelOK: the number has the carrier's format and its check digit
	// matches.
	LevelOK Level = iota
	// LevelNotice: nothing is wrong, but nothing could be proved either
	// (no check digit, or the carrier's format is unknown). Worth a dim hint.
	LevelNotice
	// LevelWarning: the number does not fit the carrier. Show Message and
	// let the operator fix the number or confirm it.
	LevelWarning
)

var levelNames = [...]string{"ok", "notice", "warning"}

func (l Level) String() string {
	if l < 0 || int(l) >= len(levelNames) {
		return "Level(" + strconv.Itoa(int(l)) + ")"
	}
	return levelNames[l]
}

// SanityFormat is Result.Format when the carrier has no known format and
// only the length-and-characters check (8–40 of A–Z, 0–9) was run.
const SanityFormat = "length and characters only"

// Result is the verdict of Validate. It never blocks anything: Level and
// Message are advice for the operator, and Number is always usable.
type Result struct {
	// Number is the number to store: normalised, and for a USPS barcode
	// scanned with its 420+ZIP routing prefix, without the prefix.
	Number string
	// Carrier is the carrier the name resolved to; KnownCarrier is false
	// (and Carrier zero) when Lookup did not know the name.
	Carrier      Carrier
	KnownCarrier bool
	// Matched is true when the number has the shape of one of the
	// carrier's formats, named by Format. For carriers without a known
	// format it means the sanity check passed (Format is SanityFormat).
	Matched bool
	Format  string
	Check   Check
	Level   Level
	// Message is one line for the operator, suitable for a warning.
	Message string
	// Suggestions lists other carriers' formats the number matches, best
	// first, when the result is not LevelOK. Empty otherwise.
	Suggestions []Candidate
}

// Validate checks number against the formats of carrier (resolved like
// Lookup). Policy (field notes §4.5): a number that misses the carrier's
// formats or check digit gets LevelWarning and a message; one without a
// check digit to prove it gets LevelNotice; a carrier that is unknown or
// has no known format (4PX) gets the sanity check only. Validate never
// refuses: the caller decides whether to ask for confirmation.
func Validate(carrier, number string) Result {
	n := Normalize(number)
	c, known := Lookup(carrier)
	r := Result{Number: n, Carrier: c, KnownCarrier: known}
	who := carrierLabel(carrier, c, known)
	if n == "" {
		r.Level, r.Message = LevelWarning, "the tracking number is empty"
		return r
	}
	fs := formatsOf(c.Code)
	if len(fs) == 0 {
		return sanityOnly(r, who)
	}
	best, ok := bestHit(n, c.Code, fs)
	if !ok {
		looks := make([]string, len(fs))
		for i, f := range fs {
			looks[i] = f.shapeFor(c.Code)
		}
		r.Level = LevelWarning
		r.Message = "does not match any " + who + " format (" + strings.Join(slices.Compact(looks), "; ") + ")"
		return suggest(r)
	}
	r.Matched, r.Format, r.Check, r.Number = true, best.f.name, best.m.check, best.m.number
	switch best.m.check {
	case CheckPassed:
		r.Level, r.Message = LevelOK, best.f.name+", check digit correct"
		return r
	case CheckNone:
		r.Level = LevelNotice
		r.Message = "has the " + best.f.name + " shape (" + best.f.shapeFor(c.Code) + "); it has no check digit, so a typo cannot be caught"
	default:
		why := best.m.problem
		if why == "" {
			why = "the check digit does not match, so a character is probably mistyped"
		}
		r.Level = LevelWarning
		r.Message = "looks like " + best.f.name + " but " + why + "; compare it with the label or confirm it"
	}
	return suggest(r)
}

// carrierLabel names the carrier in messages the way the operator will
// recognise it.
func carrierLabel(typed string, c Carrier, known bool) string {
	switch {
	case known:
		return c.Name
	case strings.TrimSpace(typed) == "":
		return "no carrier chosen"
	default:
		return strconv.Quote(strings.TrimSpace(typed))
	}
}

// formatsOf lists the formats a carrier's numbers may take, in table order.
func formatsOf(code string) []*format {
	if code == "" {
		return nil
	}
	var out []*format
	for i := range formatTable {
		if slices.Contains(formatTable[i].carriers, code) {
			out = append(out, &formatTable[i])
		}
	}
	return out
}

// bestHit parses n with each of the carrier's formats and picks the most
// favourable reading: a passed check digit beats no check digit, which
// beats a failed one; ties go to the higher rank.
func bestHit(n, code string, fs []*format) (hit, bool) {
	var best hit
	found := false
	for _, f := range fs {
		m, ok := f.parse(n)
		if !ok || (f.fits != nil && !f.fits(code, m)) {
			continue
		}
		h := hit{f, m}
		if !found || better(h, best) {
			best, found = h, true
		}
	}
	return best, found
}

// checkPreference orders Check values for bestHit: lower is better.
var checkPreference = map[Check]int{CheckPassed: 0, CheckNone: 1, CheckFailed: 2}

func better(a, b hit) bool {
	pa, pb := checkPreference[a.m.check], checkPreference[b.m.check]
	if pa != pb {
		return pa < pb
	}
	return a.f.rank > b.f.rank
}

// sanityOnly is Validate for carriers without a known format.
func sanityOnly(r Result, who string) Result {
	if problem := sanity(r.Number); problem != "" {
		r.Level, r.Message = LevelWarning, problem
		return suggest(r)
	}
	r.Matched, r.Format, r.Check, r.Level = true, SanityFormat, CheckNone, LevelNotice
	switch {
	case r.KnownCarrier:
		r.Message = "no number format is known for " + who + "; only length and characters were checked"
	case who == "no carrier chosen":
		r.Message = "no carrier chosen; only length and characters were checked"
	default:
		r.Message = "carrier " + who + " is not known; only length and characters were checked"
	}
	return suggest(r)
}

// suggest adds the other carriers' formats the number matches, and names
// the best of them in the message.
func suggest(r Result) Result {
	for _, c := range Detect(r.Number) {
		if c.Carrier.Code != r.Carrier.Code || !r.KnownCarrier {
			r.Suggestions = append(r.Suggestions, c)
		}
	}
	if len(r.Suggestions) > 0 {
		r.Message += "; it matches " + r.Suggestions[0].String()
		if more := len(r.Suggestions) - 1; more > 0 {
			r.Message += " (and " + strconv.Itoa(more) + " more)"
		}
	}
	return r
}
