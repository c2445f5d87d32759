package rules

import (
	"strings"

	"github.com/frebscan/frebscan/internal/diagnose"
)

// kerberosSPNRule returns the kerberos-spn rule.
func kerberosSPNRule() *diagnose.Rule {
	return &diagnose.Rule{
		ID:       "kerberos-spn",
		Title:    "Kerberos ticket cannot be used: SPN on the wrong account or no ASA for the load-balanced name",
		Severity: diagnose.High,
		Explanation: `The client sent a Kerberos ticket (Authorization: Negotiate YII…) and the server
could not decrypt or accept it. The ticket is issued for the account that holds
the service principal name (HTTP/mail.contoso.com). When that SPN is registered on
a different account than the one the application pool runs as, is registered
twice, or (behind a load balancer) no Alternate Service Account credential is
set on every Exchange server for the shared name, the server fails with
SEC_E_WRONG_PRINCIPAL or SEC_E_NO_CREDENTIALS and clients fall back to NTLM or
prompt for passwords.`,
		Looks: []string{
			"error SEC_E_WRONG_PRINCIPAL 0x80090322, SEC_E_NO_CREDENTIALS 0x8009030E or SEC_E_SECPKG_NOT_FOUND 0x80090305",
			"Authorization: Negotiate with a Kerberos token (base64 YII…)",
		},
		Fix: `Find where the SPN lives: "setspn -Q HTTP/<name>" and "setspn -X" for duplicates.
Register HTTP/<name> (short and FQDN) only on the account the application pool
runs as, or set useAppPoolCredentials. For Exchange behind a load balancer,
create an Alternate Service Account (computer account), register the
load-balanced names on it and deploy the ASA credential to every Client Access
server (RollAlternateServiceAccountPassword.ps1).`,
		References: []string{
			"SSPI SEC_E_WRONG_PRINCIPAL (0x80090322), SEC_E_NO_CREDENTIALS (0x8009030E) — https://learn.microsoft.com/en-us/windows/desktop/api/sspi/nf-sspi-acceptsecuritycontext",
			"Microsoft: Configure Kerberos authentication for load-balanced Client Access services (ASA credential)",
			"KB 871179: 401.1 loop when the pool identity has no HTTP SPN",
		},
		Supersedes: []string{"auth-denied", "auth-handshake-broken"},
		Trace:      kerberosSPN,
	}
}

func kerberosSPN(s *diagnose.Subject) *diagnose.Match {
	kerberos := s.HasAuth && (strings.EqualFold(s.Auth.Scheme, "Negotiate") || strings.EqualFold(s.Auth.Scheme, "Kerberos")) &&
		s.Auth.NTLMType == 0 && strings.Contains(s.Auth.Mechanism, "Kerberos")
	codes := []uint32{secWrongPrincipal, secSecpkgNotFound}
	if kerberos {
		// 0x8009030E also answers every NTLM type 1 message; it points at
		// the SPN only when a Kerberos ticket was offered.
		codes = append(codes, secNoCredentials)
	}
	code, ok := s.HasErrorCode(codes...)
	if !ok {
		return nil
	}
	ev := []diagnose.Evidence{statusEvidence(s), codeEvidence(s, code)}
	if a, ok := s.RequestHeaderEvidence("Authorization"); ok {
		ev = append(ev, a)
	}
	conf := diagnose.ConfidenceMedium
	if kerberos {
		conf = diagnose.ConfidenceHigh
	}
	if s.Proxy.Present {
		ev = append(ev, s.ProxyEvidence()...)
	}
	return &diagnose.Match{Confidence: conf, Evidence: ev, Summary: "the server rejected a Kerberos ticket"}
}
