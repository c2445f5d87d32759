//go:build unix

package freb_test

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/frebscan/frebscan/internal/freb"
	"github.com/frebscan/frebscan/internal/gen"
)

// truncating cuts the file it reads halfway between what it has read and
// the end, right after its first read: what a copy being rolled back or
// IIS recycling a file looks like to a reader.
type truncating struct {
	f    *os.File
	size int64
	done bool
	t    *testing.T
}

func (r *truncating) Read(p []byte) (int, error) {
	n, err := r.f.Read(p)
	if !r.done {
		r.done = true
		if err := os.Truncate(r.f.Name(), int64(n)+(r.size-int64(n))/2); err != nil {
			r.t.Fatal(err)
		}
	}
	return n, err
}

// TestFileTruncatedWhileRead: the events before the cut are kept and the
// trace says it was cut, as for a file IIS is still writing.
func TestFileTruncatedWhileRead(t *testing.T) {
	t.Parallel()
	data, err := gen.Bytes(gen.Samples()[0].Traces[0])
	if err != nil {
		t.Fatal(err)
	}
	for _, kind := range []freb.ReaderKind{freb.ReaderAuto, freb.ReaderReference} {
		path := filepath.Join(t.TempDir(), "fr000001.xml")
		if err := os.WriteFile(path, data, 0o644); err != nil {
			t.Fatal(err)
		}
		whole, err := freb.ReadFile(path, freb.Options{Reader: kind})
		if err != nil {
			t.Fatal(err)
		}
		f, err := os.Open(path)
		if err != nil {
			t.Fatal(err)
		}
		tr, err := freb.Read(&truncating{f: f, size: int64(len(data)), t: t}, path, freb.Options{Reader: kind})
		f.Close()
		if err != nil {
			t.Fatalf("%s: %v", kind, err)
		}
		if !tr.Truncated || !tr.Unfinished || tr.EventCount == 0 || tr.EventCount >= whole.EventCount {
			t.Errorf("%s: truncated %v unfinished %v, %d of %d events", kind, tr.Truncated, tr.Unfinished, tr.EventCount, whole.EventCount)
		}
		if !strings.Contains(strings.Join(tr.Warnings, ";"), "cut while being written") {
			t.Errorf("%s: warnings %q", kind, tr.Warnings)
		}
	}
}
