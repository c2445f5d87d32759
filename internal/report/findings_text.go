package report

import (
	"fmt"
	"strings"

	"github.com/jedib0t/go-pretty/v6/table"
	"github.com/jedib0t/go-pretty/v6/text"

	"github.com/frebscan/frebscan/internal/diagnose"
)

// severityLabel colours a severity as people expect: critical and high
// red, medium yellow, low and info plain.
func (s Style) severity(v diagnose.Severity) string {
	label := strings.ToUpper(v.String())
	switch v {
	case diagnose.Critical:
		return s.paint(label, text.BgRed, text.FgWhite, text.Bold)
	case diagnose.High:
		return s.paint(label, text.FgRed, text.Bold)
	case diagnose.Medium:
		return s.paint(label, text.FgYellow, text.Bold)
	}
	return s.paint(label, text.Faint)
}

// writeFinding renders one finding: headline, summary, evidence, fix.
func writeFinding(b *strings.Builder, f diagnose.Finding, s Style) {
	label := strings.ToUpper(f.Severity.String())
	fmt.Fprintf(b, "%s %s\n", s.severity(f.Severity), s.bold(wrap(f.Title, s.Width-len(label)-1, strings.Repeat(" ", len(label)+1))))
	fmt.Fprintf(b, "%s%s\n", strings.Repeat(" ", len(label)+1), s.dim(fmt.Sprintf("%s · %s confidence", f.Rule, f.Confidence)))
	if f.Summary != "" {
		fmt.Fprintf(b, "  %s\n", wrap(f.Summary, s.Width-2, "  "))
	}
	if len(f.Sequence) > 0 {
		fmt.Fprintf(b, "  Sequence: %s\n", wrap(diagnose.FormatSteps(f.Sequence), s.Width-12, "            "))
	}
	if len(f.Evidence) > 0 {
		tw := s.table("")
		tw.AppendHeader(table.Row{"Evidence", "Name", "Value"})
		// Values are wrapped here (cell), at spaces and separators, and
		// the table takes their widest line: its own wrapping would cut
		// inside a word or a number.
		valueWidth := max(s.Width-2-16-18-10, 20)
		for _, e := range f.Evidence {
			name := e.Name
			if e.File != "" {
				name += " (" + e.File + ")"
			}
			tw.AppendRow(table.Row{e.Where, cell(name, 18), cell(e.Value, valueWidth)})
		}
		for _, line := range strings.Split(tw.Render(), "\n") {
			b.WriteString("  " + line + "\n")
		}
	}
	fix := f.Fix
	if f.Vendor != "" && f.Vendor != "unknown proxy" {
		fmt.Fprintf(b, "  %s %s\n", s.bold("Proxy:"), f.Vendor)
	}
	fmt.Fprintf(b, "  %s %s\n", s.bold("Fix:"), wrap(fix, s.Width-7, "       "))
	b.WriteString("\n")
}

// wrap breaks text at spaces so it fits width, indenting continuation
// lines; paragraphs (blank lines) are kept. A word is never cut: one
// wider than the line stays whole (the terminal wraps it softly), unless
// it carries break points (a zero-width space, see breakable), where it
// may be split without adding a space.
func wrap(t string, width int, indent string) string {
	if width < 20 {
		width = 20
	}
	var out []string
	for _, para := range strings.Split(t, "\n\n") {
		var lines []string
		line := ""
		for _, w := range strings.Fields(para) {
			for i, piece := range strings.Split(w, "\u200b") {
				sep := " "
				if i > 0 {
					sep = ""
				}
				if line != "" && text.RuneWidthWithoutEscSequences(line)+len(sep)+text.RuneWidthWithoutEscSequences(piece) > width {
					lines = append(lines, line)
					line = piece
					continue
				}
				if line != "" {
					line += sep
				}
				line += piece
			}
		}
		if line != "" {
			lines = append(lines, line)
		}
		out = append(out, strings.Join(lines, "\n"+indent))
	}
	return strings.Join(out, "\n\n"+indent)
}

// WriteFindingsText writes findings under a heading.
func WriteFindingsText(b *strings.Builder, title string, fs []diagnose.Finding, s Style) {
	if len(fs) == 0 {
		return
	}
	fmt.Fprintf(b, "%s\n\n", s.bold(title))
	for _, f := range fs {
		writeFinding(b, f, s)
	}
}
