package report

import (
	"fmt"
	"strings"

	"github.com/jedib0t/go-pretty/v6/text"

	"github.com/frebscan/frebscan/internal/diagnose"
)

// outsideTitle heads the notes in every format: FREB has no record of
// these failures, so a report without findings is not an all clear.
const outsideTitle = "NOT IN THESE TRACES: failures FREB cannot record, and what to capture instead"

// outsideSection lists the failures the traces cannot contain, right
// after the findings so that "no known failure" is never read alone.
func outsideSection(b *strings.Builder, notes []diagnose.OutsideNote, s Style) {
	if len(notes) == 0 {
		return
	}
	fmt.Fprintf(b, "%s\n\n", s.paint(outsideTitle, text.FgYellow, text.Bold))
	const keyWidth = 13
	indent := strings.Repeat(" ", 2+keyWidth)
	line := func(k, v string) {
		if v != "" {
			fmt.Fprintf(b, "  %s%s\n", s.bold(fmt.Sprintf("%-*s", keyWidth, k)), wrap(breakable(v), s.Width-len(indent), indent))
		}
	}
	// A link is not broken inside: a terminal can still open it.
	link := func(k, v string) { fmt.Fprintf(b, "  %s%s\n", s.bold(fmt.Sprintf("%-*s", keyWidth, k)), v) }
	for _, n := range notes {
		fmt.Fprintf(b, "%s\n", s.bold(wrap(n.Trigger+" · "+string(n.Confidence)+" confidence (inferred)", s.Width, "  ")))
		line("Summary", n.Summary)
		for _, v := range n.Basis {
			line("Because", v)
		}
		for _, v := range n.Causes {
			line("Cause", v)
		}
		for i, c := range n.Capture {
			line(fmt.Sprintf("Capture %d", i+1), c.Source+": "+c.Where)
			line("  look for", c.LookFor)
		}
		for _, r := range n.References {
			link("Reference", r)
		}
		b.WriteString("\n")
	}
}
