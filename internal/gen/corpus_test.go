package gen

import (
	"io"
	"os"
	"path/filepath"
	"testing"

	"github.com/frebscan/frebscan/internal/freb"
)

func TestCorpusReadsBack(t *testing.T) {
	dir := t.TempDir()
	if err := WriteCorpus(dir, CorpusOptions{Files: 50, Seed: 1}); err != nil {
		t.Fatal(err)
	}
	var files, small, large int
	err := filepath.Walk(dir, func(path string, info os.FileInfo, err error) error {
		if err != nil || info.IsDir() {
			return err
		}
		files++
		if info.Size() < 15_000 {
			small++
		}
		if info.Size() > 600_000 {
			large++
		}
		tr, err := freb.ReadFile(path, freb.Options{SlowSteps: 3})
		if err != nil {
			t.Errorf("%s: %v", path, err)
			return nil
		}
		if len(tr.Warnings) > 0 {
			t.Errorf("%s: warnings %q", path, tr.Warnings)
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	if files != 50 || small > 0 || large > 0 {
		t.Errorf("files = %d, under 15 KB %d, over 600 KB %d", files, small, large)
	}
}

type countingWriter struct{ n int64 }

func (c *countingWriter) Write(p []byte) (int, error) { c.n += int64(len(p)); return len(p), nil }

func TestHugeSize(t *testing.T) {
	var c countingWriter
	if err := WriteHuge(io.Writer(&c), 8<<20, 1); err != nil {
		t.Fatal(err)
	}
	if c.n < 7<<20 || c.n > 9<<20 {
		t.Errorf("huge trace is %d bytes, want about 8 MiB", c.n)
	}
}
