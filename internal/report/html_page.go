package report

import (
	"fmt"
	"path/filepath"
	"sort"
	"strings"
	"time"

	"github.com/frebscan/frebscan/internal/diagnose"
	"github.com/frebscan/frebscan/internal/scan"
	"github.com/frebscan/frebscan/internal/status"
)

// maxDetailed bounds how many traces a page shows in full. Each detailed
// trace costs tens of kilobytes; 100 keeps a 10,000-trace report well
// under 10 MB while covering every finding's examples and the slowest
// requests.
const maxDetailed = 100

// maxFullEvents is how many traces of a page carry every event in full.
const maxFullEvents = 25

// pageRows is how many trace rows the page shows at first and per "show
// more": laying out a table of 10,000 rows takes a browser seconds, hidden
// rows cost next to nothing. Filters and sorting still cover every row.
const pageRows = 500

// Limits of the other lists, for the same reason.
const (
	maxSequences    = 12
	maxSequenceStep = 10
)

// htmlPage is everything the report template shows. Values from traces
// stay plain strings: html/template escapes them in context.
type htmlPage struct {
	Title     string
	CSP       string
	Tool      string
	Generated string
	Partial   bool
	Command   string
	Facts     []kv
	Filters   []kv
	Summary   htmlSummary
	Groups    []htmlGroup
	Info      []htmlGroup
	Sequences []htmlSeq
	// ServerRules is the server × rule table (nil without findings).
	ServerRules *serverMatrix
	Timeline    *htmlTimeline
	Statuses    []htmlBar
	TopURLs     []htmlBar
	Clients     []htmlBar
	Agents      []htmlBar
	Rows        []htmlRow
	// Total is every trace of the scan; LeftOut those the table does not
	// list (see maxTableRows).
	Total, LeftOut int
	PageRows       int
	Detailed       int
	// DetailNote says which traces are shown in full when not all are.
	DetailNote string
	// DetailCut says that some traces are shown in part (too large to
	// show whole) and how to see all of them.
	DetailCut   string
	Unreadable  []scan.FileError
	NotFREB     []scan.FileError
	Unexplained []scan.UnexplainedGroup
	// Outside are the failures the traces cannot contain (see
	// diagnose.OutsideNote), shown right after the findings.
	Outside      []diagnose.OutsideNote
	Warnings     []scan.FileWarning
	MoreWarnings int
}

// htmlLink points at a trace row of the page; Href is empty when the
// trace is not in the table (filtered out, or from an earlier run).
type htmlLink struct{ Text, Href string }

type htmlGroup struct {
	scan.Group
	ID          string
	Seen        string
	Explanation string
	Examples    []htmlExample
	// Headers are the example trace's header tables with the evidence
	// headers marked; nil when the trace could not be re-read.
	Headers     *htmlTrace
	HeadersOpen bool
	Open        htmlLink
	// FixVendor is set when the fix is specific to the detected vendor.
	FixVendor string
	// SeverityNote explains a severity other than the rule's usual one.
	SeverityNote string
	// HeadersOf names the trace the header panel shows.
	HeadersOf string
	// When is the group's timeline chart, nil for a single time slice.
	When *htmlGroupTimeline
}

type htmlExample struct {
	Summary  string
	Steps    []htmlStep
	Evidence []htmlEvidence
	Traces   []htmlLink
}

type htmlEvidence struct {
	Where, Name, Value string
	Link               htmlLink
}

type htmlStep struct {
	Verb, Status, Class, Auth, PersistentAuth, Time, FEServer, ErrorCode, Server string
	// Bad marks the failure; Leg marks a 401 that is a normal challenge
	// leg of a handshake, drawn as such (not as a failure).
	Bad, Leg bool
	// Via is set when the request came through a proxy that added Via.
	Via  bool
	Link htmlLink
}

type htmlSeq struct {
	Client, UserAgent, Family, Path, Vendor string
	Steps                                   []htmlStep
	Earlier                                 int
}

type htmlRow struct {
	// Later rows start hidden (see pageRows).
	Later                                         bool
	ID, Time, TimeKey, Status, Class, StatusClass string
	// StatusKey sorts statuses by code, then substatus as a number
	// (403.4 before 403.16), which the text "403.16" cannot.
	StatusKey                                  int
	Verb, Path, Client, Agent, File, FileShort string
	Server, Proxy                              string
	// Search is text the filter matches besides the visible cells: the
	// client family, the full user agent and path.
	Search    string
	Ms        int64
	Refs      []scan.Ref
	Findings  bool
	Detail    *htmlTrace
	DetailErr string
}

// buildPage turns a scan result into the page model. detail re-reads
// traces for the full views; it may be nil.
func buildPage(r *scan.Result, opts Options) (*htmlPage, error) {
	p := &htmlPage{Tool: r.Tool, Generated: r.Started.UTC().Format("2006-01-02 15:04:05 UTC"), Partial: r.Partial}
	table, err := pickRows(r, opts.tableRows)
	if err != nil {
		return nil, fmt.Errorf("html report: %w", err)
	}
	p.Total, p.LeftOut = table.total, table.leftOut()
	rowOf := make(map[string]int, len(table.rows))
	for i, row := range table.rows {
		rowOf[row.File] = i
	}
	link := func(file string) htmlLink {
		l := htmlLink{Text: shortFile(file)}
		if i, ok := rowOf[file]; ok {
			l.Href = fmt.Sprintf("#t-%d", i)
		}
		return l
	}
	p.Facts = facts(r)
	for _, k := range sortedKeys(r.Filters) {
		p.Filters = append(p.Filters, kv{k, r.Filters[k]})
	}
	p.Rows = make([]htmlRow, len(table.rows))
	details := p.addDetails(r, table.rows, opts)
	for _, g := range r.Findings {
		hg := htmlGroup{Group: g, ID: "f-" + g.Rule, Seen: seen(g.FirstSeen, g.LastSeen), FixVendor: fixVendor(g), Explanation: g.Explanation, SeverityNote: severityNote(&g), When: groupTimelineChart(g.Timeline)}
		if g.Severity == diagnose.Info {
			hg.ID += "-info"
		}
		for _, f := range g.Examples {
			hg.Examples = append(hg.Examples, example(f, link))
		}
		if g.Example != "" {
			hg.Open = link(g.Example)
			file, marks := headerExample(g)
			if d := details[file]; d != nil && d.doc != nil {
				hg.Headers = headerView(d.doc, marks)
				hg.HeadersOpen = len(marks) > 0
				hg.HeadersOf = shortFile(file)
			}
		}
		if g.Severity == diagnose.Info {
			p.Info = append(p.Info, hg)
		} else {
			p.Groups = append(p.Groups, hg)
		}
	}
	p.Summary = summarise(r)
	p.Title = "frebscan: " + p.Summary.Lead
	p.Sequences = sequences(r, link)
	if len(r.Tables.ServerRules) > 0 {
		m := matrixOf(r.Tables.ServerRules)
		p.ServerRules = &m
	}
	p.Timeline = timelineChart(r.Tables.Timeline)
	p.Statuses = bars(r.Tables.Statuses, 12)
	p.TopURLs = bars(r.Tables.TopURLs, 10)
	p.Clients = bars(r.Tables.TopClients, 10)
	p.Agents = bars(r.Tables.TopUserAgents, 10)
	p.PageRows = pageRows
	p.Unreadable, p.NotFREB = r.Unreadable, r.NotFREB
	p.Unexplained = r.Unexplained
	p.Outside = r.Outside
	p.Warnings = r.Warnings
	p.MoreWarnings = r.Summary.WithWarnings - len(r.Warnings)
	return p, nil
}

func facts(r *scan.Result) []kv {
	sm := r.Summary
	out := []kv{{"Scanned", scope(sm)}}
	if note := bounds(r); note != "" {
		out = append(out, kv{"Bounded", note})
	}
	if sm.From != nil && sm.To != nil {
		out = append(out, kv{"Time range", seen(*sm.From, *sm.To)})
	}
	if len(sm.Servers) > 0 {
		out = append(out, kv{"Servers", joinCounts(sm.Servers, 8)})
	}
	if len(sm.Sites) > 0 {
		out = append(out, kv{"Sites", joinCounts(sm.Sites, 8)})
	}
	if len(r.Inputs) > 0 {
		out = append(out, kv{"Inputs", strings.Join(r.Inputs, ", ")})
	}
	if sm.Truncated > 0 || sm.WithWarnings > 0 {
		out = append(out, kv{"Parse warnings", fmt.Sprintf("%d trace(s) with warnings, %d truncated (listed at the end)", sm.WithWarnings, sm.Truncated)})
	}
	return out
}

// seen renders a time span compactly: the date once when both ends share it.
func seen(from, to time.Time) string {
	if from.IsZero() {
		return ""
	}
	from, to = from.UTC(), to.UTC()
	if to.IsZero() || to.Equal(from) {
		return from.Format("2006-01-02 15:04:05 UTC")
	}
	if from.Format("20060102") == to.Format("20060102") {
		return from.Format("2006-01-02 15:04:05") + " – " + to.Format("15:04:05 UTC")
	}
	return from.Format("2006-01-02 15:04:05") + " – " + to.Format("2006-01-02 15:04:05 UTC")
}

func example(f diagnose.Finding, link func(string) htmlLink) htmlExample {
	ex := htmlExample{Summary: f.Summary, Steps: steps(f.Sequence, link)}
	for _, e := range f.Evidence {
		he := htmlEvidence{Where: string(e.Where), Name: e.Name, Value: clipLong(e.Value)}
		if e.File != "" {
			he.Link = link(e.File)
		}
		ex.Evidence = append(ex.Evidence, he)
	}
	for _, t := range f.Traces {
		ex.Traces = append(ex.Traces, link(t))
	}
	return ex
}

func steps(in []diagnose.SequenceStep, link func(string) htmlLink) []htmlStep {
	out := make([]htmlStep, 0, len(in))
	for i, st := range in {
		hs := htmlStep{Verb: st.Verb, Status: st.Status, Class: statusClass(st.Code, st.Status), Auth: st.Auth,
			PersistentAuth: st.PersistentAuth, FEServer: st.FEServer, Server: st.Server, Via: st.Via}
		hs.Leg = i < len(in)-1 && challengeLeg(st)
		hs.Bad = (hs.Class == "s4" || hs.Class == "s5") && !hs.Leg
		if !st.Time.IsZero() {
			hs.Time = st.Time.UTC().Format("15:04:05.000")
		}
		if st.ErrorCode != 0 {
			hs.ErrorCode = fmt.Sprintf("0x%08X", st.ErrorCode)
			if st.ErrorCode == secContinueNeeded {
				hs.ErrorCode += " continue needed (normal)"
			} else if c := status.Code(st.ErrorCode); c.Name != "" {
				hs.ErrorCode += " " + c.Name
			}
		}
		hs.Link = link(st.File)
		out = append(out, hs)
	}
	return out
}

// secContinueNeeded is SEC_I_CONTINUE_NEEDED: the handshake wants another
// leg, which IIS records beside a 401.1 challenge. It is not an error.
const secContinueNeeded = 0x00090312

// challengeLeg reports whether a step is a 401 that a handshake goes
// through by design: the anonymous first request answered with the list
// of schemes, or an NTLM type 1 answered with its challenge. Followed by
// another step, it is a normal leg, not the failure.
func challengeLeg(st diagnose.SequenceStep) bool {
	if st.Code != 401 && !strings.HasPrefix(st.Status, "401") {
		return false
	}
	return !st.HasAuth || st.NTLMType == 1 || st.ErrorCode == secContinueNeeded || st.Auth == "none"
}

// statusClass is the CSS class of a status: s2 … s5. Sequence steps
// restored from state have no numeric code, so the text decides then.
func statusClass(code int, status string) string {
	if code == 0 && status != "" && status[0] >= '1' && status[0] <= '5' {
		return "s" + status[:1]
	}
	if code >= 100 && code < 600 {
		return fmt.Sprintf("s%d", code/100)
	}
	return ""
}

// sequences draws the client handshakes drawnSequences picks.
func sequences(r *scan.Result, link func(string) htmlLink) []htmlSeq {
	var out []htmlSeq
	for _, d := range drawnSequences(r) {
		seq := d.seq
		hs := htmlSeq{Client: seq.Client, UserAgent: seq.UserAgent, Family: seq.Family, Path: seq.Path, Vendor: seq.Vendor, Earlier: d.earlier}
		hs.Steps = steps(d.steps, link)
		out = append(out, hs)
	}
	return out
}

// drawnSequence is a handshake the page draws, with the steps it shows
// (the last maxSequenceStep, in time order) and how many earlier ones
// it leaves out.
type drawnSequence struct {
	seq     *diagnose.Sequence
	steps   []diagnose.SequenceStep
	earlier int
}

// drawnSequences picks the client handshakes worth drawing: those with a
// failure, the clients named in findings first.
func drawnSequences(r *scan.Result) []drawnSequence {
	affected := map[string]bool{}
	for _, g := range r.Findings {
		if g.Severity == diagnose.Info {
			continue
		}
		for _, c := range g.Clients {
			affected[c.Key] = true
		}
	}
	type cand struct {
		seq      *diagnose.Sequence
		affected bool
		bad      int
	}
	var cands []cand
	for _, seq := range r.Correlation {
		if len(seq.Steps) < 2 {
			continue
		}
		bad := 0
		for _, st := range seq.Steps {
			if c := statusClass(st.Code, st.Status); c == "s4" || c == "s5" {
				bad++
			}
		}
		if bad == 0 {
			continue
		}
		cands = append(cands, cand{seq, affected[seq.Client], bad})
	}
	sort.SliceStable(cands, func(i, j int) bool {
		if cands[i].affected != cands[j].affected {
			return cands[i].affected
		}
		if cands[i].bad != cands[j].bad {
			return cands[i].bad > cands[j].bad
		}
		return cands[i].seq.Key < cands[j].seq.Key
	})
	var out []drawnSequence
	for i, c := range cands {
		if i == maxSequences {
			break
		}
		d := drawnSequence{seq: c.seq, steps: append([]diagnose.SequenceStep(nil), c.seq.Steps...)}
		sort.SliceStable(d.steps, func(i, j int) bool { return d.steps[i].Time.Before(d.steps[j].Time) })
		if len(d.steps) > maxSequenceStep {
			d.earlier = len(d.steps) - maxSequenceStep
			d.steps = d.steps[len(d.steps)-maxSequenceStep:]
		}
		out = append(out, d)
	}
	return out
}

func traceRow(i int, row scan.Row) htmlRow {
	hr := htmlRow{ID: fmt.Sprintf("t-%d", i), Status: row.Status, StatusKey: row.StatusCode*100000 + row.SubStatus, Class: statusClass(row.StatusCode, row.Status),
		Verb: row.Verb, Path: clip(pathAndQuery(row.URL), 160), Client: row.Client, Agent: row.ClientFamily,
		File: row.File, FileShort: shortFile(row.File), Ms: row.TimeTakenMs, Refs: row.Findings,
		Server: row.Server, Proxy: row.Proxy, Search: strings.ToLower(row.ClientFamily + " " + row.UserAgent + " " + row.File)}
	if hr.Agent == "" || hr.Agent == "Unknown" {
		hr.Agent = clip(row.UserAgent, 40)
	}
	if !row.Time.IsZero() {
		hr.Time = row.Time.UTC().Format("01-02 15:04:05")
		hr.TimeKey = row.Time.UTC().Format("20060102150405.000")
	}
	if row.StatusCode >= 100 && row.StatusCode < 600 {
		hr.StatusClass = fmt.Sprintf("%dxx", row.StatusCode/100)
	} else {
		hr.StatusClass = "other"
	}
	for _, f := range row.Findings {
		if f.Severity > diagnose.Info {
			hr.Findings = true
		}
	}
	return hr
}

// pathAndQuery drops scheme and host: every row of a scan usually shares
// them, and the path is what tells requests apart.
func pathAndQuery(u string) string {
	if i := strings.Index(u, "://"); i >= 0 {
		rest := u[i+3:]
		if j := strings.IndexByte(rest, '/'); j >= 0 {
			return rest[j:]
		}
		return "/"
	}
	return u
}

// shortFile keeps the last two path elements (W3SVC1/fr000123.xml):
// enough to find the file, short enough for a table cell.
func shortFile(p string) string {
	p = filepath.ToSlash(p)
	parts := strings.Split(p, "/")
	if len(parts) > 2 {
		return "…/" + strings.Join(parts[len(parts)-2:], "/")
	}
	return p
}

// evidenceMarks lists the headers to highlight in one trace's tables:
// the evidence of its own findings and of sequence findings naming it.
func evidenceMarks(file string, r *scan.Result) map[string]bool {
	marks := map[string]bool{}
	for _, g := range r.Findings {
		for _, f := range g.Examples {
			if !refersTo(f, file) {
				continue
			}
			for _, e := range f.Evidence {
				if e.File == "" || e.File == file {
					addMark(marks, e)
				}
			}
		}
	}
	return marks
}

func refersTo(f diagnose.Finding, file string) bool {
	for _, t := range f.Traces {
		if t == file {
			return true
		}
	}
	return false
}

// headerExample picks the trace whose headers a group's panel shows and
// the headers to highlight there: the first example (most telling first)
// that cites headers, with exactly its own header evidence, so the panel
// and its highlights belong to one finding (a handshake sequence cites
// steps, not headers: its panel shows the trace of the next example that
// does). Without any, the group's example trace, unmarked.
func headerExample(g scan.Group) (string, map[string]bool) {
	for _, f := range g.Examples {
		file := lastTrace(f)
		marks := map[string]bool{}
		for _, e := range f.Evidence {
			if e.File == "" || e.File == file {
				addMark(marks, e)
			}
		}
		if len(marks) > 0 && file != "" {
			return file, marks
		}
	}
	return g.Example, map[string]bool{}
}

func lastTrace(f diagnose.Finding) string {
	if len(f.Traces) == 0 {
		return ""
	}
	return f.Traces[len(f.Traces)-1]
}

func addMark(marks map[string]bool, e diagnose.Evidence) {
	switch e.Where {
	// A proxy's evidence names the request header it comes from
	// (X-ClientSide, X-Forwarded-For), which the fix often changes.
	case diagnose.InRequestHeader, diagnose.InProxy:
		marks["req:"+strings.ToLower(e.Name)] = true
	case diagnose.InResponseHeader:
		marks["resp:"+strings.ToLower(e.Name)] = true
	}
}

// detailOrder picks the traces the page shows in full among the rows of
// its table, at most maxDetailed: every finding's examples, then traces
// with findings (most severe first), the slowest, and failed requests.
func detailOrder(r *scan.Result, rows []scan.Row, opts Options) map[string]bool {
	out := map[string]bool{}
	if opts.Detail == nil {
		return out
	}
	// The trace each finding links to first, then the other examples'
	// failing traces, then short sequences in full (the 401 legs explain
	// the 400).
	var order []string
	nonInfo := func(each func(g scan.Group)) {
		for _, g := range r.Findings {
			if g.Severity > diagnose.Info {
				each(g)
			}
		}
	}
	nonInfo(func(g scan.Group) { order = append(order, g.Example) })
	nonInfo(func(g scan.Group) {
		for _, f := range g.Examples {
			if len(f.Traces) > 0 {
				order = append(order, f.Traces[len(f.Traces)-1])
			}
		}
	})
	nonInfo(func(g scan.Group) {
		for _, f := range g.Examples {
			if len(f.Traces) <= 6 {
				order = append(order, f.Traces...)
			}
		}
	})
	type ranked struct {
		file string
		sev  diagnose.Severity
	}
	var withFindings []ranked
	for _, row := range rows {
		best, any := diagnose.Info, false
		for _, f := range row.Findings {
			if f.Severity > diagnose.Info && (!any || f.Severity > best) {
				best, any = f.Severity, true
			}
		}
		if any {
			withFindings = append(withFindings, ranked{row.File, best})
		}
	}
	sort.SliceStable(withFindings, func(i, j int) bool { return withFindings[i].sev > withFindings[j].sev })
	for _, w := range withFindings {
		order = append(order, w.file)
	}
	for _, row := range r.Tables.Slowest {
		order = append(order, row.File)
	}
	for _, g := range r.Findings {
		if g.Severity == diagnose.Info {
			for _, f := range g.Examples {
				order = append(order, f.Traces...)
			}
		}
	}
	for _, row := range rows {
		if row.StatusCode >= 400 {
			order = append(order, row.File)
		}
	}
	for _, row := range rows {
		order = append(order, row.File)
	}
	inTable := map[string]bool{}
	for _, row := range rows {
		inTable[row.File] = true
	}
	for _, f := range order {
		if len(out) >= maxDetailed {
			break
		}
		if out[f] || !inTable[f] {
			continue
		}
		out[f] = true
	}
	return out
}
