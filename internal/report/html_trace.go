package report

import (
	"fmt"
	"net/http"
	"sort"
	"strings"
	"time"

	"github.com/frebscan/frebscan/internal/diagnose"
	"github.com/frebscan/frebscan/internal/freb"
	"github.com/frebscan/frebscan/internal/headers"
	"github.com/frebscan/frebscan/internal/scan"
)

// maxEvents bounds the compact event list of one trace; the count of the
// rest is shown.
const maxEvents = 150

// htmlTrace is one trace in full, in the four views freb.xsl users know:
// Request Summary, Request Details, Compact View and Performance View.
type htmlTrace struct {
	File        string
	Summary     []kv
	Findings    []diagnose.Finding
	Error       []kv
	ReqHeaders  []htmlHeader
	RespHeaders []htmlHeader
	RespNote    string
	Events      []htmlEvent
	Hidden      int
	Cut         int
	Modules     []htmlBar
	// QuickModules ran but took under a millisecond.
	QuickModules int
	Steps        []htmlStepTime
	Warnings     []string
}

type htmlHeader struct {
	Name, Value, Note string
	Evidence, Changed bool
}

type htmlEvent struct {
	Index              int
	Ms, Name, Detail   string
	Class, Description string
}

type htmlStepTime struct {
	Event              int
	At, Took           string
	Name, Next, Module string
}

// traceView builds the four views of one trace. marks names the headers
// to highlight ("req:via", "resp:persistent-auth").
func traceView(d *scan.DiagnosedTrace, marks map[string]bool) *htmlTrace {
	t := d.Trace
	v := headerView(d, marks)
	v.File = t.File
	v.Summary = summaryRows(d)
	v.Findings = d.Findings
	if es := t.ErrorStatus; es != nil {
		v.Error = errorRows(es)
	}
	hidden := 0
	for i := range t.Events {
		ev := &t.Events[i]
		if !Notable(ev) {
			hidden++
			continue
		}
		if len(v.Events) == maxEvents {
			v.Cut++
			continue
		}
		he := htmlEvent{Index: ev.Index, Name: ev.Name, Detail: clipLong(EventDetail(ev))}
		if !ev.Time.IsZero() && !t.Start.IsZero() {
			he.Ms = fmt.Sprintf("%d", ev.Time.Sub(t.Start).Milliseconds())
		}
		switch {
		case ev.Level > 0 && ev.Level <= 2:
			he.Class = "lvl-err"
		case ev.Level == 3:
			he.Class = "lvl-warn"
		}
		v.Events = append(v.Events, he)
	}
	v.Hidden = hidden
	v.Modules, v.QuickModules = moduleTimes(t)
	for _, st := range t.SlowestSteps {
		v.Steps = append(v.Steps, htmlStepTime{Event: st.Event, At: fmt.Sprintf("%.0f", st.ElapsedMs), Took: fmt.Sprintf("%.0f", st.DurationMs), Name: st.Name, Next: st.Next, Module: st.Module})
	}
	v.Warnings = t.Warnings
	return v
}

// headerView holds the request and response header tables alone, for a
// finding's evidence.
func headerView(d *scan.DiagnosedTrace, marks map[string]bool) *htmlTrace {
	t := d.Trace
	v := &htmlTrace{File: t.File}
	v.ReqHeaders = headerRows(t.RequestHeaders, t.RequestHeaderChanges, marks, "req:")
	v.RespHeaders = headerRows(t.ResponseHeaders, t.ResponseHeaderChanges, marks, "resp:")
	if !t.ResponseHeadersTraced && len(t.ResponseHeaders) > 0 {
		v.RespNote = "No GENERAL_RESPONSE_HEADERS event: the response headers were rebuilt from the headers modules set."
	}
	return v
}

func headerRows(l headers.List, changes []headers.Change, marks map[string]bool, prefix string) []htmlHeader {
	out := make([]htmlHeader, 0, len(l)+len(changes))
	for _, h := range l {
		out = append(out, htmlHeader{Name: h.Name, Value: clipLong(h.Value), Evidence: marks[prefix+strings.ToLower(h.Name)]})
	}
	for _, c := range changes {
		how := "set"
		if c.Replace {
			how = "replaced"
		}
		out = append(out, htmlHeader{Name: c.Name, Value: clipLong(c.Value), Changed: true,
			Note: fmt.Sprintf("%s by a module, event %d", how, c.Event), Evidence: marks[prefix+strings.ToLower(c.Name)]})
	}
	return out
}

func summaryRows(d *scan.DiagnosedTrace) []kv {
	t := d.Trace
	var out []kv
	row := func(k, v string) {
		if v != "" {
			out = append(out, kv{k, v})
		}
	}
	row("File", t.File)
	row("URL", t.URL)
	row("Verb", t.Verb)
	status := t.Status()
	if reason := http.StatusText(t.StatusCode); reason != "" {
		status += " " + reason
	}
	row("Status", fmt.Sprintf("%s (trigger %s, failure reason %s)", status, freb.FormatStatus(t.TriggerStatusCode, t.TriggerSubStatusCode), t.FailureReason))
	return append(out, requestSummary(d, "→")...)
}

func errorRows(es *freb.ErrorStatus) []kv {
	out := []kv{{"Module", es.Module}, {"Notification", es.Notification},
		{"HTTP status", strings.TrimSpace(freb.FormatStatus(es.HTTPStatus, es.HTTPSubStatus) + " " + es.HTTPReason)}}
	if es.ErrorCode != 0 || es.ErrorText != "" {
		out = append(out, kv{"Error code", strings.TrimSpace(fmt.Sprintf("0x%08X %s", es.ErrorCode, es.ErrorText))})
	}
	if es.ConfigException != "" {
		out = append(out, kv{"Config", es.ConfigException})
	}
	if es.Description != "" {
		out = append(out, kv{"Description", es.Description})
	}
	return out
}

// moduleTimes is the Performance View: time spent in each module,
// measured from NOTIFY_MODULE_START to the matching NOTIFY_MODULE_END and
// summed over notifications. Modules nest (ASP.NET runs inside
// ManagedPipelineHandler), so times are inclusive and need not add up.
// quick counts the modules that took under a millisecond, left out.
func moduleTimes(t *freb.Trace) (modules []htmlBar, quick int) {
	type key struct{ module, notification string }
	open := map[key][]time.Time{}
	total := map[string]time.Duration{}
	calls := map[string]int{}
	for i := range t.Events {
		ev := &t.Events[i]
		if ev.Time.IsZero() {
			continue
		}
		switch ev.Name {
		case "NOTIFY_MODULE_START":
			k := key{ev.Get("ModuleName"), ev.Get("Notification")}
			open[k] = append(open[k], ev.Time)
		case "NOTIFY_MODULE_END":
			k := key{ev.Get("ModuleName"), ev.Get("Notification")}
			if st := open[k]; len(st) > 0 {
				total[k.module] += ev.Time.Sub(st[len(st)-1])
				calls[k.module]++
				open[k] = st[:len(st)-1]
			}
		}
	}
	if len(total) == 0 {
		return nil, 0
	}
	cs := make([]scan.Count, 0, len(total))

	for m, d := range total {
		if d < time.Millisecond {
			quick++
			continue
		}
		cs = append(cs, scan.Count{Key: m, Count: int(d.Milliseconds())})
	}
	sort.Slice(cs, func(i, j int) bool {
		if cs[i].Count != cs[j].Count {
			return cs[i].Count > cs[j].Count
		}
		return cs[i].Key < cs[j].Key
	})
	if len(cs) > 15 {
		cs = cs[:15]
	}
	out := bars(cs, 0)
	for i := range out {
		out[i].Value = fmt.Sprintf("%d ms", cs[i].Count)
		out[i].Note = fmt.Sprintf("%d notification(s)", calls[cs[i].Key])
	}
	return out, quick
}
