package rules

import (
	"fmt"
	"sort"
	"strconv"
	"strings"

	"github.com/frebscan/frebscan/internal/diagnose"
	"github.com/frebscan/frebscan/internal/fingerprint"
)

// Failures a FREB trace cannot contain. FREB writes a trace only for a
// request that reached an IIS worker process and matched a tracing rule.
// Http.sys answers some requests itself (400 for a header too long, 503
// when the application pool is down) and logs them in HTTPERR; a load
// balancer may answer a request itself (417/501 to Expect: 100-continue,
// 502/503/504) and only its log has it; TLS failures and connection
// resets have no HTTP request at all. When the symptom the user saw is
// one of those, "no finding" is not "all clear": Outside says so and
// what to capture instead. It reasons from an absence, so its confidence
// is medium at most, and "inferred" is in every summary.

// Sources for the notes: the HTTPERR reason phrases and log format, the
// HTTPERR location and configuration, Connection_Dropped, large Kerberos
// tickets, the 400 troubleshooting guide, 417 from proxies and the ALB
// access-log fields.
var (
	refHTTPErrReasons = "https://learn.microsoft.com/en-us/windows/win32/http/types-of-errors-logged-by-the-http-server-api"
	refHTTPErrFormat  = "https://learn.microsoft.com/en-us/windows/win32/http/format-of-the-http-server-api-error-logs"
	refHTTPErrConfig  = "https://learn.microsoft.com/en-us/windows/win32/http/error-logging-in-the-http-server-api"
	refKB820729       = "https://ftp.zx.net.nz/pub/archive/ftp.microsoft.com/MISC/KB/en-us/820/729.HTM"
	refKB937692       = "https://mskb.pkisolutions.com/kb/937692"
	refKerberos400    = "https://learn.microsoft.com/en-us/troubleshoot/developer/webapps/iis/iisadmin-service-inetinfo/http-bad-request-response-kerberos"
	refTrouble400     = "https://learn.microsoft.com/en-us/troubleshoot/developer/webapps/iis/health-diagnostic-performance/troubleshoot-http-400-errors-in-iis"
	ref417            = "https://www.experts-exchange.com/articles/1379/The-request-failed-with-HTTP-status-417-Expectation-failed.html"
	refALBLogs        = "https://docs.aws.amazon.com/elasticloadbalancing/latest/application/load-balancer-access-logs.html"
	refFREB           = "https://learn.microsoft.com/en-us/iis/troubleshoot/using-failed-request-tracing/troubleshooting-failed-requests-using-tracing-in-iis"
	refSchannelLog    = "http://support.microsoft.com/kb/260729"
)

// outsideStatus is what, outside IIS, answers a status, and the HTTPERR
// reasons (s-reason, the last field) that record it.
type outsideStatus struct {
	causes  []string
	reasons string
	// proxy is true when a load balancer answering itself is a usual
	// cause, so its log comes before HTTPERR.
	proxy bool
	refs  []string
}

var outsideStatuses = map[int]outsideStatus{
	400: {causes: []string{
		"Http.sys refused the request before IIS: a header longer than MaxFieldLength or a request larger than MaxRequestBytes (16 KB by default; a large Kerberos ticket in Authorization is the classic case), a malformed Host, a bad verb or URL, illegal CR/LF in a header",
		"a load balancer, WAF or proxy answered 400 itself (its own header-size limit or parser)",
	}, reasons: "FieldLength, RequestLength, Header, Hostname, Verb, URL, BadRequest, Invalid_CR/LF, Number, Forbidden", refs: []string{refKerberos400, refTrouble400}},
	408: {causes: []string{
		"the client or the load balancer did not send the request headers or the body in time, and Http.sys timed the connection out",
	}, reasons: "Timer_HeaderWait, Timer_EntityBody", proxy: true},
	411: {causes: []string{"Http.sys requires a length for the body: the request (or the proxy rewriting it) sent neither Content-Length nor chunked encoding"}, reasons: "LengthRequired"},
	413: {causes: []string{"Http.sys or a proxy refused a body or entity larger than allowed"}, reasons: "EntityTooLarge", proxy: true},
	414: {causes: []string{"Http.sys or a proxy refused a URL longer than allowed"}, reasons: "URL_Length, URL", proxy: true},
	417: {causes: []string{
		"a load balancer or proxy that does not support Expect: 100-continue answered 417 Expectation Failed itself (.NET clients send Expect: 100-continue on every POST)",
	}, proxy: true, refs: []string{ref417}},
	501: {causes: []string{
		"a load balancer answered 501 itself, typically to Expect: 100-continue (KEMP LoadMaster logs \"L7: badrequest-client_read … (-501)\")",
		"Http.sys answered 501 Not Implemented for a transfer coding or verb it does not implement",
	}, reasons: "N/I", proxy: true},
	502: {causes: []string{
		"the load balancer or proxy got no valid answer from IIS: connection refused or reset, IIS closing an idle pooled connection the proxy then reused (IIS keep-alive shorter than the proxy's idle time-out), TLS to the server failing",
	}, reasons: "Timer_ConnectionIdle, Connection_Dropped, Connection_Abandoned_By_AppPool", proxy: true, refs: []string{refKB937692}},
	503: {causes: []string{
		"Http.sys answered 503 without IIS: the application pool is stopped or disabled by rapid-fail protection, its queue is full, or a connection limit was reached",
		"the load balancer has no healthy server left (its health check fails) and answers 503 itself",
	}, reasons: "AppOffline, AppPoolTimer, AppShutdown, Disabled, QueueFull, ConnLimit, N/A", proxy: true},
	504: {causes: []string{
		"the load balancer's time-out to IIS expired before IIS answered: IIS may still have finished the request later, so look for slow traces (time taken) at that time",
	}, reasons: "Connection_Dropped", proxy: true, refs: []string{refKB937692}},
	505: {causes: []string{"Http.sys refused an HTTP version it does not support"}, reasons: "Version_N/S"},
}

// A status IIS itself produces (401, 403, 404, 500 …) that no trace shows
// was most likely not captured, or answered by a device in front.
var outsideIISStatus = outsideStatus{causes: []string{
	"the request reached IIS but the tracing rule did not capture it (its status codes, path or time-taken condition), or another server answered it and its traces are not in this scan",
	"a load balancer, WAF or proxy answered this status itself",
}, proxy: true, refs: []string{refFREB}}

var outsideKinds = map[string]outsideStatus{
	diagnose.SymptomReset: {causes: []string{
		"Http.sys closed the connection: idle or timer limits (connectionTimeout, 2 minutes by default; header wait; entity body; minimum bytes per second)",
		"the application pool crashed or recycled with requests in flight",
		"the load balancer's or a firewall's idle time-out is shorter than the client's or IIS's keep-alive, or it reset the connection",
	}, reasons: "Timer_ConnectionIdle, Timer_HeaderWait, Timer_EntityBody, Timer_MinBytesPerSecond, Timer_AppPool, Connection_Dropped, Connection_Abandoned_By_AppPool", proxy: true, refs: []string{refKB937692}},
	diagnose.SymptomTLS: {causes: []string{
		"the TLS handshake failed before any HTTP request existed: no common protocol version or cipher suite, a certificate the client does not trust or for another name, no or the wrong certificate on the binding, client-certificate negotiation",
		"the load balancer's own TLS settings when it offloads or re-encrypts",
	}, proxy: true, refs: []string{refSchannelLog}},
}

// Captures every symptom note offers.
var (
	captureW3C = diagnose.Capture{Source: "IIS W3C log",
		Where:   `%SystemDrive%\inetpub\logs\LogFiles\W3SVC<site id>\u_ex*.log, same time window`,
		LookFor: "sc-status, sc-substatus, sc-win32-status and time-taken for the client and URL: present there but not in FREB means the tracing rule did not match (widen its status codes); absent there too means the request never reached IIS"}
	captureNetwork = diagnose.Capture{Source: "network capture",
		Where:   "on the server (netsh trace start capture=yes, or Wireshark) and, if possible, on the load balancer's server side",
		LookFor: "which side sends the RST or FIN first, TLS alerts in the handshake, and whether the request or its next leg arrives at all"}
)

func captureHTTPErr(reasons string) diagnose.Capture {
	return diagnose.Capture{Source: "Http.sys error log (HTTPERR)",
		Where:   `%SystemRoot%\System32\LogFiles\HTTPERR\httperr*.log on each server, same time window (UTC)`,
		LookFor: "lines for the client address (the load balancer's, behind one) with sc-status and the reason in s-reason (the field before s-queuename): " + reasons + "; s-queuename names the application pool"}
}

// proxyLogs says where each vendor keeps the log of requests it answered
// itself.
var proxyLogs = map[string]string{
	fingerprint.VendorKEMP:       "LoadMaster System Message File and the extended/L7 log (System Administration → Logging Options)",
	fingerprint.VendorF5:         "BIG-IP /var/log/ltm (plus an iRule or request-logging profile for HTTP details)",
	fingerprint.VendorNetScaler:  "NetScaler /var/log/ns.log (and its web logging)",
	fingerprint.VendorHAProxy:    "the HAProxy log: the termination state flags say which side closed or timed out",
	fingerprint.VendorAppGateway: "Application Gateway access log and firewall log (diagnostic settings)",
	fingerprint.VendorALB:        "ALB access logs: elb_status_code against target_status_code (\"-\" when IIS never answered)",
	fingerprint.VendorNginx:      "nginx error.log and access.log ($upstream_status)",
}

func captureProxy(vendors []string) diagnose.Capture {
	c := diagnose.Capture{Source: "the load balancer's or proxy's log",
		Where:   "its request/access log for the same time, client and URL",
		LookFor: "the status it sent the client against the status it got from IIS (none, when it answered itself), and its reason or termination code"}
	for _, v := range vendors {
		if w, ok := proxyLogs[v]; ok {
			c.Source = v + " log"
			if len(vendors) > 1 {
				c.Source += " (the other proxies' logs likewise)"
			}
			c.Where = w
			break
		}
	}
	return c
}

// Outside returns the notes for failures the traces cannot contain: one
// per symptom the user gave that no trace shows, then those the traces'
// own evidence points to.
func Outside(symptoms []diagnose.Symptom, f diagnose.OutsideFacts) []diagnose.OutsideNote {
	var out []diagnose.OutsideNote
	for _, sy := range symptoms {
		if n, ok := symptomNote(sy, f); ok {
			out = append(out, n)
		}
	}
	out = append(out, evidenceNotes(f)...)
	return out
}

func symptomNote(sy diagnose.Symptom, f diagnose.OutsideFacts) (diagnose.OutsideNote, bool) {
	k := outsideKinds[sy.Kind]
	if sy.Kind == "" {
		seen := f.Statuses[sy.Code]
		if sy.HasSub {
			seen = f.Full[sy.String()]
		}
		if seen > 0 {
			// The failure reached IIS: the findings and the unexplained
			// failures cover it.
			return diagnose.OutsideNote{}, false
		}
		var ok bool
		if k, ok = outsideStatuses[sy.Code]; !ok {
			k = outsideIISStatus
		}
	}
	n := diagnose.OutsideNote{Trigger: "symptom " + sy.String(), Confidence: diagnose.ConfidenceMedium, Causes: k.causes}
	if sy.Kind == "" {
		n.Summary = fmt.Sprintf("no trace shows %s, the status the client saw: the request was most likely answered before IIS (Http.sys or a device in front) or not captured by the tracing rule (inferred)", sy)
		n.Basis = append(n.Basis, fmt.Sprintf("0 of %d trace(s) in this report have status %s; statuses seen: %s", f.Traces, sy, statusList(f.Statuses)))
	} else {
		n.Summary = fmt.Sprintf("a %s failure happens below HTTP: FREB cannot record it, whatever the traces show (inferred)", map[string]string{diagnose.SymptomReset: "connection reset", diagnose.SymptomTLS: "TLS handshake"}[sy.Kind])
		n.Basis = append(n.Basis, fmt.Sprintf("the symptom given was %q; FREB traces only requests IIS received", sy.Kind))
		if sy.Kind == diagnose.SymptomReset {
			for _, id := range []string{"client-disconnected", "idle-timeout-reset"} {
				if c := f.Rules[id]; c > 0 {
					n.Basis = append(n.Basis, fmt.Sprintf("%s found %d trace(s): those resets reached IIS, see its finding", id, c))
				}
			}
		}
	}
	if len(f.Filters) > 0 {
		n.Confidence = diagnose.ConfidenceLow
		n.Basis = append(n.Basis, "filters in force ("+strings.Join(f.Filters, ", ")+"): the status may only be filtered out of this report")
	}
	if f.Proxied {
		vendor := "an unidentified proxy"
		if len(f.Vendors) > 0 {
			vendor = strings.Join(f.Vendors, ", ")
		}
		n.Basis = append(n.Basis, "the traces came through "+vendor+": a device that can answer by itself")
	}
	n.Capture = captures(sy, k, f)
	n.References = append(n.References, k.refs...)
	if k.reasons != "" {
		n.References = append(n.References, refHTTPErrReasons, refHTTPErrFormat, refHTTPErrConfig, refKB820729)
	}
	if k.proxy && hasVendor(f.Vendors, fingerprint.VendorALB) {
		n.References = append(n.References, refALBLogs)
	}
	return n, true
}

func captures(sy diagnose.Symptom, k outsideStatus, f diagnose.OutsideFacts) []diagnose.Capture {
	var c []diagnose.Capture
	if sy.Kind == "" {
		c = append(c, captureW3C)
	}
	httpErr := k.reasons != ""
	proxy := k.proxy || f.Proxied
	if proxy && (f.Proxied || !httpErr) {
		c = append(c, captureProxy(f.Vendors))
	}
	if httpErr {
		c = append(c, captureHTTPErr(k.reasons))
	}
	if proxy && !f.Proxied && httpErr {
		c = append(c, captureProxy(f.Vendors))
	}
	if sy.Kind != "" {
		if sy.Kind == diagnose.SymptomTLS {
			c = append(c, diagnose.Capture{Source: "Windows System event log and the binding",
				Where:   "System log, source Schannel, on each server; netsh http show sslcert for the site's IP:port or host name",
				LookFor: "Schannel errors at the failure times (protocol, cipher, certificate; raise the SCHANNEL EventLogging registry value for more) and the certificate hash and store the binding uses"})
		}
		c = append(c, captureNetwork)
	}
	return c
}

// evidenceNotes are the notes the traces themselves point to: a few rules
// whose findings mean that related requests most likely failed before IIS,
// and NTLM handshakes whose last leg never arrived.
func evidenceNotes(f diagnose.OutsideFacts) []diagnose.OutsideNote {
	var out []diagnose.OutsideNote
	if c := f.Rules["expect-100-continue"]; c > 0 {
		out = append(out, diagnose.OutsideNote{Trigger: "rule expect-100-continue",
			Summary:    "requests with Expect: 100-continue through the proxy failed in IIS; the same proxy may answer others with 417 or 501 itself, and those never reach IIS (inferred)",
			Confidence: diagnose.ConfidenceLow,
			Basis:      []string{fmt.Sprintf("expect-100-continue found %d trace(s)", c)},
			Causes:     []string{outsideStatuses[417].causes[0], outsideStatuses[501].causes[0]},
			Capture:    []diagnose.Capture{captureProxy(ruleVendors(f, "expect-100-continue")), captureHTTPErr("N/I, Timer_EntityBody"), captureW3C},
			References: []string{ref417, refHTTPErrReasons}})
	}
	big := f.Rules["auth-header-too-large"] + f.Rules["exchange-downlevel-header-limit"]
	if big > 0 {
		out = append(out, diagnose.OutsideNote{Trigger: "rules auth-header-too-large / exchange-downlevel-header-limit",
			Summary:    "Authorization headers close to or over the Http.sys limits reached these traces; users with slightly larger tickets get 400 from Http.sys, which FREB never records (inferred)",
			Confidence: diagnose.ConfidenceLow,
			Basis:      []string{fmt.Sprintf("%d trace(s) with a large Authorization header or a 400 from a back end's limits", big)},
			Causes:     []string{outsideStatuses[400].causes[0]},
			Capture:    []diagnose.Capture{captureHTTPErr("FieldLength, RequestLength")},
			References: []string{refKerberos400, refHTTPErrReasons}})
	}
	if n, ok := abandonedHandshakes(f); ok {
		out = append(out, n)
	}
	return out
}

// abandonedHandshakes finds clients whose NTLM handshake to a URL never
// got past the challenge: the last request is a type 1 answered 401 and
// no type 3 was ever traced for that client, user agent and URL. When
// successes are traced too, a type 3 that reached IIS would have left a
// trace whatever its outcome, so its absence means it never arrived (a
// proxy closed the connection after the challenge or answered the type 3
// itself) or the client gave up. Without traced successes the next leg may
// simply have succeeded untraced, so nothing is said. A client that did
// send a type 3 is left to the handshake rules.
func abandonedHandshakes(f diagnose.OutsideFacts) (diagnose.OutsideNote, bool) {
	success := false
	for code, c := range f.Statuses {
		success = success || (code >= 200 && code < 400 && c > 0)
	}
	if !success {
		return diagnose.OutsideNote{}, false
	}
	var clients []string
	example, vendors := "", f.Vendors
	// A sequence closed by the window may be followed by another of the
	// same client, user agent and URL: a type 3 in any of them counts.
	answered := map[string]bool{}
	for _, seq := range f.Sequences {
		if diagnose.SawNTLMType3(seq.Steps) {
			answered[seq.Key] = true
		}
	}
	for _, seq := range f.Sequences {
		if seq.ByConnection || answered[seq.Key] || !diagnose.EndsOnNTLMChallenge(seq.Steps) {
			continue
		}
		clients = append(clients, seq.Client)
		if example == "" {
			example = fmt.Sprintf("%s %s: %s", seq.Client, seq.Path, diagnose.FormatSteps(seq.Steps))
			if seq.Vendor != "" {
				vendors = []string{seq.Vendor}
			}
		}
	}
	if len(clients) == 0 {
		return diagnose.OutsideNote{}, false
	}
	sort.Strings(clients)
	clients = uniq(clients)
	return diagnose.OutsideNote{Trigger: "sequence: NTLM challenge with no next leg",
		Summary:    fmt.Sprintf("%d client(s) received the NTLM challenge and no type 3 ever reached IIS for that URL: the connection was closed or reset between the legs, a device in front answered the type 3 itself, or the client gave up (inferred)", len(clients)),
		Confidence: diagnose.ConfidenceLow,
		Basis: []string{"successful requests are traced too (statuses " + statusList(f.Statuses) + "), so a type 3 that reached IIS would have a trace",
			"for example " + example},
		Causes: []string{"the load balancer or proxy closed or reset the connection after the 401 (NTLM needs the type 3 on the same connection) and the client did not start again",
			"a load balancer, WAF or pre-authenticating proxy answered the type 3 itself",
			"the user cancelled the credential prompt"},
		Capture:    []diagnose.Capture{captureProxy(vendors), captureHTTPErr("Connection_Dropped, Timer_ConnectionIdle, Timer_HeaderWait"), captureNetwork},
		References: []string{refHTTPErrReasons, refKB937692}}, true
}

// ruleVendors are the proxy vendors on a rule's findings, else those of
// the whole report.
func ruleVendors(f diagnose.OutsideFacts, id string) []string {
	if v := f.RuleVendors[id]; len(v) > 0 {
		return v
	}
	return f.Vendors
}

func statusList(m map[int]int) string {
	if len(m) == 0 {
		return "none"
	}
	codes := make([]int, 0, len(m))
	for c := range m {
		codes = append(codes, c)
	}
	sort.Ints(codes)
	parts := make([]string, 0, len(codes))
	for _, c := range codes {
		parts = append(parts, strconv.Itoa(c)+" ×"+strconv.Itoa(m[c]))
	}
	return strings.Join(parts, ", ")
}

func hasVendor(vendors []string, v string) bool {
	for _, x := range vendors {
		if x == v {
			return true
		}
	}
	return false
}

func uniq(sorted []string) []string {
	out := sorted[:0]
	for i, s := range sorted {
		if i == 0 || s != sorted[i-1] {
			out = append(out, s)
		}
	}
	return out
}

// OutsideGuide is the reference the rule catalogue prints for --symptom:
// for each symptom the notes know, what causes it outside IIS and what to
// capture, as a scan without traces or proxies would report it (no basis,
// no summary: those depend on the scan).
func OutsideGuide() []diagnose.OutsideNote {
	codes := make([]int, 0, len(outsideStatuses))
	for c := range outsideStatuses {
		codes = append(codes, c)
	}
	sort.Ints(codes)
	var symptoms []diagnose.Symptom
	for _, c := range codes {
		symptoms = append(symptoms, diagnose.Symptom{Code: c})
	}
	// 404 stands for every status IIS itself answers.
	symptoms = append(symptoms, diagnose.Symptom{Code: 404}, diagnose.Symptom{Kind: diagnose.SymptomReset}, diagnose.Symptom{Kind: diagnose.SymptomTLS})
	var out []diagnose.OutsideNote
	for _, sy := range symptoms {
		n, ok := symptomNote(sy, diagnose.OutsideFacts{})
		if !ok {
			continue
		}
		if sy.Code == 404 {
			n.Trigger = "symptom: any other status (401, 403, 404, 500 …)"
		}
		n.Summary, n.Basis = "", nil
		out = append(out, n)
	}
	return out
}
