// Package safe starts goroutines that cannot take the process down.
//
// A goroutine started with the go statement is outside every recover of
// the code that started it, Bubble Tea's included: one panic there ends
// the process, and under `orderdesk serve` every operator's session with
// it. Every goroutine the desk, the sync and the server start goes
// through Go or Func instead: a panic is recovered where it happens, its
// stack goes to the log the context carries (WithLog), and the code that
// started the work gets it as an error (*PanicError), to answer with the
// way it answers any other failure.
//
// This is a leaf package: backend and ui both import it.
package safe

import (
	"bytes"
	"context"
	"fmt"
	"io"
	"os"
	"runtime/debug"
	"strings"
	"sync"

	"github.com/charmbracelet/x/ansi"
)

// PanicError is a recovered panic. Its message is for the operator (what
// was passed to panic, clipped); the stack is for the log.
type PanicError struct {
	Value any    // what was passed to panic
	Stack []byte // the goroutine's stack where it panicked
}

func (e *PanicError) Error() string {
	return "internal error (a bug; the details are logged): " + ansi.Truncate(fmt.Sprint(e.Value), 80, "…")
}

// logKey is where WithLog keeps the log of a context.
type logKey struct{}

// WithLog returns a copy of ctx whose recovered panics are reported to
// log, with their stacks. Without one, they are written to stderr.
func WithLog(ctx context.Context, log func(*PanicError)) context.Context {
	return context.WithValue(ctx, logKey{}, log)
}

// Go runs fn on a new goroutine, guarded as Func says.
func Go(ctx context.Context, fn func(), onPanic func(error)) {
	go Func(ctx, fn, onPanic)()
}

// Func returns fn guarded, for wg.Go or a go statement: a panic in fn is
// recovered, reported with its stack to the log of ctx, and handed to
// onPanic (when not nil) as a *PanicError, on fn's goroutine; the guarded
// function then returns normally. Deferred calls in fn have run by then.
func Func(ctx context.Context, fn func(), onPanic func(error)) func() {
	return func() {
		defer func() {
			r := recover()
			if r == nil {
				return
			}
			p := &PanicError{Value: r, Stack: debug.Stack()}
			report(ctx, p)
			if onPanic != nil {
				onPanic(p)
			}
		}()
		fn()
	}
}

// report hands p to the log of ctx; a log that panics itself is not
// allowed to undo the recovery.
func report(ctx context.Context, p *PanicError) {
	defer func() { _ = recover() }()
	if log, ok := ctx.Value(logKey{}).(func(*PanicError)); ok && log != nil {
		log(p)
		return
	}
	Write(os.Stderr, "orderdesk: ", p)
}

// Write writes p for a log: prefix, its value, then its stack.
func Write(w io.Writer, prefix string, p *PanicError) {
	fmt.Fprintf(w, "%srecovered a panic: %v\n%s", prefix, p.Value, p.Stack)
}

// Later keeps recovered panics for writing later: a full-screen program
// writes them once it has restored the terminal. Its Log is for WithLog.
type Later struct {
	mu  sync.Mutex
	buf bytes.Buffer
}

// Log keeps p.
func (l *Later) Log(p *PanicError) {
	l.mu.Lock()
	defer l.mu.Unlock()
	Write(&l.buf, "orderdesk: ", p)
}

// WriteTo writes what was kept (nothing when no panic was recovered).
func (l *Later) WriteTo(w io.Writer) (int64, error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.buf.WriteTo(w)
}

// Line keeps a line of text to write with the panics (a full-screen
// program's log).
func (l *Later) Line(s string) {
	l.mu.Lock()
	defer l.mu.Unlock()
	l.buf.WriteString("orderdesk: " + strings.TrimSuffix(s, "\n") + "\n")
}
