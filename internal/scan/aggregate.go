package scan

import (
	"crypto/sha256"
	"errors"
	"fmt"
	"slices"
	"sort"
	"strings"
	"time"

	"github.com/frebscan/frebscan/internal/diagnose"
	"github.com/frebscan/frebscan/internal/fingerprint"
	"github.com/frebscan/frebscan/internal/freb"
)

// maxExamples is how many full findings a group keeps as examples.
const maxExamples = 3

// maxWarningsListed bounds the warnings list of a huge scan; the count in
// the summary stays exact.
const maxWarningsListed = 500

// Bounds on what a scan holds while it waits for sequences to close.
const (
	// sequenceWindow is how long a client may stay quiet before its next
	// request starts a new sequence: handshake legs come seconds apart.
	sequenceWindow = 15 * time.Minute
	// maxOpenSequences caps the sequences open at once; the least
	// recently extended closes first (Summary.SequencesEvicted).
	maxOpenSequences = 8192
	// maxSequenceSteps closes a sequence at this many steps: handshakes
	// take a few, and a client polling one URL all day would otherwise
	// hold its rows, and make findings listing every one, to the end.
	maxSequenceSteps = 64
	// maxPending caps the rows waiting for their sequences to close;
	// past it the oldest sequences close early.
	maxPending = 4096
)

// aggregator folds outcomes into a Result as they arrive. Memory stays
// flat in the number of traces: counters are bounded, a row waits in
// pending only while a sequence it belongs to is open (a sequence finding
// may still attach to it, replace its findings or explain its failure),
// and final rows go to a rowStore that spills to disk.
type aggregator struct {
	opts    Options
	started time.Time
	r       *Result
	corr    *diagnose.Correlator
	// pending are the matched rows whose sequences are still open, by
	// file.
	pending map[string]*pendingRow
	// finishing is set once finish closes the sequences still open.
	finishing bool
	// statuses, servers, sites and proxies are small domains, counted
	// exactly; urls, clients and agents are open, counted in bounded
	// memory.
	statuses, servers, sites, proxies, urls, clients, agents *topCounter
	// serverRules counts findings above info by server and rule
	// ("server\x00rule"), for the server × rule table.
	serverRules counter
	groups      map[string]*groupAgg
	unexp       map[string]*unexplainedAgg
	slowest     []Row
	timeline    *timelineCounter
	rows        *rowStore
	// kept finds a kept trace by file, to attach the sequence findings
	// that end on it (KeepTraces).
	kept map[string]*DiagnosedTrace
}

// pendingRow is a matched trace's row while its sequences are open.
type pendingRow struct {
	row Row
	// found are the findings behind row.Findings, index for index, with
	// the proxy vendor to count for each; they are counted in their
	// groups when the row is final, so that one a sequence finding
	// replaces is never counted.
	found []pendingFinding
	// fail is the trace's failure when no rule of its own explained it;
	// covered is set when a sequence finding takes in the trace.
	fail    *diagnose.Failure
	covered bool
	// open counts the sequences holding the trace's step.
	open int
}

type pendingFinding struct {
	f      diagnose.Finding
	vendor string
}

type counter map[string]int

func (c counter) add(k string) {
	if k != "" {
		c[k]++
	}
}

type groupAgg struct {
	g                                       Group
	clients, agents, urls, servers, vendors *topCounter
	// incidents counts each client once, the empty address included (a
	// trace without one is still an incident).
	incidents *distinct
	// times is when the findings happened, for the group's timeline.
	times histogram
}

func newAggregator(opts Options) *aggregator {
	if opts.Top <= 0 {
		opts.Top = 10
	}
	corr := diagnose.NewBoundedCorrelator(sequenceWindow, maxOpenSequences, maxSequenceSteps)
	if opts.KeepTraces {
		// frebscan show reads the traces it is given, all kept anyway.
		corr = diagnose.NewCorrelator()
	}
	return &aggregator{
		opts: opts, started: opts.Clock(),
		r: &Result{SchemaVersion: SchemaVersion, Tool: opts.Tool, Inputs: opts.Inputs,
			Findings: []Group{}, Traces: []Row{}, Unreadable: []FileError{}, Warnings: []FileWarning{}, NotFREB: []FileError{}, Unexplained: []UnexplainedGroup{},
			Summary: Summary{BySeverity: map[string]int{}}},
		corr:     corr,
		pending:  map[string]*pendingRow{},
		kept:     map[string]*DiagnosedTrace{},
		statuses: newTopCounter(0), servers: newTopCounter(0), sites: newTopCounter(0), proxies: newTopCounter(0),
		urls: newTopCounter(tableKeys), clients: newTopCounter(tableKeys), agents: newTopCounter(tableKeys),
		serverRules: counter{},
		groups:      map[string]*groupAgg{},
		unexp:       map[string]*unexplainedAgg{},
		timeline:    newTimelineCounter(),
		rows:        newRowStore(opts.RowsInMemory, opts.TempDir),
	}
}

func (a *aggregator) add(o outcome) {
	r := a.r
	r.Summary.Files++
	r.Summary.Bytes += o.size
	if o.err != nil {
		if errors.Is(o.err, freb.ErrNotFREB) {
			r.Summary.NotFREB++
			if len(r.NotFREB) < maxWarningsListed {
				r.NotFREB = append(r.NotFREB, FileError{File: o.path, Error: o.err.Error()})
			}
			return
		}
		r.Summary.Failed++
		if len(r.Unreadable) < maxWarningsListed {
			r.Unreadable = append(r.Unreadable, FileError{File: o.path, Error: o.err.Error()})
		}
		return
	}
	t, s := o.trace, o.subject
	if o.kept != nil {
		r.Diagnosed = append(r.Diagnosed, o.kept)
		a.kept[t.File] = o.kept
	}
	r.Summary.Traces++
	open := a.corr.Add(s)
	a.match(o, open)
	a.closeSequences(a.corr.TakeClosed())
	for len(a.pending) > maxPending && a.corr.EvictOldest() {
		a.closeSequences(a.corr.TakeClosed())
	}
}

// match makes the trace's row when it passes the filters and holds it
// until its open sequences close.
func (a *aggregator) match(o outcome, open int) {
	t, s := o.trace, o.subject
	when := t.Start
	if when.IsZero() {
		when = o.modTime
	}
	if when.IsZero() {
		when = fileTime(o.path)
	}
	if !a.opts.Filter.traceMatch(t, s, when) || (a.opts.Filter.Where != nil && !o.where) {
		return
	}
	row := a.row(o, when)
	vendor := ""
	if s.Proxy.Present {
		vendor = strings.Clone(s.Proxy.Vendor)
	}
	p := &pendingRow{open: open}
	for i := range o.findings {
		f := &o.findings[i]
		if !a.opts.Filter.findingMatch(f) {
			continue
		}
		row.Findings = append(row.Findings, a.ref(f, vendor))
		p.found = append(p.found, pendingFinding{f: *f, vendor: vendor})
	}
	if len(a.opts.Filter.Rules) > 0 && len(row.Findings) == 0 {
		return
	}
	if row.Findings == nil {
		row.Findings = []Ref{}
	}
	p.row = row
	p.fail = a.failure(o)
	a.count(row, t)
	a.pending[t.File] = p
}

// closeSequences runs the sequence rules on sequences that closed, then
// finishes the rows no open sequence holds any more.
func (a *aggregator) closeSequences(seqs []*diagnose.Sequence) {
	for _, seq := range seqs {
		if len(seq.Steps) >= 2 {
			a.sequenceFindings(seq)
		}
		a.noteUnanswered(seq)
		for _, st := range seq.Steps {
			p := a.pending[st.File]
			if p == nil {
				continue
			}
			if p.open--; p.open <= 0 {
				delete(a.pending, st.File)
				a.final(p)
			}
		}
	}
}

// maxUnanswered bounds the closed sequences kept for the note on NTLM
// challenges never answered: a few examples and the count of clients
// are what the note shows.
const maxUnanswered = 256

// noteUnanswered keeps a sequence that closed on an NTLM challenge with
// no type 3, while the scan runs; the sequences still open at the end
// are Result.Correlation. finish passes every sequence through here too,
// so only those that closed early are kept (the open ones are there).
func (a *aggregator) noteUnanswered(seq *diagnose.Sequence) {
	if a.finishing || seq.ByConnection {
		return
	}
	if diagnose.SawNTLMType3(seq.Steps) {
		// A later sequence of the same client, agent and URL answered:
		// the earlier challenge was not abandoned.
		a.r.Unanswered = slices.DeleteFunc(a.r.Unanswered, func(u *diagnose.Sequence) bool { return u.Key == seq.Key })
		return
	}
	if len(a.r.Unanswered) < maxUnanswered && diagnose.EndsOnNTLMChallenge(seq.Steps) {
		a.r.Unanswered = append(a.r.Unanswered, seq)
	}
}

// final counts a row that no sequence can change any more: its findings
// in their groups, its failure as unexplained when nothing explained it,
// and the row itself.
func (a *aggregator) final(p *pendingRow) {
	for i := range p.found {
		a.addFinding(&p.found[i].f, p.row, p.found[i].vendor)
	}
	if f := p.fail; f != nil && !p.covered {
		p.row.Unexplained = &UnexplainedRef{Status: f.Status, Module: f.Module, ErrorCode: f.ErrorCode, Reason: f.Reason, Says: f.Says}
		a.noteUnexplained(*f, p.row)
	}
	a.keepSlow(p.row)
	if !a.opts.NoRows {
		a.rows.add(p.row)
	}
}

// ref is a finding as its trace's row keeps it, with the fix for the
// vendor in front of that trace (or handshake).
func (a *aggregator) ref(f *diagnose.Finding, vendor string) Ref {
	r := Ref{Rule: f.Rule, Severity: f.Severity, Confidence: f.Confidence, Summary: f.Summary, Vendor: vendor}
	if rule := a.opts.Engine.Rule(f.Rule); rule != nil {
		r.Fix = rule.FixFor(vendor)
	}
	return r
}

func (a *aggregator) row(o outcome, when time.Time) Row {
	t, s := o.trace, o.subject
	client, clientPort := s.Proxy.ClientAddress, s.Proxy.ClientPort
	if client == "" {
		client, clientPort = t.ClientAddress, t.ClientPort
	}
	row := Row{
		File: t.File, Time: when, Server: t.Server, SiteID: t.SiteID, AppPool: t.AppPoolID,
		Verb: t.Verb, URL: t.URL, Status: t.Status(), StatusCode: t.StatusCode, SubStatus: t.SubStatusCode,
		TimeTakenMs: t.TimeTakenMs, FailureReason: t.FailureReason, Client: client, ClientPort: clientPort,
		RemoteAddress: t.ClientAddress, RemotePort: t.ClientPort, ID: requestID(t),
		UserAgent: s.Client.UserAgent, ClientFamily: s.Client.Family, Auth: diagnose.AuthLabel(s.Auth, s.HasAuth),
		Truncated: t.Truncated, Warnings: len(t.Warnings), Bytes: o.size,
	}
	if s.Proxy.Present {
		row.Proxy = s.Proxy.Vendor
	}
	if es := t.ErrorStatus; es != nil {
		row.ErrorModule = es.Module
		if es.ErrorCode != 0 {
			row.ErrorCode = fmt.Sprintf("0x%08X", es.ErrorCode)
		}
	}
	if !s.Settings.NoRedact {
		row.URL = redactURL(row.URL)
	}
	// Copies: the fast reader keeps all the text of an event in one
	// string, so a row holding a User-Agent by reference would keep the
	// whole header event alive as long as the row.
	for _, f := range []*string{&row.Server, &row.SiteID, &row.AppPool, &row.Verb, &row.URL, &row.FailureReason, &row.Client,
		&row.RemoteAddress, &row.UserAgent, &row.ClientFamily, &row.ErrorModule} {
		*f = strings.Clone(*f)
	}
	return row
}

// requestID is Row.ID: what names one request across runs and machines.
// The path as given is left out on purpose: a central scan over
// \\EX01\c$\inetpub\logs and a local scan of the same folder must give
// the same ID.
func requestID(t *freb.Trace) [16]byte {
	name := t.File
	if i := strings.LastIndexAny(name, `/\`); i >= 0 {
		name = name[i+1:] // either separator: a Windows path read on Linux
	}
	h := sha256.New()
	for _, s := range []string{t.Server, name, t.Start.UTC().Format(time.RFC3339Nano), t.ActivityID, t.URL} {
		h.Write([]byte(s))
		h.Write([]byte{0})
	}
	var id [16]byte
	copy(id[:], h.Sum(nil))
	return id
}

func (a *aggregator) count(row Row, t *freb.Trace) {
	r := a.r
	r.Summary.Matched++
	if !row.Time.IsZero() {
		if r.Summary.From == nil || row.Time.Before(*r.Summary.From) {
			tm := row.Time
			r.Summary.From = &tm
		}
		if r.Summary.To == nil || row.Time.After(*r.Summary.To) {
			tm := row.Time
			r.Summary.To = &tm
		}
	}
	if t.Truncated {
		r.Summary.Truncated++
	}
	if len(t.Warnings) > 0 {
		r.Summary.WithWarnings++
		if len(r.Warnings) < maxWarningsListed {
			r.Warnings = append(r.Warnings, FileWarning{File: t.File, Warnings: t.Warnings})
		}
	}
	a.statuses.add(row.Status)
	a.urls.add(row.Verb + " " + freb.URLPath(row.URL))
	a.clients.add(row.Client)
	a.agents.add(row.UserAgent)
	a.proxies.add(row.Proxy)
	a.servers.add(row.Server)
	a.sites.add(row.SiteID)
	a.timeline.add(row.Time, row.StatusCode)
}

func (a *aggregator) keepSlow(row Row) {
	n := a.opts.Top
	// Slowest first; ties by time, then file, so the table does not
	// depend on the order files were read in.
	i := sort.Search(len(a.slowest), func(i int) bool {
		s := a.slowest[i]
		if s.TimeTakenMs != row.TimeTakenMs {
			return s.TimeTakenMs < row.TimeTakenMs
		}
		if !s.Time.Equal(row.Time) {
			return s.Time.After(row.Time)
		}
		return s.File > row.File
	})
	if i >= n {
		return
	}
	a.slowest = append(a.slowest, Row{})
	copy(a.slowest[i+1:], a.slowest[i:])
	a.slowest[i] = row
	if len(a.slowest) > n {
		a.slowest = a.slowest[:n]
	}
}

// groupKey separates a rule's informational findings (a 401.2 challenge
// leg) from its failures, so normal handshakes do not inflate a failure's
// count or severity.
func groupKey(f *diagnose.Finding) string {
	if f.Severity == diagnose.Info {
		return f.Rule + "\x00info"
	}
	return f.Rule
}

// addFinding counts a finding in its group; vendor is the proxy vendor in
// front of its trace or handshake ("" when none).
func (a *aggregator) addFinding(f *diagnose.Finding, row Row, vendor string) {
	key := groupKey(f)
	ga := a.groups[key]
	if ga == nil {
		ga = &groupAgg{g: Group{Rule: f.Rule, Title: f.Title, Severity: f.Severity, Confidence: f.Confidence, References: f.References, Examples: []diagnose.Finding{}},
			clients: newTopCounter(groupKeys), agents: newTopCounter(groupKeys), urls: newTopCounter(groupKeys), servers: newTopCounter(groupKeys),
			vendors: newTopCounter(groupKeys), incidents: newDistinct(distinctKeys)}
		a.groups[key] = ga
	}
	g := &ga.g
	g.Count++
	ga.incidents.add(row.Client)
	if f.Severity > g.Severity || g.Count == 1 {
		g.Severity = f.Severity
		g.SeverityReason = f.Summary
	}
	if f.Confidence.Rank() > g.Confidence.Rank() {
		g.Confidence = f.Confidence
	}
	if !row.Time.IsZero() {
		if g.FirstSeen.IsZero() || row.Time.Before(g.FirstSeen) {
			g.FirstSeen = row.Time
		}
		if row.Time.After(g.LastSeen) {
			g.LastSeen = row.Time
		}
	}
	ga.times.add(row.Time, 1)
	ga.clients.add(row.Client)
	ga.agents.add(row.UserAgent)
	ga.urls.add(row.Verb + " " + freb.URLPath(row.URL))
	// A handshake finding is credited to every server its steps reached
	// (a split handshake is two servers' problem), a trace finding to the
	// server that wrote the trace.
	servers := involvedServers(f, row.Server)
	for _, srv := range servers {
		ga.servers.add(srv)
		if f.Severity > diagnose.Info {
			a.serverRules.add(srv + "\x00" + f.Rule)
		}
	}
	ga.vendors.add(vendor)
	a.keepExample(g, *f, row.Time)
}

// One primary explanation per trace (see package diagnose): a sequence
// finding is known only when the scan ends, after the trace's own
// findings were counted, so the replacement runs here in both directions.

// supersededRef reports whether a finding already on the row replaces f.
func (a *aggregator) supersededRef(f diagnose.Finding, refs []Ref) bool {
	for _, ref := range refs {
		if ref.Severity > diagnose.Info && a.opts.Engine.Supersedes(ref.Rule, f.Rule) {
			return true
		}
	}
	return false
}

// dropSupersededBy removes the findings f replaces from a kept trace.
func (a *aggregator) dropSupersededBy(f diagnose.Finding, fs []diagnose.Finding) []diagnose.Finding {
	if f.Severity == diagnose.Info {
		return fs
	}
	out := fs[:0]
	for _, x := range fs {
		if !a.opts.Engine.Supersedes(f.Rule, x.Rule) {
			out = append(out, x)
		}
	}
	return out
}

// involvedServers lists, once each and in order, the servers of a
// finding's handshake steps, or the trace's server when it has none.
func involvedServers(f *diagnose.Finding, server string) []string {
	var out []string
	for _, st := range f.Sequence {
		if st.Server != "" && !slices.Contains(out, st.Server) {
			out = append(out, st.Server)
		}
	}
	if len(out) == 0 && server != "" {
		out = append(out, server)
	}
	return out
}

// retractSuperseded removes from a pending row the findings f replaces;
// they were not counted yet, so no group ever shows them.
func (a *aggregator) retractSuperseded(f diagnose.Finding, p *pendingRow) {
	if f.Severity == diagnose.Info {
		return
	}
	refs, found := p.row.Findings[:0], p.found[:0]
	for i, ref := range p.row.Findings {
		if !a.opts.Engine.Supersedes(f.Rule, ref.Rule) {
			refs, found = append(refs, ref), append(found, p.found[i])
		}
	}
	p.row.Findings, p.found = refs, found
}

// failure is a failed trace that no rule of its own explained. Findings
// hidden by --min-severity still explain it: the filter hides, it does
// not make a cause unknown.
func (a *aggregator) failure(o outcome) *diagnose.Failure {
	f, failed := o.subject.Failure()
	if !failed {
		return nil
	}
	for i := range o.findings {
		if r := a.opts.Engine.Rule(o.findings[i].Rule); r == nil || !r.Performance {
			return nil
		}
	}
	f.Module, f.ErrorCode, f.Says = strings.Clone(f.Module), strings.Clone(f.ErrorCode), strings.Clone(f.Says)
	return &f
}

// unexplainedAgg is one group of unexplained failures being counted.
type unexplainedAgg struct {
	g          UnexplainedGroup
	says, urls *topCounter
}

// noteUnexplained counts a failure no rule explained in its group.
func (a *aggregator) noteUnexplained(f diagnose.Failure, row Row) {
	key := f.Status + "\x00" + f.Module + "\x00" + f.ErrorCode + "\x00" + f.Reason
	g := a.unexp[key]
	if g == nil {
		g = &unexplainedAgg{g: UnexplainedGroup{Status: f.Status, Module: f.Module, ErrorCode: f.ErrorCode, Reason: f.Reason, Example: row.File},
			says: newTopCounter(groupKeys), urls: newTopCounter(groupKeys)}
		a.unexp[key] = g
	}
	g.g.Count++
	g.says.add(f.Says)
	g.urls.add(row.Verb + " " + freb.URLPath(row.URL))
	if row.File < g.g.Example {
		g.g.Example = row.File
	}
}

// unexplained is the groups of failures no rule explained, the largest
// first.
func (a *aggregator) unexplained() []UnexplainedGroup {
	out := make([]UnexplainedGroup, 0, len(a.unexp))
	for _, g := range a.unexp {
		g.g.Says, g.g.URLs = g.says.top(a.opts.Top), g.urls.top(a.opts.Top)
		g.g.Approximate = g.says.approximate || g.urls.approximate
		out = append(out, g.g)
	}
	sort.Slice(out, func(i, j int) bool {
		x, y := out[i], out[j]
		if x.Count != y.Count {
			return x.Count > y.Count
		}
		if x.Status != y.Status {
			return x.Status < y.Status
		}
		if x.Module != y.Module {
			return x.Module < y.Module
		}
		if x.ErrorCode != y.ErrorCode {
			return x.ErrorCode < y.ErrorCode
		}
		return x.Reason < y.Reason
	})
	return out
}

// lastTrace is the trace a finding is reported on: the only one, or the
// last of a sequence.
func lastTrace(f diagnose.Finding) string {
	if len(f.Traces) == 0 {
		return ""
	}
	return f.Traces[len(f.Traces)-1]
}

// keepExample keeps a group's examples by a stated rule, so the same
// traces give the same examples whatever order the workers finished in:
// sequence findings first (they carry the most evidence), then the most
// severe, the most confident, the earliest, and by file name.
func (a *aggregator) keepExample(g *Group, f diagnose.Finding, when time.Time) {
	f.When = when
	better := func(x, y diagnose.Finding) bool {
		if (len(x.Sequence) > 0) != (len(y.Sequence) > 0) {
			return len(x.Sequence) > 0
		}
		if x.Severity != y.Severity {
			return x.Severity > y.Severity
		}
		if x.Confidence != y.Confidence {
			return x.Confidence.Rank() > y.Confidence.Rank()
		}
		if !x.When.Equal(y.When) {
			return x.When.Before(y.When)
		}
		return lastTrace(x) < lastTrace(y)
	}
	i := sort.Search(len(g.Examples), func(i int) bool { return better(f, g.Examples[i]) })
	if i >= maxExamples {
		return
	}
	g.Examples = append(g.Examples, diagnose.Finding{})
	copy(g.Examples[i+1:], g.Examples[i:])
	g.Examples[i] = f
	if len(g.Examples) > maxExamples {
		g.Examples = g.Examples[:maxExamples]
	}
}

// sequenceFindings runs the sequence rules on a closed sequence and
// attaches what they find to the pending row of its last trace.
func (a *aggregator) sequenceFindings(seq *diagnose.Sequence) {
	for _, f := range a.opts.Engine.Sequence(seq) {
		for _, file := range f.Traces {
			if p := a.pending[file]; p != nil {
				p.covered = true
			}
		}
		last := lastTrace(f)
		if d := a.kept[last]; d != nil {
			if a.opts.Engine.SupersededBy(f, d.Findings) != nil {
				continue
			}
			d.Findings = a.dropSupersededBy(f, d.Findings)
			d.Findings = append(d.Findings, f)
		}
		p := a.pending[last]
		if p == nil || !a.opts.Filter.findingMatch(&f) {
			continue
		}
		if a.supersededRef(f, p.row.Findings) {
			continue
		}
		a.retractSuperseded(f, p)
		ref := a.ref(&f, seq.Vendor)
		if servers := involvedServers(&f, ""); len(servers) > 1 {
			ref.Servers = servers
		}
		p.row.Findings = append(p.row.Findings, ref)
		p.found = append(p.found, pendingFinding{f: f, vendor: seq.Vendor})
	}
}

// finish closes the sequences still open (they are what a scheduled
// scan carries into its next run), then freezes counters into tables.
func (a *aggregator) finish() *Result {
	r := a.r
	r.Correlation = a.corr.All()
	a.finishing = true
	a.closeSequences(a.corr.Close())
	r.Summary.SequencesEvicted = a.corr.Evicted()
	// Every row was in a sequence that just closed; this is for a path
	// named twice, whose second row took the first one's place.
	if len(a.pending) > 0 {
		files := make([]string, 0, len(a.pending))
		for f := range a.pending {
			files = append(files, f)
		}
		sort.Strings(files)
		for _, f := range files {
			a.final(a.pending[f])
			delete(a.pending, f)
		}
	}
	a.rows.done()
	r.rows = a.rows
	r.Traces = nil
	if a.rows.file == nil {
		r.Traces = a.rows.buf
		if r.Traces == nil {
			r.Traces = []Row{}
		}
	}
	top := a.opts.Top
	for _, ga := range a.groups {
		r.Findings = append(r.Findings, a.group(ga, top))
		r.Summary.BySeverity[ga.g.Severity.String()]++
	}
	sort.Slice(r.Findings, func(i, j int) bool {
		x, y := r.Findings[i], r.Findings[j]
		if x.Severity != y.Severity {
			return x.Severity > y.Severity
		}
		if x.Count != y.Count {
			return x.Count > y.Count
		}
		return x.Rule < y.Rule
	})
	sort.Slice(r.Unreadable, func(i, j int) bool { return r.Unreadable[i].File < r.Unreadable[j].File })
	sort.Slice(r.NotFREB, func(i, j int) bool { return r.NotFREB[i].File < r.NotFREB[j].File })
	r.Unexplained = a.unexplained()
	r.Summary.Servers, r.Summary.Sites = a.servers.top(0), a.sites.top(0)
	r.Tables = Tables{
		Statuses: a.statuses.top(0), TopURLs: a.urls.top(top), TopClients: a.clients.top(top),
		TopUserAgents: a.agents.top(top), Proxies: a.proxies.top(top), Slowest: a.slowest,
		Timeline: a.timeline.buckets(), ServerRules: serverRules(a.serverRules),
	}
	for _, t := range []struct {
		name string
		c    *topCounter
	}{{"topUrls", a.urls}, {"topClients", a.clients}, {"topUserAgents", a.agents}} {
		if t.c.approximate {
			r.Tables.Approximate = append(r.Tables.Approximate, t.name)
		}
	}
	if r.Tables.Slowest == nil {
		r.Tables.Slowest = []Row{}
	}
	r.Started = a.started
	return r
}

// group freezes one group's counters.
func (a *aggregator) group(ga *groupAgg, top int) Group {
	g := ga.g
	g.Incidents = ga.incidents.count()
	g.Clients, g.UserAgents, g.URLs = ga.clients.top(top), ga.agents.top(top), ga.urls.top(top)
	g.Servers, g.Vendors = ga.servers.top(top), ga.vendors.top(top)
	g.Timeline = ga.times.timeline()
	g.Approximate = ga.incidents.approximate || ga.clients.approximate || ga.agents.approximate || ga.urls.approximate ||
		ga.servers.approximate || ga.vendors.approximate
	// The fix is the one for the vendor of the example the report
	// shows beside it (a KEMP trace with the F5 fix misleads); the most
	// common vendor only when the example names none.
	if len(g.Examples) > 0 && g.Examples[0].Vendor != "" && g.Examples[0].Vendor != fingerprint.UnknownProxy {
		g.Vendor = g.Examples[0].Vendor
	} else if len(g.Vendors) > 0 && g.Vendors[0].Key != fingerprint.UnknownProxy {
		g.Vendor = g.Vendors[0].Key
	}
	if rule := a.opts.Engine.Rule(g.Rule); rule != nil {
		g.RuleSeverity = rule.Severity
		if g.Severity == rule.Severity {
			g.SeverityReason = ""
		}
		g.Fix = rule.FixFor(g.Vendor)
		// A match can carry its own fix (the benign variant of a
		// rule); its group shows that one.
		if ex := g.Examples; len(ex) > 0 && ex[0].Fix != rule.FixFor(ex[0].Vendor) {
			g.Fix = ex[0].Fix
		}
		g.Explanation = rule.Explanation
		if _, ok := rule.VendorFixes[g.Vendor]; ok {
			g.FixVendor = g.Vendor
		}
	}
	if len(g.Examples) > 0 && len(g.Examples[0].Traces) > 0 {
		g.Example = g.Examples[0].Traces[len(g.Examples[0].Traces)-1]
	}
	return g
}

// serverRules turns the server × rule counter into rows, servers in name
// order, rules in name order within each.
func serverRules(c counter) []ServerRule {
	out := make([]ServerRule, 0, len(c))
	for k, n := range c {
		srv, rule, _ := strings.Cut(k, "\x00")
		out = append(out, ServerRule{Server: srv, Rule: rule, Count: n})
	}
	sort.Slice(out, func(i, j int) bool {
		if out[i].Server != out[j].Server {
			return out[i].Server < out[j].Server
		}
		return out[i].Rule < out[j].Rule
	})
	return out
}
