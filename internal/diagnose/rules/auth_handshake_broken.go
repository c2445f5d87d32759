package rules

import (
	"fmt"
	"strings"
	"time"

	"github.com/frebscan/frebscan/internal/diagnose"
)

// authHandshakeBrokenRule returns the auth-handshake-broken rule.
func authHandshakeBrokenRule() *diagnose.Rule {
	return &diagnose.Rule{
		ID:       "auth-handshake-broken",
		Title:    "NTLM/Negotiate handshake split across connections or servers (proxy or load balancer)",
		Severity: diagnose.High,
		Explanation: `NTLM (and Negotiate falling back to NTLM) is connection-oriented: the type 1
message, the server's challenge and the type 3 answer must travel on one TCP
connection to one server. A proxy that pools or multiplexes back-end
connections, balances each request separately, or converts HTTP/2 to HTTP/1.1
sends the type 3 message to a connection or server that never issued the
challenge. The server answers it with a fresh 401 (often with SEC_E_INVALID_TOKEN)
and the client loops on the password prompt. Exchange shows it as X-FEServer
changing in the middle of one handshake. A layer-4 balancer or a proxy that strips
its headers leaves no proxy header; the traces still show the split when the two
legs name different servers (<Computer>, X-FEServer) or different client ports
(connections), and SEC_E_INVALID_TOKEN on the type 3 points at it on its own
(medium confidence: a damaged token gives the same status).`,
		Looks: []string{
			"an NTLM type 3 message answered with 401",
			"error SEC_E_INVALID_TOKEN (0x80090308) on the request",
			"across traces: the type 1 and type 3 legs of one client's handshake reaching different servers (<Computer>, X-FEServer) or connections (client port), the type 3 on a connection that saw no type 2",
			"without a proxy header: SEC_E_INVALID_TOKEN on an NTLM leg (medium confidence, inferred)",
			"a proxy in front (Via, X-Forwarded-For, X-ClientSide …) or Exchange's own front-end proxying",
		},
		Fix: `Keep each client connection pinned to one back-end connection and server for
the whole handshake: turn off back-end connection pooling/multiplexing for the
Exchange service, use source-IP or cookie persistence, or balance at layer 4.
Prefer Kerberos (it is not connection-bound) with an Alternate Service Account
for the load-balanced name. Products that leave no header of their own (an
AWS Network Load Balancer, Zevenet/SKUDONET, which adds only X-Forwarded-For)
cannot be named from the trace: on Zevenet/SKUDONET use an L4xNAT farm, or an
HTTP farm with persistence, as its NTLM guide describes.`,
		VendorFixes: map[string]string{
			kemp:      `KEMP LoadMaster: use the Exchange template's persistence (source IP or "Active Cookie"), and do not enable connection multiplexing/"Subnet Originating Requests" changes mid-session; layer-4 services avoid the problem.`,
			f5:        `F5 BIG-IP: do not use a OneConnect profile on the Exchange virtual server without the NTLM Conn Pool profile (or remove OneConnect), and use persistence.`,
			netscaler: `Citrix NetScaler/ADC: disable connection multiplexing for the Exchange service group (or use an NTLM-aware setting) and enable persistence.`,
			haproxy:   `HAProxy: use "http-reuse never" (or "safe" with "option prefer-last-server") and "option http-keep-alive" for the Exchange backend, with stick-tables on source IP.`,
			arr:       `IIS ARR: enable client affinity for the server farm and disable "Reverse rewrite host" changes that reset connections; prefer Kerberos.`,
			nginx: `nginx (open source) sends each request upstream over HTTP/1.0 with "Connection: close" by default, so every NTLM leg reaches IIS on a new
connection. Balance Windows-authenticated sites at layer 4 (a stream {} block with TLS passthrough), or use NGINX Plus's "ntlm;" directive in
the upstream block. "proxy_http_version 1.1; proxy_set_header Connection ''; keepalive N;" makes the handshake complete but shares pooled upstream
connections between clients, so one user's authenticated connection can serve another user: do not use it for Windows authentication.`,
			caddy: `Caddy: its standard HTTP transport pools upstream connections. Use the http_ntlm transport (module github.com/caddyserver/ntlm-transport,
built in with xcaddy), which keeps one upstream connection per client connection over HTTP/1.1, or pass TLS through at layer 4 (caddy-l4).
Remove the Via header Caddy adds (header_up -Via) as well, or IIS answers Persistent-Auth: false.`,
			traefik: `Traefik: use a TCP router with TLS passthrough (HostSNI, tls.passthrough=true) for the Windows-authenticated service; HTTP routers pool
back-end connections. If an HTTP router must stay, disable HTTP/2 to the back end (serversTransport disableHTTP2) and expect remaining failures.`,
			yarp: `YARP: NTLM cannot be proxied through YARP (outbound connections are pooled between requests; the maintainers will not add it).
Authenticate at the YARP host and forward the identity another way (a token or header the back end trusts), or balance at layer 4.`,
			apache: `Apache httpd mod_proxy pools back-end connections and reuses them across clients, with no NTLM-aware binding. Balance the
Windows-authenticated service at layer 4, or move it to Kerberos (not connection-bound). Turning reuse off (disablereuse=On) does not help:
every leg then gets a new connection and NTLM always fails.`,
			appgw: `Azure Application Gateway v2: enable "Dedicated backend connection" in the backend settings (a 1:1 front-end to back-end connection,
needed for NTLM/Kerberos pass-through; not supported with HTTP/2, uses more SNAT ports). By default the gateway reuses idle back-end connections.`,
			alb: `AWS Application Load Balancer cannot carry Windows authentication (it does not keep the client's connection and source port to the
target). Use a Network Load Balancer with a TCP (or TLS passthrough) listener for the Windows-authenticated service.`,
		},
		References: []string{
			"https://techcommunity.microsoft.com/t5/iis-support-blog/401-1-2148074248-in-iis-logs-behind-a-load-balancer-with/ba-p/2428459",
			"MS-NLMP: NTLM is connection-oriented over HTTP",
			"traefik PR #10405: IIS needs the same back-end connection for the whole NTLM/Kerberos negotiation — https://github.com/traefik/traefik/pull/10405",
			"SSPI SEC_E_INVALID_TOKEN (0x80090308) — https://learn.microsoft.com/en-us/windows/desktop/api/sspi/nf-sspi-acceptsecuritycontext",
			"Azure Application Gateway backend settings: Dedicated backend connection — https://learn.microsoft.com/en-us/azure/application-gateway/configuration-http-settings",
			"https://docs.aws.amazon.com/whitepapers/latest/replatform-dotnet-apps-with-windows-containers/using-a-load-balancer-with-windows-authentication.html",
			"https://github.com/dotnet/yarp/issues/1097",
			"https://mailman.nginx.org/pipermail/nginx/2022-November/KWOMUMMDUJERP5QRAMJYLYE2QAF2URWO.html",
			"https://github.com/caddyserver/ntlm-transport",
			"https://github.com/traefik/traefik/pull/10405",
			"https://www.skudonet.com/knowledge-base/howtos/load-balancing-of-webapps-with-iis-authentication-ntlm-and-asp-net-impersonation/",
		},
		Supersedes: []string{"auth-denied"},
		Trace:      authHandshakeTrace,
		Sequence:   authHandshakeSequence,
	}
}

func authHandshakeTrace(s *diagnose.Subject) *diagnose.Match {
	if s.Trace.StatusCode != 401 {
		return nil
	}
	cause, code := sspiCauseOf(s)
	if cause != sspiInvalidToken && cause != sspiUnknown {
		// A logon failure, a binding mismatch or an SPN problem is another
		// rule's explanation; a continue status is the handshake working.
		return nil
	}
	invalid := cause == sspiInvalidToken
	type3 := s.HasAuth && s.Auth.NTLMType == 3
	kerberos := s.HasAuth && s.Auth.NTLMType == 0 && strings.Contains(s.Auth.Mechanism, "Kerberos")
	switch {
	case s.Proxy.Present && (type3 || invalid):
	case invalid && !kerberos:
		// No proxy header, but Microsoft's guidance names a split
		// handshake as the first suspect for 401.1 with
		// SEC_E_INVALID_TOKEN: a layer-4 balancer or a proxy that strips
		// headers leaves none. Kerberos tickets are not connection-bound,
		// so for them the status means a damaged token instead.
	default:
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
	m := &diagnose.Match{Confidence: diagnose.ConfidenceMedium, Evidence: ev,
		Summary: "the server answered the final leg of the handshake with a new 401"}
	switch {
	case s.Proxy.Present && type3 && invalid:
		m.Confidence = diagnose.ConfidenceHigh
		m.Summary = "the NTLM type 3 was rejected as an invalid token (" + codeName(code) + ") behind a proxy: it reached a connection or server that never issued the challenge"
	case !s.Proxy.Present:
		m.Summary = "inferred from " + codeName(code) + " on this leg, with no proxy header: a handshake split across connections or servers " +
			"(layer-4 balancer, header-stripping proxy) is the first suspect, a damaged token the second"
	}
	return m
}

// handshakeWindow bounds how far apart the legs of one handshake can be:
// a client answers the challenge at once, so a type 3 long after a type 1
// belongs to another handshake.
const handshakeWindow = 10 * time.Second

// authHandshakeSequence looks at an NTLM type 3 and the type 1 it answers
// (the latest one before it, within handshakeWindow) and says whether the
// two legs reached IIS on different servers or connections.
func authHandshakeSequence(seq *diagnose.Sequence) *diagnose.Match {
	for i, cur := range seq.Steps {
		if cur.NTLMType != 3 || cur.Code < 400 || logonFailedCode(cur.ErrorCode) {
			continue
		}
		j := lastType1(seq.Steps[:i], cur)
		if j < 0 {
			continue
		}
		if m := splitLegs(seq, seq.Steps[j], cur); m != nil {
			return m
		}
	}
	return nil
}

func lastType1(steps []diagnose.SequenceStep, cur diagnose.SequenceStep) int {
	for j := len(steps) - 1; j >= 0; j-- {
		st := steps[j]
		if cur.Time.Sub(st.Time) > handshakeWindow {
			return -1
		}
		if st.NTLMType == 1 && st.Code == 401 {
			return j
		}
	}
	return -1
}

// portSawChallenge reports whether any type 1 of the sequence came on
// the type 3's connection: then that connection did see a challenge, and
// the type 1 nearest in time may belong to another client behind the
// same address.
func portSawChallenge(steps []diagnose.SequenceStep, cur diagnose.SequenceStep) bool {
	for _, st := range steps {
		if st.NTLMType == 1 && st.ClientPort == cur.ClientPort && st.Server == cur.Server && cur.Time.Sub(st.Time) <= handshakeWindow && !st.Time.After(cur.Time) {
			return true
		}
	}
	return false
}

func splitLegs(seq *diagnose.Sequence, prev, cur diagnose.SequenceStep) *diagnose.Match {
	feSwitched := prev.FEServer != "" && cur.FEServer != "" && !strings.EqualFold(prev.FEServer, cur.FEServer)
	serverSwitched := prev.Server != "" && cur.Server != "" && !strings.EqualFold(prev.Server, cur.Server)
	portSwitched := prev.ClientPort != 0 && cur.ClientPort != 0 && prev.ClientPort != cur.ClientPort &&
		!serverSwitched && !portSawChallenge(seq.Steps, cur)
	restarted := prev.Code == 401 && cur.Code == 401
	proxied := cur.Via || prev.Via || seq.Vendor != ""
	ev := []diagnose.Evidence{
		{Where: diagnose.InSequence, Name: "client", Value: seq.Client},
		{Where: diagnose.InSequence, Name: "steps", Value: diagnose.FormatSteps([]diagnose.SequenceStep{prev, cur})},
	}
	m := &diagnose.Match{Confidence: diagnose.ConfidenceHigh, Evidence: ev}
	switch {
	case feSwitched:
		m.Evidence = append(m.Evidence, diagnose.Evidence{Where: diagnose.InResponseHeader, Name: "X-FEServer", Value: prev.FEServer + " → " + cur.FEServer})
		m.Summary = "the handshake's legs reached different Exchange servers (" + prev.FEServer + " then " + cur.FEServer + ")"
	case serverSwitched:
		m.Evidence = append(m.Evidence, diagnose.Evidence{Where: diagnose.InTrace, Name: "Computer", Value: prev.Server + " → " + cur.Server})
		m.Summary = "the handshake's legs reached different servers (" + prev.Server + " answered the type 1, " + cur.Server + " got the type 3)"
	case portSwitched && restarted:
		m.Evidence = append(m.Evidence, diagnose.Evidence{Where: diagnose.InTrace, Name: "client port",
			Value: fmt.Sprintf("%d (type 1) → %d (type 3)", prev.ClientPort, cur.ClientPort)})
		m.Summary = fmt.Sprintf("the NTLM type 3 came on TCP port %d, a connection that saw no challenge (the type 1 came on port %d), and was refused", cur.ClientPort, prev.ClientPort)
		if cur.ErrorCode != secInvalidToken {
			// A new connection with the failure unnamed: the port change
			// is the only evidence, and another client behind the same
			// address could produce it.
			m.Confidence = diagnose.ConfidenceMedium
			m.Summary += " (inferred from the port change; the trace names no SSPI status)"
		}
		if !proxied {
			m.Summary += "; no proxy header is present, so a layer-4 balancer or a header-stripping proxy is inferred"
		}
	case restarted && proxied && cur.ErrorCode == secInvalidToken:
		m.Summary = "NTLM type 3 was answered with a fresh 401 challenge (" + codeName(cur.ErrorCode) + ") behind a proxy"
	default:
		return nil
	}
	return m
}

func logonFailedCode(c uint32) bool {
	for _, x := range logonFailedCodes {
		if c == x {
			return true
		}
	}
	return false
}
