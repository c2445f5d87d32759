package freb

import (
	"bytes"
	"encoding/binary"
	"errors"
	"os"
	"regexp"
	"strings"
	"testing"
)

func sample(t testing.TB) []byte {
	t.Helper()
	b, err := os.ReadFile("testdata/ews-400.xml")
	if err != nil {
		t.Fatal(err)
	}
	return b
}

// TestReadVariants feeds the same trace in the encodings and shapes IIS
// and the tools around it produce; every variant must give the same
// request as the original.
func TestReadVariants(t *testing.T) {
	t.Parallel()
	base := string(sample(t))
	// A tool that re-saves the file writes the CR LF inside header blocks
	// as character references.
	crlfRefs := regexp.MustCompile(`(?s)<Data Name="Headers">.*?</Data>`).ReplaceAllStringFunc(base, func(m string) string {
		return strings.ReplaceAll(m, "\r\n", "&#xD;&#xA;")
	})
	tests := []struct {
		name  string
		input []byte
		warn  string
	}{
		{"plain", []byte(base), ""},
		{"utf8 bom", append([]byte{0xEF, 0xBB, 0xBF}, base...), ""},
		{"utf16le bom", utf16Bytes(strings.Replace(base, "UTF-8", "UTF-16", 1), binary.LittleEndian, true), "UTF-16LE"},
		{"utf16be bom", utf16Bytes(strings.Replace(base, "UTF-8", "UTF-16", 1), binary.BigEndian, true), "UTF-16BE"},
		{"utf16le no bom", utf16Bytes(base, binary.LittleEndian, false), "UTF-16LE"},
		{"utf16be no bom", utf16Bytes(base, binary.BigEndian, false), "UTF-16BE"},
		{"lf only", []byte(strings.ReplaceAll(base, "\r\n", "\n")), ""},
		{"char refs", []byte(crlfRefs), ""},
		{"stray CR", []byte(strings.Replace(base, "\r\nHost: ", "\rHost: ", 1)), ""},
		{"stray CR reference", []byte(strings.Replace(base, "\r\nHost: ", "&#xD;Host: ", 1)), ""},
		{"control bytes", []byte(strings.Replace(base, "text/html", "text/\x01\x1fhtml", 1)), "replaced 2 byte(s)"},
		{"invalid utf8", []byte(strings.Replace(base, "text/html", "text/\xff\xfehtml", 1)), "replaced 2 byte(s)"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			tr, err := Read(bytes.NewReader(tc.input), "x.xml", DefaultOptions())
			if err != nil {
				t.Fatalf("Read: %v", err)
			}
			if tr.StatusCode != 400 || tr.Verb != "POST" || tr.EventCount != 8 || tr.Truncated {
				t.Fatalf("got status %d verb %s events %d truncated %v", tr.StatusCode, tr.Verb, tr.EventCount, tr.Truncated)
			}
			if got := tr.RequestHeaders.Value("X-ClientSide"); got != "203.0.113.45:49792 -> 192.0.2.10:443" {
				t.Errorf("X-ClientSide = %q", got)
			}
			if got := tr.RequestHeaders.Value("via"); got != "HTTPS/1.1 kemp-lb:443" {
				t.Errorf("Via = %q", got)
			}
			if n := len(tr.RequestHeaders); n != 7 {
				t.Errorf("%d request headers, want 7: %+v", n, tr.RequestHeaders)
			}
			joined := strings.Join(tr.Warnings, "\n")
			if tc.warn == "" && len(tr.Warnings) > 0 {
				t.Errorf("unexpected warnings: %v", tr.Warnings)
			}
			if tc.warn != "" && !strings.Contains(joined, tc.warn) {
				t.Errorf("warnings %q lack %q", joined, tc.warn)
			}
		})
	}
}

func TestReadDerivedViews(t *testing.T) {
	t.Parallel()
	tr, err := Read(bytes.NewReader(sample(t)), "ews-400.xml", DefaultOptions())
	if err != nil {
		t.Fatal(err)
	}
	es := tr.ErrorStatus
	if es == nil || es.Module != "ManagedPipelineHandler" || es.HTTPStatus != 400 || es.ErrorCode != 0x80070057 ||
		es.Notification != "EXECUTE_REQUEST_HANDLER" || es.ErrorText != "The parameter is incorrect. (0x80070057)" {
		t.Fatalf("error status = %+v", es)
	}
	if tr.ClientAddress != "192.0.2.10" || tr.ClientPort != 50112 || tr.LocalPort != 443 {
		t.Errorf("endpoint = %s:%d -> %d", tr.ClientAddress, tr.ClientPort, tr.LocalPort)
	}
	if tr.Server != "EX01" || tr.BytesSent != 285 || tr.BytesReceived != 1822 {
		t.Errorf("server %q bytes %d/%d", tr.Server, tr.BytesSent, tr.BytesReceived)
	}
	if v := tr.ResponseHeaders.Value("Persistent-Auth"); v != "false" || !tr.ResponseHeadersTraced {
		t.Errorf("Persistent-Auth = %q traced=%v", v, tr.ResponseHeadersTraced)
	}
	if len(tr.ResponseHeaderChanges) != 1 || tr.ResponseHeaderChanges[0].Name != "Persistent-Auth" || !tr.ResponseHeaderChanges[0].Replace {
		t.Errorf("response changes = %+v", tr.ResponseHeaderChanges)
	}
	if len(tr.SlowestSteps) == 0 || tr.SlowestSteps[0].Name != "GENERAL_SET_RESPONSE_HEADER" || tr.SlowestSteps[0].DurationMs != 30 {
		t.Errorf("slowest steps = %+v", tr.SlowestSteps)
	}
	if len(tr.Passes) != 1 || !tr.Passes[0].Ended || tr.Passes[0].HTTPStatus != 400 {
		t.Errorf("passes = %+v", tr.Passes)
	}
}

// TestReadCut cuts the sample at every kind of place a half-written or
// half-copied file ends: complete events must survive and the trace must be
// marked truncated, never an error.
func TestReadCut(t *testing.T) {
	t.Parallel()
	full := string(sample(t))
	thirdEnd := indexNth(full, "</Event>", 3) + len("</Event>")
	tests := []struct {
		name   string
		cut    int
		events int
	}{
		{"after third event", thirdEnd, 3},
		{"inside fourth event", thirdEnd + 200, 3},
		{"inside an attribute", strings.Index(full, "ModuleName") + 4, 3},
		{"before closing root", strings.LastIndex(full, "</failedRequest>"), 8},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			tr, err := Read(strings.NewReader(full[:tc.cut]), "cut.xml", DefaultOptions())
			if err != nil {
				t.Fatalf("Read: %v", err)
			}
			if !tr.Truncated || tr.EventCount != tc.events {
				t.Fatalf("truncated=%v events=%d, want true/%d", tr.Truncated, tr.EventCount, tc.events)
			}
			if len(tr.Warnings) == 0 || !strings.Contains(tr.Warnings[0], "ends inside") {
				t.Errorf("warnings = %v", tr.Warnings)
			}
		})
	}
}

func indexNth(s, sub string, n int) int {
	off := 0
	for i := 0; i < n; i++ {
		j := strings.Index(s[off:], sub)
		if j < 0 {
			return -1
		}
		off += j
		if i < n-1 {
			off += len(sub)
		}
	}
	return off
}

func TestReadHeadMissingAndIISTruncation(t *testing.T) {
	t.Parallel()
	full := string(sample(t))
	first := strings.Index(full, "<Event ")
	second := first + 1 + strings.Index(full[first+1:], "<Event ")
	headless := full[:first] + full[second:]
	trunc := strings.Replace(full, "</failedRequest>", `<Event xmlns="http://schemas.microsoft.com/win/2004/08/events/event">
 <System><Provider Name="WWW Server" Guid="{3A2A4E84-4C21-4981-AE10-3FDA0D9B0F83}"/><Level>3</Level><Opcode>0</Opcode><TimeCreated SystemTime="2026-03-02T10:15:30.168Z"/><Computer>EX01</Computer></System>
 <EventData>
 </EventData>
 <RenderingInfo Culture="en-US"><Opcode>LOG_FILE_MAX_SIZE_TRUNCATE</Opcode></RenderingInfo>
</Event>
</failedRequest>`, 1)
	for name, in := range map[string]string{"head missing": headless, "LOG_FILE_MAX_SIZE_TRUNCATE": trunc} {
		tr, err := Read(strings.NewReader(in), "t.xml", DefaultOptions())
		if err != nil {
			t.Fatalf("%s: %v", name, err)
		}
		if !tr.Truncated || len(tr.Warnings) == 0 {
			t.Errorf("%s: truncated=%v warnings=%v", name, tr.Truncated, tr.Warnings)
		}
	}
}

func TestReadRejectsNonFREB(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name, input, want string
		notFREB           bool
	}{
		{"empty", "", "empty", true},
		{"text", "hello, world\n", "no XML element", true},
		{"html", "<html><body>hi</body></html>", "root element is <html>", true},
		{"other xml", `<?xml version="1.0"?><configuration><system.webServer/></configuration>`, "root element is <configuration>", true},
		{"binary", "\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR", "", true},
		{"cut inside root tag", `<?xml version="1.0"?>` + "\n<failedRequest url=\"http://x/\"\n siteId=", "before the first complete <Event>", false},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			_, err := Read(strings.NewReader(tc.input), "bad.xml", DefaultOptions())
			if err == nil {
				t.Fatal("no error")
			}
			var fe *Error
			if !errors.As(err, &fe) || fe.File != "bad.xml" {
				t.Fatalf("error %v does not name the file", err)
			}
			if !strings.Contains(err.Error(), tc.want) {
				t.Errorf("error %q lacks %q", err, tc.want)
			}
			if errors.Is(err, ErrNotFREB) != tc.notFREB {
				t.Errorf("errors.Is(ErrNotFREB) = %v, want %v (%v)", !tc.notFREB, tc.notFREB, err)
			}
		})
	}
}

func TestReadRootWithoutEvents(t *testing.T) {
	t.Parallel()
	in := `<?xml version="1.0" encoding="UTF-8" ?>` + "\r\n" + `<failedRequest url="http://h:80/a" verb="GET" statusCode="500.19" triggerStatusCode="500" timeTaken="3"></failedRequest>`
	tr, err := Read(strings.NewReader(in), "e.xml", DefaultOptions())
	if err != nil {
		t.Fatal(err)
	}
	if tr.StatusCode != 500 || tr.SubStatusCode != 19 || tr.Status() != "500.19" || tr.TriggerStatusCode != 500 || tr.EventCount != 0 {
		t.Errorf("got %+v", tr)
	}
}

func TestParseStatus(t *testing.T) {
	t.Parallel()
	tests := []struct {
		in        string
		code, sub int
		ok        bool
	}{
		{"404", 404, 0, true}, {"500.19", 500, 19, true}, {"0", 0, 0, true}, {" 401.2 ", 401, 2, true},
		{"", 0, 0, false}, {"abc", 0, 0, false}, {"500.x", 0, 0, false}, {"-1", 0, 0, false},
	}
	for _, tc := range tests {
		code, sub, ok := ParseStatus(tc.in)
		if code != tc.code || sub != tc.sub || ok != tc.ok {
			t.Errorf("ParseStatus(%q) = %d,%d,%v", tc.in, code, sub, ok)
		}
	}
	if FormatStatus(500, 19) != "500.19" || FormatStatus(404, 0) != "404" {
		t.Error("FormatStatus")
	}
}

func TestKeepEventsOff(t *testing.T) {
	t.Parallel()
	opts := DefaultOptions()
	opts.KeepEvents = false
	tr, err := Read(bytes.NewReader(sample(t)), "x.xml", opts)
	if err != nil {
		t.Fatal(err)
	}
	if len(tr.Events) != 0 || tr.EventCount != 8 || tr.ErrorStatus == nil || len(tr.RequestHeaders) != 7 {
		t.Errorf("derived views must not depend on kept events: %+v", tr)
	}
}
