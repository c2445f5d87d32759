package rules

import "github.com/frebscan/frebscan/internal/diagnose"

// arrBackendTLSRule returns the arr-backend-tls rule.
func arrBackendTLSRule() *diagnose.Rule {
	return arrRule("arr-backend-tls", "TLS to the back end failed (502.3, WinHTTP secure failure)", winhttpSecure, 3,
		`ARR connects to the back end over HTTPS and the TLS handshake failed:
ERROR_WINHTTP_SECURE_FAILURE (0x80072F8F, 12175). The back end's certificate is not
trusted by the ARR server, has expired, does not match the farm member's name, or
the two sides share no TLS version or cipher (TLS 1.0/1.1 disabled on one side).`,
		`On the ARR server, open the back-end URL with the farm member's name and check the
certificate chain, name and validity; align the TLS versions and cipher suites
(SCHANNEL settings) of both servers.`,
		"error 0x80072F8F (ERROR_WINHTTP_SECURE_FAILURE)")
}
