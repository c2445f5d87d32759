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
		fmt.Fprintf(&b, "%s\n\n", s.bold("FINDINGS (most severe first; an incident is one rule failing for one client)"))
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
				fmt.Fprintf(&b, "  %s %s\n", s.dim("INFO"), wrap(fmt.Sprintf("%s · %s%s", g.Rule, incidents(&g), summary), s.Width-7, "       "))
			}
			b.WriteString("\n")
		}
	}
	outsideSection(&b, r.Outside, s)
	serverRuleTable(&b, r.Tables.ServerRules, s)
	unexplainedTable(&b, r.Unexplained, s)
	countList(&b, "Status codes", r.Tables.Statuses, s, 20)
	countList(&b, "Top URLs", r.Tables.TopURLs, s, 0)
	countList(&b, "Top clients", r.Tables.TopClients, s, 0)
	countList(&b, "Top user agents", r.Tables.TopUserAgents, s, 0)
	countList(&b, "Proxies seen", r.Tables.Proxies, s, 0)
	slowList(&b, r.Tables.Slowest, s)
	problemsList(&b, r, s)
	closingSummary(&b, r, s)
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
	if note := bounds(r); note != "" {
		fmt.Fprintf(b, "%s\n", wrap("Bounded: "+note, s.Width, "  "))
	}
	if sm.From != nil && sm.To != nil {
		fmt.Fprintf(b, "Time range: %s → %s\n", sm.From.UTC().Format("2006-01-02 15:04:05"), sm.To.UTC().Format("2006-01-02 15:04:05 UTC"))
	}
	if len(sm.Servers) > 0 {
		fmt.Fprintf(b, "%s\n", wrap("Servers: "+joinCounts(sm.Servers, 8), s.Width, "  "))
	}
	if len(sm.Sites) > 0 {
		fmt.Fprintf(b, "%s\n", wrap("Sites: "+joinCounts(sm.Sites, 8), s.Width, "  "))
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

// incidents says how a group is counted, the same words in every format:
// incidents (rule × client) first, then the findings behind them.
func incidents(g *scan.Group) string {
	out := count(g.Incidents, "incident")
	if g.Count != g.Incidents {
		out += fmt.Sprintf(" (%s)", count(g.Count, "finding"))
	}
	return out
}

// severityNote explains a severity that differs from the catalogue's, or
// returns "".
func severityNote(g *scan.Group) string {
	if g.Severity == g.RuleSeverity || g.RuleSeverity == diagnose.Info && g.Severity == diagnose.Info {
		return ""
	}
	note := fmt.Sprintf("%s here; the rule's usual severity is %s", strings.ToUpper(g.Severity.String()), strings.ToUpper(g.RuleSeverity.String()))
	if g.SeverityReason != "" {
		note += ": " + g.SeverityReason
	}
	return note
}

func writeGroup(b *strings.Builder, g *scan.Group, s Style) {
	label := strings.ToUpper(g.Severity.String())
	pad := strings.Repeat(" ", len("CRITICAL")+1-len(label))
	hang := strings.Repeat(" ", len("CRITICAL")+1)
	title := wrap(g.Title, s.Width-len(hang), hang)
	if first, rest, ok := strings.Cut(title, "\n"); ok {
		title = s.bold(first) + "\n" + s.bold(rest)
	} else {
		title = s.bold(title)
	}
	fmt.Fprintf(b, "%s%s%s\n", s.severity(g.Severity), pad, title)
	fmt.Fprintf(b, "%s%s\n", hang, s.dim(wrap(fmt.Sprintf("%s · %s · %s confidence", g.Rule, incidents(g), g.Confidence), s.Width-len(hang), hang)))
	const keyWidth = 13
	indent := strings.Repeat(" ", 2+keyWidth)
	line := func(k, v string) {
		if v != "" {
			fmt.Fprintf(b, "  %s%s\n", s.bold(fmt.Sprintf("%-*s", keyWidth, k)), wrap(breakable(v), s.Width-len(indent), indent))
		}
	}
	line("Severity", severityNote(g))
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
	line("Fix", g.Fix)
	if g.Example != "" {
		openLine(b, "Open", g.Example, keyWidth, s)
	}
	b.WriteString("\n")
}

// serverRuleTable is the server × rule table in a terminal's width: one
// row per server, its findings by rule, most first. A handshake finding
// counts for every server its steps reached.
func serverRuleTable(b *strings.Builder, cells []scan.ServerRule, s Style) {
	if len(cells) == 0 {
		return
	}
	tw := s.table("Findings by server")
	tw.AppendHeader(table.Row{"Server", "Findings", "By rule"})
	tw.SetColumnConfigs([]table.ColumnConfig{{Number: 3, WidthMax: s.valueWidth(30), WidthMaxEnforcer: text.WrapSoft}})
	for _, row := range matrixOf(cells).Rows {
		var parts []string
		for _, c := range row.ByCount {
			parts = append(parts, fmt.Sprintf("%s %d", c.Key, c.Count))
		}
		tw.AppendRow(table.Row{row.Server, row.Total, strings.Join(parts, ", ")})
	}
	b.WriteString(tw.Render() + "\n\n")
}

// serverMatrix is the server × rule table: rules as columns (by name),
// servers as rows (by name).
type serverMatrix struct {
	Rules []string
	Rows  []serverRow
}

type serverRow struct {
	Server string
	Total  int
	// Cells are the counts in Rules order, 0 where none.
	Cells []int
	// ByCount are the non-zero cells, most first.
	ByCount []scan.Count
}

func matrixOf(cells []scan.ServerRule) serverMatrix {
	var m serverMatrix
	col := map[string]int{}
	for _, c := range cells {
		if _, ok := col[c.Rule]; !ok {
			col[c.Rule] = 0
			m.Rules = append(m.Rules, c.Rule)
		}
	}
	sort.Strings(m.Rules)
	for i, r := range m.Rules {
		col[r] = i
	}
	for _, c := range cells {
		if len(m.Rows) == 0 || m.Rows[len(m.Rows)-1].Server != c.Server {
			m.Rows = append(m.Rows, serverRow{Server: c.Server, Cells: make([]int, len(m.Rules))})
		}
		row := &m.Rows[len(m.Rows)-1]
		row.Cells[col[c.Rule]] += c.Count
		row.Total += c.Count
		row.ByCount = append(row.ByCount, scan.Count{Key: c.Rule, Count: c.Count})
	}
	for i := range m.Rows {
		bc := m.Rows[i].ByCount
		sort.SliceStable(bc, func(x, y int) bool { return bc[x].Count > bc[y].Count })
	}
	return m
}

// unexplainedTable lists the failed requests no rule explains, so that no
// failure is only a count in the status table.
func unexplainedTable(b *strings.Builder, groups []scan.UnexplainedGroup, s Style) {
	if len(groups) == 0 {
		return
	}
	tw := s.table("Failed requests no rule explains (what the trace says)")
	tw.AppendHeader(table.Row{"Count", "Failure", "The trace says", "URLs", "Example"})
	room := max(s.Width-20, 60)
	tw.SetColumnConfigs([]table.ColumnConfig{
		{Number: 2, WidthMax: room / 5, WidthMaxEnforcer: text.WrapSoft},
		{Number: 3, WidthMax: room * 2 / 5, WidthMaxEnforcer: text.WrapSoft},
		{Number: 4, WidthMax: room / 5, WidthMaxEnforcer: text.WrapSoft},
		{Number: 5, WidthMax: room / 5, WidthMaxEnforcer: text.WrapSoft},
	})
	for _, g := range groups {
		says := "(nothing beyond the status)"
		if len(g.Says) > 0 {
			says = joinCounts(g.Says, 3)
		}
		tw.AppendRow(table.Row{g.Count, g.Label(), says, joinCounts(g.URLs, 3), g.Example})
	}
	render(b, tw)
}

// openLine writes the command that opens a trace. A path is never broken:
// when the command does not fit beside the label it goes on a line of its
// own, whole, so it can be copied (a terminal wraps it softly, and copying
// a soft-wrapped line gives it back in one piece).
func openLine(b *strings.Builder, label, file string, keyWidth int, s Style) {
	cmd := "frebscan show " + quoteArg(file)
	if 2+keyWidth+text.RuneWidthWithoutEscSequences(cmd) <= s.Width {
		fmt.Fprintf(b, "  %s%s\n", s.bold(fmt.Sprintf("%-*s", keyWidth, label)), cmd)
		return
	}
	indent := "    "
	if len(indent)+text.RuneWidthWithoutEscSequences(cmd) > s.Width {
		indent = ""
	}
	fmt.Fprintf(b, "  %s\n%s%s\n", s.bold(label), indent, cmd)
}

// countList is a distribution as a list: the count right-aligned, then the
// value wrapped at spaces (long URLs at their separators), so nothing is
// cut inside a word or a number at any width.
func countList(b *strings.Builder, title string, counts []scan.Count, s Style, limit int) {
	if len(counts) == 0 {
		return
	}
	if limit > 0 && len(counts) > limit {
		counts = counts[:limit]
	}
	w := len(fmt.Sprint(counts[0].Count))
	for _, c := range counts {
		w = max(w, len(fmt.Sprint(c.Count)))
	}
	indent := strings.Repeat(" ", 2+w+2)
	fmt.Fprintf(b, "%s\n", s.bold(title))
	for _, c := range counts {
		fmt.Fprintf(b, "  %*d  %s\n", w, c.Count, wrap(breakable(c.Key), s.Width-len(indent), indent))
	}
	b.WriteString("\n")
}

// breakable lets a long URL, user agent or registry path wrap after its
// separators (/ ? & ; \ and the dots of a host name) by marking them with a zero-width
// space, which wrap uses as a break point and never prints. Only tokens
// longer than any sensible line are marked, and a dot before a digit is
// never a break point, so numbers and addresses stay whole.
func breakable(v string) string {
	const long = 40
	var out []string
	for _, w := range strings.Fields(v) {
		if len(w) <= long {
			out = append(out, w)
			continue
		}
		var parts []string
		cur := ""
		for i, r := range w {
			cur += string(r)
			if r == '.' && i+1 < len(w) && w[i+1] >= '0' && w[i+1] <= '9' {
				continue
			}
			if strings.ContainsRune("/?&;.\\", r) && len(cur) >= 12 {
				parts = append(parts, cur)
				cur = ""
			}
		}
		if cur != "" {
			parts = append(parts, cur)
		}
		out = append(out, strings.Join(parts, "\u200b"))
	}
	return strings.Join(out, " ")
}

func slowList(b *strings.Builder, rows []scan.Row, s Style) {
	if len(rows) == 0 {
		return
	}
	fmt.Fprintf(b, "%s\n", s.bold("Slowest requests"))
	w := len(fmt.Sprint(rows[0].TimeTakenMs))
	indent := strings.Repeat(" ", 2+w+5+8)
	for _, r := range rows {
		st := fmt.Sprintf("%-7s", r.Status)
		fmt.Fprintf(b, "  %*d ms  %s %s\n", w, r.TimeTakenMs, s.status(r.StatusCode, st), wrap(breakable(r.Verb+" "+r.URL), s.Width-len(indent), indent))
		pathLine(b, indent, r.File, s)
	}
	b.WriteString("\n")
}

// pathLine writes a path whole on a line of its own, at indent when it
// fits there, else further left, so it is never split and can be copied.
func pathLine(b *strings.Builder, indent, path string, s Style) {
	w := text.RuneWidthWithoutEscSequences(path)
	switch {
	case len(indent)+w <= s.Width:
	case 4+w <= s.Width:
		indent = "    "
	default:
		indent = ""
	}
	fmt.Fprintf(b, "%s%s\n", indent, s.dim(path))
}

func problemsList(b *strings.Builder, r *scan.Result, s Style) {
	fileList(b, "Files that could not be read", r.Unreadable, s, 0)
	if len(r.Warnings) > 0 {
		fmt.Fprintf(b, "%s\n", s.bold("Traces read with warnings"))
		for _, fw := range r.Warnings {
			pathLine(b, "  ", fw.File, s)
			fmt.Fprintf(b, "      %s\n", wrap(strings.Join(fw.Warnings, "; "), s.Width-6, "      "))
		}
		if more := r.Summary.WithWarnings - len(r.Warnings); more > 0 {
			fmt.Fprintf(b, "  … %d more\n", more)
		}
		b.WriteString("\n")
	}
	fileList(b, ".xml files that are not FREB traces (skipped)", r.NotFREB, s, r.Summary.NotFREB-len(r.NotFREB))
}

// fileList lists files, each path whole on its own line and the reason
// below it, never the path again.
func fileList(b *strings.Builder, title string, files []scan.FileError, s Style, more int) {
	if len(files) == 0 {
		return
	}
	fmt.Fprintf(b, "%s\n", s.bold(title))
	for _, f := range files {
		pathLine(b, "  ", f.File, s)
		fmt.Fprintf(b, "      %s\n", wrap(f.Reason(), s.Width-6, "      "))
	}
	if more > 0 {
		fmt.Fprintf(b, "  … %d more\n", more)
	}
	b.WriteString("\n")
}

// closingSummary ends the report with what should stay on screen after a
// scan: the top findings, the fix of the first and how to open its
// example. The tables above scroll away.
func closingSummary(b *strings.Builder, r *scan.Result, s Style) {
	var top []*scan.Group
	for i := range r.Findings {
		if r.Findings[i].Severity > diagnose.Info {
			top = append(top, &r.Findings[i])
		}
	}
	if len(top) == 0 {
		return
	}
	total := 0
	for _, g := range top {
		total += g.Incidents
	}
	fmt.Fprintf(b, "%s\n", s.bold(wrap(fmt.Sprintf("SUMMARY: %s, %s (an incident is one rule failing for one client)", count(len(top), "problem"), count(total, "incident")), s.Width, "")))
	const shown = 5
	for i, g := range top {
		if i == shown {
			fmt.Fprintf(b, "  … %d more above\n", len(top)-shown)
			break
		}
		label := strings.ToUpper(g.Severity.String())
		who := fmt.Sprintf("%s · %s · clients %s · servers %s", g.Rule, incidents(g), listOf(g.Clients, 3), listOf(g.Servers, 3))
		fmt.Fprintf(b, "  %s%s%s\n", s.severity(g.Severity), strings.Repeat(" ", 9-len(label)), wrap(who, s.Width-11, strings.Repeat(" ", 11)))
	}
	g := top[0]
	if fix := firstSentence(g.Fix); fix != "" {
		fmt.Fprintf(b, "  %s\n    %s\n", s.bold("Fix "+g.Rule+" first:"), wrap(fix, s.Width-4, "    "))
	}
	if g.Example != "" {
		openLine(b, "Its example:", g.Example, 13, s)
	}
	b.WriteString("\n")
}

// listOf names the first n keys, and how many more.
func listOf(cs []scan.Count, n int) string {
	if len(cs) == 0 {
		return "none recorded"
	}
	var keys []string
	for i, c := range cs {
		if i == n {
			keys = append(keys, fmt.Sprintf("+%d", len(cs)-n))
			break
		}
		keys = append(keys, c.Key)
	}
	return strings.Join(keys, ", ")
}

// firstSentence is the first sentence of a fix, or its first paragraph
// when no sentence ends within it: the one line to act on.
func firstSentence(t string) string {
	para, _, _ := strings.Cut(strings.TrimSpace(t), "\n\n")
	para = strings.Join(strings.Fields(para), " ")
	for i := 0; i+1 < len(para); i++ {
		if para[i] == '.' && para[i+1] == ' ' && i > 0 && !strings.ContainsRune("0123456789", rune(para[i-1])) {
			return para[:i+1]
		}
	}
	return para
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
