package rules

import (
	"strings"

	"github.com/frebscan/frebscan/internal/diagnose"
	"github.com/frebscan/frebscan/internal/headers"
)

// http2WindowsAuthRule returns the http2-windows-auth rule.
func http2WindowsAuthRule() *diagnose.Rule {
	return &diagnose.Rule{
		ID:       "http2-windows-auth",
		Title:    "Windows authentication over HTTP/2 between the proxy and IIS (HTTP_1_1_REQUIRED)",
		Severity: diagnose.High,
		Explanation: `IIS does not do Windows authentication (NTLM, Kerberos, Negotiate) over HTTP/2.
When a request that needs it arrives over HTTP/2, Http.sys resets the stream with
HTTP_1_1_REQUIRED, asking the client to retry over HTTP/1.1. Browsers do; many
proxies and HTTP libraries do not, and the client gets a 502 or a connection
error from the proxy. FREB has no protocol field: this rule fires only when
the trace shows the protocol (a module recorded SERVER_PROTOCOL, or HTTP/2
pseudo-headers). Otherwise the W3C log's cs-version field ("Protocol version",
off by default) shows it.`,
		Looks: []string{
			"the trace shows HTTP/2 on the hop to IIS (SERVER_PROTOCOL set to HTTP/2, or :authority-style pseudo-headers)",
			"a Windows-authentication challenge (WWW-Authenticate Negotiate/NTLM) or an NTLM/Negotiate Authorization",
		},
		Fix: `Make the proxy speak HTTP/1.1 to IIS for Windows-authenticated services, or turn
HTTP/2 off on that IIS binding (IIS 10 version 1809 and later: the binding's
"Disable HTTP/2" option, sslFlags DisableHTTP2). To confirm on other requests,
enable the W3C "Protocol version" (cs-version) field.`,
		VendorFixes: map[string]string{
			traefik: `Traefik: set disableHTTP2 on the serversTransport used by the IIS service (Traefik does not retry on HTTP_1_1_REQUIRED).`,
			appgw:   `Azure Application Gateway: Dedicated backend connection, needed for Windows authentication, is not supported with HTTP/2; use HTTP/1.1 to the back end.`,
			kemp:    `KEMP LoadMaster: HTTP/2 cannot be used on a virtual service that does NTLM/Kerberos; turn HTTP/2 off on the Exchange/IIS virtual service.`,
		},
		References: []string{
			"https://learn.microsoft.com/en-us/iis/get-started/whats-new-in-iis-10/http2-on-iis",
			"https://learn.microsoft.com/en-us/iis/get-started/whats-new-in-iis-10-version-1809/new-features-introduced-in-iis-10-1809",
			"https://github.com/traefik/traefik/issues/6608",
			"https://docs.progress.com/bundle/loadmaster-feature-description-http2-ltsf/page/Limitations.html",
		},
		Trace: http2WindowsAuth,
	}
}

// protocolEvidence returns what in the trace says the request came over
// HTTP/2: a SERVER_PROTOCOL value a module recorded, or a pseudo-header.
func protocolEvidence(s *diagnose.Subject) (diagnose.Evidence, bool) {
	check := func(name, value string) bool {
		return strings.EqualFold(headers.NormalizeName(name), "SERVER_PROTOCOL") && strings.HasPrefix(strings.ToUpper(strings.TrimSpace(value)), "HTTP/2")
	}
	for _, c := range s.Trace.RequestHeaderChanges {
		if check(c.Name, c.Value) {
			return diagnose.Evidence{Where: diagnose.InEvent, Name: "GENERAL_SET_REQUEST_HEADER SERVER_PROTOCOL", Value: c.Value}, true
		}
	}
	for _, h := range s.Request {
		if check(h.Name, h.Value) {
			return diagnose.Evidence{Where: diagnose.InRequestHeader, Name: h.Name, Value: h.Value}, true
		}
		if strings.HasPrefix(h.Name, ":") {
			return diagnose.Evidence{Where: diagnose.InRequestHeader, Name: h.Name, Value: h.Value + " (an HTTP/2 pseudo-header)"}, true
		}
	}
	return diagnose.Evidence{}, false
}

func http2WindowsAuth(s *diagnose.Subject) *diagnose.Match {
	proto, ok := protocolEvidence(s)
	if !ok {
		return nil
	}
	windows := s.HasAuth && (s.Auth.NTLMType > 0 || strings.EqualFold(s.Auth.Scheme, "Negotiate") || strings.EqualFold(s.Auth.Scheme, "NTLM"))
	for _, c := range s.Challenges {
		windows = windows || strings.EqualFold(c.Scheme, "Negotiate") || strings.EqualFold(c.Scheme, "NTLM")
	}
	if !windows {
		return nil
	}
	ev := []diagnose.Evidence{statusEvidence(s), proto}
	if w, ok := s.ResponseHeaderEvidence("WWW-Authenticate"); ok {
		ev = append(ev, w)
	}
	if a, ok := s.RequestHeaderEvidence("Authorization"); ok {
		ev = append(ev, a)
	}
	ev = append(ev, s.ProxyEvidence()...)
	return &diagnose.Match{Confidence: diagnose.ConfidenceHigh, Evidence: ev,
		Summary: "Windows authentication was asked for on a request that reached IIS over HTTP/2: Http.sys answers HTTP_1_1_REQUIRED, which proxies often do not retry"}
}
