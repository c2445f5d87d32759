package rules

import (
	"fmt"
	"net"
	"strings"

	"github.com/frebscan/frebscan/internal/diagnose"
)

// hostHeaderRewrittenRule returns the host-header-rewritten rule.
func hostHeaderRewrittenRule() *diagnose.Rule {
	return &diagnose.Rule{
		ID:       "host-header-rewritten",
		Title:    "Proxy rewrote the Host header to the back-end name",
		Severity: diagnose.Medium,
		Explanation: `The client asked for the public name (X-Forwarded-Host / X-Original-Host /
X-Original-URL say which), but the proxy replaced Host with the back-end server's
name or address. IIS then matches the wrong site binding (404.1, wrong site),
Exchange builds redirects, Autodiscover answers and cookies for the internal name,
and Kerberos asks for the wrong SPN.`,
		Looks: []string{
			"Host differs from X-Forwarded-Host, X-Original-Host or the host in X-Original-URL",
			"a module on this server (ARR, URL Rewrite) set Host to a name that is not a host (an unexpanded {VARIABLE} or $Port, spaces, nothing) and the back end answered 400",
		},
		Fix: `Make the proxy preserve the client's Host header when forwarding (most do by
default), or add site bindings and Exchange URLs for the name it sends. When ARR or
URL Rewrite on this server sets Host itself (a rewrite rule's HTTP_HOST server
variable), give it a real host name: text such as {VARIABLE} or $Port that the
rule meant to expand is sent literally, and the back end answers 400 Invalid
Hostname.`,
		VendorFixes: map[string]string{
			kemp:      `KEMP LoadMaster: clear the "Add Host Header"/real-server host option on the virtual service so the client's Host is passed through.`,
			f5:        `F5 BIG-IP: remove the HTTP::header replace Host iRule or the "Host Header" rewrite in the HTTP profile.`,
			netscaler: `Citrix NetScaler/ADC: remove the rewrite action that replaces Host; keep "-cip" settings as needed.`,
			haproxy:   `HAProxy: remove "http-request set-header Host" for the Exchange backend.`,
			arr:       `IIS ARR: enable "Preserve client IP / host" (preserveHostHeader="true" in system.webServer/proxy) so ARR forwards the original Host.`,
		},
		References: []string{"RFC 9110 §7.2 Host; RFC 7239 Forwarded host= — https://httpwg.org/specs/rfc9110.html"},
		Trace:      hostRewritten,
	}
}

func hostRewritten(s *diagnose.Subject) *diagnose.Match {
	if m := hostSetInvalid(s); m != nil {
		return m
	}
	hostEv, ok := s.RequestHeaderEvidence("Host")
	if !ok {
		return nil
	}
	host := hostOnly(hostEv.Value)
	for _, name := range []string{"X-Forwarded-Host", "X-Original-Host"} {
		e, ok := s.RequestHeaderEvidence(name)
		if !ok {
			continue
		}
		orig := hostOnly(strings.TrimSpace(strings.Split(e.Value, ",")[0]))
		if orig != "" && !strings.EqualFold(orig, host) {
			return &diagnose.Match{Confidence: diagnose.ConfidenceHigh,
				Evidence: append([]diagnose.Evidence{hostEv, e}, s.ProxyEvidence()...),
				Summary:  "the client asked for " + orig + " but IIS received Host: " + host}
		}
	}
	if e, ok := s.RequestHeaderEvidence("X-Original-URL"); ok {
		if i := strings.Index(e.Value, "://"); i >= 0 {
			orig := hostOnly(strings.SplitN(e.Value[i+3:], "/", 2)[0])
			if orig != "" && !strings.EqualFold(orig, host) {
				return &diagnose.Match{Confidence: diagnose.ConfidenceMedium,
					Evidence: append([]diagnose.Evidence{hostEv, e}, s.ProxyEvidence()...),
					Summary:  "the original URL named " + orig + " but IIS received Host: " + host}
			}
		}
	}
	return nil
}

// hostSetInvalid finds the ARR node's own mistake: a rewrite rule or
// server variable sets Host for the forwarded request to text that is
// not a host name (plechenko fr000069 in the corpus: "localhost:$Port",
// a variable the rule meant to expand), and the back end's HTTP.sys
// refuses it with 400 Bad Request - Invalid Hostname, which ARR relays.
func hostSetInvalid(s *diagnose.Subject) *diagnose.Match {
	if s.Trace.StatusCode != 400 {
		return nil
	}
	for _, c := range s.Trace.RequestHeaderChanges {
		if !strings.EqualFold(c.Name, "Host") || validHost(c.Value) {
			continue
		}
		ev := []diagnose.Evidence{
			{Where: diagnose.InEvent, Name: fmt.Sprintf("GENERAL_SET_REQUEST_HEADER (event %d)", c.Event), Value: "Host: " + c.Value},
			statusEvidence(s),
		}
		if orig, ok := s.RequestHeaderEvidence("Host"); ok {
			ev = append(ev, orig)
		}
		return &diagnose.Match{Confidence: diagnose.ConfidenceHigh, Evidence: append(ev, s.ProxyEvidence()...),
			Summary: fmt.Sprintf("a module set Host to %q for the forwarded request, which is not a host name; the back end refused it with 400", c.Value)}
	}
	return nil
}

// validHost accepts what HTTP.sys accepts in Host, roughly: a name or
// address with an optional numeric port.
func validHost(h string) bool {
	h = strings.TrimSpace(h)
	if h == "" {
		return false
	}
	host, port, err := net.SplitHostPort(h)
	if err != nil {
		host, port = strings.Trim(h, "[]"), ""
	}
	for _, c := range port {
		if c < '0' || c > '9' {
			return false
		}
	}
	if host == "" {
		return false
	}
	for _, c := range host {
		switch {
		case c >= 'a' && c <= 'z', c >= 'A' && c <= 'Z', c >= '0' && c <= '9', c == '.', c == '-', c == ':', c == '_':
		default:
			return false
		}
	}
	return true
}

// hostOnly strips the port: "mail.contoso.com:443" and "[::1]:80" compare
// by host.
func hostOnly(h string) string {
	h = strings.TrimSpace(h)
	if host, _, err := net.SplitHostPort(h); err == nil {
		return host
	}
	return strings.Trim(h, "[]")
}
