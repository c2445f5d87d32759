package scan

import (
	"bytes"
	"context"
	"fmt"
	"os"
	"path/filepath"
	"runtime"
	"testing"
	"time"

	"github.com/frebscan/frebscan/internal/freb"
	"github.com/frebscan/frebscan/internal/gen"
)

// benchCorpus writes a generated FailedReqLogFiles tree of n traces (the
// mix of bench/run.sh's "many" corpus) and returns it with its size.
func benchCorpus(b *testing.B, n int) (string, int64) {
	dir := b.TempDir()
	if err := gen.WriteCorpus(dir, gen.CorpusOptions{Files: n, Seed: 1}); err != nil {
		b.Fatal(err)
	}
	var size int64
	err := filepath.WalkDir(dir, func(_ string, d os.DirEntry, err error) error {
		if err == nil && !d.IsDir() {
			if fi, err := d.Info(); err == nil {
				size += fi.Size()
			}
		}
		return err
	})
	if err != nil {
		b.Fatal(err)
	}
	return dir, size
}

// BenchmarkRun is the scan pipeline end to end: walk, read, diagnose,
// correlate and aggregate, from the page cache. workers=1 shows the cost
// per core; the default uses every CPU.
func BenchmarkRun(b *testing.B) {
	dir, size := benchCorpus(b, 200)
	for _, bc := range []struct {
		name    string
		workers int
	}{{"workers=1", 1}, {"workers=NumCPU", 0}} {
		b.Run(bc.name, func(b *testing.B) {
			opts := withDefaults(Options{Inputs: []string{dir}, Workers: bc.workers})
			b.SetBytes(size)
			b.ReportAllocs()
			for b.Loop() {
				r, err := Run(context.Background(), opts)
				if err != nil {
					b.Fatal(err)
				}
				if r.Summary.Traces != 200 {
					b.Fatalf("%d traces, want 200", r.Summary.Traces)
				}
			}
		})
	}
}

// BenchmarkAggregate scans n traces built in memory (Options.Read: no
// disk, no XML), so it measures what the scan holds per trace: the
// "peak-heap-MB" metric is the largest heap in use, sampled every 2,000
// traces, and must stay about the same from 10,000 to 1,000,000 traces.
// Each trace is one of 500 generated corpus traces under a new name, a
// new client address and a later time, so clients, rows and sequences
// grow with n as they do in a fleet.
//
//	go test -run '^$' -bench BenchmarkAggregate -benchmem ./internal/scan
//	FREBSCAN_BENCH_1M=1 go test … (adds 1,000,000 traces)
func BenchmarkAggregate(b *testing.B) {
	base := make([]*freb.Trace, 500)
	for i := range base {
		s := gen.CorpusScenario(gen.CorpusOptions{Files: len(base), Seed: 1, Hours: 1}, i)
		s.Quiet = true
		data, err := gen.Bytes(s)
		if err != nil {
			b.Fatal(err)
		}
		if base[i], err = freb.Read(bytes.NewReader(data), "t.xml", freb.Options{SlowSteps: 5}); err != nil {
			b.Fatal(err)
		}
	}
	for _, n := range []int{10_000, 100_000, 1_000_000} {
		b.Run(fmt.Sprintf("traces=%d", n), func(b *testing.B) {
			// A million traces take about fifteen minutes on two CPUs:
			// make bench-go leaves them out unless asked.
			if n > 100_000 && os.Getenv("FREBSCAN_BENCH_1M") == "" {
				b.Skip("set FREBSCAN_BENCH_1M=1 to aggregate 1,000,000 traces")
			}
			var peak uint64
			var ms runtime.MemStats
			for b.Loop() {
				peak = 0
				read := func(name string) (*freb.Trace, int64, error) {
					var i int
					fmt.Sscanf(name, "t%d.xml", &i)
					t := *base[i%len(base)]
					t.File = name
					t.Start = t.Start.Add(time.Duration(i) * 50 * time.Millisecond)
					t.ClientAddress = fmt.Sprintf("10.%d.%d.%d", i>>16&255, i>>8&255, i&255)
					return &t, 2048, nil
				}
				inputs := make([]string, n)
				for i := range inputs {
					inputs[i] = fmt.Sprintf("t%d.xml", i)
				}
				done := 0
				opts := withDefaults(Options{Inputs: inputs, Read: read, Workers: 2, TempDir: b.TempDir(),
					OnFile: func(string, *freb.Trace, error) {
						if done++; done%2000 == 0 {
							runtime.ReadMemStats(&ms)
							peak = max(peak, ms.HeapInuse)
						}
					}})
				r, err := Run(context.Background(), opts)
				if err != nil {
					b.Fatal(err)
				}
				inputs = nil
				if r.Summary.Traces != n {
					b.Fatalf("%d traces, want %d", r.Summary.Traces, n)
				}
				r.Close()
			}
			b.ReportMetric(float64(peak)/(1<<20), "peak-heap-MB")
		})
	}
}
