//go:build !race

// The hostile files are read by one goroutine, so the race detector adds
// nothing here; under it, reading their 400 MB took a minute of CPU. make
// test runs this file in its second pass, without -race.

package freb_test

import (
	"encoding/json"
	"errors"
	"os"
	"path/filepath"
	"runtime"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/frebscan/frebscan/internal/freb"
	"github.com/frebscan/frebscan/internal/gen"
)

// hostileBig is the size of the oversized text node and attribute of the
// hostile files.
const hostileBig = 100 << 20

// heapPeak reads with read while sampling the live heap every few
// milliseconds, and returns how far the peak rose above the start.
func heapPeak(read func()) uint64 {
	runtime.GC()
	var ms runtime.MemStats
	runtime.ReadMemStats(&ms)
	base := ms.HeapAlloc
	var peak atomic.Uint64
	stop := make(chan struct{})
	done := make(chan struct{})
	go func() {
		defer close(done)
		var m runtime.MemStats
		for {
			runtime.ReadMemStats(&m)
			if m.HeapAlloc > peak.Load() {
				peak.Store(m.HeapAlloc)
			}
			select {
			case <-stop:
				return
			case <-time.After(5 * time.Millisecond):
			}
		}
	}()
	read()
	close(stop)
	<-done
	if peak.Load() < base {
		return 0
	}
	return peak.Load() - base
}

// TestHostileFiles reads each file of gen.WriteHostile with both readers
// (the 100 MB ones against an 8 MiB event limit):
// none may crash, hang or take unbounded memory, each must be explained
// (an error naming the file, or a warning), and nothing a DTD declares or
// points to may show up in the trace. It samples the whole process's
// heap, so it is not parallel (nor are its subtests).
func TestHostileFiles(t *testing.T) {
	if testing.Short() {
		t.Skip("writes two files of 100 MB")
	}
	dir := t.TempDir()
	files, err := gen.WriteHostile(dir, hostileBig)
	if err != nil {
		t.Fatal(err)
	}
	passwd, _ := os.ReadFile("/etc/passwd")
	for _, h := range files {
		for _, kind := range []freb.ReaderKind{freb.ReaderAuto, freb.ReaderReference} {
			t.Run(h.Name+"/"+kind.String(), func(t *testing.T) {
				path := filepath.Join(dir, h.Name)
				// With an 8 MiB event limit the heap must stay far below
				// the 100 MB of the big files: the fast reader holds one
				// event, the reference reader stops at the limit (with
				// their copies, about four times the limit).
				var tr *freb.Trace
				var err error
				grew := heapPeak(func() {
					tr, err = freb.ReadFile(path, freb.Options{SlowSteps: 5, Reader: kind, MaxEventSize: 8 << 20})
				})
				t.Logf("heap peak +%d MB", grew>>20)
				if grew > 64<<20 {
					t.Errorf("heap grew by %d MB", grew>>20)
				}
				var reason string
				switch {
				case err != nil:
					var fe *freb.Error
					if !errors.As(err, &fe) || fe.File != path {
						t.Fatalf("error %v does not name the file", err)
					}
					reason = err.Error()
					want := h.Outcome == "unreadable" || h.Outcome == "notfreb"
					if !want {
						t.Fatalf("error %v, want a trace with warnings", err)
					}
					if errors.Is(err, freb.ErrNotFREB) != (h.Outcome == "notfreb") {
						t.Errorf("ErrNotFREB = %v for outcome %s", errors.Is(err, freb.ErrNotFREB), h.Outcome)
					}
				default:
					if h.Outcome != "warning" {
						t.Fatalf("read %d events, want outcome %s", tr.EventCount, h.Outcome)
					}
					if tr.EventCount == 0 {
						t.Fatal("no event kept")
					}
					if tr.Unfinished {
						t.Error("a hostile file is not a file still being written")
					}
					reason = strings.Join(tr.Warnings, "; ")
				}
				if !strings.Contains(reason, h.Reason) {
					t.Errorf("reason %q lacks %q", reason, h.Reason)
				}
				out, _ := json.Marshal(tr)
				if strings.Contains(string(out), "lollollol") {
					t.Error("an entity was expanded")
				}
				if len(passwd) > 0 && strings.Contains(string(out), strings.SplitN(string(passwd), "\n", 2)[0]) {
					t.Error("an external entity was read")
				}
				if h.Name == "many-headers.xml" && len(tr.RequestHeaders) != freb.DefaultMaxHeaders {
					t.Errorf("kept %d request headers", len(tr.RequestHeaders))
				}
			})
		}
	}
}
