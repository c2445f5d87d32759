package freb

import (
	"encoding/xml"
	"errors"
	"fmt"
	"io"
	"strconv"
	"strings"
	"time"

	"github.com/antchfx/xmlquery"
)

// rootElement is the document element of every FREB file.
const rootElement = "failedRequest"

// prefixLimit bounds how much of the start of a file is remembered to
// explain files that turn out not to be FREB.
const prefixLimit = 64 << 10

// eventSource yields a trace's root attributes and then its events. It is
// the seam between the XML layer and the trace builder, so a faster reader
// can replace the reference one without touching anything downstream.
type eventSource interface {
	// Next fills ev with the next event. It returns io.EOF after the last
	// one. Root attributes are delivered to the builder before the first
	// event.
	Next(ev *Event) error
	// rooted reports whether the root attributes have been delivered.
	rooted() bool
	// head is the start of the input, to explain a failure before the
	// first event.
	head() []byte
}

// xmlquerySource is the reference reader: antchfx/xmlquery's stream parser
// hands over one <Event> subtree at a time and frees the previous one, so
// memory stays bounded by the largest event.
type xmlquerySource struct {
	sp       *xmlquery.StreamParser
	guard    *guard
	b        *builder
	prefix   *prefixRecorder
	isRooted bool
}

func newXMLQuerySource(g *guard, b *builder) (*xmlquerySource, error) {
	pr := &prefixRecorder{r: g}
	sp, err := xmlquery.CreateStreamParserWithOptions(pr, xmlquery.ParserOptions{
		Decoder: &xmlquery.DecoderOptions{Strict: true, CharsetReader: identityCharset},
	}, "/"+rootElement+"/Event")
	if err != nil {
		return nil, err
	}
	return &xmlquerySource{sp: sp, guard: g, b: b, prefix: pr}, nil
}

func (s *xmlquerySource) rooted() bool { return s.isRooted }

func (s *xmlquerySource) head() []byte { return s.prefix.buf }

func (s *xmlquerySource) Next(ev *Event) error {
	n, err := s.sp.Read()
	if err != nil {
		if err == io.EOF && !s.isRooted {
			return s.noEvents()
		}
		return err
	}
	s.guard.eventDone()
	if !s.isRooted {
		s.isRooted = true
		if n.Parent != nil {
			s.b.root(nodeAttrs(n.Parent))
		}
		if w := doctypeWarning(s.prefix.buf); w != "" {
			s.b.warn("%s", w)
		}
	}
	fillEvent(ev, n)
	return nil
}

// noEvents explains a document in which no /failedRequest/Event matched:
// either a FREB trace without events, or not FREB at all.
func (s *xmlquerySource) noEvents() error {
	name, attrs, ok := sniffRoot(s.prefix.buf)
	switch {
	case !ok:
		return fmt.Errorf("%w: no XML element found", ErrNotFREB)
	case name != rootElement:
		return fmt.Errorf("%w: the root element is <%s>, not <%s>", ErrNotFREB, name, rootElement)
	}
	s.isRooted = true
	s.b.root(attrs)
	return io.EOF
}

// sniffRoot finds the first element in the start of a document.
func sniffRoot(prefix []byte) (name string, attrs []Attribute, ok bool) {
	d := xml.NewDecoder(strings.NewReader(string(prefix)))
	d.Strict = false
	d.CharsetReader = identityCharset
	for {
		tok, err := d.RawToken()
		if err != nil {
			return "", nil, false
		}
		if se, isStart := tok.(xml.StartElement); isStart {
			attrs = make([]Attribute, 0, len(se.Attr))
			for _, a := range se.Attr {
				attrs = append(attrs, Attribute{Name: qname(a.Name), Value: a.Value})
			}
			return qname(se.Name), attrs, true
		}
	}
}

func qname(n xml.Name) string {
	if n.Space != "" && !strings.Contains(n.Space, "/") {
		return n.Space + ":" + n.Local
	}
	return n.Local
}

func nodeAttrs(n *xmlquery.Node) []Attribute {
	attrs := make([]Attribute, 0, len(n.Attr))
	for _, a := range n.Attr {
		name := a.Name.Local
		if a.Name.Space != "" {
			name = a.Name.Space + ":" + name
		}
		attrs = append(attrs, Attribute{Name: name, Value: a.Value})
	}
	return attrs
}

func fillEvent(ev *Event, n *xmlquery.Node) {
	for c := n.FirstChild; c != nil; c = c.NextSibling {
		if c.Type != xmlquery.ElementNode {
			continue
		}
		switch c.Data {
		case "System":
			fillSystem(ev, c)
		case "EventData":
			for d := c.FirstChild; d != nil; d = d.NextSibling {
				if d.Type == xmlquery.ElementNode {
					ev.Data = append(ev.Data, Field{Name: d.SelectAttr("Name"), Value: d.InnerText()})
				}
			}
		case "RenderingInfo":
			fillRendering(ev, c)
		}
	}
}

func fillSystem(ev *Event, sys *xmlquery.Node) {
	for c := sys.FirstChild; c != nil; c = c.NextSibling {
		if c.Type != xmlquery.ElementNode {
			continue
		}
		switch c.Data {
		case "Provider":
			ev.Provider = c.SelectAttr("Name")
		case "Level":
			ev.Level = atoi(c.InnerText())
		case "Opcode":
			ev.Opcode = atoi(c.InnerText())
		case "TimeCreated":
			ev.Time = parseTime(c.SelectAttr("SystemTime"))
		case "Execution":
			ev.Process = atoi(c.SelectAttr("ProcessID"))
			ev.Thread = atoi(c.SelectAttr("ThreadID"))
		case "Computer":
			ev.computer = c.InnerText()
		}
	}
}

func fillRendering(ev *Event, ri *xmlquery.Node) {
	for c := ri.FirstChild; c != nil; c = c.NextSibling {
		if c.Type != xmlquery.ElementNode {
			continue
		}
		switch c.Data {
		case "Opcode":
			ev.Name = strings.TrimSpace(c.InnerText())
		case "Keywords":
			for k := c.FirstChild; k != nil; k = k.NextSibling {
				if k.Type == xmlquery.ElementNode && ev.Keyword == "" {
					ev.Keyword = strings.TrimSpace(k.InnerText())
				}
			}
		case "Description":
			ev.Descriptions = append(ev.Descriptions, Field{Name: c.SelectAttr("Data"), Value: c.InnerText()})
		}
	}
}

func atoi(s string) int {
	n, _ := strconv.Atoi(strings.TrimSpace(s))
	return n
}

func parseTime(s string) time.Time {
	t, err := time.Parse(time.RFC3339Nano, strings.TrimSpace(s))
	if err != nil {
		return time.Time{}
	}
	return t
}

// prefixRecorder remembers the first bytes read through it.
type prefixRecorder struct {
	r   io.Reader
	buf []byte
}

func (p *prefixRecorder) Read(b []byte) (int, error) {
	n, err := p.r.Read(b)
	if room := prefixLimit - len(p.buf); room > 0 && n > 0 {
		p.buf = append(p.buf, b[:min(n, room)]...)
	}
	return n, err
}

// syntaxLine returns the line of an XML syntax error, or 0.
func syntaxLine(err error) int {
	var se *xml.SyntaxError
	if errors.As(err, &se) {
		return se.Line
	}
	return 0
}

// isUnexpectedEOF reports whether err means the document stopped early.
func isUnexpectedEOF(err error) bool {
	if errors.Is(err, io.ErrUnexpectedEOF) {
		return true
	}
	var se *xml.SyntaxError
	return errors.As(err, &se) && strings.Contains(se.Msg, "unexpected EOF")
}
