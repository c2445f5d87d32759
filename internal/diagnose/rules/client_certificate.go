package rules

import (
	"github.com/frebscan/frebscan/internal/diagnose"
	"github.com/frebscan/frebscan/internal/status"
)

// clientCertificateRule returns the client-certificate rule.
func clientCertificateRule() *diagnose.Rule {
	return &diagnose.Rule{
		ID:       "client-certificate",
		Title:    "Client certificate missing or rejected (403.7 / 403.12 / 403.13 / 403.16 / 403.17)",
		Severity: diagnose.High,
		Explanation: `The virtual directory requires or accepts client certificates and the request had
none, or a rejected one. Behind a load balancer that terminates TLS, the client's
certificate ends at the load balancer and never reaches IIS (403.7), unless the
load balancer forwards it in a header (X-ARR-ClientCert, X-Client-Cert) and the
application reads it from there. 403.16: the chain is not trusted (issuing CA not
in the server's trusted roots / NTAuth) or revocation could not be checked; 403.13:
revoked; 403.17: expired or not yet valid; 403.12: the certificate mapping denied
access.`,
		Looks: []string{
			"status 403.7, 403.12, 403.13, 403.16 or 403.17",
			"a TLS-terminating proxy (X-ARR-SSL, X-ARR-ClientCert, X-Forwarded-Proto, Via)",
		},
		Fix: `403.7 behind a proxy: use layer-4 pass-through or SSL bridging with client
certificate authentication on the load balancer and forward the certificate in a
header the application trusts. 403.16/403.13: import the issuing CA chain into the
server's Trusted Root / Intermediate stores (and NTAuth for mapping), make the CRL
distribution points reachable from the server. 403.17: renew the certificate.`,
		References: []string{
			"KB 943891: IIS HTTP status codes (403.7, 403.12, 403.13, 403.16, 403.17) — https://learn.microsoft.com/en-us/troubleshoot/developer/webapps/iis/www-administration-management/http-status-code",
			"Microsoft: HTTP Error 403.16 – client certificate untrusted or invalid",
		},
		Trace: clientCertificate,
	}
}

func clientCertificate(s *diagnose.Subject) *diagnose.Match {
	if !is(403, s, 7, 12, 13, 16, 17) {
		return nil
	}
	ev := []diagnose.Evidence{statusEvidence(s)}
	for _, c := range s.ErrorCodes() {
		ev = append(ev, codeEvidence(s, c))
	}
	for _, h := range []string{"X-ARR-ClientCert", "X-ARR-SSL", "X-Client-Cert", "X-Forwarded-Proto"} {
		if e, ok := s.RequestHeaderEvidence(h); ok {
			ev = append(ev, e)
		}
	}
	summary := status.Describe(403, s.Trace.SubStatusCode)
	if s.Proxy.Present {
		ev = append(ev, s.ProxyEvidence()...)
		if s.Trace.SubStatusCode == 7 {
			summary = "a client certificate was required, but TLS ends at the proxy so none reached IIS"
		}
	}
	return &diagnose.Match{Confidence: diagnose.ConfidenceHigh, Evidence: ev, Summary: summary}
}
