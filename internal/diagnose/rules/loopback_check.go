package rules

import (
	"net"
	"strings"

	"github.com/frebscan/frebscan/internal/diagnose"
)

// loopbackCheckRule returns the loopback-check rule.
func loopbackCheckRule() *diagnose.Rule {
	return &diagnose.Rule{
		ID:       "loopback-check",
		Title:    "NTLM refused by the loopback check: the server called itself by another name (load balancer hairpin)",
		Severity: diagnose.High,
		Explanation: `Windows refuses NTLM authentication to a name that is not the machine's own when
the request comes from the machine itself (the loopback check, KB 896861). It
happens when a process on the server (Exchange, SharePoint, a monitoring probe)
calls the site by its load-balanced or alias name and the load balancer sends
the request back to the same server: the handshake completes and the last leg
fails with 401.1, while the same user succeeds from any other computer. The
Security log shows event 4625 with status 0xC000006D and substatus 0x0.`,
		Looks: []string{
			"401.1 on an NTLM type 3 leg with a logon-failure status (SEC_E_LOGON_DENIED 0x8009030C expected; not confirmed by a public trace) or none recorded",
			"the request came from this server: client address equal to the local address, a loopback address, or a proxy header naming this server's address",
			"a Host name that is not the server's own name",
		},
		Fix: `On the server, list the names it calls itself by in
HKLM\SYSTEM\CurrentControlSet\Control\Lsa\MSV1_0\BackConnectionHostNames
(Multi-String, one host name per line, e.g. mail.contoso.com) and restart the
IISAdmin/W3SVC service or the server (preferred), or set
HKLM\SYSTEM\CurrentControlSet\Control\Lsa\DisableLoopbackCheck = 1 (DWORD; turns
the protection off for every name). Or make local callers use the machine name
or bypass the load balancer.`,
		References: []string{
			"https://mskb.pkisolutions.com/kb/896861",
			"https://learn.microsoft.com/en-us/troubleshoot/windows-server/networking/accessing-server-locally-with-fqdn-cname-alias-denied",
			"https://docs.syskit.com/bp/configuration/servers/loopback-disabled",
		},
		Supersedes: []string{"auth-denied"},
		Trace:      loopbackCheck,
	}
}

// KB 896861 documents the status (401.1 "Logon failed") and the Security
// log entry (0xC000006D, substatus 0x0, NTLM), not the SSPI status IIS
// records; SEC_E_LOGON_DENIED (0x8009030C) is the SSPI form of that logon
// failure but no public trace confirms it, so a leg with no status at all
// also matches, at medium confidence.
func loopbackCheck(s *diagnose.Subject) *diagnose.Match {
	if !is(401, s, 1) || !s.HasAuth || s.Auth.NTLMType != 3 {
		return nil
	}
	cause, code := sspiCauseOf(s)
	if cause != sspiLogonFailed && cause != sspiUnknown {
		return nil
	}
	local := s.Trace.LocalAddress
	from, via := "", ""
	switch {
	case isLoopback(s.Trace.ClientAddress):
		from = s.Trace.ClientAddress
	case local != "" && sameIP(s.Trace.ClientAddress, local):
		from = s.Trace.ClientAddress
	case local != "" && sameIP(s.Proxy.ClientAddress, local):
		from, via = s.Proxy.ClientAddress, s.Trace.ClientAddress
	default:
		return nil
	}
	host := strings.ToLower(s.Request.Value("Host"))
	if h, _, found := strings.Cut(host, ":"); found && !strings.Contains(h, "]") {
		host = h
	}
	first, _, _ := strings.Cut(host, ".")
	if host == "" || host == "localhost" || sameIP(host, local) || strings.EqualFold(first, s.Trace.Server) {
		// The loopback check lets the machine's own name and localhost
		// through.
		return nil
	}
	ev := []diagnose.Evidence{statusEvidence(s),
		{Where: diagnose.InTrace, Name: "client", Value: from + " (this server: local address " + local + ")"},
		{Where: diagnose.InRequestHeader, Name: "Host", Value: host + " (not the server's name, " + s.Trace.Server + ")"}}
	if code != 0 {
		ev = append(ev, codeEvidence(s, code))
	}
	m := &diagnose.Match{Confidence: diagnose.ConfidenceHigh, Evidence: ev,
		Summary: "the server authenticated to itself by the name " + host + " and NTLM's loopback check refused it"}
	if via != "" {
		ev = append(ev, s.ProxyEvidence()...)
		m.Evidence = ev
		m.Summary = "the load balancer (" + via + ") sent this server's own request back to it under the name " + host + "; NTLM's loopback check refused it"
	}
	if cause == sspiUnknown {
		m.Confidence = diagnose.ConfidenceMedium
		m.Summary += " (inferred: no logon-failure status recorded)"
	}
	return m
}

// isLoopback reports whether addr is the server itself (127.0.0.0/8, ::1).
func isLoopback(addr string) bool {
	ip := net.ParseIP(strings.Trim(addr, "[]"))
	return ip != nil && ip.IsLoopback()
}

func sameIP(a, b string) bool {
	x, y := net.ParseIP(strings.Trim(a, "[]")), net.ParseIP(strings.Trim(b, "[]"))
	return x != nil && y != nil && x.Equal(y)
}
