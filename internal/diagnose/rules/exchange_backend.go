package rules

import (
	"fmt"
	"strings"

	"github.com/frebscan/frebscan/internal/diagnose"
)

// Exchange 2013 and later proxy every client request from the front end
// (Default Web Site, :443) to the mailbox server's "Exchange Back End"
// site (https *:444) with the HttpProxy module. The front end's response
// carries X-FEServer (itself); the back end adds X-BEServer, and
// X-CalculatedBETarget names the back end the front end chose. A front-end
// trace whose response has X-FEServer but no X-BEServer therefore got no
// answer from an Exchange 2013+ back end.
//
// "HttpProxy" is the name the front-end virtual directories register the
// module under (<add name="HttpProxy" type="Microsoft.Exchange.HttpProxy.
// ProxyModule"…>, or FbaModule when forms authentication is on): Exchange
// setup looks the element up by that name (ExchangeServiceVDirHelper.
// UpdateFrontEndHttpModule, decompiled setup code in the public code
// index) and the CSS-Exchange web.config snapshots show it. FREB names a
// managed module by its registered name (the corpus has Session, Profile,
// OutputCache, ScriptModule-4.0), so ModuleName="HttpProxy" is inferred,
// not yet seen in a public Exchange trace: the match alone stays medium.

// exchangeFrontEnd reports whether the trace was written on an Exchange
// front end for a proxied request, and returns the back end it chose.
func exchangeFrontEnd(s *diagnose.Subject) (fe, target string, ok bool) {
	fe = s.Response.Value("X-FEServer")
	target = s.Response.Value("X-CalculatedBETarget")
	return fe, target, s.IsExchange() && (fe != "" || target != "")
}

func exchangeHeaderEvidence(s *diagnose.Subject) []diagnose.Evidence {
	var ev []diagnose.Evidence
	for _, name := range []string{"X-FEServer", "X-CalculatedBETarget", "X-BEServer", "X-DiagInfo"} {
		if e, ok := s.ResponseHeaderEvidence(name); ok {
			ev = append(ev, e)
		}
	}
	if !s.Response.Has("X-BEServer") {
		ev = append(ev, diagnose.Evidence{Where: diagnose.InResponseHeader, Name: "X-BEServer", Value: "(absent: no Exchange 2013+ back end answered)"})
	}
	return ev
}

// exchangeBackendRule returns the exchange-backend-unreachable rule.
func exchangeBackendRule() *diagnose.Rule {
	return &diagnose.Rule{
		ID:       "exchange-backend-unreachable",
		Title:    "Exchange front end could not proxy the request to the mailbox back end (port 444)",
		Severity: diagnose.High,
		Explanation: `On Exchange 2013 and later the front end's HttpProxy module forwards each request
to the mailbox server's "Exchange Back End" site on https port 444. When that call
fails (no valid certificate bound to *:444, the back-end site or its application
pool stopped, the mailbox server down or blocked), the front end answers 500 or
503 itself: its response carries X-FEServer and the back end it chose
(X-CalculatedBETarget) but no X-BEServer, because no back end answered. A wrong or
deleted certificate on the 444 binding is the classic cause after certificate
work.`,
		Looks: []string{
			"an Exchange path with a 5xx answered by the front end (X-FEServer or X-CalculatedBETarget, no X-BEServer)",
			"the HttpProxy module setting the error status",
			"certificate, trust or TLS wording in the error description (the 444 certificate)",
		},
		Fix: `On the mailbox server named by X-CalculatedBETarget: in IIS Manager check the
"Exchange Back End" site's https binding on port 444 (All Unassigned) has a valid
certificate (the self-signed "Microsoft Exchange" certificate is right), that the
site and its MSExchange*AppPool application pools are started, and that port 444
is reachable from the front end; then restart IIS. The HttpProxy log on the front
end (%ExchangeInstallPath%Logging\HttpProxy\<protocol>) names the back end and
the error for each request.`,
		References: []string{
			"https://learn.microsoft.com/en-us/archive/blogs/miguelo/exchange-2013-clients-not-able-to-connect-using-outlook-anywhere",
			"https://learn.microsoft.com/en-us/exchange/architecture/architecture",
			"https://learn.microsoft.com/en-us/exchange/client-developer/exchange-web-services/instrumenting-client-requests-for-ews-and-rest-in-exchange",
		},
		// The front end's own 500 is what the application-level rules see;
		// the cause is the back end it could not reach.
		Supersedes: []string{"handler-error", "application-error"},
		Trace:      exchangeBackendUnreachable,
	}
}

var certWords = []string{"certificate", "trust relationship", "ssl/tls", "secure channel", ":444"}

func exchangeBackendUnreachable(s *diagnose.Subject) *diagnose.Match {
	fe, target, ok := exchangeFrontEnd(s)
	if !ok || s.Trace.StatusCode < 500 || s.Trace.StatusCode > 504 || s.Response.Has("X-BEServer") {
		return nil
	}
	es := s.Trace.ErrorStatus
	httpProxy := es != nil && strings.EqualFold(es.Module, "HttpProxy")
	desc := ""
	if es != nil {
		desc = strings.ToLower(es.Description + " " + es.ErrorText)
	}
	cert := false
	for _, w := range certWords {
		cert = cert || strings.Contains(desc, w)
	}
	if !httpProxy && !cert && target == "" {
		// A 5xx with only X-FEServer may be the front end's own failure
		// (its application pool, a module): nothing says it was proxying.
		return nil
	}
	ev := append([]diagnose.Evidence{statusEvidence(s)}, exchangeHeaderEvidence(s)...)
	if es != nil {
		ev = append(ev, diagnose.Evidence{Where: diagnose.InEvent, Name: "MODULE_SET_RESPONSE_ERROR_STATUS", Value: es.Module + " in " + es.Notification})
		if es.Description != "" {
			ev = append(ev, diagnose.Evidence{Where: diagnose.InEvent, Name: "SET_RESPONSE_ERROR_DESCRIPTION", Value: es.Description})
		}
	}
	m := &diagnose.Match{Confidence: diagnose.ConfidenceMedium}
	backend := firstNonEmpty(target, "the mailbox back end")
	switch {
	case cert:
		m.Confidence = diagnose.ConfidenceHigh
		m.Summary = fmt.Sprintf("front end %s could not open TLS to %s on port 444: a certificate problem on the Exchange Back End binding", firstNonEmpty(fe, "?"), backend)
	case httpProxy:
		m.Summary = fmt.Sprintf("HttpProxy on front end %s failed to get an answer from %s (no X-BEServer); the 444 binding, the back-end site or the server is the suspect (inferred)", firstNonEmpty(fe, "?"), backend)
	default:
		m.Summary = fmt.Sprintf("the front end chose %s but no Exchange back end answered (%s without X-BEServer; inferred)", backend, s.Status())
	}
	m.Evidence = ev
	return m
}

// exchangeDownlevelRule returns the exchange-downlevel-header-limit rule.
func exchangeDownlevelRule() *diagnose.Rule {
	return &diagnose.Rule{
		ID:       "exchange-downlevel-header-limit",
		Title:    "Exchange 2013+ front end proxying to an older back end: 400 for users with large Kerberos tickets (KB 2988444)",
		Severity: diagnose.High,
		Explanation: `When an Exchange 2013 or later front end proxies a request for a mailbox still on
Exchange 2010, the request it sends is larger than the client's (the front end
adds the user's serialized identity). Http.sys on the 2010 server rejects it with
400 (HTTPERR: RequestLength or FieldLength) for users in many groups, before
its IIS sees it. The front end passes the 400 to the client: this FREB exists
because the front end accepted the request, so the limit that failed is the
back end's. An Exchange 2010 back end sends no X-BEServer.`,
		Looks: []string{
			"status 400 on an Exchange path, answered through the front end (X-FEServer / X-CalculatedBETarget) without X-BEServer",
			"a Negotiate/Kerberos Authorization (its size)",
			"no module of this server set the 400 (it was passed through from the back end)",
		},
		Fix: `On every Exchange 2010 Client Access server set
HKLM\SYSTEM\CurrentControlSet\Services\HTTP\Parameters MaxFieldLength = 65536 and
MaxRequestBytes = 65536 (DWORD, decimal) and restart the server (KB 2988444), or
reduce the users' group memberships; finish moving the mailboxes off 2010.
Confirm first: the 2010 server's HTTPERR log
(%SystemRoot%\System32\LogFiles\HTTPERR) shows 400 RequestLength/FieldLength and
the front end's HttpProxy log shows ProxyToDownLevel=True.`,
		References: []string{
			"https://learn.microsoft.com/en-us/troubleshoot/exchange/http-proxy/400-bad-request",
			"https://learn.microsoft.com/en-us/troubleshoot/developer/webapps/iis/iisadmin-service-inetinfo/http-bad-request-response-kerberos",
		},
		Supersedes: []string{"auth-header-too-large"},
		Trace:      exchangeDownlevel,
	}
}

func exchangeDownlevel(s *diagnose.Subject) *diagnose.Match {
	_, target, ok := exchangeFrontEnd(s)
	if !ok || !is(400, s, 0) || s.Response.Has("X-BEServer") {
		return nil
	}
	kerberos := s.HasAuth && s.Auth.NTLMType == 0 && strings.Contains(s.Auth.Mechanism, "Kerberos")
	if !kerberos {
		return nil
	}
	if es := s.Trace.ErrorStatus; es != nil && !strings.EqualFold(es.Module, "HttpProxy") {
		// A module on this server refused the request itself (IIS Web
		// Core, authentication): the front end's own failure.
		return nil
	}
	ev := append([]diagnose.Evidence{statusEvidence(s)}, exchangeHeaderEvidence(s)...)
	v := s.Request.Value("Authorization")
	ev = append(ev, diagnose.Evidence{Where: diagnose.InRequestHeader, Name: "Authorization size", Value: fmt.Sprintf("%d bytes (%s)", len(v), diagnose.AuthLabel(s.Auth, s.HasAuth))})
	// Medium: the trace cannot show the back end's version or its HTTPERR
	// entry, only that the 400 came from behind the front end.
	return &diagnose.Match{Confidence: diagnose.ConfidenceMedium, Evidence: ev,
		Summary: fmt.Sprintf("a %d-byte Kerberos request passed the front end and came back 400 from %s: the back end's Http.sys limits (inferred; KB 2988444 when it runs Exchange 2010)",
			len(v), firstNonEmpty(target, "the back end"))}
}
