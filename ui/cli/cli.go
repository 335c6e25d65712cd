// Package cli is the desk from a shell (SPEC §6): the commands behind
// `orderdesk sync|list|show|status|ship|remark|pending`. Results go to
// Stdout, progress and diagnostics to Stderr. Commands return exit codes:
//
//	0  done (for edits: the shop confirmed the change)
//	1  failed (a shop failed or rejected; the reason is printed; or the
//	   edit's new state could not be saved: the message says whether the
//	   shop has the change)
//	2  usage or validation error; nothing was saved or sent
//	3  saved in the outbox but not confirmed yet (offline, unreachable,
//	   rate-limited past the wait budget, outcome being checked)
//
// `sync` exits 1 when a shop failed or when this run left an edit failed
// or in conflict (a new one: edits that were already failed or in conflict
// before the run do not count), so cron can tell; else 3 when edits remain
// unconfirmed, else 0.
//
// `pending retry ID` asks for a pending, failed or conflicting edit to be
// decided again on the shop's current order and sends it; it exits like
// status/ship/remark. `pending discard ID` drops one from the outbox (it is
// never sent; the audit log and `show REF` keep it) and exits 0. Both
// print, for a conflict, what the operator saw beside what the shop has
// now, as `pending` does under its table. An unknown ID, or an edit
// sending or unknown (its outcome is being checked with the shop: sync
// first), done or discarded, exits 2 with nothing changed.
//
// Decisions the spec leaves open:
//   - An action the platform's rules refuse on the cached order (unsupported,
//     wrong state, a read-only platform) is a validation error: exit 2,
//     nothing saved, the reason printed.
//   - An edit that ends in conflict (the shop changed the order since it was
//     cached) exits 1 like a rejection: it needs the operator.
//   - A status value the platform marks irreversible (cancel, refund, void,
//     archive) is confirmed like a customer-visible side effect: asked on a
//     terminal (naming the order and what cannot be undone), --yes in a
//     script (exit 2 without it, nothing saved). A discard is asked the
//     same way.
//   - A tracking number that does not fit its carrier's format is a warning
//     on stderr; with a terminal the desk asks, without one it goes ahead
//     (formats change; the rule is to warn, never to block).
package cli

import (
	"bufio"
	"context"
	"errors"
	"fmt"
	"io"
	"slices"
	"strings"
	"time"

	"orderdesk/backend"
	"orderdesk/backend/engine"
	"orderdesk/backend/safe"
)

// Exit codes (SPEC §6).
const (
	ExitOK     = 0
	ExitFailed = 1
	ExitUsage  = 2
	ExitQueued = 3
)

// Env is what a command runs with. It holds no package-level state, so many
// can run in one process.
type Env struct {
	Stdout, Stderr io.Writer
	Stdin          io.Reader
	Interactive    bool                      // stdin and stderr are a terminal: the desk may ask
	Loc            *time.Location            // the operator's display zone
	ShopNames      []string                  // the configured shops, in config order
	ShopZones      map[string]*time.Location // each shop's zone, for date filters
	Operator       string
	Offline        bool // save edits, send nothing
	Now            func() time.Time
	Desk           *engine.Desk
	// TermWidth, set when stderr is a terminal, gives its width: a sync's
	// progress is then drawn live in bars (nil: told in lines).
	TermWidth func() int
	NoColor   bool // NO_COLOR is set: the bars are drawn without colour
}

func (e *Env) now() time.Time {
	if e.Now == nil {
		return time.Now()
	}
	return e.Now()
}

func (e *Env) loc() *time.Location {
	if e.Loc == nil {
		return time.Local
	}
	return e.Loc
}

// UsageError is a mistake in the command line or its values: exit 2.
type UsageError struct{ Msg string }

func (e *UsageError) Error() string { return e.Msg }

// Usagef builds a UsageError.
func Usagef(format string, args ...any) error {
	return &UsageError{Msg: fmt.Sprintf(format, args...)}
}

// Fail prints err on stderr and returns the exit code it means.
func (e *Env) Fail(err error) int {
	fmt.Fprintln(e.Stderr, "orderdesk:", err)
	var ue *UsageError
	var us *engine.UnknownShopError
	switch {
	case errors.As(err, &ue), errors.As(err, &us),
		errors.Is(err, backend.ErrRefused), errors.Is(err, backend.ErrUnsupported):
		return ExitUsage
	}
	return ExitFailed
}

// Resolve turns REF text into exactly one cached order's ref. Unknown,
// malformed and ambiguous refs are usage errors naming the candidates.
func (e *Env) Resolve(text string) (backend.Ref, error) {
	if _, err := backend.ParseRef(text); err != nil {
		return backend.Ref{}, &UsageError{Msg: err.Error()}
	}
	if shop, _, ok := strings.Cut(text, ":"); ok {
		if !e.known(shop) {
			return backend.Ref{}, e.unknownShop(shop)
		}
	}
	refs, err := e.Desk.Reader().Resolve(text)
	if err != nil {
		return backend.Ref{}, err
	}
	switch len(refs) {
	case 0:
		return backend.Ref{}, Usagef("no cached order %s (run `orderdesk sync` to fetch new orders, `orderdesk fetch SHOP:NUMBER` for one older than the shop's history, or `orderdesk list` to see them)", backend.Quote(text))
	case 1:
		return refs[0], nil
	}
	names := make([]string, len(refs))
	for i, r := range refs {
		names[i] = r.String()
	}
	return backend.Ref{}, Usagef("order number %s is ambiguous: %s; say SHOP:NUMBER", backend.Quote(text), strings.Join(names, ", "))
}

func (e *Env) known(shop string) bool { return slices.Contains(e.ShopNames, shop) }

func (e *Env) unknownShop(name string) error {
	return &engine.UnknownShopError{Name: name, Known: e.ShopNames}
}

// confirm asks a yes/no question on the terminal; anything but y/yes is no,
// and so is an interrupt (SIGINT, SIGTERM: ctx done) while it waits: the
// read of the answer blocks in the kernel, so it runs aside and is left
// behind (the command is ending).
func (e *Env) confirm(ctx context.Context, question string) bool {
	fmt.Fprint(e.Stderr, question+" [y/N] ")
	answer := make(chan string, 1)
	safe.Go(ctx, func() {
		line, _ := bufio.NewReader(e.Stdin).ReadString('\n')
		answer <- line
	}, func(error) { answer <- "" })
	var line string
	select {
	case line = <-answer:
	case <-ctx.Done():
		fmt.Fprintln(e.Stderr, "(interrupted)")
		return false
	}
	switch strings.ToLower(strings.TrimSpace(line)) {
	case "y", "yes":
		return true
	}
	return false
}
