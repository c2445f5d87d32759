package report

import (
	"fmt"
	"io"
	"net/http"
	"strings"

	"github.com/jedib0t/go-pretty/v6/table"
	"github.com/jedib0t/go-pretty/v6/text"

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
	render(&b, headerTable("Request headers", t.RequestHeaders, t.RequestHeaderChanges, s))
	respTitle := "Response headers"
	if !t.ResponseHeadersTraced && len(t.ResponseHeaders) > 0 {
		respTitle += " (no GENERAL_RESPONSE_HEADERS event: rebuilt from headers modules set)"
	}
	render(&b, headerTable(respTitle, t.ResponseHeaders, t.ResponseHeaderChanges, s))
	if len(t.Events) > 0 {
		render(&b, timelineTable(t, opts))
	}
	if len(t.SlowestSteps) > 0 {
		render(&b, stepsTable(t.SlowestSteps, s))
	}
	for _, warn := range t.Warnings {
		fmt.Fprintf(&b, "%s %s\n", s.paint("warning:", text.FgYellow), warn)
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
	fmt.Fprintf(b, "%s  %s %s -> %s\n", s.bold(t.File), t.Verb, t.URL, s.status(t.StatusCode, status))
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
	tw.SetColumnConfigs([]table.ColumnConfig{
		{Number: 1, WidthMax: keyWidth, WidthMaxEnforcer: text.WrapSoft},
		{Number: 2, WidthMax: s.valueWidth(keyWidth), WidthMaxEnforcer: text.WrapSoft},
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
	row("URL", t.URL)
	row("Verb", t.Verb)
	trigger := freb.FormatStatus(t.TriggerStatusCode, t.TriggerSubStatusCode)
	row("Status", fmt.Sprintf("%s (trigger %s, %s)", s.status(t.StatusCode, t.Status()), trigger, t.FailureReason))
	for _, r := range requestSummary(d, "->") {
		tw.AppendRow(table.Row{r.K, r.V})
	}
	return tw
}

func errorTable(es *freb.ErrorStatus, s Style) table.Writer {
	tw := twoColumn("Error status", s, 16)
	tw.AppendRow(table.Row{"Module", es.Module})
	tw.AppendRow(table.Row{"Notification", es.Notification})
	tw.AppendRow(table.Row{"HTTP status", s.status(es.HTTPStatus, fmt.Sprintf("%s %s", freb.FormatStatus(es.HTTPStatus, es.HTTPSubStatus), es.HTTPReason))})
	if es.ErrorCode != 0 || es.ErrorText != "" {
		tw.AppendRow(table.Row{"Error code", fmt.Sprintf("0x%08X %s", es.ErrorCode, es.ErrorText)})
	}
	if es.ConfigException != "" {
		tw.AppendRow(table.Row{"Config", es.ConfigException})
	}
	if es.Description != "" {
		tw.AppendRow(table.Row{"Description", es.Description})
	}
	return tw
}

func headerTable(title string, l headers.List, changes []headers.Change, s Style) table.Writer {
	if len(l) == 0 && len(changes) == 0 {
		return nil
	}
	tw := s.table(title)
	tw.AppendHeader(table.Row{"Name", "Value"})
	tw.SetColumnConfigs([]table.ColumnConfig{
		{Number: 1, WidthMax: 28, WidthMaxEnforcer: text.WrapSoft},
		{Number: 2, WidthMax: s.valueWidth(28), WidthMaxEnforcer: text.WrapSoft},
	})
	for _, h := range l {
		tw.AppendRow(table.Row{h.Name, h.Value})
	}
	for _, c := range changes {
		how := "set"
		if c.Replace {
			how = "replaced"
		}
		tw.AppendRow(table.Row{s.dim(c.Name), s.dim(fmt.Sprintf("%s (%s by a module, event %d)", c.Value, how, c.Event))})
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
		{Number: 4, WidthMax: s.valueWidth(50), WidthMaxEnforcer: text.WrapSoft},
	})
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
		tw.AppendRow(table.Row{ev.Index, elapsed, name, EventDetail(ev)})
	}
	if hidden > 0 {
		tw.AppendFooter(table.Row{"", "", fmt.Sprintf("%d routine events hidden", hidden), ""})
	}
	return tw
}

func stepsTable(steps []freb.Step, s Style) table.Writer {
	tw := s.table("Slowest steps")
	tw.AppendHeader(table.Row{"#", "at ms", "took ms", "From event", "To event", "Last module"})
	for _, st := range steps {
		tw.AppendRow(table.Row{st.Event, fmt.Sprintf("%.0f", st.ElapsedMs), fmt.Sprintf("%.0f", st.DurationMs), st.Name, st.Next, st.Module})
	}
	return tw
}

func firstNonEmpty(v ...string) string {
	for _, s := range v {
		if s != "" {
			return s
		}
	}
	return ""
}
