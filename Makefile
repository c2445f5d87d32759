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

.PHONY: all build release release-check test test-windows test-clickhouse fmt-check vet staticcheck unit unit-race unit-norace cross fuzz fuzz-campaign bench bench-go bench-peers samples clean

all: build

build:
	$(GO) build -trimpath -o $(BIN) ./cmd/frebscan

# make release: archives for every platform, SBOMs and SHA256SUMS in dist/
# (internal/tools/release). The version is the tag on HEAD, else a Go
# pseudo-version; VERSION=0.1.0 overrides it. SOURCE_DATE_EPOCH overrides
# the archive timestamps (default: the commit time).
release:
	$(GO) run ./internal/tools/release -out dist $(if $(VERSION),-version $(VERSION))

# release-check builds the release twice and compares the checksums: the
# build must be reproducible.
release-check: release
	$(GO) run ./internal/tools/release -out dist-check $(if $(VERSION),-version $(VERSION))
	cmp dist/SHA256SUMS dist-check/SHA256SUMS && rm -rf dist-check
	cd dist && sha256sum -c SHA256SUMS

# The checks are independent: they run at once, so the 2 cores stay busy
# while one of them waits (on Chromium, on a build, on the disk).
test:
	@$(MAKE) --no-print-directory -j4 fmt-check vet staticcheck unit cross

fmt-check:
	@out=$$(gofmt -l $$(git ls-files '*.go' 2>/dev/null || find . -name '*.go')); \
	if [ -n "$$out" ]; then echo "gofmt needed:"; echo "$$out"; exit 1; fi

vet:
	$(GO) vet $(PKGS)

staticcheck:
	$(GO) run $(STATICCHECK) $(PKGS)

# unit: every test under the race detector, and, beside it, without the
# detector, the tests in files built with //go:build !race: volume read by
# one goroutine (gigabyte-class reads, hostile 100 MB files, 2,000-trace
# byte-for-byte comparisons, the 10,000-trace report), which the detector
# slows tenfold and cannot find anything in. unit-norace finds those files
# itself, so none is left unrun. Under make test (-j4) the two passes run
# at once, and -p 4 runs
# four test binaries at a time: the release and browser tests spend much
# of their time waiting on builds and Chromium, so 2 cores stay busy.
unit: unit-race unit-norace

# The packages whose tests take longest start first (go test runs them in
# the order given), so neither pass ends with one long package running
# alone on one core.
RACE_FIRST   := ./internal/cli ./internal/scan ./internal/report ./internal/freb
NORACE_FIRST := ./internal/tools/release ./internal/report

unit-race:
	$(GO) test -race -count=1 -p 4 -timeout 20m $(RACE_FIRST) $(PKGS)

unit-norace:
	@files=$$(grep -l '^//go:build !race$$' $$(find . -name '*_test.go' -not -path './.git/*')); \
	tests=$$(sed -n 's/^func \(Test[A-Za-z0-9_]*\)(t \*testing\.T).*/\1/p' $$files | paste -sd'|' -); \
	pkgs=$$(for f in $$files; do dirname $$f; done | sort -u); \
	pkgs="$$(for p in $(NORACE_FIRST); do echo "$$pkgs" | grep -x "$$p"; done) $$(echo "$$pkgs" | grep -vxF "$$(printf '%s\n' $(NORACE_FIRST))")"; \
	echo "$(GO) test -count=1 -run '^($$tests)$$' $$pkgs"; \
	$(GO) test -count=1 -timeout 10m -run "^($$tests)\$$" $$pkgs

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

# test-windows runs the cross-built frebscan.exe end to end under Wine
# (.ci/wine/e2e.sh: scans, scheduled runs, locks, retention, schtasks);
# it installs wine64 and mingw-w64 with apt-get when they are missing.
test-windows:
	GO=$(GO) .ci/wine/e2e.sh

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
	rm -rf bin dist dist-check
