package report

import (
	"bytes"
	"context"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"golang.org/x/net/html"
	"golang.org/x/net/html/atom"

	"github.com/frebscan/frebscan/internal/diagnose"
	"github.com/frebscan/frebscan/internal/diagnose/rules"
	"github.com/frebscan/frebscan/internal/scan"
)

// goldenDir holds one file per report format from a scan of samples/, so
// that a change of layout or wording shows up in review as a diff of
// these files. Refresh them with `go test ./internal/report -run Golden
// -update` and read the diff before committing.
const goldenDir = "testdata/golden"

// goldenClock is the scan's fixed "now": it is the report's start time,
// and with a clock that does not move the duration is 0, so neither
// varies between runs.
func goldenClock() time.Time { return time.Date(2024, 3, 12, 15, 0, 0, 0, time.UTC) }

// TestGoldenScanReports writes a scan of samples/ in every format and
// compares it with testdata/golden. The HTML page is compared as its
// visible text (pageText): its markup, CSS and script have their own
// tests (browser, fuzz, CSP), while what a reader sees is what a layout
// change should show.
//
// It is not parallel: t.Chdir changes the process's directory, so it runs
// before the package's parallel tests start.
func TestGoldenScanReports(t *testing.T) {
	golden, err := filepath.Abs(goldenDir)
	if err != nil {
		t.Fatal(err)
	}
	// The scan runs from the repository root with a relative input, as a
	// user types it, so the paths in the reports are "samples/…" and
	// nothing of this machine's directories leaks into the goldens.
	t.Chdir(filepath.Join("..", ".."))
	so := scanOptions(scan.Options{Inputs: []string{"samples"}, Clock: goldenClock, Workers: 2, Tool: "frebscan dev"})
	r, err := scan.Run(context.Background(), so)
	if err != nil {
		t.Fatal(err)
	}
	// As `frebscan scan --symptom 417 samples` does: no trace shows 417,
	// so the reports carry its note beside those the findings raise.
	symptoms, err := diagnose.ParseSymptoms("417")
	if err != nil {
		t.Fatal(err)
	}
	r.Outside = rules.Outside(symptoms, r.OutsideFacts())
	if len(r.Outside) < 2 {
		t.Fatalf("%d notes outside FREB, want the 417 symptom's and the findings'", len(r.Outside))
	}
	if r.Summary.Traces == 0 || len(r.Findings) == 0 {
		t.Fatalf("the scan of samples/ found %d traces and %d finding groups: the goldens would be empty", r.Summary.Traces, len(r.Findings))
	}
	detail := scan.Detailer(so)
	for _, c := range []struct {
		file, format string
		width        int
	}{
		{"scan-80.txt", "text", 80},
		{"scan-120.txt", "text", 120},
		{"scan.csv", "csv", 0},
		{"scan.ndjson", "ndjson", 0},
		{"scan.json", "json", 0},
		{"scan-html.txt", "html", 0},
	} {
		t.Run(c.file, func(t *testing.T) {
			var b bytes.Buffer
			o := Options{Style: Style{Width: c.width}, Detail: detail}
			if err := writeScan(&b, c.format, r, o); err != nil {
				t.Fatal(err)
			}
			got := b.Bytes()
			if c.format == "html" {
				text, err := pageText(got)
				if err != nil {
					t.Fatal(err)
				}
				got = []byte(text)
			}
			checkGolden(t, filepath.Join(golden, c.file), got)
		})
	}
}

// checkGolden compares got with the golden file at path, or rewrites the
// file with -update. Line ends are normalised first, so a checkout that
// turned LF into CRLF (git autocrlf on Windows) still compares equal.
func checkGolden(t *testing.T, path string, got []byte) {
	t.Helper()
	if *update {
		if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(path, got, 0o644); err != nil {
			t.Fatal(err)
		}
		return
	}
	want, err := os.ReadFile(path)
	if err != nil {
		t.Fatalf("%v (create it with: go test ./internal/report -run Golden -update)", err)
	}
	if diff := firstLineDiff(normaliseEOL(want), normaliseEOL(got)); diff != "" {
		t.Errorf("%s differs from the output: %s\nIf the change is intended, run go test ./internal/report -run Golden -update and review the diff.", filepath.Base(path), diff)
	}
}

func normaliseEOL(b []byte) string {
	return strings.ReplaceAll(string(b), "\r\n", "\n")
}

// firstLineDiff describes the first line where want and got differ, with
// its number, or returns "" when they are equal.
func firstLineDiff(want, got string) string {
	if want == got {
		return ""
	}
	wl, gl := strings.Split(want, "\n"), strings.Split(got, "\n")
	for i := range max(len(wl), len(gl)) {
		w, g := "(end of file)", "(end of file)"
		if i < len(wl) {
			w = wl[i]
		}
		if i < len(gl) {
			g = gl[i]
		}
		if w != g {
			return fmt.Sprintf("line %d\n  golden: %q\n  output: %q", i+1, w, g)
		}
	}
	return "they differ" // not reached: unequal strings differ on some line
}

// pageText is the text of an HTML page as a reader sees it, one line per
// block element and one per table row (cells joined by " | "), with runs
// of white space collapsed. Scripts, styles and the head's metadata are
// left out: they are not text on the page. It uses the HTML5 parser a
// browser does, so what it returns does not depend on how the writer
// spaces or indents its markup.
func pageText(page []byte) (string, error) {
	doc, err := html.Parse(bytes.NewReader(page))
	if err != nil {
		return "", err
	}
	var out, line strings.Builder
	flush := func() {
		if s := strings.Join(strings.Fields(line.String()), " "); s != "" {
			out.WriteString(s)
			out.WriteByte('\n')
		}
		line.Reset()
	}
	var walk func(n *html.Node)
	walk = func(n *html.Node) {
		switch n.Type {
		case html.TextNode:
			line.WriteString(n.Data)
			return
		case html.CommentNode, html.DoctypeNode:
			return
		}
		block := false
		if n.Type == html.ElementNode {
			switch {
			case n.DataAtom == atom.Script || n.DataAtom == atom.Style || n.DataAtom == atom.Template || n.DataAtom == atom.Meta:
				return
			case n.DataAtom == atom.Br:
				flush()
				return
			case n.DataAtom == atom.Td || n.DataAtom == atom.Th:
				if previousElement(n) != nil {
					line.WriteString(" | ")
				}
			case !inlineElements[n.DataAtom]:
				block = true
			}
		}
		if block {
			flush()
		}
		for c := n.FirstChild; c != nil; c = c.NextSibling {
			walk(c)
		}
		if block {
			flush()
		}
	}
	walk(doc)
	flush()
	return out.String(), nil
}

// inlineElements flow within a line of text; every other element starts
// and ends one.
var inlineElements = map[atom.Atom]bool{
	atom.A: true, atom.Abbr: true, atom.B: true, atom.Bdi: true, atom.Bdo: true, atom.Button: true, atom.Code: true,
	atom.Data: true, atom.Em: true, atom.I: true, atom.Input: true, atom.Kbd: true, atom.Label: true, atom.Mark: true,
	atom.Q: true, atom.S: true, atom.Samp: true, atom.Small: true, atom.Span: true, atom.Strong: true, atom.Sub: true,
	atom.Sup: true, atom.Time: true, atom.U: true, atom.Var: true, atom.Wbr: true,
}

func previousElement(n *html.Node) *html.Node {
	for p := n.PrevSibling; p != nil; p = p.PrevSibling {
		if p.Type == html.ElementNode {
			return p
		}
	}
	return nil
}

// TestPageText pins what the HTML golden is made of: blocks and table rows
// become lines, inline elements stay within them, scripts and styles are
// not text.
func TestPageText(t *testing.T) {
	t.Parallel()
	for _, c := range []struct{ name, page, want string }{
		{"blocks and inline", "<h2>Findings</h2><p>Seen <b>3</b>\n   times <code>x</code></p>", "Findings\nSeen 3 times x\n"},
		{"table rows", "<table><tr><th>Name</th><th>Value</th></tr><tr><td>Via</td><td></td></tr></table>", "Name | Value\nVia |\n"},
		{"not text", "<head><title>T</title><style>p{}</style><meta charset=utf-8></head><script>alert(1)</script><p>a<br>b</p>", "T\na\nb\n"},
		{"entities and comments", "<p>&lt;b&gt; &amp; <!-- hidden -->c</p>", "<b> & c\n"},
	} {
		t.Run(c.name, func(t *testing.T) {
			t.Parallel()
			got, err := pageText([]byte(c.page))
			if err != nil {
				t.Fatal(err)
			}
			if got != c.want {
				t.Errorf("pageText = %q, want %q", got, c.want)
			}
		})
	}
}
