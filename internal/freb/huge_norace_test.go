//go:build !race

// One goroutine reads here, so the race detector adds nothing, and under
// it 128 MB of parsing took over a minute of CPU: make test runs this file
// in its second pass, without -race.

package freb

import (
	"io"
	"runtime"
	"testing"
)

// The fast reader's memory must not grow with the file: a scan meets
// gigabyte traces. 1 GB takes a few seconds; -short reads 64 MB.
// It measures the whole process's heap, so it is not parallel: the
// package's parallel tests wait until the sequential ones are done.
func TestHugeTraceMemoryIsBounded(t *testing.T) {
	size := int64(256 << 20)
	if testing.Short() {
		size = 64 << 20
	}
	for _, stream := range []bool{false, true} {
		h := newHugeTrace(size)
		var r io.Reader = h
		if stream {
			r = streamOnly{h} // Read keeps up to 8 MiB to read again
		}
		runtime.GC()
		var before runtime.MemStats
		runtime.ReadMemStats(&before)
		tr, err := Read(r, "huge.xml", Options{SlowSteps: 5})
		if err != nil {
			t.Fatal(err)
		}
		if tr.EventCount < int(size/int64(len(hugeEvents))) || tr.Truncated {
			t.Fatalf("read %d events, truncated %v", tr.EventCount, tr.Truncated)
		}
		grew := int64(h.peak) - int64(before.HeapInuse)
		limit := int64(16 << 20)
		if stream {
			limit += 2 * rewindLimit
		}
		t.Logf("stream %v: %d MB, %d events, heap grew by at most %.1f MB", stream, size>>20, tr.EventCount, float64(grew)/(1<<20))
		if grew > limit {
			t.Errorf("heap grew by %d MB reading %d MB", grew>>20, size>>20)
		}
	}
}
