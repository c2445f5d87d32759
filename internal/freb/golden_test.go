package freb

import (
	"bytes"
	"encoding/json"
	"flag"
	"os"
	"path/filepath"
	"testing"

	"github.com/frebscan/frebscan/internal/corpus"
)

var update = flag.Bool("update", false, "rewrite golden files under testdata/golden")

// TestGolden pins the whole Trace (without events) for a few traces, so a
// change to the model or the reader shows up as a reviewable diff.
func TestGolden(t *testing.T) {
	t.Parallel()
	inputs := map[string]string{"ews-400": "testdata/ews-400.xml"}
	if dir := corpus.Dir(); dir != "" {
		for name, file := range map[string]string{
			"arr-bad-backend": "plechenko__FrebViewer__fr000070.arr-bad-backend.xml",
			"config-500-19":   "plechenko__FrebViewer__fr000008.denied-ext.xml",
			"truncated-ancm":  "pcdccam__Nanette2022__fr000001.xml",
			"binary-body":     "hiwa__Thesis__fr000016.xml",
		} {
			inputs[name] = filepath.Join(dir, file)
		}
	}
	for name, path := range inputs {
		t.Run(name, func(t *testing.T) {
			f, err := os.Open(path)
			if err != nil {
				t.Fatal(err)
			}
			defer f.Close()
			tr, err := Read(f, filepath.Base(path), Options{SlowSteps: 5})
			if err != nil {
				t.Fatal(err)
			}
			got, err := json.MarshalIndent(tr, "", "  ")
			if err != nil {
				t.Fatal(err)
			}
			got = append(got, '\n')
			golden := filepath.Join("testdata", "golden", name+".json")
			if *update {
				if err := os.MkdirAll(filepath.Dir(golden), 0o755); err != nil {
					t.Fatal(err)
				}
				if err := os.WriteFile(golden, got, 0o644); err != nil {
					t.Fatal(err)
				}
			}
			want, err := os.ReadFile(golden)
			if err != nil {
				t.Fatalf("%v (run go test ./internal/freb -run TestGolden -update)", err)
			}
			if !bytes.Equal(got, want) {
				t.Errorf("%s differs from %s; run with -update and review the diff", name, golden)
			}
		})
	}
}
