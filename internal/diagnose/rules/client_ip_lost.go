package rules

import (
	"github.com/frebscan/frebscan/internal/diagnose"
)

// clientIPLostRule returns the client-ip-lost rule.
func clientIPLostRule() *diagnose.Rule {
	return &diagnose.Rule{
		ID:       "client-ip-lost",
		Title:    "Proxy hides the client address (SNAT without X-Forwarded-For)",
		Severity: diagnose.Low,
		Explanation: `The request came through a proxy or load balancer that replaces the client's
address with its own (source NAT), and no header carries the original address.
IIS logs, FREB traces, IP restrictions and Exchange's own logs then show the load
balancer for every client, which makes per-client troubleshooting and throttling
impossible and lets one client's failures look like everyone's.`,
		Looks: []string{
			"a proxy identified by Via or vendor headers/cookies",
			"no X-Forwarded-For, Forwarded for=, X-ClientSide, X-Real-IP, True-Client-IP, CF-Connecting-IP or Client-IP",
		},
		Fix: `Have the proxy add X-Forwarded-For (or X-ClientSide/Forwarded), and log it in IIS
(Logging → custom field from the request header), or use transparent mode/Direct
Server Return where the design allows.`,
		VendorFixes: map[string]string{
			kemp:      `KEMP LoadMaster: set "Additional L7 Header" to X-Forwarded-For (this does not add Via, unlike X-ClientSide), or enable Transparency on the virtual service.`,
			f5:        `F5 BIG-IP: enable "Insert X-Forwarded-For" in the HTTP profile.`,
			netscaler: `Citrix NetScaler/ADC: enable "Client IP Header Insertion" (-cip ENABLED X-Forwarded-For) on the service.`,
			haproxy:   `HAProxy: add "option forwardfor" to the Exchange backend.`,
			arr:       `IIS ARR: ARR adds X-Forwarded-For by default; check preserveClientIP / the forwarding header setting under proxy.`,
		},
		References: []string{"RFC 7239 Forwarded — https://datatracker.ietf.org/doc/html/rfc7239", "IIS: logging custom fields (X-Forwarded-For)"},
		Trace: func(s *diagnose.Subject) *diagnose.Match {
			if !s.Proxy.Present || s.Proxy.ClientAddress != "" {
				return nil
			}
			for _, h := range []string{"X-Forwarded-For", "Forwarded", "X-ClientSide", "X-Real-IP", "True-Client-IP", "CF-Connecting-IP", "Client-IP", "X-Client-IP", "X-Cluster-Client-IP"} {
				if s.Request.Has(h) {
					return nil
				}
			}
			ev := s.ProxyEvidence()
			ev = append(ev, diagnose.Evidence{Where: diagnose.InTrace, Name: "client address (TCP)", Value: s.Trace.ClientAddress})
			return &diagnose.Match{Confidence: diagnose.ConfidenceMedium, Evidence: ev,
				Summary: "IIS sees only the proxy's address (" + s.Trace.ClientAddress + "); no header keeps the client's"}
		},
	}
}
