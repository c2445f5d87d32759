package gen

import (
	"fmt"
	"os"
	"path/filepath"
	"time"
)

// FleetOptions say what WriteFleet writes.
type FleetOptions struct {
	// Servers is how many IIS servers (EX01, EX02, …); Traces how many
	// traces each wrote.
	Servers, Traces int
	Seed            int64
	// Start is the time of the first trace; each server's traces spread
	// over Hours.
	Start time.Time
	Hours int
	// Padded sizes traces to 20–500 KB as the corpus does; unpadded ones
	// are traced quietly (the handler events left out, about 25 KB), which
	// keeps a fleet of 100,000 traces to a size a test machine can hold.
	Padded bool
	// Tiny cuts every trace after its first events, as IIS does when a
	// trace reaches maxLogFileSizeKB (about 3 KB each): benchmarks of a
	// scheduled run's walk and state over a million files then fit on a
	// test machine's disk, and parsing costs little beside them.
	Tiny bool
}

// tinyEvents is how many events a Tiny trace keeps: the request's start
// and its headers, so each still reads as a trace of its client.
const tinyEvents = 4

// FleetServer is the name of the i-th server of a fleet (from 0).
func FleetServer(i int) string { return fmt.Sprintf("EX%02d", i+1) }

// WriteFleet writes what a central scan of a farm sees: one folder per
// server, named after it (as a collection job copying each server's
// FailedReqLogFiles share would name them), each holding that server's
// W3SVC1 and W3SVC2 traces. The server is also the traces' <Computer>,
// which is what frebscan reads it from, whatever the folder is called.
func WriteFleet(dir string, opt FleetOptions) error {
	if opt.Start.IsZero() {
		opt.Start = time.Date(2024, 3, 12, 6, 0, 0, 0, time.UTC)
	}
	if opt.Hours <= 0 {
		opt.Hours = 10
	}
	for srv := 0; srv < opt.Servers; srv++ {
		name := FleetServer(srv)
		copt := CorpusOptions{Files: opt.Traces, Seed: opt.Seed*1_000 + int64(srv), Start: opt.Start, Hours: opt.Hours}
		counters := map[int]int{}
		for i := 0; i < opt.Traces; i++ {
			s := corpusScenario(copt, i, name, opt.Padded && !opt.Tiny)
			if opt.Tiny {
				s.Truncate = Truncation{Tail: tinyEvents}
			}
			sub := filepath.Join(dir, name, fmt.Sprintf("W3SVC%d", s.SiteID))
			if counters[s.SiteID] == 0 {
				if err := os.MkdirAll(sub, 0o755); err != nil {
					return fmt.Errorf("fleet: %w", err)
				}
			}
			counters[s.SiteID]++
			if err := WriteFile(filepath.Join(sub, SampleFileName(counters[s.SiteID])), s); err != nil {
				return fmt.Errorf("fleet %s file %d: %w", name, i, err)
			}
		}
	}
	return nil
}
