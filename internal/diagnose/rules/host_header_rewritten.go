package rules

import (
	"net"
	"strings"

	"github.com/frebscan/frebscan/internal/diagnose"
)

func init() {
	register(&diagnose.Rule{
		ID:       "host-header-rewritten",
		Title:    "Proxy rewrote the Host header to the back-end name",
		Severity: diagnose.Medium,
		Explanation: `The client asked for the public name (X-Forwarded-Host / X-Original-Host /
X-Original-URL say which), but the proxy replaced Host with the back-end server's
name or address. IIS then matches the wrong site binding (404.1, wrong site),
Exchange builds redirects, Autodiscover answers and cookies for the internal name,
and Kerberos asks for the wrong SPN.`,
		Looks: []string{"Host differs from X-Forwarded-Host, X-Original-Host or the host in X-Original-URL"},
		Fix: `Make the proxy preserve the client's Host header when forwarding (most do by
default), or add site bindings and Exchange URLs for the name it sends.`,
		VendorFixes: map[string]string{
			kemp:      `KEMP LoadMaster: clear the "Add Host Header"/real-server host option on the virtual service so the client's Host is passed through.`,
			f5:        `F5 BIG-IP: remove the HTTP::header replace Host iRule or the "Host Header" rewrite in the HTTP profile.`,
			netscaler: `Citrix NetScaler/ADC: remove the rewrite action that replaces Host; keep "-cip" settings as needed.`,
			haproxy:   `HAProxy: remove "http-request set-header Host" for the Exchange backend.`,
			arr:       `IIS ARR: enable "Preserve client IP / host" (preserveHostHeader="true" in system.webServer/proxy) so ARR forwards the original Host.`,
		},
		References: []string{"RFC 9110 §7.2 Host; RFC 7239 Forwarded host="},
		Trace:      hostRewritten,
	})
}

func hostRewritten(s *diagnose.Subject) *diagnose.Match {
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

// hostOnly strips the port: "mail.contoso.com:443" and "[::1]:80" compare
// by host.
func hostOnly(h string) string {
	h = strings.TrimSpace(h)
	if host, _, err := net.SplitHostPort(h); err == nil {
		return host
	}
	return strings.Trim(h, "[]")
}
