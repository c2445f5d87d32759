package rules

import (
	"github.com/frebscan/frebscan/internal/diagnose"
)

// authHandshakeBrokenRule returns the auth-handshake-broken rule.
func authHandshakeBrokenRule() *diagnose.Rule {
	return &diagnose.Rule{
		ID:       "auth-handshake-broken",
		Title:    "NTLM/Negotiate handshake does not complete through the proxy",
		Severity: diagnose.High,
		Explanation: `NTLM (and Negotiate falling back to NTLM) is connection-oriented: the type 1
message, the server's challenge and the type 3 answer must travel on one TCP
connection to one server. A proxy that pools or multiplexes back-end
connections, balances each request separately, or converts HTTP/2 to HTTP/1.1
sends the type 3 message to a connection or server that never issued the
challenge. The server answers it with a fresh 401 (often with SEC_E_INVALID_TOKEN)
and the client loops on the password prompt. Exchange shows it as X-FEServer
changing in the middle of one handshake.`,
		Looks: []string{
			"an NTLM type 3 message answered with 401",
			"error SEC_E_INVALID_TOKEN (0x80090308) on the request",
			"across traces: NTLM type 1 → 401, then type 3 → 401 again, or X-FEServer changing inside one handshake",
			"a proxy in front (Via, X-Forwarded-For, X-ClientSide …) or Exchange's own front-end proxying",
		},
		Fix: `Keep each client connection pinned to one back-end connection and server for
the whole handshake: turn off back-end connection pooling/multiplexing for the
Exchange service, use source-IP or cookie persistence, or balance at layer 4.
Prefer Kerberos (it is not connection-bound) with an Alternate Service Account
for the load-balanced name.`,
		VendorFixes: map[string]string{
			kemp:      `KEMP LoadMaster: use the Exchange template's persistence (source IP or "Active Cookie"), and do not enable connection multiplexing/"Subnet Originating Requests" changes mid-session; layer-4 services avoid the problem.`,
			f5:        `F5 BIG-IP: do not use a OneConnect profile on the Exchange virtual server without the NTLM Conn Pool profile (or remove OneConnect), and use persistence.`,
			netscaler: `Citrix NetScaler/ADC: disable connection multiplexing for the Exchange service group (or use an NTLM-aware setting) and enable persistence.`,
			haproxy:   `HAProxy: use "http-reuse never" (or "safe" with "option prefer-last-server") and "option http-keep-alive" for the Exchange backend, with stick-tables on source IP.`,
			arr:       `IIS ARR: enable client affinity for the server farm and disable "Reverse rewrite host" changes that reset connections; prefer Kerberos.`,
		},
		References: []string{
			"MS-NLMP: NTLM is connection-oriented over HTTP",
			"traefik PR #10405: IIS needs the same back-end connection for the whole NTLM/Kerberos negotiation",
			"SSPI SEC_E_INVALID_TOKEN (0x80090308)",
		},
		Trace:    authHandshakeTrace,
		Sequence: authHandshakeSequence,
	}
}

func authHandshakeTrace(s *diagnose.Subject) *diagnose.Match {
	if !s.Proxy.Present || s.Trace.StatusCode != 401 {
		return nil
	}
	if _, specific := s.HasErrorCode(secBadBindings, secWrongPrincipal, secLogonDenied); specific {
		// extended-protection-offload, kerberos-spn and auth-denied explain
		// these better than a generic broken handshake.
		return nil
	}
	code, invalid := s.HasErrorCode(secInvalidToken)
	type3 := s.HasAuth && s.Auth.NTLMType == 3
	if !type3 && !invalid {
		return nil
	}
	ev := []diagnose.Evidence{statusEvidence(s)}
	if a, ok := s.RequestHeaderEvidence("Authorization"); ok {
		ev = append(ev, a)
	}
	if invalid {
		ev = append(ev, codeEvidence(s, code))
	}
	if w, ok := s.ResponseHeaderEvidence("WWW-Authenticate"); ok {
		ev = append(ev, w)
	}
	ev = append(ev, s.ProxyEvidence()...)
	conf := diagnose.ConfidenceMedium
	if type3 && invalid {
		conf = diagnose.ConfidenceHigh
	}
	return &diagnose.Match{Confidence: conf, Evidence: ev,
		Summary: "the server answered the final leg of the handshake with a new 401"}
}

func authHandshakeSequence(seq *diagnose.Sequence) *diagnose.Match {
	for i := 1; i < len(seq.Steps); i++ {
		prev, cur := seq.Steps[i-1], seq.Steps[i]
		restarted := prev.NTLMType == 1 && prev.Code == 401 && cur.NTLMType == 3 && cur.Code == 401
		switched := prev.NTLMType == 1 && cur.NTLMType == 3 && prev.FEServer != "" && cur.FEServer != "" && prev.FEServer != cur.FEServer
		if !restarted && !switched {
			continue
		}
		if !cur.Via && !prev.Via && seq.Vendor == "" {
			// Without a proxy in the path a type 3 401 is a wrong password,
			// which auth-denied explains, and nothing balances requests
			// between front ends.
			continue
		}
		ev := []diagnose.Evidence{
			{Where: diagnose.InSequence, Name: "client", Value: seq.Client},
			{Where: diagnose.InSequence, Name: "steps", Value: diagnose.FormatSteps(seq.Steps[i-1 : i+1])},
		}
		summary := "NTLM type 3 was answered with a fresh 401 challenge"
		if switched {
			ev = append(ev, diagnose.Evidence{Where: diagnose.InResponseHeader, Name: "X-FEServer", Value: prev.FEServer + " → " + cur.FEServer})
			summary = "the handshake's legs reached different Exchange servers (" + prev.FEServer + " then " + cur.FEServer + ")"
		}
		return &diagnose.Match{Confidence: diagnose.ConfidenceHigh, Evidence: ev, Summary: summary}
	}
	return nil
}
