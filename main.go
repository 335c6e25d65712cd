// Command orderdesk is a terminal order desk for shops on Fecshop, Fecmall,
// SHOPLINE and YMCart. This file is process glue only: the commands, their
// flags and the wiring are in internal/app.
package main

import (
	"context"
	"os"
	"os/signal"
	"syscall"

	"orderdesk/internal/app"
)

// version is set at build time with -ldflags "-X main.version=...".
var version = "dev"

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	os.Exit(app.Main(ctx, stop, version, os.Args[1:]))
}
