package gen

import (
	"bufio"
	"fmt"
	"io"
	"strconv"
	"strings"
	"time"

	"github.com/frebscan/frebscan/internal/headers"
)

const crlf = "\r\n"

// field is one <Data> (or freb:Description) name and value.
type field struct {
	name, value string
}

// event is one <Event> before rendering. System fields come from its class.
type event struct {
	name   string
	at     time.Time
	thread int
	data   []field
}

// xmlWriter renders the document as IIS does. It writes straight through
// a buffered writer so a trace of any size streams with bounded memory.
type xmlWriter struct {
	w        *bufio.Writer
	activity string
	process  int
	computer string
	written  int64
	err      error
}

func newXMLWriter(w io.Writer) *xmlWriter {
	return &xmlWriter{w: bufio.NewWriterSize(w, 64<<10)}
}

func (x *xmlWriter) str(s string) {
	if x.err != nil {
		return
	}
	n, err := x.w.WriteString(s)
	x.written += int64(n)
	x.err = err
}

// esc writes s with the five entities IIS uses and nothing else: CR and LF
// stay literal, and there are no numeric character references.
func (x *xmlWriter) esc(s string) {
	start := 0
	for i := 0; i < len(s); i++ {
		var rep string
		switch s[i] {
		case '&':
			rep = "&amp;"
		case '<':
			rep = "&lt;"
		case '>':
			rep = "&gt;"
		case '"':
			rep = "&quot;"
		case '\'':
			rep = "&apos;"
		default:
			continue
		}
		x.str(s[start:i])
		x.str(rep)
		start = i + 1
	}
	x.str(s[start:])
}

// header writes the declaration, stylesheet PI, mark-of-the-web comment and
// the root start tag with one attribute per line.
func (x *xmlWriter) header(attrs []field) {
	x.str(`<?xml version="1.0" encoding="UTF-8" ?>` + crlf)
	x.str(`<?xml-stylesheet type='text/xsl' href='freb.xsl'?>` + crlf)
	x.str(`<!-- saved from url=(0014)about:internet -->` + crlf)
	for i, a := range attrs {
		if i == 0 {
			x.str("<failedRequest ")
		} else {
			x.str("               ")
		}
		x.str(a.name + `="`)
		x.esc(a.value)
		x.str(`"` + crlf)
	}
	x.str(`               xmlns:freb="http://schemas.microsoft.com/win/2006/06/iis/freb"` + crlf)
	x.str("               >" + crlf)
}

// footer closes the root. IIS writes no line break after it.
func (x *xmlWriter) footer() {
	x.str("</failedRequest>")
}

func (x *xmlWriter) event(ev *event) {
	c, ok := classes[ev.name]
	if !ok {
		if x.err == nil {
			x.err = fmt.Errorf("gen: no event class for %s", ev.name)
		}
		return
	}
	x.str(`<Event xmlns="http://schemas.microsoft.com/win/2004/08/events/event">` + crlf)
	x.str(" <System>" + crlf)
	x.str(`  <Provider Name="` + c.provider + `" Guid="` + providerGUID(c.provider) + `"/>` + crlf)
	x.str("  <EventID>0</EventID>" + crlf)
	x.str("  <Version>" + strconv.Itoa(c.version) + "</Version>" + crlf)
	x.str("  <Level>" + strconv.Itoa(c.level) + "</Level>" + crlf)
	x.str("  <Opcode>" + strconv.Itoa(c.opcode) + "</Opcode>" + crlf)
	x.str("  <Keywords>0x" + strconv.FormatUint(uint64(c.keywords), 16) + "</Keywords>" + crlf)
	x.str(`  <TimeCreated SystemTime="` + ev.at.UTC().Format("2006-01-02T15:04:05.000Z") + `"/>` + crlf)
	x.str(`  <Correlation ActivityID="` + x.activity + `"/>` + crlf)
	x.str(`  <Execution ProcessID="` + strconv.Itoa(x.process) + `" ThreadID="` + strconv.Itoa(ev.thread) + `"/>` + crlf)
	x.str("  <Computer>")
	x.esc(x.computer)
	x.str("</Computer>" + crlf)
	x.str(" </System>" + crlf)
	x.str(" <EventData>" + crlf)
	data := ev.data
	switch {
	case c.bare:
		data = nil
	case c.aspnet:
		data = append([]field{{"ConnID", "0"}, {"Context ID", x.activity}}, data...)
	default:
		data = append([]field{{"ContextId", x.activity}}, data...)
	}
	for _, f := range data {
		x.str(`  <Data Name="` + f.name + `">`)
		x.esc(f.value)
		x.str("</Data>" + crlf)
	}
	x.str(" </EventData>" + crlf)
	x.str(` <RenderingInfo Culture="en-US">` + crlf)
	x.str("  <Opcode>" + ev.name + "</Opcode>" + crlf)
	if k := keywordName(c.provider, c.keywords); k != "" {
		x.str("  <Keywords>" + crlf + "   <Keyword>" + k + "</Keyword>" + crlf + "  </Keywords>" + crlf)
	}
	for _, d := range describe(ev.name, ev.data) {
		x.str(`  <freb:Description Data="` + d.name + `">`)
		x.esc(d.value)
		x.str("</freb:Description>" + crlf)
	}
	x.str(" </RenderingInfo>" + crlf)
	x.str(` <ExtendedTracingInfo xmlns="http://schemas.microsoft.com/win/2004/08/events/trace">` + crlf)
	x.str("  <EventGuid>" + c.guid + "</EventGuid>" + crlf)
	x.str(" </ExtendedTracingInfo>" + crlf)
	x.str("</Event>" + crlf)
}

func providerGUID(p string) string {
	if p == providerASPNET {
		return guidASPNET
	}
	return guidWWW
}

func (x *xmlWriter) flush() error {
	if x.err != nil {
		return x.err
	}
	return x.w.Flush()
}

// headerBlock renders header lines as IIS does in Headers fields: every
// line, the last one too, ends in CR LF.
func headerBlock(lines headers.List) string {
	var b strings.Builder
	for _, h := range lines {
		b.WriteString(h.Name)
		b.WriteString(": ")
		b.WriteString(h.Value)
		b.WriteString(crlf)
	}
	return b.String()
}
