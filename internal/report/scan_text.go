package report

import (
	"fmt"
	"io"
	"sort"
	"strings"

	"github.com/jedib0t/go-pretty/v6/table"
	"github.com/jedib0t/go-pretty/v6/text"

	"github.com/frebscan/frebscan/internal/diagnose"
	"github.com/frebscan/frebscan/internal/scan"
)

// writeScanText is the incident report for a terminal: the header, the
// findings grouped by rule (most severe first) with who, where, the
// vendor, the fix and a trace to open, then the distributions.
func writeScanText(w io.Writer, r *scan.Result, opts Options) error {
	s := opts.Style
	var b strings.Builder
	scanHeader(&b, r, s)
	switch {
	case NoTraces(r.Summary):
		fmt.Fprintf(&b, "%s\n\n", s.paint(wrap(noTracesText(r.Summary), s.Width, ""), text.FgYellow, text.Bold))
	case r.Summary.Traces == 0 && r.Summary.Unchanged > 0:
		fmt.Fprintf(&b, "%s\n\n", s.paint(nothingNewText(r.Summary), text.FgGreen))
	case len(r.Findings) == 0:
		fmt.Fprintf(&b, "%s\n\n", s.paint("No known failure found in the matched traces.", text.FgGreen))
	default:
		var info []scan.Group
		fmt.Fprintf(&b, "%s\n\n", s.bold("FINDINGS (most severe first)"))
		for i := range r.Findings {
			if r.Findings[i].Severity == diagnose.Info {
				info = append(info, r.Findings[i])
				continue
			}
			writeGroup(&b, &r.Findings[i], s)
		}
		if len(info) > 0 {
			fmt.Fprintf(&b, "%s\n", s.bold("Informational (normal behaviour worth knowing; not failures)"))
			for _, g := range info {
				summary := ""
				if len(g.Examples) > 0 {
					summary = ": " + g.Examples[0].Summary
				}
				fmt.Fprintf(&b, "  %s %s (%d)%s\n", s.dim("INFO"), g.Rule, g.Count, summary)
			}
			b.WriteString("\n")
		}
	}
	countTable(&b, "Status codes", "Status", r.Tables.Statuses, s, 20)
	countTable(&b, "Top URLs", "URL", r.Tables.TopURLs, s, 0)
	countTable(&b, "Top clients", "Client", r.Tables.TopClients, s, 0)
	countTable(&b, "Top user agents", "User-Agent", r.Tables.TopUserAgents, s, 0)
	countTable(&b, "Proxies seen", "Vendor", r.Tables.Proxies, s, 0)
	slowTable(&b, r.Tables.Slowest, s)
	problemsTable(&b, r, s)
	_, err := io.WriteString(w, Neutralise(b.String(), opts.Style.Color))
	return err
}

func scanHeader(b *strings.Builder, r *scan.Result, s Style) {
	title := "frebscan incident report"
	if r.Partial {
		title += s.paint("  (PARTIAL: the scan was interrupted; counts cover the files read until then)", text.FgYellow, text.Bold)
	}
	fmt.Fprintf(b, "%s\n", s.bold(title))
	sm := r.Summary
	fmt.Fprintf(b, "%s\n", wrap(fmt.Sprintf("Scanned in %.1fs: %s", r.DurationSeconds, scope(sm)), s.Width, "  "))
	if sm.From != nil && sm.To != nil {
		fmt.Fprintf(b, "Time range: %s → %s\n", sm.From.UTC().Format("2006-01-02 15:04:05"), sm.To.UTC().Format("2006-01-02 15:04:05 UTC"))
	}
	if len(sm.Servers) > 0 {
		fmt.Fprintf(b, "Servers: %s\n", joinCounts(sm.Servers, 8))
	}
	if len(sm.Sites) > 0 {
		fmt.Fprintf(b, "Sites: %s\n", joinCounts(sm.Sites, 8))
	}
	if sm.Truncated > 0 || sm.WithWarnings > 0 {
		fmt.Fprintf(b, "Parse warnings: %d trace(s) with warnings, %d truncated (listed at the end)\n", sm.WithWarnings, sm.Truncated)
	}
	if len(r.Filters) > 0 {
		var parts []string
		for _, k := range sortedKeys(r.Filters) {
			parts = append(parts, k+"="+r.Filters[k])
		}
		fmt.Fprintf(b, "Filters: %s\n", strings.Join(parts, " "))
	}
	b.WriteString("\n")
}

func writeGroup(b *strings.Builder, g *scan.Group, s Style) {
	fmt.Fprintf(b, "%s %s  %s\n", s.severity(g.Severity), s.bold(g.Title), s.dim(fmt.Sprintf("[%s, %d finding(s), %s confidence]", g.Rule, g.Count, g.Confidence)))
	line := func(k, v string) {
		if v != "" {
			fmt.Fprintf(b, "  %-12s %s\n", k, wrap(v, s.Width-15, strings.Repeat(" ", 15)))
		}
	}
	if !g.FirstSeen.IsZero() {
		line("Seen", fmt.Sprintf("%s → %s", g.FirstSeen.UTC().Format("2006-01-02 15:04:05"), g.LastSeen.UTC().Format("2006-01-02 15:04:05 UTC")))
	}
	line("Clients", joinCounts(g.Clients, 5))
	line("User agents", joinCounts(g.UserAgents, 3))
	line("URLs", joinCounts(g.URLs, 5))
	line("Servers", joinCounts(g.Servers, 5))
	line("Proxy", joinCounts(g.Vendors, 3))
	if len(g.Examples) > 0 {
		ex := g.Examples[0]
		line("Example", ex.Summary)
		if len(ex.Sequence) > 0 {
			line("Sequence", diagnose.FormatSteps(ex.Sequence))
		}
		for _, e := range ex.Evidence {
			if e.Where == diagnose.InRequestHeader || e.Where == diagnose.InResponseHeader || e.Where == diagnose.InEvent {
				line("Evidence", fmt.Sprintf("%s %s: %s", e.Where, e.Name, e.Value))
			}
		}
	}
	fmt.Fprintf(b, "  %-12s %s\n", s.bold("Fix"), wrap(g.Fix, s.Width-15, strings.Repeat(" ", 15)))
	if g.Example != "" {
		line("Open", "frebscan show "+quoteArg(g.Example))
	}
	b.WriteString("\n")
}

func countTable(b *strings.Builder, title, key string, counts []scan.Count, s Style, limit int) {
	if len(counts) == 0 {
		return
	}
	if limit > 0 && len(counts) > limit {
		counts = counts[:limit]
	}
	tw := s.table(title)
	tw.AppendHeader(table.Row{key, "Count"})
	tw.SetColumnConfigs([]table.ColumnConfig{{Number: 1, WidthMax: s.valueWidth(12), WidthMaxEnforcer: text.WrapSoft}})
	for _, c := range counts {
		tw.AppendRow(table.Row{c.Key, c.Count})
	}
	render(b, tw)
}

func slowTable(b *strings.Builder, rows []scan.Row, s Style) {
	if len(rows) == 0 {
		return
	}
	tw := s.table("Slowest requests")
	tw.AppendHeader(table.Row{"ms", "Status", "Request", "File"})
	room := max(s.Width-30, 40)
	tw.SetColumnConfigs([]table.ColumnConfig{
		{Number: 3, WidthMax: room * 3 / 5, WidthMaxEnforcer: text.WrapSoft},
		{Number: 4, WidthMax: room * 2 / 5, WidthMaxEnforcer: text.WrapSoft},
	})
	for _, r := range rows {
		tw.AppendRow(table.Row{r.TimeTakenMs, s.status(r.StatusCode, r.Status), r.Verb + " " + r.URL, r.File})
	}
	render(b, tw)
}

func problemsTable(b *strings.Builder, r *scan.Result, s Style) {
	if len(r.Unreadable) > 0 {
		tw := fileTable(s, "Files that could not be read", "Why")
		for _, u := range r.Unreadable {
			tw.AppendRow(table.Row{u.File, u.Reason()})
		}
		render(b, tw)
	}
	if len(r.Warnings) > 0 {
		tw := fileTable(s, "Traces read with warnings", "Warning")
		for _, fw := range r.Warnings {
			tw.AppendRow(table.Row{fw.File, strings.Join(fw.Warnings, "; ")})
		}
		if r.Summary.WithWarnings > len(r.Warnings) {
			tw.AppendFooter(table.Row{fmt.Sprintf("%d more", r.Summary.WithWarnings-len(r.Warnings)), ""})
		}
		render(b, tw)
	}
	if len(r.NotFREB) > 0 {
		tw := fileTable(s, ".xml files that are not FREB traces (skipped)", "Why")
		for _, u := range r.NotFREB {
			tw.AppendRow(table.Row{u.File, u.Reason()})
		}
		render(b, tw)
	}
}

// fileTable is a two-column table of files and what is wrong with them,
// each column half the width.
func fileTable(s Style, title, second string) table.Writer {
	tw := s.table(title)
	tw.AppendHeader(table.Row{"File", second})
	tw.SetColumnConfigs([]table.ColumnConfig{
		{Number: 1, WidthMax: s.valueWidth(10) / 2, WidthMaxEnforcer: text.WrapSoft},
		{Number: 2, WidthMax: s.valueWidth(10) / 2, WidthMaxEnforcer: text.WrapSoft},
	})
	return tw
}

func joinCounts(cs []scan.Count, n int) string {
	var parts []string
	for i, c := range cs {
		if i == n {
			parts = append(parts, fmt.Sprintf("… %d more", len(cs)-n))
			break
		}
		parts = append(parts, fmt.Sprintf("%s (%d)", c.Key, c.Count))
	}
	return strings.Join(parts, ", ")
}

func humanBytes(n int64) string {
	switch {
	case n >= 1<<30:
		return fmt.Sprintf("%.1f GiB", float64(n)/(1<<30))
	case n >= 1<<20:
		return fmt.Sprintf("%.1f MiB", float64(n)/(1<<20))
	case n >= 1<<10:
		return fmt.Sprintf("%.1f KiB", float64(n)/(1<<10))
	}
	return fmt.Sprintf("%d B", n)
}

// quoteArg quotes a path for copy and paste into a shell when needed.
func quoteArg(p string) string {
	if strings.ContainsAny(p, " \t'\"$&|;()<>") {
		return `"` + strings.ReplaceAll(p, `"`, `\"`) + `"`
	}
	return p
}

func sortedKeys(m map[string]string) []string {
	out := make([]string, 0, len(m))
	for k := range m {
		out = append(out, k)
	}
	sort.Strings(out)
	return out
}
