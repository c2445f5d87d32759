# make test is the one door CI and developers use.
GO          ?= go
BIN         ?= bin/frebscan
STATICCHECK ?= honnef.co/go/tools/cmd/staticcheck@v0.8.2
FUZZTIME    ?= 20s
# fuzz-campaign: 12 targets x 150s is about 30 minutes on one core, enough
# for 10 million executions (most from the fast header and status targets).
CAMPAIGN_FUZZTIME ?= 150s
MIN_EXECS   ?= 10000000
PKGS        := ./...

.PHONY: all build test test-clickhouse fmt-check vet staticcheck unit cross fuzz fuzz-campaign bench bench-go bench-peers samples clean

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

# A real engine: frebscan's ndjson-flat output loaded into ClickHouse (Debian's
# clickhouse-server, installed if missing) and the documented queries checked
# against the JSON report. Starts and stops its own server on 127.0.0.1.
test-clickhouse:
	GO=$(GO) .ci/clickhouse/test.sh

# Windows is where frebscan runs in production: a change that breaks the
# Windows build must fail here, not on an Exchange server.
cross:
	GOOS=windows GOARCH=amd64 $(GO) build -o /dev/null ./...
	GOOS=windows GOARCH=amd64 $(GO) vet ./...

# Each fuzz target runs for FUZZTIME on one worker; inputs the fuzzer finds
# interesting are copied into the package's testdata/fuzz (commit them).
fuzz:
	$(GO) run ./internal/tools/fuzzrun -fuzztime=$(FUZZTIME) -parallel=1

# Rounds over every target until MIN_EXECS executions in total; the
# results are appended to docs/FUZZING.md.
fuzz-campaign:
	$(GO) run ./internal/tools/fuzzrun -campaign -fuzztime=$(CAMPAIGN_FUZZTIME) -min-execs=$(MIN_EXECS) -parallel=1

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
