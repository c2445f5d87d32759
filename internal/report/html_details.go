package report

import (
	"fmt"

	"github.com/frebscan/frebscan/internal/freb"
	"github.com/frebscan/frebscan/internal/scan"
)

// The detailed traces of a page are bounded in bytes, not only in count:
// one verbose trace can hold more event data than a thousand ordinary
// ones, and the page model, the page itself and the traces read for it
// must fit a report's memory target (256 MB) whatever the traces. The
// reader keeps at most scan.DefaultDetailBudget of one trace's events;
// these bound what the page makes of them.
const (
	// maxAllBytes bounds the "All events" text of one trace.
	maxAllBytes = 1 << 20
	// maxProblemBytes bounds one trace's list of errors and warnings.
	maxProblemBytes = 256 << 10
	// maxDetailBytes bounds the details of all traces on one page: past
	// it, a trace's details go without every event in full, and then
	// without details at all.
	maxDetailBytes = 32 << 20
)

// detailed is one trace re-read for a page: the trace without its
// events, for the header panels of the findings, or the error re-reading
// it gave.
type detailed struct {
	doc *scan.DiagnosedTrace
	err error
}

// addDetails fills the trace rows of the page and the detailed views of
// the traces detailOrder picks, reading them one at a time and keeping
// only their views, so memory holds one trace's events at a time.
func (p *htmlPage) addDetails(r *scan.Result, rows []scan.Row, opts Options) map[string]*detailed {
	chosen := detailOrder(r, rows, opts)
	out := map[string]*detailed{}
	// Every event in full is heavy (a trace's header events alone run to
	// kilobytes): the traces with findings get it, up to maxFullEvents of
	// them, so a report of thousands of traces stays a few megabytes.
	full, spent, overBudget, cut := 0, 0, 0, 0
	for i, row := range rows {
		p.Rows[i] = traceRow(i, row)
		p.Rows[i].Later = i >= pageRows
		if !chosen[row.File] {
			continue
		}
		doc, err := opts.Detail(row.File)
		if err != nil {
			p.Detailed++
			p.Rows[i].DetailErr = err.Error()
			out[row.File] = &detailed{err: err}
			continue
		}
		out[row.File] = &detailed{doc: withoutEvents(doc)}
		withAll := (len(row.Findings) > 0 || opts.AllEvents) && full < maxFullEvents
		v := traceView(doc, evidenceMarks(row.File, r), withAll)
		if spent+v.size() > maxDetailBytes && v.All != nil {
			v.AllCut += len(v.All)
			v.All, withAll = nil, false
		}
		if n := v.size(); spent+n > maxDetailBytes {
			overBudget++
			continue
		}
		if withAll {
			full++
		}
		if v.Omitted != nil {
			cut++
		}
		spent += v.size()
		p.Detailed++
		p.Rows[i].Detail = v
	}
	if p.Detailed < len(p.Rows) {
		listed := ""
		if p.LeftOut > 0 {
			listed = " listed"
		}
		p.DetailNote = fmt.Sprintf("Full details (request summary, headers, events, performance) are included for %d of the %d traces%s: those in findings first, then the slowest and the failed ones. Open any other trace with: frebscan show FILE.", p.Detailed, len(p.Rows), listed)
	}
	if overBudget > 0 {
		p.DetailNote += fmt.Sprintf(" The details of %d more trace(s) were left out to keep the details of this page under %s.", overBudget, humanBytes(maxDetailBytes))
	}
	if cut > 0 {
		p.DetailCut = fmt.Sprintf("%d trace(s) are too large to show whole: their details show the first and the last events and every error, warning and event the findings rest on, and count the others by name. frebscan show --events all FILE, or the trace file itself in a browser beside IIS's freb.xsl, has every event.", cut)
	}
	return out
}

// withoutEvents is the trace as the header panels of the findings need
// it, without the events that made its views.
func withoutEvents(d *scan.DiagnosedTrace) *scan.DiagnosedTrace {
	t := *d.Trace
	t.Events, t.AuthEvents = nil, nil
	c := *d
	c.Trace = &t
	return &c
}

// htmlOmitted says which events of a trace the reader left out
// (freb.Omitted) and where to see them.
type htmlOmitted struct {
	Events, Key, First, Last int
	Size                     string
	Names                    []htmlOmittedName
	MoreNames                int
}

type htmlOmittedName struct {
	Name   string
	Events int
	Size   string
}

// maxOmittedNames is how many event names the page counts separately.
const maxOmittedNames = 12

func omittedView(o *freb.Omitted) *htmlOmitted {
	if o == nil {
		return nil
	}
	v := &htmlOmitted{Events: o.Events, Key: o.Key, First: o.First, Last: o.Last, Size: humanBytes(o.Bytes)}
	for i, nc := range o.ByName {
		if i == maxOmittedNames {
			v.MoreNames = len(o.ByName) - i
			break
		}
		v.Names = append(v.Names, htmlOmittedName{Name: nc.Name, Events: nc.Events, Size: humanBytes(nc.Bytes)})
	}
	return v
}

// size estimates the bytes a trace's views add to the page model and to
// the page: their text, and some markup per item.
func (v *htmlTrace) size() int {
	const item = 64
	n := len(v.File)
	kvs := func(l []kv) {
		for _, e := range l {
			n += item + len(e.K) + len(e.V)
		}
	}
	kvs(v.Summary)
	kvs(v.Error)
	for _, l := range [][]htmlHeader{v.ReqHeaders, v.RespHeaders} {
		for _, h := range l {
			n += item + len(h.Name) + len(h.Value) + len(h.Note)
		}
	}
	for _, l := range [][]htmlEvent{v.Events, v.Problems} {
		for _, e := range l {
			n += item + len(e.Ms) + len(e.Name) + len(e.Detail) + len(e.Description)
		}
	}
	for _, e := range v.All {
		n += 2*item + len(e.Ms) + len(e.Name) + len(e.Text)
	}
	for _, f := range v.Findings {
		n += 4*item + len(f.Title) + len(f.Summary)
	}
	for _, w := range v.Warnings {
		n += item + len(w)
	}
	n += item * (len(v.Modules) + len(v.Steps))
	if v.Omitted != nil {
		n += item * (len(v.Omitted.Names) + 4)
	}
	return n
}
