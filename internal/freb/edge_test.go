package freb

import (
	"encoding/binary"
	"errors"
	"fmt"
	"io"
	"strings"
	"testing"
	"unicode/utf16"
)

// The shape IIS writes (see FORMAT.md), small enough to cut at every byte.
const (
	edgeProlog = "<?xml version=\"1.0\" encoding=\"UTF-8\" ?>\r\n" +
		"<?xml-stylesheet type='text/xsl' href='freb.xsl'?>\r\n" +
		"<!-- saved from url=(0014)about:internet -->\r\n"
	edgeRoot = "<failedRequest url=\"http://h:80/a?q=1&amp;r=%E2\"\r\n" +
		"               siteId=\"1\"\r\n" +
		"               verb=\"GET\"\r\n" +
		"               statusCode=\"500.19\"\r\n" +
		"               triggerStatusCode=\"500\"\r\n" +
		"               timeTaken=\"15\"\r\n" +
		"               xmlns:freb=\"http://schemas.microsoft.com/win/2006/06/iis/freb\"\r\n" +
		"               >\r\n"
	edgeEnd = "</failedRequest>\r\n"
)

// edgeEvent writes one event; data alternates names and raw (escaped) values.
func edgeEvent(name string, ms int, data ...string) string {
	var b strings.Builder
	b.WriteString("<Event xmlns=\"http://schemas.microsoft.com/win/2004/08/events/event\">\r\n <System>\r\n")
	b.WriteString("  <Provider Name=\"WWW Server\" Guid=\"{3A2A4E84-4C21-4981-AE10-3FDA0D9B0F83}\"/>\r\n")
	b.WriteString("  <EventID>0</EventID>\r\n  <Version>1</Version>\r\n  <Level>4</Level>\r\n  <Opcode>50</Opcode>\r\n")
	b.WriteString("  <Keywords>0x100</Keywords>\r\n")
	fmt.Fprintf(&b, "  <TimeCreated SystemTime=\"2026-06-08T19:54:51.%03dZ\"/>\r\n", ms)
	b.WriteString("  <Correlation ActivityID=\"{40000005-0001-FB00-B63F-84710C7967BB}\"/>\r\n")
	b.WriteString("  <Execution ProcessID=\"7120\" ThreadID=\"2060\"/>\r\n  <Computer>WEB01</Computer>\r\n </System>\r\n <EventData>\r\n")
	for i := 0; i+1 < len(data); i += 2 {
		fmt.Fprintf(&b, "  <Data Name=\"%s\">%s</Data>\r\n", data[i], data[i+1])
	}
	b.WriteString(" </EventData>\r\n <RenderingInfo Culture=\"en-US\">\r\n")
	fmt.Fprintf(&b, "  <Opcode>%s</Opcode>\r\n", name)
	b.WriteString("  <Keywords>\r\n   <Keyword>RequestNotifications</Keyword>\r\n  </Keywords>\r\n")
	b.WriteString("  <freb:Description Data=\"ErrorCode\">The system cannot find the file specified.\r\n (0x80070002)</freb:Description>\r\n")
	b.WriteString(" </RenderingInfo>\r\n <ExtendedTracingInfo xmlns=\"http://schemas.microsoft.com/win/2004/08/events/trace\">\r\n")
	b.WriteString("  <EventGuid>{D42CF7EF-DE92-473E-8B6C-621EA663113A}</EventGuid>\r\n </ExtendedTracingInfo>\r\n</Event>\r\n")
	return b.String()
}

func edgeDoc(events ...string) string {
	return edgeProlog + edgeRoot + strings.Join(events, "") + edgeEnd
}

var (
	evStart   = edgeEvent("GENERAL_REQUEST_START", 1, "ContextId", "{40000005-0001-FB00-B63F-84710C7967BB}", "RequestURL", "http://h:80/a?q=1&amp;r=2", "RequestVerb", "GET")
	evHeaders = edgeEvent("GENERAL_REQUEST_HEADERS", 2, "ContextId", "{x}", "Headers", "Host: h&#xD;&#xA;Cookie: a=&quot;b&quot;&#xD;&#xA;")
	evError   = edgeEvent("MODULE_SET_RESPONSE_ERROR_STATUS", 250, "ModuleName", "IIS Web Core", "HttpStatus", "500", "HttpSubStatus", "19",
		"ErrorCode", "2147942402", "ConfigExceptionInfo", "\\\\?\\C:\\web.config ( 8) :Cannot add -&gt; x\r\n")
	evEnd = edgeEvent("GENERAL_REQUEST_END", 251, "BytesSent", "100", "HttpStatus", "500", "HttpSubStatus", "19")
)

// edgeCases are hand-written traces that stress the corners where the two
// readers could part ways.
func edgeCases() map[string]string {
	base := edgeDoc(evStart, evHeaders, evError, evEnd)
	r := strings.NewReplacer
	c := map[string]string{
		"baseline":          base,
		"crlf refs":         edgeDoc(evStart, edgeEvent("GENERAL_RESPONSE_HEADERS", 3, "Headers", "Server: IIS&#13;&#10;X: y&#xd;&#xa;\r\n")),
		"stray CR":          edgeDoc(edgeEvent("E", 1, "A", "a\rb\r\r\nc\n\rd\r")),
		"arrow":             edgeDoc(edgeEvent("E", 1, "Rule", "a -&gt; b &lt;c&gt; &apos;d&apos; &amp;amp;")),
		"numeric refs":      edgeDoc(edgeEvent("E", 1, "A", "&#65;&#x42;&#x00043;&#xD800;&#x10FFFF;&#9;")),
		"no head":           edgeDoc(edgeEvent("NOTIFY_MODULE_END", 1, "ModuleName", "X"), evEnd),
		"max size truncate": edgeDoc(evStart, strings.Replace(edgeEvent("LOG_FILE_MAX_SIZE_TRUNCATE", 9), " <EventData>\r\n </EventData>", " <EventData>\r\n </EventData>", 1)),
		"control bytes":     edgeDoc(edgeEvent("GENERAL_RESPONSE_ENTITY_BUFFER", 1, "Buffer", "\x1f\x8b\x08\x00\x03bin\x01\x7f\xff\xfe end")),
		"empty event data":  edgeDoc(r(" <EventData>\r\n </EventData>", " <EventData/>").Replace(edgeEvent("E", 1))),
		"space in name":     edgeDoc(edgeEvent("AspNetStart", 1, "ConnID", "0", "Context ID", "{1}", "Data1", "GET")),
		"single quotes":     r(`<Data Name="A">`, `<Data Name='A'>`, `Name="WWW Server"`, `Name='WWW Server'`).Replace(edgeDoc(edgeEvent("E", 1, "A", "1"))),
		"attr order":        r(`ProcessID="7120" ThreadID="2060"`, "ThreadID='2060'\tProcessID = \"7120\"").Replace(base),
		"no space attrs":    r(`ProcessID="7120" ThreadID="2060"`, `ProcessID="7120"ThreadID="2060"`).Replace(base),
		"tag whitespace":    r("<Data Name=", "<Data\r\n\tName =\t", "</Data>", "</Data \r\n>", "</Event>", "</Event\t>").Replace(base),
		"self-closing data": edgeDoc(edgeEvent("E", 1, "A", "x") + strings.Replace(edgeEvent("F", 2), "<EventData>", `<EventData><Data Name="x"/><Data Name="y" />`, 1)),
		"lf only":           strings.ReplaceAll(base, "\r\n", "\n"),
		"cr only":           strings.ReplaceAll(base, "\r\n", "\r"),
		"no prolog":         edgeRoot + evStart + edgeEnd,
		"no decl":           strings.TrimPrefix(edgeDoc(evStart), "<?xml version=\"1.0\" encoding=\"UTF-8\" ?>\r\n"),
		"utf-16 label":      r(`encoding="UTF-8"`, `encoding="UTF-16"`).Replace(base),
		"no trailing nl":    strings.TrimSuffix(base, "\r\n"),
		"missing attrs":     r(`<Provider Name="WWW Server"`, `<Provider`, `SystemTime=`, `X=`, `Name="ModuleName"`, ``).Replace(base),
		"bad time":          r("2026-06-08T19:54:51.001Z", "2026-02-30T19:54:51.001Z", "51.002Z", "51.2Z", "51.250Z", "51.250+01:00").Replace(base),
		"odd numbers":       r("<Level>4</Level>", "<Level> +4 </Level>", "<Opcode>50</Opcode>", "<Opcode>99999999999999999999</Opcode>").Replace(base),
		"non-ascii":         edgeDoc(edgeEvent("E", 1, "Ü ber", "✓ naïve ＜", "B", "\u0085x\u00a0")),
		"trimmed name":      r("<Opcode>GENERAL_REQUEST_END</Opcode>", "<Opcode>\r\n GENERAL_REQUEST_END\u00a0</Opcode>").Replace(base),
		"two keywords":      r("<Keyword>RequestNotifications</Keyword>", "<Keyword> </Keyword><Keyword>B</Keyword>").Replace(base),
		"nested data":       edgeDoc(edgeEvent("E", 1, "A", "x<b>y<c/>z</b>w", "B", "<i/>")),
		"freb default ns":   r(`<freb:Description`, `<Description`, `</freb:Description>`, `</Description>`).Replace(base),
		"repeated system":   r(" </System>\r\n", " </System>\r\n <System><Level>3</Level><Computer>B</Computer></System>\r\n").Replace(base),
		"unknown children":  r("<EventData>", "<Unknown a=\"1\"><x/>t</Unknown><EventData>").Replace(base),
		"empty event":       edgeDoc("<Event/>", "<Event xmlns=\"u\"></Event>", evEnd),
		"entity in attr":    r(`Name="ModuleName"`, `Name="Module&#78;ame"`, `"WWW Server"`, `"WWW&#x20;Server&#13;&#10;"`).Replace(base),
		"root attrs":        r(`siteId="1"`, "siteId='1' appPoolId=\"a&lt;b\r\nc\" xmlns=\"urn:x\" remoteUserName=\"\"").Replace(base),
		"bad status":        r(`statusCode="500.19"`, `statusCode="x"`, `timeTaken="15"`, `timeTaken="1.5"`).Replace(base),
		"text between":      r("</Event>\r\n<Event", "</Event>\r\nhello<Event").Replace(base),
		"comment between":   r("</Event>\r\n<Event", "</Event><!-- c --><Event").Replace(base),
		"comment in event":  r("<EventData>", "<EventData><!-- c -->").Replace(base),
		"cdata":             edgeDoc(edgeEvent("E", 1, "A", "<![CDATA[a<b]]>")),
		"pi in event":       r("<EventData>", "<EventData><?pi x?>").Replace(base),
		"doctype":           r("<failedRequest", "<!DOCTYPE failedRequest>\r\n<failedRequest").Replace(base),
		"version 1.1":       r(`version="1.0"`, `version="1.1"`).Replace(base),
		"unknown entity":    edgeDoc(edgeEvent("E", 1, "A", "&nbsp;")),
		"bad charref":       edgeDoc(edgeEvent("E", 1, "A", "&#0;")),
		"unescaped amp":     edgeDoc(edgeEvent("E", 1, "A", "a & b")),
		"cdata end":         edgeDoc(edgeEvent("E", 1, "A", "a]]>b")),
		"lt in attr":        r(`Name="ModuleName"`, `Name="a<b"`).Replace(base),
		"mismatched tag":    r("</Computer>", "</Computor>").Replace(base),
		"undeclared prefix": r("<EventData>", "<EventData><x:Data Name=\"a\">1</x:Data>").Replace(base),
		"ns decl in event":  r("<EventData>", "<EventData xmlns:x=\"urn:x\"><x:Data Name=\"a\">1</x:Data>").Replace(base),
		"prefixed attr":     r(`<Data Name="ModuleName"`, `<Data freb:Name="ModuleName"`).Replace(base),
		"other root":        "<?xml version=\"1.0\"?><config><Event/></config>",
		"no events":         edgeDoc(),
		"empty root":        edgeProlog + "<failedRequest url=\"u\"/>",
		"empty":             "",
		"not xml":           "hello, world",
		"nested event":      r("<EventData>", "<EventData><Event/>").Replace(base),
		"two roots":         base + edgeRoot + evEnd + edgeEnd,
		"after root":        base + "<!-- trailing -->",
		"garbage after":     base + "junk",
		"deep":              edgeDoc(edgeEvent("E", 1, "A", strings.Repeat("<d>", 40)+"x"+strings.Repeat("</d>", 40))),
		"colon names":       r("<EventData>", "<EventData><a:b:c/>").Replace(base),
		"empty prefix decl": r(`xmlns:freb="http://schemas.microsoft.com/win/2006/06/iis/freb"`, `xmlns:freb=""`).Replace(base),
		"xmlns value":       r(`xmlns:freb="http://schemas.microsoft.com/win/2006/06/iis/freb"`, `xmlns:freb="xmlns"`).Replace(base),
		"huge data":         edgeDoc(evStart, edgeEvent("GENERAL_RESPONSE_ENTITY_BUFFER", 5, "Buffer", strings.Repeat("0123456789abcdef\r\n", 40000)), evEnd),
	}
	for _, cut := range []int{100, 500, 900, 1300, len(base) - 20, len(base) - 3} {
		c[fmt.Sprintf("cut at %d", cut)] = base[:cut]
	}
	return c
}

func utf16Bytes(s string, order binary.ByteOrder, bom bool) []byte {
	u := utf16.Encode([]rune(s))
	if bom {
		u = append([]uint16{0xFEFF}, u...)
	}
	out := make([]byte, 2*len(u))
	for i, v := range u {
		order.PutUint16(out[2*i:], v)
	}
	return out
}

// edgeInputs adds the encodings IIS or an editor might use.
func edgeInputs() map[string][]byte {
	in := map[string][]byte{}
	for name, doc := range edgeCases() {
		in[name] = []byte(doc)
	}
	base := edgeCases()["baseline"]
	in["utf-8 bom"] = append([]byte("\xEF\xBB\xBF"), base...)
	in["utf-16le bom"] = utf16Bytes(base, binary.LittleEndian, true)
	in["utf-16be bom"] = utf16Bytes(base, binary.BigEndian, true)
	in["utf-16le"] = utf16Bytes(base, binary.LittleEndian, false)
	in["utf-16be"] = utf16Bytes(base, binary.BigEndian, false)
	in["utf-16le cut"] = utf16Bytes(base, binary.LittleEndian, true)[:1501]
	in["invalid utf-8"] = []byte(strings.Replace(base, "IIS Web Core", "IIS \xc3\x28 \xed\xa0\x80 Core\xf4\x90\x80\x80", 1))
	return in
}

// mustFallBack lists the edge cases outside the fast reader's subset.
var mustFallBack = map[string]bool{
	"text between": true, "comment between": true, "comment in event": true, "cdata": true, "pi in event": true,
	"doctype": true, "version 1.1": true, "unknown entity": true, "bad charref": true, "unescaped amp": true,
	"cdata end": true, "lt in attr": true, "mismatched tag": true, "undeclared prefix": true, "ns decl in event": true,
	"prefixed attr": true, "other root": true, "no events": true, "empty root": true, "not xml": true,
	"nested event": true, "two roots": true, "after root": true, "garbage after": true, "deep": true,
	"colon names": true, "empty prefix decl": true, "xmlns value": true, "cut at 100": true, "cut at 500": true,
	"cut at 900": true, "cut at 1300": true, "utf-16le cut": true, // before the first complete event
}

func TestReadersAgreeOnEdgeCases(t *testing.T) {
	t.Parallel()
	for name, data := range edgeInputs() {
		t.Run(name, func(t *testing.T) {
			fellBack, diff := diffReaders(data, DefaultOptions())
			if diff != "" {
				t.Fatalf("readers differ:\n%s", diff)
			}
			if fellBack != mustFallBack[name] && name != "empty" {
				t.Errorf("fell back: %v, want %v", fellBack, mustFallBack[name])
			}
		})
	}
}

// failingReader returns err after n bytes, like a network share dropping.
type failingReader struct {
	r   io.Reader
	n   int
	err error
}

func (f *failingReader) Read(p []byte) (int, error) {
	if f.n <= 0 {
		return 0, f.err
	}
	if len(p) > f.n {
		p = p[:f.n]
	}
	n, err := f.r.Read(p)
	f.n -= n
	return n, err
}

func TestReadersAgreeOnReadErrors(t *testing.T) {
	t.Parallel()
	doc := edgeDoc(evStart, evHeaders, evError, evEnd)
	for _, n := range []int{2500, len(doc) / 2, len(doc) - 10, len(doc)} {
		for _, e := range []error{errors.New("network name no longer available"), io.ErrUnexpectedEOF} {
			var outs [2]outcome
			for i, kind := range []ReaderKind{ReaderReference, ReaderAuto} {
				r := &failingReader{r: strings.NewReader(doc), n: n, err: e}
				tr, err := Read(streamOnly{r}, "x.xml", Options{KeepEvents: true, Reader: kind})
				outs[i].Trace = tr
				if err != nil {
					outs[i].Err = err.Error()
				}
			}
			if diff := describeDiff(outs[1], outs[0]); diff != "" {
				t.Errorf("error %v after %d bytes: readers differ:\n%s", e, n, diff)
			}
		}
	}
}

func TestOversizedEventIsSkipped(t *testing.T) {
	t.Parallel()
	big := edgeEvent("GENERAL_RESPONSE_ENTITY_BUFFER", 5, "Buffer", strings.Repeat("x", 1<<20))
	doc := edgeDoc(evStart, big, evEnd)
	for _, stream := range []bool{false, true} {
		var r io.Reader = strings.NewReader(doc)
		if stream {
			r = streamOnly{r}
		}
		tr, err := Read(r, "big.xml", Options{KeepEvents: true, Reader: ReaderAuto, MaxEventSize: 64 << 10})
		if err != nil {
			t.Fatal(err)
		}
		if tr.EventCount != 2 || tr.Events[1].Name != "GENERAL_REQUEST_END" || tr.Truncated {
			t.Fatalf("got %d events, truncated %v, want the 2 around the big one", tr.EventCount, tr.Truncated)
		}
		if len(tr.Warnings) != 1 || !strings.Contains(tr.Warnings[0], "larger than MaxEventSize") {
			t.Fatalf("warnings %q", tr.Warnings)
		}
	}
}

func TestReaderFastReportsWhatItCannotRead(t *testing.T) {
	t.Parallel()
	doc := strings.Replace(edgeDoc(evStart), "<EventData>", "<EventData><!-- c -->", 1)
	_, err := Read(strings.NewReader(doc), "c.xml", Options{Reader: ReaderFast})
	var fe *Error
	if !errors.As(err, &fe) || fe.File != "c.xml" || !strings.Contains(err.Error(), "comment") {
		t.Fatalf("got %v", err)
	}
}

func TestParseReaderKind(t *testing.T) {
	t.Parallel()
	for _, k := range []ReaderKind{ReaderAuto, ReaderReference, ReaderFast} {
		if got, err := ParseReaderKind(k.String()); err != nil || got != k {
			t.Errorf("%v: got %v, %v", k, got, err)
		}
	}
	if _, err := ParseReaderKind("xml"); err == nil {
		t.Error("no error for an unknown reader")
	}
}
