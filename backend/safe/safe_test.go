package safe

import (
	"context"
	"errors"
	"strings"
	"sync"
	"testing"
	"unicode/utf8"
)

// TestGoRecovers: a panic on a goroutine started by Go reaches its
// starter as a *PanicError and the context's log with the stack of the
// panic; the test process (the server, in production) lives on.
func TestGoRecovers(t *testing.T) {
	var logged []*PanicError
	var mu sync.Mutex
	ctx := WithLog(context.Background(), func(p *PanicError) {
		mu.Lock()
		logged = append(logged, p)
		mu.Unlock()
	})
	got := make(chan error, 1)
	deferred := false
	Go(ctx, func() {
		defer func() { deferred = true }()
		panicHere()
	}, func(err error) { got <- err })
	err := <-got
	var p *PanicError
	if !errors.As(err, &p) || p.Value != "injected" {
		t.Fatalf("onPanic got %v, want the *PanicError of the panic", err)
	}
	if !deferred {
		t.Error("fn's deferred calls had not run when onPanic was called")
	}
	if !strings.Contains(err.Error(), "internal error") || !strings.Contains(err.Error(), "injected") {
		t.Errorf("the message for the operator is %q", err)
	}
	mu.Lock()
	defer mu.Unlock()
	if len(logged) != 1 || logged[0] != p || !strings.Contains(string(p.Stack), "panicHere") {
		t.Errorf("the log got %d panics; want this one, with the stack of the panic", len(logged))
	}
}

func panicHere() { panic("injected") }

// TestFuncWithWaitGroup: in wg.Go, onPanic runs before Wait returns, and
// every other goroutine finishes normally.
func TestFuncWithWaitGroup(t *testing.T) {
	ctx := WithLog(context.Background(), func(*PanicError) {})
	errs := make([]error, 4)
	done := make([]bool, 4)
	var wg sync.WaitGroup
	for i := range 4 {
		wg.Go(Func(ctx, func() {
			if i == 2 {
				panic(i)
			}
			done[i] = true
		}, func(err error) { errs[i] = err }))
	}
	wg.Wait()
	for i := range 4 {
		if (i == 2) != (errs[i] != nil) || (i != 2) != done[i] {
			t.Errorf("goroutine %d: done %v, error %v", i, done[i], errs[i])
		}
	}
}

// TestPanicMessageClipped: the operator sees at most 80 characters of
// what was passed to panic.
func TestPanicMessageClipped(t *testing.T) {
	long := strings.Repeat("é", 500)
	msg := (&PanicError{Value: long}).Error()
	quoted := msg[strings.Index(msg, ": ")+2:]
	if n := utf8.RuneCountInString(quoted); n != 80 || !strings.HasSuffix(quoted, "…") {
		t.Errorf("quoted %d runes of the value (%q); want 80 ending in …", n, quoted)
	}
}

// TestLogPanicContained: a log that panics itself does not undo the
// recovery.
func TestLogPanicContained(t *testing.T) {
	ctx := WithLog(context.Background(), func(*PanicError) { panic("the log broke") })
	got := make(chan error, 1)
	Go(ctx, func() { panic("first") }, func(err error) { got <- err })
	if err := <-got; err == nil {
		t.Fatal("no error")
	}
}
