// Command orderdesk is a terminal order desk for shops on Fecshop, Fecmall,
// SHOPLINE and YMCart. main.go holds flags and subcommands only.
package main

import (
	"context"
	"flag"
	"fmt"
	"io"
	"os"
	"os/signal"
	"slices"
	"sync"
	"time"

	"orderdesk/backend"
	"orderdesk/backend/platforms"
	"orderdesk/backend/simshop"
	"orderdesk/ui"
)

// version is set at build time with -ldflags "-X main.version=...".
var version = "dev"

// Exit codes (SPEC §6).
const (
	exitOK    = 0
	exitError = 1
	exitUsage = 2
)

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt)
	defer stop()
	os.Exit(run(ctx, os.Args[1:], os.Stdout, os.Stderr))
}

func run(ctx context.Context, args []string, stdout, stderr io.Writer) int {
	fs := flag.NewFlagSet("orderdesk", flag.ContinueOnError)
	fs.SetOutput(stderr)
	demo := fs.Bool("demo", false, "run against built-in simulated shops of all four platforms (no config, no network)")
	orders := fs.Int("demo-orders", 40, "orders per demo shop")
	fs.Usage = func() {
		fmt.Fprintln(stderr, "usage: orderdesk --demo | orderdesk version")
		fs.PrintDefaults()
	}
	if err := fs.Parse(args); err != nil {
		return exitUsage
	}
	switch {
	case fs.NArg() > 0 && fs.Arg(0) == "version":
		fmt.Fprintln(stdout, "orderdesk", version)
		return exitOK
	case fs.NArg() > 0:
		fmt.Fprintf(stderr, "orderdesk: unknown command %q\n", fs.Arg(0))
		fs.Usage()
		return exitUsage
	case *demo:
		if err := runDemo(ctx, *orders, stdout, stderr); err != nil {
			fmt.Fprintln(stderr, "orderdesk:", err)
			return exitError
		}
		return exitOK
	}
	fmt.Fprintln(stderr, "orderdesk: the desk needs a config file, which this build cannot read yet; try `orderdesk --demo`")
	return exitUsage
}

// runDemo starts the four simulated shops, lists every order of each through
// its adapter, in parallel, and prints them as one table, newest first.
func runDemo(ctx context.Context, perShop int, stdout, stderr io.Writer) error {
	demo, err := simshop.StartDemo(1, perShop, time.Now())
	if err != nil {
		return err
	}
	defer demo.Close()
	var (
		mu   sync.Mutex
		all  []*backend.Order
		errs []error
		wg   sync.WaitGroup
	)
	for _, cfg := range demo.Configs() {
		shop, err := platforms.Open(cfg)
		if err != nil {
			return err
		}
		wg.Go(func() {
			got, err := listAll(ctx, shop)
			mu.Lock()
			defer mu.Unlock()
			all = append(all, got...)
			if err != nil {
				errs = append(errs, err)
			}
			fmt.Fprintf(stderr, "%-12s %-9s %3d orders\n", shop.Name(), shop.Platform(), len(got))
		})
	}
	wg.Wait()
	slices.SortStableFunc(all, func(a, b *backend.Order) int {
		return created(b).Compare(created(a))
	})
	if err := ui.WriteTable(stdout, all, time.Local); err != nil {
		return err
	}
	if len(errs) > 0 {
		return fmt.Errorf("%d shop(s) failed: %v", len(errs), errs)
	}
	return nil
}

func created(o *backend.Order) time.Time {
	if o.CreatedAt == nil {
		return time.Time{}
	}
	return *o.CreatedAt
}

// listAll walks every page of a shop's listing.
func listAll(ctx context.Context, shop backend.Shop) ([]*backend.Order, error) {
	var out []*backend.Order
	q := backend.ListQuery{}
	for {
		page, err := shop.List(ctx, q)
		if err != nil {
			return out, err
		}
		out = append(out, page.Orders...)
		if page.Next == "" {
			return out, nil
		}
		q.Cursor = page.Next
	}
}
