package freb

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"os"
)

// Options say how much of a trace to keep.
type Options struct {
	// KeepEvents keeps every event in Trace.Events. Views derived from
	// events (headers, error status, slowest steps) are filled either way.
	KeepEvents bool
	// SlowSteps is how many of the longest gaps between events to keep.
	SlowSteps int
}

// DefaultOptions keeps every event and the five slowest steps: what a
// person looking at one trace wants.
func DefaultOptions() Options { return Options{KeepEvents: true, SlowSteps: 5} }

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
// Trace.File.
func Read(r io.Reader, name string, opts Options) (*Trace, error) {
	in, err := newInput(r)
	if err != nil {
		return nil, &Error{File: name, Offset: 0, Err: err}
	}
	b := newBuilder(name, opts)
	xq, err := newXMLQuerySource(in, b)
	if err != nil {
		return nil, &Error{File: name, Offset: -1, Err: err}
	}
	var src eventSource = xq
	for {
		ev := new(Event)
		err := src.Next(ev)
		if err == io.EOF {
			break
		}
		if err != nil {
			if stop := b.fail(err, xq); stop != nil {
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

// fail decides what an XML error means. Before the root element it means
// the file is not a trace (or is broken beyond use); after it, the events
// read so far are kept and the trace is marked truncated, because IIS cuts
// files and copies catch them half-written.
func (b *builder) fail(err error, src *xmlquerySource) *Error {
	line := syntaxLine(err)
	if errors.Is(err, ErrNotFREB) {
		return &Error{Line: line, Offset: -1, Err: err}
	}
	if !src.rooted {
		if name, _, ok := sniffRoot(src.prefix.buf); (ok && name == rootElement) || bytes.Contains(src.prefix.buf, []byte("<"+rootElement)) {
			return &Error{Line: line, Offset: -1, Err: fmt.Errorf("broken before the first complete <Event>: %v", err)}
		}
		return &Error{Line: line, Offset: -1, Err: fmt.Errorf("%w: %v", ErrNotFREB, err)}
	}
	b.t.Truncated = true
	if isUnexpectedEOF(err) {
		b.warn("the file ends inside an element (line %d): it was cut while being written or copied; kept the %d complete events", line, b.t.EventCount)
		return nil
	}
	b.warn("XML error at line %d: %v; kept the %d events before it", line, err, b.t.EventCount)
	return nil
}
