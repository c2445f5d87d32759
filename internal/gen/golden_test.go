package gen

import (
	"bytes"
	"flag"
	"os"
	"path/filepath"
	"testing"
)

var update = flag.Bool("update", false, "rewrite the golden files in testdata/")

// TestGolden pins the exact bytes of one small trace, so any change to
// the rendering (whitespace, escaping, descriptions) shows up in review.
func TestGolden(t *testing.T) {
	s := Samples()[0].Traces[0] // via-persistent-auth: 401.2 without Authorization
	s.Quiet = true
	got, err := Bytes(s)
	if err != nil {
		t.Fatal(err)
	}
	path := filepath.Join("testdata", "challenge-401.xml")
	if *update {
		if err := os.WriteFile(path, got, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	want, err := os.ReadFile(path)
	if err != nil {
		t.Fatalf("%v (run go test -update to create it)", err)
	}
	if !bytes.Equal(got, want) {
		t.Errorf("output differs from %s; run go test ./internal/gen -update and review the diff", path)
	}
}

// TestEnvelope checks the IIS quirks a parser test would not notice.
func TestEnvelope(t *testing.T) {
	b, err := Bytes(Samples()[0].Traces[0])
	if err != nil {
		t.Fatal(err)
	}
	for _, want := range []string{
		"<?xml version=\"1.0\" encoding=\"UTF-8\" ?>\r\n<?xml-stylesheet type='text/xsl' href='freb.xsl'?>\r\n<!-- saved from url=(0014)about:internet -->\r\n<failedRequest url=",
		"\r\n               siteId=\"1\"\r\n",
		"\r\n               >\r\n<Event xmlns=\"http://schemas.microsoft.com/win/2004/08/events/event\">\r\n",
		"X-ClientSide: 203.0.113.45:49792 -&gt; 192.0.2.10:443\r\n",
		"User-Agent: Mac OS X/10.11.1 (15B42); ExchangeWebServices/6.0 (242); Mail/9.1 (3096.5)\r\n",
		"<freb:Description Data=\"ErrorCode\">Access is denied.\r (0x80070005)</freb:Description>",
	} {
		if !bytes.Contains(b, []byte(want)) {
			t.Errorf("missing %q", want)
		}
	}
	if !bytes.HasSuffix(b, []byte("</Event>\r\n</failedRequest>")) {
		t.Error("the document must end with </failedRequest> and no line break")
	}
	if bytes.Contains(bytes.ReplaceAll(b, []byte("\r\n"), nil), []byte("\n")) {
		t.Error("bare LF found")
	}
}
