package report

import (
	"encoding/json"
	"fmt"
	"io"
	"sort"
	"strings"

	"github.com/jedib0t/go-pretty/v6/table"
	"github.com/jedib0t/go-pretty/v6/text"

	"github.com/frebscan/frebscan/internal/diagnose"
)

// writeRulesText lists the catalogue: ID, severity, title.
func writeRulesText(w io.Writer, d Document, o Options) error {
	rules, s := d.Rules, o.Style
	tw := s.table("")
	tw.AppendHeader(table.Row{"ID", "Severity", "Title"})
	tw.SetColumnConfigs([]table.ColumnConfig{{Number: 3, WidthMax: s.valueWidth(42), WidthMaxEnforcer: text.WrapSoft}})
	for _, r := range rules {
		tw.AppendRow(table.Row{r.ID, s.severity(r.Severity), r.Title})
	}
	_, err := fmt.Fprintf(w, "%s\n%d rules. `frebscan explain ID` shows one in full.\n", tw.Render(), len(rules))
	return err
}

// WriteExplainText prints everything frebscan knows about one rule.
func WriteExplainText(w io.Writer, r *diagnose.Rule, s Style) error {
	var b strings.Builder
	fmt.Fprintf(&b, "%s  %s  %s\n\n", s.bold(r.ID), s.severity(r.Severity), s.bold(r.Title))
	section := func(title, body string) {
		fmt.Fprintf(&b, "%s\n  %s\n\n", s.bold(title), wrap(body, s.Width-2, "  "))
	}
	section("What happens", r.Explanation)
	fmt.Fprintf(&b, "%s\n", s.bold("Evidence frebscan looks for"))
	for _, l := range r.Looks {
		fmt.Fprintf(&b, "  - %s\n", wrap(l, s.Width-4, "    "))
	}
	b.WriteString("\n")
	section("Fix", r.Fix)
	for _, v := range r.Vendors() {
		section("Fix for "+v, r.VendorFixes[v])
	}
	fmt.Fprintf(&b, "%s\n", s.bold("References"))
	for _, ref := range r.References {
		fmt.Fprintf(&b, "  - %s\n", wrap(ref, s.Width-4, "    "))
	}
	_, err := io.WriteString(w, b.String())
	return err
}

// writeRulesJSON lists the catalogue for scripts: ID, severity, title.
func writeRulesJSON(w io.Writer, d Document, _ Options) error {
	type row struct {
		ID       string `json:"id"`
		Severity string `json:"severity"`
		Title    string `json:"title"`
	}
	out := make([]row, 0, len(d.Rules))
	for _, r := range d.Rules {
		out = append(out, row{r.ID, r.Severity.String(), r.Title})
	}
	enc := json.NewEncoder(w)
	enc.SetIndent("", "  ")
	return enc.Encode(out)
}

// writeRulesMarkdown writes the catalogue as docs/RULES.md, by ID; a test
// keeps the committed file in step with the code.
func writeRulesMarkdown(w io.Writer, d Document, _ Options) error {
	rules := append([]*diagnose.Rule(nil), d.Rules...)
	sort.Slice(rules, func(i, j int) bool { return rules[i].ID < rules[j].ID })
	var b strings.Builder
	b.WriteString("# frebscan rule catalogue\n\nGenerated from `internal/diagnose/rules` (`go test ./internal/report -run TestRulesDoc -update`). IDs are stable: reports, JSON and `--rule` filters use them.\n\n")
	b.WriteString("| ID | Severity | Title |\n|---|---|---|\n")
	for _, r := range rules {
		fmt.Fprintf(&b, "| [`%s`](#%s) | %s | %s |\n", r.ID, r.ID, r.Severity, mdEscape(r.Title))
	}
	for _, r := range rules {
		fmt.Fprintf(&b, "\n## %s\n\n**%s** (severity %s)\n\n%s\n\n**Evidence looked for**\n\n", r.ID, mdEscape(r.Title), r.Severity, r.Explanation)
		for _, l := range r.Looks {
			fmt.Fprintf(&b, "- %s\n", l)
		}
		fmt.Fprintf(&b, "\n**Fix**\n\n%s\n", r.Fix)
		for _, v := range r.Vendors() {
			fmt.Fprintf(&b, "\n- *%s*: %s\n", v, r.VendorFixes[v])
		}
		b.WriteString("\n**References**\n\n")
		for _, ref := range r.References {
			fmt.Fprintf(&b, "- %s\n", mdReference(ref))
		}
	}
	outsideGuideMarkdown(&b, d.Outside)
	_, err := io.WriteString(w, b.String())
	return err
}

// outsideGuideMarkdown is the reference for `scan --symptom`: what each
// symptom is when no trace shows it, and what to capture instead.
func outsideGuideMarkdown(b *strings.Builder, notes []diagnose.OutsideNote) {
	if len(notes) == 0 {
		return
	}
	b.WriteString("\n## Failures FREB cannot show (`scan --symptom`)\n\n")
	b.WriteString("FREB traces only requests that reached an IIS worker process and matched a tracing rule. When the status the client saw (`--symptom 400`), a connection reset (`reset`) or a TLS failure (`tls`) is in no trace, the report says so and lists what to capture instead; findings that point outside FREB (expect-100-continue, large tokens) and NTLM challenges with no next leg add such notes too. They reason from an absence: medium or low confidence, always marked inferred.\n")
	for _, n := range notes {
		fmt.Fprintf(b, "\n### %s\n\n**Causes outside IIS**\n\n", mdEscape(n.Trigger))
		for _, c := range n.Causes {
			fmt.Fprintf(b, "- %s\n", c)
		}
		b.WriteString("\n**Capture instead**\n\n")
		for i, c := range n.Capture {
			fmt.Fprintf(b, "%d. *%s*: `%s`. Look for: %s\n", i+1, c.Source, c.Where, c.LookFor)
		}
		if len(n.References) > 0 {
			b.WriteString("\n**References**\n\n")
			for _, ref := range n.References {
				fmt.Fprintf(b, "- %s\n", mdReference(ref))
			}
		}
	}
}

// mdReference writes a reference as a Markdown link when it has one.
func mdReference(ref string) string {
	title, link := diagnose.SplitReference(ref)
	switch {
	case link == "":
		return title
	case title == "":
		return "<" + link + ">"
	}
	return "[" + strings.NewReplacer("[", "\\[", "]", "\\]").Replace(title) + "](" + link + ")"
}

func mdEscape(s string) string { return strings.ReplaceAll(s, "|", "\\|") }
