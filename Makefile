# orderdesk — see README.md.
GO       ?= go
FUZZTIME ?= 30s
BENCH    ?= .

.PHONY: build test bench fuzz fmt

build:
	$(GO) build -o bin/orderdesk .

# vet + the whole suite with the race detector; fuzz seed corpora run here too.
test:
	$(GO) vet ./...
	$(GO) test -race -count=1 ./...

# Performance budgets live in benchmarks, never in timed unit tests.
bench:
	$(GO) test -run='^$$' -bench='$(BENCH)' -benchmem ./...

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
