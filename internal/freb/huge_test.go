package freb

import (
	"io"
	"runtime"
	"strings"
	"testing"
)

// hugeTrace streams a synthetic trace of about size bytes without holding
// it: the prolog and the root, the same few events over and over, the end
// tag. It can seek back to the start, as a file can.
type hugeTrace struct {
	size, done int64
	chunk      string // what is being read now
	tail       string // what follows the events
	off        int
	phase      int // 0 head, 1 events, 2 tail, 3 end
	peak       uint64
	sampled    int64
}

var hugeEvents = edgeEvent("NOTIFY_MODULE_START", 10, "ContextId", "{40000005-0001-FB00-B63F-84710C7967BB}", "ModuleName", "WebDAVModule", "Notification", "1", "fIsPostNotification", "false") +
	edgeEvent("NOTIFY_MODULE_END", 11, "ContextId", "{40000005-0001-FB00-B63F-84710C7967BB}", "ModuleName", "WebDAVModule", "Notification", "1", "fIsPostNotificationEvent", "false", "NotificationStatus", "NOTIFICATION_CONTINUE") +
	edgeEvent("GENERAL_RESPONSE_ENTITY_BUFFER", 12, "Buffer", strings.Repeat("&lt;p&gt;body text&lt;/p&gt;\r\n", 200))

func newHugeTrace(size int64) *hugeTrace {
	return &hugeTrace{size: size, chunk: edgeProlog + edgeRoot + evStart, tail: edgeEnd}
}

func (h *hugeTrace) Read(p []byte) (int, error) {
	for h.off == len(h.chunk) {
		switch {
		case h.phase == 0 || h.phase == 1 && h.done < h.size:
			h.phase, h.chunk = 1, hugeEvents
		case h.phase == 1:
			h.phase, h.chunk = 2, h.tail
		default:
			return 0, io.EOF
		}
		h.off = 0
	}
	n := copy(p, h.chunk[h.off:])
	h.off += n
	h.done += int64(n)
	// Sample the heap every 8 MB: often enough to see growth, rarely
	// enough not to stop the world all the time.
	if h.done-h.sampled > 8<<20 {
		h.sampled = h.done
		var ms runtime.MemStats
		runtime.ReadMemStats(&ms)
		h.peak = max(h.peak, ms.HeapInuse)
	}
	return n, nil
}

// Seek supports what Read needs of a file: where it is, and the start.
func (h *hugeTrace) Seek(offset int64, whence int) (int64, error) {
	if whence == io.SeekStart && offset == 0 {
		*h = hugeTrace{size: h.size, chunk: edgeProlog + edgeRoot + evStart, tail: h.tail}
	}
	return h.done, nil
}

// BenchmarkReadHuge reads a 1 GB synthetic trace as a stream of events,
// the case the bounded buffer is for.
func BenchmarkReadHuge(b *testing.B) {
	const size = 1 << 30
	b.SetBytes(size)
	b.ReportAllocs()
	for b.Loop() {
		h := newHugeTrace(size)
		if _, err := Read(h, "huge.xml", Options{SlowSteps: 5}); err != nil {
			b.Fatal(err)
		}
		b.ReportMetric(float64(h.peak)/(1<<20), "peak-heap-MB")
	}
}
