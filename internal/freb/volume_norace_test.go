//go:build !race

// Reader tests whose cost is volume: both readers over every cut of a
// trace, streams past the 8 MiB rewind limit, a 400-event trace read
// whole and within a budget. The readers run in one
// goroutine, so the race detector, which slowed these tenfold, has nothing
// to find; make test runs this file in its second pass, without -race.

package freb

import (
	"reflect"
	"strings"
	"testing"
)

// Cutting a trace at every byte is what a copy of a file IIS is still
// writing looks like; both readers must keep the same events and say the
// same thing about the cut.
func TestReadersAgreeOnEveryCut(t *testing.T) {
	t.Parallel()
	doc := edgeDoc(evStart, evHeaders)
	step := 1
	if testing.Short() {
		step = 7
	}
	fellBack := 0
	for cut := 0; cut <= len(doc); cut += step {
		fb, diff := diffReaders([]byte(doc[:cut]), DefaultOptions())
		if diff != "" {
			t.Fatalf("cut at %d (%q): readers differ:\n%s", cut, doc[max(0, cut-20):cut], diff)
		}
		if fb {
			fellBack++
		}
	}
	t.Logf("%d cuts, %d fell back (those before the first complete event)", len(doc)/step+1, fellBack)
}

// A stream too long to keep cannot be read again: when the fast reader
// gives up on it late, the events before the problem are kept, as for an
// XML error.
func TestLongStreamFastReaderGivesUp(t *testing.T) {
	t.Parallel()
	h := newHugeTrace(rewindLimit + 1<<20)
	h.tail = strings.Replace(evEnd, "<EventData>", "<EventData><!-- c -->", 1) + edgeEnd
	tr, err := Read(streamOnly{h}, "s.xml", Options{SlowSteps: 5})
	if err != nil {
		t.Fatal(err)
	}
	if !tr.Truncated || len(tr.Warnings) != 1 || !strings.Contains(tr.Warnings[0], "too long to read again") {
		t.Fatalf("truncated %v, warnings %q", tr.Truncated, tr.Warnings)
	}
	// The same input from something that seeks is read in full.
	h = newHugeTrace(rewindLimit + 1<<20)
	h.tail = strings.Replace(evEnd, "<EventData>", "<EventData><!-- c -->", 1) + edgeEnd
	tr, err = Read(h, "s.xml", Options{SlowSteps: 5})
	if err != nil || tr.Truncated || len(tr.Warnings) != 0 {
		t.Fatalf("seekable: %v, truncated %v, warnings %q", err, tr.Truncated, tr.Warnings)
	}
}

// A budgeted read keeps exactly the events of a full read it says it
// keeps, and counts the others: retention never changes an event or the
// views derived from every event.
func TestRetentionMatchesFullRead(t *testing.T) {
	t.Parallel()
	parts := []string{evStart, evHeaders}
	for i := 0; i < 400; i++ {
		parts = append(parts, hugeEvents)
		if i == 200 {
			parts = append(parts, evError)
		}
	}
	parts = append(parts, evEnd)
	doc := edgeDoc(parts...)
	for _, reader := range []ReaderKind{ReaderFast, ReaderReference} {
		full, err := Read(strings.NewReader(doc), "t.xml", Options{KeepEvents: true, SlowSteps: 5, Reader: reader})
		if err != nil {
			t.Fatal(err)
		}
		cut, err := Read(strings.NewReader(doc), "t.xml", Options{KeepEvents: true, SlowSteps: 5, Reader: reader, EventBudget: 256 << 10})
		if err != nil {
			t.Fatal(err)
		}
		if cut.Omitted == nil || cut.Omitted.Events+len(cut.Events) != full.EventCount {
			t.Fatalf("%v: kept %d, omitted %+v, of %d", reader, len(cut.Events), cut.Omitted, full.EventCount)
		}
		errorKept := false
		for _, ev := range cut.Events {
			if !reflect.DeepEqual(ev, full.Events[ev.Index]) {
				t.Fatalf("%v: event %d differs from the full read", reader, ev.Index)
			}
			errorKept = errorKept || ev.Name == "MODULE_SET_RESPONSE_ERROR_STATUS"
		}
		if !errorKept {
			t.Errorf("%v: the error status event was left out", reader)
		}
		cut.Events, cut.Omitted, full.Events = nil, nil, nil
		if !reflect.DeepEqual(cut, full) {
			t.Errorf("%v: views differ between a budgeted and a full read", reader)
		}
	}
}
