package report

import (
	"fmt"
	"strings"

	"github.com/frebscan/frebscan/internal/scan"
)

// kv is one labelled line of a summary.
type kv struct{ K, V string }

// requestSummary is the part of freb.xsl's Request Summary that the
// terminal and the HTML page show alike, from the time taken on: one
// list, so the two views cannot drift apart. arrow joins the TCP
// endpoints and the URLs of re-executions ("->" on a terminal that may
// not have "→").
func requestSummary(d *scan.DiagnosedTrace, arrow string) []kv {
	t := d.Trace
	var out []kv
	row := func(k, v string) {
		if v != "" {
			out = append(out, kv{k, v})
		}
	}
	row("Time taken", fmt.Sprintf("%d ms", t.TimeTakenMs))
	row("Site / app pool", t.SiteID+" / "+t.AppPoolID)
	row("Auth type", t.AuthenticationType)
	row("User", firstNonEmpty(t.UserName, t.RemoteUserName))
	row("Token user", t.TokenUserName)
	row("Server", t.Server)
	if t.ClientAddress != "" {
		row("Client (TCP)", fmt.Sprintf("%s:%d %s %s:%d", t.ClientAddress, t.ClientPort, arrow, t.LocalAddress, t.LocalPort))
	}
	if p := d.Proxy; p != nil && p.Present {
		v := p.Vendor
		if p.Address != "" {
			v += " at " + p.Address
		}
		if p.ClientAddress != "" {
			v += ", original client " + p.ClientAddress
			if p.ClientPort > 0 {
				v += fmt.Sprintf(":%d", p.ClientPort)
			}
		}
		row("Proxy", v)
	}
	if c := d.Client; c != nil && c.Family != "" && c.Family != "Unknown" {
		v := c.Family
		if c.Version != "" {
			v += " " + c.Version
		}
		if c.OS != "" {
			v += " on " + c.OS
		}
		row("Client program", v)
	}
	if !t.Start.IsZero() {
		row("Started", t.Start.UTC().Format("2006-01-02 15:04:05.000 UTC"))
	}
	row("Bytes", fmt.Sprintf("sent %d, received %d", t.BytesSent, t.BytesReceived))
	row("Activity ID", t.ActivityID)
	events := fmt.Sprintf("%d", t.EventCount)
	if t.Truncated {
		events += " (truncated)"
	}
	row("Events", events)
	if len(t.Passes) > 1 {
		var urls []string
		for _, p := range t.Passes {
			urls = append(urls, p.URL)
		}
		row("Executions", fmt.Sprintf("%d: %s", len(t.Passes), strings.Join(urls, " "+arrow+" ")))
	}
	return out
}

// scope says what a scan looked at, in the same words in every human
// format: every file once (traces, .xml that are not FREB, other files,
// IIS's freb.xsl, unreadable ones), so the numbers add up to the total,
// and the bytes of all of them, so a folder of W3C logs does not read as
// "0 B, nothing there".
func scope(sm scan.Summary) string {
	s := fmt.Sprintf("%s, %s: %s read", count(sm.Files, "file"), humanBytes(sm.Bytes), count(sm.Traces, "FREB trace"))
	if sm.Matched != sm.Traces {
		s += fmt.Sprintf(" (%d matched the filters)", sm.Matched)
	}
	var rest []string
	if sm.NotFREB > 0 {
		rest = append(rest, fmt.Sprintf("%d .xml not FREB (listed)", sm.NotFREB))
	}
	if sm.Skipped > 0 {
		rest = append(rest, fmt.Sprintf("%s (not .xml)", count(sm.Skipped, "other file")))
	}
	if sm.Stylesheets > 0 {
		rest = append(rest, fmt.Sprintf("%d freb.xsl (IIS's stylesheet)", sm.Stylesheets))
	}
	if sm.Failed > 0 {
		rest = append(rest, fmt.Sprintf("%d unreadable (listed)", sm.Failed))
	}
	if len(rest) > 0 {
		s += "; skipped " + strings.Join(rest, ", ")
	}
	if sm.Unchanged > 0 {
		s += fmt.Sprintf("; %s unchanged since the last run (not read again)", count(sm.Unchanged, "file"))
	}
	if sm.Deferred > 0 {
		s += fmt.Sprintf("; %d still being written (left for the next run)", sm.Deferred)
	}
	return s
}

// bounds says where a scan's memory bounds made a figure approximate
// (tables or groups with more distinct values than counted exactly) or may
// have hidden a handshake (sequences closed early); "" when nothing did.
// Every human format shows it beside the scope.
func bounds(r *scan.Result) string {
	var parts []string
	var tables []string
	for _, t := range r.Tables.Approximate {
		switch t {
		case "topUrls":
			tables = append(tables, "top URLs")
		case "topClients":
			tables = append(tables, "top clients")
		case "topUserAgents":
			tables = append(tables, "top user agents")
		}
	}
	groups := 0
	for _, g := range r.Findings {
		if g.Approximate {
			groups++
		}
	}
	for _, g := range r.Unexplained {
		if g.Approximate {
			groups++
		}
	}
	if groups > 0 {
		tables = append(tables, count(groups, "finding group")+"' clients, URLs and incidents")
	}
	if len(tables) > 0 {
		parts = append(parts, "approximate counts in "+strings.Join(tables, ", ")+
			" (more distinct values than a scan counts exactly: the most frequent are kept, their counts may be slightly high)")
	}
	if n := r.Summary.SequencesEvicted; n > 0 {
		parts = append(parts, fmt.Sprintf("%s closed early, too many open at once (a handshake whose requests lie far apart in the folders may be missed)",
			count(n, "client sequence")))
	}
	return strings.Join(parts, "; ")
}

// count writes "1 file", "2 files".
func count(n int, noun string) string {
	if n == 1 {
		return "1 " + noun
	}
	return fmt.Sprintf("%d %ss", n, noun)
}

// NoTraces reports whether a scan found no FREB trace at all: not one
// read, none unreadable, none left unchanged by a --state run. The
// folder is then most likely the wrong one (W3C logs, an empty tree).
func NoTraces(sm scan.Summary) bool {
	return sm.Traces == 0 && sm.Failed == 0 && sm.Unchanged == 0 && sm.Deferred == 0
}

// noTracesText is what every human format says when NoTraces holds.
func noTracesText(sm scan.Summary) string {
	return fmt.Sprintf("No FREB trace found: %s looked at, none of them a Failed Request Tracing file. "+
		"IIS writes traces as fr000001.xml … under %%SystemDrive%%\\inetpub\\logs\\FailedReqLogFiles\\W3SVC<site> "+
		"(W3C access logs, in LogFiles\\W3SVC<site>, are another thing); check the path, "+
		"and that tracing is on (frebscan setup-tracing).", count(sm.Files, "file"))
}

// nothingNewText is what a --state run that read nothing says: how many
// traces it left alone, so "nothing" reads as "nothing new", not "no
// traces".
func nothingNewText(sm scan.Summary) string {
	return fmt.Sprintf("Nothing new since the last run: %s unchanged and not read again.", count(sm.Unchanged, "file"))
}
