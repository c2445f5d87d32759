package report

import (
	"encoding/hex"
	"io"
	"net"
	"net/netip"
	"net/url"
	"strconv"
	"strings"
	"time"

	"github.com/frebscan/frebscan/internal/diagnose"
	"github.com/frebscan/frebscan/internal/scan"
)

// ECSVersion is the Elastic Common Schema version the NDJSON events
// follow. Every field written exists with the same type in ECS 8.11 and
// in the 9.x definitions TestNDJSONFieldsAreECS checks against; 8.11 is
// the version Elastic's own integrations and the ecs@mappings template
// of Elasticsearch 8 target.
const ECSVersion = "8.11.0"

// timestampLayout is fixed-width UTC with milliseconds, so timestamps
// sort as strings and Splunk's TIME_FORMAT %Y-%m-%dT%H:%M:%S.%3NZ reads
// every line the same way.
const timestampLayout = "2006-01-02T15:04:05.000Z"

// rulesDocURL is where a rule is described when it names no web page of
// its own (ECS wants rule.reference to be a URL).
const rulesDocURL = "https://github.com/frebscan/frebscan/blob/main/docs/RULES.md#"

// writeScanNDJSON writes one line per trace and one per finding, in
// Elastic Common Schema, so Filebeat, Elastic Agent, Splunk or Azure
// Monitor can ship the file as it is. Dotted names are nested objects,
// as ECS documents are.
func writeScanNDJSON(w io.Writer, r *scan.Result, _ Options) error {
	return writeEvents(w, r, false)
}

// writeScanNDJSONFlat writes the same events with full dotted names as
// keys ("source.ip": …) and no nesting: ClickHouse's JSONEachRow (18.16,
// Debian's) maps a key to a column of that name but reads only one level
// of nested objects. Elasticsearch reads both forms the same way.
func writeScanNDJSONFlat(w io.Writer, r *scan.Result, _ Options) error {
	return writeEvents(w, r, true)
}

func writeEvents(w io.Writer, r *scan.Result, flat bool) error {
	enc := newLineEncoder()
	titles := map[string]*scan.Group{}
	for i := range r.Findings {
		titles[r.Findings[i].Rule] = &r.Findings[i]
	}
	write := func(ev obj) error {
		ev = stamp(ev, r.Tool)
		if flat {
			ev = flatten(ev)
		}
		line, err := enc.line(ev)
		if err == nil {
			_, err = w.Write(line)
		}
		return err
	}
	return r.EachRow(func(rp *scan.Row) error {
		row := *rp
		if err := write(traceEvent(row)); err != nil {
			return err
		}
		for i, ref := range row.Findings {
			if err := write(findingEvent(row, ref, titles[ref.Rule], about(row.Findings, i))); err != nil {
				return err
			}
		}
		return nil
	})
}

type obj = map[string]any

// stamp names the build that wrote an event (agent.* is the shipper's).
func stamp(ev obj, tool string) obj {
	ev["frebscan"].(obj)["tool"] = tool
	return ev
}

// flatten turns nested objects into one object with dotted keys.
func flatten(ev obj) obj {
	out := obj{}
	var walk func(prefix string, o obj)
	walk = func(prefix string, o obj) {
		for k, v := range o {
			if sub, ok := v.(obj); ok {
				walk(prefix+k+".", sub)
				continue
			}
			out[prefix+k] = v
		}
	}
	walk("", ev)
	return out
}

// baseEvent holds what every line of a trace shares: the request, where
// it came from and which server traced it.
func baseEvent(row scan.Row, id string) obj {
	ts := row.Time
	if ts.IsZero() {
		ts = time.Unix(0, 0)
	}
	ev := obj{
		"@timestamp": ts.UTC().Format(timestampLayout),
		"ecs":        obj{"version": ECSVersion},
		"event": obj{"id": eventID(row.ID, id), "module": "frebscan", "dataset": "iis.freb",
			"duration": row.TimeTakenMs * int64(time.Millisecond), "outcome": outcome(row.StatusCode)},
		"url":  urlOf(row.URL),
		"http": obj{"request": obj{"method": row.Verb}, "response": obj{"status_code": row.StatusCode}},
		"file": obj{"path": row.File},
		"frebscan": obj{"site_id": row.SiteID, "app_pool": row.AppPool, "status": row.Status,
			"sub_status": row.SubStatus, "failure_reason": row.FailureReason},
	}
	if row.Server != "" {
		ev["host"] = obj{"name": row.Server}
	}
	if src := endpoint(row.RemoteAddress, row.RemotePort); src != nil {
		ev["source"] = src
	}
	if cl := endpoint(row.Client, row.ClientPort); cl != nil {
		ev["client"] = cl
		// ECS's name for the original client when the source is a proxy.
		if ip, ok := cl["ip"].(string); ok && row.Client != row.RemoteAddress {
			ev["network"] = obj{"forwarded_ip": ip}
		}
	}
	if row.UserAgent != "" {
		ua := obj{"original": row.UserAgent}
		if row.ClientFamily != "" {
			ua["name"] = row.ClientFamily
		}
		ev["user_agent"] = ua
	}
	if row.Proxy != "" {
		ev["frebscan"].(obj)["proxy"] = row.Proxy
	}
	return ev
}

// traceEvent is the line of one traced request: an ECS web access event,
// like a line of the IIS log the Elastic IIS integration reads.
func traceEvent(row scan.Row) obj {
	ev := baseEvent(row, "")
	e := ev["event"].(obj)
	e["kind"] = "event"
	// One value each, on every line: ClickHouse treats Array columns
	// sharing a prefix (event.category, event.type) as one nested
	// structure and rejects a row whose arrays differ in length.
	e["category"], e["type"] = []string{"web"}, []string{"access"}
	x := ev["frebscan"].(obj)
	x["auth"], x["truncated"], x["warnings"], x["findings"] = row.Auth, row.Truncated, row.Warnings, len(row.Findings)
	if row.ErrorModule != "" {
		x["error_module"] = row.ErrorModule
	}
	if row.ErrorCode != "" {
		x["error_code"] = row.ErrorCode
	}
	// A failed trace no rule explains carries its group's keys, so a
	// dashboard can count the unexplained failures by status, module and
	// error code and show what the traces say.
	if u := row.Unexplained; u != nil {
		x["unexplained"] = obj{"status": u.Status, "module": u.Module, "error_code": u.ErrorCode, "reason": u.Reason, "says": u.Says}
	}
	return ev
}

// findingEvent is the line of one finding on a trace. Findings of low
// severity and above are alerts; informational ones (the normal challenge
// leg of a handshake) are events, so alerting on event.kind:alert does not
// page anyone for a healthy handshake.
func findingEvent(row scan.Row, ref scan.Ref, g *scan.Group, about string) obj {
	ev := baseEvent(row, about)
	e := ev["event"].(obj)
	e["category"] = []string{"web"}
	if ref.Severity >= diagnose.Low {
		e["kind"], e["type"] = "alert", []string{"error"}
	} else {
		e["kind"], e["type"] = "event", []string{"info"}
	}
	e["severity"] = int(ref.Severity)
	rule := obj{"id": ref.Rule, "category": "proxy-induced-failure", "ruleset": "frebscan"}
	x := ev["frebscan"].(obj)
	x["confidence"] = string(ref.Confidence)
	x["fix"] = ref.Fix
	if ref.Vendor != "" {
		x["vendor"] = ref.Vendor
	}
	msg := ref.Summary
	rule["reference"] = rulesDocURL + ref.Rule
	if g != nil {
		rule["name"] = g.Title
		if msg == "" {
			msg = g.Title
		}
		if u := firstURL(g.References); u != "" {
			rule["reference"] = u
		}
		if len(g.References) > 0 {
			x["references"] = g.References
		}
	}
	ev["rule"] = rule
	// The servers the finding involves: a split handshake's several, else
	// the trace's own.
	if hosts := ref.Servers; len(hosts) > 0 {
		ev["related"] = obj{"hosts": hosts}
	} else if row.Server != "" {
		ev["related"] = obj{"hosts": []string{row.Server}}
	}
	if msg != "" {
		ev["message"] = msg
	}
	ev["log"] = obj{"level": ref.Severity.String()}
	return ev
}

// eventID is the request's identity plus what the line is about (a rule,
// or "" for the trace itself), as hex: the same on every run, so an
// engine that uses it as the document ID keeps one copy of each.
func eventID(request [16]byte, about string) string {
	if about == "" {
		return hex.EncodeToString(request[:])
	}
	return hex.EncodeToString(request[:]) + "-" + about
}

// about names the i-th finding of a trace for its event ID: the rule, and
// which of its findings on this trace when it has several (a trace finding
// and a handshake finding ending on the same trace).
func about(refs []scan.Ref, i int) string {
	n := 0
	for _, r := range refs[:i] {
		if r.Rule == refs[i].Rule {
			n++
		}
	}
	if n == 0 {
		return refs[i].Rule
	}
	return refs[i].Rule + "-" + strconv.Itoa(n+1)
}

func firstURL(refs []string) string {
	for _, r := range refs {
		for _, f := range strings.Fields(r) {
			f = strings.TrimRight(f, ".,;)")
			if u, err := url.Parse(f); err == nil && (u.Scheme == "https" || u.Scheme == "http") && u.Host != "" {
				return f
			}
		}
	}
	return ""
}

func outcome(code int) string {
	if code >= 400 {
		return "failure"
	}
	return "success"
}

// endpoint is an ECS source or client: address as recorded, ip only when
// it is one (Elasticsearch rejects a document whose ip field is not an
// address, "" included), port when known. Headers carry "1.2.3.4:5678",
// "[2001:db8::1]:443" and bare addresses; IIS's RemoteAddress carries a
// bare one and the port apart.
func endpoint(addr string, port int) obj {
	addr = strings.TrimSpace(addr)
	if addr == "" {
		return nil
	}
	o := obj{"address": addr}
	host := addr
	if h, p, err := net.SplitHostPort(addr); err == nil {
		host = h
		if n, err := strconv.Atoi(p); err == nil && port == 0 {
			port = n
		}
	}
	host = strings.TrimSuffix(strings.TrimPrefix(host, "["), "]")
	if ip, err := netip.ParseAddr(host); err == nil {
		o["ip"] = ip.WithZone("").Unmap().String()
	}
	if port > 0 && port < 65536 {
		o["port"] = port
	}
	return o
}

// urlOf splits a request URL into ECS url.* fields. url.domain keeps the
// brackets of an IPv6 literal, as ECS asks.
func urlOf(raw string) obj {
	u := obj{"original": raw, "path": pathOf(raw)}
	p, err := url.Parse(raw)
	if err != nil {
		return u
	}
	if p.Scheme != "" {
		u["scheme"] = p.Scheme
	}
	if h := p.Hostname(); h != "" {
		if strings.Contains(h, ":") {
			h = "[" + h + "]"
		}
		u["domain"] = h
	}
	if n, err := strconv.Atoi(p.Port()); err == nil && n > 0 && n < 65536 {
		u["port"] = n
	}
	if p.RawQuery != "" {
		u["query"] = p.RawQuery
	}
	return u
}

func pathOf(u string) string {
	if i := strings.Index(u, "://"); i >= 0 {
		rest := u[i+3:]
		if j := strings.IndexByte(rest, '/'); j >= 0 {
			u = rest[j:]
		} else {
			u = "/"
		}
	}
	if i := strings.IndexAny(u, "?#"); i >= 0 {
		u = u[:i]
	}
	return u
}
