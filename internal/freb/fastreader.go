package freb

import (
	"bytes"
	"encoding/xml"
	"fmt"
	"io"
	"sync"
)

// DefaultMaxEventSize is the largest <Event> the fast reader buffers when
// Options.MaxEventSize is 0. Real events are about 1 KB; the big ones
// carry request or response bodies.
const DefaultMaxEventSize = 64 << 20

// fastBufSize is the fast reader's starting buffer: large enough that an
// event rarely straddles a refill, small enough to pool.
const fastBufSize = 256 << 10

var endEventTag = []byte("</Event")

// fallbackError says the input holds something the fast reader does not
// handle. Read then reads the file again with the reference reader, so a
// fallback costs time, never correctness.
type fallbackError struct {
	why  string
	line int
}

func (e *fallbackError) Error() string {
	return fmt.Sprintf("line %d: the fast reader does not handle %s", e.line, e.why)
}

// fastSource is the fast eventSource. It keeps one buffer over the input,
// cuts it into <Event> elements and lexes each in place; the buffer grows
// only to hold the largest event, and never past maxEvent.
//
// It reads the subset of XML that IIS writes (see lexer.go) and gives up
// on anything else with a *fallbackError, before it has told the builder
// anything that the reference reader would not. The one failure it
// reports itself is the common one: input that ends inside an element,
// which it reports as encoding/xml would (same message, same line), so
// that a cut-off trace needs no second reading.
type fastSource struct {
	in       io.Reader
	b        *builder
	lx       eventLexer
	buf      []byte
	r, w     int // buf[r:w] is read but not yet used
	eof      bool
	rerr     error // a read error other than io.EOF, reported once the events before it are used
	lines    int   // '\n' bytes read so far, for line numbers
	maxEvent int
	attrs    []Attribute // the root's, handed to the builder with the first event
	state    uint8
	isRooted bool
	events   int
}

const (
	stateProlog uint8 = iota
	stateEvents
	stateDone
)

// fastPool recycles buffers and interned strings between files: a scan
// reads thousands of small traces.
var fastPool = sync.Pool{New: func() any {
	return &fastSource{buf: make([]byte, fastBufSize), lx: eventLexer{strs: &interner{m: map[string]string{}}}}
}}

func newFastSource(in io.Reader, b *builder, maxEvent int) *fastSource {
	s := fastPool.Get().(*fastSource)
	buf, lx := s.buf, s.lx
	lx.prefixes, lx.why = lx.prefixes[:0], ""
	*s = fastSource{in: in, b: b, buf: buf, lx: lx, maxEvent: maxEvent}
	if s.maxEvent <= 0 {
		s.maxEvent = DefaultMaxEventSize
	}
	return s
}

// release returns the buffers to the pool; nothing read refers to them.
func (s *fastSource) release() {
	if cap(s.buf) > 4*fastBufSize {
		s.buf = make([]byte, fastBufSize)
	}
	s.in, s.b, s.attrs, s.rerr = nil, nil, nil, nil
	fastPool.Put(s)
}

func (s *fastSource) rooted() bool { return s.isRooted }

// head is only asked for before the first event, and the fast source
// never fails there: it falls back instead.
func (s *fastSource) head() []byte { return nil }

func (s *fastSource) fallback(why string) error {
	return &fallbackError{why: why, line: s.lineAt(s.r)}
}

// lineAt is the 1-based line of buf[pos], counted as encoding/xml does.
func (s *fastSource) lineAt(pos int) int {
	return 1 + s.lines - bytes.Count(s.buf[pos:s.w], []byte{'\n'})
}

// more reads at least one more byte into the buffer, first moving the
// unused bytes to its start (growing it when they fill it). It reports
// false at the end of the input.
func (s *fastSource) more() bool {
	if s.eof {
		return false
	}
	if s.r > 0 {
		s.w = copy(s.buf, s.buf[s.r:s.w])
		s.r = 0
	}
	if s.w == len(s.buf) {
		// Grow to just past maxEvent, not beyond: callers compare what
		// is buffered with maxEvent, and a doubling past it would let an
		// event of up to twice the limit through.
		size := 2 * len(s.buf)
		if limit := s.maxEvent + 1; len(s.buf) < limit && size > limit {
			size = limit
		}
		nb := make([]byte, size)
		copy(nb, s.buf[:s.w])
		s.buf = nb
	}
	got := false
	for s.w < len(s.buf) {
		n, err := s.in.Read(s.buf[s.w:])
		s.lines += bytes.Count(s.buf[s.w:s.w+n], []byte{'\n'})
		s.w += n
		got = got || n > 0
		if err != nil {
			s.eof = true
			if err != io.EOF {
				s.rerr = err
			}
			break
		}
		if n == 0 || s.w > len(s.buf)/2 {
			break
		}
	}
	return got || !s.eof
}

// Next implements eventSource.
func (s *fastSource) Next(ev *Event) error {
	switch s.state {
	case stateProlog:
		if err := s.prolog(); err != nil {
			return err
		}
		s.state = stateEvents
	case stateDone:
		return io.EOF
	}
	for {
		s.r = skipSpace(s.buf[:s.w], s.r)
		if s.r == s.w {
			if !s.more() {
				return s.end()
			}
			continue
		}
		b := s.buf[s.r:s.w]
		if b[0] != '<' {
			return s.fallback("text between events")
		}
		if len(b) >= 2 && b[1] == '/' {
			return s.rootEnd()
		}
		n, started, st := s.lx.lexEvent(b, ev)
		switch {
		case st == lexOK:
			s.r += n
			s.events++
			s.root()
			return nil
		case st == lexUnsupported:
			return s.fallback(s.lx.why)
		case s.eof:
			return s.end()
		case !started:
			if s.w-s.r > s.maxEvent {
				return s.fallback("a start tag larger than MaxEventSize")
			}
			s.more()
		case !s.awaitEventEnd(len(b)):
			if s.eof {
				continue // lex the tail once more to check it before reporting truncation
			}
			if err := s.skipEvent(); err != nil {
				return err
			}
		}
	}
}

// root hands the root attributes to the builder, once, before the first
// event (or the first skipped one) as the reference reader does.
func (s *fastSource) root() {
	if !s.isRooted {
		s.isRooted = true
		s.b.root(s.attrs)
	}
}

// end explains the end of the input before </failedRequest>: the
// reference reader's "unexpected EOF", on the line encoding/xml reports.
func (s *fastSource) end() error {
	switch {
	case !s.isRooted:
		return s.fallback("a trace without a complete event")
	case s.rerr != nil:
		return s.rerr
	}
	return &xml.SyntaxError{Msg: "unexpected EOF", Line: 1 + s.lines}
}

// rootEnd reads </failedRequest> and checks that only white space follows.
func (s *fastSource) rootEnd() error {
	for {
		n, st := endTag(s.buf[s.r:s.w], 0, []byte(rootElement))
		if st == lexOK {
			s.r += n
			break
		}
		if st == lexUnsupported {
			return s.fallback("an end tag that does not close <failedRequest>")
		}
		if s.w-s.r > s.maxEvent {
			return s.fallback("an end tag larger than MaxEventSize")
		}
		if !s.more() {
			return s.end()
		}
	}
	for {
		s.r = skipSpace(s.buf[:s.w], s.r)
		if s.r < s.w {
			return s.fallback("content after the root element")
		}
		if !s.more() {
			break
		}
	}
	switch {
	case !s.isRooted:
		return s.fallback("a trace without events")
	case s.rerr != nil:
		return s.rerr
	}
	s.state = stateDone
	return io.EOF
}

// awaitEventEnd reads until the buffer holds "</Event>" after the start
// of the event at s.r, so a large event is lexed once rather than once
// per read. seen is how many bytes the lexer has already gone through.
// It returns false at the end of the input or when the event outgrows
// maxEvent.
func (s *fastSource) awaitEventEnd(seen int) bool {
	from := max(0, seen-len(endEventTag))
	for {
		b := s.buf[s.r:s.w]
		if k := bytes.Index(b[from:], endEventTag); k >= 0 {
			j := skipSpace(b, from+k+len(endEventTag))
			if j < len(b) {
				if b[j] == '>' && len(b) > seen {
					return true
				}
				from += k + 1
				continue
			}
			from += k
		} else {
			from = max(from, len(b)-len(endEventTag)+1)
		}
		if len(b) > s.maxEvent || !s.more() {
			return false
		}
	}
}

// skipEvent drops an event larger than maxEvent, reading on to its end
// tag without keeping it, so memory stays bounded whatever the input.
func (s *fastSource) skipEvent() error {
	s.root()
	s.b.warn("the <Event> at line %d is larger than MaxEventSize (%d bytes); skipped it", s.lineAt(s.r), s.maxEvent)
	for {
		k := bytes.Index(s.buf[s.r:s.w], endEventTag)
		if k < 0 {
			s.r = max(s.r, s.w-len(endEventTag)+1)
			if !s.more() {
				return s.end()
			}
			continue
		}
		s.r += k + len(endEventTag)
		for {
			s.r = skipSpace(s.buf[:s.w], s.r)
			if s.r < s.w {
				break
			}
			if !s.more() {
				return s.end()
			}
		}
		if s.buf[s.r] == '>' {
			s.r++
			return nil
		}
	}
}
