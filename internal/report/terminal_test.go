package report

import (
	"context"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"github.com/jedib0t/go-pretty/v6/text"

	"github.com/frebscan/frebscan/internal/scan"
)

// samplesScan scans the generated samples (every rule fires there) once.
func samplesScan(t *testing.T) *scan.Result {
	t.Helper()
	r, err := scan.Run(context.Background(), scanOptions(scan.Options{Inputs: []string{"../../samples"}, Workers: 2}))
	if err != nil {
		t.Fatal(err)
	}
	return r
}

// unbreakable reports whether a line is one the layout may not break: a
// path, or the command that opens one, alone on its line.
func unbreakable(line string) bool {
	l := strings.TrimSpace(strings.TrimPrefix(strings.TrimSpace(line), "frebscan show "))
	return !strings.Contains(l, " ") && strings.HasSuffix(l, ".xml")
}

// TestScanTextFitsTheTerminal: at 80 and 120 columns no line is wider
// than the terminal (only a whole path or its show command may be), every
// path the report cites is whole on one line, nothing is cut inside a
// word or a number, and the report ends with the summary and the command
// to open the first finding's example.
func TestScanTextFitsTheTerminal(t *testing.T) {
	r := samplesScan(t)
	for _, width := range []int{80, 120} {
		var b strings.Builder
		if err := writeScan(&b, "text", r, Options{Style: Style{Width: width}}); err != nil {
			t.Fatal(err)
		}
		out := b.String()
		lines := strings.Split(out, "\n")
		for i, l := range lines {
			if w := text.RuneWidthWithoutEscSequences(l); w > width && !unbreakable(l) {
				t.Errorf("%d columns: line %d is %d wide:\n%s", width, i+1, w, l)
			}
		}
		for _, row := range r.Tables.Slowest {
			if !containsLine(lines, row.File) {
				t.Errorf("%d columns: %s is not whole on a line", width, row.File)
			}
		}
		for _, g := range r.Findings {
			if g.Severity > 0 && g.Example != "" && !containsLine(lines, "frebscan show "+g.Example) {
				t.Errorf("%d columns: the show command for %s is split", width, g.Example)
			}
		}
		// A number or a word cut by a hard wrap leaves a line ending in a
		// letter or digit followed by one starting with a letter or digit
		// inside the same token: look for the ones we know are long.
		for _, tok := range []string{"16.0.5095;", "ExchangeWebServices/6.0", "maxAllowedContentLength,", "198.51.100.23"} {
			if strings.Contains(out, strings.TrimSuffix(tok, ";")) && !strings.Contains(strings.Join(strings.Fields(out), " "), tok) {
				t.Errorf("%d columns: %q was cut", width, tok)
			}
			if !strings.Contains(out, strings.TrimRight(tok, ";,")) {
				t.Errorf("%d columns: %q is not whole anywhere", width, tok)
			}
		}
		tail := out[strings.LastIndex(out, "SUMMARY:"):]
		first := r.Findings[0]
		for _, want := range []string{first.Rule, "frebscan show " + first.Example, "Fix " + first.Rule + " first:", "incident"} {
			if !strings.Contains(tail, want) {
				t.Errorf("%d columns: the closing summary lacks %q:\n%s", width, want, tail)
			}
		}
		if strings.Contains(tail, "Slowest requests") {
			t.Errorf("%d columns: the report does not end with the summary", width)
		}
	}
}

func containsLine(lines []string, s string) bool {
	for _, l := range lines {
		if strings.Contains(l, s) {
			return true
		}
	}
	return false
}

// TestColourLabelsAligned: with colour the labels of a finding line up as
// without (padding counted escape codes before: "Fix" stood out).
func TestColourLabelsAligned(t *testing.T) {
	r := samplesScan(t)
	var b strings.Builder
	if err := writeScan(&b, "text", r, Options{Style: Style{Width: 100, Color: true}}); err != nil {
		t.Fatal(err)
	}
	esc := regexp.MustCompile("\x1b\\[[0-9;]*m")
	col := map[string]int{}
	for _, l := range strings.Split(esc.ReplaceAllString(b.String(), ""), "\n") {
		for _, label := range []string{"Seen", "Clients", "Fix", "Open"} {
			if strings.HasPrefix(l, "  "+label+"  ") {
				rest := strings.TrimLeft(l[2+len(label):], " ")
				col[label] = len(l) - len(rest)
			}
		}
	}
	if len(col) < 3 {
		t.Fatalf("labels not found: %v", col)
	}
	for label, c := range col {
		if c != col["Seen"] {
			t.Errorf("%s value starts at column %d, Seen at %d", label, c, col["Seen"])
		}
	}
}

// TestShowMarksEvidenceHeaders: the header tables of `show` mark the
// headers a finding cites (X-ClientSide too, cited as proxy evidence).
func TestShowMarksEvidenceHeaders(t *testing.T) {
	in, err := filepath.Abs("../freb/testdata/ews-400.xml")
	if err != nil {
		t.Fatal(err)
	}
	if _, err := os.Stat(in); err != nil {
		t.Skip(err)
	}
	r, err := scan.Run(context.Background(), scanOptions(scan.Options{Inputs: []string{in}, KeepTraces: true, Workers: 1}))
	if err != nil {
		t.Fatal(err)
	}
	var b strings.Builder
	if err := Write(&b, "text", Document{Kind: KindShow, Result: r}, Options{Style: Style{Width: 80}}); err != nil {
		t.Fatal(err)
	}
	out := b.String()
	for _, h := range []string{"Via", "X-ClientSide", "Persistent-Auth", "Authorization"} {
		if !strings.Contains(out, evidenceMark+h) {
			t.Errorf("header %s is not marked as evidence", h)
		}
	}
	for _, h := range []string{"Host", "Content-Type"} {
		if strings.Contains(out, evidenceMark+h) {
			t.Errorf("header %s is marked but no finding cites it", h)
		}
	}
	if !strings.HasPrefix(out, in+"\n") {
		t.Errorf("the path is not on a line of its own: %.120q", out)
	}
}
