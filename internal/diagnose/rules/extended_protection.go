package rules

import (
	"github.com/frebscan/frebscan/internal/diagnose"
)

// extendedProtectionRule returns the extended-protection-offload rule.
func extendedProtectionRule() *diagnose.Rule {
	return &diagnose.Rule{
		ID:       "extended-protection-offload",
		Title:    "Extended Protection fails because the load balancer terminates TLS",
		Severity: diagnose.Critical,
		Explanation: `Extended Protection for Authentication binds NTLM/Kerberos to the TLS channel
(channel binding token). Exchange 2019 CU14 and later turn it on by default. When
a load balancer terminates TLS (SSL offloading) or re-encrypts with a different
certificate, the binding the client computed for its TLS session to the load
balancer does not match the server's session, and Windows rejects the
authentication with SEC_E_BAD_BINDINGS: Outlook, EWS and ActiveSync loop on 401.`,
		Looks: []string{
			"error SEC_E_BAD_BINDINGS 0x80090346",
			"a proxy that terminates TLS (X-Forwarded-Proto, port 80 back end, Via)",
		},
		Fix: `Extended Protection is not supported with SSL offloading. Use SSL bridging with
the same certificate on the load balancer and on Exchange (or layer-4 pass-through),
or, as a documented exception, turn Extended Protection off for the affected
virtual directories with ExchangeExtendedProtectionManagement.ps1.`,
		References: []string{
			"SSPI SEC_E_BAD_BINDINGS (0x80090346) — https://learn.microsoft.com/en-us/windows/desktop/api/sspi/nf-sspi-acceptsecuritycontext",
			"https://microsoft.github.io/CSS-Exchange/Security/Extended-Protection/",
			"Microsoft CSS-Exchange: Extended Protection (docs/Security/Extended-Protection.md); Emerging issues, Exchange 2019 CU14/CU15",
		},
		Supersedes: []string{"auth-denied", "auth-handshake-broken"},
		Trace:      extendedProtection,
	}
}

func extendedProtection(s *diagnose.Subject) *diagnose.Match {
	code, ok := s.HasErrorCode(secBadBindings)
	if !ok {
		return nil
	}
	ev := []diagnose.Evidence{statusEvidence(s), codeEvidence(s, code)}
	conf := diagnose.ConfidenceMedium
	if s.Proxy.Present {
		conf = diagnose.ConfidenceHigh
		ev = append(ev, s.ProxyEvidence()...)
	}
	return &diagnose.Match{Confidence: conf, Evidence: ev, Summary: "channel binding mismatch (SEC_E_BAD_BINDINGS)"}
}
