package cli

import (
	"context"
	"errors"
	"fmt"
	"strings"

	"orderdesk/backend"
)

// Fetch reads orders from their shops by ref and stores them in the cache
// now: an order older than its shop's history (which syncs do not reach),
// or one to refresh without a sync. A REF is SHOP:NUMBER, or a NUMBER
// alone when the cache already names its shop. One line per order on
// stdout; exit 1 when any failed (each failure names its order).
func (e *Env) Fetch(ctx context.Context, texts []string) int {
	if e.Offline {
		return e.Fail(Usagef("fetch talks to the shops; it cannot run with --offline"))
	}
	refs := make([]backend.Ref, 0, len(texts))
	for _, text := range texts {
		ref, err := e.fetchRef(text)
		if err != nil {
			return e.Fail(err)
		}
		refs = append(refs, ref)
	}
	code := ExitOK
	for _, ref := range refs {
		o, err := e.Desk.Refresh(ctx, ref)
		if err != nil {
			if errors.Is(err, backend.ErrNotFound) {
				err = fmt.Errorf("%s: the shop has no order %s", ref, backend.Quote(ref.Number))
			}
			fmt.Fprintf(e.Stderr, "orderdesk: fetch %s failed: %v\n", ref, err)
			code = ExitFailed
			continue
		}
		fmt.Fprintf(e.Stdout, "%s  %s · %s · %s  [%s]\n", o.Ref, o.State.Order, o.State.Payment, o.State.Fulfillment, o.StatusLabel)
	}
	return code
}

// fetchRef reads one REF of fetch: SHOP:NUMBER need not be cached.
func (e *Env) fetchRef(text string) (backend.Ref, error) {
	ref, err := backend.ParseRef(text)
	if err != nil {
		return backend.Ref{}, &UsageError{Msg: err.Error()}
	}
	if !strings.Contains(text, ":") {
		refs, err := e.Desk.Reader().Resolve(text)
		switch {
		case err != nil:
			return backend.Ref{}, err
		case len(refs) == 1:
			return refs[0], nil
		}
		return backend.Ref{}, Usagef("say which shop %s is from: SHOP:NUMBER (shops: %s)", backend.Quote(text), strings.Join(e.ShopNames, ", "))
	}
	if !e.known(ref.Shop) {
		return backend.Ref{}, e.unknownShop(ref.Shop)
	}
	return ref, nil
}
