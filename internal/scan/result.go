package scan

import (
	"strings"
	"time"

	"github.com/frebscan/frebscan/internal/diagnose"
)

// SchemaVersion is the version of the JSON document `scan --format json`
// writes (docs/scan.schema.json). Bump it on any incompatible change.
const SchemaVersion = 1

// Result is everything a scan found: the aggregate a report is built
// from. Per-trace detail is limited to one compact Row per trace; reports
// that show a trace in full re-read its file (see Details).
type Result struct {
	SchemaVersion int       `json:"schemaVersion"`
	Tool          string    `json:"tool"`
	Started       time.Time `json:"started"`
	// DurationSeconds is the wall time of the scan.
	DurationSeconds float64  `json:"durationSeconds"`
	Inputs          []string `json:"inputs"`
	// Filters describes the filters in force, as the user gave them.
	Filters map[string]string `json:"filters,omitempty"`
	// Partial is true when the scan was interrupted (Ctrl+C) and the
	// report covers only the files read until then.
	Partial bool `json:"partial"`

	Summary  Summary `json:"summary"`
	Findings []Group `json:"findings"`
	Tables   Tables  `json:"tables"`
	// Traces holds the rows, in report order, when they fit in memory
	// (Options.RowsInMemory); a larger scan keeps them in a temporary
	// file. Reports read them with EachRow, which serves both.
	Traces []Row `json:"traces"`
	// Unreadable lists files that could not be read, with the reason.
	Unreadable []FileError `json:"unreadable"`
	// Warnings lists traces read with warnings (truncated, cleaned).
	Warnings []FileWarning `json:"warnings"`
	// NotFREB lists the .xml files that are not FREB traces (empty,
	// binary, another XML document), with the reason, so a file that
	// should have been a trace does not vanish silently. Files with other
	// names are only counted.
	NotFREB []FileError `json:"notFreb"`
	// Unexplained lists the failed requests no rule explains, grouped by
	// status, module and error code, with what the traces themselves say:
	// nothing failed goes unmentioned.
	Unexplained []UnexplainedGroup `json:"unexplained"`
	// Outside lists failures these traces cannot contain (Http.sys, a
	// load balancer, TLS, resets), inferred from the symptom the user
	// gave (--symptom) and from what the traces show. The command layer
	// sets it after the scan (rules.Outside on OutsideFacts).
	Outside []diagnose.OutsideNote `json:"outside,omitempty"`

	// Correlation is the client sequences still open when the scan
	// ended (within the sequence window), for scheduled scans to carry
	// into the next run; not part of reports.
	Correlation []*diagnose.Sequence `json:"-"`
	// Unanswered are sequences that closed before the end (the client
	// quiet past the window, or evicted) on an NTLM challenge, with no
	// type 3 in them: what the note on handshakes abandoned outside IIS
	// looks at beside the open ones. At most maxUnanswered, by key.
	Unanswered []*diagnose.Sequence `json:"-"`
	// Diagnosed holds every trace read, in full, in input order, when the
	// scan was asked to keep them (Options.KeepTraces: frebscan show).
	// Sequence findings are attached to the trace they end on.
	Diagnosed []*DiagnosedTrace `json:"-"`

	rows *rowStore
}

// EachRow calls fn with every row in report order (time, then file),
// from memory or from the scan's spill file; the row is valid only
// during the call. It stops at fn's first error and returns it.
func (r *Result) EachRow(fn func(*Row) error) error {
	if r.rows != nil && r.rows.file != nil {
		return r.rows.each(fn)
	}
	for i := range r.Traces {
		if err := fn(&r.Traces[i]); err != nil {
			return err
		}
	}
	return nil
}

// Close removes the scan's spill file, if it made one; the rows are then
// gone. Closing twice is harmless.
func (r *Result) Close() error {
	if r.rows == nil {
		return nil
	}
	return r.rows.close()
}

// Summary is the header of a report. Every path looked at is counted
// once, in exactly one of Traces, NotFREB, Failed, Skipped and
// Stylesheets, which add up to Files; files a --state run left alone
// (Unchanged, Deferred) are not among them.
type Summary struct {
	// Files is every file (or path that could not be listed) under the
	// inputs.
	Files int `json:"files"`
	// Traces is the FREB traces read; Matched those that passed the
	// filters and are in this report.
	Traces  int `json:"traces"`
	Matched int `json:"matched"`
	// NotFREB counts the .xml files that are not FREB traces (listed in
	// Result.NotFREB).
	NotFREB int `json:"notFreb"`
	Failed  int `json:"unreadable"`
	// Skipped counts the files that are not .xml (W3C logs, .7z) nor
	// .zip, not opened, entries of archives included; Stylesheets counts
	// IIS's freb.xsl beside the traces.
	Skipped     int `json:"skipped"`
	Stylesheets int `json:"stylesheets"`
	// Bytes is the size of every file counted in Files.
	Bytes int64 `json:"bytes"`
	// From and To bound the matched traces' start times.
	From      *time.Time `json:"from,omitempty"`
	To        *time.Time `json:"to,omitempty"`
	Servers   []Count    `json:"servers"`
	Sites     []Count    `json:"sites"`
	Truncated int        `json:"truncated"`
	// WithWarnings counts traces read with parse warnings.
	WithWarnings int `json:"withWarnings"`
	// Deferred counts files still being written, left for a later run;
	// Unchanged counts files an earlier run already analysed (--state).
	Deferred  int `json:"deferred"`
	Unchanged int `json:"unchanged"`
	// SequencesEvicted counts client sequences closed early because too
	// many were open at once: a handshake whose legs lie farther apart in
	// the walk may then be missed.
	SequencesEvicted int `json:"sequencesEvicted,omitempty"`
	// BySeverity counts finding groups per severity name.
	BySeverity map[string]int `json:"bySeverity"`
}

// Group is one rule's findings across the scan.
type Group struct {
	Rule       string              `json:"rule"`
	Title      string              `json:"title"`
	Severity   diagnose.Severity   `json:"severity"`
	Confidence diagnose.Confidence `json:"confidence"`
	// Count is how many findings (traces or sequences) the rule produced.
	Count int `json:"count"`
	// Incidents counts the rule once per client (original client address
	// behind a proxy): one Apple Mail failing three times is one incident
	// of three findings. Reports lead with it, in every format.
	Incidents int `json:"incidents"`
	// RuleSeverity is the severity the catalogue gives the rule (frebscan
	// rules, explain); Severity differs from it only when a match
	// overrode it, and SeverityReason then says why (the summary of the
	// finding that set it).
	RuleSeverity   diagnose.Severity `json:"ruleSeverity"`
	SeverityReason string            `json:"severityReason,omitempty"`
	FirstSeen      time.Time         `json:"firstSeen"`
	LastSeen       time.Time         `json:"lastSeen"`
	// Timeline is when the findings happened (nil when no trace had a
	// time).
	Timeline   *Timeline `json:"timeline,omitempty"`
	Clients    []Count   `json:"clients"`
	UserAgents []Count   `json:"userAgents"`
	URLs       []Count   `json:"urls"`
	Servers    []Count   `json:"servers"`
	// Vendors are the proxy vendors seen on the affected traces.
	Vendors []Count `json:"vendors"`
	// Fix is the fix for the most common vendor.
	Fix    string `json:"fix"`
	Vendor string `json:"vendor,omitempty"`
	// FixVendor is Vendor when the rule has a fix written for it, "" when
	// Fix is the general one.
	FixVendor string `json:"-"`
	// Explanation is the rule's explanation, for reports that show it
	// beside the findings without looking the rule up.
	Explanation string   `json:"-"`
	References  []string `json:"references"`
	// Example is a trace file to open with `frebscan show`.
	Example string `json:"example"`
	// Examples are a few findings in full (evidence, sequence), the most
	// confident first.
	Examples []diagnose.Finding `json:"examples"`
	// Approximate is set when the group saw more distinct clients, user
	// agents, URLs or servers than a scan counts exactly: its incidents
	// are then an estimate and its tables keep the most frequent keys
	// with counts that may be slightly high.
	Approximate bool `json:"approximate,omitempty"`
}

// UnexplainedGroup is failed requests with the same status, module and
// error code that no rule explained.
type UnexplainedGroup struct {
	Status    string `json:"status"`
	Module    string `json:"module,omitempty"`
	ErrorCode string `json:"errorCode,omitempty"`
	// Reason is why these traces count as failed (status, trigger status,
	// a child request, an abort or an error page under a final 200).
	Reason string `json:"reason"`
	Count  int    `json:"count"`
	// Says is what the traces say about the failure (an error
	// description, the decoded HRESULT, the first line of the error page),
	// most frequent first.
	Says    []Count `json:"says"`
	URLs    []Count `json:"urls"`
	Example string  `json:"example"`
	// Approximate is set when Says or URLs are approximate (too many
	// distinct values to count exactly).
	Approximate bool `json:"approximate,omitempty"`
}

// UnexplainedRef is one failed trace no rule explained: the keys of its
// UnexplainedGroup and the trace's own words.
type UnexplainedRef struct {
	Status    string `json:"status"`
	Module    string `json:"module,omitempty"`
	ErrorCode string `json:"errorCode,omitempty"`
	Reason    string `json:"reason"`
	Says      string `json:"says,omitempty"`
}

// Text is the failure and what the trace says, on one line.
func (u *UnexplainedRef) Text() string {
	if u == nil {
		return ""
	}
	g := UnexplainedGroup{Status: u.Status, Module: u.Module, ErrorCode: u.ErrorCode, Reason: u.Reason}
	return strings.TrimSuffix(g.Label()+": "+u.Says, ": ")
}

// Label is the group's one-line description: status, module, error code
// and why it counts as failed.
func (g UnexplainedGroup) Label() string {
	parts := []string{g.Status}
	if g.Module != "" {
		parts = append(parts, g.Module)
	}
	if g.ErrorCode != "" {
		parts = append(parts, g.ErrorCode)
	}
	l := strings.Join(parts, " ")
	if g.Reason != "" && g.Reason != "status" {
		l += " (" + g.Reason + ")"
	}
	return l
}

// Count is a value and how often it occurred.
type Count struct {
	Key   string `json:"key"`
	Count int    `json:"count"`
}

// Tables are the distributions a report shows.
type Tables struct {
	Statuses      []Count  `json:"statuses"`
	TopURLs       []Count  `json:"topUrls"`
	TopClients    []Count  `json:"topClients"`
	TopUserAgents []Count  `json:"topUserAgents"`
	Proxies       []Count  `json:"proxies"`
	Slowest       []Row    `json:"slowest"`
	Timeline      []Bucket `json:"timeline"`
	// ServerRules counts findings (above info) per server and rule; a
	// handshake finding counts once for each server its steps reached.
	ServerRules []ServerRule `json:"serverRules"`
	// Approximate names the tables whose counts are approximate
	// (topUrls, topClients, topUserAgents): the scan saw more distinct
	// keys than it counts exactly, so the table keeps the most frequent
	// ones with counts that may be slightly high.
	Approximate []string `json:"approximate,omitempty"`
}

// ServerRule is one cell of the server × rule table.
type ServerRule struct {
	Server string `json:"server"`
	Rule   string `json:"rule"`
	Count  int    `json:"count"`
}

// Bucket counts traces by status class in one time slice.
type Bucket struct {
	Start  time.Time      `json:"start"`
	Counts map[string]int `json:"counts"`
}

// Row is one trace, compact.
type Row struct {
	File          string    `json:"file"`
	Time          time.Time `json:"time"`
	Server        string    `json:"server"`
	SiteID        string    `json:"siteId"`
	AppPool       string    `json:"appPoolId"`
	Verb          string    `json:"verb"`
	URL           string    `json:"url"`
	Status        string    `json:"status"`
	StatusCode    int       `json:"statusCode"`
	SubStatus     int       `json:"subStatusCode"`
	TimeTakenMs   int64     `json:"timeTakenMs"`
	FailureReason string    `json:"failureReason"`
	// Client is the original client address when a proxy header kept it,
	// else the TCP peer IIS saw; ClientPort is its port when known.
	Client     string `json:"client"`
	ClientPort int    `json:"clientPort,omitempty"`
	// RemoteAddress and RemotePort are the TCP peer IIS saw (the
	// RemoteAddress and RemotePort of the trace, IIS's c-ip): the load
	// balancer when there is one.
	RemoteAddress string `json:"remoteAddress,omitempty"`
	RemotePort    int    `json:"remotePort,omitempty"`
	// ID identifies the request whatever run or machine reads it: a hash
	// of the server, the file's base name, the request's start time and
	// its activity ID (IIS reuses fr000001.xml once the folder is full,
	// so a name alone is not an identity). NDJSON derives event.id from
	// it so that re-shipping a trace overwrites rather than duplicates.
	ID           [16]byte `json:"-"`
	UserAgent    string   `json:"userAgent,omitempty"`
	ClientFamily string   `json:"clientFamily,omitempty"`
	Proxy        string   `json:"proxy,omitempty"`
	Auth         string   `json:"auth"`
	ErrorModule  string   `json:"errorModule,omitempty"`
	ErrorCode    string   `json:"errorCode,omitempty"`
	Findings     []Ref    `json:"findings"`
	// Unexplained is set on a failed trace no rule explained: its group's
	// status, module, error code and reason, and what the trace says.
	Unexplained *UnexplainedRef `json:"unexplained,omitempty"`
	Truncated   bool            `json:"truncated"`
	Warnings    int             `json:"warnings"`
	Bytes       int64           `json:"bytes"`
}

// Ref is a finding on one trace, by rule.
type Ref struct {
	Rule       string              `json:"rule"`
	Severity   diagnose.Severity   `json:"severity"`
	Confidence diagnose.Confidence `json:"confidence"`
	Summary    string              `json:"summary,omitempty"`
	// Vendor is the proxy vendor in front of this finding's own trace (or
	// handshake), not the rule's most common one across the scan: a KEMP
	// trace must not be told the F5 fix. Empty when no proxy was seen.
	Vendor string `json:"vendor,omitempty"`
	// Fix is the rule's fix for Vendor (its general fix when the rule has
	// none written for that vendor). Not in the JSON report, where each
	// group carries its fix once rather than on every trace.
	Fix string `json:"-"`
	// Servers are the servers a handshake finding's steps reached, in
	// order, when there are several (a split handshake); empty otherwise,
	// the row's server being the only one.
	Servers []string `json:"servers,omitempty"`
}

// FileError is a file that could not be read.
type FileError struct {
	File  string `json:"file"`
	Error string `json:"error"`
}

// Reason is Error without the file name it starts with (errors name their
// file so they stand alone on stderr), for tables that show the file in a
// column of its own.
func (e FileError) Reason() string {
	msg := e.Error
	// Errors name the file in the ways Go and the reader write them:
	// "path: …", "path:3: …" (a line), "open path: …", "stat path: …".
	for _, op := range []string{"open ", "stat ", "lstat ", "read ", ""} {
		if rest, ok := strings.CutPrefix(msg, op+e.File); ok {
			if r, ok := strings.CutPrefix(rest, ": "); ok {
				return r
			}
			if rest != "" && rest[0] == ':' {
				if i := strings.Index(rest[1:], ": "); i > 0 && strings.Trim(rest[1:i+1], "0123456789") == "" {
					return "line " + rest[1:i+1] + ": " + rest[i+3:]
				}
			}
		}
	}
	return msg
}

// FileWarning is a trace read with warnings.
type FileWarning struct {
	File     string   `json:"file"`
	Warnings []string `json:"warnings"`
}

// MaxSeverity is the highest severity among the result's findings, and
// whether there is any.
func (r *Result) MaxSeverity() (diagnose.Severity, bool) {
	best, any := diagnose.Info, false
	for _, g := range r.Findings {
		if !any || g.Severity > best {
			best, any = g.Severity, true
		}
	}
	return best, any
}
