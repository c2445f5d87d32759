// Package rules is frebscan's catalogue of known failures, one file per
// rule: its data (ID, title, severity, explanation, the evidence it looks
// for, fixes per proxy vendor, references) beside its match function.
//
// To add a rule, write one file with a function that returns the
// *diagnose.Rule (copy a small one such as xff_invalid.go: a comment on
// each condition says why it is there), add that function to the list in
// Catalogue, add a generated sample that fires under samples/<rule-id>/
// (internal/gen) and a negative that must not, and run
// `go test ./internal/diagnose/rules -update` to refresh docs/RULES.md.
// TestCatalogue checks IDs, metadata, vendor keys and samples for every
// rule in the list, so a rule that misses one of them fails the build.
package rules

import (
	"fmt"
	"strings"

	"github.com/frebscan/frebscan/internal/diagnose"
	"github.com/frebscan/frebscan/internal/fingerprint"
	"github.com/frebscan/frebscan/internal/status"
)

// Catalogue returns the rules, in the order `frebscan rules` lists them
// within a severity. Each call builds fresh values, so no caller can change
// another's catalogue. Rule texts are written as wrapped paragraphs for
// reading in source; they are unwrapped here so every report can wrap
// them to its own width.
func Catalogue() []*diagnose.Rule {
	list := []*diagnose.Rule{
		viaPersistentAuthRule(),
		authHandshakeBrokenRule(),
		proxyConnectionSharedRule(),
		extendedProtectionRule(),
		authDeniedRule(),
		loopbackCheckRule(),
		http2WindowsAuthRule(),
		kerberosSPNRule(),
		authHeaderTooLargeRule(),
		exchangeBackendRule(),
		exchangeDownlevelRule(),
		clientCertificateRule(),
		expect100ContinueRule(),
		idleTimeoutResetRule(),
		proxyLoopRule(),
		xffInvalidRule(),
		clientIPLostRule(),
		sslOffloadRule(),
		tlsOffloadRedirectRule(),
		hostHeaderRewrittenRule(),
		arrNoBackendRule(),
		arrBackendConnectRule(),
		arrBackendTimeoutRule(),
		ancmRequestTimeoutRule(),
		arrBackendAbortedRule(),
		arrBackendTLSRule(),
		arrInvalidResponseRule(),
		appPoolUnavailableRule(),
		configErrorRule(),
		requestFilteringRule(),
		appStartupFailedRule(),
		compilationErrorRule(),
		applicationErrorRule(),
		handlerErrorRule(),
		notFoundRule(),
		noDefaultDocumentRule(),
		verbNotAllowedRule(),
		rewriteAbortRule(),
		clientDisconnectedRule(),
		appWarmupRule(),
		slowRequestRule(),
	}
	for _, r := range list {
		r.Explanation = prose(r.Explanation)
		r.Fix = prose(r.Fix)
		for v, f := range r.VendorFixes {
			r.VendorFixes[v] = prose(f)
		}
	}
	return list
}

// prose joins the lines of each paragraph; blank lines separate
// paragraphs.
func prose(s string) string {
	paras := strings.Split(strings.TrimSpace(s), "\n\n")
	for i, p := range paras {
		paras[i] = strings.Join(strings.Fields(p), " ")
	}
	return strings.Join(paras, "\n\n")
}

// Vendor names as the fingerprint package reports them; fixes are keyed
// by them, so a fix can only be written for a vendor frebscan recognises.
const (
	kemp      = fingerprint.VendorKEMP
	f5        = fingerprint.VendorF5
	netscaler = fingerprint.VendorNetScaler
	haproxy   = fingerprint.VendorHAProxy
	arr       = fingerprint.VendorARR
	appgw     = fingerprint.VendorAppGateway
	alb       = fingerprint.VendorALB
	nginx     = fingerprint.VendorNginx
	caddy     = fingerprint.VendorCaddy
	traefik   = fingerprint.VendorTraefik
	yarp      = fingerprint.VendorYARP
	apache    = fingerprint.VendorApache
)

// Error codes the rules look for, as IIS writes them in FREB.
const (
	secInvalidToken    uint32 = 0x80090308
	secLogonDenied     uint32 = 0x8009030C
	secNoCredentials   uint32 = 0x8009030E
	secSecpkgNotFound  uint32 = 0x80090305
	secWrongPrincipal  uint32 = 0x80090322
	secBadBindings     uint32 = 0x80090346
	winhttpTimeout     uint32 = 0x80072EE2
	winhttpCannotConn  uint32 = 0x80072EFD
	winhttpAborted     uint32 = 0x80072EFE
	winhttpInvalidResp uint32 = 0x80072F78
	winhttpSecure      uint32 = 0x80072F8F
	netnameDeleted     uint32 = 0x80070040
	connectionInvalid  uint32 = 0x800704CD // ERROR_CONNECTION_INVALID (1229)
	connectionReset    uint32 = 0x80072746
)

// statusEvidence is the trace's final status with its IIS meaning.
func statusEvidence(s *diagnose.Subject) diagnose.Evidence {
	return diagnose.Evidence{Where: diagnose.InTrace, Name: "statusCode",
		Value: fmt.Sprintf("%s (%s)", s.Status(), status.Describe(s.Trace.StatusCode, s.Trace.SubStatusCode))}
}

// codeEvidence names an error code the trace recorded.
func codeEvidence(s *diagnose.Subject, code uint32) diagnose.Evidence {
	where, name := diagnose.InEvent, "ErrorCode"
	if es := s.Trace.ErrorStatus; es != nil && es.ErrorCode == code {
		name = "MODULE_SET_RESPONSE_ERROR_STATUS ErrorCode (" + es.Module + ")"
	} else {
		for _, e := range s.Trace.IOErrors {
			if e.ErrorCode == code {
				name = e.Name + " ErrorCode"
				break
			}
		}
	}
	return diagnose.Evidence{Where: where, Name: name, Value: status.Code(code).String()}
}

func urlEvidence(s *diagnose.Subject) diagnose.Evidence {
	return diagnose.Evidence{Where: diagnose.InTrace, Name: "url", Value: s.Trace.Verb + " " + s.Trace.URL}
}

func clientEvidence(s *diagnose.Subject) diagnose.Evidence {
	v := s.Client.Family
	if s.Client.Version != "" {
		v += " " + s.Client.Version
	}
	if s.Client.UserAgent != "" {
		v += " (" + s.Client.UserAgent + ")"
	}
	return diagnose.Evidence{Where: diagnose.InClient, Name: "User-Agent", Value: v}
}

func is(code int, s *diagnose.Subject, subs ...int) bool {
	if s.Trace.StatusCode != code {
		return false
	}
	if len(subs) == 0 {
		return true
	}
	for _, sub := range subs {
		if s.Trace.SubStatusCode == sub {
			return true
		}
	}
	return false
}

func sev(v diagnose.Severity) *diagnose.Severity { return &v }
