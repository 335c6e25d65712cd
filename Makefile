# orderdesk — see README.md.
GO       ?= go
FUZZTIME ?= 30s
BENCH    ?= .

.PHONY: build test bench bench-scale fuzz fmt docs

build:
	$(GO) build -o bin/orderdesk .

# vet + the whole suite with the race detector; fuzz seed corpora run here too.
# vet type-checks with -race too: the dependencies it compiles are then the
# ones the race-built tests link, so CI compiles them once, not twice
# (about 40 s of a fresh 2-core machine). A race-built program sleeps 1 s
# when it exits, for late reports (atexit_sleep_ms); a test fails on a race
# as soon as the test ends, so the sleep only holds each of the ~45 test
# binaries' slots a second longer. -p 4: go test runs as many programs at
# once as there are CPUs, compilers and test binaries alike, and the big
# packages' tests mostly wait on shops, terminals and timers (207 s with
# the default 2 on a fresh 2-core clone, 182 s with 4).
test:
	$(GO) vet -race ./...
	GORACE="atexit_sleep_ms=0 $$GORACE" $(GO) test -p 4 -race -count=1 ./...

# Performance budgets live in benchmarks, never in timed unit tests.
bench:
	$(GO) test -run='^$$' -bench='$(BENCH)' -benchmem ./...

# The scale benchmarks at 10k, 100k and 1M orders, then docs/PERFORMANCE.md
# from their output. Not part of test: the databases (about 4 GB at 1M) are
# built once and kept in $(SCALE_DIR); a re-run reuses them. Packages run
# one at a time (-p 1) so their figures do not share the CPUs.
SCALES    ?= 10000,100000,1000000
SCALE_DIR ?= $${TMPDIR:-/tmp}/orderdesk-scale
bench-scale: SHELL := /bin/bash
bench-scale:
	set -o pipefail; mkdir -p $(SCALE_DIR) && \
	ORDERDESK_SCALES=$(SCALES) $(GO) test -p 1 -run '^$$' -bench '^BenchmarkScale' -timeout 0 \
	  ./e2e/ ./cache/... ./ui/desk/... ./backend/engine/... 2>&1 | tee $(SCALE_DIR)/bench.txt
	mkdir -p docs && $(GO) run ./internal/perftable < $(SCALE_DIR)/bench.txt > docs/PERFORMANCE.md

# docs/*.md (all but PERFORMANCE.md) from the help the binary prints;
# TestDocs fails when they differ from it.
docs:
	ORDERDESK_WRITE_DOCS=1 $(GO) test -count=1 -run '^TestDocs$$' ./internal/app/

# Every fuzz target for FUZZTIME each (go test -fuzz takes one target at a time).
fuzz:
	@set -e; for f in $$(grep -rl --include='*_test.go' '^func Fuzz' .); do \
	  dir=$$(dirname $$f); \
	  for t in $$(grep -o '^func Fuzz[A-Za-z0-9_]*' $$f | sed 's/^func //'); do \
	    echo "== $$dir $$t ($(FUZZTIME))"; \
	    $(GO) test -run='^$$' -fuzz="^$$t$$" -fuzztime=$(FUZZTIME) ./$$dir; \
	  done; \
	done

fmt:
	gofmt -w .
