# make test is the one door CI and developers use.
GO          ?= go
BIN         ?= bin/frebscan
STATICCHECK ?= honnef.co/go/tools/cmd/staticcheck@v0.8.2
FUZZTIME    ?= 20s
PKGS        := ./...

.PHONY: all build test fmt-check vet staticcheck unit cross fuzz bench bench-go bench-peers samples clean

all: build

build:
	$(GO) build -trimpath -o $(BIN) ./cmd/frebscan

test: fmt-check vet staticcheck unit cross

fmt-check:
	@out=$$(gofmt -l $$(git ls-files '*.go' 2>/dev/null || find . -name '*.go')); \
	if [ -n "$$out" ]; then echo "gofmt needed:"; echo "$$out"; exit 1; fi

vet:
	$(GO) vet $(PKGS)

staticcheck:
	$(GO) run $(STATICCHECK) $(PKGS)

unit:
	$(GO) test -race -count=1 $(PKGS)

# Windows is where frebscan runs in production: a change that breaks the
# Windows build must fail here, not on an Exchange server.
cross:
	GOOS=windows GOARCH=amd64 $(GO) build -o /dev/null ./...
	GOOS=windows GOARCH=amd64 $(GO) vet ./...

# Each fuzz target runs for FUZZTIME; go test accepts one -fuzz target per run.
fuzz:
	@set -e; for spec in $$($(GO) run ./internal/tools/fuzzlist); do \
		pkg=$${spec%%:*}; name=$${spec##*:}; \
		echo "== $$pkg $$name"; \
		$(GO) test -run='^$$' -fuzz="^$$name$$" -fuzztime=$(FUZZTIME) $$pkg; \
	done

# make bench: the Go benchmarks, then frebscan against xmllint, Python
# iterparse, xmlstarlet and cat on generated corpora (bench/run.sh; set
# BENCH_SCALE=small for a quick check). docs/BENCHMARKS.md has the figures.
bench: bench-go bench-peers

bench-go:
	$(GO) test -run='^$$' -bench=. -benchmem $(PKGS)

bench-peers:
	GO=$(GO) bench/run.sh

samples:
	$(GO) run ./cmd/frebgen samples -o samples

clean:
	rm -rf bin
