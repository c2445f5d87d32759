package rules

import (
	"fmt"

	"github.com/frebscan/frebscan/internal/diagnose"
)

// proxyConnectionSharedRule returns the proxy-connection-shared rule.
func proxyConnectionSharedRule() *diagnose.Rule {
	return &diagnose.Rule{
		ID:       "proxy-connection-shared",
		Title:    "Security: one authenticated proxy connection served requests of different clients",
		Severity: diagnose.Critical,
		Explanation: `NTLM (and Kerberos while authentication is persistent) authenticates the TCP
connection, not each request: once a connection is authenticated, IIS processes
later requests on it without Authorization as the same user. A proxy or load
balancer that pools its back-end connections can send client B's request on the
connection client A authenticated, and IIS serves B as A. The traces show it as
one proxy connection (the same source address and port on one server) carrying
a request from one original client that authenticated, then a request from
another original client with no Authorization that IIS still processed as an
authenticated Windows user.`,
		Looks: []string{
			"requests on one proxy connection (TCP peer address and port, one server) with the original client named by a proxy header",
			"a request that authenticated on it, then a request from another original client without Authorization processed as an authenticated user",
		},
		Fix: `Treat it as a security incident: requests were served with another user's
identity. Make the proxy bind each client connection to its own back-end
connection for Windows-authenticated services (no back-end connection pooling or
multiplexing), or balance them at layer 4. Until then, setting
authPersistSingleRequest="true" on the site's windowsAuthentication makes IIS
re-authenticate every request (more round trips; concurrent requests through a
pooling proxy can then fail with SEC_E_INVALID_TOKEN).`,
		VendorFixes: map[string]string{
			haproxy: `HAProxy: set "http-reuse never" for the IIS backend (or rely on HAProxy 1.9+, which marks connections that saw a 401 with NTLM or
Negotiate private; check the version and that no "http-reuse always" overrides it).`,
			f5:        `F5 BIG-IP: remove the OneConnect profile from the virtual server, or add the NTLM Conn Pool profile beside it so authenticated connections are not shared.`,
			netscaler: `Citrix NetScaler/ADC: disable connection multiplexing (HTTP profile, "Connection Multiplexing" off) for the Windows-authenticated service.`,
			nginx:     `nginx: remove the upstream "keepalive" pool for Windows-authenticated sites (it shares authenticated connections between clients); use a stream {} layer-4 proxy or NGINX Plus's "ntlm;" directive.`,
			caddy:     `Caddy: use the http_ntlm transport (github.com/caddyserver/ntlm-transport), which keeps one upstream connection per client connection, or layer-4 passthrough.`,
			traefik:   `Traefik: route the service through a TCP router with TLS passthrough; HTTP routers pool back-end connections between clients.`,
			yarp:      `YARP pools outbound connections between requests and does not support proxying Windows authentication: authenticate at the YARP host instead, or balance at layer 4.`,
			appgw:     `Azure Application Gateway v2: enable "Dedicated backend connection" in the backend settings; by default idle back-end connections are reused for other clients.`,
			alb:       `AWS: an Application Load Balancer pools target connections; use a Network Load Balancer (TCP listener) for Windows-authenticated targets.`,
		},
		References: []string{
			"https://github.com/haproxy/haproxy/issues/581",
			"https://github.com/traefik/traefik/issues/3792",
			"https://github.com/dotnet/yarp/issues/1097",
			"https://mailman.nginx.org/pipermail/nginx/2022-November/KWOMUMMDUJERP5QRAMJYLYE2QAF2URWO.html",
			"https://github.com/ThreeMammals/Ocelot/issues/2121",
			"Azure Application Gateway backend settings: Dedicated backend connection — https://learn.microsoft.com/en-us/azure/application-gateway/configuration-http-settings",
			"IIS windowsAuthentication: authPersistSingleRequest — https://learn.microsoft.com/en-us/iis/configuration/system.webserver/security/authentication/windowsauthentication/",
		},
		Connection: proxyConnectionShared,
	}
}

// proxyConnectionShared follows one proxy connection: the client whose
// request authenticated it, then a request from another client that IIS
// processed as authenticated without credentials of its own.
func proxyConnectionShared(seq *diagnose.Sequence) *diagnose.Match {
	authBy, authAt := "", -1
	for i, st := range seq.Steps {
		switch {
		case st.HasAuth && st.Code < 400 && st.NTLMType != 1:
			authBy, authAt = st.OriginalClient, i
		case st.ConnAuthenticated && authBy != "" && st.OriginalClient != "" && st.OriginalClient != authBy:
			first := seq.Steps[authAt]
			return &diagnose.Match{
				Confidence: diagnose.ConfidenceHigh,
				Summary: fmt.Sprintf("proxy connection %s to %s was authenticated by a request from %s, then carried a request from %s "+
					"without credentials that IIS processed as the authenticated user", seq.Client, firstNonEmpty(st.Server, seq.Path), authBy, st.OriginalClient),
				Evidence: []diagnose.Evidence{
					{Where: diagnose.InSequence, Name: "proxy connection", Value: seq.Client + " → " + firstNonEmpty(st.Server, seq.Path)},
					{Where: diagnose.InSequence, Name: "authenticated by", Value: fmt.Sprintf("%s %s from %s (%s)", first.Verb, first.Status, authBy, first.Auth), File: first.File},
					{Where: diagnose.InSequence, Name: "reused by", Value: fmt.Sprintf("%s %s from %s (no Authorization, processed as an authenticated user)", st.Verb, st.Status, st.OriginalClient), File: st.File},
				},
			}
		}
	}
	return nil
}
