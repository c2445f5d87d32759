package report

import (
	"bytes"
	"context"
	"os"
	"path/filepath"
	"testing"

	"github.com/frebscan/frebscan/internal/scan"
)

// TestSpilledRowsSameBytes: a scan whose rows spill to a temporary file in
// sorted runs writes the same JSON, NDJSON and CSV bytes as one that holds
// them in memory, and leaves no file behind once closed.
func TestSpilledRowsSameBytes(t *testing.T) {
	t.Chdir(filepath.Join("..", ".."))
	scanWith := func(rows int, tmp string) *scan.Result {
		so := scanOptions(scan.Options{Inputs: []string{"samples"}, Clock: goldenClock, Workers: 2, Tool: "frebscan dev", RowsInMemory: rows, TempDir: tmp})
		r, err := scan.Run(context.Background(), so)
		if err != nil {
			t.Fatal(err)
		}
		return r
	}
	whole := scanWith(0, "")
	defer whole.Close()
	if len(whole.Traces) < 20 {
		t.Fatalf("the in-memory scan holds %d rows: want the samples' rows in Traces", len(whole.Traces))
	}
	tmp := t.TempDir()
	// 7 rows a run: the samples make several runs, and the last one short.
	spilled := scanWith(7, tmp)
	if spilled.Traces != nil {
		t.Fatalf("RowsInMemory 7: %d rows held in memory, want them spilled", len(spilled.Traces))
	}
	for _, format := range []string{"json", "ndjson", "csv"} {
		var want, got bytes.Buffer
		if err := writeScan(&want, format, whole, Options{}); err != nil {
			t.Fatal(err)
		}
		if err := writeScan(&got, format, spilled, Options{}); err != nil {
			t.Fatal(err)
		}
		if !bytes.Equal(want.Bytes(), got.Bytes()) {
			t.Errorf("%s: %d bytes spilled, %d in memory; first difference at byte %d", format, got.Len(), want.Len(), firstDiff(want.Bytes(), got.Bytes()))
		}
	}
	if err := spilled.Close(); err != nil {
		t.Fatal(err)
	}
	left, err := os.ReadDir(tmp)
	if err != nil {
		t.Fatal(err)
	}
	if len(left) != 0 {
		t.Errorf("after Close the temporary directory holds %v", left)
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
