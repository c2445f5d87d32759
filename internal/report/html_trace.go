package report

import (
	"fmt"
	"net/http"
	"slices"
	"sort"
	"strings"
	"time"
	"unicode/utf8"

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
	// Problems are the events IIS logged as errors or warnings, the
	// Errors & Warnings list of freb.xsl.
	Problems []htmlEvent
	// ProblemsCut counts errors and warnings past maxProblemBytes.
	ProblemsCut int
	// Omitted says which events the reader left out of a trace too large
	// to show whole (nil when every event was read).
	Omitted *htmlOmitted
	// All is every event with all its data, shown on demand (as
	// freb.xsl's Request Details); AllCut counts events past maxAllEvents.
	All    []htmlEventData
	AllCut int
}

// htmlEventData is one event in full: every EventData field, and IIS's
// rendering of the numeric ones.
type htmlEventData struct {
	Index    int
	Ms, Name string
	Class    string
	// Text is every field as "Name: value" lines, preformatted: a table
	// per event made the page five times heavier.
	Text string
	// Gap marks the first event after events not on the page.
	Gap bool
}

type htmlHeader struct {
	Name, Value, Note string
	Evidence, Changed bool
}

type htmlEvent struct {
	Index              int
	Ms, Name, Detail   string
	Class, Description string
	// Gap marks the first event after events not on the page.
	Gap bool
}

type htmlStepTime struct {
	Event              int
	At, Took           string
	Name, Next, Module string
}

// traceView builds the four views of one trace. marks names the headers
// to highlight ("req:via", "resp:persistent-auth").
func traceView(d *scan.DiagnosedTrace, marks map[string]bool, withAll bool) *htmlTrace {
	t := d.Trace
	v := headerView(d, marks)
	v.File = t.File
	v.Summary = summaryRows(d)
	v.Findings = d.Findings
	if es := t.ErrorStatus; es != nil {
		v.Error = errorRows(es)
	}
	var notable []int
	for i := range t.Events {
		if Notable(&t.Events[i]) {
			notable = append(notable, i)
		}
	}
	hidden := len(t.Events) - len(notable)
	// Of a trace kept in part, the compact view shows its first and its
	// last notable events.
	shown := func(k int) bool { return k < maxEvents }
	if t.Omitted != nil && len(notable) > maxEvents {
		shown = func(k int) bool { return k < maxEvents/2 || k >= len(notable)-maxEvents/2 }
	}
	for k, i := range notable {
		ev := &t.Events[i]
		if !shown(k) {
			v.Cut++
			continue
		}
		he := htmlEvent{Index: ev.Index, Name: ev.Name, Detail: clipLong(EventDetail(ev)), Ms: eventMs(t, ev), Class: levelClass(ev)}
		he.Gap = k > 0 && !shown(k-1)
		v.Events = append(v.Events, he)
	}
	v.Hidden = hidden
	v.Modules, v.QuickModules = moduleTimes(t)
	for _, st := range t.SlowestSteps {
		v.Steps = append(v.Steps, htmlStepTime{Event: st.Event, At: fmt.Sprintf("%.0f", st.ElapsedMs), Took: fmt.Sprintf("%.0f", st.DurationMs), Name: st.Name, Next: st.Next, Module: st.Module})
	}
	v.Warnings = t.Warnings
	v.Problems, v.ProblemsCut, v.All, v.AllCut = eventData(t)
	if v.Omitted = omittedView(t.Omitted); v.Omitted != nil {
		v.AllCut += v.Omitted.Events
	}
	if !withAll {
		v.AllCut += len(v.All)
		v.All = nil
	}
	return v
}

// maxAllEvents bounds the full event list of one trace on the page (a
// verbose ASP.NET trace has thousands); frebscan show --events all and
// --format json list the rest.
const maxAllEvents = 250

// eventData lists the error and warning events and every event in full,
// each list within its bytes (maxProblemBytes, maxAllBytes) and the full
// one within maxAllEvents. Of a trace the reader kept in part
// (Trace.Omitted), the full list holds its first and its last events, so
// the end of a long request is on the page too.
func eventData(t *freb.Trace) (problems []htmlEvent, problemsCut int, all []htmlEventData, cut int) {
	problemBytes := 0
	for i := range t.Events {
		ev := &t.Events[i]
		if class := levelClass(ev); class != "" {
			p := htmlEvent{Index: ev.Index, Ms: eventMs(t, ev), Name: ev.Name, Detail: clipLong(EventDetail(ev)), Class: class}
			if problemBytes += len(p.Detail) + len(p.Name); problemBytes > maxProblemBytes {
				problemsCut++
			} else {
				problems = append(problems, p)
			}
		}
	}
	if t.Omitted == nil {
		all = fullEvents(t, 0, len(t.Events), 1, maxAllEvents, maxAllBytes)
		return problems, problemsCut, all, len(t.Events) - len(all)
	}
	head := fullEvents(t, 0, len(t.Events), 1, maxAllEvents/2, maxAllBytes/2)
	tail := fullEvents(t, len(t.Events)-1, len(head)-1, -1, maxAllEvents/2, maxAllBytes/2)
	slices.Reverse(tail)
	if len(tail) > 0 && len(head)+len(tail) < len(t.Events) {
		tail[0].Gap = true
	}
	all = append(head, tail...)
	return problems, problemsCut, all, len(t.Events) - len(all)
}

// fullEvents renders events from, from+step, … (stopping before to)
// until limit events or maxBytes of text.
func fullEvents(t *freb.Trace, from, to, step, limit, maxBytes int) []htmlEventData {
	var out []htmlEventData
	size := 0
	for i := from; i != to && len(out) < limit && size < maxBytes; i += step {
		ev := &t.Events[i]
		e := htmlEventData{Index: ev.Index, Ms: eventMs(t, ev), Name: ev.Name, Class: levelClass(ev)}
		var b strings.Builder
		for _, f := range ev.Data {
			v := f.Value
			if d := lookupField(ev.Descriptions, f.Name); d != "" && d != v {
				v += " (" + d + ")"
			}
			fmt.Fprintf(&b, "%s: %s\n", f.Name, clipField(v))
		}
		fmt.Fprintf(&b, "(provider %s, level %d)", ev.Provider, ev.Level)
		e.Text = b.String()
		size += len(e.Text)
		out = append(out, e)
	}
	return out
}

func eventMs(t *freb.Trace, ev *freb.Event) string {
	if ev.Time.IsZero() || t.Start.IsZero() {
		return ""
	}
	return fmt.Sprintf("%d", ev.Time.Sub(t.Start).Milliseconds())
}

func levelClass(ev *freb.Event) string {
	switch {
	case ev.Level > 0 && ev.Level <= 2:
		return "lvl-err"
	case ev.Level == 3:
		return "lvl-warn"
	}
	return ""
}

func lookupField(fields []freb.Field, name string) string {
	for _, f := range fields {
		if f.Name == name {
			return f.Value
		}
	}
	return ""
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

// clipField shortens one event field for the page: the full value (a
// request body, a long header) is in frebscan show --format json.
func clipField(s string) string {
	const max = 600
	if len(s) <= max {
		return s
	}
	cut := max
	for cut > 0 && !utf8.RuneStart(s[cut]) {
		cut--
	}
	return s[:cut] + fmt.Sprintf(" … (%d more bytes; frebscan show --format json --events all has it all)", len(s)-cut)
}
