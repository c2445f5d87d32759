package freb

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"os"
)

// Options say how much of a trace to keep and how to read it.
type Options struct {
	// KeepEvents keeps every event in Trace.Events. Views derived from
	// events (headers, error status, slowest steps) are filled either way.
	KeepEvents bool
	// EventBudget, when positive with KeepEvents, bounds the events kept
	// to about that many bytes (EventSize) whatever the size of the
	// trace: the first events, the last ones, and the errors, warnings
	// and view events in between; Trace.Omitted counts the rest. Reports
	// that show many traces in detail set it; frebscan show keeps all.
	EventBudget int64
	// SlowSteps is how many of the longest gaps between events to keep.
	SlowSteps int
	// Reader chooses the XML reader; the zero value is ReaderAuto.
	Reader ReaderKind
	// MaxEventSize bounds the bytes of one <Event> the fast reader holds
	// (0 means DefaultMaxEventSize; events that fit the reader's 256 KiB
	// buffer are always read). A larger event is skipped with a warning,
	// so memory stays bounded whatever the file holds. The reference
	// reader stops at such an event (see guard).
	MaxEventSize int
	// MaxFileSize, when positive, is how many bytes of a file are read:
	// the rest is left unread and the trace is marked truncated with a
	// warning. It bounds the time one file can take.
	MaxFileSize int64
	// MaxHeaders is how many headers of one header block are kept (0
	// means DefaultMaxHeaders); the rest are dropped with a warning.
	MaxHeaders int
}

// DefaultOptions keeps every event and the five slowest steps: what a
// person looking at one trace wants.
func DefaultOptions() Options { return Options{KeepEvents: true, SlowSteps: 5} }

// ReaderKind chooses how Read parses the XML of a trace.
type ReaderKind int

const (
	// ReaderAuto uses the fast reader and, for input it does not handle
	// (a DOCTYPE, CDATA, comments inside events, malformed markup other
	// than a cut-off end), reads the input again with the reference
	// reader. The result is the reference reader's, sooner.
	ReaderAuto ReaderKind = iota
	// ReaderReference parses with encoding/xml through xmlquery: slow, and
	// the yardstick the fast reader is tested against.
	ReaderReference
	// ReaderFast uses only the fast reader; input it does not handle is an
	// error. It shows whether, and why, a file takes the slow path.
	ReaderFast
)

var readerNames = []string{ReaderAuto: "auto", ReaderReference: "reference", ReaderFast: "fast"}

func (k ReaderKind) String() string {
	if k >= 0 && int(k) < len(readerNames) {
		return readerNames[k]
	}
	return fmt.Sprintf("ReaderKind(%d)", int(k))
}

// ParseReaderKind reads a reader name as a --reader flag gives it.
func ParseReaderKind(s string) (ReaderKind, error) {
	for k, name := range readerNames {
		if s == name {
			return ReaderKind(k), nil
		}
	}
	return 0, fmt.Errorf("unknown reader %q: use auto, reference or fast", s)
}

// ReadFile reads one FREB file. Truncated and partly malformed files are
// read as far as they go; the result says so in Truncated and Warnings. An
// error (always an *Error naming the file) means nothing usable was found.
func ReadFile(path string, opts Options) (*Trace, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, &Error{File: path, Offset: -1, Err: err}
	}
	defer f.Close()
	return Read(f, path, opts)
}

// Read reads one FREB trace from r; name is used in errors and as
// Trace.File. With ReaderAuto, r is read a second time when the fast
// reader gives up: sought back when it is an io.Seeker, otherwise
// replayed from a copy of the first 8 MiB.
func Read(r io.Reader, name string, opts Options) (*Trace, error) {
	switch opts.Reader {
	case ReaderReference:
		return readWith(r, name, opts, false, nil)
	case ReaderFast:
		return readWith(r, name, opts, true, nil)
	}
	t, _, err := readAuto(r, name, opts)
	return t, err
}

// readAuto is ReaderAuto; fellBack says the reference reader was needed.
func readAuto(r io.Reader, name string, opts Options) (t *Trace, fellBack bool, err error) {
	rw := newRewinder(r)
	t, err = readWith(rw, name, opts, true, rw)
	var fb *fallbackError
	if !errors.As(err, &fb) {
		return t, false, err
	}
	again, ok := rw.rewind()
	if !ok {
		return nil, true, &Error{File: name, Line: fb.line, Offset: -1, Err: fmt.Errorf("%v, and the input cannot be read again: %w", fb, err)}
	}
	t, err = readWith(again, name, opts, false, nil)
	return t, true, err
}

// readWith reads with the fast reader or the reference one. When the fast
// reader gives up, the *Error wraps a *fallbackError, for readAuto to
// start over.
func readWith(r io.Reader, name string, opts Options, fast bool, rw *rewinder) (*Trace, error) {
	if opts.MaxFileSize > 0 {
		r = &capReader{r: r, left: opts.MaxFileSize}
	}
	in, err := newInput(r)
	if err != nil {
		return nil, &Error{File: name, Offset: 0, Err: err}
	}
	defer in.release()
	b := newBuilder(name, opts)
	var src eventSource
	if fast {
		fs := newFastSource(in, b, opts.MaxEventSize)
		defer fs.release()
		src = fs
	} else {
		xs, err := newXMLQuerySource(newGuard(in, opts.MaxEventSize), b)
		if err != nil {
			return nil, &Error{File: name, Offset: -1, Err: err}
		}
		src = xs
	}
	// Two events take turns: the builder looks back at the previous one.
	var evs [2]Event
	for i := 0; ; i++ {
		ev := &evs[i&1]
		*ev = Event{}
		err := src.Next(ev)
		if err == io.EOF {
			break
		}
		if err != nil {
			var fb *fallbackError
			if errors.As(err, &fb) {
				if stop := b.giveUp(fb, src.rooted(), rw); stop != nil {
					stop.File = name
					return nil, stop
				}
				break
			}
			if stop := b.fail(err, src.rooted(), src.head()); stop != nil {
				stop.File = name
				return nil, stop
			}
			break
		}
		b.add(ev)
	}
	t := b.finish()
	t.Warnings = append(in.warnings(), t.Warnings...)
	return t, nil
}

// giveUp decides what the fast reader giving up means: start over with
// the reference reader when the input allows it; otherwise keep the
// events read so far, as for any XML error, or fail before the first.
func (b *builder) giveUp(fb *fallbackError, rooted bool, rw *rewinder) *Error {
	if rw == nil || rw.canRewind() || !rooted {
		return &Error{Line: fb.line, Offset: -1, Err: fb}
	}
	b.t.Truncated = true
	b.warn("%v (the stream is too long to read again); kept the %d events before it", fb, b.t.EventCount)
	return nil
}

// fail decides what an XML error means. Before the root element it means
// the file is not a trace (or is broken beyond use); after it, the events
// read so far are kept and the trace is marked truncated, because IIS cuts
// files and copies catch them half-written.
func (b *builder) fail(err error, rooted bool, head []byte) *Error {
	line := syntaxLine(err)
	if msg := b.limitHit(err); msg != "" {
		if !rooted {
			return &Error{Line: line, Offset: -1, Err: &LimitError{Msg: msg + ", before the first complete <Event>"}}
		}
		b.t.Truncated = true
		b.warn("%s; kept the %d events before it", msg, b.t.EventCount)
		return nil
	}
	if errors.Is(err, ErrNotFREB) {
		return &Error{Line: line, Offset: -1, Err: err}
	}
	if !rooted {
		if name, _, ok := sniffRoot(head); (ok && name == rootElement) || bytes.Contains(head, []byte("<"+rootElement)) {
			if isUnexpectedEOF(err) {
				return &Error{Line: line, Offset: -1, Err: fmt.Errorf("%w before the first complete <Event>: %v", ErrUnfinished, err)}
			}
			return &Error{Line: line, Offset: -1, Err: fmt.Errorf("broken before the first complete <Event>: %v", err)}
		}
		return &Error{Line: line, Offset: -1, Err: fmt.Errorf("%w: %v", ErrNotFREB, err)}
	}
	b.t.Truncated = true
	if isUnexpectedEOF(err) {
		b.t.Unfinished = true
		b.warn("the file ends inside an element (line %d): it was cut while being written or copied; kept the %d complete events", line, b.t.EventCount)
		return nil
	}
	b.warn("XML error at line %d: %v; kept the %d events before it", line, err, b.t.EventCount)
	return nil
}

// limitHit describes err when it is one of the limits of Options.
func (b *builder) limitHit(err error) string {
	var le *LimitError
	switch {
	case errors.Is(err, errFileCap):
		return fmt.Sprintf("the file is larger than the file size limit (%d bytes); read only its start", b.opts.MaxFileSize)
	case errors.As(err, &le):
		return le.Msg
	}
	return ""
}
