package report

import (
	"bytes"
	"context"
	"io"
	"testing"

	"github.com/frebscan/frebscan/internal/gen"
	"github.com/frebscan/frebscan/internal/scan"
)

// BenchmarkWriteScanNDJSON writes the NDJSON report of a scan of 500
// generated traces: the format the peer benchmark pipes to /dev/null and
// log shippers read. MB/s is of output.
func BenchmarkWriteScanNDJSON(b *testing.B) {
	dir := b.TempDir()
	if err := gen.WriteCorpus(dir, gen.CorpusOptions{Files: 500, Seed: 1}); err != nil {
		b.Fatal(err)
	}
	r, err := scan.Run(context.Background(), scanOptions(scan.Options{Inputs: []string{dir}}))
	if err != nil {
		b.Fatal(err)
	}
	var out bytes.Buffer
	if err := writeScan(&out, "ndjson", r, Options{}); err != nil {
		b.Fatal(err)
	}
	b.SetBytes(int64(out.Len()))
	b.ReportAllocs()
	for b.Loop() {
		if err := writeScan(io.Discard, "ndjson", r, Options{}); err != nil {
			b.Fatal(err)
		}
	}
	b.ReportMetric(float64(b.Elapsed().Nanoseconds())/float64(b.N*len(r.Traces)), "ns/trace")
}
