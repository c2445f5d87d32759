package freb

import (
	"bytes"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"sync/atomic"
	"testing"
	"time"
)

// fuzzSeeds are the edge cases and slices of real traces: their head
// (prolog, root, first events) and tail (last events, end tag).
func fuzzSeeds(f *testing.F) {
	for _, data := range edgeInputs() {
		if len(data) < 64<<10 {
			f.Add(data)
		}
	}
	dir := filepath.Join(moduleRoot(f), "..", "shared", "freb-corpus")
	for _, name := range []string{"plechenko__FrebViewer__fr000035.config-500-19.xml", "hiwa__Thesis__fr000016.xml", "Globalync__Jilly__fr000001.xml"} {
		data, err := os.ReadFile(filepath.Join(dir, name))
		if err != nil {
			continue
		}
		f.Add(data[:min(len(data), 4096)])
		f.Add(append(data[:min(len(data), 1800):min(len(data), 1800)], data[max(0, len(data)-2500):]...))
	}
}

// within runs check and fails the test with what it reports, or when it
// does not return in time: a reader that loops on some input must not
// hang a scan.
func within(t *testing.T, check func() string) {
	done := make(chan string, 1)
	go func() { done <- check() }()
	select {
	case msg := <-done:
		if msg != "" {
			t.Fatal(msg)
		}
	case <-time.After(10 * time.Second):
		t.Fatal("the reader hangs")
	}
}

// FuzzRead checks that no input makes a reader panic or hang, including
// with a MaxEventSize small enough that events are skipped.
func FuzzRead(f *testing.F) {
	fuzzSeeds(f)
	f.Fuzz(func(t *testing.T, data []byte) {
		within(t, func() string {
			for _, opts := range []Options{
				{KeepEvents: true, SlowSteps: 3, Reader: ReaderAuto},
				{KeepEvents: true, Reader: ReaderFast, MaxEventSize: 300},
				{SlowSteps: 1, Reader: ReaderAuto, MaxEventSize: 300},
				// A budget of a few events: retention must account for
				// every event whatever the input.
				{KeepEvents: true, Reader: ReaderAuto, EventBudget: 2048},
			} {
				tr, err := Read(bytes.NewReader(data), "f.xml", opts)
				if err != nil || !opts.KeepEvents {
					continue
				}
				omitted := 0
				if tr.Omitted != nil {
					omitted = tr.Omitted.Events
				}
				if tr.EventCount != len(tr.Events)+omitted {
					return fmt.Sprintf("EventCount %d, %d events kept, %d omitted", tr.EventCount, len(tr.Events), omitted)
				}
				for i := 1; i < len(tr.Events); i++ {
					if tr.Events[i].Index <= tr.Events[i-1].Index {
						return fmt.Sprintf("events out of order: %d after %d", tr.Events[i].Index, tr.Events[i-1].Index)
					}
				}
			}
			return ""
		})
	})
}

var fuzzRuns, fuzzFallbacks atomic.Int64

// FuzzReaders is the differential fuzz test: whatever the input, the fast
// reader (falling back or not) must give exactly what the reference gives.
func FuzzReaders(f *testing.F) {
	fuzzSeeds(f)
	f.Cleanup(func() {
		f.Logf("%d inputs, %d fell back to the reference reader", fuzzRuns.Load(), fuzzFallbacks.Load())
	})
	f.Fuzz(func(t *testing.T, data []byte) {
		within(t, func() string {
			fellBack, diff := diffReaders(data, DefaultOptions())
			fuzzRuns.Add(1)
			if fellBack {
				fuzzFallbacks.Add(1)
			}
			if diff != "" {
				return "readers differ:\n" + diff
			}
			return ""
		})
	})
}

// FuzzReadersInEvent is FuzzReaders aimed at the fast path: the fuzzed
// strings go inside a well-formed trace (a Data name and value, markup in
// EventData, the time, the root's attributes), so most inputs are read
// by the fast reader and compared with the reference, rather than
// falling back at once.
func FuzzReadersInEvent(f *testing.F) {
	f.Add("ModuleName", "IIS Web Core", `<Data Name="x"/>`, "2026-06-08T19:54:51.596Z", `siteId="1"`)
	f.Add("Context ID", "a&#xD;&#xA;b\r\nc -&gt; d", "<Keywords><Keyword> k </Keyword></Keywords>", "2024-02-29T23:59:59.999Z", `x='&lt;'`)
	f.Add("Headers", "Host: h\r\n&quot;&apos;&amp;", "<freb:Description Data=\"ErrorCode\">e\r\n</freb:Description>", "2026-13-01T00:00:00.000Z", "xmlns:e=\"urn:e\"")
	f.Add("", "", "", "", "")
	var runs, fallbacks atomic.Int64
	f.Cleanup(func() { f.Logf("%d inputs, %d fell back to the reference reader", runs.Load(), fallbacks.Load()) })
	f.Fuzz(func(t *testing.T, name, value, markup, when, rootAttr string) {
		ev := edgeEvent("E", 1, name, value)
		ev = strings.Replace(ev, "<EventData>", "<EventData>"+markup, 1)
		ev = strings.Replace(ev, "2026-06-08T19:54:51.001Z", when, 1)
		doc := strings.Replace(edgeDoc(evStart, ev, evEnd), `siteId="1"`, rootAttr, 1)
		within(t, func() string {
			fellBack, diff := diffReaders([]byte(doc), DefaultOptions())
			runs.Add(1)
			if fellBack {
				fallbacks.Add(1)
			}
			if diff != "" {
				return "readers differ:\n" + diff
			}
			return ""
		})
	})
}
