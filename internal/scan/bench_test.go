package scan

import (
	"context"
	"os"
	"path/filepath"
	"testing"

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
