package freb

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"strings"
)

// The limits below keep a hostile or broken file from taking the memory
// or the stack of a scan that reads thousands of files; docs/SECURITY.md
// lists them.
const (
	// DefaultMaxHeaders is how many headers of one header block are kept.
	// Real requests carry a few dozen; a block with more is cut, with a
	// warning.
	DefaultMaxHeaders = 1000
	// MaxDepth is how deep elements may nest. IIS writes five levels at
	// most (failedRequest, Event, RenderingInfo, Keywords, Keyword); the
	// reference reader's tree code recurses, so a file nested millions deep would overflow
	// the stack and kill the process. Deeper input stops the read there.
	MaxDepth = 256
)

// errFileCap is returned by the reader of a file larger than
// Options.MaxFileSize once that many bytes are read.
var errFileCap = errors.New("file size limit reached")

// LimitError is a limit of Options that input went past.
type LimitError struct{ Msg string }

func (e *LimitError) Error() string { return e.Msg }

// capReader delivers at most n bytes of r and then errFileCap (or r's own
// end, if it comes first).
type capReader struct {
	r    io.Reader
	left int64
}

func (c *capReader) Read(p []byte) (int, error) {
	if c.left <= 0 {
		return 0, errFileCap
	}
	if int64(len(p)) > c.left {
		p = p[:c.left]
	}
	n, err := c.r.Read(p)
	c.left -= int64(n)
	return n, err
}

// guard sits between the input and the reference reader, which builds a
// tree of each event and walks it recursively: it stops the read when
// elements nest deeper than MaxDepth, or when one event (with the prolog
// for the first) takes more than maxEvent bytes. It tracks markup with a
// small state machine, byte by byte; the reference reader is the slow
// path already, so this costs little. Nothing inside comments, CDATA,
// processing instructions, declarations or quoted attribute values counts.
type guard struct {
	r        io.Reader
	maxEvent int64
	since    int64 // bytes since the reader last returned an event
	depth    int
	state    guardState
	quote    byte
	tail     [3]byte // last bytes, to find "-->", "]]>", "?>"
	prev     byte    // byte before the current one inside a tag ('/' of "/>")
	markup   []byte  // the start of "<!" markup, to tell comments from CDATA
	brackets int     // open '[' of a DOCTYPE's internal subset
	err      error
}

type guardState int

const (
	gText   guardState = iota
	gOpen              // after '<'
	gTag               // inside a start tag
	gEndTag            // inside an end tag
	gQuote             // inside a quoted attribute value
	gBang              // after "<!", deciding what follows
	gComment
	gCDATA
	gPI
	gDecl // DOCTYPE or other declaration, to its '>' (brackets counted)
)

func newGuard(r io.Reader, maxEvent int) *guard {
	if maxEvent <= 0 {
		maxEvent = DefaultMaxEventSize
	}
	// Like the fast reader, which reads any event that fits its first
	// buffer whatever the limit, so both readers agree on small limits.
	maxEvent = max(maxEvent, fastBufSize)
	return &guard{r: r, maxEvent: int64(maxEvent)}
}

// eventDone restarts the per-event count.
func (g *guard) eventDone() { g.since = 0 }

func (g *guard) Read(p []byte) (int, error) {
	if g.err != nil {
		return 0, g.err
	}
	n, err := g.r.Read(p)
	for i := 0; i < n; i++ {
		if g.step(p[i]) {
			g.err = &LimitError{Msg: fmt.Sprintf("elements nest deeper than %d levels (IIS writes five at most); stopped reading there", MaxDepth)}
			return i, g.err
		}
	}
	g.since += int64(n)
	if g.since > g.maxEvent {
		g.err = &LimitError{Msg: fmt.Sprintf("an <Event> (or the root start tag) is larger than MaxEventSize (%d bytes); stopped reading there", g.maxEvent)}
		return n, g.err
	}
	return n, err
}

// step advances the state machine by one byte and reports whether the
// depth limit is passed.
func (g *guard) step(c byte) bool {
	g.tail[0], g.tail[1], g.tail[2] = g.tail[1], g.tail[2], c
	switch g.state {
	case gText:
		if c == '<' {
			g.state = gOpen
		}
	case gOpen:
		switch c {
		case '/':
			g.state = gEndTag
		case '?':
			g.state = gPI
		case '!':
			g.state, g.markup = gBang, g.markup[:0]
		default:
			g.state, g.prev = gTag, c
			g.depth++
			return g.depth > MaxDepth
		}
	case gTag:
		switch c {
		case '"', '\'':
			g.state, g.quote = gQuote, c
		case '>':
			if g.prev == '/' {
				g.depth--
			}
			g.state = gText
		}
		g.prev = c
	case gQuote:
		if c == g.quote {
			g.state = gTag
		}
	case gEndTag:
		if c == '>' {
			g.depth--
			g.state = gText
		}
	case gBang:
		g.markup = append(g.markup, c)
		m := string(g.markup)
		switch {
		case m == "--":
			g.state, g.tail = gComment, [3]byte{}
		case m == "[CDATA[":
			g.state, g.tail = gCDATA, [3]byte{}
		case !strings.HasPrefix("--", m) && !strings.HasPrefix("[CDATA[", m):
			// A DOCTYPE or another declaration.
			g.state, g.quote, g.brackets = gDecl, 0, 0
			return g.declByte(c)
		}
	case gComment:
		if g.tail == [3]byte{'-', '-', '>'} {
			g.state = gText
		}
	case gCDATA:
		if g.tail == [3]byte{']', ']', '>'} {
			g.state = gText
		}
	case gPI:
		if g.tail[1] == '?' && c == '>' {
			g.state = gText
		}
	case gDecl:
		return g.declByte(c)
	}
	return false
}

// declByte follows a declaration to its end: '>' outside quotes and
// outside the internal subset's brackets (whose own declarations are
// skipped the same way, by counting brackets).
func (g *guard) declByte(c byte) bool {
	switch {
	case g.quote != 0:
		if c == g.quote {
			g.quote = 0
		}
	case c == '"' || c == '\'':
		g.quote = c
	case c == '[':
		g.brackets++
	case c == ']' && g.brackets > 0:
		g.brackets--
	case c == '>' && g.brackets == 0:
		g.state = gText
	}
	return false
}

// doctypeWarning explains a DOCTYPE before the root element. IIS never
// writes one; a file with entity declarations is built to attack XML
// parsers ("billion laughs", external entities). Neither reader expands
// declared entities or reads anything a DTD points to: a reference to a
// declared entity is an XML error that ends the read there.
func doctypeWarning(prefix []byte) string {
	i := bytes.Index(prefix, []byte("<!DOCTYPE"))
	root := bytes.Index(prefix, []byte("<"+rootElement))
	if i < 0 || (root >= 0 && root < i) {
		return ""
	}
	if root < 0 {
		root = len(prefix)
	}
	if bytes.Contains(prefix[i:root], []byte("<!ENTITY")) {
		return "the file has a DOCTYPE declaring entities, which IIS never writes: entities are not expanded and nothing a DTD names is read"
	}
	return "the file has a DOCTYPE, which IIS never writes; it is ignored"
}
