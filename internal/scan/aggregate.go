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

// aggregator folds outcomes into a Result as they arrive, keeping counters
// and one compact row per trace, never the traces themselves.
type aggregator struct {
	opts    Options
	started time.Time
	r       *Result
	corr    *diagnose.Correlator
	// selected remembers which files passed the filters, for sequence
	// findings whose last trace decides whether they are reported.
	selected                                                 map[string]int // file -> row index
	statuses, urls, clients, agents, proxies, servers, sites counter
	// serverRules counts findings above info by server and rule
	// ("server\x00rule"), for the server × rule table.
	serverRules counter
	groups      map[string]*groupAgg
	slowest     []Row
	// owned holds one copy of each string a row keeps (see own).
	owned map[string]string
	// kept finds a kept trace by file, to attach the sequence findings
	// that end on it (KeepTraces).
	kept map[string]*DiagnosedTrace
	// failed are the matched failed traces no single-trace rule explained,
	// in walk order; a sequence finding can still explain them in finish.
	failed []failedTrace
}

// failedTrace is a failure waiting to be grouped as unexplained.
type failedTrace struct {
	file, url string
	f         diagnose.Failure
}

type counter map[string]int

func (c counter) add(k string) {
	if k != "" {
		c[k]++
	}
}

// sub undoes one add.
func (c counter) sub(k string) {
	if c[k] > 1 {
		c[k]--
	} else {
		delete(c, k)
	}
}

// top returns the n most frequent keys, ties by key.
func (c counter) top(n int) []Count {
	out := make([]Count, 0, len(c))
	for k, v := range c {
		out = append(out, Count{Key: k, Count: v})
	}
	sort.Slice(out, func(i, j int) bool {
		if out[i].Count != out[j].Count {
			return out[i].Count > out[j].Count
		}
		return out[i].Key < out[j].Key
	})
	if n > 0 && len(out) > n {
		out = out[:n]
	}
	return out
}

type groupAgg struct {
	g                                       Group
	clients, agents, urls, servers, vendors counter
	// incidents holds each client once, the empty address included (a
	// trace without one is still an incident).
	incidents map[string]bool
	// times is when the findings happened, for the group's timeline.
	times histogram
}

func newAggregator(opts Options) *aggregator {
	if opts.Top <= 0 {
		opts.Top = 10
	}
	return &aggregator{
		opts: opts, started: opts.Clock(),
		r: &Result{SchemaVersion: SchemaVersion, Tool: opts.Tool, Inputs: opts.Inputs,
			Findings: []Group{}, Traces: []Row{}, Unreadable: []FileError{}, Warnings: []FileWarning{}, NotFREB: []FileError{}, Unexplained: []UnexplainedGroup{},
			Summary: Summary{BySeverity: map[string]int{}}},
		corr:     diagnose.NewCorrelator(),
		selected: map[string]int{},
		kept:     map[string]*DiagnosedTrace{},
		statuses: counter{}, urls: counter{}, clients: counter{}, agents: counter{}, proxies: counter{},
		servers: counter{}, sites: counter{}, serverRules: counter{},
		groups: map[string]*groupAgg{},
		owned:  map[string]string{},
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
		r.Unreadable = append(r.Unreadable, FileError{File: o.path, Error: o.err.Error()})
		return
	}
	t, s := o.trace, o.subject
	if o.kept != nil {
		r.Diagnosed = append(r.Diagnosed, o.kept)
		a.kept[t.File] = o.kept
	}
	r.Summary.Traces++
	a.corr.Add(s)
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
	var refs []Ref
	for i := range o.findings {
		f := &o.findings[i]
		if !a.opts.Filter.findingMatch(f) {
			continue
		}
		vendor := ""
		if s.Proxy.Present {
			vendor = s.Proxy.Vendor
		}
		refs = append(refs, a.ref(f, vendor))
		a.addFinding(f, row, s)
	}
	if len(a.opts.Filter.Rules) > 0 && len(refs) == 0 {
		return
	}
	row.Findings = refs
	if row.Findings == nil {
		row.Findings = []Ref{}
	}
	a.noteFailure(o, row)
	a.count(row, t)
	a.selected[t.File] = len(r.Traces)
	r.Traces = append(r.Traces, row)
}

// ref is a finding as its trace's row keeps it, with the fix for the
// vendor in front of that trace (or handshake).
func (a *aggregator) ref(f *diagnose.Finding, vendor string) Ref {
	r := Ref{Rule: f.Rule, Severity: f.Severity, Confidence: f.Confidence, Summary: f.Summary, Vendor: a.own(vendor)}
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
	row.Server, row.SiteID, row.AppPool, row.Verb = a.own(row.Server), a.own(row.SiteID), a.own(row.AppPool), a.own(row.Verb)
	row.URL, row.FailureReason, row.Client = a.own(row.URL), a.own(row.FailureReason), a.own(row.Client)
	row.RemoteAddress = a.own(row.RemoteAddress)
	row.UserAgent, row.ClientFamily, row.ErrorModule = a.own(row.UserAgent), a.own(row.ClientFamily), a.own(row.ErrorModule)
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

// own returns a copy of s that shares memory with nothing the reader
// allocated. The fast reader keeps all the text of an event in one
// string, so a row holding a User-Agent by reference would keep the
// whole header event alive for the rest of the scan: 13 MB of 26 MB in
// use on 10,000 traces. Equal values share one copy, since user agents,
// servers and modules repeat across thousands of rows.
func (a *aggregator) own(s string) string {
	if s == "" {
		return ""
	}
	if c, ok := a.owned[s]; ok {
		return c
	}
	c := strings.Clone(s)
	a.owned[c] = c
	return c
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
	a.keepSlow(row)
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

func (a *aggregator) addFinding(f *diagnose.Finding, row Row, s *diagnose.Subject) {
	key := groupKey(f)
	ga := a.groups[key]
	if ga == nil {
		ga = &groupAgg{g: Group{Rule: f.Rule, Title: f.Title, Severity: f.Severity, Confidence: f.Confidence, References: f.References, Examples: []diagnose.Finding{}},
			clients: counter{}, agents: counter{}, urls: counter{}, servers: counter{}, vendors: counter{}, incidents: map[string]bool{}}
		a.groups[key] = ga
	}
	g := &ga.g
	g.Count++
	ga.incidents[row.Client] = true
	g.Incidents = len(ga.incidents)
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
	if s != nil && s.Proxy.Present {
		ga.vendors.add(s.Proxy.Vendor)
	}
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

// retractSuperseded removes from the row, and from their groups, the
// findings f replaces. A group's first/last seen times and its highest
// severity and confidence are not narrowed again: they are bounds.
func (a *aggregator) retractSuperseded(f diagnose.Finding, row *Row) {
	if f.Severity == diagnose.Info {
		return
	}
	kept := row.Findings[:0]
	for _, ref := range row.Findings {
		if !a.opts.Engine.Supersedes(f.Rule, ref.Rule) {
			kept = append(kept, ref)
			continue
		}
		key := groupKey(&diagnose.Finding{Rule: ref.Rule, Severity: ref.Severity})
		ga := a.groups[key]
		if ga == nil {
			continue
		}
		if ga.g.Count--; ga.g.Count <= 0 {
			delete(a.groups, key)
			continue
		}
		ga.times.add(row.Time, -1)
		ga.clients.sub(row.Client)
		ga.agents.sub(row.UserAgent)
		ga.urls.sub(row.Verb + " " + freb.URLPath(row.URL))
		ga.servers.sub(row.Server)
		if row.Proxy != "" {
			ga.vendors.sub(row.Proxy)
		}
		ex := ga.g.Examples[:0]
		for _, e := range ga.g.Examples {
			if lastTrace(e) != row.File {
				ex = append(ex, e)
			}
		}
		ga.g.Examples = ex
	}
	row.Findings = kept
}

// noteFailure remembers a failed trace that no rule explained. Findings
// hidden by --min-severity still explain it: the filter hides, it does not
// make a cause unknown.
func (a *aggregator) noteFailure(o outcome, row Row) {
	f, failed := o.subject.Failure()
	if !failed {
		return
	}
	for i := range o.findings {
		if r := a.opts.Engine.Rule(o.findings[i].Rule); r == nil || !r.Performance {
			return
		}
	}
	f.Module, f.ErrorCode, f.Says = a.own(f.Module), a.own(f.ErrorCode), a.own(f.Says)
	a.failed = append(a.failed, failedTrace{file: row.File, url: a.own(row.Verb + " " + freb.URLPath(row.URL)), f: f})
}

// unexplained groups the failures no rule explained, leaving out traces a
// sequence finding covers.
func (a *aggregator) unexplained(covered map[string]bool) []UnexplainedGroup {
	type agg struct {
		g          UnexplainedGroup
		says, urls counter
	}
	groups := map[string]*agg{}
	var order []string
	for _, ft := range a.failed {
		if covered[ft.file] {
			continue
		}
		key := ft.f.Status + "\x00" + ft.f.Module + "\x00" + ft.f.ErrorCode + "\x00" + ft.f.Reason
		g := groups[key]
		if g == nil {
			g = &agg{g: UnexplainedGroup{Status: ft.f.Status, Module: ft.f.Module, ErrorCode: ft.f.ErrorCode, Reason: ft.f.Reason, Example: ft.file},
				says: counter{}, urls: counter{}}
			groups[key] = g
			order = append(order, key)
		}
		g.g.Count++
		g.says.add(ft.f.Says)
		g.urls.add(ft.url)
		if ft.file < g.g.Example {
			g.g.Example = ft.file
		}
	}
	out := make([]UnexplainedGroup, 0, len(order))
	for _, k := range order {
		g := groups[k]
		g.g.Says, g.g.URLs = g.says.top(a.opts.Top), g.urls.top(a.opts.Top)
		out = append(out, g.g)
	}
	sort.SliceStable(out, func(i, j int) bool {
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

// finish correlates, then freezes counters into tables.
func (a *aggregator) finish() *Result {
	r := a.r
	covered := map[string]bool{}
	for _, seq := range a.corr.Sequences() {
		for _, f := range a.opts.Engine.Sequence(seq) {
			for _, file := range f.Traces {
				covered[file] = true
			}
			last := lastTrace(f)
			if d := a.kept[last]; d != nil {
				if a.opts.Engine.SupersededBy(f, d.Findings) != nil {
					continue
				}
				d.Findings = a.dropSupersededBy(f, d.Findings)
				d.Findings = append(d.Findings, f)
			}
			idx, ok := a.selected[last]
			if !ok || !a.opts.Filter.findingMatch(&f) {
				continue
			}
			row := &r.Traces[idx]
			if a.supersededRef(f, row.Findings) {
				continue
			}
			a.retractSuperseded(f, row)
			ref := a.ref(&f, seq.Vendor)
			if servers := involvedServers(&f, ""); len(servers) > 1 {
				for i := range servers {
					servers[i] = a.own(servers[i])
				}
				ref.Servers = servers
			}
			row.Findings = append(row.Findings, ref)
			a.addFinding(&f, *row, nil)
			if ga := a.groups[groupKey(&f)]; ga != nil && seq.Vendor != "" {
				ga.vendors.add(seq.Vendor)
			}
		}
	}
	for _, ft := range a.failed {
		if idx, ok := a.selected[ft.file]; ok && !covered[ft.file] {
			r.Traces[idx].Unexplained = &UnexplainedRef{Status: ft.f.Status, Module: ft.f.Module, ErrorCode: ft.f.ErrorCode, Reason: ft.f.Reason, Says: ft.f.Says}
		}
	}
	top := a.opts.Top
	for _, ga := range a.groups {
		g := ga.g
		g.Clients, g.UserAgents, g.URLs = ga.clients.top(top), ga.agents.top(top), ga.urls.top(top)
		g.Servers, g.Vendors = ga.servers.top(top), ga.vendors.top(top)
		g.Timeline = ga.times.timeline()
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
		r.Findings = append(r.Findings, g)
		r.Summary.BySeverity[g.Severity.String()]++
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
	sort.SliceStable(r.Traces, func(i, j int) bool {
		if !r.Traces[i].Time.Equal(r.Traces[j].Time) {
			return r.Traces[i].Time.Before(r.Traces[j].Time)
		}
		return r.Traces[i].File < r.Traces[j].File
	})
	sort.Slice(r.Unreadable, func(i, j int) bool { return r.Unreadable[i].File < r.Unreadable[j].File })
	sort.Slice(r.NotFREB, func(i, j int) bool { return r.NotFREB[i].File < r.NotFREB[j].File })
	r.Unexplained = a.unexplained(covered)
	r.Summary.Servers, r.Summary.Sites = a.servers.top(0), a.sites.top(0)
	r.Tables = Tables{
		Statuses: a.statuses.top(0), TopURLs: a.urls.top(top), TopClients: a.clients.top(top),
		TopUserAgents: a.agents.top(top), Proxies: a.proxies.top(top), Slowest: a.slowest,
		Timeline: timeline(r.Traces), ServerRules: serverRules(a.serverRules),
	}
	if r.Tables.Slowest == nil {
		r.Tables.Slowest = []Row{}
	}
	r.Started = a.started
	return r
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
