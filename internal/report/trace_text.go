package report

import (
	"fmt"
	"io"
	"net/http"
	"strings"

	"github.com/jedib0t/go-pretty/v6/table"
	"github.com/jedib0t/go-pretty/v6/text"

	"github.com/frebscan/frebscan/internal/diagnose"
	"github.com/frebscan/frebscan/internal/freb"
	"github.com/frebscan/frebscan/internal/headers"
	"github.com/frebscan/frebscan/internal/scan"
)

// TraceOptions say what a single-trace view holds.
type TraceOptions struct {
	Style Style
	// AllEvents lists every event in the timeline instead of the notable
	// ones.
	AllEvents bool
}

// WriteTraceText writes the terminal view of one trace, in the spirit of
// freb.xsl's Request Summary and Request Details, with frebscan's findings
// right after the summary.
func WriteTraceText(w io.Writer, d *scan.DiagnosedTrace, opts TraceOptions) error {
	s := opts.Style
	t := d.Trace
	var b strings.Builder
	headline(&b, t, s)
	render(&b, summaryTable(d, s))
	WriteFindingsText(&b, "Findings", d.Findings, s)
	if es := t.ErrorStatus; es != nil {
		render(&b, errorTable(es, s))
	}
	render(&b, headerTable("Request headers", t.RequestHeaders, t.RequestHeaderChanges, evidenceNames(d.Findings, diagnose.InRequestHeader), s))
	respTitle := "Response headers"
	if !t.ResponseHeadersTraced && len(t.ResponseHeaders) > 0 {
		respTitle += " (no GENERAL_RESPONSE_HEADERS event: rebuilt from headers modules set)"
	}
	render(&b, headerTable(respTitle, t.ResponseHeaders, t.ResponseHeaderChanges, evidenceNames(d.Findings, diagnose.InResponseHeader), s))
	if len(t.Events) > 0 {
		render(&b, timelineTable(t, opts))
	}
	if len(t.SlowestSteps) > 0 {
		stepsList(&b, t.SlowestSteps, s)
	}
	for _, warn := range t.Warnings {
		fmt.Fprintf(&b, "%s %s\n", s.paint("warning:", text.FgYellow), wrap(warn, s.Width-9, "         "))
	}
	b.WriteString("\n")
	_, err := io.WriteString(w, Neutralise(b.String(), s.Color))
	return err
}

func headline(b *strings.Builder, t *freb.Trace, s Style) {
	status := t.Status()
	if reason := http.StatusText(t.StatusCode); reason != "" {
		status += " " + reason
	}
	// The path has a line of its own, whole, to copy; the request under it.
	fmt.Fprintf(b, "%s\n%s\n", s.bold(t.File), wrap(breakable(fmt.Sprintf("%s %s -> %s", t.Verb, t.URL, s.status(t.StatusCode, status))), s.Width, "  "))
}

func render(b *strings.Builder, tw table.Writer) {
	if tw == nil {
		return
	}
	b.WriteString(tw.Render())
	b.WriteString("\n")
}

func twoColumn(title string, s Style, keyWidth int) table.Writer {
	tw := s.table(title)
	// Values are wrapped by cell before they reach the table; a token
	// wider than the column (a long path) widens it rather than being cut.
	tw.SetColumnConfigs([]table.ColumnConfig{
		{Number: 1, WidthMax: keyWidth, WidthMaxEnforcer: text.WrapSoft},
	})
	return tw
}

func summaryTable(d *scan.DiagnosedTrace, s Style) table.Writer {
	t := d.Trace
	tw := twoColumn("Request summary", s, 16)
	row := func(k, v string) {
		if v != "" {
			tw.AppendRow(table.Row{k, v})
		}
	}
	row("URL", cell(t.URL, s.valueWidth(16)))
	row("Verb", t.Verb)
	trigger := freb.FormatStatus(t.TriggerStatusCode, t.TriggerSubStatusCode)
	row("Status", fmt.Sprintf("%s (trigger %s, %s)", s.status(t.StatusCode, t.Status()), trigger, t.FailureReason))
	for _, r := range requestSummary(d, "->") {
		tw.AppendRow(table.Row{r.K, cell(r.V, s.valueWidth(16))})
	}
	return tw
}

func errorTable(es *freb.ErrorStatus, s Style) table.Writer {
	tw := twoColumn("Error status", s, 16)
	vw := s.valueWidth(16)
	tw.AppendRow(table.Row{"Module", es.Module})
	tw.AppendRow(table.Row{"Notification", es.Notification})
	tw.AppendRow(table.Row{"HTTP status", s.status(es.HTTPStatus, fmt.Sprintf("%s %s", freb.FormatStatus(es.HTTPStatus, es.HTTPSubStatus), es.HTTPReason))})
	if es.ErrorCode != 0 || es.ErrorText != "" {
		tw.AppendRow(table.Row{"Error code", cell(fmt.Sprintf("0x%08X %s", es.ErrorCode, es.ErrorText), vw)})
	}
	if es.ConfigException != "" {
		tw.AppendRow(table.Row{"Config", cell(es.ConfigException, vw)})
	}
	if es.Description != "" {
		tw.AppendRow(table.Row{"Description", cell(es.Description, vw)})
	}
	return tw
}

// cell wraps a table value at spaces and URL separators before the table
// does, so the table's own wrapping (which cuts anywhere) never has to
// cut a word or a number.
func cell(v string, width int) string {
	lines := strings.Split(wrap(breakable(v), width, ""), "\n")
	// A token wider than the column with no separator at all (a base64
	// blob, a GUID list) is cut: unlike a word, a path or a number, no
	// one reads it, and whole it would push the table off the screen.
	for i, l := range lines {
		if text.RuneWidthWithoutEscSequences(l) > width && !strings.Contains(l, "\x1b") {
			var parts []string
			r := []rune(l)
			for len(r) > width {
				parts = append(parts, string(r[:width]))
				r = r[width:]
			}
			lines[i] = strings.Join(append(parts, string(r)), "\n")
		}
	}
	return strings.Join(lines, "\n")
}

// evidenceNames are the header names (lower case) the findings cite as
// evidence at one location.
func evidenceNames(fs []diagnose.Finding, where diagnose.Location) map[string]bool {
	out := map[string]bool{}
	for _, f := range fs {
		for _, e := range f.Evidence {
			// A proxy's evidence (X-ClientSide, X-Forwarded-For) names
			// request headers too, and the fix is often about them.
			if e.Where == where || where == diagnose.InRequestHeader && e.Where == diagnose.InProxy {
				out[strings.ToLower(e.Name)] = true
			}
		}
	}
	return out
}

// evidenceMark marks a header a finding cites, in the header tables.
const evidenceMark = "» "

func headerTable(title string, l headers.List, changes []headers.Change, evidence map[string]bool, s Style) table.Writer {
	if len(l) == 0 && len(changes) == 0 {
		return nil
	}
	mark := func(name string) string {
		if evidence[strings.ToLower(name)] {
			return s.paint(evidenceMark+name, text.Bold, text.FgYellow)
		}
		return name
	}
	for _, h := range l {
		if evidence[strings.ToLower(h.Name)] {
			title += " (" + strings.TrimSpace(evidenceMark) + " evidence of a finding)"
			break
		}
	}
	tw := s.table(title)
	tw.AppendHeader(table.Row{"Name", "Value"})
	tw.SetColumnConfigs([]table.ColumnConfig{
		{Number: 1, WidthMax: 28, WidthMaxEnforcer: text.WrapSoft},
	})
	for _, h := range l {
		tw.AppendRow(table.Row{mark(h.Name), cell(h.Value, s.valueWidth(28))})
	}
	for _, c := range changes {
		how := "set"
		if c.Replace {
			how = "replaced"
		}
		tw.AppendRow(table.Row{s.dim(c.Name), s.dim(cell(fmt.Sprintf("%s (%s by a module, event %d)", c.Value, how, c.Event), s.valueWidth(28)))})
	}
	return tw
}

func timelineTable(t *freb.Trace, opts TraceOptions) table.Writer {
	s := opts.Style
	title := "Timeline (notable events; --events all for every event)"
	if opts.AllEvents {
		title = "Timeline (every event)"
	}
	tw := s.table(title)
	tw.AppendHeader(table.Row{"#", "ms", "Event", "Detail"})
	tw.SetColumnConfigs([]table.ColumnConfig{
		{Number: 3, WidthMax: 34, WidthMaxEnforcer: text.WrapSoft},
	})
	// The detail column takes what the others leave: borders and padding
	// (13), the index and elapsed columns at their widest, the event name.
	last := t.Events[len(t.Events)-1]
	elapsedWidth := 4
	if !last.Time.IsZero() && !t.Start.IsZero() {
		elapsedWidth = max(elapsedWidth, len(fmt.Sprint(last.Time.Sub(t.Start).Milliseconds())))
	}
	detailWidth := max(s.Width-13-len(fmt.Sprint(last.Index))-elapsedWidth-34, 20)
	hidden := 0
	for i := range t.Events {
		ev := &t.Events[i]
		if !opts.AllEvents && !Notable(ev) {
			hidden++
			continue
		}
		elapsed := ""
		if !ev.Time.IsZero() && !t.Start.IsZero() {
			elapsed = fmt.Sprintf("%d", ev.Time.Sub(t.Start).Milliseconds())
		}
		name := ev.Name
		if ev.Level > 0 && ev.Level <= 3 {
			name = s.paint(name, text.FgYellow)
		}
		tw.AppendRow(table.Row{ev.Index, elapsed, name, cell(EventDetail(ev), detailWidth)})
	}
	if hidden > 0 {
		tw.AppendFooter(table.Row{"", "", fmt.Sprintf("%d routine events hidden", hidden), ""})
	}
	return tw
}

// stepsList lists the slowest steps one per line, wrapped at spaces: a
// table of six columns does not fit an 80-column terminal.
func stepsList(b *strings.Builder, steps []freb.Step, s Style) {
	fmt.Fprintf(b, "%s\n", s.bold("Slowest steps"))
	for _, st := range steps {
		line := fmt.Sprintf("%.0f ms from event #%d (at %.0f ms): %s → %s", st.DurationMs, st.Event, st.ElapsedMs, st.Name, st.Next)
		if st.Module != "" {
			line += " (last module: " + st.Module + ")"
		}
		fmt.Fprintf(b, "  %s\n", wrap(line, s.Width-4, "    "))
	}
	b.WriteString("\n")
}

func firstNonEmpty(v ...string) string {
	for _, s := range v {
		if s != "" {
			return s
		}
	}
	return ""
}
