package rules

import (
	"fmt"
	"strings"

	"github.com/frebscan/frebscan/internal/diagnose"
)

// sslOffloadRule returns the ssl-offload rule.
func sslOffloadRule() *diagnose.Rule {
	return &diagnose.Rule{
		ID:       "ssl-offload",
		Title:    "SSL required, but the proxy forwards plain HTTP (403.4 behind TLS offloading)",
		Severity: diagnose.High,
		Explanation: `The client used HTTPS to the load balancer, which terminated TLS and forwarded the
request over plain HTTP. The virtual directory has "Require SSL" set, so IIS
refuses the request with 403.4 even though the client's connection was
encrypted all the way to the load balancer.`,
		Looks: []string{
			"status 403.4 (or 403.5)",
			"X-Forwarded-Proto: https, X-ARR-SSL, Front-End-Https: on or X-Forwarded-Ssl: on, or a request on port 80 through a proxy",
		},
		Fix: `Either re-encrypt to the server (SSL bridging: the load balancer opens HTTPS to
IIS, required for Exchange), or, for applications that support offloading, clear
"Require SSL" on the virtual directory and make the application trust
X-Forwarded-Proto from the load balancer only.`,
		VendorFixes: map[string]string{
			kemp: `KEMP LoadMaster: enable "Reencrypt" on the SSL properties of the virtual service (SSL bridging) so the real servers get HTTPS.`,
			f5:   `F5 BIG-IP: add a Server SSL profile to the virtual server so BIG-IP re-encrypts to the pool (port 443).`,
			arr:  `IIS ARR: set the server farm to forward over HTTPS (port 443), or clear "Require SSL" on the back end.`,
		},
		References: []string{
			"KB 943891: IIS HTTP status codes (403.4 SSL required) — https://learn.microsoft.com/en-us/troubleshoot/developer/webapps/iis/www-administration-management/http-status-code",
			"Exchange Server: SSL offloading is not supported for Exchange 2016/2019; use SSL bridging",
		},
		Trace: sslOffload,
	}
}

func sslOffload(s *diagnose.Subject) *diagnose.Match {
	if !is(403, s, 4, 5) {
		return nil
	}
	var ev []diagnose.Evidence
	for _, h := range []struct{ name, want string }{
		{"X-Forwarded-Proto", "https"}, {"X-ARR-SSL", ""}, {"Front-End-Https", "on"}, {"X-Forwarded-Ssl", "on"}, {"X-Forwarded-Scheme", "https"},
	} {
		if e, ok := s.RequestHeaderEvidence(h.name); ok && (h.want == "" || strings.EqualFold(strings.TrimSpace(e.Value), h.want)) {
			ev = append(ev, e)
		}
	}
	plain := strings.HasPrefix(strings.ToLower(s.Trace.URL), "http://")
	if len(ev) == 0 && !(plain && s.Proxy.Present) {
		return nil
	}
	ev = append([]diagnose.Evidence{statusEvidence(s)}, ev...)
	if plain {
		ev = append(ev, diagnose.Evidence{Where: diagnose.InTrace, Name: "url", Value: fmt.Sprintf("%s (plain HTTP on port %d)", s.Trace.URL, s.Trace.LocalPort)})
	}
	ev = append(ev, s.ProxyEvidence()...)
	return &diagnose.Match{Confidence: diagnose.ConfidenceHigh, Evidence: ev,
		Summary: "the request reached IIS over HTTP after the proxy terminated the client's HTTPS"}
}
