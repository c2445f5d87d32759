//go:build !race

// The race detector adds nothing to this test (the scan's concurrency is
// raced by the scan package's tests) and makes it take minutes, so it runs
// without: make test runs it in a second, non-race pass.

package cli

import (
	"bytes"
	"strings"
	"testing"
	"time"

	"github.com/frebscan/frebscan/internal/report"
)

// TestSameBytesWhateverWorkers: a scan's report is the same bytes in every
// format whatever --workers says and however the workers' finishing order
// falls (examples, evidence and the `show` hint included), given the same
// clock.
func TestSameBytesWhateverWorkers(t *testing.T) {
	t.Parallel()
	clock := func() time.Time { return time.Date(2026, 11, 29, 12, 0, 0, 0, time.UTC) }
	// The generated folder has the ties (same millisecond, same time
	// taken) that only a stated order breaks; with the workers' finishing
	// order deciding, the text report differed at --workers 2.
	corpus, _ := generatedCorpus(t)
	inputs := []string{"../../samples", "../freb/testdata", corpus}
	for _, format := range report.Formats(report.KindScan) {
		t.Run(format, func(t *testing.T) {
			var want []byte
			for i, workers := range []string{"1", "8"} {
				var out, errb bytes.Buffer
				args := append([]string{"scan", "--format", format, "--workers", workers, "--fail-on", "none", "--progress", "never"}, inputs...)
				if code := run(args, strings.NewReader(""), &out, &errb, clock); code != 0 {
					t.Fatalf("exit %d: %s", code, errb.String())
				}
				if i == 0 {
					want = out.Bytes()
					continue
				}
				if !bytes.Equal(out.Bytes(), want) {
					t.Fatalf("--workers %s gave other bytes than --workers 1 (first difference at byte %d)", workers, firstDiff(out.Bytes(), want))
				}
			}
		})
	}
}

func firstDiff(a, b []byte) int {
	for i := range min(len(a), len(b)) {
		if a[i] != b[i] {
			return i
		}
	}
	return min(len(a), len(b))
}
